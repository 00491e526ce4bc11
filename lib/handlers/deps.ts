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
  /** Jobs went away in bulk (all data cleared): count the toolbar badge again. */
  onJobsCleared: () => void;
}

export type HandlersFor<T extends RequestType> = Pick<Handlers, T>;
