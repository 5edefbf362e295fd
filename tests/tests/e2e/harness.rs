//! Drives the real, release-built app through WebDriver: tauri-driver (port 4444) starts
//! WebKitWebDriver, which starts the app. Each test gets its own XDG dirs (settings, journal,
//! WebKit caches), a screenshot after each step under `target/e2e/<test>/`, a time limit, and
//! tauri-driver is stopped with SIGTERM (SIGKILL would orphan WebKitWebDriver).
//!
//! Needs a display and an unlocked keyring: `.ci/test` runs this binary inside
//! `dbus-run-session` + `xvfb-run`, one test at a time.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::{axe, layout};

/// tauri-driver's usual port; its WebKitWebDriver takes the next one.
const DRIVER_PORT: u16 = 4444;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

fn app_binary() -> PathBuf {
    std::env::var_os("DEALER_DESK_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release/dealer-desk"))
}

/// Gives the page's body a transparent inset shadow and takes it away, every 50 ms for a second:
/// the same pixels, painted again.
const REPAINT_FOR_SNAPSHOT: &str = "
    const body = document.body.style;
    let ticks = 0;
    const timer = setInterval(() => {
        body.boxShadow = ticks++ % 2 ? '' : 'inset 0 0 0 1px transparent';
        if (ticks > 20) { clearInterval(timer); body.boxShadow = ''; }
    }, 50);
";

