import type { InstanceClient, InstanceState } from "./instance-client.js";
import { errorMessage } from "../errors.js";
import type { AppLogger } from "../logging.js";
import { type SpecCache, wantsInput } from "./snapshot.js";

/** Inputs fetched per refresh at most: a hub full of new sample-style monitors fills in over a few refreshes. */
const INPUT_FETCHES_PER_REFRESH = 16;

/**
 * Lists may come without payloads. A convention monitor (an app following the samples) keeps its interval and
 * timeout in its input, so the dashboard fetches that input once per instance and execution (creation time),
 * records it in the cache (over INPUT_CAP_CHARS it is recorded as unknown), and never asks again. Failures are
 * logged and retried on a later refresh.
 */
export async function fetchMissingInputs(
  client: InstanceClient,
  states: readonly InstanceState[],
  specs: SpecCache,
  logger: AppLogger,
): Promise<void> {
  const wanted = states.filter((s) => wantsInput(s, specs)).slice(0, INPUT_FETCHES_PER_REFRESH);
  await Promise.all(
    wanted.map(async (s) => {
      try {
        const full = await client.getInstance(s.instanceId, true);
        if (full && full.createdAt.getTime() === s.createdAt.getTime()) specs.put(s.instanceId, s.createdAt, full.serializedInput ?? "");
      } catch (error) {
        logger.debug("input of %s: %s", s.instanceId, errorMessage(error));
      }
    }),
  );
}
