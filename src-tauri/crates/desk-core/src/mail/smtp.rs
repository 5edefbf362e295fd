//! Sending one letter through the dealer's mail server (lettre: STARTTLS or TLS through
//! rustls, the OS's roots; login with the account and its password). Only the outbox's
//! postman calls it, never the money path.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{AppError, AppResult, ErrorCode};
use crate::mail_server::{MailSecurity, MailServer};

/// How long one exchange with the server may take before the try counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A letter addressed: what [`Smtp::send`] puts in one message.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub plain: &'a str,
    pub html: &'a str,
    /// `tr` or `en`: the message's Content-Language.
    pub lang: &'a str,
}

/// Why a try failed, and whether another try may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub error: AppError,
    /// The server refused it for good (a 5xx reply to the message): trying again will not help.
    pub permanent: bool,
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// A sender through `server`; `extra_root`: a certificate (PEM) to trust beside the OS's
    /// roots (a dealer's own mail server; the tests' server).
    pub fn new(
        server: &MailServer,
        password: SecretString,
        extra_root: Option<&[u8]>,
    ) -> AppResult<Self> {
        let mut tls = TlsParameters::builder(server.host.clone());
        if let Some(pem) = extra_root {
            let root = Certificate::from_pem(pem).map_err(not_set_up)?;
            tls = tls.add_root_certificate(root);
        }
        let tls = tls.build_rustls().map_err(not_set_up)?;
        let tls = match server.security {
            MailSecurity::StartTls => Tls::Required(tls),
            MailSecurity::Tls => Tls::Wrapper(tls),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .tls(tls)
            .credentials(Credentials::new(
                server.username.clone(),
                password.expose_secret().to_owned(),
            ))
            .timeout(Some(TIMEOUT))
            .build();
        let from = Mailbox::new(
            Some(server.from_name.clone()).filter(|n| !n.is_empty()),
            server.from_address.parse().map_err(not_set_up)?,
        );
        Ok(Self { transport, from })
    }

    pub async fn send(&self, letter: &Outgoing<'_>) -> Result<(), SendFailure> {
        let message = self.message(letter).map_err(|error| SendFailure {
            error,
            permanent: true,
        })?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(failure)
    }

    fn message(&self, letter: &Outgoing<'_>) -> AppResult<Message> {
        let to: Mailbox = letter
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| {
                AppError::new(ErrorCode::MailRefused, e.to_string())
            })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(letter.subject)
            .message_id(None)
            .header(ContentLanguage(letter.lang.to_owned()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(letter.plain.to_owned()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(letter.html.to_owned()),
                    ),
            )
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    }
}

/// `Content-Language`: which language the letter is in (RFC 3282).
#[derive(Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

fn not_set_up(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::MailNotSetUp, e.to_string())
}

/// What the server said, as an error the history shows: a reply (refused) or no reply at all
/// (unreachable, broke off, timed out).
fn failure(e: lettre::transport::smtp::Error) -> SendFailure {
    let reply = e.status().map(|code| code.to_string());
    let code = match reply {
        Some(_) => ErrorCode::MailRefused,
        None => ErrorCode::MailUnreachable,
    };
    let mut error = AppError::new(code, e.to_string());
    if let Some(reply) = &reply {
        error = error.with("reply", reply.clone());
    }
    // A refused login is the setup's fault, not the letter's: once a supervisor fixes the
    // password, the letter goes on its next try.
    let login_refused = reply
        .as_deref()
        .is_some_and(|r| matches!(r, "530" | "534" | "535" | "538"));
    SendFailure {
        error,
        permanent: e.is_permanent() && !login_refused,
    }
}
