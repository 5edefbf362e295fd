import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { Report } from '../lib/api';
import type { CurrencyTotals } from '../lib/generated/CurrencyTotals';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { istanbulToday, presetRange } from '../lib/report-range';
import { addDecimals, daySeries, posSlices } from '../lib/chart-data';
import Reports from './Reports.svelte';
import { demoEntry, demoProfile, demoStatus, staffOn } from '../test-fixtures';

let fake: FakeBackend;

function totals(currency: string, o: Partial<CurrencyTotals> = {}): CurrencyTotals {
  return {
    currency,
    salesCount: 0,
    sales: '0.00',
    cancelsCount: 0,
    cancels: '0.00',
    refundsCount: 0,
    refunds: '0.00',
    net: '0.00',
    commission: '0.00',
    netToDealer: '0.00',
    ...o,
  };
}

const day20 = totals('TRY', { salesCount: 2, sales: '1250.00', net: '1250.00', commission: '28.63', netToDealer: '1221.37' });
const day21 = totals('TRY', { salesCount: 1, sales: '120.00', cancelsCount: 1, cancels: '120.00', refundsCount: 1, refunds: '50.00', net: '-50.00', commission: '-1.73', netToDealer: '-48.27' });
const all = totals('TRY', { salesCount: 3, sales: '1370.00', cancelsCount: 1, cancels: '120.00', refundsCount: 1, refunds: '50.00', net: '1200.00', commission: '26.90', netToDealer: '1173.10' });

function report(from: string, to: string): Report {
  return {
    range: { from, to },
    profileId: 'demo',
    totals: [all],
    byDay: [
      { key: '2026-11-20', totals: day20 },
      { key: '2026-11-21', totals: day21 },
      { key: '2026-11-22', totals: totals('TRY') },
    ],
    byPos: [
      { key: 'Akbank', totals: totals('TRY', { salesCount: 2, sales: '1120.00', cancelsCount: 1, cancels: '120.00', net: '1000.00', commission: '20.00', netToDealer: '980.00' }) },
      { key: 'Yapı Kredi World', totals: totals('TRY', { salesCount: 1, sales: '250.00', refundsCount: 1, refunds: '50.00', net: '200.00', commission: '6.90', netToDealer: '193.10' }) },
    ],
    byInstallment: [
      { key: '1', totals: day20 },
      { key: '3', totals: day21 },
    ],
    byOperator: [{ key: 'Zeynep', totals: all }],
  };
}

afterEach(() => cleanup());

beforeEach(() => {
  // jsdom has no canvas: the charts are not drawn here (the end-to-end journey checks them).
  HTMLCanvasElement.prototype.getContext = () => null;
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus(demoProfile({ operatorName: 'Zeynep' }));
});

