import * as z from "zod/mini";

/** Every figure `npm run bench` measures, in each browser: its goal and how it is measured. */
export const FIGURES = {
  contentScriptGzipBytes: {
    unit: "bytes",
    goal: 20_000,
    how: "Each `js` file the built manifest injects on https://www.instagram.com/* (isolated and MAIN world), gzip level 9, summed.",
  },
  injectionLatencyMsP50: {
    unit: "ms",
    goal: undefined,
    how: "In the page, Instagram's create flow from the composer fixtures, 60 times: upload → crop → caption step → caption step re-mounted in place → closed. performance.now() just before a caption-step dialog goes in, and when a page MutationObserver sees our role=switch in it: 120 remounts, the cold first one included; median.",
  },
  injectionLatencyMsP95: {
    unit: "ms",
    goal: 16,
    how: "Same remounts, 95th percentile (a missed remount counts as 2 s).",
  },
  observerOverheadRatio: {
    unit: "ratio",
    goal: 1.03,
    how: "The same feed page script (510 tasks of 10 posts appended, 10 recycled, 80 text nodes re-rendered, the last post measured: 50,940 mutations) on www.instagram.com (our content scripts run) and www.facebook.com (they do not), same browser, alternating pairs; compared on CPU time: Chromium the renderer's main thread (CDP ThreadTime), Firefox the content process's main thread (ChromeUtils.requestProcInfo, from a privileged page); median of per-pair ratios.",
  },
  shareLatencyMsP50: {
    unit: "ms",
    goal: undefined,
    how: "Photo shares through the stand-in composer, switch on, background running: Instagram's configure answer leaving the stand-in → the first publishing request (/photos, /feed, /videos, /video_reels) reaching the Graph stand-in, both on the stand-ins' clock; median.",
  },
  shareLatencyMsP95: {
    unit: "ms",
    goal: 150,
    how: "Same shares, 95th percentile.",
  },
  shareLatencyColdMsP50: {
    unit: "ms",
    goal: undefined,
    how: "The same, alternating with the warm shares, with the background stopped just before Share is pressed (Chromium: CDP ServiceWorker.stopAllWorkers; Firefox: the add-on's terminateBackground, as about:debugging does); median.",
  },
  shareLatencyColdMsP95: {
    unit: "ms",
    goal: 600,
    how: "Same cold shares, 95th percentile.",
  },
  popupFirstRowMsP50: {
    unit: "ms",
    goal: 100,
    how: "10,000 shares written into the extension's IndexedDB; popup.html opened in a new tab again and again, background running (asked for the popup's state just before, since the run before left it stopped); navigation start → the animation frame after the first `li.job` appears (bench/extension/first-row.js, put first in the bench build's popup.html); median.",
  },
  popupColdFirstRowMsP50: {
    unit: "ms",
    goal: 100,
    how: "The same, with the background stopped first (as after the browser's idle timeout), alternating with the warm opens; median. Passes at ≤ 100 ms, or within 1.15× of `popupColdFloorMsP50` measured in the same run.",
  },
  popupColdFloorMsP50: {
    unit: "ms",
    goal: undefined,
    how: "The floor: bench/extension/floor.html, a page of the extension's origin with no framework that reads the same 20 newest rows from IndexedDB itself and shows them, background stopped first, alternating with the popup's opens; median.",
  },
  queueOverheadRatio: {
    unit: "ratio",
    goal: 1.02,
    how: "30 photo shares written as failed, then `jobs.retryFailed` from an extension page, to the last stored as shared (IndexedDB read every 20 ms); against the same 30 POSTs (URL, headers, body) by a plain fetch loop from the same page. The Graph stand-in answers each request in 300–800 ms, seeded per request so both runs of a pair wait alike. Alternating pairs, median of per-pair ratios.",
  },
  mediaBytesThroughExtension: {
    unit: "bytes",
    goal: 0,
    how: "A photo and a reel shared through the stand-in composer with the switch on; CDN bytes served meanwhile (the stand-in composer loads none itself) plus file bytes Graph and Facebook's upload host received.",
  },
  workerHeapMbAfter1000Jobs: {
    unit: "MB",
    goal: 16,
    how: "Fresh browser; 1,000 photo shares through the queue; then the background's JS heap after a full GC. Chromium: CDP HeapProfiler.collectGarbage and Runtime.getHeapUsage (usedSize) on the worker. Firefox: from a privileged page, nsIMemoryReporterManager.minimizeMemoryUsage, then the bytes about:memory's reporters give the background page's JS realm (its whole window, DOM included, in details).",
  },
} as const satisfies Record<string, { unit: string; goal: number | undefined; how: string }>;

export type FigureKey = keyof typeof FIGURES;
export const FIGURE_KEYS = Object.keys(FIGURES) as FigureKey[];
export const BROWSER_NAMES = ["chromium", "firefox"] as const;
export type BenchBrowserName = (typeof BROWSER_NAMES)[number];

/** The cold popup may sit this close above its floor: the browser's own start-up is not ours. */
export const COLD_POPUP_FLOOR_FACTOR = 1.15;

