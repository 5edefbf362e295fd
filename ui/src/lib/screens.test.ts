import { describe, expect, it } from 'vitest';
import Payment from '../screens/Payment.svelte';
import Rates from '../screens/Rates.svelte';
import Settings from '../screens/Settings.svelte';
import { screenComponent } from './screens';

describe('screens', () => {
  it('gives Rates at once, loads every other screen on demand once, then gives it at once too', async () => {
    expect(screenComponent('rates')).toEqual({ default: Rates });
    const first = screenComponent('payment');
    expect(first).toBeInstanceOf(Promise);
    expect(screenComponent('payment')).toBe(first);
    const payment = await first;
    expect(payment.default).toBe(Payment);
    expect(screenComponent('payment')).toBe(payment);
    expect((await screenComponent('settings')).default).toBe(Settings);
  });
});
