import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { BinOptionsView, Entry, PaymentInput, PaymentOutcome, PosView } from '../lib/api';

import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { connection } from '../lib/api';
import { app, followMoneyPath, openTransaction } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import Rates from './Rates.svelte';
import Payment from './Payment.svelte';
import Lookup from './Lookup.svelte';
import TransactionDetail from '../components/TransactionDetail.svelte';
import Receipt from '../components/Receipt.svelte';
import { demoEntry, demoProfile, demoScreen, demoStatus, demoTransaction } from '../test-fixtures';
import { receiptNumber, type ReceiptData } from '../lib/receipt';

let fake: FakeBackend;

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
  threeD: 'optional',
  cvvUsed: true,
};

/** A BIN answer: what the gateway said of the card, nothing more than `overrides` by default. */
function binAnswer(overrides: Partial<BinOptionsView>): BinOptionsView {
  return { poses: [ykb], threeDLimit: null, cardKnown: true, installmentLowerLimit: null, commApplyType: null, brand: null, ...overrides };
}

const tx = demoTransaction;

function outcome(overrides: Partial<PaymentOutcome> = {}): PaymentOutcome {
  return {
    orderReference: 'DD-20261121-ABC123',
    amount: '1234.56',
    currency: 'TRY',
    outcome: 'success',
    doubt: null,
    code: null,
    message: null,
    transaction: tx({ amount: '1234.56', remaining: '1234.56' }),
    demo: false,
    journaled: true,
    ...overrides,
  };
}

afterEach(() => cleanup());

async function submitForm(testId: string) {
  const form = screen.getByTestId(testId).closest('form');
  if (!form) throw new Error(`no form around ${testId}`);
  await fireEvent.submit(form);
}

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.payment = null;
});

describe('Rates', () => {
  it('shows one card per POS and quotes a typed Turkish amount', async () => {
    fake.returns('payment_options', [ykb]);
    fake.returns('quote', [
      {
        tenantPosId: ykb.tenantPosId,
        rows: [
          { count: 1, total: '1500.00', perInstallment: '1500.00', firstInstallment: '1500.00', commission: '26.85', net: '1473.15' },
          { count: 3, total: '1500.00', perInstallment: '500.00', firstInstallment: '500.00', commission: '71.85', net: '1428.15' },
        ],
      },
    ]);
    render(Rates);
    expect(await screen.findByText('Yapı Kredi World')).toBeTruthy();
    expect(screen.getAllByTestId('pos-card')).toHaveLength(1);
    expect(screen.getByText('%4,79')).toBeTruthy();
    expect(screen.getByText('+2 ek taksit')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('quote-amount'), { target: { value: '1.500,00' } });
    await waitFor(() => expect(screen.getByText('₺1.473,15')).toBeTruthy());
    expect(fake.callsOf('quote')).toEqual([
      { input: { amount: '1500.00', currency: 'TRY', commissionToCustomer: false, tenantPosIds: [ykb.tenantPosId], forCard: false } },
    ]);
  });

  it('takes a quoted row into a new payment: the amount the customer pays, the POS and the installments', async () => {
    fake.returns('payment_options', [ykb]).returns('quote', [
      {
        tenantPosId: ykb.tenantPosId,
        rows: [
          { count: 1, total: '1527.35', perInstallment: '1527.35', firstInstallment: '1527.35', commission: '27.35', net: '1500.00' },
          { count: 3, total: '1575.47', perInstallment: '525.16', firstInstallment: '525.15', commission: '75.47', net: '1500.00' },
        ],
      },
    ]);
    app.screen = 'rates';
    render(Rates);
    await fireEvent.input(await screen.findByTestId('quote-amount'), { target: { value: '1.500' } });
    await fireEvent.click(await screen.findByTestId(`take-${ykb.tenantPosId}-3`));
    expect(app.screen).toBe('payment');
    expect(app.draft).toEqual({ amount: '1575.47', currency: 'TRY', posId: ykb.tenantPosId, installment: 3 });
    cleanup();

    fake.returns('new_order_reference', 'DD-1').returns('bin_options', binAnswer({ poses: [ykb], threeDLimit: null, cardKnown: true }));
    render(Payment);
    expect((screen.getByTestId('amount') as HTMLInputElement).value).toBe('1.575,47');
    expect(app.draft, 'used once').toBeNull();
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    await waitFor(() => expect((screen.getByLabelText(/3 taksit/) as HTMLInputElement).checked).toBe(true));
  });

  it('says why a typed amount is wrong and quotes nothing', async () => {
    fake.returns('payment_options', [ykb]);
    render(Rates);
    await screen.findByText('Yapı Kredi World');
    await fireEvent.input(screen.getByTestId('quote-amount'), { target: { value: '12,345' } });
    expect(await screen.findByText('Tutar en fazla iki ondalık basamak içerebilir.')).toBeTruthy();
    expect(fake.callsOf('quote')).toHaveLength(0);
  });

  it('shows a translated error when the gateway is unreachable', async () => {
    fake.fails('payment_options', { code: 'connect', message: 'x', details: {} });
    render(Rates);
    expect(await screen.findByText(/Ödeme sistemine ulaşılamıyor/)).toBeTruthy();
    expect(connection.state, 'the status bar learns it without the screen saying so').toBe('failed');
  });
});

