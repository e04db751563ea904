/**
 * The environment a command check runs with: the worker's own, minus every variable whose name looks secret
 * (tokens, keys, passwords, connection strings, Azure/GitHub credentials, this tool's hub tokens), so a command line
 * cannot read the worker's credentials back through its output. A command definition may pass named ones through.
 */

const SECRET_NAME =
  /token|secret|passw(or)?d|passphrase|credential|api_?key|access_?key|private_?key|connection_?string|cookie|session|auth(?!or)|(^|_)(keys?|pass|pw|sig|sas)(_|$)/i;

/** True for an environment variable name whose value a command must not see by default. */
function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of `env` without secret-looking variables, except those named in `passThrough` (exact names). */
export function scrubEnv(env: NodeJS.ProcessEnv, passThrough: readonly string[] = []): NodeJS.ProcessEnv {
  const keep = new Set(passThrough);
  return Object.fromEntries(Object.entries(env).filter(([name]) => keep.has(name) || !isSecretEnvName(name)));
}
