import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Entry } from '../lib/api';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { setLang } from '../lib/i18n/index.svelte';
import JournalList from './JournalList.svelte';
import Receipt from './Receipt.svelte';
import { entryReceipt } from '../lib/receipt';
import FilterTotals from './FilterTotals.svelte';

// jsdom has no layout: a ResizeObserver that never reports keeps the list at its default height.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

let fake: FakeBackend;

function entry(id: number): Entry {
  return {
    id,
    createdAt: '2026-11-21T13:38:00.000Z',
    updatedAt: '2026-11-21T13:38:01.000Z',
    profileId: 'demo',
    environment: 'demo',
    operator: 'Zeynep Kaya',
    kind: 'payment',
    amount: '1234.56',
    currency: 'TRY',
    installment: 3,
    posId: 'p',
    posName: 'Yapı Kredi World',
    orderReference: `DD-${id}`,
    referenceCode: `NTH2P${String(id).padStart(11, '0')}`,
    transactionId: 'tx',
    maskedCard: '415565******6111',
    outcome: 'success',
    errorCode: null,
    errorMessage: null,
    reason: null,
    remainingBefore: null,
    doubt: null,
    remainingAfter: '1234.56',
    customer: { name: 'Ayşe', surname: 'Yılmaz', email: 'ayse@example.com', phone: null, note: null },
    approvedBy: null,
    resolvedBy: null,
    resolution: null,
    accountCode: null,
    commission: null,
    bankPaymentDays: null,
  };
}

afterEach(() => cleanup());
beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
});

const noFilter = { from: null, to: null, kinds: [], outcomes: [], minAmount: null, maxAmount: null, reference: null, cardLast4: null, operator: null, text: null, profileId: null };

describe('JournalList', () => {
  it('renders a window of a 100,000-entry journal and fetches only what it shows', async () => {
    fake.answer('journal_search', ({ query: { offset, limit } }) => ({
      total: 100_000,
      more: false,
      offset,
      entries: Array.from({ length: limit }, (_, i) => entry(100_000 - offset - i)),
    }));
    render(JournalList, { filter: noFilter, version: 0, selectedId: null, onselect: vi.fn() });
    expect(await screen.findByText('100000 kayıt')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('DD-100000')).toBeTruthy());
    expect(screen.getAllByRole('row').length).toBeLessThan(60);
    expect(fake.callsOf('journal_search').every(({ query }) => query.offset === 0)).toBe(true);
    expect(screen.getAllByText('₺1.234,56').length).toBeGreaterThan(0);
  });

  it('opens an entry by click or keyboard', async () => {
    fake.returns('journal_search', { total: 1, more: false, offset: 0, entries: [entry(7)] });
    const onselect = vi.fn();
    render(JournalList, { filter: noFilter, version: 0, selectedId: null, onselect });
    const row = (await screen.findByText('DD-7')).closest('[role="row"]') as HTMLElement;
    await fireEvent.keyDown(row, { key: 'Enter' });
    expect(onselect).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }));
  });

  it('says "not set" where an entry was journaled with no operator name, not a blank cell', async () => {
    fake.returns('journal_search', { total: 1, more: false, offset: 0, entries: [{ ...entry(7), operator: '' }] });
    render(JournalList, { filter: noFilter, version: 0, selectedId: null, onselect: vi.fn() });
    const row = (await screen.findByText('DD-7')).closest('[role="row"]') as HTMLElement;
    expect(row.textContent).toContain('belirtilmemiş');
  });

  it('says when more match than are counted, in the operator’s numbers', async () => {
    fake.returns('journal_search', { total: 10000, more: true, offset: 0, entries: [entry(7)] });
    render(JournalList, { filter: noFilter, version: 0, selectedId: null, onselect: vi.fn() });
    await screen.findByText('DD-7');
    expect(screen.getByTestId('journal-count').textContent).toBe('10.000 kayıttan fazla: gerisini görmek için aramayı daraltın (CSV dışa aktarımı hepsini içerir).');
  });

  it('says so when nothing matches', async () => {
    fake.returns('journal_search', { total: 0, more: false, offset: 0, entries: [] });
    render(JournalList, { filter: { ...noFilter, text: 'yok' }, version: 0, selectedId: null, onselect: vi.fn() });
    expect(await screen.findByTestId('journal-empty')).toBeTruthy();
  });
});

