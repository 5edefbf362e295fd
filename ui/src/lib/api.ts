// What screens call. Every call goes through `call`, typed by the command table generated from
// src-tauri/src/command_list.rs (./generated/commands.ts): a wrong command name, argument or
// result type fails `npm run check`. `call` runs on the installed backend (./backend), keeps the
// status bar's connection state, and rejects only with an AppError.
import { backend, type ArgsOf, type Command, type ResultOf } from './backend/backend';
import { noteFailure, noteStart, noteSuccess } from './backend/connection.svelte';
import { toAppError } from './backend/errors';
import type { Events } from './generated/commands';
import type { AppStatus } from './generated/AppStatus';
import type { BinInput } from './generated/BinInput';
import type { BinOptionsView } from './generated/BinOptionsView';
import type { CancelInput } from './generated/CancelInput';
import type { ConnectionTest } from './generated/ConnectionTest';
import type { LookupKey } from './generated/LookupKey';
import type { PaymentInput } from './generated/PaymentInput';
import type { PaymentOutcome } from './generated/PaymentOutcome';
import type { CurrentPayment } from './generated/CurrentPayment';
import type { Doubt } from './generated/Doubt';
import type { Outcome } from './generated/Outcome';
import type { StartNotice } from './generated/StartNotice';
import type { PosView } from './generated/PosView';
import type { Preferences } from './generated/Preferences';
import type { ProfileInput } from './generated/ProfileInput';
import type { ProfileView } from './generated/ProfileView';
import type { QuoteInput } from './generated/QuoteInput';
import type { QuoteRow } from './generated/QuoteRow';
import type { RefundInput } from './generated/RefundInput';
import type { ResolveInput } from './generated/ResolveInput';
import type { TransactionActions } from './generated/TransactionActions';
import type { TransactionScreen } from './generated/TransactionScreen';
import type { TransactionView } from './generated/TransactionView';
import type { CsvFormat } from './generated/CsvFormat';
import type { Entry } from './generated/Entry';
import type { ExportInput } from './generated/ExportInput';
import type { ExportResult } from './generated/ExportResult';
import type { Filter } from './generated/Filter';
import type { JournalChange } from './generated/JournalChange';
import type { Page } from './generated/Page';
import type { PageQuery } from './generated/PageQuery';
import type { TeamJournalInput } from './generated/TeamJournalInput';
import type { TeamSetUpInput } from './generated/TeamSetUpInput';
import type { TeamSupervisor } from './generated/TeamSupervisor';
import type { Report } from './generated/Report';
import type { ReportRange } from './generated/ReportRange';
import type { ReconcileChange } from './generated/ReconcileChange';
import type { ReconcileReport } from './generated/ReconcileReport';
import type { Approval } from './generated/Approval';
import type { CopyProgress } from './generated/CopyProgress';
import type { DecisionInput } from './generated/DecisionInput';
import type { OperatorInput } from './generated/OperatorInput';
import type { OperatorView } from './generated/OperatorView';
import type { Role } from './generated/Role';
import type { SignInInput } from './generated/SignInInput';
import type { StaffStatus } from './generated/StaffStatus';
import type { UpdateOffer } from './generated/UpdateOffer';

type NoArgs = Record<string, never>;

/** Invokes command `name` with its arguments, as the command table types them. */
/** Told when Rust refused a command because nobody is signed in (the lock time passed). */
let signInRequired: () => void = () => undefined;
export function whenSignInRequired(handler: () => void): void {
  signInRequired = handler;
}

async function call<K extends Command>(name: K, ...rest: ArgsOf<K> extends NoArgs ? [] : [ArgsOf<K>]): Promise<ResultOf<K>> {
  const args = (rest[0] ?? {}) as ArgsOf<K>;
  const before = noteStart(name, args);
  try {
    const result = await backend().invoke(name, args);
    noteSuccess(name, args, result);
    return result;
  } catch (e) {
    const error = toAppError(e);
    noteFailure(name, args, error, before);
    if (error.code === 'sign_in_required') signInRequired();
    throw error;
  }
}

function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void) {
  return backend().listen(event, handler);
}

