//! The client's reading of every VPWS answer (each endpoint's body, the envelope, dates and
//! amounts inside them), given any HTTP status and body a gateway or a proxy might send.
//! Properties: nothing panics; a success is read only from a 2xx answer; every error has a code.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    // The first two bytes choose the HTTP status (100–699: VPWS documents 6xx codes too).
    let Some((head, body)) = input.split_first_chunk::<2>() else {
        return;
    };
    let status = 100 + u16::from_be_bytes(*head) % 600;
    vpws::fuzzing::read_every_answer(status, body);
});
