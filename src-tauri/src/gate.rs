//! The one gate every IPC command passes: before a command runs, the desk checks that whoever is
//! at it may do what the command needs (the permission table in `command_list.rs`). A refusal
//! answers the window with the error, and nothing of the command runs.

use std::sync::Arc;

use desk_core::desk::{Desk, Need};
use tauri::ipc::Invoke;
use tauri::Manager;

/// `commands` (the generated handler) behind the gate; a command missing from `needs` is not
/// handled at all.
pub fn guard(
    needs: &'static [(&'static str, Need)],
    commands: impl Fn(Invoke) -> bool + Send + Sync + 'static,
) -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    let commands = Arc::new(commands);
    move |invoke: Invoke| {
        let Some(need) = need_of(needs, invoke.message.command()) else {
            return false;
        };
        if need == Need::Open {
            return commands(invoke);
        }
        let desk = invoke
            .message
            .webview()
            .state::<Arc<Desk>>()
            .inner()
            .clone();
        let commands = commands.clone();
        tauri::async_runtime::spawn(async move {
            match desk.gate(need).await {
                Ok(()) => {
                    commands(invoke);
                }
                Err(refused) => invoke.resolver.reject(refused),
            }
        });
        true
    }
}

fn need_of(needs: &[(&str, Need)], command: &str) -> Option<Need> {
    needs
        .iter()
        .find(|(name, _)| *name == command)
        .map(|(_, need)| *need)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{ALL, NEEDS};

    #[test]
    fn every_command_names_what_it_needs() {
        for command in ALL {
            assert!(need_of(NEEDS, command).is_some(), "{command} has no entry");
        }
        assert_eq!(NEEDS.len(), ALL.len());
    }

    #[test]
    fn a_locked_desk_answers_only_its_status_who_is_signed_in_and_sign_in() {
        let open: Vec<&str> = NEEDS
            .iter()
            .filter(|(_, need)| *need == Need::Open)
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(open, ["app_status", "staff_status", "sign_in"]);
    }

    #[test]
    fn money_and_desk_commands_need_their_roles() {
        let expect = [
            ("pay", Need::Pay),
            ("check_payment", Need::Pay),
            ("cancel_transaction", Need::Cancel),
            ("refund_transaction", Need::Refund),
            ("decide_approval", Need::Approve),
            ("resolve_in_doubt", Need::Approve),
            ("export_csv", Need::Export),
            ("switch_profile", Need::ManageDesk),
            ("install_update", Need::ManageDesk),
            ("copy_journal_to_team", Need::ManageDesk),
            ("save_operator", Need::ManageDesk),
            ("set_up_team_journal", Need::SetUpTeam),
        ];
        for (command, need) in expect {
            assert_eq!(need_of(NEEDS, command), Some(need), "{command}");
        }
    }
}
