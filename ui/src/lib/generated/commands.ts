// Generated from src-tauri/src/command_list.rs and events.rs by `cargo test -p dealer-desk`. Do not edit.
import type { AppStatus } from './AppStatus';
import type { Approval } from './Approval';
import type { BinInput } from './BinInput';
import type { BinOptionsView } from './BinOptionsView';
import type { CancelInput } from './CancelInput';
import type { ConnectionTest } from './ConnectionTest';
import type { CopyProgress } from './CopyProgress';
import type { CurrencyTotals } from './CurrencyTotals';
import type { CurrentPayment } from './CurrentPayment';
import type { DecisionInput } from './DecisionInput';
import type { ExportInput } from './ExportInput';
import type { ExportResult } from './ExportResult';
import type { Filter } from './Filter';
import type { JournalChange } from './JournalChange';
import type { LookupKey } from './LookupKey';
import type { OperatorInput } from './OperatorInput';
import type { OperatorView } from './OperatorView';
import type { Page } from './Page';
import type { PageQuery } from './PageQuery';
import type { PaymentInput } from './PaymentInput';
import type { PaymentOutcome } from './PaymentOutcome';
import type { PosQuote } from './PosQuote';
import type { PosView } from './PosView';
import type { Preferences } from './Preferences';
import type { ProfileInput } from './ProfileInput';
import type { ProfileView } from './ProfileView';
import type { QuoteInput } from './QuoteInput';
import type { ReconcileReport } from './ReconcileReport';
import type { RefundInput } from './RefundInput';
import type { Report } from './Report';
import type { ReportRange } from './ReportRange';
import type { ResolveInput } from './ResolveInput';
import type { SignInInput } from './SignInInput';
import type { StaffStatus } from './StaffStatus';
import type { StartNotice } from './StartNotice';
import type { TeamJournalInput } from './TeamJournalInput';
import type { TeamSetUpInput } from './TeamSetUpInput';
import type { TeamSupervisor } from './TeamSupervisor';
import type { TransactionScreen } from './TransactionScreen';
import type { UpdateOffer } from './UpdateOffer';

/** Every IPC command: what the UI sends and what it gets back. */
export type Commands = {
  app_status: { args: Record<string, never>; result: AppStatus };
  dismiss_notice: { args: { code: string }; result: AppStatus };
  list_profiles: { args: Record<string, never>; result: Array<ProfileView> };
  save_profile: { args: { input: ProfileInput }; result: ProfileView };
  delete_profile: { args: { id: string }; result: null };
  switch_profile: { args: { id: string }; result: AppStatus };
  test_connection: { args: { id: string }; result: ConnectionTest };
  bin_options: { args: { input: BinInput }; result: BinOptionsView };
  quote: { args: { input: QuoteInput }; result: Array<PosQuote> };
  new_order_reference: { args: Record<string, never>; result: string };
  current_payment: { args: Record<string, never>; result: CurrentPayment | null };
  dismiss_payment: { args: Record<string, never>; result: null };
  check_payment: { args: { orderReference: string }; result: PaymentOutcome };
  lookup_transaction: { args: { key: LookupKey }; result: TransactionScreen };
  cancel_transaction: { args: { input: CancelInput }; result: TransactionScreen };
  refund_transaction: { args: { input: RefundInput }; result: TransactionScreen };
  resolve_in_doubt: { args: { input: ResolveInput }; result: TransactionScreen };
  update_preferences: { args: { preferences: Preferences }; result: AppStatus };
  journal_search: { args: { query: PageQuery }; result: Page };
  journal_totals: { args: { filter: Filter }; result: Array<CurrencyTotals> };
  journal_report: { args: { range: ReportRange }; result: Report };
  reconcile_pending: { args: Record<string, never>; result: ReconcileReport };
  unsettled_now: { args: Record<string, never>; result: ReconcileReport };
  test_team_journal: { args: { input: TeamJournalInput }; result: null };
  set_up_team_journal: { args: { input: TeamSetUpInput }; result: AppStatus };
  choose_journal: { args: { input: TeamJournalInput | null }; result: AppStatus };
  staff_status: { args: Record<string, never>; result: StaffStatus };
  sign_in: { args: { input: SignInInput }; result: StaffStatus };
  sign_out: { args: Record<string, never>; result: StaffStatus };
  still_here: { args: Record<string, never>; result: null };
  list_operators: { args: Record<string, never>; result: Array<OperatorView> };
  save_operator: { args: { input: OperatorInput }; result: Array<OperatorView> };
  request_refund_approval: { args: { input: RefundInput }; result: Approval };
  request_cancel_approval: { args: { input: CancelInput }; result: Approval };
  list_approvals: { args: Record<string, never>; result: Array<Approval> };
  decide_approval: { args: { input: DecisionInput }; result: Approval };
  pay: { args: { input: PaymentInput }; result: PaymentOutcome };
  export_csv: { args: { input: ExportInput }; result: ExportResult | null };
  copy_journal_to_team: { args: { allowedBy: TeamSupervisor }; result: CopyProgress };
  payment_options: { args: { currency: string }; result: Array<PosView> };
  check_for_update: { args: Record<string, never>; result: UpdateOffer | null };
  update_found: { args: Record<string, never>; result: UpdateOffer | null };
  install_update: { args: Record<string, never>; result: null };
};

export const commandNames = [
  'app_status',
  'dismiss_notice',
  'list_profiles',
  'save_profile',
  'delete_profile',
  'switch_profile',
  'test_connection',
  'bin_options',
  'quote',
  'new_order_reference',
  'current_payment',
  'dismiss_payment',
  'check_payment',
  'lookup_transaction',
  'cancel_transaction',
  'refund_transaction',
  'resolve_in_doubt',
  'update_preferences',
  'journal_search',
  'journal_totals',
  'journal_report',
  'reconcile_pending',
  'unsettled_now',
  'test_team_journal',
  'set_up_team_journal',
  'choose_journal',
  'staff_status',
  'sign_in',
  'sign_out',
  'still_here',
  'list_operators',
  'save_operator',
  'request_refund_approval',
  'request_cancel_approval',
  'list_approvals',
  'decide_approval',
  'pay',
  'export_csv',
  'copy_journal_to_team',
  'payment_options',
  'check_for_update',
  'update_found',
  'install_update',
] as const;

/** What Rust pushes to the main window: each event's payload. */
export type Events = {
  'payment-progress': CurrentPayment;
  'journal-reconciled': ReconcileReport;
  'journal-changed': JournalChange;
  'journal-copy': CopyProgress;
  'journal-damaged': StartNotice;
  'keychain-unavailable': string;
  'update-available': UpdateOffer;
};
