// Every IPC command of the app, declared once: its name, its argument (at most one, its request:
// several values travel as one type; the UI sends it under the Rust name), its answer and what
// it needs of whoever is at the desk (the permission table: a `Need` of desk-core, checked by
// the gate in gate.rs before the command runs; `Open` only for what a locked desk may do).
// Three readers give `command_list!` their own meaning:
// - build.rs: the permission manifest (each command needs an explicit `allow-…` grant, so a
//   window without one, the 3D Secure window, can call none);
// - commands.rs: the handlers behind the gate, the permission table, and the TypeScript command
//   table a test writes to `ui/src/lib/generated/commands.ts` (names, argument and answer types);
// - for `desk` commands, commands.rs also writes the handler itself: it calls the desk method
//   named after `=` with the argument as declared, so the declaration is the signature (a
//   method that does not take exactly this argument or answer `AppResult<answer>` does not
//   compile). What a desk command needs of the window (the 3D step, the save dialog, progress
//   events) it asks of its host (desk-core's `Host`, the app's host.rs). `shell` commands are
//   the few that are the app's own (the updater, the first screen's probe, printing), written by hand in
//   commands.rs.
command_list! {
    desk {
        app_status() -> AppStatus: Open = status;
        /// Puts away a notice the operator has read; answers the status without it.
        dismiss_notice(code: String) -> AppStatus: Look = dismiss_notice;
        list_profiles() -> Vec<ProfileView>: Look = list_profiles;
        save_profile(input: ProfileInput) -> ProfileView: ManageDesk = save_profile;
        delete_profile(id: String) -> (): ManageDesk = delete_profile;
        switch_profile(id: String) -> AppStatus: ManageDesk = switch_profile;
        test_connection(id: String) -> ConnectionTest: ManageDesk = test_connection;
        bin_options(input: BinInput) -> BinOptionsView: Look = bin_options;
        /// What an amount costs on the POSes named, at the rates the gateway last gave.
        quote(input: QuoteInput) -> Vec<PosQuote>: Look = quote;
        new_order_reference() -> String: Pay = new_order_reference;
        /// The account code ("cari kod") this customer (by e-mail) was last paid with.
        known_account_code(email: String) -> Option<String>: Pay = known_account_code;
        /// The payment in progress (or the last one's result until dismissed), whichever screen
        /// started it.
        current_payment() -> Option<CurrentPayment>: Look = current_payment;
        dismiss_payment() -> (): Pay = dismiss_payment;
        /// "Check again": Rust asks the gateway and returns the verdict; the UI never classifies a
        /// status.
        check_payment(order_reference: String) -> PaymentOutcome: Pay = check_payment;
        lookup_transaction(key: LookupKey) -> TransactionScreen: Look = lookup;
        cancel_transaction(input: CancelInput) -> TransactionScreen: Cancel = cancel;
        refund_transaction(input: RefundInput) -> TransactionScreen: Refund = refund;
        resolve_in_doubt(input: ResolveInput) -> TransactionScreen: Approve = resolve_in_doubt;
        /// Changes the preferences (the UI's `api.updatePreferences` sends only what changed).
        update_preferences(preferences: Preferences) -> AppStatus: Look = update_preferences;
        journal_search(query: PageQuery) -> Page: Look = journal_search;
        /// Per currency: what the filtered entries add up to (successful sales, cancels, refunds,
        /// net).
        journal_totals(filter: Filter) -> Vec<CurrencyTotals>: Look = journal_totals;
        /// The active profile's report over a range of Istanbul days (both included).
        journal_report(range: ReportRange) -> Report: Look = journal_report;
        reconcile_pending() -> ReconcileReport: Look = reconcile_pending;
        /// What is not final now, from the journal alone (the gateway is not asked).
        unsettled_now() -> ReconcileReport: Look = unsettled_now;
        /// Reaches the team database with these settings; rejects with what is wrong.
        test_team_journal(input: TeamJournalInput) -> (): ManageDesk = test_team_journal;
        /// Sets the team database up (or upgrades it) as its owner, for the desks' account typed;
        /// the owner's password is used once and kept nowhere.
        set_up_team_journal(input: TeamSetUpInput) -> AppStatus: SetUpTeam = set_up_team_journal;
        /// The team database, or `null` for this desk's own file: applies at the next start.
        choose_journal(input: Option<TeamJournalInput>) -> AppStatus: ManageDesk = choose_journal;
        /// Whether operators are on, who is signed in here, and the names to sign in as.
        staff_status() -> StaffStatus: Open = staff_status;
        sign_in(input: SignInInput) -> StaffStatus: Open = sign_in;
        /// Locks the desk (Ctrl+L, idle): a PIN is asked again.
        sign_out() -> StaffStatus: Look = sign_out;
        /// The operator is typing or pointing: Rust keeps the sign-in alive (it ends after the lock
        /// time otherwise).
        still_here() -> (): Look = still_here;
        list_operators() -> Vec<OperatorView>: ManageDesk = list_operators;
        save_operator(input: OperatorInput) -> Vec<OperatorView>: ManageDesk = save_operator;
        /// A refund above the signed-in operator's limit, for a supervisor to approve; nothing is
        /// sent.
        request_refund_approval(input: RefundInput) -> Approval: RequestApproval = request_refund_approval;
        /// A cancel above the signed-in operator's limit, for a supervisor to approve; nothing is
        /// sent.
        request_cancel_approval(input: CancelInput) -> Approval: RequestApproval = request_cancel_approval;
        list_approvals() -> Vec<Approval>: Look = approvals;
        /// Approving sends the refund from this desk, once; rejecting needs a note.
        decide_approval(input: DecisionInput) -> Approval: Approve = decide_approval;
        /// Sets up the mail server customers' letters go out through (its password: the keychain).
        save_mail_server(input: MailServerInput) -> AppStatus: ManageDesk = save_mail_server;
        /// Writes a letter about a successful payment, cancel or refund to the outbox.
        email_entry(input: EmailEntryInput) -> LetterView: Pay = email_entry;
        /// The letters about a transaction's entries, for its history.
        transaction_letters(query: LettersQuery) -> Vec<LetterView>: Look = transaction_letters;
        /// The outbox viewer: the profile in use's newest letters, whole.
        outbox() -> Vec<OutboxLetter>: Look = outbox;
        /// Takes a payment (the 3D Secure window when the card asks for it); the outcome is the
        /// verdict's.
        pay(input: PaymentInput) -> PaymentOutcome: Pay = pay;
        /// Asks where to save, then writes the entries the filter matches; `null` when the operator
        /// cancelled.
        export_csv(input: ExportInput) -> Option<ExportResult>: Export = export_csv;
        /// Copies this desk's own file into the chosen team database (again: copies only what is
        /// new), allowed by a supervisor of the team (name and PIN checked there; empty while it
        /// has none); `journal-copy` tells how far it is.
        copy_journal_to_team(allowed_by: TeamSupervisor) -> CopyProgress: ManageDesk = copy_journal_to_team;
    }
    shell {
        payment_options(currency: String) -> Vec<PosView>: Look;
        /// "Check now": a newer version at the update address, or `null` when this is the newest.
        check_for_update() -> Option<UpdateOffer>: ManageDesk;
        /// What the last check found (the check at start runs once a day at most).
        update_found() -> Option<UpdateOffer>: Look;
        /// Downloads, verifies and installs the update found, then restarts; refused while money is
        /// being sent.
        install_update() -> (): ManageDesk;
        /// Opens the OS's print dialog for what the window shows (a receipt, the end-of-day
        /// sheet), where saving as PDF is one of the printers.
        print_window() -> (): Look;
    }
}
