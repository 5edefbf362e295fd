//! The TypeScript command table: for every command in `command_list.rs`, its arguments (camelCase,
//! as Tauri expects them from the UI) and its result, and for every event in `events.rs` its
//! payload, typed with the ts-rs twins of the Rust types. A test writes it to `ui/src/lib/generated/commands.ts`; the test command fails when
//! the committed file differs.

use std::collections::BTreeSet;
use std::fmt::Write;

use ts_rs::{Config, Dependency, TypeVisitor, TS};

/// A Rust type as the UI sees it: its TypeScript name and the generated files it needs.
pub struct TsType {
    name: String,
    imports: Vec<String>,
}

pub fn ts<T: TS + 'static + ?Sized>() -> TsType {
    let mut generated = Generated(Config::new(), Vec::new());
    generated.visit::<T>();
    TsType {
        name: T::name(&generated.0),
        imports: generated.1,
    }
}

/// The generated files a type needs: itself when ts-rs exports it, else what it holds
/// (`Vec<T>`, `Option<T>`).
struct Generated(Config, Vec<String>);

impl TypeVisitor for Generated {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        match Dependency::from_ty::<T>(&self.0) {
            Some(exported) => self.1.push(exported.ts_name),
            None => T::visit_generics(self),
        }
    }
}

#[derive(Default)]
pub struct Table {
    rows: Vec<String>,
    names: Vec<&'static str>,
    /// One typed function per command, for `api.ts`.
    functions: Vec<String>,
    events: Vec<String>,
    imports: BTreeSet<String>,
}

impl Table {
    pub fn command(
        &mut self,
        name: &'static str,
        docs: &[&str],
        args: Vec<(&str, TsType)>,
        result: TsType,
    ) {
        let args_ts = if args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|(arg, ty)| format!("{}: {}", camel_case(arg), ty.name))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        for ty in args.iter().map(|(_, ty)| ty).chain([&result]) {
            self.imports.extend(ty.imports.iter().cloned());
        }
        self.rows.push(format!(
            "  {name}: {{ args: {args_ts}; result: {} }};",
            result.name
        ));
        self.names.push(name);
        self.functions.push(function(name, docs, args.first()));
    }

    pub fn event(&mut self, name: &'static str, payload: TsType) {
        self.imports.extend(payload.imports);
        self.events.push(format!("  '{name}': {};", payload.name));
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "// Generated from src-tauri/src/command_list.rs and events.rs by `cargo test -p dealer-desk`. Do not edit.\n",
        );
        for import in &self.imports {
            let _ = writeln!(out, "import type {{ {import} }} from './{import}';");
        }
        out.push_str("\n/** Every IPC command: what the UI sends and what it gets back. */\n");
        out.push_str("export type Commands = {\n");
        for row in &self.rows {
            out.push_str(row);
            out.push('\n');
        }
        out.push_str("};\n\nexport const commandNames = [\n");
        for name in &self.names {
            let _ = writeln!(out, "  '{name}',");
        }
        out.push_str("] as const;\n");
        out.push_str(CALL);
        out.push_str("export const commandsThrough = (call: Call) => ({\n");
        for function in &self.functions {
            out.push_str(function);
        }
        out.push_str("});\n");
        out.push_str("\n/** What Rust pushes to the main window: each event's payload. */\n");
        out.push_str("export type Events = {\n");
        for row in &self.events {
            out.push_str(row);
            out.push('\n');
        }
        out.push_str("};\n");
        out
    }
}

/// The whole generated file: every command and every event.
#[cfg(test)]
fn typescript() -> String {
    let mut table = Table::default();
    crate::commands::describe(&mut table);
    crate::events::describe(&mut table);
    table.render()
}

/// How `api.ts` calls a command (through the backend, noting the connection and the sign-in).
const CALL: &str = "
/** How a command is called: with its one argument's object, or nothing. */
export type Call = <K extends keyof Commands>(
  name: K,
  ...rest: Commands[K]['args'] extends Record<string, never> ? [] : [Commands[K]['args']]
) => Promise<Commands[K]['result']>;

/** One typed function per command, named as the command in camelCase, taking its argument. */
";

/// `quote: (input: QuoteInput) => call('quote', { input }),` with the declaration's doc.
fn function(name: &str, docs: &[&str], arg: Option<&(&str, TsType)>) -> String {
    let mut out = String::new();
    let doc: Vec<&str> = docs.iter().map(|d| d.trim()).collect();
    if !doc.is_empty() {
        let _ = writeln!(out, "  /** {} */", doc.join(" "));
    }
    let call = match arg {
        None => format!("() => call('{name}')"),
        Some((arg, ty)) => {
            let arg = camel_case(arg);
            format!("({arg}: {}) => call('{name}', {{ {arg} }})", ty.name)
        }
    };
    let _ = writeln!(out, "  {}: {call},", camel_case(name));
    out
}

/// `order_reference` → `orderReference`, as Tauri maps command arguments.
fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_named_as_the_ui_sends_them() {
        assert_eq!(camel_case("order_reference"), "orderReference");
        assert_eq!(camel_case("input"), "input");
    }

    /// Writes the table next to the ts-rs files; `.ci/test` fails if it changed.
    #[test]
    fn the_typescript_command_table_is_written() {
        let dir = std::env::var("TS_RS_EXPORT_DIR").expect("set in .cargo/config.toml");
        let path = std::path::Path::new(&dir).join("commands.ts");
        let table = typescript();
        assert!(table.contains("  pay: { args: { input: PaymentInput }; result: PaymentOutcome };"));
        assert!(table.contains("  'payment-progress': CurrentPayment;"));
        assert!(table.contains("check_payment: { args: { orderReference: string }"));
        std::fs::write(path, table).unwrap();
    }
}