describe('Payment', () => {
  it('names an optional field with a space before "optional", so a screen reader does not run the words together', async () => {
    fake.returns('new_order_reference', 'DD-1');
    render(Payment);
    expect(screen.getByLabelText('Telefon (isteğe bağlı)').tagName).toBe('INPUT');
    expect(screen.getByLabelText('T.C. kimlik no (isteğe bağlı)').tagName).toBe('INPUT');
  });

  it('says where the POS list comes from until it is there, and not after', async () => {
    fake.returns('new_order_reference', 'DD-1').returns('bin_options', binAnswer({ poses: [ykb], threeDLimit: null, cardKnown: true }));
    render(Payment);
    const hint = () => screen.queryByText('İlk 6 hane girilince POS ve taksitler görünür.');
    expect(hint()).toBeTruthy();
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    await screen.findByText('Yapı Kredi World');
    expect(hint(), 'the list is there: the hint has done its job').toBeNull();
  });

  /** Fills the form whole with a card the BIN lookup answers for with `answer`. */
  async function fill(answer: BinOptionsView = binAnswer({})) {
    fake.returns('new_order_reference', 'DD-20261121-ABC123');
    fake.returns('bin_options', answer);
    fake.returns('quote', []);
    render(Payment);
    await waitFor(() => expect(fake.callsOf('new_order_reference').length).toBeGreaterThan(0));
    const set = async (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '1.234,56' } });
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    await waitFor(() => expect(fake.callsOf('bin_options')).toContainEqual({ input: { bin: '41556501', currency: 'TRY', amount: '1234.56' } }));
    // The installment amounts are quoted on the card's own rates, which Rust holds.
    await waitFor(() =>
      expect(fake.callsOf('quote')).toContainEqual({
        input: { amount: '1234.56', currency: 'TRY', commissionToCustomer: false, tenantPosIds: [ykb.tenantPosId], forCard: true },
      }),
    );
    await set('Kart üzerindeki isim', 'AYSE YILMAZ');
    await fireEvent.input(screen.getByTestId('expiry'), { target: { value: '12/30' } });
    await fireEvent.input(screen.getByTestId('cvv'), { target: { value: '000' } });
    await set(/^Ad$/, 'Ayşe');
    await set('Soyad', 'Yılmaz');
    await set('E-posta', 'ayse@example.com');
  }

  it('e-mails the receipt only when ticked, in the language chosen', async () => {
    app.status = demoStatus();
    await fill();
    fake.returns('pay', outcome());
    const tick = screen.getByTestId('email-customer') as HTMLInputElement;
    expect(tick.checked, 'ticked by default once an e-mail is typed').toBe(true);
    expect(screen.getByText('Dekontu ayse@example.com adresine e-postayla gönder')).toBeTruthy();
    expect(screen.getByText(/Demo: e-posta gönderilmez/)).toBeTruthy();
    await fireEvent.change(screen.getByTestId('email-language'), { target: { value: 'en' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    await waitFor(() => expect(fake.callsOf('pay')).toHaveLength(1));
    expect(fake.callsOf('pay')[0]?.input.emailCustomer).toBe('en');
  });

  it('sends no receipt when the box is cleared', async () => {
    app.status = demoStatus();
    await fill();
    fake.returns('pay', outcome());
    await fireEvent.click(screen.getByTestId('email-customer'));
    expect(screen.queryByTestId('email-language'), 'no language to choose for no letter').toBeNull();
    await fireEvent.click(screen.getByTestId('pay-submit'));
    await waitFor(() => expect(fake.callsOf('pay')).toHaveLength(1));
    expect(fake.callsOf('pay')[0]?.input.emailCustomer).toBeUndefined();
  });

  it('offers no receipt where e-mail is not set up, and says where to set it up', async () => {
    app.status = { ...demoStatus(), mail: { server: null, hasPassword: false, available: false } };
    await fill();
    expect(screen.queryByTestId('email-customer')).toBeNull();
    expect(screen.getByTestId('email-not-set-up').textContent).toBe('Müşteriye e-posta kurulmamış (Ayarlar).');
  });

  it('does not send a mistyped card and says why', async () => {
    await fill();
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416112' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText('Kart numarası hatalı yazılmış (kontrol hanesi tutmuyor).')).toBeTruthy();
    expect(fake.callsOf('pay')).toHaveLength(0);
  });

  it('sends once, with exact values, and clears the card', async () => {
    await fill();
    let finish: (v: PaymentOutcome) => void = () => {};
    fake.answer('pay', () => new Promise<PaymentOutcome>((resolve) => (finish = resolve)));
    const submit = screen.getByTestId('pay-submit');
    await fireEvent.click(submit);
    await fireEvent.click(submit);
    expect(fake.callsOf('pay')).toHaveLength(1);
    const input = fake.callsOf('pay')[0]?.input;
    if (!input) throw new Error('pay was not called');
    expect(input.amount).toBe('1234.56');
    expect(input.card.number).toBe('4155650100416111');
    expect(input.orderReference).toBe('DD-20261121-ABC123');
    expect((screen.getByTestId('card-number') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('cvv') as HTMLInputElement).value).toBe('');
    // Rust reports the payment's phase (the payment-progress event lands in app.payment).
    app.payment = { orderReference: 'DD-20261121-ABC123', amount: '1234.56', currency: 'TRY', phase: 'checking', outcome: null, demo: false };
    expect(await screen.findByTestId('checking')).toBeTruthy();
    expect(screen.getByTestId('checking').textContent).toContain('Sonuç belirsiz');
    expect(screen.queryByTestId('pay-submit'), 'no form while a payment runs').toBeNull();
    finish(outcome());
    expect(await screen.findByText(/₺1.234,56 tahsil edildi/)).toBeTruthy();
  });

  it('never calls a payment in doubt approved: checking again asks Rust for the verdict', async () => {
    await fill();
    const pending = outcome({ outcome: 'inDoubt', doubt: 'gatewayPending', transaction: tx({ state: 'pending', remaining: '0.00' }) });
    fake.returns('pay', pending);
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText(/yeniden çekmeyin/)).toBeTruthy();
    expect(screen.getByTestId('in-doubt').textContent).toContain('3D Secure');
    fake.returns('check_payment', pending);
    await fireEvent.click(screen.getByTestId('check-again'));
    expect(fake.callsOf('check_payment')).toContainEqual({ orderReference: 'DD-20261121-ABC123' });
    await waitFor(() => expect(fake.callsOf('check_payment')).toHaveLength(1));
    expect(screen.queryByText('Ödeme onaylandı'), 'a pending transaction is not an approval').toBeNull();
    fake.returns('check_payment', outcome());
    await fireEvent.click(screen.getByTestId('check-again'));
    expect(await screen.findByText('Ödeme onaylandı')).toBeTruthy();
    expect(fake.callsOf('lookup_transaction')).toHaveLength(0);
    expect(fake.callsOf('pay')).toHaveLength(1);
  });

  it('shows the payment in progress on coming back, not a fresh form', async () => {
    fake.returns('new_order_reference', 'DD-NEW');
    app.payment = { orderReference: 'DD-OPEN', amount: '100.00', currency: 'TRY', phase: 'waitingFor3d', outcome: null, demo: true };
    render(Payment);
    expect(await screen.findByTestId('payment-running')).toBeTruthy();
    expect(screen.getByText(/DD-OPEN/)).toBeTruthy();
    expect(screen.getByText(/3D Secure/)).toBeTruthy();
    expect(screen.queryByTestId('pay-submit')).toBeNull();
    expect(fake.callsOf('new_order_reference')).toHaveLength(0);
  });

  it('marks a demo result unmistakably', async () => {
    app.payment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'done', outcome: outcome({ demo: true }), demo: true };
    render(Payment);
    expect((await screen.findByTestId('demo-badge')).textContent).toContain('DEMO');
  });

  it('says when an approved payment is not yet in the journal, and that its order is used', async () => {
    app.payment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'done', outcome: outcome({ journaled: false }), demo: false };
    render(Payment);
    const note = await screen.findByTestId('not-journaled');
    expect(note.textContent).toContain('Henüz kayıtta değil');
    expect(note.textContent).toContain('DD-20261121-ABC123');
    expect(screen.getByText(/Ödeme onaylandı|onaylandı/)).toBeTruthy();
  });

  it('says nothing about the journal when the payment is in it', async () => {
    app.payment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'done', outcome: outcome(), demo: false };
    render(Payment);
    await screen.findByTestId('payment-result');
    expect(screen.queryByTestId('not-journaled')).toBeNull();
  });

  it('links the reason to the field, names the field only by its label, and puts focus there', async () => {
    await fill();
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416112' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    const card = screen.getByLabelText('Kart numarası');
    expect(card).toBe(screen.getByTestId('card-number'));
    expect(card.getAttribute('aria-invalid')).toBe('true');
    const note = document.getElementById(card.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('Kart numarası hatalı yazılmış (kontrol hanesi tutmuyor).');
    await waitFor(() => expect(document.activeElement).toBe(card));
  });

  it('takes the customer from the name on the card until the operator types one', async () => {
    fake.returns('new_order_reference', 'DD-1').returns('quote', []);
    render(Payment);
    await fireEvent.input(screen.getByTestId('holder'), { target: { value: 'AYŞE NUR YILMAZ' } });
    expect((screen.getByTestId('name') as HTMLInputElement).value).toBe('Ayşe Nur');
    expect((screen.getByTestId('surname') as HTMLInputElement).value).toBe('Yılmaz');
    await fireEvent.input(screen.getByTestId('name'), { target: { value: 'Mehmet' } });
    await fireEvent.input(screen.getByTestId('holder'), { target: { value: 'ALİ VELİ' } });
    expect((screen.getByTestId('name') as HTMLInputElement).value, 'typed by the operator: kept').toBe('Mehmet');
  });

  it('after "New payment", an empty form sent at once says what is missing', async () => {
    fake.returns('new_order_reference', 'DD-2').returns('dismiss_payment', null).returns('quote', []);
    app.payment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'done', outcome: outcome(), demo: true };
    render(Payment);
    await fireEvent.click(await screen.findByTestId('new-payment'));
    const submit = await screen.findByTestId('pay-submit');
    await fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('amount')));
    expect(screen.getByTestId('amount').getAttribute('aria-invalid')).toBe('true');
  });

  it('asks again when the amount changes and drops an installment no longer offered, saying so', async () => {
    await fill();
    await fireEvent.click(screen.getByLabelText(/3 taksit/));
    const single = { ...ykb, installments: ykb.installments.filter((i) => i.count === 1) };
    fake.returns('bin_options', binAnswer({ poses: [single], threeDLimit: null, cardKnown: true }));
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '50' } });
    await waitFor(() => expect(fake.callsOf('bin_options')).toContainEqual({ input: { bin: '41556501', currency: 'TRY', amount: '50' } }), { timeout: 2000 });
    expect((await screen.findByTestId('installment-dropped')).textContent).toBe('Bu tutarda 3 taksit sunulmuyor; tek çekime alındı.');
    expect((screen.getByLabelText(/Tek çekim/) as HTMLInputElement).checked).toBe(true);
  });

  it('takes a card the gateway does not know in one payment on the POS Rust offers, saying so', async () => {
    const single = { ...ykb, installments: ykb.installments.filter((i) => i.count === 1) };
    fake.returns('new_order_reference', 'DD-1').returns('quote', []).returns('bin_options', binAnswer({ poses: [single], threeDLimit: null, cardKnown: false }));
    render(Payment);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '100' } });
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4022774022774026' } });
    expect(await screen.findByText('Kart tanınmadı: varsayılan POS üzerinden tek çekim.')).toBeTruthy();
    expect((screen.getByLabelText(/Tek çekim/) as HTMLInputElement).checked).toBe(true);
    expect(fake.callsOf('payment_options'), 'the screen asks nothing more: Rust chose the POS').toHaveLength(0);
  });

  it('turns 3D Secure on above the POS limit and says why', async () => {
    fake.returns('new_order_reference', 'DD-1').returns('quote', []).returns('bin_options', binAnswer({ poses: [ykb], threeDLimit: '1000.00', cardKnown: true }));
    render(Payment);
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    const threeD = screen.getByLabelText(/3D Secure/) as HTMLInputElement;
    await fireEvent.click(threeD);
    expect(threeD.checked, 'off by the operator').toBe(false);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '1.500' } });
    expect((await screen.findByTestId('three-d-required', {}, { timeout: 2000 })).textContent).toBe('₺1.000,00 üzerinde banka 3D Secure istiyor.');
    expect(threeD.checked).toBe(true);
    expect(threeD.disabled).toBe(true);
  });

  it('keeps 3D Secure on where the card requires it, and off where it refuses it, saying why', async () => {
    await fill(binAnswer({ poses: [{ ...ykb, threeD: 'required' }], brand: 'visa' }));
    const threeD = screen.getByLabelText(/3D Secure/) as HTMLInputElement;
    await waitFor(() => expect(threeD.disabled).toBe(true));
    expect(threeD.checked).toBe(true);
    expect(screen.getByTestId('three-d-required').textContent).toBe('Banka bu kart için 3D Secure istiyor.');
    expect(screen.getByText('Kart: Visa')).toBeTruthy();
    cleanup();
    fake = new FakeBackend();
    useBackend(fake);
    await fill(binAnswer({ poses: [{ ...ykb, threeD: 'notAllowed' }] }));
    const barred = screen.getByLabelText(/3D Secure/) as HTMLInputElement;
    await waitFor(() => expect(barred.checked).toBe(false));
    expect(barred.disabled).toBe(true);
    expect(screen.getByTestId('three-d-required').textContent).toBe('Bu kart 3D Secure olmadan çekilir.');
  });

  it('takes a card that does not use its CVV without one, and says so', async () => {
    await fill(binAnswer({ poses: [{ ...ykb, cvvUsed: false }], commApplyType: 20 }));
    await fireEvent.input(screen.getByTestId('cvv'), { target: { value: '' } });
    expect(screen.getByText('Bu kart için istenmiyor.')).toBeTruthy();
    expect(screen.getByTestId('comm-apply-type').textContent).toBe('Komisyon uygulama tipi (ödeme sistemi kodu): 20');
    fake.returns('pay', outcome());
    await fireEvent.click(screen.getByTestId('pay-submit'));
    await waitFor(() => expect(fake.callsOf('pay')).toHaveLength(1));
    expect((fake.callsOf('pay')[0] as { input: PaymentInput }).input.card.cvv).toBe('');
  });

  it('asks for the CVV of a card whose BIN answer says nothing of it', async () => {
    await fill();
    await fireEvent.input(screen.getByTestId('cvv'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText('CVV zorunludur.')).toBeTruthy();
    expect(fake.callsOf('pay')).toHaveLength(0);
  });

  it('says from which amount the card takes installments', async () => {
    fake.returns('new_order_reference', 'DD-1').returns('quote', []).returns('bin_options', binAnswer({ installmentLowerLimit: '100.00' }));
    render(Payment);
    await fireEvent.input(screen.getByTestId('amount'), { target: { value: '50' } });
    await fireEvent.input(screen.getByTestId('card-number'), { target: { value: '4155650100416111' } });
    expect((await screen.findByTestId('installments-from')).textContent).toBe('Bu kartta taksit ₺100,00 ve üzeri tutarlarda.');
  });

  it('refuses a card number typed into a name field', async () => {
    await fill();
    await fireEvent.input(screen.getByLabelText('Soyad'), { target: { value: '4155 6501 0041 6111' } });
    await fireEvent.click(screen.getByTestId('pay-submit'));
    expect(await screen.findByText('Soyad kart numarası içeremez.')).toBeTruthy();
    expect(fake.callsOf('pay')).toHaveLength(0);
  });
});

