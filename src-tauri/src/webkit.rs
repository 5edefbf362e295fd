//! WebKit settings the desk's windows have no use for and that cost memory.
//!
//! Accelerated compositing draws the page through GPU layers: on a desktop without a usable GPU
//! (and under Xvfb) that is Mesa's software renderer, whose buffers and LLVM code cost the page
//! process about 90 MiB. The desk's screens are forms and tables with no animation, video or
//! 3D, so they are drawn directly (bench/run measures the difference; BENCHMARKS.md).

/// Applies the desk's WebKit settings to `window` (only WebKitGTK has them).
pub fn apply(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let applied = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = applied {
            tracing::warn!("WebKit settings not applied: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
