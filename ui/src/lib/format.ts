// Display and input of money, percentages, dates and card numbers for the operator's language.
// Money stays a decimal string from end to end: Intl supplies only the locale's symbols and
// their order, the digits are placed by hand, so no amount ever becomes a JS number.

export type Lang = 'tr' | 'en';

export function intlLocale(lang: Lang): string {
  return lang === 'tr' ? 'tr-TR' : 'en-GB';
}

interface Pattern {
  prefix: string;
  suffix: string;
  group: string;
  decimal: string;
}

const patterns = new Map<string, Pattern>();

function patternOf(key: string, format: Intl.NumberFormat, sample: number): Pattern {
  const cached = patterns.get(key);
  if (cached) return cached;
  const parts = format.formatToParts(sample);
  const numeric = (type: string) => ['integer', 'group', 'decimal', 'fraction'].includes(type);
  const first = parts.findIndex((p) => numeric(p.type));
  let last = first;
  parts.forEach((p, i) => {
    if (numeric(p.type)) last = i;
  });
  const pattern: Pattern = {
    prefix: parts.slice(0, first).map((p) => p.value).join(''),
    suffix: parts.slice(last + 1).map((p) => p.value).join(''),
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
  patterns.set(key, pattern);
  return pattern;
}

function groupDigits(digits: string, separator: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

/** Splits a canonical decimal string (`-1234.5`) into sign, integer digits and fraction. */
function splitDecimal(value: string): { negative: boolean; integer: string; fraction: string } {
  const trimmed = value.trim();
  const negative = trimmed.startsWith('-');
  const unsigned = negative ? trimmed.slice(1) : trimmed;
  const [integer = '0', fraction = ''] = unsigned.split('.');
  return { negative, integer: integer.replace(/^0+(?=\d)/, '') || '0', fraction };
}

/** `formatMoney('1234.5', 'TRY', 'tr')` → `₺1.234,50`. */
export function formatMoney(amount: string, currency: string, lang: Lang): string {
  const locale = intlLocale(lang);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
  });
  const p = patternOf(`money:${locale}:${currency}`, format, 1234.5);
  const { negative, integer, fraction } = splitDecimal(amount);
  const cents = (fraction + '00').slice(0, Math.max(2, fraction.length));
  const body = `${groupDigits(integer, p.group)}${p.decimal}${cents}`;
  return `${negative ? '−' : ''}${p.prefix}${body}${p.suffix}`;
}

/** A plain decimal without currency: `1.234,50`. */
export function formatDecimal(amount: string, lang: Lang): string {
  const locale = intlLocale(lang);
  const p = patternOf(`decimal:${locale}`, new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }), 1234.5);
  const { negative, integer, fraction } = splitDecimal(amount);
  const cents = (fraction + '00').slice(0, Math.max(2, fraction.length));
  return `${negative ? '−' : ''}${groupDigits(integer, p.group)}${p.decimal}${cents}`;
}

/** A commission percentage given as `"4.79"`: `%4,79` in Turkish, `4.79%` in English. */
export function formatPercent(rate: string, lang: Lang): string {
  const locale = intlLocale(lang);
  const format = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2 });
  const p = patternOf(`percent:${locale}`, format, 0.5);
  const { negative, integer, fraction } = splitDecimal(rate);
  const digits = (fraction + '00').slice(0, Math.max(2, fraction.replace(/0+$/, '').length));
  return `${negative ? '−' : ''}${p.prefix}${integer}${p.decimal}${digits}${p.suffix}`;
}

/** A day (`2026-12-06`) in the app's one date format: `06.12.2026` / `06/12/2026`. */
export function formatDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-');
  return lang === 'tr' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

const istanbulClock = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Istanbul',
});

/**
 * A moment's day (`YYYY-MM-DD`) and time (`HH:MM`) in Istanbul, where the gateway's and the
 * bank's day is; read from the date's parts (how a locale writes dates varies by engine).
 */
export function inIstanbul(date: Date): { day: string; time: string } {
  const part = Object.fromEntries(istanbulClock.formatToParts(date).map((p) => [p.type, p.value]));
  return { day: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}

/**
 * Date and time in Istanbul: `06.12.2026 14:02` / `06/12/2026 14:02`. The day is written as
 * everywhere else ([`formatDay`]), so a screen or a printed sheet never mixes date formats.
 */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const { day, time } = inIstanbul(date);
  return `${formatDay(day, lang)} ${time}`;
}

