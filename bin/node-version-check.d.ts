/** The lowest Node.js version the program runs on ("22.5.0"). */
export declare const MINIMUM_NODE: string;
/** Null when `found` (e.g. process.versions.node, "v" prefix allowed) is at least MINIMUM_NODE; else the one-line refusal. */
export declare function nodeVersionProblem(found: string): string | null;
