/**
 * The report's charts as inline SVG, written by our code: deterministic (same input, same bytes,
 * so tests can compare them), readable without script and in print, and no chart library to ship
 * inside every report. Colours come from CSS classes (`c-<category>`, style.ts), never from inline
 * styles, which the page's Content-Security-Policy does not allow.
 *
 * Every chart has a `<title>` and an aria-label; the sections put the same numbers in a table next
 * to it, so nothing is only in a picture.
 */
import { esc } from './escape.js';

/** What a bar segment or a line stands for; a CSS class `c-<category>` colours it. */
export type Category = 'pass' | 'fail' | 'accepted' | 'unknown' | 'na';

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  accepted: 'FAIL, suppressed',
  unknown: 'UNKNOWN',
  na: 'NOT_APPLICABLE',
};

export const CATEGORIES: readonly Category[] = ['fail', 'accepted', 'unknown', 'pass', 'na'];

export interface BarRow {
  readonly label: string;
  readonly counts: Readonly<Record<Category, number>>;
}

/** Two decimals at most, so coordinates print the same on every platform. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function legend(categories: readonly Category[] = CATEGORIES): string {
  return `<ul class="legend">${categories.map((c) => `<li class="k-${c}">${esc(CATEGORY_LABELS[c])}</li>`).join('')}</ul>`;
}

const BAR = { label: 150, width: 420, row: 20, gap: 4, total: 60 } as const;

/**
 * One horizontal bar per row, its segments the share of each category (so rows of different sizes
 * compare as proportions) and the row's total at its end.
 */
