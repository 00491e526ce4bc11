import type { DBSchema } from "idb";
import type { PublishedPost } from "../instagram/post";

export const DB_NAME = "alsoshare";
export const DB_VERSION = 1;

export type AccountKind = "page" | "profile";
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
}

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
  targetId: string;
  targetName: string;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  /** Set while a worker owns the job; `sentAt` is when the POST may have left. */
  lease?: { owner: string; until: number; sentAt: number };
  /** A POST may have reached Facebook with no answer stored: look before posting again. */
  needsReconcile?: boolean;
  result?: { postId: string; url: string };
  lastError?: JobError;
  createdAt: number;
  updatedAt: number;
  /** The Instagram tab that asked, to tell it how the share went. */
  tabId?: number;
}

export type EventType =
  | "linked"
  | "relinked"
  | "unlinked"
  | "composer-unrecognized"
  | "share-failed"
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
