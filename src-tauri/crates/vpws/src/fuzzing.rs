//! Entry points for the fuzz targets (`tests/fuzz`): each of the client's answer readers, given an
//! HTTP status and body as a gateway, or something pretending to be one, might send them.

use std::time::Duration;

use crate::model::{BinOptions, OperationResult, PaymentResult, PosOption, Transaction};
use crate::response::{self, RawResponse};
use crate::Error;

/// Reads `body` as the answer of every call. Panics if a reader does: that is what the fuzzer
/// looks for, along with a success read from a non-2xx answer and an error without a code.
pub fn read_every_answer(status: u16, body: &[u8]) {
    let raw = RawResponse {
        status,
        retry_after: Some(Duration::from_secs(1)),
        body: body.to_vec(),
    };
    must_hold::<Vec<PosOption>>(&raw, response::bare_or_enveloped(&raw));
    must_hold::<BinOptions>(
        &raw,
        response::array_or_object::<PosOption, BinOptions>(&raw, |poses| BinOptions {
            poses,
            ..BinOptions::default()
        }),
    );
    must_hold::<PaymentResult>(&raw, response::payment(&raw));
    must_hold::<Transaction>(&raw, response::bare_or_enveloped(&raw));
    must_hold::<OperationResult>(&raw, response::operation(&raw, "P013"));
    must_hold::<OperationResult>(&raw, response::operation(&raw, "P014"));
    if !(200..300).contains(&status) {
        let error = response::error_from(&raw);
        assert!(
            !error.code().is_empty(),
            "an error without a code: {error:?}"
        );
    }
}

fn must_hold<T>(raw: &RawResponse, read: Result<T, Error>) {
    match read {
        Ok(_) => assert!(
            (200..300).contains(&raw.status),
            "a success read from HTTP {}",
            raw.status
        ),
        Err(error) => assert!(
            !error.code().is_empty(),
            "an error without a code: {error:?}"
        ),
    }
}