/// Whether `script` (run in the current window) returns `true`; a failed script is `false`.
pub async fn script_is_true(client: &Client, script: &str) -> bool {
    client
        .execute(script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// tauri-driver, stopped with SIGTERM when dropped (panics included), so a failed run never
/// leaves port 4444 taken.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where and how one desk starts: its data, its demo gateway and its tauri-driver port.
pub struct Launch {
    /// Named per desk when a journey runs several (screenshots and data apart).
    pub desk: Option<String>,
    /// The data of an earlier start (a restart), or fresh data.
    pub home: Option<PathBuf>,
    /// The app's own demo gateway's port, or a gateway several desks share.
    pub gateway: Gateway,
    pub driver_port: u16,
}

pub enum Gateway {
    Own(u16),
    Shared(String),
}

pub struct App {
    pub client: Client,
    _driver: Driver,
    shots: PathBuf,
    step: u32,
    pub demo: String,
    pub home: PathBuf,
    /// Accessibility violations seen so far; the journey fails on any (checked in `stop`).
    violations: Vec<axe::Violation>,
    root: PathBuf,
    /// Keys pressed through `press`/`type_keys`, counted as an operator would.
    pub keystrokes: u32,
}

impl App {
    /// Starts the app with fresh data.
    pub async fn start(test: &str) -> App {
        Self::start_with(test, None, free_port()).await
    }

    /// Starts the app on the data of `home` (to test a restart) with its demo gateway on
    /// `demo_port` (a restart keeps the URL that saved profiles point at).
    pub async fn start_with(test: &str, home: Option<PathBuf>, demo_port: u16) -> App {
        Self::start_alone(test, home, Gateway::Own(demo_port)).await
    }

    /// Starts the app on the data of `home` with its demo profile pointing at `gateway_url`
    /// instead of its own gateway (e.g. a gateway that cannot be reached).
    pub async fn start_on(test: &str, home: PathBuf, gateway_url: &str) -> App {
        Self::start_alone(test, Some(home), Gateway::Shared(gateway_url.into())).await
    }

    /// The only desk of its journey, on the default tauri-driver port.
    async fn start_alone(test: &str, home: Option<PathBuf>, gateway: Gateway) -> App {
        let launch = Launch {
            desk: None,
            home,
            gateway,
            driver_port: DRIVER_PORT,
        };
        Self::launch(test, launch).await
    }

    /// Starts one of several desks of a journey (each on its own tauri-driver port).
    pub async fn launch(test: &str, launch: Launch) -> App {
        let binary = app_binary();
        assert!(
            binary.exists(),
            "build the app first: {} (see .ci/test)",
            binary.display()
        );
        let mut root = target_dir().join("e2e").join(test);
        if let Some(desk) = &launch.desk {
            root = root.join(desk);
        }
        let home = launch.home.unwrap_or_else(|| {
            let _ = std::fs::remove_dir_all(&root);
            root.join("home")
        });
        let shots = root.join(format!("shots-{}", std::process::id()));
        for dir in ["data", "config", "cache", "runtime"] {
            std::fs::create_dir_all(home.join(dir)).unwrap();
        }
        std::fs::create_dir_all(&shots).unwrap();
        // A driver stopped a moment ago may still be letting go of its ports.
        let free = |port: u16| std::net::TcpListener::bind(("127.0.0.1", port)).is_ok();
        let waiting = Instant::now();
        let port = launch.driver_port;
        while !(free(port) && free(port + 1)) {
            assert!(
                waiting.elapsed() < Duration::from_secs(10),
                "ports {port}/{} are taken: a tauri-driver or WebKitWebDriver from another run is still alive",
                port + 1
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut command =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        let demo = match &launch.gateway {
            Gateway::Own(demo_port) => {
                command.env("DEALER_DESK_DEMO_PORT", demo_port.to_string());
                format!("http://127.0.0.1:{demo_port}")
            }
            Gateway::Shared(url) => {
                command.env("DEALER_DESK_DEMO_URL", url);
                url.clone()
            }
        };
        let driver = command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &(port + 1).to_string(),
            ])
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("LANG", "tr_TR.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(Driver)
            .expect("tauri-driver on PATH (cargo install tauri-driver)");
        let caps = serde_json::json!({ "tauri:options": { "application": binary } });
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::native()
                .capabilities(caps.as_object().unwrap().clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match attempt {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        App {
            client,
            _driver: driver,
            shots,
            step: 0,
            demo,
            home,
            violations: Vec::new(),
            root,
            keystrokes: 0,
        }
    }

    /// After a step: keeps a screenshot of the window and checks it with axe-core.
    pub async fn shot(&mut self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        self.step += 1;
        // The window is drawn without accelerated compositing (src-tauri/src/webkit.rs), and then
        // WebKitWebDriver's snapshot waits for the page's next paint: on a screen where nothing
        // changes it would wait for ever. Repainting the same pixels a few times lets it finish.
        let _ = self.client.execute(REPAINT_FOR_SNAPSHOT, vec![]).await;
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.step)), png);
        }
        // The bank's 3D page is the gateway's, not ours: only the app's window is checked.
        if !script_is_true(
            &self.client,
            "return document.getElementById('app') !== null",
        )
        .await
        {
            return;
        }
        let step = format!("{:02}-{name}", self.step);
        let found = axe::check(&self.client, &step).await;
        self.violations.extend(found);
        for problem in layout::clipped(&self.client).await {
            self.violations.push(axe::Violation {
                step: step.clone(),
                rule: "clipped".into(),
                impact: "serious".into(),
                help: problem,
                nodes: Vec::new(),
            });
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_text(&self, needle: &str) {
        let started = Instant::now();
        loop {
            let body = self
                .client
                .find(Locator::Css("body"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap_or_default();
            if body.contains(needle) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "text {needle:?} never appeared; page:\n{body}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until `script` (run in the app's window) returns `true`; `what` names it on failure.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let started = Instant::now();
        while !script_is_true(&self.client, script).await {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "never happened: {what}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The rendered text of the element at `css` (waiting for it to appear).
    pub async fn text_of(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// Waits until the `textContent` of the element at `css` contains `needle` (for content the
    /// driver's rendered-text view skips, such as the virtualised journal rows).
    pub async fn wait_in(&self, css: &str, needle: &str) {
        let started = Instant::now();
        loop {
            let text = self
                .client
                .execute(
                    "const e=document.querySelector(arguments[0]); return e ? e.textContent : '';",
                    vec![serde_json::json!(css)],
                )
                .await
                .unwrap_or_default();
            if text.as_str().unwrap_or_default().contains(needle) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{needle:?} never appeared in {css}: {text}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Replaces the text of the field at `css`; waits while the field is not interactable yet
    /// (just shown, still laid out).
    pub async fn type_into(&self, css: &str, text: &str) {
        let started = Instant::now();
        loop {
            let field = self.find(css).await;
            self.scroll_to_middle(&field).await;
            let typed = match field.clear().await {
                Ok(()) => field.send_keys(text).await,
                Err(e) => Err(e),
            };
            match typed {
                Ok(()) => return,
                Err(e) if started.elapsed() < Duration::from_secs(5) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => panic!("cannot type into {css}: {e}"),
            }
        }
    }

    /// Scrolls `element` to the middle of its scrolling screen (WebKitWebDriver does not scroll
    /// nested scroll containers far enough to reach what sits at their edge).
    async fn scroll_to_middle(&self, element: &Element) {
        let arg = serde_json::to_value(element).unwrap();
        let _ = self
            .client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' })",
                vec![arg.clone()],
            )
            .await;
        // As an operator would, clicks once the screen has stopped moving: a list above that is
        // still filling in shifts the element under the pointer between aim and click.
        let mut last = String::new();
        for _ in 0..20 {
            let place = self
                .client
                .execute(
                    "const r = arguments[0].getBoundingClientRect(); return `${r.x},${r.y}`;",
                    vec![arg.clone()],
                )
                .await
                .map(|v| v.to_string())
                .unwrap_or_default();
            if place == last {
                return;
            }
            last = place;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Chooses `value` in the select at `css` as a change by the operator would (a native
    /// popup opened by clicking an option can keep the keyboard from the next field).
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await;
        self.client
            .execute(
                "const s = document.querySelector(arguments[0]); s.value = arguments[1];
                 s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
                vec![serde_json::json!(css), serde_json::json!(value)],
            )
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Clicks `css`, scrolled to the middle of its scrolling screen first (WebKitWebDriver does not
    /// scroll nested scroll containers far enough to click what sits at their edge).
    ///
    /// A list drawn anew between finding and clicking (another desk's change arrived) leaves the
    /// element found behind: it is found again, a few times.
    pub async fn click(&self, css: &str) {
        let mut tries = 0;
        loop {
            let element = self.find(css).await;
            self.scroll_to_middle(&element).await;
            match element.click().await {
                Ok(_) => return,
                Err(e) if tries < 5 && e.to_string().contains("was not found") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    /// Clicks the first element of `selector` whose text contains `text`.
    pub async fn click_text(&self, selector: &str, text: &str) {
        let started = Instant::now();
        loop {
            for e in self
                .client
                .find_all(Locator::Css(selector))
                .await
                .unwrap_or_default()
            {
                if e.text().await.unwrap_or_default().contains(text) {
                    e.click().await.unwrap();
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "no {selector} with {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// How many requests the app's demo gateway saw, per endpoint.
    pub async fn gateway_requests(&self) -> serde_json::Value {
        reqwest::get(format!("{}/__admin/requests", self.demo))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Makes the app's demo gateway misbehave (`/__admin/faults`, vpws-sim `Fault` as JSON).
    pub async fn fault(&self, fault: serde_json::Value) {
        let answer = reqwest::Client::new()
            .post(format!("{}/__admin/faults", self.demo))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "fault refused: {fault}");
    }

    /// Moves the demo gateway's clock on (3D steps expire, days pass).
    pub async fn advance_gateway_clock(&self, seconds: i64) {
        reqwest::Client::new()
            .post(format!("{}/__admin/clock", self.demo))
            .json(&serde_json::json!({ "advanceSeconds": seconds }))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }

    /// Every transaction the demo gateway holds, oldest first: the truth the screens are
    /// checked against.
    pub async fn gateway_transactions(&self) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/__admin/transactions", self.demo))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The dealer's own VPWS client on the app's demo gateway: another desk, the portal.
    pub fn outside_client(&self) -> vpws::Client {
        let dealer = &vpws_sim::DemoData::standard().dealers[0];
        vpws::Client::new(
            vpws::ClientConfig::new(&self.demo).unwrap(),
            vpws::Credentials::new(dealer.api_key.clone(), dealer.secret_key.clone()),
        )
        .unwrap()
    }

    /// Types `text` into whatever has focus, key by key (one keystroke per character).
    pub async fn type_keys(&mut self, text: &str) {
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await.expect("keys");
        self.keystrokes += text.chars().count() as u32;
    }

    /// Presses one key, or a chord such as Alt+2 (`&[Key::Alt.into(), '2']`): one keystroke.
    pub async fn press(&mut self, chord: &[char]) {
        let mut keys = KeyActions::new("keyboard".into());
        for &c in chord {
            keys = keys.then(KeyAction::Down { value: c });
        }
        for &c in chord.iter().rev() {
            keys = keys.then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await.expect("keys");
        self.keystrokes += 1;
    }

    /// What has focus, named by its `data-testid` (else its tag and text), waiting up to 5 s for
    /// `expected` so a focus that moves after a render is seen.
    pub async fn wait_focus(&self, expected: &str) {
        let started = Instant::now();
        loop {
            let focused = self
                .client
                .execute(
                    "const e = document.activeElement; return e ? (e.dataset.testid || e.tagName.toLowerCase() + ':' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40)) : 'none'",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            if focused == expected {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "focus is on {focused:?}, not {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
        let report: String = self.violations.iter().map(ToString::to_string).collect();
        let _ = std::fs::write(self.root.join("axe.txt"), &report);
        assert!(
            self.violations.is_empty(),
            "{} critical or serious accessibility or layout violations:\n{report}",
            self.violations.len()
        );
        // Dropping `self` stops tauri-driver.
    }
}

/// Runs a journey with a time limit, stopping the app however the journey ends.
pub async fn journey<F, Fut>(test: &str, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = App>,
{
    let app = App::start(test).await;
    match tokio::time::timeout(Duration::from_secs(120), body(app)).await {
        Ok(app) => app.stop().await,
        Err(_) => panic!("{test} took longer than 2 minutes"),
    }
}
