import type { JobRecord } from "@/lib/db/schema";
import type { Attempt, Destination, EarlierAttempt } from "@/lib/destinations/destination";
import { NotShareableError, ShareError } from "@/lib/destinations/errors";
import type { AttemptOutcome } from "@/lib/queue/lifecycle";

/** What one step of the queue did with a job: the destination's outcome, or what it threw. */
export type Step =
  | { by: "send" | "findEarlier"; outcome: AttemptOutcome }
  | { by: "findEarlier"; earlier: Exclude<EarlierAttempt, AttemptOutcome> }
  | { by: "send" | "findEarlier"; error: ShareError | NotShareableError };

/**
 * One attempt at `job`, as the queue's contract with a destination says (lib/queue/queue.ts): what
 * an earlier attempt left is looked for first when an answer may be lost, then the post is sent.
 * The job record is kept as the lifecycle would: a post found or made settles it, an unknown
 * outcome marks it to be looked for, a refusal forgets what was made. For a destination's own
 * tests; tests/unit/destinations runs the real queue.
 */
export async function stepThrough(
  destination: Destination,
  job: JobRecord,
  attempt: Attempt,
  onShared: (job: JobRecord) => void = () => undefined,
): Promise<Step> {
  let by: "send" | "findEarlier" = "send";
  try {
    if (job.needsReconcile) {
      by = "findEarlier";
      const earlier = await destination.findEarlier(attempt);
      if (typeof earlier === "object") return settle(job, { by, outcome: earlier }, onShared);
      if (earlier !== "nothing-out") return { by, earlier };
      by = "send";
    }
    return settle(job, { by, outcome: await destination.send(attempt) }, onShared);
  } catch (error) {
    if (!(error instanceof ShareError || error instanceof NotShareableError)) throw error;
    if (error instanceof ShareError && error.details.outcomeUnknown) job.needsReconcile = true;
    return { by, error };
  }
}

function settle(
  job: JobRecord,
  done: Step & { outcome: AttemptOutcome },
  onShared: (job: JobRecord) => void,
): Step {
  const { outcome } = done;
  if (outcome.type === "posted") {
    job.result = outcome.result;
    job.needsReconcile = false;
    job.made = undefined;
    job.state = "shared";
    onShared(job);
  }
  if (outcome.type === "processing") job.needsReconcile = true;
  if (outcome.type === "refused") job.made = undefined;
  return done;
}
