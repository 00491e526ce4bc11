import { openDatabase } from "./open";
import type { AccountRecord, EventRecord, JobRecord, JobState } from "./schema";

/** What a diagnostics report is made from, read at one moment. */
export interface DiagnosticRecords {
  accounts: AccountRecord[];
  /** Newest first. */
  events: EventRecord[];
  /** Jobs per state; a state no job is in is absent. */
  jobCounts: Partial<Record<JobState, number>>;
  /** Up to `jobsPerState` jobs of each state asked for. */
  jobs: JobRecord[];
}

/**
 * Reads the records a diagnostics report needs in one transaction, so the counts and the lists
 * agree: every account, the newest `events`, the number of jobs per state, and some jobs of `states`.
 */
export async function readDiagnosticRecords(wanted: {
  events: number;
  states: readonly JobState[];
  jobsPerState: number;
}): Promise<DiagnosticRecords> {
  const db = await openDatabase();
  const tx = db.transaction(["accounts", "events", "jobs"]);
  const byState = tx.objectStore("jobs").index("by-state");
  const countStates = async () => {
    const counts: Partial<Record<JobState, number>> = {};
    let cursor = await byState.openKeyCursor(null, "nextunique");
    while (cursor) {
      counts[cursor.key] = await byState.count(cursor.key);
      cursor = await cursor.continue();
    }
    return counts;
  };
  const [accounts, events, jobCounts, jobs] = await Promise.all([
    tx.objectStore("accounts").getAll(),
    // The log is trimmed to a few hundred entries, so reading it whole costs little.
    tx.objectStore("events").index("by-at").getAll(),
    countStates(),
    Promise.all(wanted.states.map((state) => byState.getAll(state, wanted.jobsPerState))),
    tx.done,
  ]);
  return {
    accounts,
    events: events.reverse().slice(0, wanted.events),
    jobCounts,
    jobs: jobs.flat(),
  };
}