export const api = {
  appStatus: () => call('app_status'),
  /** Puts away a notice the operator has read; answers the status without it. */
  dismissNotice: (code: string) => call('dismiss_notice', { code }),
  listProfiles: () => call('list_profiles'),
  saveProfile: (input: ProfileInput) => call('save_profile', { input }),
  deleteProfile: (id: string) => call('delete_profile', { id }),
  switchProfile: (id: string) => call('switch_profile', { id }),
  testConnection: (id: string) => call('test_connection', { id }),
  paymentOptions: (currency: string) => call('payment_options', { currency }),
  binOptions: (input: BinInput) => call('bin_options', { input }),
  quote: (input: QuoteInput) => call('quote', { input }),
  newOrderReference: () => call('new_order_reference'),
  pay: (input: PaymentInput) => call('pay', { input }),
  /** The payment in progress (or the last one's result until dismissed), whichever screen started it. */
  currentPayment: () => call('current_payment'),
  dismissPayment: () => call('dismiss_payment'),
  /** "Check again": Rust asks the gateway and returns the verdict; the UI never classifies a status. */
  checkPayment: (orderReference: string) => call('check_payment', { orderReference }),
  lookup: (key: LookupKey) => call('lookup_transaction', { key }),
  cancel: (input: CancelInput) => call('cancel_transaction', { input }),
  refund: (input: RefundInput) => call('refund_transaction', { input }),
  resolveInDoubt: (input: ResolveInput) => call('resolve_in_doubt', { input }),
  /** Changes only what `change` names; the rest stays as it is. */
  updatePreferences: (change: Partial<Preferences>) =>
    call('update_preferences', { preferences: { language: null, commissionToCustomer: null, operatorName: null, textSize: null, highContrast: null, customerRetention: null, refundPeriodDays: null, lockAfterMinutes: null, backOfficeExports: null, checkForUpdates: null, updateEndpoint: null, ...change } }),
  journalSearch: (query: PageQuery) => call('journal_search', { query }),
  /** Per currency: what the filtered entries add up to (successful sales, cancels, refunds, net). */
  journalTotals: (filter: Filter) => call('journal_totals', { filter }),
  /** The active profile's report over a range of Istanbul days (both included). */
  journalReport: (range: ReportRange) => call('journal_report', { range }),
  reconcilePending: () => call('reconcile_pending'),
  /** What is not final now, from the journal alone (the gateway is not asked). */
  unsettledNow: () => call('unsettled_now'),
  /** Reaches the team database with these settings; rejects with what is wrong. */
  testTeamJournal: (input: TeamJournalInput) => call('test_team_journal', { input }),
  /** Sets the team database up (or upgrades it) as its owner, for the desks' account typed; the
   * owner's password is used once and kept nowhere. */
  setUpTeamJournal: (input: TeamSetUpInput) => call('set_up_team_journal', { input }),
  /** The team database, or `null` for this desk's own file: applies at the next start. */
  chooseJournal: (input: TeamJournalInput | null) => call('choose_journal', { input }),
  /** Copies this desk's own file into the chosen team database (again: copies only what is new),
   * allowed by a supervisor of the team (name and PIN checked there; empty while it has none). */
  copyJournalToTeam: (allowedBy: TeamSupervisor) => call('copy_journal_to_team', { allowedBy }),
  /** How far that copy is; resolves to an unsubscribe function. */
  onJournalCopy: (handler: (progress: CopyProgress) => void) => on('journal-copy', handler),
  exportCsv: (input: ExportInput) => call('export_csv', { input }),
  /** Whether operators are on, who is signed in here, and the names to sign in as. */
  staffStatus: () => call('staff_status'),
  signIn: (input: SignInInput) => call('sign_in', { input }),
  /** Locks the desk (Ctrl+L, idle): a PIN is asked again. */
  signOut: () => call('sign_out'),
  /** The operator is typing or pointing: Rust keeps the sign-in alive (it ends after the lock time otherwise). */
  stillHere: () => call('still_here'),
  listOperators: () => call('list_operators'),
  saveOperator: (input: OperatorInput) => call('save_operator', { input }),
  /** A refund above the signed-in operator's limit, for a supervisor to approve; nothing is sent. */
  requestRefundApproval: (input: RefundInput) => call('request_refund_approval', { input }),
  /** A cancel above the signed-in operator's limit, for a supervisor to approve; nothing is sent. */
  requestCancelApproval: (input: CancelInput) => call('request_cancel_approval', { input }),
  listApprovals: () => call('list_approvals'),
  /** Approving sends the refund from this desk, once; rejecting needs a note. */
  decideApproval: (input: DecisionInput) => call('decide_approval', { input }),
  /** What a reconciliation (start-up or timer) settled and what is still open; resolves to an unsubscribe function. */
  onJournalReconciled: (handler: (report: ReconcileReport) => void) => on('journal-reconciled', handler),
  /** The journal changed (this desk's writes, any desk's on the team journal); resolves to an unsubscribe function. */
  onJournalChanged: (handler: (change: JournalChange) => void) => on('journal-changed', handler),
  /** The check after start found the journal file damaged; resolves to an unsubscribe function. */
  onJournalDamaged: (handler: (notice: StartNotice) => void) => on('journal-damaged', handler),
  /** The keychain's check after start found that it does not keep secrets: why. */
  onKeychainUnavailable: (handler: (problem: string) => void) => on('keychain-unavailable', handler),
  /** "Check now": a newer version at the update address, or `null` when this is the newest. */
  checkForUpdate: () => call('check_for_update'),
  /** What the last check found (the check at start runs once a day at most). */
  updateFound: () => call('update_found'),
  /** Downloads, verifies and installs the update found, then restarts; refused while money is being sent. */
  installUpdate: () => call('install_update'),
  /** The check at start found a newer version; resolves to an unsubscribe function. */
  onUpdateAvailable: (handler: (offer: UpdateOffer) => void) => on('update-available', handler),
  /** The payment in progress, at every step; resolves to an unsubscribe function. */
  onPaymentProgress: (handler: (current: CurrentPayment) => void) => on('payment-progress', handler),
};

export type Api = typeof api;

export { fieldErrorOf, isAppError, type FieldErrors } from './backend/errors';
export { connection, type ConnectionState } from './backend/connection.svelte';

export type {
  Approval,
  CopyProgress,
  DecisionInput,
  OperatorInput,
  OperatorView,
  Role,
  SignInInput,
  StaffStatus,
  AppStatus,
  CsvFormat,
  Entry,
  ExportResult,
  Filter,
  Page,
  Report,
  ReportRange,
  ReconcileChange,
  BinOptionsView,
  CancelInput,
  ConnectionTest,
  LookupKey,
  PaymentInput,
  PaymentOutcome,
  CurrentPayment,
  Doubt,
  Outcome,
  ReconcileReport,
  StartNotice,
  PosView,
  Preferences,
  ProfileInput,
  ProfileView,
  QuoteInput,
  QuoteRow,
  RefundInput,
  TransactionActions,
  TransactionScreen,
  TransactionView,
  UpdateOffer,
};
