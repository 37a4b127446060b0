//! The Atlassian three-legged flow: the `/plugins/servlet/oauth/*` endpoints of Jira,
//! Confluence and Bitbucket Data Center, and readers for their token and problem responses.

use core::fmt;

use super::header::parse_authorization_header;
use super::{param, ACCESS_TOKEN_PATH, AUTHORIZE_PATH, REQUEST_TOKEN_PATH};
use crate::error::{Error, Result};
use crate::primitives::encoding::{parse_form, percent_encode_into};
use crate::primitives::url::truncate;

fn endpoint(base: &str, path: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    format!("{base}{path}")
}

/// `{base}/plugins/servlet/oauth/request-token` (POST, signed without a token, with
/// `oauth_callback`). `base` is the product's base URL, context path included.
pub fn request_token_url(base: &str) -> String {
    endpoint(base, REQUEST_TOKEN_PATH)
}

/// `{base}/plugins/servlet/oauth/authorize?oauth_token=...`, the page the user approves on.
pub fn authorize_url(base: &str, token: &str) -> String {
    let mut url = endpoint(base, AUTHORIZE_PATH);
    url.push_str("?oauth_token=");
    percent_encode_into(token, &mut url);
    url
}

/// `{base}/plugins/servlet/oauth/access-token` (POST, signed with the request token and
/// `oauth_verifier`).
pub fn access_token_url(base: &str) -> String {
    endpoint(base, ACCESS_TOKEN_PATH)
}

/// A request-token or access-token response.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    /// `oauth_token`.
    pub token: String,
    /// `oauth_token_secret` (unused with RSA-SHA1, needed with HMAC).
    pub token_secret: String,
    /// `oauth_callback_confirmed` (request-token step).
    pub callback_confirmed: Option<bool>,
    /// `oauth_expires_in` in seconds (access-token step).
    pub expires_in: Option<u64>,
    /// `oauth_session_handle` (access-token step).
    pub session_handle: Option<String>,
    /// `oauth_authorization_expires_in` in seconds (access-token step).
    pub authorization_expires_in: Option<u64>,
    /// Every other parameter, in order.
    pub other: Vec<(String, String)>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token", &self.token)
            .field("token_secret", &"<redacted>")
            .field("callback_confirmed", &self.callback_confirmed)
            .field("expires_in", &self.expires_in)
            .field(
                "session_handle",
                &self.session_handle.as_ref().map(|_| "<redacted>"),
            )
            .field("authorization_expires_in", &self.authorization_expires_in)
            .field(
                "other",
                &self.other.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Reads a token response body: form-encoded, also when served as `text/plain`. A body with
/// `oauth_problem` is an `ERR_OAUTH_RESPONSE` naming the problem.
pub fn parse_token_response(body: &str) -> Result<TokenResponse> {
    let body = body.trim();
    if body.starts_with('<') || body.starts_with('{') {
        return Err(Error::OAuthResponse(
            "the response is HTML or JSON, not a form-encoded token response; check the \
             endpoint URL ({base}/plugins/servlet/oauth/request-token or access-token) and that \
             the request was a signed POST"
                .into(),
        ));
    }
    let pairs = parse_form(body);
    if let Some(problem) = param(&pairs, "oauth_problem") {
        let problem = Problem::from_params(problem.to_owned(), pairs.clone());
        return Err(Error::OAuthResponse(format!(
            "the provider refused the request: oauth_problem={}; {}",
            truncate(&problem.problem, 60),
            problem.advice()
        )));
    }
    let Some(token) = param(&pairs, "oauth_token").filter(|t| !t.is_empty()) else {
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        return Err(Error::OAuthResponse(format!(
            "the response has no oauth_token (parameters: {}); it is not a token response",
            truncate(&names.join(", "), 120)
        )));
    };
    let Some(token_secret) = param(&pairs, "oauth_token_secret") else {
        return Err(Error::OAuthResponse(
            "the response has oauth_token but no oauth_token_secret".into(),
        ));
    };
    let number = |name: &str| param(&pairs, name).and_then(|v| v.trim().parse::<u64>().ok());
    let known = [
        "oauth_token",
        "oauth_token_secret",
        "oauth_callback_confirmed",
        "oauth_expires_in",
        "oauth_session_handle",
        "oauth_authorization_expires_in",
    ];
    Ok(TokenResponse {
        token: token.to_owned(),
        token_secret: token_secret.to_owned(),
        callback_confirmed: param(&pairs, "oauth_callback_confirmed")
            .map(|v| v.eq_ignore_ascii_case("true")),
        expires_in: number("oauth_expires_in"),
        session_handle: param(&pairs, "oauth_session_handle").map(str::to_owned),
        authorization_expires_in: number("oauth_authorization_expires_in"),
        other: pairs
            .iter()
            .filter(|(n, _)| !known.contains(&n.as_str()))
            .cloned()
            .collect(),
    })
}

/// A provider's refusal, from its body or its `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `oauth_problem` (`signature_invalid`, `timestamp_refused`, ...).
    pub problem: String,
    /// Every parameter, decoded, in order (`oauth_problem` and `realm` included).
    pub params: Vec<(String, String)>,
    /// The base string the server computed (`oauth_signature_base_string`), decoded once.
    pub base_string: Option<String>,
    /// `oauth_acceptable_timestamps` as (min, max) seconds.
    pub acceptable_timestamps: Option<(u64, u64)>,
}

