import { execFileSync } from "node:child_process";

/**
 * Some process of the group `pgid` runs. A killed process can stay a zombie until init reaps it: that one does not
 * count (it runs nothing).
 */
export function groupRunning(pgid: number): boolean {
  const table = execFileSync("ps", ["-eo", "pgid=,stat="], { encoding: "utf8" });
  return table.split("\n").some((line) => {
    const [group, stat] = line.trim().split(/\s+/);
    return Number(group) === pgid && !stat!.startsWith("Z");
  });
}