describe('report ranges', () => {
  it('are Istanbul days; weeks start on Monday; last month crosses the year', () => {
    expect(istanbulToday(new Date('2026-11-21T21:30:00Z')), 'already the 22nd in Istanbul').toBe('2026-11-22');
    expect(presetRange('today', '2026-11-22')).toEqual({ from: '2026-11-22', to: '2026-11-22' });
    expect(presetRange('yesterday', '2026-12-01')).toEqual({ from: '2026-11-30', to: '2026-11-30' });
    expect(presetRange('thisWeek', '2026-11-22'), 'a Sunday').toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(presetRange('thisWeek', '2026-11-16'), 'a Monday').toEqual({ from: '2026-11-16', to: '2026-11-16' });
    expect(presetRange('thisMonth', '2026-11-22')).toEqual({ from: '2026-11-01', to: '2026-11-22' });
    expect(presetRange('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('lastMonth', '2024-03-10'), 'a leap year').toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });
});

describe('chart data', () => {
  it('adds cancels and refunds exactly and orders the POS mix by sales', () => {
    expect(addDecimals('0.10', '0.20')).toBe('0.30');
    expect(addDecimals('120.00', '50.05')).toBe('170.05');
    const r = report('2026-11-20', '2026-11-22');
    expect(daySeries(r.byDay, 'TRY', 'tr')).toEqual({ labels: ['20.11', '21.11', '22.11'], sales: ['1250.00', '120.00', '0.00'], back: ['0.00', '170.00', '0.00'] });
    expect(posSlices(r.byPos, 'TRY').map((s) => s.pos)).toEqual(['Akbank', 'Yapı Kredi World']);
    expect(posSlices(r.byPos, 'USD')).toEqual([]);
  });

  it('draws a bar a week, Monday first, once the range is longer than a month, adding exactly', () => {
    // 2026-11-02 is a Monday; 40 days of 10.05 in sales and 0.10 back each.
    const byDay = Array.from({ length: 40 }, (_, i) => {
      const day = new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10);
      return { key: day, totals: totals('TRY', { sales: '10.05', refunds: '0.10' }) };
    });
    const series = daySeries(byDay, 'TRY', 'tr');
    expect(series.labels).toEqual(['02.11–08.11', '09.11–15.11', '16.11–22.11', '23.11–29.11', '30.11–06.12', '07.12–11.12']);
    expect(series.sales).toEqual(['70.35', '70.35', '70.35', '70.35', '70.35', '50.25']);
    expect(series.back).toEqual(['0.70', '0.70', '0.70', '0.70', '0.70', '0.50']);
    expect(daySeries(byDay.slice(0, 31), 'TRY', 'tr').labels, 'a month: a bar a day').toHaveLength(31);
    expect(daySeries(byDay.slice(2), 'TRY', 'tr').labels[0], 'a range from a Wednesday: its first bar from that day').toBe('04.11–08.11');
  });
});

describe('Reports', () => {
  it('asks for today first, shows the totals in Turkish and every breakdown', async () => {
    const today = istanbulToday();
    fake.answer('journal_report', ({ range }) => report(range.from, range.to));
    render(Reports);
    const figures = await screen.findByTestId('report-totals-TRY');
    expect(fake.callsOf('journal_report')[0]).toEqual({ range: { from: today, to: today } });
    expect(within(figures).getByTestId('report-sales').textContent).toBe('₺1.370,00');
    expect(within(figures).getByTestId('report-refunds').textContent).toBe('₺50,00');
    expect(within(figures).getByTestId('report-commission').textContent).toBe('₺26,90');
    expect(within(figures).getByTestId('report-net-to-dealer').textContent).toBe('₺1.173,10');
    expect(screen.getAllByTestId('by-day-row'), 'quiet days are left out of the table').toHaveLength(2);
    const byDay = screen.getByTestId('by-day');
    expect(within(byDay).getByText('21.11.2026')).toBeTruthy();
    expect(within(byDay).getByText('−₺50,00')).toBeTruthy();
    expect(within(screen.getByTestId('by-installment')).getByText('Tek çekim')).toBeTruthy();
    expect(within(screen.getByTestId('by-installment')).getByText('3 taksit')).toBeTruthy();
    expect(within(screen.getByTestId('by-pos')).getByText('Yapı Kredi World')).toBeTruthy();
    expect(screen.getByRole('img', { name: /Her gün için satışlar/ })).toBeTruthy();
  });

  it('asks again for a preset and for typed dates, and says when a date is not a day', async () => {
    fake.answer('journal_report', ({ range }) => report(range.from, range.to));
    render(Reports);
    await screen.findByTestId('report-totals-TRY');
    await fireEvent.click(screen.getByTestId('preset-thisMonth'));
    const today = istanbulToday();
    await waitFor(() => expect(fake.callsOf('journal_report').at(-1)).toEqual({ range: presetRange('thisMonth', today) }));
    expect(screen.getByTestId('preset-thisMonth').getAttribute('aria-pressed')).toBe('true');

    await fireEvent.input(screen.getByTestId('report-from'), { target: { value: '01.10.2026' } });
    await fireEvent.input(screen.getByTestId('report-to'), { target: { value: '31.10.2026' } });
    await waitFor(() => expect(fake.callsOf('journal_report').at(-1)).toEqual({ range: { from: '2026-10-01', to: '2026-10-31' } }));
    expect(screen.getByTestId('preset-thisMonth').getAttribute('aria-pressed')).toBe('false');

    const asked = fake.callsOf('journal_report').length;
    await fireEvent.input(screen.getByTestId('report-to'), { target: { value: '31.13.2026' } });
    expect(await screen.findByText('İki tarihi de gg.aa.yyyy biçiminde yazın.')).toBeTruthy();
    expect(fake.callsOf('journal_report'), 'nothing asked for a half-typed date').toHaveLength(asked);
  });

  it('says so when the range has nothing, and shows a refused range in Turkish', async () => {
    fake.answer('journal_report', ({ range }) => ({ ...report(range.from, range.to), totals: [], byDay: [], byPos: [], byInstallment: [], byOperator: [] }));
    render(Reports);
    expect((await screen.findByTestId('report-empty')).textContent).toMatch(/başarılı ödeme, iptal veya iade yok/);
    fake.fails('journal_report', { code: 'invalid_input', message: 'x', details: { field: 'dateTo', reason: 'range_too_long', maxDays: '367' } });
    await fireEvent.click(screen.getByTestId('preset-lastMonth'));
    expect((await screen.findByRole('alert')).textContent).toBe('Bir rapor en çok 367 günü kapsar; daha kısa bir aralık seçin.');
  });

  it('opens the end-of-day sheet with the dealer, the range, the totals and the list', async () => {
    fake.answer('journal_report', ({ range }) => report(range.from, range.to));
    const entry = demoEntry();
    fake.returns('journal_search', { total: 1, more: false, offset: 0, entries: [entry] });
    render(Reports);
    await screen.findByTestId('report-totals-TRY');
    await fireEvent.click(screen.getByTestId('open-sheet'));
    const sheet = await screen.findByTestId('end-of-day-sheet');
    expect(within(sheet).getByText('Anadolu Beyaz Eşya Ltd. Şti.')).toBeTruthy();
    expect(within(sheet).getByText(/DEMO/)).toBeTruthy();
    expect(within(sheet).getByTestId('sheet-totals').textContent).toContain('₺1.173,10');
    expect(within(sheet).getByTestId('sheet-pos').textContent).toContain('Yapı Kredi World');
    const list = await within(sheet).findByTestId('sheet-list');
    expect(within(list).getByText('Ayşe Yılmaz')).toBeTruthy();
    expect(within(list).getByText('₺250,00')).toBeTruthy();
    const today = istanbulToday();
    expect(fake.callsOf('journal_search')[0]?.query.filter).toMatchObject({ from: today, to: today, profileId: 'demo' });
  });

  it('names who printed the sheet: the signed-in operator, else the profile\'s operator name, else "not set"', async () => {
    fake.answer('journal_report', ({ range }) => report(range.from, range.to));
    fake.returns('journal_search', { total: 0, more: false, offset: 0, entries: [] });
    const printedBy = async () => {
      render(Reports);
      await screen.findByTestId('report-totals-TRY');
      await fireEvent.click(screen.getByTestId('open-sheet'));
      const by = within(await screen.findByTestId('end-of-day-sheet')).getByTestId('printed-by').textContent;
      cleanup();
      return by;
    };
    app.status = demoStatus(demoProfile({ operatorName: '' }));
    expect(await printedBy()).toBe('belirtilmemiş');
    app.status = demoStatus(demoProfile({ operatorName: 'Deniz' }));
    expect(await printedBy()).toBe('Deniz');
    app.staff = staffOn('Ali');
    expect(await printedBy()).toBe('Ali');
    app.staff = null;
  });

  it("marks the Sandbox's sheet as moving no money, like the Demo's, and a live one not at all", async () => {
    fake.answer('journal_report', ({ range }) => report(range.from, range.to));
    fake.returns('journal_search', { total: 0, more: false, offset: 0, entries: [] });
    app.status = demoStatus(demoProfile({ id: 'p-sandbox', kind: 'sandbox', name: 'Finrota test' }));
    render(Reports);
    await screen.findByTestId('report-totals-TRY');
    await fireEvent.click(screen.getByTestId('open-sheet'));
    const sheet = await screen.findByTestId('end-of-day-sheet');
    expect(within(sheet).getByTestId('no-money').textContent).toBe('TEST ORTAMI — gerçek ödeme değildir, para hareketi yok');
    cleanup();

    app.status = demoStatus(demoProfile({ id: 'p-live', kind: 'live', name: 'Anadolu' }));
    render(Reports);
    await screen.findByTestId('report-totals-TRY');
    await fireEvent.click(screen.getByTestId('open-sheet'));
    expect(within(await screen.findByTestId('end-of-day-sheet')).queryByTestId('no-money')).toBeNull();
  });
});
