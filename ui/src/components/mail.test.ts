// Letters to the customer as the screens offer them: the notice choice on a refund, the lines
// on a transaction's history, the Outbox viewer and the mail server's settings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useBackend } from '../lib/backend/backend';
import { FakeBackend } from '../lib/backend/fake';
import { app } from '../lib/state.svelte';
import { setLang } from '../lib/i18n/index.svelte';
import type { LetterView } from '../lib/generated/LetterView';
import type { OutboxLetter } from '../lib/generated/OutboxLetter';
import { demoEntry, demoProfile, demoScreen, demoStatus, demoTransaction } from '../test-fixtures';
import TransactionDetail from './TransactionDetail.svelte';
import MailServer from './MailServer.svelte';
import Outbox from '../screens/Outbox.svelte';

let fake: FakeBackend;

beforeEach(() => {
  fake = new FakeBackend();
  useBackend(fake);
  setLang('tr');
  app.status = demoStatus();
  app.staff = null;
});
afterEach(() => cleanup());

const paid = demoEntry({ id: 1, kind: 'payment', outcome: 'success', amount: '250.00' });

function letter(overrides: Partial<LetterView> = {}): LetterView {
  return { id: 5, entryId: 1, recipient: 'a…@example.com', lang: 'tr', state: 'sent', attempts: 1, createdAt: '2026-11-22T11:02:00.000Z', sentAt: '2026-11-22T11:02:05.000Z', errorCode: null, errorDetail: null, operator: 'Zeynep', ...overrides };
}

function detail() {
  render(TransactionDetail, { screen: demoScreen(demoTransaction(), [paid]), onchange: () => {} });
}

describe('Letters on the history', () => {
  it('says to whom and when each letter went, or why not', async () => {
    const failed = letter({ id: 6, state: 'waiting', attempts: 2, sentAt: null, errorCode: 'mail_refused', errorDetail: '535' });
    fake.returns('transaction_letters', [letter(), failed]);
    detail();
    const lines = await screen.findAllByTestId('letter-line');
    expect(lines.map((l) => l.textContent)).toEqual([
      'a…@example.com adresine e-postayla gönderildi (22.11.2026 14:02)',
      expect.stringMatching(/^a…@example\.com adresine henüz gönderilemedi \(2 deneme\): Posta sunucusu reddetti\..* Sunucunun yanıtı: 535 Kendiliğinden yeniden denenecek\.$/),
    ]);
    expect(fake.callsOf('transaction_letters')).toEqual([{ query: { entryIds: [1] } }]);
  });

  it('writes a letter again in the language chosen', async () => {
    fake.returns('transaction_letters', [letter()]);
    fake.returns('email_entry', letter({ id: 7, state: 'kept' }));
    detail();
    await screen.findAllByTestId('letter-line');
    await fireEvent.change(screen.getByTestId('letters-language'), { target: { value: 'en' } });
    await fireEvent.click(screen.getByText('Yeniden gönder'));
    await waitFor(() => expect(fake.callsOf('email_entry')).toEqual([{ input: { entryId: 1, lang: 'en' } }]));
    expect(await screen.findByText('E-posta Giden e-postalar’a eklendi.')).toBeTruthy();
  });

  it('sends a refund notice in the language chosen with the refund itself', async () => {
    fake.returns('transaction_letters', []);
    fake.returns('refund_transaction', demoScreen(demoTransaction({ remaining: '220.00' }), [paid]));
    detail();
    await fireEvent.click(screen.getByTestId('start-refund'));
    await fireEvent.input(screen.getByTestId('refund-amount'), { target: { value: '30' } });
    await fireEvent.input(screen.getByTestId('reason'), { target: { value: 'ürün iadesi' } });
    expect(screen.getByText('Müşteriye bilgi e-postası gönder (a@example.com)')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('email-language'), { target: { value: 'en' } });
    await fireEvent.submit(screen.getByTestId('reason').closest('form') as HTMLFormElement);
    await fireEvent.click(await screen.findByTestId('confirm'));
    await waitFor(() => expect(fake.callsOf('refund_transaction')).toHaveLength(1));
    expect(fake.callsOf('refund_transaction')[0]?.input.emailCustomer).toBe('en');
  });
});

describe('The Outbox', () => {
  const kept: OutboxLetter = {
    letter: letter({ state: 'kept', sentAt: null }),
    to: 'ayse@example.com',
    subject: 'Ödemeniz alındı — ₺250,00 — DD-1',
    plain: 'Sayın Ayşe Yılmaz,\n\nTutar: ₺250,00',
    html: '<p>Sayın Ayşe Yılmaz,</p>',
  };

  it('shows the Demo profile’s letters, none of them sent, and opens one whole', async () => {
    fake.returns('outbox', [kept]);
    render(Outbox);
    expect(await screen.findByText('Ödemeniz alındı — ₺250,00 — DD-1')).toBeTruthy();
    expect(screen.getByTestId('outbox-demo').textContent).toContain('hiçbiri gönderilmedi');
    expect(screen.getByText('Tutuldu (Demo: gönderilmedi)')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('outbox-open'));
    expect(screen.getByTestId('outbox-plain').textContent).toBe(kept.plain);
    const frame = screen.getByTestId('outbox-html') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox'), 'the letter runs nothing').toBe('');
    expect(frame.getAttribute('srcdoc')).toBe(kept.html);
  });

  it('says where letters come from while there are none', async () => {
    app.status = demoStatus(demoProfile({ kind: 'live' }));
    fake.returns('outbox', []);
    render(Outbox);
    expect(await screen.findByTestId('outbox-empty')).toBeTruthy();
    expect(screen.queryByTestId('outbox-demo')).toBeNull();
  });
});

describe('The mail server', () => {
  it('saves what was typed, keeping the stored password when none is typed', async () => {
    app.status = { ...demoStatus(), mail: { server: null, hasPassword: true, available: true } };
    fake.returns('save_mail_server', demoStatus());
    render(MailServer, { disabled: false, onsaved: () => {} });
    expect(screen.getByText('Bu masada kayıtlı bir parola var; korumak için boş bırakın.')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('mail-host'), { target: { value: 'smtp.bayi.com.tr' } });
    await fireEvent.change(screen.getByTestId('mail-security'), { target: { value: 'tls' } });
    await fireEvent.input(screen.getByTestId('mail-username'), { target: { value: 'kasa' } });
    await fireEvent.input(screen.getByTestId('mail-from'), { target: { value: 'kasa@bayi.com.tr' } });
    await fireEvent.click(screen.getByTestId('mail-save'));
    await waitFor(() => expect(fake.callsOf('save_mail_server')).toHaveLength(1));
    expect(fake.callsOf('save_mail_server')[0]).toEqual({
      input: {
        server: { host: 'smtp.bayi.com.tr', port: 465, security: 'tls', username: 'kasa', fromAddress: 'kasa@bayi.com.tr', fromName: 'Anadolu Beyaz Eşya Ltd. Şti.', daysToCard: 7 },
        password: null,
      },
    });
    expect(await screen.findByText('Posta sunucusu kaydedildi.')).toBeTruthy();
  });

  it('shows the field Rust refused, in the operator’s language', async () => {
    fake.fails('save_mail_server', { code: 'invalid_input', message: 'mailFrom: invalid', details: { field: 'mailFrom', reason: 'invalid' } });
    render(MailServer, { disabled: false, onsaved: () => {} });
    await fireEvent.click(screen.getByTestId('mail-save'));
    const from = screen.getByTestId('mail-from');
    await waitFor(() => expect(from.getAttribute('aria-invalid')).toBe('true'));
  });
});
