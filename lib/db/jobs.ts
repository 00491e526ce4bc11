import { addEvents, type NewEvent } from "./events";
import { type Database, openDatabase } from "./open";
import { newestJobs } from "./peek";
import { type AccountRecord, isReadableJob, type JobRecord, type JobState } from "./schema";

/**
 * Storage of the share queue. It persists job records and never decides what they become: every
 * change comes in as an update the caller computed (lib/queue/lifecycle.ts decides).
 */

/** A change to one job: its new record, or undefined to leave it as it is. */
export type JobUpdate = (job: JobRecord) => JobRecord | undefined;

/**
 * Adds the jobs whose idempotency key is new, in one transaction; an existing key is left alone.
 * `logFor` names the log entry a new job brings, written with it or not at all.
 */
export async function addJobsOnce(
  jobs: JobRecord[],
  logFor: (job: JobRecord) => NewEvent | undefined = () => undefined,
): Promise<{ added: string[]; existing: string[] }> {
  const db = await openDatabase();
  const tx = db.transaction(["jobs", "events"], "readwrite", { durability: "strict" });
  const store = tx.objectStore("jobs");
  const found = await Promise.all(jobs.map((job) => store.getKey(job.id)));
  const fresh = jobs.filter((_, index) => found[index] === undefined);
  const events = fresh.flatMap((job) => logFor(job) ?? []);
  await Promise.all([
    ...fresh.map((job) => store.add(job)),
    events.length > 0 && addEvents(tx.objectStore("events"), events),
    tx.done,
  ]);
  return {
    added: fresh.map((job) => job.id),
    existing: jobs.filter((_, i) => found[i] !== undefined).map((job) => job.id),
  };
}

/**
 * One look at the queue per run, in one durable transaction: the jobs left `sending` go through
 * `recover` (a worker that is gone may have left them mid-attempt) and are written as it says.
 * Answers those, and the queued jobs, so the run never re-reads the whole queue per job.
 */
export async function scanQueue(
  recover: JobUpdate,
): Promise<{ recovered: JobRecord[]; queued: JobRecord[] }> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const byState = tx.store.index("by-state");
  const [sending, queued] = await Promise.all([byState.getAll("sending"), byState.getAll("queued")]);
  const recovered = sending.filter(isReadableJob).flatMap((job) => recover(job) ?? []);
  await Promise.all([...recovered.map((job) => tx.store.put(job)), tx.done]);
  return { recovered, queued: queued.filter(isReadableJob) };
}

export interface QueueStep {
  /** Attempts that ended, each with the change it makes to its job. */
  settle: { id: string; update: JobUpdate }[];
  /** Due jobs, best first: the first one `claim` takes is claimed. */
  candidates: string[];
  claim: JobUpdate;
}

export interface QueueStepResult {
  settled: JobRecord[];
  /** The claimed job as written, and its account as it was at that moment. */
  claimed?: { job: JobRecord; account: AccountRecord | undefined };
  /** Candidates passed over, as they are now (undefined: gone). */
  passed: { id: string; job: JobRecord | undefined }[];
}

/**
 * Stores the outcome of an attempt that ended and claims the next job, in one durable transaction,
 * so a run of N jobs costs N+1 commits. The claim is written *before* anything is sent, so a worker
 * that dies mid-request leaves a trace.
 */
export async function settleAndClaim(step: QueueStep): Promise<QueueStepResult> {
  const db = await openDatabase();
  const tx = db.transaction(["jobs", "accounts"], "readwrite", { durability: "strict" });
  const jobs = tx.objectStore("jobs");
  const result: QueueStepResult = { settled: [], passed: [] };
  for (const { id, update } of step.settle) {
    const job = await jobs.get(id);
    const settled = job && update(job);
    if (settled) {
      result.settled.push(settled);
      await jobs.put(settled);
    }
  }
  for (const id of step.candidates) {
    const job = await jobs.get(id);
    const claimed = job && step.claim(job);
    if (!claimed) {
      result.passed.push({ id, job });
      continue;
    }
    const [account] = await Promise.all([
      tx.objectStore("accounts").get(claimed.targetId),
      jobs.put(claimed),
    ]);
    result.claimed = { job: claimed, account };
    break;
  }
  await tx.done;
  return result;
}

export async function getJob(id: string): Promise<JobRecord | undefined> {
  return (await openDatabase()).get("jobs", id);
}

/** The jobs of one Instagram post (all its targets). */
export async function jobsOfPost(pk: string): Promise<JobRecord[]> {
  const db = await openDatabase();
  return (await db.getAll("jobs", IDBKeyRange.bound(`${pk}:`, `${pk}:\uffff`))).filter(isReadableJob);
}

/** Newest first, one page at a time: the popup reads only what it shows. */
export async function recentJobs(
  limit: number,
  createdBefore = Number.POSITIVE_INFINITY,
  db?: Database,
): Promise<JobRecord[]> {
  const index = (db ?? (await openDatabase())).transaction("jobs").store.index("by-created");
  return newestJobs(index, limit, isReadableJob, createdBefore);
}

/** The posts an Instagram tab asked to share since `since`, each once. */
export async function postsSharedFromTab(tabId: number, since: number): Promise<Set<string>> {
  const db = await openDatabase();
  const jobs = await db.getAllFromIndex("jobs", "by-created", IDBKeyRange.lowerBound(since));
  return new Set(jobs.flatMap((job) => (job.tabId === tabId && isReadableJob(job) ? [job.post.pk] : [])));
}

/** The shares that reached one target: their results are theirs, never another job's. */
export async function sharedJobsOf(targetId: string): Promise<JobRecord[]> {
  const db = await openDatabase();
  const shared = await db.getAllFromIndex("jobs", "by-state", "shared");
  return shared.filter((job) => job.targetId === targetId && isReadableJob(job));
}

export async function countJobsByState(states: JobState[]): Promise<number> {
  const db = await openDatabase();
  const tx = db.transaction("jobs");
  const counts = await Promise.all(states.map((state) => tx.store.index("by-state").count(state)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Changes jobs in one durable transaction: each job in one of `states` for which `update` gives a
 * new record is replaced by it. Answers the new records.
 */
export async function updateJobs(states: JobState[], update: JobUpdate): Promise<JobRecord[]> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const found = await Promise.all(states.map((state) => tx.store.index("by-state").getAll(state)));
  const changed = found
    .flat()
    .filter(isReadableJob)
    .flatMap((job) => update(job) ?? []);
  await Promise.all([...changed.map((job) => tx.store.put(job)), tx.done]);
  return changed;
}

/** Changes one job as `update` says, in one transaction; answers the new record if it changed. */
export async function updateJob(id: string, update: JobUpdate): Promise<JobRecord | undefined> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const job = await tx.store.get(id);
  const next = job && isReadableJob(job) ? update(job) : undefined;
  await Promise.all([next && tx.store.put(next), tx.done]);
  return next;
}
