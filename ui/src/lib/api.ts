// What screens call. Every call goes through `call`, typed by the command table generated from
// src-tauri/src/command_list.rs (./generated/commands.ts, which also writes one function per
// command, spread into `api` below): a wrong command name, argument or result type fails
// `npm run check`. `call` runs on the installed backend (./backend), keeps the
// status bar's connection state, and rejects only with an AppError.
import { backend, type ArgsOf, type Command, type ResultOf } from './backend/backend';
import { noteFailure, noteStart, noteSuccess } from './backend/connection.svelte';
import { toAppError } from './backend/errors';
import { commandsThrough, type Events } from './generated/commands';
import type { AppStatus } from './generated/AppStatus';
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
import type { TransactionActions } from './generated/TransactionActions';
import type { TransactionScreen } from './generated/TransactionScreen';
import type { TransactionView } from './generated/TransactionView';
import type { CsvFormat } from './generated/CsvFormat';
import type { CsvLayout } from './generated/CsvLayout';
import type { Entry } from './generated/Entry';
import type { ExportResult } from './generated/ExportResult';
import type { Filter } from './generated/Filter';
import type { JournalChange } from './generated/JournalChange';
import type { Page } from './generated/Page';
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
  ...commandsThrough(call),
  /** Changes only what `change` names; the rest stays as it is. */
  updatePreferences: (change: Partial<Preferences>) =>
    call('update_preferences', { preferences: { language: null, commissionToCustomer: null, operatorName: null, textSize: null, highContrast: null, customerRetention: null, refundPeriodDays: null, lockAfterMinutes: null, backOfficeExports: null, checkForUpdates: null, updateEndpoint: null, ...change } }),
  /** How far copying this desk's file into the team database is; resolves to an unsubscribe function. */
  onJournalCopy: (handler: (progress: CopyProgress) => void) => on('journal-copy', handler),
  /** What a reconciliation (start-up or timer) settled and what is still open; resolves to an unsubscribe function. */
  onJournalReconciled: (handler: (report: ReconcileReport) => void) => on('journal-reconciled', handler),
  /** The journal changed (this desk's writes, any desk's on the team journal); resolves to an unsubscribe function. */
  onJournalChanged: (handler: (change: JournalChange) => void) => on('journal-changed', handler),
  /** The check after start found the journal file damaged; resolves to an unsubscribe function. */
  onJournalDamaged: (handler: (notice: StartNotice) => void) => on('journal-damaged', handler),
  /** The keychain's check after start found that it does not keep secrets: why. */
  onKeychainUnavailable: (handler: (problem: string) => void) => on('keychain-unavailable', handler),
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
  CsvLayout,
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
