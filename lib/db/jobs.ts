import { openDatabase } from "./open";
import { type AccountRecord, isReadableJob, type JobRecord, type JobState } from "./schema";

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

export interface QueuedEntry {
  id: string;
  nextAttemptAt: number;
}

/**
 * One look at the queue per run: jobs left `sending` by a worker that is gone go back to the queue,
 * marked so that the Page is searched for the post before it is ever sent again; and the list of
 * queued jobs with their due times, so the run never re-reads the whole queue per job.
 */
export async function scanQueue(
  owner: string,
  now: number,
  /** How long after it left a POST may still land: the Page is searched only after that. */
  unansweredWaitMs: number,
): Promise<{ recovered: JobRecord[]; queued: QueuedEntry[] }> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const byState = tx.store.index("by-state");
  const [sendingAll, queuedAll] = await Promise.all([byState.getAll("sending"), byState.getAll("queued")]);
  const sending = sendingAll.filter(isReadableJob);
  const queued = queuedAll.filter(isReadableJob);
  const recovered = sending
    .filter((job) => job.lease?.owner !== owner || job.lease.until < now)
    .map(
      (job): JobRecord => ({
        ...job,
        state: "queued",
        lease: undefined,
        needsReconcile: true,
        nextAttemptAt: Math.max(now, (job.lease?.sentAt ?? 0) + unansweredWaitMs),
        updatedAt: now,
      }),
    );
  await Promise.all([...recovered.map((job) => tx.store.put(job)), tx.done]);
  return {
    recovered,
    queued: [...queued, ...recovered].map((job) => ({ id: job.id, nextAttemptAt: job.nextAttemptAt })),
  };
}

export interface QueueStep {
  /** Outcomes of attempts that ended, each stored only if our lease on that job still holds. */
  settle: { id: string; patch: Partial<Omit<JobRecord, "id" | "post">> }[];
  /** Due jobs, best first: the first one still queued and due is claimed. */
  candidates: string[];
  owner: string;
  now: number;
  leaseMs: number;
}

export interface QueueStepResult {
  settled: JobRecord[];
  /** The claimed job, already `sending`, and its account as it was at that moment. */
  claimed?: { job: JobRecord; account: AccountRecord | undefined };
  /** Candidates passed over: gone from the queue, or due later than we thought. */
  passed: { id: string; nextAttemptAt?: number }[];
}

/**
 * Stores the outcomes of attempts that ended and claims the next job, in one durable transaction,
 * so a run of N jobs costs N+1 commits. The claimed job is `sending` under our lease *before*
 * anything is sent, so a worker that dies mid-request leaves a trace.
 */
export async function settleAndClaim(step: QueueStep): Promise<QueueStepResult> {
  const db = await openDatabase();
  const tx = db.transaction(["jobs", "accounts"], "readwrite", { durability: "strict" });
  const jobs = tx.objectStore("jobs");
  const result: QueueStepResult = { settled: [], passed: [] };
  for (const { id, patch } of step.settle) {
    const job = await jobs.get(id);
    if (job && job.lease?.owner === step.owner) {
      const settled: JobRecord = { ...job, ...patch, lease: undefined, updatedAt: step.now };
      result.settled.push(settled);
      await jobs.put(settled);
    }
  }
  for (const id of step.candidates) {
    const job = await jobs.get(id);
    if (job?.state !== "queued" || job.nextAttemptAt > step.now) {
      result.passed.push({ id, nextAttemptAt: job?.state === "queued" ? job.nextAttemptAt : undefined });
      continue;
    }
    const claimed: JobRecord = {
      ...job,
      state: "sending",
      attempts: job.attempts + 1,
      lease: { owner: step.owner, until: step.now + step.leaseMs, sentAt: step.now },
      updatedAt: step.now,
    };
    const [account] = await Promise.all([tx.objectStore("accounts").get(job.targetId), jobs.put(claimed)]);
    result.claimed = { job: claimed, account };
    break;
  }
  await tx.done;
  return result;
}

/** The network is back: jobs that waited for it are due now. Answers those moved. */
export function wakeJobsWaitingForNetwork(now: number): Promise<JobRecord[]> {
  return moveJobs(["queued"], (job) =>
    job.lastError?.kind === "offline" && job.nextAttemptAt > now
      ? { ...job, nextAttemptAt: now, updatedAt: now }
      : undefined,
  );
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
): Promise<JobRecord[]> {
  const db = await openDatabase();
  const jobs: JobRecord[] = [];
  const range = Number.isFinite(createdBefore) ? IDBKeyRange.upperBound(createdBefore, true) : undefined;
  let cursor = await db.transaction("jobs").store.index("by-created").openCursor(range, "prev");
  while (cursor && jobs.length < limit) {
    if (isReadableJob(cursor.value)) jobs.push(cursor.value);
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
 * Moves jobs in one durable transaction: each job in one of the `from` states for which `update`
 * gives a new record is replaced by it. Answers the new records.
 */
async function moveJobs(
  from: JobState[],
  update: (job: JobRecord) => JobRecord | undefined,
): Promise<JobRecord[]> {
  const db = await openDatabase();
  const tx = db.transaction("jobs", "readwrite", { durability: "strict" });
  const candidates = (
    await Promise.all(from.map((state) => tx.store.index("by-state").getAll(state)))
  ).flat();
  const moved = candidates.flatMap((job) => update(job) ?? []);
  await Promise.all([...moved.map((job) => tx.store.put(job)), tx.done]);
  return moved;
}

/**
 * Moves the jobs of one target from some states to another, e.g. all of a Page's queued jobs to
 * `needs-signin` when its token dies, and back after re-linking.
 */
export function moveJobsOfTarget(
  targetId: string,
  from: JobState[],
  update: (job: JobRecord) => JobRecord,
): Promise<JobRecord[]> {
  return moveJobs(from, (job) => (job.targetId === targetId ? update(job) : undefined));
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
export function requeueFailedJobs(now: number, pk?: string): Promise<JobRecord[]> {
  return moveJobs(["failed"], (job) =>
    !pk || job.post.pk === pk
      ? { ...job, state: "queued", attempts: 0, nextAttemptAt: now, updatedAt: now }
      : undefined,
  );
}