impl Problem {
    fn from_params(problem: String, params: Vec<(String, String)>) -> Problem {
        let acceptable_timestamps = param(&params, "oauth_acceptable_timestamps").and_then(|v| {
            let (lo, hi) = v.trim().split_once('-')?;
            Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?))
        });
        Problem {
            problem,
            base_string: param(&params, "oauth_signature_base_string").map(str::to_owned),
            acceptable_timestamps,
            params,
        }
    }

    /// What usually causes this problem on Atlassian Data Center and what to change.
    pub fn advice(&self) -> &'static str {
        match self.problem.as_str() {
            "signature_invalid" => {
                "the server computed another base string: compare oauth_signature_base_string \
                 with yours; usually the URL it sees differs (proxy scheme, host or port), a \
                 query or form parameter is encoded or collected differently, or the key differs"
            }
            "timestamp_refused" => {
                "the client's clock differs from the server's by more than 5 minutes; sync it (NTP)"
            }
            "nonce_used" => "send a fresh random oauth_nonce with every request",
            "signature_method_rejected" => {
                "Atlassian Data Center accepts only RSA-SHA1 for Application Links; sign with RSA-SHA1"
            }
            "consumer_key_unknown" | "consumer_key_rejected" => {
                "no Incoming Authentication link has this consumer key; check the consumer key \
                 configured in the Application Link"
            }
            "token_rejected" | "token_expired" | "token_revoked" | "token_used" => {
                "the token is not valid any more; run the authorization dance again"
            }
            "parameter_absent" => "a required oauth_* parameter is missing (see oauth_parameters_absent)",
            "parameter_rejected" => {
                "an oauth_* parameter is repeated or malformed (see oauth_parameters_rejected)"
            }
            "version_rejected" => "send oauth_version=\"1.0\" or leave it out",
            "permission_denied" | "permission_unknown" => {
                "the user did not approve access, or the token lacks the permission"
            }
            "additional_authorization_required" => "the user must authorize the token again",
            _ => "see the OAuth Problem Reporting extension for this problem",
        }
    }
}

/// Reads a provider's refusal: a form-encoded body
/// (`oauth_problem=signature_invalid&oauth_signature_base_string=...`) or a
/// `WWW-Authenticate: OAuth realm="...", oauth_problem="..."` header value.
///
/// net.oauth encodes the echoed base string (itself an encoded string) once more, as every
/// value; decoding the body or header once gives the server's base string exactly, ready to
/// compare with the client's.
pub fn parse_problem(text: &str) -> Result<Problem> {
    let mut s = text.trim();
    if let Some(rest) = s
        .get(..17)
        .filter(|p| p.eq_ignore_ascii_case("www-authenticate:"))
        .and_then(|_| s.get(17..))
    {
        s = rest.trim_start();
    }
    let is_header = s
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("oauth ") || p.eq_ignore_ascii_case("oauth\t"));
    let params = if is_header {
        parse_authorization_header(s).map_err(|e| {
            Error::OAuthResponse(format!("the WWW-Authenticate header cannot be read: {e}"))
        })?
    } else {
        parse_form(s)
    };
    let Some(problem) = param(&params, "oauth_problem").map(str::to_owned) else {
        return Err(Error::OAuthResponse(
            "no oauth_problem in the response; pass the response body or its WWW-Authenticate \
             header (the HTTP status alone does not say why)"
                .into(),
        ));
    };
    Ok(Problem::from_params(problem, params))
}
