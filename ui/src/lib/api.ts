// The only module that talks to Rust. Every call is typed with the types generated from the
// Rust command signatures (src/lib/generated, ts-rs); a failed call rejects with an AppError.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
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
import type { TransactionView } from './generated/TransactionView';
import type { CsvFormat } from './generated/CsvFormat';
import type { Entry } from './generated/Entry';
import type { ExportResult } from './generated/ExportResult';
import type { Filter } from './generated/Filter';
import type { Page } from './generated/Page';
import type { ReconcileChange } from './generated/ReconcileChange';
import type { ReconcileReport } from './generated/ReconcileReport';

export const api = {
  appStatus: () => invoke<AppStatus>('app_status'),
  listProfiles: () => invoke<ProfileView[]>('list_profiles'),
  saveProfile: (input: ProfileInput) => invoke<ProfileView>('save_profile', { input }),
  deleteProfile: (id: string) => invoke<null>('delete_profile', { id }),
  switchProfile: (id: string) => invoke<AppStatus>('switch_profile', { id }),
  testConnection: (id: string) => invoke<ConnectionTest>('test_connection', { id }),
  paymentOptions: (currency: string) => invoke<PosView[]>('payment_options', { currency }),
  binOptions: (bin: string, currency: string, amount: string | null) =>
    invoke<BinOptionsView>('bin_options', { bin, currency, amount }),
  quote: (input: QuoteInput) => invoke<QuoteRow[]>('quote', { input }),
  newOrderReference: () => invoke<string>('new_order_reference'),
  pay: (input: PaymentInput) => invoke<PaymentOutcome>('pay', { input }),
  /** The payment in progress (or the last one's result until dismissed), whichever screen started it. */
  currentPayment: () => invoke<CurrentPayment | null>('current_payment'),
  dismissPayment: () => invoke<null>('dismiss_payment'),
  /** "Check again": Rust asks the gateway and returns the verdict; the UI never classifies a status. */
  checkPayment: (orderReference: string) => invoke<PaymentOutcome>('check_payment', { orderReference }),
  lookup: (key: LookupKey) => invoke<TransactionView>('lookup_transaction', { key }),
  cancel: (input: CancelInput) => invoke<TransactionView>('cancel_transaction', { input }),
  refund: (input: RefundInput) => invoke<TransactionView>('refund_transaction', { input }),
  updatePreferences: (preferences: Preferences) => invoke<AppStatus>('update_preferences', { preferences }),
  journalSearch: (filter: Filter, offset: number, limit: number) => invoke<Page>('journal_search', { filter, offset, limit }),
  journalHistory: (referenceCode: string, orderReference: string | null) =>
    invoke<Entry[]>('journal_history', { referenceCode, orderReference }),
  reconcilePending: () => invoke<ReconcileReport>('reconcile_pending'),
  exportCsv: (filter: Filter, format: CsvFormat) => invoke<ExportResult | null>('export_csv', { filter, format }),
  /** What a reconciliation (start-up or timer) settled and what is still open; resolves to an unsubscribe function. */
  onJournalReconciled: (handler: (report: ReconcileReport) => void) =>
    listen<ReconcileReport>('journal-reconciled', (event) => handler(event.payload)),
  /** The payment in progress, at every step; resolves to an unsubscribe function. */
  onPaymentProgress: (handler: (current: CurrentPayment) => void) =>
    listen<CurrentPayment>('payment-progress', (event) => handler(event.payload)),
};

export type Api = typeof api;

export type {
  AppStatus,
  CsvFormat,
  Entry,
  ExportResult,
  Filter,
  Page,
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
  TransactionView,
};