export function stackedBars(title: string, rows: readonly BarRow[]): string {
  const height = rows.length * (BAR.row + BAR.gap) + BAR.gap;
  // At least 150 px for labels, more for long ones (about 6.6 px a character at 11 px).
  const labelWidth = Math.max(BAR.label, Math.ceil(Math.max(0, ...rows.map((r) => r.label.length)) * 6.6) + 12);
  const width = labelWidth + BAR.width + BAR.total;
  const body = rows.map((row, i) => {
    const y = BAR.gap + i * (BAR.row + BAR.gap);
    const total = CATEGORIES.reduce((sum, c) => sum + row.counts[c], 0);
    let x = labelWidth;
    const segments: string[] = [];
    for (const c of CATEGORIES) {
      const value = row.counts[c];
      if (value === 0 || total === 0) {
        continue;
      }
      const w = (value / total) * BAR.width;
      segments.push(`<rect class="c-${c}" x="${n(x)}" y="${y}" width="${n(w)}" height="${BAR.row}"><title>${esc(`${row.label}: ${String(value)} ${CATEGORY_LABELS[c]}`)}</title></rect>`);
      x += w;
    }
    if (total === 0) {
      segments.push(`<rect class="c-none" x="${labelWidth}" y="${y}" width="${BAR.width}" height="${BAR.row}"><title>${esc(`${row.label}: no findings`)}</title></rect>`);
    }
    const textY = y + BAR.row / 2 + 4;
    return `<text x="${labelWidth - 6}" y="${textY}" text-anchor="end">${esc(row.label)}</text>${segments.join('')}<text x="${labelWidth + BAR.width + 6}" y="${textY}">${total}</text>`;
  });
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${body.join('')}</svg>`;
}

export interface TrendPoint {
  /** ISO time of the run. */
  readonly at: string;
  /** The axis label, when the caller has one (distinct per run); else the date. */
  readonly label?: string;
  readonly values: Readonly<Partial<Record<Category, number>>>;
}

const TREND = { width: 640, height: 240, left: 48, right: 16, top: 16, bottom: 40 } as const;

/** A round axis maximum (1, 2, 5 × 10^k) at or above the largest value. */
function niceMax(value: number): number {
  if (value <= 0) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}

/**
 * One line per category over the runs, oldest on the left, each point with a `<title>` giving
 * the run's date and value. Runs are spaced evenly (a missed day is not a gap in the trend).
 */
export function trendChart(title: string, points: readonly TrendPoint[], categories: readonly Category[]): string {
  const plotW = TREND.width - TREND.left - TREND.right;
  const plotH = TREND.height - TREND.top - TREND.bottom;
  const max = niceMax(Math.max(0, ...points.flatMap((p) => categories.map((c) => p.values[c] ?? 0))));
  const x = (i: number): number => TREND.left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number): number => TREND.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  // Counts are whole numbers: no half-way tick at 2.5 or 0.5.
  for (const tick of Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max]) {
    parts.push(`<line class="grid" x1="${TREND.left}" x2="${TREND.width - TREND.right}" y1="${n(y(tick))}" y2="${n(y(tick))}"/>`);
    parts.push(`<text x="${TREND.left - 6}" y="${n(y(tick) + 4)}" text-anchor="end">${n(tick)}</text>`);
  }
  // As many labels as fit without touching (about 6.6 px a character at 11 px), always the first
  // and the last run, none crowding the last. A point may bring its own label (distinct per run:
  // report/trendScope.ts); else its date, with the time of day when two runs share a date.
  const sameDay = new Set(points.map((p) => p.at.slice(0, 10))).size < points.length;
  const axisLabel = (p: TrendPoint): string => p.label ?? (sameDay ? p.at.slice(5, 16).replace('T', ' ') : p.at.slice(5, 10));
  const longest = Math.max(1, ...points.map((p) => axisLabel(p).length));
  // Room for a whole label plus a gap (the edge labels are anchored inward, so they need it too).
  const fitting = Math.max(2, Math.floor(plotW / (longest * 6.6 + 28)));
  const every = Math.max(1, Math.ceil(points.length / fitting));
  const last = points.length - 1;
  points.forEach((p, i) => {
    if (i === last || (i % every === 0 && last - i >= every)) {
      // The first label starts at its point and the last ends at its: neither is cut by the edge.
      const anchor = points.length > 1 && i === 0 ? 'start' : points.length > 1 && i === last ? 'end' : 'middle';
      parts.push(`<text x="${n(x(i))}" y="${TREND.height - TREND.bottom + 18}" text-anchor="${anchor}">${esc(axisLabel(p))}</text>`);
    }
  });
  for (const c of categories) {
    const coords = points.map((p, i) => `${n(x(i))},${n(y(p.values[c] ?? 0))}`);
    parts.push(`<polyline class="line c-${c}" points="${coords.join(' ')}"/>`);
    points.forEach((p, i) => {
      const v = p.values[c] ?? 0;
      parts.push(`<circle class="c-${c}" cx="${n(x(i))}" cy="${n(y(v))}" r="3"><title>${esc(`${p.at.slice(0, 16).replace('T', ' ')} UTC: ${String(v)} ${CATEGORY_LABELS[c]}`)}</title></circle>`);
    });
  }
  return `<svg class="chart trend" role="img" aria-label="${esc(title)}" viewBox="0 0 ${TREND.width} ${TREND.height}" width="${TREND.width}" height="${TREND.height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}

export interface HeatCell {
  readonly category: Category | 'none';
  readonly title: string;
}

const HEAT = { cell: 14, header: 110, charWidth: 6.6 } as const;

/**
 * A grid of coloured cells (rows × columns) with rotated column labels: the control × account
 * heatmap of organization audits. Only the colour is per cell; each cell's title says what it is.
 */
export function heatmap(title: string, rowLabels: readonly string[], columnLabels: readonly string[], cells: readonly (readonly HeatCell[])[]): string {
  // Room for the longest row label on the left and the last rotated column label on the right
  // (an 11px system font is about 6.6px a character; rotated by 60°, half of it reaches right).
  const longest = (labels: readonly string[]): number => Math.max(0, ...labels.map((l) => l.length)) * HEAT.charWidth;
  const labelWidth = Math.ceil(longest(rowLabels)) + 12;
  const width = labelWidth + columnLabels.length * HEAT.cell + Math.ceil(longest(columnLabels) / 2) + 8;
  const height = HEAT.header + rowLabels.length * HEAT.cell + 4;
  const parts: string[] = [];
  columnLabels.forEach((label, j) => {
    const cx = labelWidth + j * HEAT.cell + HEAT.cell / 2 + 4;
    parts.push(`<text transform="translate(${n(cx)} ${HEAT.header - 6}) rotate(-60)">${esc(label)}</text>`);
  });
  rowLabels.forEach((label, i) => {
    const y = HEAT.header + i * HEAT.cell;
    parts.push(`<text x="${labelWidth - 6}" y="${y + HEAT.cell - 3}" text-anchor="end">${esc(label)}</text>`);
    (cells[i] ?? []).forEach((cell, j) => {
      parts.push(`<rect class="c-${cell.category}" x="${labelWidth + j * HEAT.cell}" y="${y}" width="${HEAT.cell - 1}" height="${HEAT.cell - 1}"><title>${esc(cell.title)}</title></rect>`);
    });
  });
  return `<svg class="chart heatmap" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}
