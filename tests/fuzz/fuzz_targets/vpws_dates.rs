//! VPWS date-times (`2025-10-24T17:23:51.5461093` Istanbul local, `…Z` UTC). Properties: nothing
//! panics; what parses prints as text that parses to the same instant.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpws::VpwsDateTime;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    if let Ok(parsed) = VpwsDateTime::parse(text) {
        let printed = parsed.to_string();
        let again = VpwsDateTime::parse(&printed).unwrap_or_else(|e| {
            panic!("{text:?} printed as {printed:?}, which does not parse: {e}")
        });
        assert_eq!(again.utc(), parsed.utc(), "{text:?} → {printed:?}");
    }
});
