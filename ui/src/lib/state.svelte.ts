// App-wide state: the status from Rust (profile, language…), the current screen, the payment in
// progress and the transaction opened for detail. (The connection state is the seam's: api.ts.)
import { api, type AppStatus, type Approval, type CurrentPayment, type Entry, type PaymentInput, type Role, type LookupKey, type StaffStatus, type TransactionScreen, type TransactionView, type UpdateOffer } from './api';
import { setLang } from './i18n/index.svelte';

/** What a quote carries into a new payment. `amount` is what the customer pays (exact text). */
export interface PaymentDraft {
  amount: string;
  currency: string;
  posId: string;
  installment: number;
}

export type Screen = 'rates' | 'payment' | 'lookup' | 'reports' | 'profiles' | 'settings' | 'outbox';

export const app = $state({
  status: null as AppStatus | null,
  screen: 'rates' as Screen,
  /** Opened from a lookup, with its history and what the operator may do; shown on the Transactions screen. */
  transaction: null as TransactionScreen | null,
  /** The order reference the open transaction was found by: its cancels and refunds name it so to the gateway. */
  foundByOrder: null as string | null,
  /** A transaction to open when the Transactions screen shows (a payment result's "open"). */
  opening: null as LookupKey | null,
  /** A quote the operator chose on Rates ("Take this payment"), for the payment form to start from. */
  draft: null as PaymentDraft | null,
  /** The payment in progress or its result: owned by the app (Rust), shown on any visit of the payment screen. */
  payment: null as CurrentPayment | null,
  /** What the last round of reconciling asked about and is still not final. */
  unsettled: [] as Entry[],
  /** Every entry of the active profile not final yet (a backlog is asked about in rounds). */
  unsettledTotal: 0,
  /** Bumped whenever the journal changed (Rust's `journal-changed`), so lists reload. */
  journalVersion: 0,
  /** Operators: on or off, who is signed in here (null until first read). */
  staff: null as StaffStatus | null,
  /** Refund approval requests: pending ones and those decided lately. */
  approvals: [] as Approval[],
  /** A newer Dealer Desk found at start or by "Check now"; offered in a banner. */
  update: null as UpdateOffer | null,
  /** "Later": the banner stays away until the next start or the next "Check now". */
  updateDismissed: false,
});

/** Operators are on and nobody is signed in: only the sign-in screen is shown. */
export function locked(): boolean {
  return !!app.staff?.operatorsOn && !app.staff.signedIn;
}

/** The signed-in operator's role; `null` with operators off (the desk may do everything). */
export function role(): Role | null {
  return app.staff?.signedIn?.role ?? null;
}

/** Who is at the desk: the signed-in operator; with operators off, the profile's operator name;
 * `null` when neither is known. */
export function operatorAtTheDesk(): string | null {
  if (app.staff?.operatorsOn) return app.staff.signedIn?.name ?? null;
  return app.status?.profile.operatorName || null;
}

/** Whether the desk-wide things (profiles, operators, the journal, updates) are this operator's:
 * a supervisor's, or anyone's with operators off. Rust's gate decides; this hides what it refuses. */
export function mayManageDesk(): boolean {
  return !app.staff?.operatorsOn || role() === 'supervisor';
}

/** Whether this operator may export the journal: supervisors, back office when the team allows it. */
export function mayExport(): boolean {
  const r = role();
  return !app.staff?.operatorsOn || r === 'supervisor' || (r === 'backOffice' && !!app.status?.backOfficeExports);
}

/** Requests waiting for a supervisor. */
export function pendingApprovals(): Approval[] {
  return app.approvals.filter((a) => a.status === 'pending');
}

/** Reads who is signed in and, when someone is (or operators are off), the approval requests. */
export async function loadStaff(): Promise<void> {
  app.staff = await api.staffStatus();
  await loadApprovals();
}

export async function loadApprovals(): Promise<void> {
  app.approvals = locked() ? [] : await api.listApprovals();
}

/** At start: the status and who is signed in, side by side (the first screen waits for both);
 * the approval requests after, without holding the screen up. */