describe('Transaction detail', () => {
  it('refuses a refund above what is left without calling the gateway', async () => {
    render(TransactionDetail, { screen: demoScreen(tx({ remaining: '235.00' })), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-refund'));
    expect((screen.getByTestId('refund-amount') as HTMLInputElement).value).toBe('235,00');
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '235,01' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'iade' } });
    await submitForm('reason');
    expect(await screen.findByText('En fazla ₺235,00 iade edilebilir.')).toBeTruthy();
    expect(fake.callsOf('refund_transaction')).toHaveLength(0);
  });

  it('asks for confirmation naming the amount, then refunds once', async () => {
    const onchange = vi.fn();
    fake.returns('refund_transaction', demoScreen(tx({ state: 'partiallyRefunded', remaining: '220.00' })));
    render(TransactionDetail, { screen: demoScreen(tx()), onchange });
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'ürün iadesi' } });
    await submitForm('reason');
    expect(await screen.findByText('₺30,00 karta iade edilsin mi?')).toBeTruthy();
    expect(fake.callsOf('refund_transaction')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(fake.callsOf('refund_transaction')).toHaveLength(1);
    expect(fake.callsOf('refund_transaction')).toEqual([{ input: { referenceCode: 'NTH2P00000003100', amount: '30', reason: 'ürün iadesi', remainingSeen: '250.00' } }]);
  });

  it('names the payment by the order reference it was found by, and says so', async () => {
    fake.returns('refund_transaction', demoScreen(tx({ state: 'partiallyRefunded', remaining: '220.00' })));
    render(TransactionDetail, { screen: demoScreen(tx()), onchange: vi.fn(), foundByOrder: 'DD-1' });
    await fireEvent.click(screen.getByTestId('start-refund'));
    expect(screen.getByTestId('sent-by-order').textContent).toBe('Ödeme sistemine DD-1 sipariş referansıyla gönderilir.');
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'ürün iadesi' } });
    await submitForm('reason');
    await fireEvent.click(await screen.findByTestId('confirm'));
    await waitFor(() => expect(fake.callsOf('refund_transaction')).toHaveLength(1));
    expect(fake.callsOf('refund_transaction')).toEqual([{ input: { referenceCode: 'NTH2P00000003100', orderReference: 'DD-1', amount: '30', reason: 'ürün iadesi', remainingSeen: '250.00' } }]);
  });

  it('names the payment by its reference code when it was found another way', async () => {
    fake.returns('cancel_transaction', demoScreen(tx({ state: 'cancelled', remaining: '0.00' })));
    render(TransactionDetail, { screen: demoScreen(tx()), onchange: vi.fn(), foundByOrder: 'DD-OTHER' });
    await fireEvent.click(screen.getByTestId('start-cancel'));
    expect(screen.queryByTestId('sent-by-order')).toBeNull();
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'vazgeçti' } });
    await submitForm('reason');
    await fireEvent.click(await screen.findByTestId('confirm'));
    await waitFor(() => expect(fake.callsOf('cancel_transaction')).toHaveLength(1));
    expect(fake.callsOf('cancel_transaction')[0]).toEqual({ input: { referenceCode: 'NTH2P00000003100', reason: 'vazgeçti', remainingSeen: '250.00' } });
    expect((fake.callsOf('cancel_transaction')[0] as { input: { orderReference?: string } }).input.orderReference).toBeUndefined();
  });

  it('sends "everything left" as the exact amount the operator confirmed', async () => {
    fake.returns('refund_transaction', demoScreen(tx({ state: 'refunded', remaining: '0.00', canRefund: false, canCancel: false })));
    render(TransactionDetail, { screen: demoScreen(tx({ state: 'partiallyRefunded', remaining: '235.00' })), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'kalanı' } });
    await submitForm('reason');
    expect(await screen.findByText('₺235,00 karta iade edilsin mi?')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(fake.callsOf('refund_transaction')).toHaveLength(1));
    expect(fake.callsOf('refund_transaction')).toEqual([{ input: { referenceCode: 'NTH2P00000003100', amount: '235.00', reason: 'kalanı', remainingSeen: '235.00' } }]);
  });

  it('lets a supervisor resolve a refund stuck in doubt, saying what the bank shows and why', async () => {
    const stuck = demoEntry({ id: 42, kind: 'refund', amount: '30', outcome: 'inDoubt', doubt: 'remainingMismatch', referenceCode: 'NTH2P00000003100' });
    const onchange = vi.fn();
    fake.returns('resolve_in_doubt', demoScreen(tx({ remaining: '50.00' })));
    render(TransactionDetail, { screen: demoScreen(tx({ remaining: '50.00' }), [stuck]), onchange });
    await fireEvent.click(screen.getByTestId('start-resolve'));
    await submitForm('resolve-reason');
    expect(await screen.findByText("Bankanın kayıtlarının ne gösterdiğini seçin.")).toBeTruthy();
    expect(fake.callsOf('resolve_in_doubt')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('resolve-applied'));
    await fireEvent.input(screen.getByTestId('resolve-reason'), { target: { value: 'ekstrede görüldü' } });
    await submitForm('resolve-reason');
    expect(await screen.findByText(/₺30,00 tutarındaki İade işlemi gerçekleşmiş olarak kaydedilsin mi/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(onchange).toHaveBeenCalled());
    expect(fake.callsOf('resolve_in_doubt')).toEqual([{ input: { entryId: 42, applied: true, reason: 'ekstrede görüldü' } }]);
    expect(screen.queryByTestId('resolve-form')).toBeNull();
  });

  it('offers no resolution to an operator Rust says may not resolve (a cashier)', async () => {
    const stuck = demoEntry({ id: 42, kind: 'refund', amount: '30', outcome: 'inDoubt' });
    render(TransactionDetail, { screen: demoScreen(tx(), [stuck], { mayCancel: false, mayRefund: false, mayResolve: false }), onchange: vi.fn() });
    expect(screen.queryByTestId('start-resolve')).toBeNull();
  });

  it('closes the form when a refund is in doubt, so the same refund cannot be confirmed twice', async () => {
    fake.fails('refund_transaction', {
      code: 'reversal_in_doubt',
      message: 'x',
      details: { remainingBefore: '100.00', remainingNow: '100.00', kind: 'refund', amount: '30', lookAgain: 'true' },
    });
    fake.returns('lookup_transaction', demoScreen(tx({ remaining: '100.00', canRefund: false, canCancel: false, reversalInDoubt: true })));
    const onchange = vi.fn();
    render(TransactionDetail, { screen: demoScreen(tx({ remaining: '100.00' })), onchange });
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'iade' } });
    await submitForm('reason');
    await fireEvent.click(await screen.findByTestId('confirm'));
    expect(await screen.findByText(/yanıtı kayboldu/)).toBeTruthy();
    expect(screen.queryByTestId('refund-amount'), 'the form is closed').toBeNull();
    await waitFor(() => expect(onchange).toHaveBeenCalledWith(expect.objectContaining({ transaction: expect.objectContaining({ reversalInDoubt: true }) })));
    expect(fake.callsOf('refund_transaction')).toHaveLength(1);
  });

  it('says an earlier reversal is unsettled and offers no new one', () => {
    render(TransactionDetail, { screen: demoScreen(tx({ canRefund: false, canCancel: false, reversalInDoubt: true })), onchange: vi.fn() });
    expect(screen.getByTestId('reversal-in-doubt')).toBeTruthy();
    expect(screen.queryByTestId('start-refund')).toBeNull();
  });

  it('offers no cancel or refund when none is possible', () => {
    render(TransactionDetail, { screen: demoScreen(tx({ state: 'cancelled', remaining: '0.00', canCancel: false, canRefund: false })), onchange: vi.fn() });
    expect(screen.queryByTestId('start-refund')).toBeNull();
    expect(screen.queryByTestId('start-cancel')).toBeNull();
    expect(screen.getByText('Bu işlem için iptal veya iade yapılamaz.')).toBeTruthy();
  });

  it('says why cancel is not offered after the sale day, and warns of a refund past the usual period', () => {
    app.status = null; // the setting unknown: the usual 30 days
    render(TransactionDetail, { screen: demoScreen(tx({ canCancel: false, noCancel: 'afterSaleDay', refundPeriodPassed: 45 })), onchange: vi.fn() });
    expect(screen.queryByTestId('start-cancel')).toBeNull();
    expect(screen.getByTestId('no-cancel').textContent).toBe('İptal yalnızca satış günü (İstanbul saatiyle) yapılabilir; sonrasında parayı iade ile geri ödeyin.');
    expect(screen.getByTestId('refund-period').textContent).toContain('Bu satış 45 günlük; bankalar iadeyi genellikle 30 gün içinde kabul eder');
    expect(screen.getByTestId('start-refund'), 'still offered: the gateway decides').toBeTruthy();
  });

  it('heads the history table with its columns, so a screen reader names each cell', () => {
    const refund = demoEntry({ id: 9, kind: 'refund', amount: '30.00', outcome: 'success', referenceCode: 'NTH2P00000003100', reason: 'ürün iadesi' });
    render(TransactionDetail, { screen: demoScreen(tx({ state: 'partiallyRefunded', remaining: '220.00' }), [refund]), onchange: vi.fn(), onreceipt: vi.fn() });
    const table = within(screen.getByTestId('history')).getByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent?.trim());
    expect(headers).toEqual(['Tarih', 'Tür', 'Tutar', 'Sonuç', 'Operatör', 'Gerekçe', 'İşlem']);
  });

  it('prints a sale receipt for any transaction opened, with its number, the customer when known and DEMO', async () => {
    const onreceipt = vi.fn();
    const history: Entry[] = [];
    render(TransactionDetail, { screen: demoScreen(tx({ state: 'partiallyRefunded', remaining: '200.00' }), history), onchange: vi.fn(), onreceipt });
    await fireEvent.click(screen.getByTestId('sale-receipt'));
    const receipt = onreceipt.mock.calls[0]?.[0] as ReceiptData;
    expect(receipt).toMatchObject({ kind: 'payment', number: 'NTH2P00000003100-S', amount: '250.00', remaining: '200.00', customer: null, result: 'state.partiallyRefunded' });
    cleanup();

    app.status = demoStatus(demoProfile({ dealerName: 'Anadolu Beyaz Eşya' }));
    render(Receipt, { receipt: { ...receipt, noMoney: 'demo', customer: { name: 'Ayşe', surname: 'Yılmaz', email: 'a@example.com', phone: null, note: null } }, onclose: vi.fn() });
    expect(screen.getByTestId('receipt-number').textContent).toBe('NTH2P00000003100-S');
    expect(screen.getByTestId('receipt-demo')).toBeTruthy();
    expect(screen.getByTestId('receipt-customer').textContent).toBe('Ayşe Yılmaz');
    expect(screen.getByTestId('receipt').textContent).toContain('Kısmen iade edildi');
    expect(screen.getByTestId('receipt').textContent).toContain('₺200,00');
  });

  it('numbers receipts by the gateway reference: the sale, its cancel, each refund', () => {
    expect(receiptNumber('payment', 'NTH2P1', 7)).toBe('NTH2P1-S');
    expect(receiptNumber('cancel', 'NTH2P1', 8)).toBe('NTH2P1-C');
    expect(receiptNumber('refund', 'NTH2P1', 9)).toBe('NTH2P1-R9');
  });
});

