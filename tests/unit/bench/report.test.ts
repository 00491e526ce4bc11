import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { plotFigure } from "../../../bench/plot";
import { seededLatencies } from "../../../bench/queue";
import {
  BROWSER_NAMES,
  type BrowserReport,
  FIGURE_KEYS,
  passes,
  renderMarkdown,
  reportSchema,
} from "../../../bench/report";
import { median, percentile } from "../../../bench/stats";

const meta = {
  date: "2026-12-03 00:00",
  cpus: 2,
  loadAverageAtStart: [1.5, 1.2, 1],
  loadAverageAtEnd: [2, 1.5, 1],
};

function browserReport(overrides: Partial<BrowserReport> = {}): BrowserReport {
  return {
    version: "Chromium 156",
    contentScriptGzipBytes: 19_500,
    injectionLatencyMsP50: 1.2,
    injectionLatencyMsP95: 17,
    observerOverheadRatio: 1.02,
    shareLatencyMsP50: 40,
    shareLatencyMsP95: 90,
    shareLatencyColdMsP50: 200,
    shareLatencyColdMsP95: 420,
    popupFirstRowMsP50: 70,
    popupColdFirstRowMsP50: 130,
    popupColdFloorMsP50: 120,
    queueOverheadRatio: null,
    mediaBytesThroughExtension: 0,
    workerHeapMbAfter1000Jobs: 3.5,
    samples: { shareLatencyMsP95: { warm: [30, 40, 90] } },
    details: {},
    notes: { queueOverheadRatio: "not measured: a note | with a pipe" },
    ...overrides,
  };
}

const report = () => ({
  chromium: browserReport(),
  firefox: browserReport({ version: "Firefox 140" }),
  meta,
});

describe("the benchmark report", () => {
  it("has a column per browser, each with every figure, and accepts null for one not measured", () => {
    const parsed = reportSchema.parse(report());
    for (const name of BROWSER_NAMES) {
      expect(FIGURE_KEYS.every((key) => key in parsed[name])).toBe(true);
      expect(parsed[name].queueOverheadRatio).toBeNull();
    }
  });

  it("refuses a report with a browser or a figure missing, or a figure not a finite number", () => {
    const { firefox: _, ...oneBrowser } = report();
    expect(reportSchema.safeParse(oneBrowser).success).toBe(false);
    const { workerHeapMbAfter1000Jobs: __, ...missing } = browserReport();
    expect(reportSchema.safeParse({ ...report(), firefox: missing }).success).toBe(false);
    const nan = browserReport({ observerOverheadRatio: Number.NaN });
    expect(reportSchema.safeParse({ ...report(), chromium: nan }).success).toBe(false);
  });

  it("judges each figure against its goal; a figure without a goal or a value is not a pass", () => {
    const figures = browserReport();
    expect(passes("contentScriptGzipBytes", figures)).toBe(true);
    expect(passes("injectionLatencyMsP95", figures)).toBe(false);
    expect(passes("queueOverheadRatio", figures)).toBe(false);
    expect(passes("injectionLatencyMsP50", figures)).toBeUndefined();
    expect(passes("mediaBytesThroughExtension", browserReport({ mediaBytesThroughExtension: 1 }))).toBe(
      false,
    );
  });

  it("lets the cold popup pass within 1.15× of its measured floor, and no further", () => {
    expect(passes("popupColdFirstRowMsP50", browserReport())).toBe(true); // 130 ≤ 1.15 × 120
    expect(passes("popupColdFirstRowMsP50", browserReport({ popupColdFirstRowMsP50: 139 }))).toBe(false);
    expect(passes("popupColdFirstRowMsP50", browserReport({ popupColdFloorMsP50: null }))).toBe(false);
    expect(
      passes(
        "popupColdFirstRowMsP50",
        browserReport({ popupColdFirstRowMsP50: 95, popupColdFloorMsP50: 20 }),
      ),
    ).toBe(true);
  });

  it("writes REPORT.md with a row per figure, both browsers' values, the misses and a plot each", () => {
    const markdown = renderMarkdown(reportSchema.parse(report()));
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toHaveLength(FIGURE_KEYS.length);
    expect(rows.find((row) => row.includes("`contentScriptGzipBytes`"))).toContain(
      "| ≤ 20,000 | 19,500 bytes ✓ | 19,500 bytes ✓ |",
    );
    expect(rows.find((row) => row.includes("`injectionLatencyMsP95`"))).toContain(
      "| ≤ 16.0 | **17.0 ms — miss** | **17.0 ms — miss** |",
    );
    expect(markdown).toContain("- chromium: `injectionLatencyMsP95` = 17.0 ms, goal 16.0.");
    expect(markdown).toContain("- firefox: `queueOverheadRatio`: not measured: a note | with a pipe");
    for (const key of FIGURE_KEYS) expect(markdown).toContain(`![${key}](plots/${key}.svg)`);
  });

  it("plots a figure from its samples: a dot per sample, a bar at the figure, the goal dashed", () => {
    const svg = plotFigure("shareLatencyMsP95", reportSchema.parse(report()));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(6); // 3 samples in each browser
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain("chromium: warm");
    expect(plotFigure("queueOverheadRatio", reportSchema.parse(report()))).toContain("not measured");
  });
});

describe("the committed benchmark report", () => {
  // A path, not a URL: a DOM test environment may replace the global URL class.
  const benchDir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench");

  it("is well-formed, and REPORT.md has a row and a committed plot for every figure", () => {
    const committed = reportSchema.parse(JSON.parse(readFileSync(join(benchDir, "report.json"), "utf8")));
    const markdown = readFileSync(join(benchDir, "REPORT.md"), "utf8");
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
    for (const key of FIGURE_KEYS) {
      // Biome pads the table's columns, so the row is found by its first cell.
      const row = rows.find((line) => line.split("|")[1]?.trim() === `\`${key}\``);
      expect(row, key).toBeDefined();
      const unmeasured = BROWSER_NAMES.filter((name) => committed[name][key] === null).length;
      expect(row?.split("not measured").length, key).toBe(unmeasured + 1);
      expect(readFileSync(join(benchDir, "plots", `${key}.svg`), "utf8")).toBe(plotFigure(key, committed));
    }
  });
});

describe("the benchmark's Graph latency", () => {
  it("is 300–800 ms, the same for the n-th request of any run with that seed, and varies", () => {
    const run = seededLatencies(7);
    const latencies = Array.from({ length: 200 }, () => run());
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(800);
    expect(new Set(latencies).size).toBeGreaterThan(100);
    const again = seededLatencies(7);
    expect(Array.from({ length: 200 }, () => again())).toEqual(latencies);
    const otherSeed = seededLatencies(8);
    expect(Array.from({ length: 200 }, () => otherSeed())).not.toEqual(latencies);
  });
});

describe("the benchmark statistics", () => {
  it("takes medians and nearest-rank percentiles", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 50)).toBe(50);
    expect(() => median([])).toThrow();
  });
});
