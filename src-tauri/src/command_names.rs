/// Every IPC command of the app. Read by `build.rs` (permissions) and by the tests that check
/// the capability grants exactly these to the main window.
pub const ALL: &[&str] = &[
    "app_status",
    "list_profiles",
    "save_profile",
    "delete_profile",
    "switch_profile",
    "test_connection",
    "payment_options",
    "bin_options",
    "quote",
    "new_order_reference",
    "pay",
    "lookup_transaction",
    "cancel_transaction",
    "refund_transaction",
    "update_preferences",
    "journal_search",
    "journal_history",
    "reconcile_pending",
    "export_csv",
];
