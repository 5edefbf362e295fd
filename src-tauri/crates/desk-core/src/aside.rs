//! A file the app cannot read is moved aside, never deleted or silently replaced, so the
//! operator can be told where it went.

use std::path::{Path, PathBuf};

/// Renames `path` to `<path>.damaged-<UTC time>` and returns the new path.
pub fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".damaged-{stamp}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside)?;
    Ok(aside)
}
