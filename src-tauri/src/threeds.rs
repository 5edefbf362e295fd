//! The 3D Secure window: the bank's page in its own webview (parent = main, in no capability,
//! so it has no IPC). Navigation to the return URL is cancelled and ends the step; closing the
//! window by hand means abandoned. Either way the caller then asks the gateway for the status.
//! The window is incognito: the bank's cookies and storage end with it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::oneshot;

use desk_core::desk::ThreeDEnd;

pub const WINDOW_LABEL: &str = "threeds";
/// A bank page left open longer than this is treated as abandoned.
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// Same scheme, host, port and path as the configured return URL (query and fragment vary).
pub fn is_return_url(candidate: &url::Url, return_url: &str) -> bool {
    let Ok(expected) = url::Url::parse(return_url) else {
        return false;
    };
    candidate.scheme() == expected.scheme()
        && candidate.host_str() == expected.host_str()
        && candidate.port_or_known_default() == expected.port_or_known_default()
        && candidate.path().trim_end_matches('/') == expected.path().trim_end_matches('/')
}

type Signal = Arc<Mutex<Option<oneshot::Sender<ThreeDEnd>>>>;

fn send(signal: &Signal, end: ThreeDEnd) {
    if let Some(sender) = signal.lock().expect("3D signal lock").take() {
        let _ = sender.send(end);
    }
}

/// Under tauri-driver (which sets this) WebDriver reaches only the first web context, and an
/// incognito window gets a context of its own: the journeys could not see the bank's page.
fn driven_by_webdriver() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

pub async fn run(app: AppHandle, redirect: String, return_url: String) -> ThreeDEnd {
    let url = match url::Url::parse(&redirect) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => return ThreeDEnd::Failed("the gateway sent an invalid 3D address".into()),
    };
    if let Some(stale) = app.get_webview_window(WINDOW_LABEL) {
        let _ = stale.destroy();
    }
    let (sender, receiver) = oneshot::channel();
    let signal: Signal = Arc::new(Mutex::new(Some(sender)));

    let on_nav_signal = signal.clone();
    let on_nav_app = app.clone();
    let mut builder = WebviewWindowBuilder::new(&app, WINDOW_LABEL, WebviewUrl::External(url))
        .title("3D Secure")
        .inner_size(500.0, 700.0)
        .center()
        .focused(true)
        .incognito(!driven_by_webdriver())
        .on_navigation(move |target| {
            if !matches!(target.scheme(), "http" | "https") {
                return false;
            }
            if !is_return_url(target, &return_url) {
                return true;
            }
            send(&on_nav_signal, ThreeDEnd::Returned);
            let app = on_nav_app.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(window) = app.get_webview_window(WINDOW_LABEL) {
                    let _ = window.destroy();
                }
            });
            false
        });
    if let Some(main) = app.get_webview_window("main") {
        builder = match builder.parent(&main) {
            Ok(b) => b,
            Err(e) => return ThreeDEnd::Failed(e.to_string()),
        };
    }
    let window = match builder.build() {
        Ok(w) => w,
        Err(e) => return ThreeDEnd::Failed(e.to_string()),
    };
    crate::webkit::apply(&window);
    let on_close_signal = signal.clone();
    window.on_window_event(move |event| {
        if matches!(
            event,
            WindowEvent::Destroyed | WindowEvent::CloseRequested { .. }
        ) {
            send(&on_close_signal, ThreeDEnd::ClosedByHand);
        }
    });
    let end = tokio::time::timeout(MAX_WAIT, receiver).await;
    if let Some(window) = app.get_webview_window(WINDOW_LABEL) {
        let _ = window.destroy();
    }
    match end {
        Ok(Ok(end)) => end,
        _ => ThreeDEnd::ClosedByHand,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_url_matching_ignores_query_but_not_host_or_path() {
        let ret = "https://return.dealerdesk.invalid/3d";
        let yes = |u: &str| is_return_url(&url::Url::parse(u).unwrap(), ret);
        assert!(yes("https://return.dealerdesk.invalid/3d"));
        assert!(yes(
            "https://return.dealerdesk.invalid/3d/?referenceCode=NTH2P1"
        ));
        assert!(yes("https://return.dealerdesk.invalid:443/3d#x"));
        assert!(!yes("http://return.dealerdesk.invalid/3d"));
        assert!(!yes("https://evil.example/3d"));
        assert!(!yes("https://return.dealerdesk.invalid/3dx"));
        assert!(!yes("https://return.dealerdesk.invalid.evil.example/3d"));
    }
}
