// App-wide state: the status from Rust (profile, language…), the current screen, the payment in
// progress and the transaction opened for detail. (The connection state is the seam's: api.ts.)
import { api, type AppStatus, type CurrentPayment, type Entry, type PaymentInput, type TransactionView } from './api';
import { setLang } from './i18n/index.svelte';

/** What a quote carries into a new payment. `amount` is what the customer pays (exact text). */
export interface PaymentDraft {
  amount: string;
  currency: string;
  posId: string;
  installment: number;
}

export type Screen = 'rates' | 'payment' | 'lookup' | 'reports' | 'profiles' | 'settings';

export const app = $state({
  status: null as AppStatus | null,
  screen: 'rates' as Screen,
  /** Opened from a payment result or a lookup; shown on the Transactions screen. */
  transaction: null as TransactionView | null,
  /** A quote the operator chose on Rates ("Take this payment"), for the payment form to start from. */
  draft: null as PaymentDraft | null,
  /** The payment in progress or its result: owned by the app (Rust), shown on any visit of the payment screen. */
  payment: null as CurrentPayment | null,
  /** Journal entries without a final outcome, from the last reconciliation: listed for the operator. */
  unsettled: [] as Entry[],
  /** Bumped whenever a reconciliation changed the journal, so lists reload. */
  journalVersion: 0,
});

/** Follows the payment in progress and the reconciliations for the app's whole life. */
export async function followMoneyPath(): Promise<void> {
  await api.onPaymentProgress((current) => (app.payment = current));
  await api.onJournalReconciled((report) => {
    app.unsettled = report.unsettled;
    app.journalVersion += 1;
  });
  // Another desk on the team journal paid or refunded: lists and reports load again.
  await api.onJournalChanged(() => (app.journalVersion += 1));
  app.payment = await api.currentPayment();
}

/** Sends a payment; its progress and result land in `app.payment` even if the screen was left. */
export async function startPayment(input: PaymentInput): Promise<void> {
  const outcome = await api.pay(input);
  app.payment = { orderReference: outcome.orderReference, amount: outcome.amount, currency: outcome.currency, phase: 'done', outcome, demo: outcome.demo };
}

export async function dismissPayment(): Promise<void> {
  await api.dismissPayment();
  app.payment = null;
}

export function applyStatus(status: AppStatus): void {
  app.status = status;
  setLang(status.language);
  // Text size and contrast apply to the whole window (app.css reads both).
  document.documentElement.style.setProperty('--text-scale', String(status.textSize / 100));
  document.documentElement.classList.toggle('high-contrast', status.highContrast);
}

export async function loadStatus(): Promise<void> {
  applyStatus(await api.appStatus());
}

export function openTransaction(tx: TransactionView): void {
  app.transaction = tx;
  app.screen = 'lookup';
}
