//! Work that blocks (a file, the keychain, hashing a PIN) runs off the async workers, so a slow
//! disk or keychain never holds up the commands running beside it.

use crate::error::{AppError, AppResult, ErrorCode};

/// Runs `work` on the blocking pool; a task that could not finish is an internal error.
pub async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
}