describe('Transactions', () => {
  // jsdom has no layout: a ResizeObserver that never reports keeps the list at its default height.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;

  it('searches once the operator pauses, not once per key typed', async () => {
    app.status = demoStatus();
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    render(Lookup);
    await waitFor(() => expect(fake.callsOf('journal_search')).toHaveLength(1));
    const search = screen.getByTestId('journal-search');
    for (const typed of ['a', 'ay', 'ays', 'ayse']) await fireEvent.input(search, { target: { value: typed } });
    await waitFor(() => expect(fake.callsOf('journal_search')).toHaveLength(2));
    expect(fake.callsOf('journal_search')[1]?.query.filter.text).toBe('ayse');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('journal_search'), 'nothing for the prefixes typed on the way').toHaveLength(2);
    await fireEvent.input(search, { target: { value: 'ays' } });
    await fireEvent.input(search, { target: { value: 'ayse' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('journal_search'), 'the same search typed again reloads nothing').toHaveLength(2);
  });

  it('names the search field once, and its example says what it finds without repeating the name', async () => {
    app.status = demoStatus();
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    render(Lookup);
    const search = screen.getByRole('searchbox', { name: 'İşlemlerde ara' });
    expect(search.getAttribute('placeholder')).toBe('Referans, müşteri, kart, tutar…');
  });

  it("shows the amount filters' examples in the operator's number format", async () => {
    app.status = demoStatus();
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    render(Lookup);
    await fireEvent.click(screen.getByRole('button', { name: 'Filtreler' }));
    expect(screen.getByLabelText('En az tutar').getAttribute('placeholder')).toBe('100,00');
    expect(screen.getByLabelText('En çok tutar').getAttribute('placeholder')).toBe('5.000,00');
    cleanup();
    setLang('en');
    render(Lookup);
    await fireEvent.click(screen.getByRole('button', { name: 'Filters' }));
    expect(screen.getByLabelText('Max amount').getAttribute('placeholder')).toBe('5,000.00');
  });

  it('refunds from the screen in one call that answers the figures, the history and the actions', async () => {
    app.status = demoStatus();
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    const refunded = demoEntry({ id: 9, kind: 'refund', amount: '30.00', outcome: 'success', referenceCode: 'NTH2P00000003100' });
    fake.returns('refund_transaction', demoScreen(tx({ state: 'partiallyRefunded', remaining: '220.00', canCancel: false }), [refunded]));
    fake.returns('current_payment', null).returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    await followMoneyPath();
    app.transaction = demoScreen();
    render(Lookup);
    await waitFor(() => expect(fake.callsOf('journal_totals')).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'ürün iadesi' } });
    await submitForm('reason');
    const before = fake.calls.length;
    await fireEvent.click(await screen.findByTestId('confirm'));
    await waitFor(() => expect(screen.getByTestId('remaining').textContent).toBe('₺220,00'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The letters to the customer are read beside the history, never on the money path.
    const moneyCalls = () => fake.calls.slice(before).map((c) => c.name).filter((name) => name !== 'transaction_letters');
    expect(moneyCalls(), 'the refund itself: one call').toEqual(['refund_transaction']);
    expect(fake.callsOf('transaction_letters').at(-1)).toEqual({ query: { entryIds: [9] } });
    expect(app.transaction?.history).toEqual([refunded]);
    // Rust says the journal changed (the refund's entry): the list below reloads its page and totals.
    fake.emit('journal-changed', { entries: 1, staff: false });
    await waitFor(() => expect(fake.callsOf('journal_totals')).toHaveLength(2));
    expect(moneyCalls()).toEqual(['refund_transaction', 'journal_search', 'journal_totals']);
  });

  it('looks up a transaction a payment result opens, with its history and actions', async () => {
    app.status = demoStatus();
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    fake.returns('lookup_transaction', demoScreen(tx({ remaining: '1234.56' })));
    app.transaction = null;
    openTransaction(tx({ remaining: '1234.56' }));
    render(Lookup);
    expect((await screen.findByTestId('remaining')).textContent).toBe('₺1.234,56');
    expect(fake.callsOf('lookup_transaction')).toEqual([{ key: { by: 'referenceCode', value: 'NTH2P00000003100' } }]);
    expect(app.opening, 'opened once').toBeNull();
  });

  it('counts every operation not final and lists the round it checked', async () => {
    app.status = demoStatus();
    app.unsettled = [];
    app.unsettledTotal = 0;
    fake.answer('journal_search', ({ query: { offset } }) => ({ total: 0, more: false, offset, entries: [] }));
    fake.answer('journal_totals', () => []);
    const inDoubt = (id: number) => demoEntry({ id, outcome: 'inDoubt', orderReference: `DD-BACKLOG-${id}` });
    fake.returns('reconcile_pending', { changes: [], unsettled: [inDoubt(1), inDoubt(2)], unsettledTotal: 120 });
    render(Lookup);
    await fireEvent.click(screen.getByTestId('check-pending'));
    const notice = await screen.findByTestId('unsettled');
    expect(notice.textContent).toContain('120 işlemin kesin sonucu henüz yok');
    expect(notice.querySelectorAll('button')).toHaveLength(2);
    expect(screen.getByTestId('unsettled-more').textContent).toBe('ve 118 işlem daha; sırayla sorgulanıyor');
  });
});
