// The Reports screen's ranges: Istanbul calendar days (where the gateway's and the bank's day
// is), as `YYYY-MM-DD`, both ends included. Weeks start on Monday, as in Turkey.

import type { Filter } from './generated/Filter';
import { inIstanbul } from './format';

export type Preset = 'today' | 'yesterday' | 'thisWeek' | 'thisMonth' | 'lastMonth';
export const presets: Preset[] = ['today', 'yesterday', 'thisWeek', 'thisMonth', 'lastMonth'];

export interface DayRange {
  from: string;
  to: string;
}

/** Today in Istanbul, `YYYY-MM-DD`. */
export function istanbulToday(now: Date = new Date()): string {
  return inIstanbul(now).day;
}

function parts(day: string): Date {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function text(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = parts(day);
  date.setUTCDate(date.getUTCDate() + days);
  return text(date);
}

/** The Monday of `day`'s week. */
export function mondayOf(day: string): string {
  return addDays(day, -((parts(day).getUTCDay() + 6) % 7));
}

/** How many days `from`..`to` covers, both included. */
export function daysIn(range: DayRange): number {
  return Math.round((parts(range.to).getTime() - parts(range.from).getTime()) / 86_400_000) + 1;
}

export function presetRange(preset: Preset, today: string): DayRange {
  const date = parts(today);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day };
    }
    case 'thisWeek': {
      const sinceMonday = (date.getUTCDay() + 6) % 7;
      return { from: addDays(today, -sinceMonday), to: today };
    }
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'lastMonth': {
      const lastOfPrevious = addDays(`${today.slice(0, 8)}01`, -1);
      return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious };
    }
  }
}

/** A short label for a chart's day axis: `22.11` / `22/11`. */
export function formatDayShort(day: string, lang: 'tr' | 'en'): string {
  const [, m, d] = day.split('-');
  return lang === 'tr' ? `${d}.${m}` : `${d}/${m}`;
}

/** Every journal entry of one profile on the days of `range`: the sheet's list and the CSV. */
export function rangeFilter(range: DayRange, profileId: string): Filter {
  return { from: range.from, to: range.to, kinds: [], outcomes: [], minAmount: null, maxAmount: null, reference: null, cardLast4: null, operator: null, text: null, profileId };
}
