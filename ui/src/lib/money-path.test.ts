import { beforeEach, describe, expect, it } from 'vitest';
import { useBackend } from './backend/backend';
import { FakeBackend } from './backend/fake';
import { app, followMoneyPath } from './state.svelte';
import { demoEntry } from '../test-fixtures';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  fake.returns('current_payment', null);
  app.unsettled = [];
  app.unsettledTotal = 0;
});

describe('what is not final, at start', () => {
  it('is known even when the start’s reconciliation told it before the window listened', async () => {
    const inDoubt = demoEntry({ outcome: 'inDoubt', referenceCode: null });
    fake.returns('unsettled_now', { changes: [], unsettled: [inDoubt], unsettledTotal: 3 });
    await followMoneyPath();
    expect(app.unsettled).toEqual([inDoubt]);
    expect(app.unsettledTotal).toBe(3);
  });

  it('is not overwritten by the older answer when a reconciliation is heard while asking', async () => {
    const stillInDoubt = demoEntry({ id: 2, outcome: 'inDoubt', referenceCode: null });
    fake.answer('unsettled_now', () => {
      fake.emit('journal-reconciled', { changes: [], unsettled: [], unsettledTotal: 0 });
      return { changes: [], unsettled: [stillInDoubt], unsettledTotal: 1 };
    });
    await followMoneyPath();
    expect(app.unsettled).toEqual([]);
    expect(app.unsettledTotal).toBe(0);
  });
});
