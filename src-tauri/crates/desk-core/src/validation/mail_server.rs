//! The mail server's settings as a supervisor typed them.

use super::free_text;
use crate::error::{AppError, AppResult, Field, Reason};
use crate::mail_server::MailServer;

/// The mail server as a supervisor typed it, trimmed; the first problem, as a field error.
pub fn mail_server(mut server: MailServer) -> AppResult<MailServer> {
    server.host = server.host.trim().to_owned();
    server.username = server.username.trim().to_owned();
    server.from_address = server.from_address.trim().to_owned();
    server.from_name = server.from_name.trim().to_owned();
    let host_ok = !server.host.is_empty()
        && server.host.len() <= 253
        && server
            .host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(AppError::field(Field::MailHost, Reason::Invalid));
    }
    if server.port == 0 {
        return Err(AppError::field(Field::MailPort, Reason::Invalid));
    }
    if server.username.is_empty() {
        return Err(AppError::field(Field::MailUsername, Reason::Required));
    }
    if vpws::validate::email(&server.from_address).is_err() {
        return Err(AppError::field(Field::MailFrom, Reason::Invalid));
    }
    free_text(Field::MailFromName, &server.from_name, 80)?;
    if !(1..=30).contains(&server.days_to_card) {
        return Err(AppError::field(Field::DaysToCard, Reason::Invalid));
    }
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed_server() -> MailServer {
        MailServer {
            host: " smtp.bayi.com.tr ".into(),
            port: 587,
            security: crate::mail_server::MailSecurity::StartTls,
            username: " kasa ".into(),
            from_address: "kasa@bayi.com.tr".into(),
            from_name: "Örnek Bayi".into(),
            days_to_card: 7,
        }
    }

    #[test]
    fn a_mail_server_is_kept_trimmed_and_refused_by_its_first_wrong_field() {
        let kept = mail_server(typed_server()).unwrap();
        assert_eq!(
            (kept.host.as_str(), kept.username.as_str()),
            ("smtp.bayi.com.tr", "kasa")
        );
        let refused = |change: fn(&mut MailServer)| {
            let mut server = typed_server();
            change(&mut server);
            mail_server(server).unwrap_err().details
        };
        let field = |name: &str, reason: &str| {
            [
                ("field".to_owned(), name.to_owned()),
                ("reason".to_owned(), reason.to_owned()),
            ]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
        };
        assert_eq!(
            refused(|s| s.host = "smtp bayi".into()),
            field("mailHost", "invalid")
        );
        assert_eq!(refused(|s| s.port = 0), field("mailPort", "invalid"));
        assert_eq!(
            refused(|s| s.username = "  ".into()),
            field("mailUsername", "required")
        );
        assert_eq!(
            refused(|s| s.from_address = "kasa".into()),
            field("mailFrom", "invalid")
        );
        assert_eq!(
            refused(|s| s.days_to_card = 0),
            field("daysToCard", "invalid")
        );
        assert_eq!(
            refused(|s| s.from_name = "4155650100416111".into()),
            field("mailFromName", "looks_like_card")
        );
    }
}
