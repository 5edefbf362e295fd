// Operators, roles and refund approval as the screens show them (ARCHITECTURE.md). Rust enforces the
// roles; these check that each role is offered what it may do and that the PIN never lingers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app, lockDesk } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { tr } from '../lib/i18n/tr';
import { demoEntry, demoScreen, demoStatus, demoTransaction, staffOn } from '../test-fixtures';
import type { Approval } from '../lib/api';
import SignIn from './SignIn.svelte';
import Approvals from './Approvals.svelte';
import Operators from './Operators.svelte';
import TransactionDetail from './TransactionDetail.svelte';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
  app.approvals = [];
});
afterEach(() => cleanup());

function request(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 7,
    kind: 'refund',
    createdAt: '2026-11-22T08:00:00.000Z',
    profileId: 'demo',
    referenceCode: 'NTH2P00000003100',
    transactionId: 'tx-1',
    orderReference: 'DD-1',
    amount: '900',
    currency: 'TRY',
    reason: 'Ürün iade edildi',
    remainingSeen: '1200.00',
    requestedBy: 'Ayşe',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    note: null,
    entryId: null,
    refundOutcome: null,
    ...overrides,
  };
}

describe('Sign-in', () => {
  it('says a wrong PIN in Turkish and never keeps the PIN', async () => {
    app.staff = staffOn(null);
    fake.fails('sign_in', { code: 'sign_in_failed', message: 'x', details: {} });
    render(SignIn);
    await fireEvent.change(screen.getByTestId('sign-in-name'), { target: { value: '3' } });
    await fireEvent.input(screen.getByTestId('sign-in-pin'), { target: { value: '9999' } });
    await fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect((await screen.findByTestId('sign-in-error')).textContent).toBe('Ad ve PIN eşleşmiyor. Yeniden deneyin.');
    expect(fake.callsOf('sign_in')[0]).toEqual({ input: { operatorId: 3, pin: '9999' } });
    expect((screen.getByTestId('sign-in-pin') as HTMLInputElement).value).toBe('');
  });

  it('signs in and loads the requests', async () => {
    app.staff = staffOn(null);
    fake.returns('sign_in', staffOn('Zeynep')).returns('staff_status', staffOn('Zeynep')).returns('list_approvals', [request()]);
    render(SignIn);
    await fireEvent.input(screen.getByTestId('sign-in-pin'), { target: { value: '111111' } });
    await fireEvent.click(screen.getByTestId('sign-in-submit'));
    await vi.waitFor(() => expect(app.approvals).toHaveLength(1));
    expect(app.staff?.signedIn?.name).toBe('Zeynep');
    expect(fake.callsOf('sign_in')[0]).toEqual({ input: { operatorId: 1, pin: '111111' } });
  });
});

