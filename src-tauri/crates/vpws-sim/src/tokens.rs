//! Access tokens as the gateway issues them.

use base64::Engine;

/// A JWT-looking opaque token: header.payload.random.
pub fn new_token(api_key: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64.encode(format!(
        r#"{{"sub":"{api_key}","iat":{},"scope":"vpwsv1.api"}}"#,
        now.timestamp()
    ));
    let random = uuid::Uuid::new_v4();
    let signature = b64.encode(
        [
            random.as_bytes().as_slice(),
            uuid::Uuid::new_v4().as_bytes(),
        ]
        .concat(),
    );
    format!("{header}.{payload}.{signature}")
}
