//! Where the team journal lives and how a desk reaches it: host, port, database and user (kept
//! in settings), the password (OS keychain), and TLS through rustls.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod};

pub use crate::model::{SslMode, TeamDatabase};

/// The TLS a connection uses, as the settings ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls {
    Off,
    /// The certificate with this fingerprint only (`None`: none yet; refused, and the one seen
    /// is reported to confirm).
    Pinned(Option<String>),
    /// A desk that chose "encrypted, certificate not checked" before pinning existed: the first
    /// certificate it sees is pinned, and kept in its settings from then on.
    PinOnFirstUse,
    Verified,
}

impl TeamDatabase {
    pub fn tls(&self) -> Tls {
        match self.ssl_mode {
            SslMode::Disable => Tls::Off,
            SslMode::Require => Tls::Pinned(self.certificate.clone()),
            SslMode::VerifyFull => Tls::Verified,
        }
    }

    /// The TLS a desk starts with: as [`TeamDatabase::tls`], except that a pinned choice saved
    /// without a certificate (before pinning existed) pins the first one seen.
    pub fn tls_at_start(&self) -> Tls {
        match (self.ssl_mode, &self.certificate) {
            (SslMode::Require, None) => Tls::PinOnFirstUse,
            _ => self.tls(),
        }
    }

    /// Whether the host is this computer: the only place "no encryption" may go.
    pub fn is_loopback(&self) -> bool {
        let host = self
            .host
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether a password given for `other` may be sent here: the same host, port and user.
    pub fn same_account(&self, other: &TeamDatabase) -> bool {
        self.host.eq_ignore_ascii_case(&other.host)
            && self.port == other.port
            && self.user == other.user
    }

    pub fn pg_config(&self, password: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host(&self.host)
            .port(self.port)
            .dbname(&self.database)
            .user(&self.user)
            .password(password)
            .application_name("Dealer Desk")
            .connect_timeout(Duration::from_secs(5))
            .ssl_mode(match self.ssl_mode {
                SslMode::Disable => tokio_postgres::config::SslMode::Disable,
                SslMode::Require | SslMode::VerifyFull => tokio_postgres::config::SslMode::Require,
            })
            // With TLS, the password's SCRAM exchange is bound to this very channel: a server in
            // the middle cannot pass it on.
            .channel_binding(match self.ssl_mode {
                SslMode::Disable => tokio_postgres::config::ChannelBinding::Disable,
                _ => tokio_postgres::config::ChannelBinding::Require,
            });
        config
    }
}

/// What the last pinned connection saw: the certificate's fingerprint, for the screen to show.
pub type SeenCertificate = Arc<std::sync::Mutex<Option<String>>>;

/// A pool manager for `config`, with TLS as `tls` asks.
pub fn manager(config: tokio_postgres::Config, tls: &Tls, seen: &SeenCertificate) -> Manager {
    let recycling = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    match tls {
        Tls::Off => Manager::from_config(config, tokio_postgres::NoTls, recycling),
        _ => Manager::from_config(
            config,
            tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(tls, seen)),
            recycling,
        ),
    }
}

pub(super) fn tls_config(tls: &Tls, seen: &SeenCertificate) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions");
    match tls {
        Tls::Pinned(_) | Tls::PinOnFirstUse => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedCertificate {
                provider,
                expected: match tls {
                    Tls::Pinned(expected) => expected.clone(),
                    _ => None,
                },
                first_use: *tls == Tls::PinOnFirstUse,
                seen: seen.clone(),
            }))
            .with_no_client_auth(),
        _ => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    }
}

/// A certificate's SHA-256 fingerprint as people compare it: `AB:CD:…` (32 pairs).
pub fn fingerprint(certificate: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(certificate);
    let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
    pairs.join(":")
}

/// `require`: the server's own certificate, the one a supervisor confirmed, and no other.
#[derive(Debug)]
struct PinnedCertificate {
    provider: Arc<rustls::crypto::CryptoProvider>,
    expected: Option<String>,
    /// Nothing expected yet: the first certificate seen becomes the expected one.
    first_use: bool,
    seen: SeenCertificate,
}

impl rustls::client::danger::ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let found = fingerprint(end_entity.as_ref());
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if self.first_use {
            let pinned = seen.get_or_insert_with(|| found.clone());
            return match *pinned == found {
                true => Ok(rustls::client::danger::ServerCertVerified::assertion()),
                false => Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::ApplicationVerificationFailure,
                )),
            };
        }
        *seen = Some(found.clone());
        match &self.expected {
            Some(expected) if expected.eq_ignore_ascii_case(&found) => {
                Ok(rustls::client::danger::ServerCertVerified::assertion())
            }
            _ => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
