import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FIGURE_KEYS, type Figures, passes, renderMarkdown, reportSchema } from "../../../bench/report";
import { median, percentile } from "../../../bench/stats";

const meta = {
  date: "2026-11-22 00:00",
  chromium: "Chromium 156.0.8078.79",
  cpus: 2,
  loadAverage: [1.5, 1.2, 1],
  details: {},
  notes: { queueOverheadRatio: "a note | with a pipe" },
};

const figures: Figures = {
  contentScriptGzipBytes: 19_500,
  injectionLatencyMsP50: 1.2,
  injectionLatencyMsP95: 17,
  observerOverheadRatio: 1.02,
  popupFirstRowMsP50: 70,
  queueOverheadRatio: null,
  mediaBytesThroughExtension: 0,
  workerHeapMbAfter1000Jobs: 3.5,
};

describe("the benchmark report", () => {
  it("has one key per figure, and accepts null for a figure that could not be measured", () => {
    const report = reportSchema.parse({ ...figures, meta });
    expect(FIGURE_KEYS.every((key) => key in report)).toBe(true);
    expect(report.queueOverheadRatio).toBeNull();
  });

  it("refuses a report with a figure missing or not a finite number", () => {
    const { workerHeapMbAfter1000Jobs: _, ...missing } = figures;
    expect(reportSchema.safeParse({ ...missing, meta }).success).toBe(false);
    expect(reportSchema.safeParse({ ...figures, observerOverheadRatio: Number.NaN, meta }).success).toBe(
      false,
    );
    expect(reportSchema.safeParse({ ...figures, observerOverheadRatio: "1.02", meta }).success).toBe(false);
  });

  it("judges each figure against its goal; a figure without a goal or a value is not a pass", () => {
    expect(passes("contentScriptGzipBytes", 19_500)).toBe(true);
    expect(passes("injectionLatencyMsP95", 17)).toBe(false);
    expect(passes("mediaBytesThroughExtension", 0)).toBe(true);
    expect(passes("mediaBytesThroughExtension", 1)).toBe(false);
    expect(passes("queueOverheadRatio", null)).toBe(false);
    expect(passes("injectionLatencyMsP50", 1.2)).toBeUndefined();
  });

  it("writes REPORT.md as a table row per figure with value, goal and verdict", () => {
    const markdown = renderMarkdown(reportSchema.parse({ ...figures, meta }));
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toHaveLength(FIGURE_KEYS.length);
    expect(rows.find((row) => row.includes("`contentScriptGzipBytes`"))).toContain(
      "| 19,500 bytes | ≤ 20,000 | pass |",
    );
    expect(rows.find((row) => row.includes("`injectionLatencyMsP95`"))).toContain(
      "| 17.0 ms | ≤ 16.0 | **fail** |",
    );
    expect(rows.find((row) => row.includes("`queueOverheadRatio`"))).toContain(
      "| not measured | ≤ 1.150 | **fail** |",
    );
    expect(markdown).toContain("- `queueOverheadRatio`: a note | with a pipe");
  });
});

describe("the committed benchmark report", () => {
  // A path, not a URL: a DOM test environment may replace the global URL class.
  const benchDir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench");

  it("is well-formed, and REPORT.md has a row for every figure in it", () => {
    const report = reportSchema.parse(JSON.parse(readFileSync(join(benchDir, "report.json"), "utf8")));
    const markdown = readFileSync(join(benchDir, "REPORT.md"), "utf8");
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
    for (const key of FIGURE_KEYS) {
      // Biome pads the table's columns, so the row is found by its first cell.
      const row = rows.find((line) => line.split("|")[1]?.trim() === `\`${key}\``);
      expect(row, key).toBeDefined();
      expect(row?.includes("not measured")).toBe(report[key] === null);
    }
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
