import { useState } from "react";
import type { Command } from "../keys.js";

/**
 * A scroll offset for a panel with `maxScroll` hidden lines and `page` visible ones.
 * `scrollBy(command)` applies a navigation command and says whether it was one.
 */
export function useScroll(maxScroll: number, page: number): [offset: number, scrollBy: (command: Command | undefined) => boolean] {
  const [scroll, setScroll] = useState(0);
  const scrollBy = (command: Command | undefined): boolean => {
    switch (command) {
      case "nav.up":
        setScroll((s) => Math.max(0, s - 1));
        return true;
      case "nav.down":
        setScroll((s) => Math.min(maxScroll, s + 1));
        return true;
      case "nav.pageUp":
        setScroll((s) => Math.max(0, s - page));
        return true;
      case "nav.pageDown":
        setScroll((s) => Math.min(maxScroll, s + page));
        return true;
      case "nav.first":
        setScroll(0);
        return true;
      case "nav.last":
        setScroll(maxScroll);
        return true;
      default:
        return false;
    }
  };
  return [Math.min(scroll, maxScroll), scrollBy];
}
