import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { PosView, TransactionView } from '../lib/api';

vi.mock('../lib/api', () => ({
  api: {
    paymentOptions: vi.fn(),
    binOptions: vi.fn(),
    quote: vi.fn(),
    newOrderReference: vi.fn(),
    pay: vi.fn(),
    lookup: vi.fn(),
    cancel: vi.fn(),
    refund: vi.fn(),
    updatePreferences: vi.fn(),
    onPaymentProgress: vi.fn(),
  },
}));

const { api } = await import('../lib/api');
const { setLang } = await import('../lib/i18n/index.svelte');
const Rates = (await import('./Rates.svelte')).default;
const Payment = (await import('./Payment.svelte')).default;
const TransactionDetail = (await import('../components/TransactionDetail.svelte')).default;

const mocked = vi.mocked(api);

const ykb: PosView = {
  tenantPosId: '384badef-11ec-ee11-98f2-005056b0d2e5',
  name: 'Yapı Kredi World',
  color: '#701f7e',
  isDefault: true,
  showCommission: true,
  installments: [
    { count: 1, plus: 0, commissionRate: '1.79' },
    { count: 3, plus: 2, commissionRate: '4.79' },
  ],
};

function tx(overrides: Partial<TransactionView> = {}): TransactionView {
  return {
    transactionId: 'tx-1',
    referenceCode: 'NTH2P00000003100',
    orderReference: 'DD-1',
    state: 'success',
    statusId: 1,
    amount: '250.00',
    remaining: '250.00',
    net: '245.53',
    currency: 'TRY',
    installment: 1,
    commissionRate: '1.79',
    posId: ykb.tenantPosId,
    posName: ykb.name,
    maskedCard: '415565******6111',
    cardHolder: 'AYSE YILMAZ',
    date: '2026-11-21T16:38:00+03:00',
    canCancel: true,
    canRefund: true,
    ...overrides,
  };
}

afterEach(() => cleanup());

async function submitForm(testId: string) {
  const form = screen.getByTestId(testId).closest('form');
  if (!form) throw new Error(`no form around ${testId}`);
  await fireEvent.submit(form);
}

let progress: (step: string) => void = () => {};

beforeEach(() => {
  vi.clearAllMocks();
  setLang('tr');
  mocked.onPaymentProgress.mockImplementation(async (handler) => {
    progress = handler as (step: string) => void;
    return () => {};
  });
});

describe('Rates', () => {
  it('shows one card per POS and quotes a typed Turkish amount', async () => {
    mocked.paymentOptions.mockResolvedValue([ykb]);
    mocked.quote.mockResolvedValue([
      { count: 1, total: '1500.00', perInstallment: '1500.00', firstInstallment: '1500.00', commission: '26.85', net: '1473.15' },
      { count: 3, total: '1500.00', perInstallment: '500.00', firstInstallment: '500.00', commission: '71.85', net: '1428.15' },
    ]);
    render(Rates);
    expect(await screen.findByText('Yapı Kredi World')).toBeTruthy();
    expect(screen.getAllByTestId('pos-card')).toHaveLength(1);
    expect(screen.getByText('%4,79')).toBeTruthy();
    expect(screen.getByText('+2 ek taksit')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('quote-amount'), { target: { value: '1.500,00' } });
    await waitFor(() => expect(screen.getByText('₺1.473,15')).toBeTruthy());
    expect(mocked.quote).toHaveBeenCalledWith({ amount: '1500.00', commissionToCustomer: false, rows: ykb.installments });
  });

  it('says why a typed amount is wrong and quotes nothing', async () => {
    mocked.paymentOptions.mockResolvedValue([ykb]);
    render(Rates);
    await screen.findByText('Yapı Kredi World');
    await fireEvent.input(screen.getByTestId('quote-amount'), { target: { value: '12,345' } });
    expect(await screen.findByText('Tutar en fazla iki ondalık basamak içerebilir.')).toBeTruthy();
    expect(mocked.quote).not.toHaveBeenCalled();
  });

  it('shows a translated error when the gateway is unreachable', async () => {
    mocked.paymentOptions.mockRejectedValue({ code: 'connect', message: 'x', details: {} });
    render(Rates);
    expect(await screen.findByText(/Ödeme sistemine ulaşılamıyor/)).toBeTruthy();
  });
});

