import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app, followMoneyPath } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { demoStatus } from '../test-fixtures';
import StatusBar from './StatusBar.svelte';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
});
afterEach(() => cleanup());

describe('Status bar', () => {
  it('says at once, in Turkish, that the check after start found the journal file damaged', async () => {
    fake.returns('current_payment', null);
    fake.returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    await followMoneyPath();
    render(StatusBar);
    expect(screen.queryByRole('alert')).toBeNull();
    const notice = { code: 'journal_damaged', path: '/home/kasa/.local/share/dealerdesk/journal.sqlite' };
    fake.emit('journal-damaged', notice);
    fake.emit('journal-damaged', notice);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.textContent).toBe(
      'İşlem günlüğü dosyası /home/kasa/.local/share/dealerdesk/journal.sqlite bozuk. Elinizdeki işlemi bitirip Dealer Desk’i yeniden başlatın: dosya kenara alınacak ve yeni bir günlük başlatılacak.',
    );
  });

  it('says at once, in English, that the keychain checked after start does not keep secrets', async () => {
    setLang('en');
    fake.returns('current_payment', null);
    fake.returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    await followMoneyPath();
    render(StatusBar);
    expect(screen.queryByRole('alert')).toBeNull();
    fake.emit('keychain-unavailable', 'the keychain did not keep a value (no platform keychain)');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the keychain did not keep a value (no platform keychain)');
    expect(app.status?.keychainProblem).toBe('the keychain did not keep a value (no platform keychain)');
  });
});
