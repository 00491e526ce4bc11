import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChromiumHarness } from "../tests/support/browsers";
import { type Standins, startStandins } from "../tests/support/standins";
import { launch } from "./chromium";
import { measureInjection } from "./injection";
import { measureMediaBytes } from "./media";
import { measureObserverOverhead } from "./observer";
import { measurePopup } from "./popup";
import { linkBenchPage, measureQueueOverhead, measureWorkerHeap } from "./queue";
import {
  FIGURE_KEYS,
  FIGURES,
  type FigureKey,
  passes,
  type Report,
  renderMarkdown,
  reportSchema,
} from "./report";
import { contentScriptGzip } from "./size";
import { round } from "./stats";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const EXTENSION_DIR = resolve(process.env.ALSOSHARE_OUT_DIR ?? resolve(BENCH_DIR, "out/build"), "chrome-mv3");
/** `--only key,key`: run some figures only (the others are reported as not measured). */
const only = process.argv.includes("--only")
  ? process.argv[process.argv.indexOf("--only") + 1]?.split(",")
  : undefined;

const figures = Object.fromEntries(FIGURE_KEYS.map((key) => [key, null])) as Record<FigureKey, number | null>;
const details: Record<string, unknown> = {};
const notes: Record<string, string> = {};

function progress(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** One benchmark in its own browser (and stand-ins), so none inherits another's state. */
async function bench(
  keys: FigureKey[],
  title: string,
  run: (context: { harness: ChromiumHarness; standins: Standins }) => Promise<void>,
) {
  if (only && !keys.some((key) => only.includes(key))) return;
  progress(`${title}…`);
  const started = Date.now();
  let standins: Standins | undefined;
  let harness: ChromiumHarness | undefined;
  try {
    standins = await startStandins();
    harness = await launch(EXTENSION_DIR, standins);
    await run({ harness, standins });
    progress(
      `${title}: ${keys.map((key) => `${key} = ${figures[key]}`).join(", ")} (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    for (const key of keys) notes[key] = `not measured: ${reason}`;
    progress(`${title} FAILED: ${reason}`);
  } finally {
    await harness?.close().catch(() => undefined);
    await standins?.stop().catch(() => undefined);
  }
}

function writeMarkdown(report: Report, outDir: string) {
  const analysisFile = resolve(BENCH_DIR, "analysis.md");
  const analysis = existsSync(analysisFile) ? `\n${readFileSync(analysisFile, "utf8")}` : "";
  return writeFile(resolve(outDir, "REPORT.md"), renderMarkdown(report) + analysis);
}

async function main() {
  // `--render`: REPORT.md again from report.json (after editing analysis.md), without measuring.
  if (process.argv.includes("--render")) {
    await writeMarkdown(
      reportSchema.parse(JSON.parse(readFileSync(resolve(BENCH_DIR, "report.json"), "utf8"))),
      BENCH_DIR,
    );
    progress("wrote bench/REPORT.md from bench/report.json");
    return;
  }
  details.loadAverageAtStart = loadavg().map((value) => round(value, 2));
  if (!existsSync(resolve(EXTENSION_DIR, "manifest.json"))) {
    throw new Error(`No build in ${EXTENSION_DIR}: run \`npm run bench\` (it builds first).`);
  }
  progress(
    `extension: ${EXTENSION_DIR}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );

  if (!only || only.includes("contentScriptGzipBytes")) {
    const size = await contentScriptGzip(EXTENSION_DIR);
    figures.contentScriptGzipBytes = size.total;
    details.contentScriptGzipBytes = size.files;
    progress(`contentScriptGzipBytes = ${size.total}`);
  }

  await bench(
    ["injectionLatencyMsP50", "injectionLatencyMsP95"],
    "caption-step injection latency",
    async ({ harness }) => {
      const result = await measureInjection(harness, 60);
      figures.injectionLatencyMsP50 = result.p50;
      figures.injectionLatencyMsP95 = result.p95;
      details.injectionLatency = result.details;
    },
  );

  await bench(
    ["observerOverheadRatio"],
    "observer overhead on a 50,000-mutation feed",
    async ({ harness }) => {
      // 24 pairs: single pairs on this shared machine spread ±15 %, so the median needs many.
      const result = await measureObserverOverhead(harness, 24, 510);
      figures.observerOverheadRatio = result.ratio;
      details.observerOverheadRatio = result.details;
      notes.observerOverheadRatio =
        '"Without" is the same page, served the same way, on www.facebook.com in the same browser: ' +
        "only the origin differs, so the only change is whether our content scripts run. A second browser " +
        "without the extension would add the noise of another browser instance and process layout to a " +
        "difference of a few percent. Compared on renderer main-thread CPU time (CDP ThreadTime); wall " +
        "clock is in details. The headline feed measures its last item after each batch (layout), as a " +
        "virtualized feed does; `domOnlyWorstCase` in details skips layout, so the page does nothing but mutate.";
    },
  );

  await bench(["popupFirstRowMsP50"], "popup with 10,000 shares", async ({ harness, standins }) => {
    const photo = await linkBenchPage(harness, standins);
    const result = await measurePopup(harness, photo, 10_000, 8);
    figures.popupFirstRowMsP50 = result.p50;
    details.popupFirstRowMsP50 = result.details;
    notes.popupFirstRowMsP50 =
      `Worker running; with the worker stopped first (as after 30 s idle) the median is ` +
      `${result.details.stoppedWorkerP50} ms (in details).`;
  });

  await bench(
    ["queueOverheadRatio"],
    "queue overhead, 200 photo shares at 20 ms",
    async ({ harness, standins }) => {
      const result = await measureQueueOverhead(harness, standins, { count: 200, pairs: 5, latencyMs: 20 });
      figures.queueOverheadRatio = result.ratio;
      details.queueOverheadRatio = result.details;
    },
  );

  await bench(
    ["mediaBytesThroughExtension"],
    "media bytes through the extension",
    async ({ harness, standins }) => {
      const result = await measureMediaBytes(harness, standins);
      figures.mediaBytesThroughExtension = result.bytes;
      details.mediaBytesThroughExtension = result.details;
    },
  );

  await bench(
    ["workerHeapMbAfter1000Jobs"],
    "worker heap after 1,000 jobs",
    async ({ harness, standins }) => {
      const result = await measureWorkerHeap(harness, standins, 1000);
      figures.workerHeapMbAfter1000Jobs = result.mb;
      details.workerHeapMbAfter1000Jobs = result.details;
    },
  );

  const report: Report = reportSchema.parse({
    ...figures,
    meta: {
      date: new Date().toISOString().slice(0, 16).replace("T", " "),
      chromium: execFileSync("/usr/bin/chromium", ["--version"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim(),
      cpus: cpus().length,
      loadAverage: loadavg().map((value) => round(value, 2)),
      details,
      notes,
    },
  });
  // A partial run (--only) must not overwrite the committed report.
  const outDir = only ? resolve(BENCH_DIR, "out") : BENCH_DIR;
  await writeFile(resolve(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeMarkdown(report, outDir);

  for (const key of FIGURE_KEYS) {
    const pass = passes(key, report[key]);
    progress(
      `${key}: ${report[key] ?? "not measured"} ${FIGURES[key].unit} ${pass === undefined ? "" : pass ? "pass" : "FAIL"}`,
    );
  }
  progress(`wrote ${outDir}/report.json and REPORT.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
