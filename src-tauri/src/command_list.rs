// Every IPC command of the app, declared once: its name, its arguments (Rust names; the UI sends
// them in camelCase) and its result. Three readers give `command_list!` their own meaning:
// - build.rs: the permission manifest (each command needs an explicit `allow-…` grant, so a
//   window without one, the 3D Secure window, can call none);
// - commands.rs: the handler list, and the TypeScript command table that a test writes to
//   `ui/src/lib/generated/commands.ts` (names, argument and result types);
// - a compile error when a command here has no function in commands.rs, and a lint error when a
//   function there is missing here.
command_list! {
    app_status() -> AppStatus;
    list_profiles() -> Vec<ProfileView>;
    save_profile(input: ProfileInput) -> ProfileView;
    delete_profile(id: String) -> ();
    switch_profile(id: String) -> AppStatus;
    test_connection(id: String) -> ConnectionTest;
    payment_options(currency: String) -> Vec<PosView>;
    bin_options(bin: String, currency: String, amount: Option<String>) -> BinOptionsView;
    quote(input: QuoteInput) -> Vec<PosQuote>;
    new_order_reference() -> String;
    pay(input: PaymentInput) -> PaymentOutcome;
    current_payment() -> Option<CurrentPayment>;
    dismiss_payment() -> ();
    check_payment(order_reference: String) -> PaymentOutcome;
    lookup_transaction(key: LookupKey) -> TransactionView;
    cancel_transaction(input: CancelInput) -> TransactionView;
    refund_transaction(input: RefundInput) -> TransactionView;
    resolve_in_doubt(input: ResolveInput) -> TransactionView;
    update_preferences(preferences: Preferences) -> AppStatus;
    journal_search(filter: Filter, offset: u32, limit: u32) -> Page;
    journal_totals(filter: Filter) -> Vec<CurrencyTotals>;
    journal_report(range: ReportRange) -> Report;
    journal_history(reference_code: String, order_reference: Option<String>) -> Vec<Entry>;
    reconcile_pending() -> ReconcileReport;
    unsettled_now() -> ReconcileReport;
    export_csv(filter: Filter, format: CsvFormat) -> Option<ExportResult>;
    test_team_journal(input: TeamJournalInput) -> ();
    choose_journal(input: Option<TeamJournalInput>) -> AppStatus;
    copy_journal_to_team() -> CopyProgress;
    staff_status() -> StaffStatus;
    sign_in(input: SignInInput) -> StaffStatus;
    sign_out() -> StaffStatus;
    list_operators() -> Vec<OperatorView>;
    save_operator(input: OperatorInput) -> Vec<OperatorView>;
    request_refund_approval(input: RefundInput) -> Approval;
    list_approvals() -> Vec<Approval>;
    decide_approval(input: DecisionInput) -> Approval;
    check_for_update() -> Option<UpdateOffer>;
    update_found() -> Option<UpdateOffer>;
    install_update() -> ();
}