describe('Refund approvals', () => {
  it('lets a supervisor reject only with a note, then approve another', async () => {
    app.staff = staffOn('Zeynep');
    app.approvals = [request(), request({ id: 8, amount: '300', requestedBy: 'Ayşe' })];
    fake.answer('decide_approval', ({ input }) =>
      request({ id: input.approvalId, status: input.approve ? 'approved' : 'rejected', decidedBy: 'Zeynep', refundOutcome: input.approve ? 'success' : null }),
    );
    fake.returns('staff_status', staffOn('Zeynep')).returns('list_approvals', []);
    render(Approvals, { onopen: vi.fn() });
    const [reject] = screen.getAllByTestId('reject') as [HTMLElement];
    await fireEvent.click(reject);
    expect(screen.getByText('İsteyen için nedenini yazın.')).toBeTruthy();
    expect(fake.callsOf('decide_approval')).toHaveLength(0);

    await fireEvent.input((screen.getAllByTestId('approval-note') as [HTMLElement])[0], { target: { value: 'Fatura yok' } });
    await fireEvent.click(reject);
    expect((await screen.findByTestId('approval-notice')).textContent).toBe('Reddedildi. Hiçbir şey gönderilmedi.');
    expect(fake.callsOf('decide_approval')[0]).toEqual({ input: { approvalId: 7, approve: false, note: 'Fatura yok' } });
  });

  it('approves after a confirmation that names the amount and who asked', async () => {
    app.staff = staffOn('Zeynep');
    app.approvals = [request()];
    fake.answer('decide_approval', () => request({ status: 'approved', decidedBy: 'Zeynep', refundOutcome: 'success' }));
    fake.returns('staff_status', staffOn('Zeynep')).returns('list_approvals', []);
    render(Approvals, { onopen: vi.fn() });
    await fireEvent.click(screen.getByTestId('approve'));
    expect(screen.getByText(/Ayşe adlı operatörün istediği ₺900,00 iade edilsin mi\?/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('confirm'));
    expect((await screen.findByTestId('approval-notice')).textContent).toBe('Onaylandı. ₺900,00 iadesi gönderildi: Başarılı.');
    expect(fake.callsOf('decide_approval')[0]).toEqual({ input: { approvalId: 7, approve: true, note: '', emailCustomer: 'tr' } });
  });

  it('shows the back office what waits, without approve or reject', () => {
    app.staff = staffOn('Ayşe');
    app.approvals = [request()];
    render(Approvals, { onopen: vi.fn() });
    expect(screen.getByTestId('approval-status').textContent).toBe('Yönetici onayı bekliyor');
    expect(screen.queryByTestId('approve')).toBeNull();
    expect(screen.queryByTestId('reject')).toBeNull();
  });
});

describe('Cancels and refunds by role', () => {
  /** What Rust offers Ayşe (back office, up to ₺50) on a fresh ₺250 sale. */
  const ayse = { withoutApprovalUpTo: '50.00', mayResolve: false };

  it('sends a back-office refund above the limit for approval, not to the gateway', async () => {
    app.staff = staffOn('Ayşe');
    fake.returns('request_refund_approval', request({ amount: '200' })).returns('staff_status', staffOn('Ayşe')).returns('list_approvals', [request()]);
    render(TransactionDetail, { screen: demoScreen(demoTransaction(), [], ayse), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-refund'));
    expect(screen.getByTestId('refund-limit').textContent).toBe('₺50,00 üzerindeki iadeler onay için yöneticiye gider.');
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '200' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'Ürün iade edildi' } });
    await fireEvent.click(screen.getByTestId('submit-reversal'));
    expect(screen.getByText(/₺200,00 iade, ₺50,00 olan limitinizin üzerinde/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('confirm'));
    await vi.waitFor(() => expect(fake.callsOf('request_refund_approval')).toHaveLength(1));
    expect(fake.callsOf('request_refund_approval')[0]).toEqual({
      input: { referenceCode: 'NTH2P00000003100', amount: '200', reason: 'Ürün iade edildi', remainingSeen: '250.00' },
    });
    expect(fake.callsOf('refund_transaction')).toHaveLength(0);
  });

  it('sends a back-office cancel above the limit for approval, not to the gateway', async () => {
    app.staff = staffOn('Ayşe');
    fake.returns('request_cancel_approval', request({ kind: 'cancel', amount: '250.00' })).returns('staff_status', staffOn('Ayşe')).returns('list_approvals', []);
    render(TransactionDetail, { screen: demoScreen(demoTransaction(), [], ayse), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-cancel'));
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'Müşteri vazgeçti' } });
    await fireEvent.click(screen.getByTestId('submit-reversal'));
    expect(screen.getByText(/₺250,00 iptali ₺50,00 olan limitinizin üzerinde/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('confirm'));
    await vi.waitFor(() => expect(fake.callsOf('request_cancel_approval')).toHaveLength(1));
    expect(fake.callsOf('request_cancel_approval')[0]).toEqual({
      input: { referenceCode: 'NTH2P00000003100', reason: 'Müşteri vazgeçti', remainingSeen: '250.00' },
    });
    expect(fake.callsOf('cancel_transaction')).toHaveLength(0);
  });

  it('files a request above what Rust says is left of the limit on this transaction', async () => {
    app.staff = staffOn('Ayşe');
    const earlier = demoEntry({ kind: 'refund', operator: 'Ayşe', amount: '40.00', outcome: 'success', referenceCode: 'NTH2P00000003100' });
    fake.returns('request_refund_approval', request({ amount: '20' })).returns('staff_status', staffOn('Ayşe')).returns('list_approvals', []);
    render(TransactionDetail, { screen: demoScreen(demoTransaction(), [earlier], { ...ayse, withoutApprovalUpTo: '10.00' }), onchange: vi.fn() });
    await fireEvent.click(screen.getByTestId('start-refund'));
    expect(screen.getByTestId('refund-limit').textContent).toBe('₺10,00 üzerindeki iadeler onay için yöneticiye gider.');
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '20' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'Ürün iade edildi' } });
    await fireEvent.click(screen.getByTestId('submit-reversal'));
    await fireEvent.click(screen.getByTestId('confirm'));
    await vi.waitFor(() => expect(fake.callsOf('request_refund_approval')).toHaveLength(1));
    expect(fake.callsOf('refund_transaction')).toHaveLength(0);
  });

  it('offers a cashier no cancel or refund', () => {
    app.staff = staffOn('Ali');
    render(TransactionDetail, { screen: demoScreen(demoTransaction(), [], { mayCancel: false, mayRefund: false, mayResolve: false }), onchange: vi.fn() });
    expect(screen.queryByTestId('start-refund')).toBeNull();
    expect(screen.queryByTestId('start-cancel')).toBeNull();
    expect(screen.getByTestId('role-note').textContent).toBe('İptal ve iadeleri arka ofis ya da bir yönetici yapar.');
  });
});