describe('Payment', () => {
  async function fill() {
    mocked.newOrderReference.mockResolvedValue('DD-20261121-ABC123');
    mocked.binOptions.mockResolvedValue({ poses: [ykb], threeDLimit: null });
    mocked.quote.mockResolvedValue([]);
    render(Payment);
    await waitFor(() => expect(mocked.newOrderReference).toHaveBeenCalled());
    const set = async (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '1.234,56' } });
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    await waitFor(() => expect(mocked.binOptions).toHaveBeenCalledWith('41556501', 'TRY', '1234.56'));
    await set('Kart üzerindeki isim', 'AYSE YILMAZ');
    await fireEvent.input(screen.getByTestId('expiry'), { target: { value: '12/30' } });
    await fireEvent.input(screen.getByTestId('cvv'), { target: { value: '000' } });
    await set(/^Ad$/, 'Ayşe');
    await set('Soyad', 'Yılmaz');
    await set('E-posta', 'ayse@example.com');
  }

  it('does not send a mistyped card and says why', async () => {
    await fill();
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416112' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText('Kart numarası hatalı yazılmış (kontrol hanesi tutmuyor).')).toBeTruthy();
    expect(mocked.pay).not.toHaveBeenCalled();
  });

  it('sends once, with exact values, and clears the card', async () => {
    await fill();
    let finish: (v: unknown) => void = () => {};
    mocked.pay.mockReturnValue(new Promise((resolve) => (finish = resolve)) as never);
    const submit = screen.getByTestId('pay-submit');
    await fireEvent.click(submit);
    await fireEvent.click(submit);
    expect(mocked.pay).toHaveBeenCalledTimes(1);
    const input = mocked.pay.mock.calls[0]?.[0];
    if (!input) throw new Error('pay was not called');
    expect(input.amount).toBe('1234.56');
    expect(input.card.number).toBe('4155650100416111');
    expect(input.orderReference).toBe('DD-20261121-ABC123');
    expect((screen.getByTestId('card-number') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('cvv') as HTMLInputElement).value).toBe('');
    progress('checking');
    expect(await screen.findByTestId('checking')).toBeTruthy();
    expect(screen.getByTestId('checking').textContent).toContain('Sonuç belirsiz');
    finish({ kind: 'approved', transaction: tx({ amount: '1234.56', remaining: '1234.56' }) });
    expect(await screen.findByText(/₺1.234,56 tahsil edildi/)).toBeTruthy();
  });

  it('says the outcome is unknown and offers a check, not a resend', async () => {
    await fill();
    mocked.pay.mockResolvedValue({ kind: 'unknown', orderReference: 'DD-20261121-ABC123', reason: 'timeout' });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText(/Yeniden çekim yapmayın/)).toBeTruthy();
    mocked.lookup.mockResolvedValue(tx());
    await fireEvent.click(screen.getByText('Tekrar sorgula'));
    expect(mocked.lookup).toHaveBeenCalledWith({ by: 'orderReference', value: 'DD-20261121-ABC123' });
    expect(await screen.findByText('Ödeme onaylandı')).toBeTruthy();
    expect(mocked.pay).toHaveBeenCalledTimes(1);
  });
});

describe('Transaction detail', () => {
  it('refuses a refund above what is left without calling the gateway', async () => {
    render(TransactionDetail, { transaction: tx({ remaining: '235.00' }), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-refund'));
    expect((screen.getByTestId('refund-amount') as HTMLInputElement).value).toBe('235,00');
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '235,01' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'iade' } });
    await submitForm('reason');
    expect(await screen.findByText('En fazla ₺235,00 iade edilebilir.')).toBeTruthy();
    expect(mocked.refund).not.toHaveBeenCalled();
  });

  it('asks for confirmation naming the amount, then refunds once', async () => {
    const onchange = vi.fn();
    mocked.refund.mockResolvedValue(tx({ state: 'partiallyRefunded', remaining: '220.00' }));
    render(TransactionDetail, { transaction: tx(), onchange });
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'ürün iadesi' } });
    await submitForm('reason');
    expect(await screen.findByText('₺30,00 karta iade edilsin mi?')).toBeTruthy();
    expect(mocked.refund).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(mocked.refund).toHaveBeenCalledTimes(1);
    expect(mocked.refund).toHaveBeenCalledWith({ referenceCode: 'NTH2P00000003100', amount: '30', reason: 'ürün iadesi' });
  });

  it('offers no cancel or refund when none is possible', () => {
    render(TransactionDetail, { transaction: tx({ state: 'cancelled', remaining: '0.00', canCancel: false, canRefund: false }), onchange: vi.fn() });
    expect(screen.queryByTestId('start-refund')).toBeNull();
    expect(screen.queryByTestId('start-cancel')).toBeNull();
    expect(screen.getByText('Bu işlem için iptal veya iade yapılamaz.')).toBeTruthy();
  });
});
