import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
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
    const notice = { code: 'journal_damaged', path: '/home/kasa/.local/share/dealerdesk/journal.sqlite', dismissable: false };
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

  it('puts away a read notice of a file set aside, through Rust, and offers nothing to put away a damaged journal', async () => {
    const aside = { code: 'settings_set_aside', path: '/home/kasa/settings.json.damaged', dismissable: true };
    const damaged = { code: 'journal_damaged', path: '/home/kasa/journal.sqlite', dismissable: false };
    app.status = { ...demoStatus(), notices: [aside, damaged] };
    fake.returns('dismiss_notice', { ...demoStatus(), notices: [damaged] });
    render(StatusBar);
    const buttons = screen.getAllByTestId('dismiss-notice');
    expect(buttons, 'one: the damaged journal has none').toHaveLength(1);
    expect(buttons[0]?.getAttribute('aria-label')).toBe('Bu bildirimi kapat');
    await fireEvent.click(buttons[0] as HTMLElement);
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(1));
    expect(fake.callsOf('dismiss_notice')).toEqual([{ code: 'settings_set_aside' }]);
    expect(screen.getByRole('alert').textContent).toContain('bozuk');
  });
});
