import type { AccountRecord, JobRecord } from "../db/schema";
import type { AttemptOutcome } from "../queue/lifecycle";
import type { ServiceId } from "./services";

/**
 * One place posts go to: Facebook Pages, the profile's share dialog, Bluesky, Mastodon, Threads,
 * Tumblr. The queue owns a job's life (claim, lease, retry, reconcile, status); a destination only
 * knows its service: how to publish one post kind with its media, how to find what an earlier attempt
 * made, and which failures are which (as a ShareError). It stores nothing itself: what it must
 * keep goes through the Attempt the queue hands it.
 */
export interface Destination {
  readonly service: ServiceId;
  /** "token": nothing is sent without the account's stored sign-in; "none": the user confirms in the service itself. */
  readonly signIn: "token" | "none";
  /** What the service takes in one post, for the caption rules and the refusals before sending. */
  limits(account: AccountRecord): DestinationLimits;
  /**
   * Sends the job: publishes it, or carries on what an earlier attempt left (a reel being processed,
   * a post whose first comment is still to be made). Throws ShareError (or NotShareableError) for
   * the queue to classify; answers an outcome when it knows one.
   */
  send(attempt: Attempt): Promise<AttemptOutcome>;
  /**
   * What an earlier attempt at this job left on the service, asked before sending again when an
   * answer was lost. "nothing-out": no final call of ours can have been made. "not-found": by the
   * ids it stored, it made no post. "cannot-tell": no proof either way; the user decides once
   * looking has run its course.
   */
  findEarlier(attempt: Attempt): Promise<EarlierAttempt>;
  /**
   * The time the service is asked to publish the job's post at, when it holds posts for later;
   * undefined: the post goes now (the queue holds a job whose time is still to come).
   */
  holdsUntil?(job: JobRecord, now: number): number | undefined;
  /**
   * When a used-up publishing quota (publish-limit) has room again, and the limit in words
   * ("Facebook's limit of 30 reels …"); undefined: this post has no such quota, so it is refused.
   */
  quotaFreesAt?(attempt: Attempt): Promise<{ until: number; limit: string } | undefined>;
  /** The sentences only this service can say. */
  readonly words: {
    /** The sign-in may not publish this: what to check. `says` is the service's own message. */
    permission(accountName: string, says: string): string;
    /** An earlier attempt may have posted and there is no way to look: what to check, what to press. */
    unconfirmed(job: JobRecord, accountName: string): string;
  };
}

export type EarlierAttempt = AttemptOutcome | "nothing-out" | "not-found" | "cannot-tell";

/** What one post may hold on a service. */
export interface DestinationLimits {
  /** The longest text, counted as the service counts. */
  text: {
    max: number;
    counts: "code-points" | "graphemes" /** a link counts as this many */;
    linkLength?: number;
  };
  images: number;
  videos: number;
  /** Whether photos and videos may be in the same post. */
  mixed: boolean;
  videoSeconds?: { min: number; max: number };
  /** Whether the caption rules' first comment can be made. */
  firstComment: boolean;
}

/** The queue's side of one attempt, handed to the destination sending it. */
export interface Attempt {
  /** The job as this attempt last stored it. */
  readonly job: JobRecord;
  readonly account: AccountRecord;
  now(): number;
  /**
   * Stores what this attempt made before its final call (uploaded photos, a reel's or a
   * container's id), so a lost answer is found by them. Throws NotShareableError when the job was
   * stopped meanwhile: then the final call must not be made.
   */
  prepared(made: PreparedIds): Promise<void>;
  /** Stores the post before a follow-up call (its first comment): it is never sent again. */
  postMade(result: PostResult): Promise<JobRecord | undefined>;
  /**
   * Whether sending again is safe: nothing of an earlier attempt can be out, or it was looked for
   * as often as late listings call for, and never found.
   */
  mayPostAgain(): boolean;
  /** The account's other shares that are done, for what they already claim on the service. */
  sharedJobs(): Promise<JobRecord[]>;
  /** A line in the activity log. */
  log(message: string): Promise<void>;
  /**
   * Stores the account's renewed sign-in (services whose tokens rotate): the next attempt uses
   * it. Does nothing when the user linked the account again meanwhile.
   */
  renewedSignIn(signIn: { token: string; refreshToken?: string; tokenExpiresAt?: number }): Promise<void>;
  /** The queue's classification of a failure, for a destination that words it its own way. */
  failure(cause: unknown): Promise<AttemptOutcome>;
}

export interface PreparedIds {
  photoIds?: string[];
  videoId?: string;
  /** A container (Threads) made before it is published. */
  containerId?: string;
}

export interface PostResult {
  postId: string;
  url: string;
}
