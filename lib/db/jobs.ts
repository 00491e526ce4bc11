import { openDatabase } from "./open";
import type { JobRecord, JobState } from "./schema";

/** Adds the jobs whose idempotency key is new, in one transaction; an existing key is left alone. */
export async function addJobsOnce(jobs: JobRecord[]): Promise<{ added: string[]; existing: string[] }> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const found = await Promise.all(jobs.map((job) => tx.store.getKey(job.id)));
  const fresh = jobs.filter((_, index) => found[index] === undefined);
  await Promise.all([...fresh.map((job) => tx.store.add(job)), tx.done]);
  return {
    added: fresh.map((job) => job.id),
    existing: jobs.filter((_, i) => found[i] !== undefined).map((job) => job.id),
  };
}

/**
 * Claims the due job that has waited longest: in one durable transaction it becomes `sending`
 * under our lease, *before* anything is sent, so a worker that dies mid-request leaves a trace.
 */
export async function claimDueJob(
  owner: string,
  now: number,
  leaseMs: number,
): Promise<JobRecord | undefined> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const queued = await tx.store.index("by-state").getAll("queued");
  const due = queued
    .filter((job) => job.nextAttemptAt <= now)
    .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)[0];
  if (!due) {
    await tx.done;
    return undefined;
  }
  const claimed: JobRecord = {
    ...due,
    state: "sending",
    attempts: due.attempts + 1,
    lease: { owner, until: now + leaseMs, sentAt: now },
    updatedAt: now,
  };
  await Promise.all([tx.store.put(claimed), tx.done]);
  return claimed;
}

/** Stores the outcome of an attempt, only if our lease still holds (nobody else took the job). */
export async function settleJob(
  id: string,
  owner: string,
  patch: Partial<Omit<JobRecord, "id" | "post">>,
  now: number,
): Promise<JobRecord | undefined> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const job = await tx.store.get(id);
  if (!job || job.lease?.owner !== owner) {
    await tx.done;
    return undefined;
  }
  const settled: JobRecord = { ...job, ...patch, lease: undefined, updatedAt: now };
  await Promise.all([tx.store.put(settled), tx.done]);
  return settled;
}

/**
 * At start: jobs left `sending` by a worker that is gone go back to the queue, marked so that the
 * Page is searched for the post before it is ever sent again.
 */
export async function recoverOrphanedJobs(owner: string, now: number): Promise<number> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const sending = await tx.store.index("by-state").getAll("sending");
  const orphans = sending.filter((job) => job.lease?.owner !== owner || job.lease.until < now);
  await Promise.all([
    ...orphans.map((job) =>
      tx.store.put({
        ...job,
        state: "queued",
        lease: undefined,
        needsReconcile: true,
        nextAttemptAt: now,
        updatedAt: now,
      }),
    ),
    tx.done,
  ]);
  return orphans.length;
}

/** When the next queued job is due, if any. */
export async function nextDueAt(): Promise<number | undefined> {
  const db = await openDatabase();
  const queued = await db.getAllFromIndex("jobs", "by-state", "queued");
  return queued.length ? Math.min(...queued.map((job) => job.nextAttemptAt)) : undefined;
}

export async function getJob(id: string): Promise<JobRecord | undefined> {
  return (await openDatabase()).get("jobs", id);
}

/** The jobs of one Instagram post (all its targets). */
export async function jobsOfPost(pk: string): Promise<JobRecord[]> {
  const db = await openDatabase();
  return db.getAll("jobs", IDBKeyRange.bound(`${pk}:`, `${pk}:\uffff`));
}

/** Newest first, one page at a time: the popup reads only what it shows. */
export async function recentJobs(
  limit: number,
  createdBefore = Number.POSITIVE_INFINITY,
): Promise<JobRecord[]> {
  const db = await openDatabase();
  const jobs: JobRecord[] = [];
  const range = Number.isFinite(createdBefore) ? IDBKeyRange.upperBound(createdBefore, true) : undefined;
  let cursor = await db.transaction("jobs").store.index("by-created").openCursor(range, "prev");
  while (cursor && jobs.length < limit) {
    jobs.push(cursor.value);
    cursor = await cursor.continue();
  }
  return jobs;
}

export async function countJobsByState(states: JobState[]): Promise<number> {
  const db = await openDatabase();
  const tx = db.transaction("jobs");
  const counts = await Promise.all(states.map((state) => tx.store.index("by-state").count(state)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Moves the jobs of one target from some states to another in one transaction, e.g. all of a Page's
 * queued jobs to `needs-signin` when its token dies, and back after re-linking.
 */
export async function moveJobsOfTarget(
  targetId: string,
  from: JobState[],
  update: (job: JobRecord) => JobRecord,
): Promise<JobRecord[]> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const candidates = (
    await Promise.all(from.map((state) => tx.store.index("by-state").getAll(state)))
  ).flat();
  const moved = candidates.filter((job) => job.targetId === targetId).map(update);
  await Promise.all([...moved.map((job) => tx.store.put(job)), tx.done]);
  return moved;
}

/** Changes one job if `allowed` says its current state permits it; answers the new record. */
export async function updateJobIf(
  id: string,
  allowed: (job: JobRecord) => boolean,
  update: (job: JobRecord) => JobRecord,
): Promise<JobRecord | undefined> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const job = await tx.store.get(id);
  if (!job || !allowed(job)) {
    await tx.done;
    return undefined;
  }
  const next = update(job);
  await Promise.all([tx.store.put(next), tx.done]);
  return next;
}

/** Failed jobs (of one post, or all) back to the queue, in one transaction; answers those moved. */
export async function requeueFailedJobs(now: number, pk?: string): Promise<JobRecord[]> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const failed = (await tx.store.index("by-state").getAll("failed")).filter(
    (job) => !pk || job.post.pk === pk,
  );
  const requeued = failed.map(
    (job): JobRecord => ({ ...job, state: "queued", attempts: 0, nextAttemptAt: now, updatedAt: now }),
  );
  await Promise.all([...requeued.map((job) => tx.store.put(job)), tx.done]);
  return requeued;
}
