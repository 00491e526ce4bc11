import { BROWSER_NAMES, FIGURES, type FigureKey, formatNumber, goalOf, type Report } from "./report";

const WIDTH = 720;
const LABEL_WIDTH = 170;
const ROW_HEIGHT = 26;
const TOP = 34;
const BOTTOM = 34;
const COLORS = { chromium: "#1a73e8", firefox: "#e66000" } as const;

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Round steps for the axis: 1, 2 or 5 times a power of ten. */
function ticks(max: number): number[] {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, index) => index * step);
}

/**
 * One figure's samples as an SVG strip plot: a row per browser and series, a dot per sample, a bar
 * at the figure's value, the goal as a dashed line. Drawn from the report alone.
 */
export function plotFigure(key: FigureKey, report: Report): string {
  const { unit } = FIGURES[key];
  const rows = BROWSER_NAMES.flatMap((name) =>
    Object.entries(report[name].samples[key] ?? {}).map(([series, samples]) => ({
      name,
      series,
      samples,
      value: report[name][key],
      goal: goalOf(key, report[name]),
    })),
  );
  const values = rows.flatMap((row) => [...row.samples, row.value ?? 0, row.goal ?? 0]);
  const low = Math.min(0, ...values);
  const high = Math.max(...values, unit === "ratio" ? 1.1 : 1) * 1.05;
  const plotWidth = WIDTH - LABEL_WIDTH - 20;
  const x = (value: number) => LABEL_WIDTH + ((value - low) / (high - low)) * plotWidth;
  const height = TOP + Math.max(1, rows.length) * ROW_HEIGHT + BOTTOM;
  const axisY = height - BOTTOM;

  const summary = BROWSER_NAMES.map((name) => {
    const value = report[name][key];
    return `${name} ${value === null ? "not measured" : formatNumber(value, unit)}`;
  }).join(", ");
  const parts: string[] = [
    `<text x="10" y="20" font-weight="bold">${escapeXml(key)} (${escapeXml(unit)})</text>`,
    `<line x1="${LABEL_WIDTH}" y1="${axisY}" x2="${WIDTH - 20}" y2="${axisY}" stroke="#555"/>`,
  ];
  for (const tick of ticks(high - low).map((tick) => tick + low)) {
    if (tick > high) continue;
    parts.push(
      `<line x1="${x(tick)}" y1="${axisY}" x2="${x(tick)}" y2="${axisY + 4}" stroke="#555"/>`,
      `<text x="${x(tick)}" y="${axisY + 17}" text-anchor="middle" font-size="11">${escapeXml(formatNumber(tick, unit))}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
    const color = COLORS[row.name];
    parts.push(
      `<text x="10" y="${y + 4}" font-size="12" fill="${color}">${escapeXml(`${row.name}: ${row.series}`)}</text>`,
      `<line x1="${LABEL_WIDTH}" y1="${y}" x2="${WIDTH - 20}" y2="${y}" stroke="#eee"/>`,
      ...row.samples.map(
        (sample) =>
          `<circle cx="${x(sample).toFixed(1)}" cy="${y}" r="3.5" fill="${color}" fill-opacity="0.45"/>`,
      ),
    );
    if (row.value !== null) {
      parts.push(
        `<line x1="${x(row.value)}" y1="${y - 9}" x2="${x(row.value)}" y2="${y + 9}" stroke="${color}" stroke-width="3"/>`,
      );
    }
    if (row.goal !== undefined) {
      parts.push(
        `<line x1="${x(row.goal)}" y1="${y - 12}" x2="${x(row.goal)}" y2="${y + 12}" stroke="#c5221f" stroke-dasharray="4 3"/>`,
      );
    }
  });
  if (rows.length === 0) parts.push(`<text x="${LABEL_WIDTH}" y="${TOP + 16}">not measured</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(`${key} (${unit}): ${summary}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