export type AmountParse = { ok: true; value: string } | { ok: false; reason: 'required' | 'not_a_number' | 'too_many_decimals' | 'must_be_positive' };

/**
 * Reads an amount as the operator typed it, in their language's convention, and returns the
 * canonical form Rust takes (`1234.56`). Turkish: `1.234,56`, `1234,56`; English: `1,234.56`.
 * A lone separator followed by one or two digits is read as the decimal mark either way, since
 * operators type `12.50` and `12,50` alike.
 */
export function parseAmountInput(text: string, lang: Lang): AmountParse {
  const cleaned = text.replace(/[\s\u00a0\u202f₺$€£]|TL|TRY|USD|EUR/gi, '');
  if (cleaned === '') return { ok: false, reason: 'required' };
  if (!/^[\d.,]+$/.test(cleaned)) return { ok: false, reason: 'not_a_number' };
  const decimalMark = lang === 'tr' ? ',' : '.';
  const groupMark = lang === 'tr' ? '.' : ',';
  let integer: string;
  let fraction = '';
  const marks = cleaned.replace(/\d/g, '');
  if (cleaned.includes(decimalMark)) {
    const at = cleaned.lastIndexOf(decimalMark);
    integer = cleaned.slice(0, at);
    fraction = cleaned.slice(at + 1);
    if (marks.split(decimalMark).length - 1 > 1) return { ok: false, reason: 'not_a_number' };
  } else if (marks.length === 1 && /[.,]\d{1,2}$/.test(cleaned)) {
    const at = cleaned.search(/[.,]/);
    integer = cleaned.slice(0, at);
    fraction = cleaned.slice(at + 1);
  } else {
    integer = cleaned;
  }
  if (integer.includes(groupMark)) {
    if (!new RegExp(`^\\d{1,3}(\\${groupMark}\\d{3})+$`).test(integer)) return { ok: false, reason: 'not_a_number' };
    integer = integer.split(groupMark).join('');
  }
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction)) return { ok: false, reason: 'not_a_number' };
  if (fraction.length > 2) return { ok: false, reason: 'too_many_decimals' };
  const canonical = `${integer.replace(/^0+(?=\d)/, '')}${fraction ? `.${fraction}` : ''}`;
  if (/^0*(\.0*)?$/.test(canonical)) return { ok: false, reason: 'must_be_positive' };
  return { ok: true, value: canonical };
}

export function onlyDigits(text: string): string {
  return text.replace(/\D/g, '');
}

/** `4155650100416111` → `4155 6501 0041 6111`. */
export function groupCardNumber(text: string): string {
  return onlyDigits(text).slice(0, 19).replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function luhnOk(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Compares two canonical decimal strings exactly (no floating point): -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const width = Math.max(x.fraction.length, y.fraction.length);
  const ax = x.integer + x.fraction.padEnd(width, '0');
  const bx = y.integer + y.fraction.padEnd(width, '0');
  const len = Math.max(ax.length, bx.length);
  const pa = ax.padStart(len, '0');
  const pb = bx.padStart(len, '0');
  const sign = pa === pb ? 0 : pa < pb ? -1 : 1;
  return x.negative ? -sign : sign;
}

/**
 * A date typed in a filter: day first in both languages (`21.11.2026`, `21/11/2026`, `21-11-2026`)
 * or ISO (`2026-11-21`). Native date inputs are not used: WebKit shows them month first whatever
 * the operator's language.
 */
export function parseDateInput(text: string): { ok: true; value: string | null } | { ok: false } {
  const s = text.trim();
  if (!s) return { ok: true, value: null };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : [];
  if (!y || !m || !d) return { ok: false };
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false };
  return { ok: true, value: `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

export function datePlaceholder(lang: Lang): string {
  return lang === 'tr' ? 'gg.aa.yyyy' : 'dd/mm/yyyy';
}

/** A count of things (not money), grouped as the operator reads numbers: 10.000 in Turkish. */
export function formatCount(count: number, lang: Lang): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(count);
}
