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
  it('make lists and reports load again when they write, and the staff lists when staff changed', async () => {
    fake.returns('current_payment', null);
    fake.returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    fake.returns('staff_status', { operatorsOn: false, signedIn: null, names: [], lockAfterMinutes: 0 });
    await followMoneyPath();
    const before = app.journalVersion;
    fake.emit('journal-changed', { entries: 2, staff: false });
    expect(app.journalVersion).toBe(before + 1);
    expect(fake.callsOf('staff_status')).toHaveLength(0);
    fake.emit('journal-changed', { entries: 0, staff: true });
    expect(app.journalVersion).toBe(before + 2);
    await vi.waitFor(() => expect(fake.callsOf('staff_status')).toHaveLength(1));
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

describe('Setting the team database up with its owner', () => {
  it('opens when the database is not set up, sends the owner once and forgets the password', async () => {
    fake.fails('test_team_journal', { code: 'journal_setup_needed', message: 'schema 8', details: {} });
    fake.answer('set_up_team_journal', () => demoStatus());
    render(TeamJournal);
    await fillTeam();
    expect(screen.queryByTestId('team-set-up')).toBeNull();
    await fireEvent.click(screen.getByTestId('team-test'));
    expect((await screen.findByTestId('team-result')).textContent).toContain('sahibinin hesabı ve parolasıyla');
    await fireEvent.input(screen.getByTestId('team-owner-user'), { target: { value: 'postgres' } });
    await fireEvent.input(screen.getByTestId('team-owner-password'), { target: { value: 'owner-pw' } });
    await fireEvent.click(screen.getByTestId('team-set-up-start'));
    await vi.waitFor(() => expect(fake.callsOf('set_up_team_journal')).toHaveLength(1));
    expect(fake.callsOf('set_up_team_journal')[0]).toEqual({
      input: {
        team: { database: { host: 'db.bayi.local', port: 5432, database: 'dealer_desk', user: 'desk', sslMode: 'verifyFull', certificate: null }, password: 's3cret' },
        ownerUser: 'postgres',
        ownerPassword: 'owner-pw',
        supervisor: null,
      },
    });
    expect((await screen.findByTestId('team-result')).textContent).toBe('Veritabanı kuruldu; masalar desk hesabını kullanır.');
    expect(screen.queryByTestId('team-set-up')).toBeNull();
  });

  it('says next to the owner field when the owner is the desks’ account, and clears its password', async () => {
    fake.fails('set_up_team_journal', { code: 'invalid_input', message: 'x', details: { field: 'teamOwnerUser', reason: 'same_as_desks' } });
    render(TeamJournal);
    await fillTeam();
    await fireEvent.click(screen.getByTestId('team-show-set-up'));
    await fireEvent.input(screen.getByTestId('team-owner-user'), { target: { value: 'desk' } });
    await fireEvent.input(screen.getByTestId('team-owner-password'), { target: { value: 'owner-pw' } });
    await fireEvent.input(screen.getByTestId('team-set-up-supervisor'), { target: { value: 'Zeynep' } });
    await fireEvent.input(screen.getByTestId('team-set-up-pin'), { target: { value: '654321' } });
    await fireEvent.click(screen.getByTestId('team-set-up-start'));
    expect(await screen.findByText(/Sahip hesabı masaların hesabı olamaz/)).toBeTruthy();
    expect((fake.callsOf('set_up_team_journal')[0] as { input: { supervisor: unknown } }).input.supervisor).toEqual({ name: 'Zeynep', pin: '654321' });
    expect((screen.getByTestId('team-set-up-pin') as HTMLInputElement).value).toBe('');
    expect(screen.getByTestId('team-owner-user').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('team-owner-password') as HTMLInputElement).value).toBe('');
  });
});

describe('A desk whose team database needs its owner at start', () => {
  it('moves off the owner’s account to a desks’ account and asks for a restart', async () => {
    const database = { host: 'db.bayi.local', port: 5432, database: 'dealer_desk', user: 'postgres', sslMode: 'verifyFull' as const, certificate: null };
    const onOwner = { ...demoStatus(), journal: { inUse: { kind: 'team' as const, database }, chosen: { kind: 'team' as const, database }, hasTeamPassword: true } };
    fake.returns('app_status', onOwner);
    fake.fails('staff_status', { code: 'journal_owner_account', message: 'owner', details: {} });
    fake.returns('current_payment', null);
    fake.returns('unsettled_now', { changes: [], unsettled: [], unsettledTotal: 0 });
    fake.answer('set_up_team_journal', () => ({ ...onOwner, journal: { ...onOwner.journal, chosen: { kind: 'team' as const, database: { ...database, user: 'dealer_desk' } } } }));
    const { default: App } = await import('../App.svelte');
    render(App);
    expect((await screen.findByTestId('start-error')).textContent).toContain('sahibinin hesabıyla');
    await fireEvent.input(screen.getByTestId('team-desks-password'), { target: { value: 'desks-pw' } });
    await fireEvent.input(screen.getByTestId('team-owner-user'), { target: { value: 'postgres' } });
    await fireEvent.input(screen.getByTestId('team-owner-password'), { target: { value: 'owner-pw' } });
    await fireEvent.click(screen.getByTestId('team-set-up-start'));
    expect((await screen.findByTestId('start-set-up-done')).textContent).toBe('Veritabanı kuruldu; bu masa dealer_desk hesabını kullanacak. Dealer Desk’i yeniden başlatın.');
    expect(screen.queryByTestId('start-error')).toBeNull();
    expect(fake.callsOf('set_up_team_journal')[0]).toEqual({
      input: { team: { database: { ...database, user: 'dealer_desk' }, password: 'desks-pw' }, ownerUser: 'postgres', ownerPassword: 'owner-pw', supervisor: null },
    });
  });
});
