import { describe, expect, it } from 'vitest';
import { compareDecimal, formatDateTime, formatDay, formatMoney, formatPercent, groupCardNumber, luhnOk, parseAmountInput, parseDateInput } from './format';

describe('formatMoney', () => {
  it('formats Turkish lira the Turkish way', () => {
    expect(formatMoney('1234.56', 'TRY', 'tr')).toBe('₺1.234,56');
    expect(formatMoney('0.5', 'TRY', 'tr')).toBe('₺0,50');
    expect(formatMoney('1000000', 'TRY', 'tr')).toBe('₺1.000.000,00');
  });
  it('formats the English way', () => {
    expect(formatMoney('1234.56', 'TRY', 'en')).toBe('₺1,234.56');
    expect(formatMoney('99.9', 'USD', 'en')).toBe('$99.90');
  });
  it('keeps every digit of amounts a JS number cannot hold', () => {
    expect(formatMoney('12345678901234567.89', 'TRY', 'tr')).toBe('₺12.345.678.901.234.567,89');
  });
});

describe('formatPercent', () => {
  it('puts the sign where each language does', () => {
    expect(formatPercent('4.79', 'tr')).toBe('%4,79');
    expect(formatPercent('4.79', 'en')).toBe('4.79%');
    expect(formatPercent('1.7', 'en')).toBe('1.70%');
    expect(formatPercent('0', 'tr')).toBe('%0,00');
  });
});

describe('parseAmountInput', () => {
  const ok = (text: string, lang: 'tr' | 'en') => parseAmountInput(text, lang);
  it('reads Turkish input', () => {
    expect(ok('1.234,56', 'tr')).toEqual({ ok: true, value: '1234.56' });
    expect(ok('1234,5', 'tr')).toEqual({ ok: true, value: '1234.5' });
    expect(ok('1.500', 'tr')).toEqual({ ok: true, value: '1500' });
    expect(ok('12.50', 'tr')).toEqual({ ok: true, value: '12.50' });
    expect(ok('₺ 2.000,00', 'tr')).toEqual({ ok: true, value: '2000.00' });
  });
  it('reads English input', () => {
    expect(ok('1,234.56', 'en')).toEqual({ ok: true, value: '1234.56' });
    expect(ok('1,500', 'en')).toEqual({ ok: true, value: '1500' });
    expect(ok('12,50', 'en')).toEqual({ ok: true, value: '12.50' });
  });
  it('refuses what is not an amount, with a reason', () => {
    expect(ok('', 'tr')).toEqual({ ok: false, reason: 'required' });
    expect(ok('abc', 'tr')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(ok('1.23.4', 'tr')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(ok('1,2,3', 'tr')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(ok('12,345', 'tr')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(ok('0,00', 'tr')).toEqual({ ok: false, reason: 'must_be_positive' });
    expect(ok('-5', 'en')).toEqual({ ok: false, reason: 'not_a_number' });
  });
});

describe('cards and decimals', () => {
  it('groups card numbers in fours and checks Luhn', () => {
    expect(groupCardNumber('4155650100416111')).toBe('4155 6501 0041 6111');
    expect(groupCardNumber('4155-6501')).toBe('4155 6501');
    expect(luhnOk('4155650100416111')).toBe(true);
    expect(luhnOk('4155650100416112')).toBe(false);
  });
  it('compares decimals exactly', () => {
    expect(compareDecimal('199.50', '199.5')).toBe(0);
    expect(compareDecimal('199.51', '199.50')).toBe(1);
    expect(compareDecimal('9.99', '10')).toBe(-1);
    expect(compareDecimal('0.30', '0.3')).toBe(0);
  });
  it('shows times in Istanbul', () => {
    expect(formatDateTime('2025-10-24T17:23:51+03:00', 'en')).toContain('17:23');
    expect(formatDateTime('2025-10-24T14:23:51Z', 'tr')).toContain('17:23');
  });
  it('writes every date one way, with or without its time, so one printed sheet never mixes three', () => {
    expect(formatDay('2026-12-06', 'tr')).toBe('06.12.2026');
    expect(formatDateTime('2026-12-06T11:02:00Z', 'tr')).toBe('06.12.2026 14:02');
    expect(formatDay('2026-12-06', 'en')).toBe('06/12/2026');
    expect(formatDateTime('2026-12-06T11:02:00Z', 'en')).toBe('06/12/2026 14:02');
    expect(formatDateTime('2026-12-31T21:30:00Z', 'tr'), 'already the next day in Istanbul').toBe('01.01.2027 00:30');
  });
});

describe('parseDateInput', () => {
  it('reads day-first and ISO dates', () => {
    expect(parseDateInput('21.11.2026')).toEqual({ ok: true, value: '2026-11-21' });
    expect(parseDateInput('1/2/2026')).toEqual({ ok: true, value: '2026-02-01' });
    expect(parseDateInput('2026-11-21')).toEqual({ ok: true, value: '2026-11-21' });
    expect(parseDateInput('  ')).toEqual({ ok: true, value: null });
  });
  it('refuses what is not a real day', () => {
    for (const text of ['31.02.2026', '11/21/2026', '2026-13-01', 'dün', '21.11.26']) expect(parseDateInput(text), text).toEqual({ ok: false });
  });
});
