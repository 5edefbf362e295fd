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
import type { EmailEntryInput } from './EmailEntryInput';
import type { ExportInput } from './ExportInput';
import type { ExportResult } from './ExportResult';
import type { Filter } from './Filter';
import type { JournalChange } from './JournalChange';
import type { LetterView } from './LetterView';
import type { LettersQuery } from './LettersQuery';
import type { LookupKey } from './LookupKey';
import type { MailServerInput } from './MailServerInput';
import type { OperatorInput } from './OperatorInput';
import type { OperatorView } from './OperatorView';
import type { OutboxLetter } from './OutboxLetter';
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
  known_account_code: { args: { email: string }; result: string | null };
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
  save_mail_server: { args: { input: MailServerInput }; result: AppStatus };
  email_entry: { args: { input: EmailEntryInput }; result: LetterView };
  transaction_letters: { args: { query: LettersQuery }; result: Array<LetterView> };
  outbox: { args: Record<string, never>; result: Array<OutboxLetter> };
  pay: { args: { input: PaymentInput }; result: PaymentOutcome };
  export_csv: { args: { input: ExportInput }; result: ExportResult | null };
  copy_journal_to_team: { args: { allowedBy: TeamSupervisor }; result: CopyProgress };
  payment_options: { args: { currency: string }; result: Array<PosView> };
  check_for_update: { args: Record<string, never>; result: UpdateOffer | null };
  update_found: { args: Record<string, never>; result: UpdateOffer | null };
  install_update: { args: Record<string, never>; result: null };
  print_window: { args: Record<string, never>; result: null };
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
  'known_account_code',
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
  'save_mail_server',
  'email_entry',
  'transaction_letters',
  'outbox',
  'pay',
  'export_csv',
  'copy_journal_to_team',
  'payment_options',
  'check_for_update',
  'update_found',
  'install_update',
  'print_window',
] as const;

/** How a command is called: with its one argument's object, or nothing. */
export type Call = <K extends keyof Commands>(
  name: K,
  ...rest: Commands[K]['args'] extends Record<string, never> ? [] : [Commands[K]['args']]
) => Promise<Commands[K]['result']>;

/** One typed function per command, named as the command in camelCase, taking its argument. */
export const commandsThrough = (call: Call) => ({
  appStatus: () => call('app_status'),
  /** Puts away a notice the operator has read; answers the status without it. */
  dismissNotice: (code: string) => call('dismiss_notice', { code }),
  listProfiles: () => call('list_profiles'),
  saveProfile: (input: ProfileInput) => call('save_profile', { input }),
  deleteProfile: (id: string) => call('delete_profile', { id }),
  switchProfile: (id: string) => call('switch_profile', { id }),
  testConnection: (id: string) => call('test_connection', { id }),
  binOptions: (input: BinInput) => call('bin_options', { input }),
  /** What an amount costs on the POSes named, at the rates the gateway last gave. */
  quote: (input: QuoteInput) => call('quote', { input }),
  newOrderReference: () => call('new_order_reference'),
  /** The account code ("cari kod") this customer (by e-mail) was last paid with. */
  knownAccountCode: (email: string) => call('known_account_code', { email }),
  /** The payment in progress (or the last one's result until dismissed), whichever screen started it. */
  currentPayment: () => call('current_payment'),
  dismissPayment: () => call('dismiss_payment'),
  /** "Check again": Rust asks the gateway and returns the verdict; the UI never classifies a status. */
  checkPayment: (orderReference: string) => call('check_payment', { orderReference }),
  lookupTransaction: (key: LookupKey) => call('lookup_transaction', { key }),
  cancelTransaction: (input: CancelInput) => call('cancel_transaction', { input }),
  refundTransaction: (input: RefundInput) => call('refund_transaction', { input }),
  resolveInDoubt: (input: ResolveInput) => call('resolve_in_doubt', { input }),
  /** Changes the preferences (the UI's `api.updatePreferences` sends only what changed). */
  updatePreferences: (preferences: Preferences) => call('update_preferences', { preferences }),
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
  /** Sets the team database up (or upgrades it) as its owner, for the desks' account typed; the owner's password is used once and kept nowhere. */
  setUpTeamJournal: (input: TeamSetUpInput) => call('set_up_team_journal', { input }),
  /** The team database, or `null` for this desk's own file: applies at the next start. */
  chooseJournal: (input: TeamJournalInput | null) => call('choose_journal', { input }),
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
  /** Sets up the mail server customers' letters go out through (its password: the keychain). */
  saveMailServer: (input: MailServerInput) => call('save_mail_server', { input }),
  /** Writes a letter about a successful payment, cancel or refund to the outbox. */
  emailEntry: (input: EmailEntryInput) => call('email_entry', { input }),
  /** The letters about a transaction's entries, for its history. */
  transactionLetters: (query: LettersQuery) => call('transaction_letters', { query }),
  /** The outbox viewer: the profile in use's newest letters, whole. */
  outbox: () => call('outbox'),
  /** Takes a payment (the 3D Secure window when the card asks for it); the outcome is the verdict's. */
  pay: (input: PaymentInput) => call('pay', { input }),
  /** Asks where to save, then writes the entries the filter matches; `null` when the operator cancelled. */
  exportCsv: (input: ExportInput) => call('export_csv', { input }),
  /** Copies this desk's own file into the chosen team database (again: copies only what is new), allowed by a supervisor of the team (name and PIN checked there; empty while it has none); `journal-copy` tells how far it is. */
  copyJournalToTeam: (allowedBy: TeamSupervisor) => call('copy_journal_to_team', { allowedBy }),
  paymentOptions: (currency: string) => call('payment_options', { currency }),
  /** "Check now": a newer version at the update address, or `null` when this is the newest. */
  checkForUpdate: () => call('check_for_update'),
  /** What the last check found (the check at start runs once a day at most). */
  updateFound: () => call('update_found'),
  /** Downloads, verifies and installs the update found, then restarts; refused while money is being sent. */
  installUpdate: () => call('install_update'),
  /** Opens the OS's print dialog for what the window shows (a receipt, the end-of-day sheet), where saving as PDF is one of the printers. */
  printWindow: () => call('print_window'),
});

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
