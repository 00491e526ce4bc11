import type { DiagnosticRecords } from "../db/diagnostics";
import type { EventRecord, JobState } from "../db/schema";

/** Where this copy runs, for a bug report. */
export interface About {
  extensionVersion: string;
  browser: string;
}

export interface DiagnosticEntry {
  at: number;
  message: string;
}

export interface Diagnostics {
  about: About;
  /** Times the composer was not recognized, newest first. */
  unrecognized: DiagnosticEntry[];
  /** Failed shares and data problems, newest first. */
  errors: DiagnosticEntry[];
  jobCounts: Record<JobState, number>;
  accountCounts: { pages: number; profiles: number; needsSignin: number };
  /** The same, as text the user can paste into a bug report; no token in it. */
  report: string;
}

const SHOWN = 20;
const STATES: JobState[] = ["queued", "sending", "shared", "failed", "needs-signin", "cancelled"];

/** The records a report is built from: the whole (short) log, and the jobs whose errors it lists. */
export const DIAGNOSTIC_RECORDS = {
  events: 500,
  states: ["failed", "needs-signin"],
  jobsPerState: SHOWN,
} as const satisfies { events: number; states: readonly JobState[]; jobsPerState: number };

// Facebook tokens start "EAA"; any long run of token characters after a token-ish word goes too.
const TOKEN_PATTERNS = [/\bEA[A-Za-z0-9]{10,}/g, /(access_token|token|secret)([=:"\s]+)[\w.|-]{8,}/gi];
const REMOVED = "[removed]";

/** Takes every token out of a text: the ones we hold, and anything shaped like one. */
export function redact(text: string, knownSecrets: string[]): string {
  let out = text;
  for (const secret of knownSecrets) if (secret.length >= 4) out = out.split(secret).join(REMOVED);
  out = out.replace(TOKEN_PATTERNS[0] as RegExp, REMOVED);
  return out.replace(
    TOKEN_PATTERNS[1] as RegExp,
    (_, word: string, gap: string) => `${word}${gap}${REMOVED}`,
  );
}

const entry = (event: EventRecord): DiagnosticEntry => ({ at: event.at, message: event.message });
const stamp = (at: number) => new Date(at).toISOString();

/** The report over records read at one moment (DIAGNOSTIC_RECORDS says which); no token in it. */
export function buildDiagnostics(
  about: About,
  { accounts, events, jobCounts: counted, jobs }: DiagnosticRecords,
): Diagnostics {
  const secrets = accounts.flatMap((account) => (account.token ? [account.token] : []));
  const clean = (item: DiagnosticEntry) => ({ at: item.at, message: redact(item.message, secrets) });

  const unrecognized = events
    .filter((event) => event.type === "composer-unrecognized")
    .slice(0, SHOWN)
    .map(entry)
    .map(clean);
  const errors = [
    ...events.filter((event) => event.type === "share-failed" || event.type === "data").map(entry),
    ...jobs.flatMap((job) =>
      job.lastError ? [{ at: job.lastError.at, message: `${job.targetName}: ${job.lastError.message}` }] : [],
    ),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, SHOWN)
    .map(clean);
  const jobCounts = Object.fromEntries(STATES.map((state) => [state, counted[state] ?? 0])) as Record<
    JobState,
    number
  >;
  const accountCounts = {
    pages: accounts.filter((account) => account.kind === "page").length,
    profiles: accounts.filter((account) => account.kind === "profile").length,
    needsSignin: accounts.filter((account) => account.status === "needs-signin").length,
  };

  const report = redact(
    [
      "alsoshare diagnostics",
      `extension: ${about.extensionVersion}`,
      `browser: ${about.browser}`,
      `accounts: ${accountCounts.pages} page(s), ${accountCounts.profiles} profile(s), ${accountCounts.needsSignin} need sign-in`,
      `shares: ${STATES.map((state) => `${state} ${jobCounts[state]}`).join(", ")}`,
      "",
      "composer not recognized:",
      ...(unrecognized.length
        ? unrecognized.map((item) => `  ${stamp(item.at)} ${item.message}`)
        : ["  none"]),
      "",
      "recent errors:",
      ...(errors.length ? errors.map((item) => `  ${stamp(item.at)} ${item.message}`) : ["  none"]),
    ].join("\n"),
    secrets,
  );
  return { about, unrecognized, errors, jobCounts, accountCounts, report };
}
