use serde::{Deserialize, Serialize};

/// The six-field wrapper around POST answers and every error.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub status_code: Option<i32>,
    #[serde(default)]
    pub exceptions: Option<serde_json::Value>,
    #[serde(default = "Option::default")]
    pub data: Option<T>,
    #[serde(default)]
    pub old_data: Option<serde_json::Value>,
    #[serde(default)]
    pub errors: Option<Vec<ApiError>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: Option<String>,
}

impl<T> Envelope<T> {
    /// The first error code and message the envelope carries, if any.
    pub fn first_error(&self) -> Option<&ApiError> {
        self.errors.as_ref().and_then(|e| e.first())
    }
}
