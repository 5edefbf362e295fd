//! axe-core (the npm package in `ui/node_modules`) run inside the real window: WCAG 2.1 A and
//! AA rules on the screen as the operator sees it. WebDriver scripts are not subject to the
//! app's CSP, so the checker is injected once per page and run after every journey step.

use std::path::Path;

use fantoccini::Client;
use serde_json::Value;

/// Impacts that fail a journey.
const FAILING: [&str; 2] = ["critical", "serious"];

fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (npm install in ui/ first)", path.display()))
}

/// One rule broken on one screen state.
#[derive(Debug)]
pub struct Violation {
    pub step: String,
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "[{}] {} ({}): {}",
            self.step, self.rule, self.impact, self.help
        )?;
        for node in &self.nodes {
            writeln!(f, "    {node}")?;
        }
        Ok(())
    }
}

/// The critical and serious violations on the current page (the app's window).
pub async fn check(client: &Client, step: &str) -> Vec<Violation> {
    if !crate::harness::script_is_true(client, "return typeof window.axe === 'object'").await {
        client
            .execute(&format!("{}\nreturn true;", axe_source()), vec![])
            .await
            .expect("inject axe-core");
    }
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then((r) => done(r.violations.map((v) => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
              }))))
              .catch((e) => done([{ rule: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    let Value::Array(list) = found else {
        panic!("axe-core answered {found}");
    };
    list.into_iter()
        .filter(|v| FAILING.contains(&v["impact"].as_str().unwrap_or("")))
        .map(|v| Violation {
            step: step.to_owned(),
            rule: v["rule"].as_str().unwrap_or("").to_owned(),
            impact: v["impact"].as_str().unwrap_or("").to_owned(),
            help: v["help"].as_str().unwrap_or("").to_owned(),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
        })
        .collect()
}
