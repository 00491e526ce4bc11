import type { AttemptOutcome } from "../queue/lifecycle";
import type { PostResult } from "./destination";

/** The post is out (and its first comment, when `commentId` is given). */
export function posted(result: PostResult, commentId?: string): AttemptOutcome {
  return { type: "posted", result, ...(commentId && { commentId }) };
}

/** Will not go through as it is: the job fails with this sentence and waits for the user. */
export function refused(kind: string, message: string): AttemptOutcome {
  return { type: "refused", kind, message };
}
