import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from "idb";
import * as z from "zod/mini";
import type { PublishedPost } from "../instagram/post";

/** A Facebook Page, the Facebook profile (share dialog), or an account on another service. */
export type AccountKind = "page" | "profile" | "bluesky" | "mastodon" | "threads" | "tumblr";
export type AccountStatus = "ok" | "needs-signin";

export interface AccountRecord {
  id: string;
  kind: AccountKind;
  name: string;
  pictureUrl?: string;
  /** Page token; absent for the profile (share-dialog route). Never leaves the background/our pages. */
  token?: string;
  tokenExpiresAt?: number;
  status: AccountStatus;
  linkedAt: number;
  /** The Instagram account Facebook says the Page is linked to, as read at link time. */
  instagram?: InstagramLinkRecord;
  /**
   * For a service hosted in many places (a Bluesky PDS, a Mastodon instance) or whose sign-in
   * rotates: where the account lives, its own id there, and what renews its sign-in.
   */
  home?: AccountHome;
}

export interface AccountHome {
  /** `https://host`, the service's API origin for this account; the extension has its host permission. */
  origin: string;
  /** The account's id on its service: a Bluesky DID, a Mastodon or Threads user id, a Tumblr blog's uuid. */
  userId: string;
  /** Shown beside the name: `@name.bsky.social`, `@name@mastodon.social`, a Tumblr blog's name. */
  handle: string;
  refreshToken?: string;
  /** The text limit the instance itself announces (Mastodon), when it differs from the default. */
  textLimit?: number;
}

export type InstagramLinkRecord =
  | { state: "linked"; id: string; username: string; pictureUrl?: string }
  | { state: "none" }
  | { state: "no-permission" };

export type JobState = "queued" | "sending" | "shared" | "failed" | "needs-signin" | "cancelled";

export interface JobError {
  kind: string;
  message: string;
  at: number;
}

export interface JobRecord {
  /** Idempotency key `igMediaPk:targetId`: one job per post × target, ever. */
  id: string;
  post: PublishedPost;
  permalink: string;
  /** The text that goes to Facebook. */
  message: string;
  /**
   * The post's first comment (caption rules move the hashtags or the link there), made by the same
   * job once the post exists; `id` is Facebook's, once it is made.
   */
  comment?: { message: string; id?: string };
  /**
   * When the user wants it on Facebook (epoch ms); absent: at once. Facebook holds a scheduled post
   * and publishes it then, whether this browser runs or not.
   */
  publishAt?: number;
  targetId: string;
  targetName: string;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  /** Set while a worker owns the job; `sentAt` is when the POST may have left. */
  lease?: { owner: string; until: number; sentAt: number };
  /** A POST may have reached Facebook with no answer stored: look before posting again. */
  needsReconcile?: boolean;
  /**
   * What our attempts made on Facebook before their final call (unpublished photos, a reel's upload
   * session), stored before that call: an earlier attempt is found by these ids, never by its text.
   */
  made?: { since: number; photoIds: string[]; videoId?: string; containerId?: string };
  /** How often an earlier attempt's post was looked for and not (yet) found: Facebook lists late. */
  looks?: number;
  /** The Facebook post; while a first comment is still to be made, the job is not shared yet. */
  result?: { postId: string; url: string };
  /** Shared as the user said after checking the Page: Facebook never confirmed it, so no link. */
  checkedByUser?: boolean;
  /** Instagram's own cross-post reached this Page: alsoshare sent nothing there. */
  sharedByInstagram?: boolean;
  lastError?: JobError;
  createdAt: number;
  updatedAt: number;
  /** The Instagram tab that asked, to tell it how the share went. */
  tabId?: number;
}

/**
 * The fields every reader of a job relies on. A record without them (left by a bug or a newer
 * version) is skipped by the readers and kept in the store as it is: it never breaks the list or
 * the queue, and it is never deleted behind the user's back.
 */
const readableJobSchema = z.object({
  id: z.string(),
  post: z.object({ pk: z.string(), kind: z.string(), media: z.array(z.object({ type: z.string() })) }),
  permalink: z.string(),
  message: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  state: z.enum(["queued", "sending", "shared", "failed", "needs-signin", "cancelled"]),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export function isReadableJob(record: JobRecord): boolean {
  const readable = readableJobSchema.safeParse(record).success;
  if (!readable) console.warn("alsoshare: skipped a damaged share record; it is kept as it is", record);
  return readable;
}

export type EventType =
  | "linked"
  | "relinked"
  | "unlinked"
  | "composer-unrecognized"
  | "share-failed"
  | "share-skipped"
  | "share-refused"
  | "data";

export interface EventRecord {
  id?: number;
  at: number;
  type: EventType;
  message: string;
}

export interface AlsoshareDB extends DBSchema {
  accounts: { key: string; value: AccountRecord };
  settings: { key: string; value: unknown };
  jobs: {
    key: string;
    value: JobRecord;
    indexes: { "by-state": JobState; "by-created": number };
  };
  events: { key: number; value: EventRecord; indexes: { "by-at": number } };
}

export type UpgradeStep = (
  db: IDBPDatabase<AlsoshareDB>,
  tx: IDBPTransaction<AlsoshareDB, StoreNames<AlsoshareDB>[], "versionchange">,
) => void;

/**
 * The schema, version by version: step N turns a version N-1 database into version N. Steps are
 * only ever appended, each with a fixture of the version before it (tests/fixtures/db/) and a test,
 * and no step deletes a store or a record that holds user data. DB_VERSION (names.ts) counts them.
 */
export const UPGRADES: readonly UpgradeStep[] = [
  // 1: the first shape.
  (db) => {
    db.createObjectStore("accounts", { keyPath: "id" });
    db.createObjectStore("settings");
    const jobs = db.createObjectStore("jobs", { keyPath: "id" });
    jobs.createIndex("by-state", "state");
    jobs.createIndex("by-created", "createdAt");
    const events = db.createObjectStore("events", { keyPath: "id", autoIncrement: true });
    events.createIndex("by-at", "at");
  },
];
