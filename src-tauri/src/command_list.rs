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
//   the few that are the app's own (the updater, the first screen's probe), written by hand in
//   commands.rs.
command_list! {
    desk {
        app_status() -> AppStatus: Open = status;
        dismiss_notice(code: String) -> AppStatus: Look = dismiss_notice;
        list_profiles() -> Vec<ProfileView>: Look = list_profiles;
        save_profile(input: ProfileInput) -> ProfileView: ManageDesk = save_profile;
        delete_profile(id: String) -> (): ManageDesk = delete_profile;
        switch_profile(id: String) -> AppStatus: ManageDesk = switch_profile;
        test_connection(id: String) -> ConnectionTest: ManageDesk = test_connection;
        bin_options(input: BinInput) -> BinOptionsView: Look = bin_options;
        quote(input: QuoteInput) -> Vec<PosQuote>: Look = quote;
        new_order_reference() -> String: Pay = new_order_reference;
        current_payment() -> Option<CurrentPayment>: Look = current_payment;
        dismiss_payment() -> (): Pay = dismiss_payment;
        check_payment(order_reference: String) -> PaymentOutcome: Pay = check_payment;
        lookup_transaction(key: LookupKey) -> TransactionScreen: Look = lookup;
        cancel_transaction(input: CancelInput) -> TransactionScreen: Cancel = cancel;
        refund_transaction(input: RefundInput) -> TransactionScreen: Refund = refund;
        resolve_in_doubt(input: ResolveInput) -> TransactionScreen: Approve = resolve_in_doubt;
        update_preferences(preferences: Preferences) -> AppStatus: Look = update_preferences;
        journal_search(query: PageQuery) -> Page: Look = journal_search;
        journal_totals(filter: Filter) -> Vec<CurrencyTotals>: Look = journal_totals;
        journal_report(range: ReportRange) -> Report: Look = journal_report;
        reconcile_pending() -> ReconcileReport: Look = reconcile_pending;
        unsettled_now() -> ReconcileReport: Look = unsettled_now;
        test_team_journal(input: TeamJournalInput) -> (): ManageDesk = test_team_journal;
        set_up_team_journal(input: TeamSetUpInput) -> AppStatus: SetUpTeam = set_up_team_journal;
        choose_journal(input: Option<TeamJournalInput>) -> AppStatus: ManageDesk = choose_journal;
        staff_status() -> StaffStatus: Open = staff_status;
        sign_in(input: SignInInput) -> StaffStatus: Open = sign_in;
        sign_out() -> StaffStatus: Look = sign_out;
        still_here() -> (): Look = still_here;
        list_operators() -> Vec<OperatorView>: ManageDesk = list_operators;
        save_operator(input: OperatorInput) -> Vec<OperatorView>: ManageDesk = save_operator;
        request_refund_approval(input: RefundInput) -> Approval: RequestApproval = request_refund_approval;
        request_cancel_approval(input: CancelInput) -> Approval: RequestApproval = request_cancel_approval;
        list_approvals() -> Vec<Approval>: Look = approvals;
        decide_approval(input: DecisionInput) -> Approval: Approve = decide_approval;
        pay(input: PaymentInput) -> PaymentOutcome: Pay = pay;
        export_csv(input: ExportInput) -> Option<ExportResult>: Export = export_csv;
        copy_journal_to_team(allowed_by: TeamSupervisor) -> CopyProgress: ManageDesk = copy_journal_to_team;
    }
    shell {
        payment_options(currency: String) -> Vec<PosView>: Look;
        check_for_update() -> Option<UpdateOffer>: ManageDesk;
        update_found() -> Option<UpdateOffer>: Look;
        install_update() -> (): ManageDesk;
    }
}
