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
  const days: Bar[] = byDay
    .filter((l) => l.totals.currency === currency)
    .map((l) => ({ from: l.key, to: l.key, sales: l.totals.sales, back: addDecimals(l.totals.cancels, l.totals.refunds) }));
  const first = days[0];
  const last = days[days.length - 1];
  const long = !!first && !!last && daysIn({ from: first.from, to: last.to }) > MOST_DAYS_AS_BARS;
  const bars = long ? byWeek(days) : days;
  return {
    labels: bars.map((b) => (long ? `${formatDayShort(b.from, lang)}–${formatDayShort(b.to, lang)}` : formatDayShort(b.from, lang))),
    sales: bars.map((b) => b.sales),
    back: bars.map((b) => b.back),
  };
}

/** One bar: the days it covers, what was sold and what went back, as exact text. */
interface Bar {
  from: string;
  to: string;
  sales: string;
  back: string;
}

/** Days (in order) added up by week, Monday first; each week labelled by the days it holds. */
function byWeek(days: Bar[]): Bar[] {
  const weeks = new Map<string, Bar>();
  for (const day of days) {
    const monday = mondayOf(day.from);
    const week = weeks.get(monday);
    weeks.set(
      monday,
      week ? { from: week.from, to: day.to, sales: addDecimals(week.sales, day.sales), back: addDecimals(week.back, day.back) } : day,
    );
  }
  return [...weeks.values()];
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
