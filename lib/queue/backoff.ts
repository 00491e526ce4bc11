const BASE_MS = 2_000;
const CAP_MS = 15 * 60_000;

/** Jittered exponential back-off: 2 s, 4 s, 8 s … capped at 15 min, each between half and all of it. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** After this many attempts that failed for passing reasons, the job fails and waits for the user. */
export const MAX_ATTEMPTS = 8;
/** Facebook's "temporarily blocked" (368) lasts hours; retrying sooner only extends it. */
export const BLOCKED_WAIT_MS = 60 * 60_000;
export const RATE_LIMIT_DEFAULT_WAIT_MS = 5 * 60_000;
/** The longest wait a rate limit gets, whatever `Retry-After` says: a bad header never parks a share for days. */
export const RATE_LIMIT_MAX_WAIT_MS = 60 * 60_000;
/** While offline, look again this often in case the browser never says the network is back. */
export const OFFLINE_RECHECK_MS = 60_000;
/**
 * A request Facebook may have received but never answered (timeout, dropped connection) can still
 * be processed after we gave up; looking for the post sooner could miss it and post twice.
 */
export const UNANSWERED_WAIT_MS = 20_000;
/**
 * Facebook lists a new post seconds to minutes late: after the first look (UNANSWERED_WAIT_MS
 * after the request), an attempt's post is looked for again after each of these waits before
 * anything is sent again — about 14 minutes in all.
 */
export const LOOK_AGAIN_MS = [60_000, 3 * 60_000, 10 * 60_000] as const;
