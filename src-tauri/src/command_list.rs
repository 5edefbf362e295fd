// Every IPC command of the app, declared once: its name, its arguments (Rust names; the UI sends
// them in camelCase), its result and what it needs of whoever is at the desk (the permission
// table: a `Need` of desk-core, checked by the gate in gate.rs before the command runs; `Open`
// only for what a locked desk may do). Three readers give `command_list!` their own meaning:
// - build.rs: the permission manifest (each command needs an explicit `allow-…` grant, so a
//   window without one, the 3D Secure window, can call none);
// - commands.rs: the handler list behind the gate, the permission table, and the TypeScript command table that a test writes to
//   `ui/src/lib/generated/commands.ts` (names, argument and result types);
// - a compile error when a command here has no function in commands.rs, and a lint error when a
//   function there is missing here.
command_list! {
    app_status() -> AppStatus: Open;
    list_profiles() -> Vec<ProfileView>: Look;
    save_profile(input: ProfileInput) -> ProfileView: ManageDesk;
    delete_profile(id: String) -> (): ManageDesk;
    switch_profile(id: String) -> AppStatus: ManageDesk;
    test_connection(id: String) -> ConnectionTest: ManageDesk;
    payment_options(currency: String) -> Vec<PosView>: Look;
    bin_options(bin: String, currency: String, amount: Option<String>) -> BinOptionsView: Look;
    quote(input: QuoteInput) -> Vec<PosQuote>: Look;
    new_order_reference() -> String: Pay;
    pay(input: PaymentInput) -> PaymentOutcome: Pay;
    current_payment() -> Option<CurrentPayment>: Look;
    dismiss_payment() -> (): Pay;
    check_payment(order_reference: String) -> PaymentOutcome: Pay;
    lookup_transaction(key: LookupKey) -> TransactionScreen: Look;
    cancel_transaction(input: CancelInput) -> TransactionScreen: Cancel;
    refund_transaction(input: RefundInput) -> TransactionScreen: Refund;
    resolve_in_doubt(input: ResolveInput) -> TransactionScreen: Approve;
    update_preferences(preferences: Preferences) -> AppStatus: Look;
    journal_search(filter: Filter, offset: u32, limit: u32) -> Page: Look;
    journal_totals(filter: Filter) -> Vec<CurrencyTotals>: Look;
    journal_report(range: ReportRange) -> Report: Look;
    reconcile_pending() -> ReconcileReport: Look;
    unsettled_now() -> ReconcileReport: Look;
    export_csv(filter: Filter, format: CsvFormat) -> Option<ExportResult>: Export;
    test_team_journal(input: TeamJournalInput) -> (): ManageDesk;
    set_up_team_journal(input: TeamSetUpInput) -> AppStatus: SetUpTeam;
    choose_journal(input: Option<TeamJournalInput>) -> AppStatus: ManageDesk;
    copy_journal_to_team(allowed_by: TeamSupervisor) -> CopyProgress: ManageDesk;
    staff_status() -> StaffStatus: Open;
    sign_in(input: SignInInput) -> StaffStatus: Open;
    sign_out() -> StaffStatus: Look;
    still_here() -> (): Look;
    list_operators() -> Vec<OperatorView>: ManageDesk;
    save_operator(input: OperatorInput) -> Vec<OperatorView>: ManageDesk;
    request_refund_approval(input: RefundInput) -> Approval: RequestApproval;
    request_cancel_approval(input: CancelInput) -> Approval: RequestApproval;
    list_approvals() -> Vec<Approval>: Look;
    decide_approval(input: DecisionInput) -> Approval: Approve;
    check_for_update() -> Option<UpdateOffer>: ManageDesk;
    update_found() -> Option<UpdateOffer>: Look;
    install_update() -> (): ManageDesk;
}
