import { formatFigure } from './stats.js';

export interface LineChart {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly label: string; readonly points: readonly { readonly x: number; readonly y: number }[] }[];
}

const WIDTH = 760;
const LEGEND_LINE = 20;
const MARGIN = { top: 60, right: 40, bottom: 56, left: 84 };
const PLOT_HEIGHT = 300;
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df'];

/**
 * A dependency-free SVG line chart: x values as evenly spaced categories (1, 4, 16, 64 concurrent
 * callers), y linear from zero, every point labelled with its value so the chart reads without the table.
 */
export function renderLineChart(chart: LineChart): string {
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const maxY = Math.max(1, ...chart.series.flatMap((s) => s.points.map((p) => p.y)));
  const ticks = niceTicks(maxY);
  const top = ticks[ticks.length - 1];
  const legendHeight = chart.series.length * LEGEND_LINE + 12;
  const plotTop = MARGIN.top + legendHeight;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PLOT_HEIGHT;
  const height = plotTop + plotHeight + MARGIN.bottom;
  // Points sit inside the plot, not on its left and right edges, so their labels stay readable.
  const inset = xs.length === 1 ? 0 : plotWidth / (2 * xs.length);
  const xOf = (x: number) => MARGIN.left + (xs.length === 1 ? plotWidth / 2 : inset + (xs.indexOf(x) * (plotWidth - 2 * inset)) / (xs.length - 1));
  const yOf = (y: number) => plotTop + plotHeight - (y / top) * plotHeight;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="26" font-size="16" font-weight="bold" fill="#1f2328">${escape(chart.title)}</text>`);
  if (chart.subtitle) parts.push(`<text x="${MARGIN.left}" y="46" fill="#59636e">${escape(chart.subtitle)}</text>`);
  for (const tick of ticks) {
    const y = yOf(tick);
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotWidth}" y2="${y}" stroke="#d1d9e0" stroke-width="1"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end" fill="#59636e">${formatFigure(tick)}</text>`);
  }
  for (const x of xs) {
    parts.push(`<text x="${xOf(x)}" y="${plotTop + plotHeight + 20}" text-anchor="middle" fill="#1f2328">${x}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" y1="${plotTop + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${plotTop + plotHeight}" stroke="#59636e"/>`);
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle" fill="#1f2328">${escape(chart.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(20 ${plotTop + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#1f2328">${escape(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const points = [...series.points].sort((a, b) => a.x - b.x);
    if (points.length > 1) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((p) => `${xOf(p.x)},${yOf(p.y)}`).join(' ')}"/>`);
    }
    for (const p of points) {
      parts.push(`<circle cx="${xOf(p.x)}" cy="${yOf(p.y)}" r="4" fill="${colour}"/>`);
      const above = index % 2 === 0;
      parts.push(`<text x="${xOf(p.x)}" y="${yOf(p.y) + (above ? -10 : 18)}" text-anchor="middle" fill="${colour}">${formatFigure(p.y)}</text>`);
    }
    const legendY = MARGIN.top + 6 + index * LEGEND_LINE;
    const legendX = MARGIN.left;
    parts.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 18}" y2="${legendY}" stroke="${colour}" stroke-width="2.5"/>`);
    parts.push(`<text x="${legendX + 24}" y="${legendY + 4}" fill="#1f2328">${escape(series.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** 0 and round steps (1, 2 or 5 × 10^k) up to at least `max`. */
export function niceTicks(max: number, target = 5): number[] {
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max) break;
  }
  return ticks;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
