//! The moment the first screen has asked for its data. bench/run measures a start to it, and the
//! start's housekeeping waits for it: on a two-core desk, reading the journal file or asking for
//! a new version while WebKit builds the first screen makes that screen late.

use std::time::Duration;

use tokio::sync::watch;

pub struct FirstScreen(watch::Sender<bool>);

impl Default for FirstScreen {
    fn default() -> Self {
        Self(watch::channel(false).0)
    }
}

impl FirstScreen {
    /// Rates asked for its data (only the first call counts).
    pub fn asked(&self) {
        if !self.0.send_replace(true) {
            tracing::info!(target: "bench", "rates asked for its data");
        }
    }

    /// Returns once the first screen has asked, or after `patience` (a desk that opens on the
    /// sign-in screen never asks until someone signs in).
    pub async fn asked_or_after(&self, patience: Duration) {
        let mut asked = self.0.subscribe();
        let _ = tokio::time::timeout(patience, asked.wait_for(|asked| *asked)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const AN_HOUR: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn housekeeping_waits_for_the_first_screen_and_no_longer() {
        let first_screen = Arc::new(FirstScreen::default());
        let waiting = tokio::spawn({
            let first_screen = first_screen.clone();
            async move { first_screen.asked_or_after(AN_HOUR).await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        first_screen.asked();
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("released by the first screen")
            .unwrap();
        // Asked before anyone waits: nothing waits at all.
        tokio::time::timeout(Duration::from_secs(5), first_screen.asked_or_after(AN_HOUR))
            .await
            .expect("already asked");
    }

    #[tokio::test]
    async fn a_desk_that_opens_on_sign_in_starts_its_housekeeping_after_the_patience() {
        let started = std::time::Instant::now();
        FirstScreen::default()
            .asked_or_after(Duration::from_millis(50))
            .await;
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
