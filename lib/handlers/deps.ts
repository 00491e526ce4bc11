import type { JobRecord } from "../db/schema";
import type { GraphClient } from "../facebook/graph";
import type { RequestType } from "../messages/protocol";
import type { Handlers } from "../messages/router";
import type { Queue } from "../queue/queue";

export interface HandlerDeps {
  graph: GraphClient;
  queue: Queue;
  now: () => number;
  /** A job changed outside the queue (cancel, retry): tell whoever shows it. */
  onJobChanged: (job: JobRecord) => void;
  /** Linked accounts or their status changed: the open pages show the new list. */
  onAccountsChanged: () => void;
  /** The settings changed: the open pages show the new ones. */
  onSettingsChanged: () => void;
  /** Everything stored was replaced in bulk (import, delete all): read it all again, recount the badge. */
  onDataReplaced: () => void;
}

export type HandlersFor<T extends RequestType> = Pick<Handlers, T>;
