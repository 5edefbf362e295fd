//! Operators as desks see them, signing in, and approval decisions.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Money;

/// Operators as a desk sees them: whether they are on, who is signed in here, and the names
/// the sign-in screen offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffStatus {
    /// Some operator is active: a PIN is asked before anything else.
    pub operators_on: bool,
    pub signed_in: Option<OperatorView>,
    /// Active operators, by name (the sign-in list).
    pub names: Vec<OperatorName>,
    /// Lock the desk after this many idle minutes (0: never).
    pub lock_after_minutes: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorName {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

/// An operator without their PIN hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: crate::journal::Role,
    /// Back office: the largest refund sent without approval.
    pub refund_limit: Option<Money>,
    pub active: bool,
    /// Blocked after too many wrong PINs: signs in again once a supervisor sets a new PIN.
    pub pin_blocked: bool,
}

/// A new operator (`id: None`, PIN required) or changes to one (an empty PIN keeps it).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OperatorInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub role: crate::journal::Role,
    pub pin: Option<String>,
    pub refund_limit: Option<String>,
    pub active: bool,
}

impl std::fmt::Debug for OperatorInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorInput")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("pin", &self.pin.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignInInput {
    #[ts(type = "number")]
    pub operator_id: i64,
    pub pin: String,
}

impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput")
            .field("operator_id", &self.operator_id)
            .field("pin", &"[redacted]")
            .finish()
    }
}

/// A supervisor's answer to an approval request.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecisionInput {
    #[ts(type = "number")]
    pub approval_id: i64,
    pub approve: bool,
    pub note: String,
    /// Write to the customer (a receipt, a notice) in this language once it succeeded; `None`:
    /// no letter.
    #[serde(default)]
    #[ts(optional)]
    pub email_customer: Option<crate::model::Language>,
}
