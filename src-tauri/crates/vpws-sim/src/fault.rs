//! A fault to inject: make an endpoint slow, fail with a status, answer garbage or drop the
//! connection — before the request is processed, or after (so the effect happened but the
//! caller never learns of it: the case that must never lead to a second charge). Plain data;
//! `inject` applies it.

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub endpoint: Endpoint,
    pub kind: FaultKind,
    /// Process the request first, then apply the fault to the answer.
    #[serde(default)]
    pub after_processing: bool,
    /// How many requests it affects; `None` until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// How many matching requests pass untouched before it applies (a fault "later").
    #[serde(default)]
    pub skip: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum FaultKind {
    Delay {
        ms: u64,
    },
    /// 401, 429, 500, 503, 504 (or any other status) with the matching envelope.
    Status {
        status: u16,
    },
    /// A 200 whose JSON body is cut off.
    Malformed,
    /// The connection closes without an answer.
    DropConnection,
}

impl Fault {
    pub fn new(endpoint: Endpoint, kind: FaultKind) -> Self {
        Self {
            endpoint,
            kind,
            after_processing: false,
            times: None,
            skip: 0,
        }
    }

    /// Lets the first `n` matching requests through, then applies.
    pub fn after_requests(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    pub fn after_processing(mut self) -> Self {
        self.after_processing = true;
        self
    }

    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}
