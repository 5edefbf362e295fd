// What the Reports screen's charts show, from the report's exact decimal strings: the days of
// the range and the POS mix. Kept apart from the drawing (./charts.ts) so that Chart.js loads
// only when a chart is drawn.
import type { ReportLine } from './generated/ReportLine';
import type { Lang } from './format';
import { formatDayShort } from './report-range';

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

/** The days of the range in one currency: sales and what went back, each day as exact text. */
export function daySeries(byDay: ReportLine[], currency: string, lang: Lang): DaySeries {
  const lines = byDay.filter((l) => l.totals.currency === currency);
  return {
    labels: lines.map((l) => formatDayShort(l.key, lang)),
    sales: lines.map((l) => l.totals.sales),
    back: lines.map((l) => addDecimals(l.totals.cancels, l.totals.refunds)),
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
