// For the accountant, as the screens offer it: the customer's account code remembered on the
// payment form, the CSV's accounting layout, and the value days set per POS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Filter, PosView } from '../lib/api';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { demoStatus } from '../test-fixtures';
import CsvExport from './CsvExport.svelte';
import ValueDays from './ValueDays.svelte';
import Payment from '../screens/Payment.svelte';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
  app.staff = null;
  app.payment = null;
});
afterEach(() => cleanup());

const pos = (id: string, name: string): PosView => ({ tenantPosId: id, name, color: '#000', isDefault: false, showCommission: true, installments: [], threeD: 'optional', cvvUsed: true });

const everything: Filter = { from: null, to: null, kinds: [], outcomes: [], minAmount: null, maxAmount: null, reference: null, cardLast4: null, operator: null, text: null, profileId: null };

describe('For the accountant', () => {
  it("fills in the customer's account code from their last payment, never over one typed", async () => {
    fake.returns('new_order_reference', 'DD-1').returns('known_account_code', '120.01.0042');
    render(Payment);
    const email = screen.getByTestId('email') as HTMLInputElement;
    await fireEvent.input(email, { target: { value: 'ayse@example.com' } });
    await fireEvent.change(email);
    const code = screen.getByTestId('account-code') as HTMLInputElement;
    await waitFor(() => expect(code.value).toBe('120.01.0042'));
    expect(fake.callsOf('known_account_code')).toEqual([{ email: 'ayse@example.com' }]);
    expect(screen.getByText('Müşterinin son ödemesinden.')).toBeTruthy();

    await fireEvent.input(code, { target: { value: 'BAŞKA-1' } });
    await fireEvent.change(email);
    expect(fake.callsOf('known_account_code'), 'a code typed is kept').toHaveLength(1);
    expect(code.value).toBe('BAŞKA-1');
  });

  it('exports the accounting layout when chosen', async () => {
    fake.returns('export_csv', { path: '/tmp/muhasebe.csv', rows: 2 });
    render(CsvExport, { filter: everything, onexported: () => {}, onerror: () => {} });
    await fireEvent.change(screen.getByTestId('csv-layout'), { target: { value: 'accounting' } });
    await fireEvent.click(screen.getByText('CSV dışa aktar'));
    await waitFor(() => expect(fake.callsOf('export_csv')).toHaveLength(1));
    expect(fake.callsOf('export_csv')[0]).toEqual({ input: { filter: everything, format: 'turkish', layout: 'accounting' } });
  });

  it('saves the value days typed for each POS, and refuses more than a year', async () => {
    app.status = { ...demoStatus(), valueDays: { bonus: 30 } };
    fake.returns('payment_options', [pos('ykb', 'Yapı Kredi World'), pos('bonus', 'Garanti Bonus')]).returns('update_preferences', demoStatus());
    let saved: Promise<unknown> | null = null;
    render(ValueDays, { disabled: false, onsaved: (change) => (saved = change) });
    const ykb = (await screen.findByLabelText('Yapı Kredi World kaç günde öder')) as HTMLInputElement;
    expect((screen.getByLabelText('Garanti Bonus kaç günde öder') as HTMLInputElement).value).toBe('30');
    await fireEvent.input(ykb, { target: { value: '400' } });
    expect(await screen.findByRole('alert')).toBeTruthy();
    await fireEvent.submit(screen.getByTestId('value-days'));
    expect(saved, 'nothing sent while a value is wrong').toBeNull();
    await fireEvent.input(ykb, { target: { value: '2' } });
    await fireEvent.submit(screen.getByTestId('value-days'));
    await waitFor(() => expect(fake.callsOf('update_preferences')).toHaveLength(1));
    expect(fake.callsOf('update_preferences')[0]).toMatchObject({ preferences: { valueDays: { ykb: 2, bonus: 30 } } });
  });
});
