import { describe, expect, it } from 'vitest';
import Payment from '../screens/Payment.svelte';
import Rates from '../screens/Rates.svelte';
import Settings from '../screens/Settings.svelte';
import { screenComponent } from './screens';

describe('screens', () => {
  it('gives Rates at once and loads every other screen on demand, once', async () => {
    expect((await screenComponent('rates')).default).toBe(Rates);
    const first = screenComponent('payment');
    expect(screenComponent('payment')).toBe(first);
    expect((await first).default).toBe(Payment);
    expect((await screenComponent('settings')).default).toBe(Settings);
  });
});
