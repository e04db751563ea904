// Kept free of modern syntax: this file must load, and refuse politely, on any Node that can run ESM.
export const MINIMUM_NODE = "22.5.0";

function parse(version) {
  return String(version).replace(/^v/, "").split(".").map(function (part) { return parseInt(part, 10) || 0; });
}

/** Returns null when `found` is at least MINIMUM_NODE, otherwise the one-line message to print. */
export function nodeVersionProblem(found) {
  var have = parse(found);
  var need = parse(MINIMUM_NODE);
  for (var i = 0; i < 3; i++) {
    if ((have[i] || 0) > need[i]) return null;
    if ((have[i] || 0) < need[i]) {
      return "durable-monitor-tui needs Node.js >= " + MINIMUM_NODE + " but found " + String(found).replace(/^v/, "") +
        ". Install Node 24 (nvm install 24) or run it through npm scripts, which use the project's pinned Node.";
    }
  }
  return null;
}
