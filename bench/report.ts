import * as z from "zod/mini";

/** Every figure `npm run bench` measures: its goal and how it is measured (issue 8). */
export const FIGURES = {
  contentScriptGzipBytes: {
    what: "gzip of all JS injected into every instagram.com page (both worlds)",
    unit: "bytes",
    goal: 20_000,
    how: "Each `js` file the built Chrome manifest injects on https://www.instagram.com/* (isolated and MAIN world), gzip level 9, summed.",
  },
  injectionLatencyMsP50: {
    what: "caption-step dialog inserted → our switch in the DOM, median",
    unit: "ms",
    goal: undefined,
    how: "In the page, Instagram's create flow from the composer fixtures, 60 times: upload → crop → caption step → caption step re-mounted in place → closed, each step's dialog replacing the last. performance.now() just before a caption-step dialog goes in, and again when a page MutationObserver sees our role=switch in it: 120 remounts, the cold first one included.",
  },
  injectionLatencyMsP95: {
    what: "caption-step dialog inserted → our switch in the DOM, 95th percentile",
    unit: "ms",
    goal: 16,
    how: "Same runs as the median.",
  },
  observerOverheadRatio: {
    what: "feed-like page doing ≥ 50,000 DOM mutations: time with the extension ÷ without",
    unit: "ratio",
    goal: 1.03,
    how: "The same feed page script (510 tasks of 10 posts appended, 10 recycled, 80 text nodes re-rendered, then the last post measured: 50,940 mutations) on www.instagram.com (our content scripts run) and on www.facebook.com (they do not), same browser, fresh page each run, alternating pairs; renderer main-thread CPU time (CDP ThreadTime), median of the per-pair ratios.",
  },
  popupFirstRowMsP50: {
    what: "popup.html opened with 10,000 shares in IndexedDB → first share row painted, median",
    unit: "ms",
    goal: 100,
    how: "10,000 jobs written into the extension's IndexedDB from one of its pages; popup.html opened in a new tab again and again; time from navigation start to the animation frame after the first `li.job` appears (recorded by an init script in the popup).",
  },
  queueOverheadRatio: {
    what: "200 photo shares through the queue (Graph stand-in, 20 ms latency) ÷ 200 plain sequential fetches from the worker",
    unit: "ratio",
    goal: 1.15,
    how: "200 jobs written as failed, then `jobs.retryFailed` from an extension page; in the worker, first `sending` write to last settled transaction (IDB put wrapped by the bench). Baseline: the same 200 POSTs (same URL, headers, body) with fetch in the worker, one after another. Alternating, median of per-pair ratios.",
  },
  mediaBytesThroughExtension: {
    what: "bytes of media the extension downloads or uploads for a photo share (url= route)",
    unit: "bytes",
    goal: 0,
    how: "A real share through the stand-in composer with the switch on; CDN bytes served during it (minus any the page itself loaded) plus multipart file bytes the Graph stand-in received.",
  },
  workerHeapMbAfter1000Jobs: {
    what: "service-worker JS heap after 1,000 finished jobs",
    unit: "MB",
    goal: 16,
    how: "Fresh browser; 1,000 photo jobs shared through the queue; then CDP HeapProfiler.collectGarbage and Runtime.getHeapUsage (usedSize) on the worker target.",
  },
} as const satisfies Record<string, { what: string; unit: string; goal: number | undefined; how: string }>;

export type FigureKey = keyof typeof FIGURES;
export const FIGURE_KEYS = Object.keys(FIGURES) as FigureKey[];

/** A figure as measured; null when its benchmark could not run (the reason is in `notes`). */
export type Figures = Record<FigureKey, number | null>;

const figureValue = z.nullable(z.number().check(z.refine(Number.isFinite, "figures are finite numbers")));

export const reportSchema = z.object({
  ...(Object.fromEntries(FIGURE_KEYS.map((key) => [key, figureValue])) as Record<
    FigureKey,
    typeof figureValue
  >),
  meta: z.object({
    date: z.string(),
    chromium: z.string(),
    cpus: z.number(),
    loadAverage: z.array(z.number()),
    /** Per figure: the raw samples and anything else worth keeping. */
    details: z.record(z.string(), z.unknown()),
    /** Per figure: why it is missing or what to know about it. */
    notes: z.record(z.string(), z.string()),
  }),
});
export type Report = z.infer<typeof reportSchema>;

export function passes(key: FigureKey, value: number | null): boolean | undefined {
  const goal: number | undefined = FIGURES[key].goal;
  if (goal === undefined) return undefined;
  return value !== null && value <= goal;
}

function formatNumber(value: number, unit: string): string {
  if (unit === "ratio") return value.toFixed(3);
  if (unit === "bytes") return Math.round(value).toLocaleString("en-US");
  return value.toFixed(value < 10 ? 2 : 1);
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** REPORT.md: the table the issue asks for, then the notes. */
export function renderMarkdown(report: Report): string {
  const rows = FIGURE_KEYS.map((key) => {
    const figure = FIGURES[key];
    const value = report[key];
    const pass = passes(key, value);
    const goal: number | undefined = figure.goal;
    return `| \`${key}\` | ${value === null ? "not measured" : `${formatNumber(value, figure.unit)} ${figure.unit}`} | ${
      goal === undefined ? "—" : `≤ ${formatNumber(goal, figure.unit)}`
    } | ${pass === undefined ? "—" : pass ? "pass" : "**fail**"} | ${cell(figure.how)} |`;
  });
  const notes = Object.entries(report.meta.notes).map(([key, note]) => `- \`${key}\`: ${note}`);
  const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");
  const atStart = report.meta.details.loadAverageAtStart;
  const startLoad =
    Array.isArray(atStart) && atStart.every((value) => typeof value === "number")
      ? `at the start: ${loads(atStart)}; `
      : "";
  return [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench\` on ${report.meta.date}, ${report.meta.chromium}, headless, ` +
      `${report.meta.cpus} CPUs shared with other work (load average ${startLoad}at the end: ${loads(report.meta.loadAverage)}). ` +
      "Raw samples are in `report.json`.",
    "",
    "| figure | value | goal | pass/fail | how measured |",
    "|---|---|---|---|---|",
    ...rows,
    ...(notes.length ? ["", "## Notes", "", ...notes] : []),
    "",
  ].join("\n");
}
