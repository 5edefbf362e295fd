import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import type { UpdateOffer } from '../lib/api';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app, followUpdates } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import { demoStatus } from '../test-fixtures';
import UpdateBanner from './UpdateBanner.svelte';
import Settings from '../screens/Settings.svelte';

let fake: FakeBackend;

const offer: UpdateOffer = {
  version: '0.2.0',
  currentVersion: '0.1.0',
  notes: 'Listeler bir milyon kayıtta da hızlı.\nGüncelleme bildirimi.',
  required: false,
};

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
  app.update = null;
  app.updateDismissed = false;
});

afterEach(() => cleanup());

describe('Updates', () => {
  it('shows nothing when the check at start found nothing or failed', async () => {
    fake.returns('update_found', null);
    await followUpdates();
    render(UpdateBanner);
    expect(screen.queryByTestId('update-banner')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers a version found at start, with what changed, and installs it on request', async () => {
    fake.returns('update_found', null);
    fake.returns('install_update', null);
    await followUpdates();
    render(UpdateBanner);
    fake.emit('update-available', offer);
    const banner = await screen.findByTestId('update-banner');
    expect(within(banner).getByText('Dealer Desk 0.2.0 sürümü çıktı.')).toBeTruthy();
    expect(within(banner).getByText('Sizdeki sürüm: 0.1.0.')).toBeTruthy();
    expect(within(banner).getByText('Neler değişti')).toBeTruthy();
    expect(within(banner).getByTestId('update-notes').textContent).toBe(offer.notes);
    await fireEvent.click(within(banner).getByText('Kur ve yeniden başlat'));
    expect(fake.callsOf('install_update')).toHaveLength(1);
  });

  it('says when the team journal needs the version offered', async () => {
    fake.returns('update_found', null);
    await followUpdates();
    render(UpdateBanner);
    expect(screen.queryByTestId('update-required')).toBeNull();
    fake.emit('update-available', { ...offer, required: true });
    expect((await screen.findByTestId('update-required')).textContent).toContain('yeniden ödeme alabilmek için');
  });

  it('also offers a version the check at start found before the window listened', async () => {
    fake.returns('update_found', offer);
    await followUpdates();
    render(UpdateBanner);
    expect(await screen.findByTestId('update-banner')).toBeTruthy();
  });

  it('says why nothing was installed: a bad signature, a payment being sent', async () => {
    app.update = offer;
    render(UpdateBanner);
    fake.fails('install_update', { code: 'update_signature_invalid', message: 'x', details: {} });
    await fireEvent.click(screen.getByTestId('install-update'));
    expect((await screen.findByTestId('update-error')).textContent).toBe(
      "Güncellemenin imzası Dealer Desk'in değil: hiçbir şey kurulmadı. BT ekibinize haber verin; bu sürümü kullanmaya devam edin.",
    );
    fake.fails('install_update', { code: 'update_after_operation', message: 'x', details: {} });
    await fireEvent.click(screen.getByTestId('install-update'));
    await screen.findByText('Şu anda bir ödeme, iptal ya da iade gönderiliyor. Güncellemeyi o bittikten sonra kurun.');
  });

  it('goes away with Later, in English too', async () => {
    setLang('en');
    app.update = offer;
    render(UpdateBanner);
    expect(screen.getByText('Dealer Desk 0.2.0 is available.')).toBeTruthy();
    await fireEvent.click(screen.getByText('Later'));
    expect(screen.queryByTestId('update-banner')).toBeNull();
  });
});

describe('Settings: updates', () => {
  function renderSettings() {
    fake.returns('app_status', demoStatus());
    fake.returns('staff_status', { operatorsOn: false, signedIn: null, names: [], lockAfterMinutes: 5 });
    fake.returns('list_operators', []);
    render(Settings);
  }

  it('checks now: says this is the newest, or brings the banner back with the newer one', async () => {
    renderSettings();
    fake.returns('check_for_update', null);
    await fireEvent.click(screen.getByTestId('check-now'));
    expect((await screen.findByTestId('up-to-date')).textContent).toBe('Dealer Desk 0 en yeni sürüm.');
    app.updateDismissed = true;
    fake.returns('check_for_update', offer);
    await fireEvent.click(screen.getByTestId('check-now'));
    await Promise.resolve();
    expect(app.update).toEqual(offer);
    expect(app.updateDismissed).toBe(false);
  });

  it('says when the update address cannot be reached, and refuses plain http', async () => {
    renderSettings();
    fake.fails('check_for_update', { code: 'update_unreachable', message: 'x', details: {} });
    await fireEvent.click(screen.getByTestId('check-now'));
    expect((await screen.findByTestId('update-check-error')).textContent).toContain('Güncelleme adresine ulaşılamadı');
    fake.fails('update_preferences', { code: 'invalid_input', message: 'x', details: { field: 'updateEndpoint', reason: 'https_required' } });
    await fireEvent.input(screen.getByTestId('update-endpoint'), { target: { value: 'http://ayna.example/latest.json' } });
    await fireEvent.submit(screen.getByTestId('update-endpoint').closest('form') as HTMLFormElement);
    expect(fake.callsOf('update_preferences')[0]?.preferences.updateEndpoint).toBe('http://ayna.example/latest.json');
    const field = screen.getByTestId('update-endpoint');
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('turns the check at start off', async () => {
    renderSettings();
    fake.returns('update_preferences', { ...demoStatus(), checkForUpdates: false });
    await fireEvent.click(screen.getByTestId('check-updates'));
    expect(fake.callsOf('update_preferences')[0]?.preferences.checkForUpdates).toBe(false);
  });
});
