import { addEvents, type NewEvent } from "./events";
import { SETTINGS_KEY } from "./names";
import { allOrNothing, type Database, openDatabase } from "./open";
import { type AccountRecord, isReadableJob, type JobRecord, type JobState } from "./schema";

export async function listAccounts(db?: Database): Promise<AccountRecord[]> {
  return (db ?? (await openDatabase())).getAll("accounts");
}

export async function getAccount(id: string): Promise<AccountRecord | undefined> {
  return (await openDatabase()).get("accounts", id);
}

export async function putAccount(account: AccountRecord): Promise<void> {
  const db = await openDatabase();
  await db.put("accounts", account);
}

/** What is stored about one account when a change to it is planned. */
export interface AccountScene {
  /** The account as stored, if it is. */
  account: AccountRecord | undefined;
  /** The other linked accounts. */
  others: AccountRecord[];
  /** Its jobs in the states asked for. */
  jobs: JobRecord[];
  /** The settings record as stored (unchecked). */
  settings: unknown;
}

/** What the change writes; everything left out stays as it is. */
export interface AccountPlan<Answer> {
  /** The account's new record, or "delete". */
  account?: AccountRecord | "delete";
  /** Jobs to write (new records of jobs from the scene). */
  jobs?: JobRecord[];
  /** The new settings record. */
  settings?: unknown;
  events?: NewEvent[];
  answer: Answer;
}

/**
 * Changes one account, its jobs, the settings and the activity log in one durable transaction:
 * link again, unlink, a sign-in that died. `plan` sees what is stored and says what to write; it
 * runs inside the transaction, so it must not await, and if it throws nothing is written.
 */
export async function changeAccount<Answer>(
  id: string,
  jobStates: JobState[],
  plan: (scene: AccountScene) => AccountPlan<Answer>,
): Promise<Answer> {
  const db = await openDatabase();
  const tx = db.transaction(["accounts", "jobs", "settings", "events"], "readwrite", {
    durability: "strict",
  });
  return allOrNothing(tx, async () => {
    const accounts = tx.objectStore("accounts");
    const jobs = tx.objectStore("jobs");
    const [all, found, settings] = await Promise.all([
      accounts.getAll(),
      Promise.all(jobStates.map((state) => jobs.index("by-state").getAll(state))),
      tx.objectStore("settings").get(SETTINGS_KEY),
    ]);
    const scene: AccountScene = {
      account: all.find((account) => account.id === id),
      others: all.filter((account) => account.id !== id),
      jobs: found.flat().filter((job) => job.targetId === id && isReadableJob(job)),
      settings,
    };
    // A plan that refuses (throws) leaves everything as it was.
    const change = plan(scene);
    await Promise.all([
      change.account === "delete" ? accounts.delete(id) : change.account && accounts.put(change.account),
      ...(change.jobs ?? []).map((job) => jobs.put(job)),
      change.settings !== undefined && tx.objectStore("settings").put(change.settings, SETTINGS_KEY),
      addEvents(tx.objectStore("events"), change.events ?? []),
    ]);
    return change.answer;
  });
}