describe('Receipt', () => {
  it('shows the amount, installments, masked card and references in the operator language', () => {
    render(Receipt, { receipt: entryReceipt(entry(42)), onclose: vi.fn() });
    const receipt = screen.getByTestId('receipt');
    expect(receipt.textContent).toContain('Ödeme dekontu');
    expect(receipt.textContent).toContain('₺1.234,56');
    expect(receipt.textContent).toContain('415565******6111');
    expect(receipt.textContent).toContain('NTH2P00000000042');
    expect(receipt.textContent).toContain('Zeynep Kaya');
    expect(receipt.textContent).not.toMatch(/4155650100416111/);
  });

  it('names the customer when the journal knows them, and leaves the line out when not', () => {
    render(Receipt, { receipt: entryReceipt(entry(42)), onclose: vi.fn() });
    expect(screen.getByTestId('receipt-customer').textContent).toBe('Ayşe Yılmaz');
    cleanup();
    render(Receipt, { receipt: entryReceipt({ ...entry(43), customer: null }), onclose: vi.fn() });
    expect(screen.queryByTestId('receipt-customer')).toBeNull();
  });

  it('marks a receipt of the Sandbox as moving no money, in both languages, and a live one not at all', () => {
    render(Receipt, { receipt: entryReceipt({ ...entry(7), environment: 'sandbox' }), onclose: vi.fn() });
    expect(screen.getByTestId('receipt-demo').textContent).toBe('TEST ORTAMI — gerçek ödeme değildir, para hareketi yok');
    cleanup();
    setLang('en');
    render(Receipt, { receipt: entryReceipt({ ...entry(7), environment: 'sandbox' }), onclose: vi.fn() });
    expect(screen.getByTestId('receipt-demo').textContent).toBe('SANDBOX — not a real payment, no money moved');
    cleanup();
    render(Receipt, { receipt: entryReceipt({ ...entry(8), environment: 'live' }), onclose: vi.fn() });
    expect(screen.queryByTestId('receipt-demo')).toBeNull();
  });

  it('prints through the system print dialog, which Rust opens', async () => {
    const pagePrint = vi.spyOn(window, 'print').mockImplementation(() => {});
    fake.returns('print_window', null as never);
    render(Receipt, { receipt: entryReceipt({ ...entry(1), kind: 'refund', reason: 'iade' }), onclose: vi.fn() });
    expect(screen.getByTestId('receipt').textContent).toContain('İade dekontu');
    await fireEvent.click(screen.getByTestId('print'));
    expect(fake.callsOf('print_window')).toHaveLength(1);
    expect(pagePrint).not.toHaveBeenCalled();
  });

  it("falls back to the page's own print when Rust cannot open the dialog", async () => {
    const pagePrint = vi.spyOn(window, 'print').mockImplementation(() => {});
    fake.fails('print_window', { code: 'internal', message: 'no print here', details: {} });
    render(Receipt, { receipt: entryReceipt(entry(1)), onclose: vi.fn() });
    await fireEvent.click(screen.getByTestId('print'));
    await vi.waitFor(() => expect(pagePrint).toHaveBeenCalledTimes(1));
  });
});

describe('FilterTotals', () => {
  it('shows what the filtered list adds up to, per currency, in the operator format', async () => {
    fake.returns('journal_totals', [
      { currency: 'TRY', salesCount: 3, sales: '1584.56', cancelsCount: 1, cancels: '100.00', refundsCount: 2, refunds: '50.50', net: '1434.06', commission: '0.00', netToDealer: '1434.06' },
    ]);
    render(FilterTotals, { filter: noFilter, version: 0 });
    const row = await screen.findByTestId('totals-TRY');
    expect(row.textContent).toContain('3 · ₺1.584,56');
    expect(row.textContent).toContain('2 · ₺50,50');
    expect(row.textContent).toContain('₺1.434,06');
    expect(fake.callsOf('journal_totals')).toEqual([{ filter: noFilter }]);
  });

  it('says so when nothing in the list succeeded', async () => {
    fake.returns('journal_totals', []);
    render(FilterTotals, { filter: { ...noFilter, text: 'yok' }, version: 0 });
    expect(await screen.findByText('Bu listede başarılı işlem yok.')).toBeTruthy();
  });
});