export async function loadAtStart(): Promise<void> {
  const staff = api.staffStatus();
  // Who is signed in may fail (the team database not reachable, not set up): the status is kept
  // all the same, for the screen that says what to do.
  staff.catch(() => undefined);
  applyStatus(await api.appStatus());
  app.staff = await staff;
  void loadApprovals().catch(() => undefined);
}

/** What a locked desk may not read, read once someone signed in (and at start when nobody needs
 * to): the payment in progress, what is not final, a newer version found. */
export async function loadSignedInState(): Promise<void> {
  if (locked()) return;
  const [payment, now, update] = await Promise.all([api.currentPayment(), api.unsettledNow(), api.updateFound()]);
  app.payment = payment;
  app.unsettled = now.unsettled;
  app.unsettledTotal = now.unsettledTotal;
  app.update = update ?? app.update;
}

/** Rust ended the sign-in (the lock time passed without activity): the screen locks as after Ctrl+L. */
export async function signInEnded(): Promise<void> {
  app.staff = await api.staffStatus();
  if (locked()) clearForNextOperator();
}

/** The next operator starts on a clean screen. (A finished payment's result Rust keeps until a
 * signed-in operator dismisses it; the screen forgets it here.) */
function clearForNextOperator(): void {
  app.approvals = [];
  app.transaction = null;
  app.opening = null;
  app.draft = null;
  if (app.payment?.phase === 'done') app.payment = null;
}

/** Ctrl+L, or idle: the desk asks for a PIN again, and the next operator starts on a clean
 * screen: no open transaction (its customer), no chosen quote, no finished payment's result. A
 * payment still on its way stays: it belongs to the desk, and whoever signs in must see it. */
export async function lockDesk(): Promise<void> {
  if (!app.staff?.operatorsOn) return;
  // The finished payment is dismissed while signed in (a locked desk may not).
  if (app.payment?.phase === 'done') {
    app.payment = null;
    await api.dismissPayment().catch(() => undefined);
  }
  // Already ended by Rust (the lock time passed): the status says so.
  app.staff = await api.signOut().catch(() => api.staffStatus());
  clearForNextOperator();
}

/** Follows the payment in progress and the reconciliations for the app's whole life. */
export async function followMoneyPath(): Promise<void> {
  await api.onPaymentProgress((current) => (app.payment = current));
  let reconciled = false;
  await api.onJournalReconciled((report) => {
    reconciled = true;
    app.unsettled = report.unsettled;
    app.unsettledTotal = report.unsettledTotal;
  });
  // The start's reconciliation may have told its report before this window listened: what is
  // not final is asked of the journal too (once someone may read it), unless a report (newer)
  // arrived meanwhile.
  const now = locked() ? null : await api.unsettledNow();
  if (now && !reconciled) {
    app.unsettled = now.unsettled;
    app.unsettledTotal = now.unsettledTotal;
  }
  // This desk or another on the team journal paid, refunded, settled, asked for or decided an
  // approval, or changed an operator: lists and reports load again, and with a staff change
  // the requests and the sign-in list too.
  await api.onJournalChanged((change) => {
    app.journalVersion += 1;
    if (change.staff) void loadStaff().catch(() => undefined);
  });
  // The journal file's check after start found damage: the status bar says so at once.
  await api.onJournalDamaged((notice) => {
    if (app.status && !app.status.notices.some((n) => n.code === notice.code)) {
      app.status = { ...app.status, notices: [...app.status.notices, notice] };
    }
  });
  // The keychain's check after start answered later than the status (a slow keychain).
  await api.onKeychainUnavailable((problem) => {
    if (app.status) app.status = { ...app.status, keychainProblem: problem };
  });
  if (!locked()) app.payment = await api.currentPayment();
}

/** Follows the check for a newer version at start (also if it answered before this listened). */
export async function followUpdates(): Promise<void> {
  await api.onUpdateAvailable((offer) => {
    app.update = offer;
  });
  if (!locked()) app.update = (await api.updateFound()) ?? app.update;
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

/** Shows `tx` on the Transactions screen, which looks it up: its figures, history and actions are read fresh. */
export function openTransaction(tx: TransactionView): void {
  app.opening = { by: 'referenceCode', value: tx.referenceCode };
  app.screen = 'lookup';
}
