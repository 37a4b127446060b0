//! Explanations of refused requests: which part of the request differs from what the server
//! signed, and what to change. Covers the Connect qsh (`Expecting claim 'qsh' to have value
//! ...`), OAuth 1.0a `signature_invalid` (the echoed `oauth_signature_base_string`) and
//! trusted applications `BAD_SIGNATURE` (the URL the server rebuilt).
//!
//! The causes are the failure lists of the specs (docs/spec/QSH.md, docs/spec/OAUTH1.md,
//! docs/spec/OTHER-SCHEMES.md).
//!
//! One file per scheme: `qsh.rs`, `connect.rs`, `oauth1.rs` (and `oauth1_held.rs`, with the
//! consumer's key), `trusted_apps.rs`; `exchange_input.rs` takes the whole exchange, whose
//! request and response types are in `exchange/` (pastes are read into that shape by the
//! JavaScript facade's `parseExchange`); this file holds what they share (the [`Explanation`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod connect;
pub mod exchange;
pub mod exchange_input;
mod oauth1;
mod oauth1_held;
mod qsh;
mod trusted_apps;
mod trusted_apps_held;

pub use exchange_input::{explain_exchange, ExchangeInput, Held, ReceivedResponse, SentRequest};
pub use oauth1::{decoded_params, explain_oauth, explain_oauth_base_strings, OAuthRefusal};
pub use oauth1_held::explain_oauth_held;
pub use qsh::{explain_qsh, parse_qsh_message, QshProblem};
pub use trusted_apps::{explain_trusted_apps, parse_trusted_apps_error, TrustedAppsError};

/// One part of a request as each side saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDiff {
    /// `method`, `scheme`, `host`, `port`, `path`, `query`, or `param <name>`.
    pub part: String,
    /// What the client signed.
    pub client: String,
    /// What the server computed.
    pub server: String,
}

impl PartDiff {
    fn new(
        part: impl Into<String>,
        client: impl Into<String>,
        server: impl Into<String>,
    ) -> PartDiff {
        PartDiff {
            part: part.into(),
            client: client.into(),
            server: server.into(),
        }
    }
}

/// The result of an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// `qsh`, `oauth` or `trusted-apps`.
    pub scheme: &'static str,
    /// A stable cause code (`BASE_PATH_NOT_STRIPPED`, `PROXY_SCHEME`, ...); `UNKNOWN` when no
    /// rule matched.
    pub cause: &'static str,
    /// Every cause found when more than one mistake was made at once (the first is `cause`).
    pub causes: Vec<&'static str>,
    /// One sentence: what happened.
    pub summary: String,
    /// One sentence: what to change.
    pub fix: String,
    /// What the client signed (canonical request, base string or URL), when known.
    pub client: Option<String>,
    /// What the server computed, when known.
    pub server: Option<String>,
    /// The parts that differ.
    pub diff: Vec<PartDiff>,
    /// The variants that were tried (qsh), for when nothing matched.
    pub tried: Vec<String>,
    /// The cause was confirmed by a computation that matched what a side produced: a signature
    /// that verifies with the credentials given over the variant named, or a qsh variant whose
    /// hash is the one in the token or the server's message. False for causes read from a
    /// message or inferred.
    pub verified: bool,
}

/// Which scheme a server's refusal message belongs to: `oauth` (an `oauth_problem`),
/// `trusted-apps` (an `X-Seraph` header or a Seraph code such as `BAD_SIGNATURE;`), else `qsh`.
pub fn detect_scheme(message: &str) -> &'static str {
    let m = message.trim_start();
    let lower = m.to_ascii_lowercase();
    if lower.contains("oauth_problem") {
        "oauth"
    } else if lower.contains("x-seraph")
        || m.split(';').next().is_some_and(|c| {
            !c.is_empty() && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        }) && m.contains(';')
    {
        "trusted-apps"
    } else {
        "qsh"
    }
}

/// An explanation from the causes found, in order: (code, summary, fix).
fn from_causes(
    scheme: &'static str,
    causes: &[(&'static str, String, String)],
    client: Option<String>,
    server: Option<String>,
    diff: Vec<PartDiff>,
) -> Explanation {
    let join = |pick: fn(&(&'static str, String, String)) -> String| {
        let parts: Vec<String> = causes.iter().map(pick).filter(|s| !s.is_empty()).collect();
        parts.join("; and ")
    };
    let codes: Vec<&'static str> = causes.iter().map(|c| c.0).collect();
    Explanation {
        scheme,
        cause: codes.first().copied().unwrap_or("UNKNOWN"),
        causes: codes,
        summary: join(|c| c.1.clone()),
        fix: join(|c| c.2.clone()),
        client,
        server,
        diff,
        tried: Vec::new(),
        verified: false,
    }
}

/// Text as a server that decodes UTF-8 bytes as ISO-8859-1 reads it (`é` -> `Ã©`): the OAuth
/// diff and the qsh variants both test for it.
fn latin1_misread(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}