const figureValue = z.nullable(z.number().check(z.refine(Number.isFinite, "figures are finite numbers")));
/** Per figure, named series of raw samples (e.g. warm, cold), for the plots. */
const samplesSchema = z.record(z.string(), z.record(z.string(), z.array(z.number())));

const browserReportSchema = z.object({
  ...(Object.fromEntries(FIGURE_KEYS.map((key) => [key, figureValue])) as Record<
    FigureKey,
    typeof figureValue
  >),
  version: z.string(),
  samples: samplesSchema,
  /** Per figure: anything else worth keeping. */
  details: z.record(z.string(), z.unknown()),
  /** Per figure: why it is missing or what to know about it. */
  notes: z.record(z.string(), z.string()),
});
export type BrowserReport = z.infer<typeof browserReportSchema>;

export const reportSchema = z.object({
  chromium: browserReportSchema,
  firefox: browserReportSchema,
  meta: z.object({
    date: z.string(),
    cpus: z.number(),
    loadAverageAtStart: z.array(z.number()),
    loadAverageAtEnd: z.array(z.number()),
  }),
});
export type Report = z.infer<typeof reportSchema>;

export function goalOf(key: FigureKey, figures: BrowserReport): number | undefined {
  const goal: number | undefined = FIGURES[key].goal;
  if (key !== "popupColdFirstRowMsP50" || goal === undefined) return goal;
  const floor = figures.popupColdFloorMsP50;
  return floor === null ? goal : Math.max(goal, floor * COLD_POPUP_FLOOR_FACTOR);
}

export function passes(key: FigureKey, figures: BrowserReport): boolean | undefined {
  const goal = goalOf(key, figures);
  const value = figures[key];
  if (goal === undefined) return undefined;
  return value !== null && value <= goal;
}

export function formatNumber(value: number, unit: string): string {
  if (unit === "ratio") return value.toFixed(3);
  if (unit === "bytes") return Math.round(value).toLocaleString("en-US");
  return value.toFixed(value < 10 ? 2 : 1);
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function valueCell(key: FigureKey, figures: BrowserReport): string {
  const value = figures[key];
  if (value === null) return "not measured";
  const pass = passes(key, figures);
  const shown = `${formatNumber(value, FIGURES[key].unit)} ${FIGURES[key].unit}`;
  return pass === false ? `**${shown} — miss**` : pass ? `${shown} ✓` : shown;
}

function goalCell(key: FigureKey): string {
  const goal: number | undefined = FIGURES[key].goal;
  if (goal === undefined) return "—";
  const base = `≤ ${formatNumber(goal, FIGURES[key].unit)}`;
  return key === "popupColdFirstRowMsP50" ? `${base}, or ≤ ${COLD_POPUP_FLOOR_FACTOR}× the floor` : base;
}

const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");

/** REPORT.md: the table, the misses, a plot per figure, then the notes. */
export function renderMarkdown(report: Report): string {
  const rows = FIGURE_KEYS.map(
    (key) =>
      `| \`${key}\` | ${goalCell(key)} | ${valueCell(key, report.chromium)} | ${valueCell(key, report.firefox)} | ${cell(FIGURES[key].how)} |`,
  );
  const misses = BROWSER_NAMES.flatMap((name) =>
    FIGURE_KEYS.filter((key) => report[name][key] !== null && passes(key, report[name]) === false).map(
      (key) =>
        `- ${name}: \`${key}\` = ${formatNumber(report[name][key] as number, FIGURES[key].unit)} ${FIGURES[key].unit}, goal ${formatNumber(goalOf(key, report[name]) as number, FIGURES[key].unit)}.`,
    ),
  );
  const unmeasured = BROWSER_NAMES.flatMap((name) =>
    FIGURE_KEYS.filter((key) => report[name][key] === null).map(
      (key) => `- ${name}: \`${key}\`: ${report[name].notes[key] ?? "not measured"}`,
    ),
  );
  const notes = BROWSER_NAMES.flatMap((name) =>
    Object.entries(report[name].notes)
      .filter(([key]) => report[name][key as FigureKey] !== null)
      .map(([key, note]) => `- ${name}, \`${key}\`: ${note}`),
  );
  return [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench\` on ${report.meta.date}: ${report.chromium.version} and ${report.firefox.version}, ` +
      `both headless, one after the other figure by figure, on ${report.meta.cpus} CPUs ` +
      `(load average at the start ${loads(report.meta.loadAverageAtStart)}; at the end ${loads(report.meta.loadAverageAtEnd)}). ` +
      "Raw samples are in `report.json`; each plot below is drawn from them by the bench.",
    "",
    "| figure | goal | Chromium | Firefox | how measured |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    "## Goals missed",
    "",
    ...(misses.length ? misses : ["None."]),
    ...(unmeasured.length ? ["", "Not measured:", "", ...unmeasured] : []),
    "",
    "## Plots",
    "",
    "Each dot is one sample; the short bar is the figure (its median or 95th percentile); the dashed line is the goal.",
    "",
    ...FIGURE_KEYS.flatMap((key) => [`![${key}](plots/${key}.svg)`, ""]),
    ...(notes.length ? ["## Notes", "", ...notes, ""] : []),
  ].join("\n");
}