describe('Locking the desk', () => {
  /** Issue 29, 8: the next operator never sees the previous one's transaction or payment. */
  it('clears the open transaction, the chosen quote and a finished payment', async () => {
    app.staff = staffOn('Ayşe');
    app.transaction = demoScreen();
    app.draft = { amount: '100.00', currency: 'TRY', posId: 'pos-1', installment: 1 };
    app.payment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'done', outcome: null, demo: true };
    fake.returns('sign_out', staffOn(null));
    fake.returns('dismiss_payment', null);
    await lockDesk();
    expect(app.transaction).toBeNull();
    expect(app.draft).toBeNull();
    expect(app.payment).toBeNull();
    expect(fake.callsOf('dismiss_payment')).toHaveLength(1);
  });

  it('keeps a payment still on its way: it belongs to the desk, not to an operator', async () => {
    app.staff = staffOn('Ali');
    app.payment = { orderReference: 'DD-2', amount: '10.00', currency: 'TRY', phase: 'waitingFor3d', outcome: null, demo: true };
    fake.returns('sign_out', staffOn(null));
    await lockDesk();
    expect(app.payment?.orderReference).toBe('DD-2');
    expect(fake.callsOf('dismiss_payment')).toHaveLength(0);
  });
});

describe('Operators', () => {
  it('turns operators on with a first supervisor, sending the PIN once and clearing it', async () => {
    app.staff = { operatorsOn: false, signedIn: null, names: [], lockAfterMinutes: 5 };
    fake.returns('list_operators', []);
    fake.returns('save_operator', [{ id: 1, name: 'Zeynep', role: 'supervisor', refundLimit: null, active: true, pinBlocked: false }]);
    fake.returns('staff_status', staffOn('Zeynep')).returns('list_approvals', []);
    render(Operators);
    expect(screen.getByTestId('operators-off')).toBeTruthy();
    expect((screen.getByTestId('operator-role') as HTMLSelectElement).value).toBe('supervisor');
    await fireEvent.input(screen.getByTestId('operator-name'), { target: { value: 'Zeynep' } });
    await fireEvent.input(screen.getByTestId('operator-pin'), { target: { value: '111111' } });
    await fireEvent.click(screen.getByTestId('operator-save'));
    await vi.waitFor(() => expect(app.staff?.operatorsOn).toBe(true));
    expect(fake.callsOf('save_operator')[0]).toEqual({
      input: { id: null, name: 'Zeynep', role: 'supervisor', pin: '111111', refundLimit: null, active: true },
    });
    expect((screen.getByTestId('operator-pin') as HTMLInputElement).value).toBe('');
  });

  it('shows a refused PIN at its field', async () => {
    app.staff = staffOn('Zeynep');
    fake.returns('list_operators', []);
    fake.fails('save_operator', { code: 'invalid_input', message: 'x', details: { field: 'pin', reason: 'pin_digits' } });
    render(Operators);
    await fireEvent.input(screen.getByTestId('operator-name'), { target: { value: 'Veli' } });
    await fireEvent.input(screen.getByTestId('operator-pin'), { target: { value: '12' } });
    await fireEvent.click(screen.getByTestId('operator-save'));
    expect(await screen.findByText('PIN 4 ile 12 arası rakamdan oluşur.')).toBeTruthy();
    expect(screen.getByTestId('operator-pin').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Operators: PINs', () => {
  it('refuses a supervisor PIN of fewer than 6 digits before sending', async () => {
    app.staff = staffOn('Zeynep');
    fake.returns('list_operators', []);
    render(Operators);
    await fireEvent.input(screen.getByTestId('operator-name'), { target: { value: 'Veli' } });
    await fireEvent.change(screen.getByTestId('operator-role'), { target: { value: 'supervisor' } });
    await fireEvent.input(screen.getByTestId('operator-pin'), { target: { value: '12345' } });
    await fireEvent.click(screen.getByTestId('operator-save'));
    await screen.findByText(tr['reasons.supervisor_pin_digits']);
    expect(fake.callsOf('save_operator')).toHaveLength(0);
    expect((screen.getByTestId('operator-pin') as HTMLInputElement).value).toBe('');
  });
});
