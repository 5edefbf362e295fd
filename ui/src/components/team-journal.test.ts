import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app, followMoneyPath } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { demoStatus } from '../test-fixtures';
import TeamJournal from './TeamJournal.svelte';
import type { CopyProgress } from '../lib/api';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
});
afterEach(() => cleanup());

async function fillTeam() {
  await fireEvent.click(screen.getByTestId('journal-team'));
  await fireEvent.input(screen.getByTestId('team-host'), { target: { value: 'db.bayi.local' } });
  await fireEvent.input(screen.getByTestId('team-user'), { target: { value: 'desk' } });
  await fireEvent.input(screen.getByTestId('team-password'), { target: { value: 's3cret' } });
}

describe('Team journal settings', () => {
  it('tests the typed settings and says what is wrong in Turkish', async () => {
    fake.fails('test_team_journal', { code: 'journal_auth', message: 'password authentication failed', details: {} });
    render(TeamJournal);
    expect(screen.getByTestId('journal-in-use').textContent).toBe('Şu an kullanılan: bu masanın kendi dosyası.');
    await fillTeam();
    await fireEvent.click(screen.getByTestId('team-test'));
    expect((await screen.findByTestId('team-result')).textContent).toBe('Ekip kayıt veritabanı kullanıcı adını veya parolayı kabul etmedi. Bağlantı ekranında kontrol edin.');
    expect(fake.callsOf('test_team_journal')[0]).toEqual({
      input: { database: { host: 'db.bayi.local', port: 5432, database: 'dealer_desk', user: 'desk', sslMode: 'verifyFull', certificate: null }, password: 's3cret' },
    });
  });

  it('saves the choice for the next start and forgets the typed password', async () => {
    const chosen = { kind: 'team' as const, database: { host: 'db.bayi.local', port: 5432, database: 'dealer_desk', user: 'desk', sslMode: 'verifyFull' as const, certificate: null } };
    fake.answer('choose_journal', () => ({ ...demoStatus(), journal: { inUse: { kind: 'local' }, chosen, hasTeamPassword: true } }));
    render(TeamJournal);
    await fillTeam();
    await fireEvent.click(screen.getByTestId('team-save'));
    expect((await screen.findByTestId('team-result')).textContent).toBe('Kaydedildi. Kayıt defterini değiştirmek için Dealer Desk’i yeniden başlatın.');
    expect((screen.getByTestId('team-password') as HTMLInputElement).value).toBe('');
    expect(screen.getByText('Anahtar zincirinde kayıtlı; korumak için boş bırakın.')).toBeTruthy();
    expect(app.status?.journal.chosen).toEqual(chosen);
  });

  it('shows a refused field next to it', async () => {
    fake.fails('test_team_journal', { code: 'invalid_input', message: 'x', details: { field: 'teamHost', reason: 'required' } });
    render(TeamJournal);
    await fireEvent.click(screen.getByTestId('journal-team'));
    await fireEvent.click(screen.getByTestId('team-test'));
    expect(await screen.findByText('Sunucu zorunludur.')).toBeTruthy();
    expect(screen.getByTestId('team-host').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('Other desks on the team journal', () => {
  it('make lists and reports load again when they write', async () => {
    fake.returns('current_payment', null);
    fake.returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    await followMoneyPath();
    const before = app.journalVersion;
    fake.emit('journal-changed', 2);
    expect(app.journalVersion).toBe(before + 1);
  });

  it('copies this desk’s file into the chosen team database with a progress bar', async () => {
    const database = { host: 'db.bayi.local', port: 5432, database: 'dealer_desk', user: 'desk', sslMode: 'verifyFull' as const, certificate: null };
    app.status = { ...demoStatus(), journal: { inUse: { kind: 'local' }, chosen: { kind: 'team', database }, hasTeamPassword: true } };
    let finish: (value: CopyProgress) => void = () => undefined;
    fake.answer('copy_journal_to_team', () => new Promise((resolve) => (finish = resolve)));
    render(TeamJournal);
    await fireEvent.input(screen.getByTestId('team-copy-supervisor'), { target: { value: 'Kemal' } });
    await fireEvent.input(screen.getByTestId('team-copy-pin'), { target: { value: '987654' } });
    await fireEvent.click(screen.getByTestId('team-copy-start'));
    await vi.waitFor(() => expect(fake.callsOf('copy_journal_to_team')).toHaveLength(1));
    expect(fake.callsOf('copy_journal_to_team')[0]).toEqual({ allowedBy: { name: 'Kemal', pin: '987654' } });
    expect((screen.getByTestId('team-copy-pin') as HTMLInputElement).value).toBe('');
    fake.emit('journal-copy', { done: 500, total: 1200, copied: 500, imported: [] });
    const bar = (await screen.findByTestId('team-copy-progress')) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([500, 1200]);
    expect(screen.getByText('1200 kaydın 500 tanesi')).toBeTruthy();
    finish({ done: 1200, total: 1200, copied: 700, imported: ['Mallory'] });
    expect((await screen.findByTestId('team-copy-result')).textContent).toBe('Tamam: 1200 kaydın 700 tanesi ekip veritabanı için yeniydi.');
    expect(screen.getByTestId('team-copy-imported').textContent).toContain('Mallory');
  });

  it('shows a new server certificate to confirm and pins the one confirmed', async () => {
    const fingerprint = 'B2:3F:FA:52:AA:E8:74:F7:55:B5:E8:31:FC:0E:53:F7:02:4E:E4:89:84:89:8C:56:33:E6:B2:17:9F:99:79:BA';
    let tries = 0;
    fake.answer('test_team_journal', () => {
      tries += 1;
      if (tries === 1) throw { code: 'journal_certificate', message: 'handshake', details: { fingerprint, pinned: 'new' } };
      return null;
    });
    render(TeamJournal);
    await fillTeam();
    await fireEvent.change(screen.getByTestId('team-tls'), { target: { value: 'require' } });
    await fireEvent.click(screen.getByTestId('team-test'));
    expect((await screen.findByTestId('team-fingerprint')).textContent).toBe(fingerprint);
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-trust')));
    await fireEvent.click(screen.getByTestId('team-trust'));
    await vi.waitFor(() => expect(fake.callsOf('test_team_journal')).toHaveLength(2));
    const second = fake.callsOf('test_team_journal')[1] as { input: { database: { certificate: string | null; sslMode: string } } };
    expect(second.input.database).toMatchObject({ sslMode: 'require', certificate: fingerprint });
    expect((await screen.findByTestId('team-result')).className).toContain('ok');
  });
});
