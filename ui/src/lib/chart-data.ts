// What the Reports screen's charts show, from the report's exact decimal strings: the days of
// the range and the POS mix. Kept apart from the drawing (./charts.ts) so that Chart.js loads
// only when a chart is drawn.
import type { ReportLine } from './generated/ReportLine';
import type { Lang } from './format';
import { daysIn, formatDayShort, mondayOf } from './report-range';

/** The length of a bar for an amount: geometry only, never shown or added up. */
export function barLength(amount: string): number {
  return Number(amount);
}

export interface DaySeries {
  labels: string[];
  sales: string[];
  /** Cancels and refunds together: what went back. */
  back: string[];
}

/** Beyond a month, a bar a day is too thin to read: the bars are weeks. */
const MOST_DAYS_AS_BARS = 31;

/**
 * The range in one currency, a bar a day (a week, Monday first, beyond a month): sales and what
 * went back, each bar as exact text.
 */
export function daySeries(byDay: ReportLine[], currency: string, lang: Lang): DaySeries {
  const lines = byDay.filter((l) => l.totals.currency === currency);
  const first = lines[0]?.key;
  const last = lines[lines.length - 1]?.key;
  if (!first || !last || daysIn({ from: first, to: last }) <= MOST_DAYS_AS_BARS) {
    return {
      labels: lines.map((l) => formatDayShort(l.key, lang)),
      sales: lines.map((l) => l.totals.sales),
      back: lines.map((l) => addDecimals(l.totals.cancels, l.totals.refunds)),
    };
  }
  // Each week is labelled by the days of the range it holds (the first and last may be short).
  const weeks = new Map<string, { from: string; to: string; sales: string; back: string }>();
  for (const l of lines) {
    const monday = mondayOf(l.key);
    const week = weeks.get(monday) ?? { from: l.key, to: l.key, sales: '0.00', back: '0.00' };
    weeks.set(monday, {
      from: week.from,
      to: l.key,
      sales: addDecimals(week.sales, l.totals.sales),
      back: addDecimals(week.back, addDecimals(l.totals.cancels, l.totals.refunds)),
    });
  }
  const bars = [...weeks.values()];
  return {
    labels: bars.map((w) => `${formatDayShort(w.from, lang)}–${formatDayShort(w.to, lang)}`),
    sales: bars.map((w) => w.sales),
    back: bars.map((w) => w.back),
  };
}

/** Exact sum of two non-negative two-decimal strings (cancels + refunds of a day). */
export function addDecimals(a: string, b: string): string {
  const cents = (s: string) => {
    const [whole = '0', fraction = ''] = s.split('.');
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  };
  const sum = cents(a) + cents(b);
  const whole = sum / 100n;
  const fraction = (sum % 100n).toString().padStart(2, '0');
  return `${whole}.${fraction}`;
}

export interface PosSlice {
  pos: string;
  sales: string;
}

/** Sales by POS in one currency, largest first, without POS that sold nothing. */
export function posSlices(byPos: ReportLine[], currency: string): PosSlice[] {
  return byPos
    .filter((l) => l.totals.currency === currency && l.totals.salesCount > 0)
    .map((l) => ({ pos: l.key, sales: l.totals.sales }))
    .sort((a, b) => barLength(b.sales) - barLength(a.sales));
}
