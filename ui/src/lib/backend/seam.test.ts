import { beforeEach, describe, expect, it } from 'vitest';
import { api, connection, fieldErrorOf } from '../api';
import { useBackend } from './backend';
import { FakeBackend } from './fake';
import { demoProfile, demoStatus } from '../../test-fixtures';
import type { AppStatus } from '../generated/AppStatus';
import type { ProfileView } from '../generated/ProfileView';
import type { CurrentPayment } from '../generated/CurrentPayment';

function profile(id: string): ProfileView {
  return demoProfile({ id, name: id, dealerName: 'Demo' });
}

function status(id: string): AppStatus {
  return demoStatus(profile(id));
}

let fake: FakeBackend;

beforeEach(async () => {
  fake = new FakeBackend().returns('app_status', status('demo'));
  useBackend(fake);
  await api.appStatus();
  // Each test starts from a profile switch, which forgets how the last one's gateway went.
  fake.returns('switch_profile', status(`p-${Math.random()}`));
  await api.switchProfile('fresh');
});

describe('the backend seam', () => {
  it('sends each command once, with its arguments as Rust names them', async () => {
    fake.returns('check_payment', null as never);
    await api.checkPayment('DD-1');
    expect(fake.callsOf('check_payment')).toEqual([{ orderReference: 'DD-1' }]);
  });

  it('rejects only with an AppError, whatever the transport threw', async () => {
    fake.answer('new_order_reference', () => Promise.reject('window closed'));
    await expect(api.newOrderReference()).rejects.toEqual({ code: 'internal', message: 'window closed', details: {} });
  });

  it('turns a refused field into the form field and reason to show', async () => {
    fake.fails('pay', { code: 'invalid_input', message: 'cardHolder: required', details: { field: 'cardHolder', reason: 'required' } });
    const error = await api.pay({} as never).catch((e: unknown) => e);
    expect(fieldErrorOf(error)).toEqual({ cardHolder: 'required' });
  });

  it('delivers what Rust pushes to whoever listens, until they stop', async () => {
    const seen: CurrentPayment[] = [];
    const stop = await api.onPaymentProgress((p) => seen.push(p));
    const step: CurrentPayment = { orderReference: 'DD-1', amount: '10.00', currency: 'TRY', phase: 'sending', outcome: null, demo: true };
    fake.emit('payment-progress', step);
    stop();
    fake.emit('payment-progress', { ...step, phase: 'checking' });
    expect(seen).toEqual([step]);
  });
});

describe('the connection state it keeps for the status bar', () => {
  it('is checking while the gateway is first asked, then connected', async () => {
    let answer: (v: never[]) => void = () => {};
    fake.answer('payment_options', () => new Promise((resolve) => (answer = resolve)));
    const pending = api.paymentOptions('TRY');
    expect(connection.state).toBe('checking');
    answer([]);
    await pending;
    expect(connection.state).toBe('connected');
  });

  it('fails when the gateway cannot be used, with the reason for the tooltip', async () => {
    const down = { code: 'connect' as const, message: 'refused', details: {} };
    fake.fails('lookup_transaction', down);
    await api.lookupTransaction({ by: 'referenceCode', value: 'X' }).catch(() => {});
    expect(connection.state).toBe('failed');
    expect(connection.error).toEqual(down);
  });

  it('counts a refusal from the gateway as reached, and a local check as nothing', async () => {
    fake.fails('bin_options', { code: 'gateway', message: 'P018', details: { gatewayCode: 'P018' } });
    await api.binOptions({ bin: '999999', currency: 'TRY', amount: null }).catch(() => {});
    expect(connection.state).toBe('connected');
    fake.fails('pay', { code: 'connect', message: 'x', details: {} });
    await api.pay({} as never).catch(() => {});
    fake.fails('pay', { code: 'invalid_input', message: 'x', details: { field: 'cvv', reason: 'invalid' } });
    await api.pay({} as never).catch(() => {});
    expect(connection.state, 'a form error says nothing about the gateway').toBe('failed');
  });

  it('follows the active profile only: testing another one changes nothing, switching forgets', async () => {
    const active = 'demo';
    fake.returns('app_status', status(active));
    await api.appStatus();
    fake.fails('test_connection', { code: 'credentials_rejected', message: 'x', details: {} });
    await api.testConnection('other').catch(() => {});
    expect(connection.state).toBe('unknown');
    fake.returns('test_connection', { apiKey: 'k', posCount: 2, tokenExpiresAt: '' });
    await api.testConnection(active);
    expect(connection.state).toBe('connected');
    fake.returns('switch_profile', status('sandbox'));
    await api.switchProfile('sandbox');
    expect(connection.state).toBe('unknown');
  });
});
