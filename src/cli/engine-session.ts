import { loadProfile } from "../config/index.js";
import type { ResolvedProfile } from "../engine/profile.js";
import type { LocalEngine } from "../engine/create-engine.js";
import { openLeanEngine, type CommandEngine } from "../engine/lean-engine.js";
import type { CliContext } from "./context.js";

/** How long a command waits for the backend's first answer before failing with exit 4. */
export const CONNECT_TIMEOUT_MS = 5000;

export interface SessionOptions {
  withWorker?: boolean;
  /** Skip the reachability check (the `worker` command keeps retrying instead). */
  noVerify?: boolean;
}

/** The profile a command runs against (the global --profile, else env override, else active, else built-in). */
export function commandProfile(ctx: CliContext): ResolvedProfile {
  return loadProfile({ profile: ctx.globals().profile, env: ctx.io.env });
}

/**
 * Opens the engine for one command, runs `fn`, and always closes the engine (stopping the worker and, when this
 * process owns it, the embedded hub). Throws what `fn` throws; BackendUnreachableError (exit 4) when the backend
 * does not answer within CONNECT_TIMEOUT_MS.
 */
export async function withEngine<T>(
  ctx: CliContext,
  options: SessionOptions,
  fn: (engine: LocalEngine, profile: ResolvedProfile) => Promise<T>,
  profile: ResolvedProfile = commandProfile(ctx),
): Promise<T> {
  // Loaded on demand: commands that need no backend (help, profiles, config) start without the SDK and gRPC.
  const { createEngine } = await import("../engine/create-engine.js");
  const engine = await createEngine({
    profile,
    withWorker: options.withWorker ?? false,
    env: ctx.io.env,
    verifyTimeoutMs: options.noVerify ? undefined : CONNECT_TIMEOUT_MS,
  });
  try {
    return await fn(engine, profile);
  } finally {
    await engine.close();
  }
}

/**
 * withEngine for the commands that only read instances or start one (`list`, `status`, `start` without --wait): the
 * lean engine when it applies (engine/lean-engine.ts: a hub another process serves), else the full one. Same errors.
 */
export async function withCommandEngine<T>(ctx: CliContext, fn: (engine: CommandEngine) => Promise<T>, profile: ResolvedProfile = commandProfile(ctx)): Promise<T> {
  const lean = await openLeanEngine(profile, ctx.io.env, CONNECT_TIMEOUT_MS);
  if (!lean) return withEngine(ctx, {}, fn, profile);
  try {
    return await fn(lean);
  } finally {
    await lean.close();
  }
}
