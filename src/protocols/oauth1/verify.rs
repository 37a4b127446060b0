//! Verification (the provider side), as net.oauth's `SimpleOAuthValidator` checks a request
//! and names its problems.

use core::fmt;

use super::header::{authorization_header, parse_authorization_header};
use super::sign::Request;
use super::signature::{key_mismatch, verify_signature, SignatureKey, SignatureMethod};
use super::{base_string, param, DEFAULT_WINDOW_SECONDS, OAUTH_VERSION};
use crate::error::{Error, Result};
use crate::primitives::encoding::{parse_form, percent_encode};
use crate::primitives::keys::RsaKey;

/// A replay check: given `(nonce, timestamp, consumer_key)`, returns true when this nonce was
/// already used. The callback is asked only after the signature matched, so forged requests
/// cannot use up nonces; it should record the nonce it is asked about.
pub type NonceSeen<'a> = &'a dyn Fn(&str, &str, &str) -> bool;

/// What [`verify`] checks a request against.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The consumer's RSA key (public or private), for RSA-SHA1 and RSA-SHA256.
    pub public_key: Option<&'a RsaKey>,
    /// The consumer secret, for HMAC-SHA1, HMAC-SHA256 and PLAINTEXT.
    pub consumer_secret: Option<&'a str>,
    /// The token secret matching the request's `oauth_token` (empty without a token).
    pub token_secret: &'a str,
    /// The current time in seconds since the Unix epoch.
    pub now: u64,
    /// How far `oauth_timestamp` may be from `now`, either way (300 by default).
    pub window_seconds: u64,
    /// The replay check; none means nonces are not checked.
    pub nonce_seen: Option<NonceSeen<'a>>,
    /// The methods accepted, pinned by the caller. By default RSA-SHA1 and RSA-SHA256 when a
    /// public key is given and HMAC-SHA1 and HMAC-SHA256 when a consumer secret is given;
    /// PLAINTEXT only when listed here.
    pub accepted_methods: Option<&'a [SignatureMethod]>,
}

impl fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("public_key", &self.public_key.map(|k| k.bits()))
            .field(
                "consumer_secret",
                &self.consumer_secret.map(|_| "<redacted>"),
            )
            .field("now", &self.now)
            .field("window_seconds", &self.window_seconds)
            .field("nonce_seen", &self.nonce_seen.is_some())
            .field("accepted_methods", &self.accepted_methods)
            .finish()
    }
}

impl<'a> VerifyOptions<'a> {
    /// Options with the defaults (300-second window, no replay check, no key yet).
    pub fn new(now: u64) -> VerifyOptions<'a> {
        VerifyOptions {
            public_key: None,
            consumer_secret: None,
            token_secret: "",
            now,
            window_seconds: DEFAULT_WINDOW_SECONDS,
            nonce_seen: None,
            accepted_methods: None,
        }
    }

    fn accepts(&self, method: SignatureMethod) -> bool {
        match self.accepted_methods {
            Some(list) => list.contains(&method),
            None => match method {
                SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256 => self.public_key.is_some(),
                SignatureMethod::HmacSha1 | SignatureMethod::HmacSha256 => {
                    self.consumer_secret.is_some()
                }
                SignatureMethod::Plaintext => false,
            },
        }
    }

    fn acceptable(&self) -> Vec<SignatureMethod> {
        SignatureMethod::ALL
            .into_iter()
            .filter(|m| self.accepts(*m))
            .collect()
    }
}

/// The result of [`verify`], named as net.oauth names its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyOutcome {
    /// `ok`: the signature matches, the timestamp is in the window and the nonce is new.
    Ok {
        /// `oauth_consumer_key`: check that it is the consumer whose key verified it.
        consumer_key: String,
        /// `oauth_token`, if any.
        token: Option<String>,
        /// The method that was used.
        signature_method: SignatureMethod,
        /// The base string that was verified.
        base_string: String,
        /// Every protocol parameter received (`realm` left out).
        params: Vec<(String, String)>,
        /// What the caller should know: an RSA key under 2048 bits.
        warnings: Vec<String>,
    },
    /// `signature_invalid`: the signature does not match the base string this side computed.
    SignatureInvalid {
        /// The base string the verifier computed; compare it with the client's.
        base_string: String,
        /// The method that was used.
        signature_method: SignatureMethod,
        /// The signature received.
        signature: String,
    },
    /// `timestamp_refused`: `oauth_timestamp` is outside the window.
    TimestampRefused {
        /// The timestamp received.
        timestamp: u64,
        /// The acceptable range, inclusive.
        acceptable: (u64, u64),
    },
    /// `nonce_used`: the nonce was seen before with this timestamp and consumer.
    NonceUsed {
        /// The nonce received.
        nonce: String,
    },
    /// `parameter_absent`: required protocol parameters are missing.
    ParameterAbsent {
        /// The missing parameters.
        names: Vec<String>,
    },
    /// `signature_method_rejected`: the method is unknown or not accepted.
    SignatureMethodRejected {
        /// The method received.
        method: String,
        /// The methods accepted.
        acceptable: Vec<SignatureMethod>,
    },
    /// `version_rejected`: `oauth_version` is present and not `1.0`.
    VersionRejected {
        /// The version received.
        version: String,
    },
    /// `parameter_rejected`: a protocol parameter is repeated or malformed.
    ParameterRejected {
        /// The parameter.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl VerifyOutcome {
    /// The net.oauth problem name (`ok` when verification passed).
    pub fn problem(&self) -> &'static str {
        match self {
            VerifyOutcome::Ok { .. } => "ok",
            VerifyOutcome::SignatureInvalid { .. } => "signature_invalid",
            VerifyOutcome::TimestampRefused { .. } => "timestamp_refused",
            VerifyOutcome::NonceUsed { .. } => "nonce_used",
            VerifyOutcome::ParameterAbsent { .. } => "parameter_absent",
            VerifyOutcome::SignatureMethodRejected { .. } => "signature_method_rejected",
            VerifyOutcome::VersionRejected { .. } => "version_rejected",
            VerifyOutcome::ParameterRejected { .. } => "parameter_rejected",
        }
    }

    /// True for [`VerifyOutcome::Ok`].
    pub fn is_ok(&self) -> bool {
        matches!(self, VerifyOutcome::Ok { .. })
    }

    /// The HTTP status net.oauth answers with: 200, 400 or 401.
    pub fn http_status(&self) -> u16 {
        match self {
            VerifyOutcome::Ok { .. } => 200,
            VerifyOutcome::SignatureInvalid { .. } | VerifyOutcome::NonceUsed { .. } => 401,
            _ => 400,
        }
    }

    /// The problem report parameters (`oauth_problem` first), empty for `ok`.
    pub fn problem_params(&self) -> Vec<(String, String)> {
        let mut p = vec![("oauth_problem".to_owned(), self.problem().to_owned())];
        match self {
            VerifyOutcome::Ok { .. } => return Vec::new(),
            VerifyOutcome::SignatureInvalid {
                base_string,
                signature_method,
                signature,
            } => {
                p.push(("oauth_signature".into(), signature.clone()));
                p.push(("oauth_signature_base_string".into(), base_string.clone()));
                p.push((
                    "oauth_signature_method".into(),
                    signature_method.name().into(),
                ));
            }
            VerifyOutcome::TimestampRefused { acceptable, .. } => p.push((
                "oauth_acceptable_timestamps".into(),
                format!("{}-{}", acceptable.0, acceptable.1),
            )),
            VerifyOutcome::NonceUsed { .. } => {}
            VerifyOutcome::ParameterAbsent { names } => {
                let joined: Vec<String> = names.iter().map(|n| percent_encode(n)).collect();
                p.push(("oauth_parameters_absent".into(), joined.join("&")));
            }
            VerifyOutcome::SignatureMethodRejected { acceptable, .. } => {
                let names: Vec<&str> = acceptable.iter().map(|m| m.name()).collect();
                p.push(("oauth_acceptable_signature_methods".into(), names.join("&")));
            }
            VerifyOutcome::VersionRejected { .. } => p.push((
                "oauth_acceptable_versions".into(),
                format!("{OAUTH_VERSION}-{OAUTH_VERSION}"),
            )),
            VerifyOutcome::ParameterRejected { name, .. } => {
                p.push(("oauth_parameters_rejected".into(), percent_encode(name)))
            }
        }
        p
    }

    /// The form-encoded problem body net.oauth sends (`None` for `ok`).
    pub fn problem_body(&self) -> Option<String> {
        if self.is_ok() {
            return None;
        }
        let parts: Vec<String> = self
            .problem_params()
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect();
        Some(parts.join("&"))
    }

    /// The `WWW-Authenticate` header value net.oauth sends (`None` for `ok`).
    pub fn www_authenticate(&self, realm: Option<&str>) -> Option<String> {
        if self.is_ok() {
            return None;
        }
        Some(authorization_header(realm, &self.problem_params()))
    }
}

/// Verifies a signed request as net.oauth's `SimpleOAuthValidator` does, in this order:
/// single protocol parameters, required parameters, version, signature method (pinned by the
/// caller), timestamp window, signature, nonce.
///
/// Protocol parameters are read from `authorization` (the header value, if any), the URL's
/// query and the form body. The base string is computed from `request.signed_url` when set
/// (the URL as the provider sees it), else `request.url`.
///
/// Errors are for the caller's own input (no key given, an unparsable URL); problems with the
/// request are [`VerifyOutcome`]s.
pub fn verify(
    request: &Request,
    authorization: Option<&str>,
    options: &VerifyOptions<'_>,
) -> Result<VerifyOutcome> {
    if options.public_key.is_none() && options.consumer_secret.is_none() {
        return Err(Error::InvalidInput(
            "verification needs the consumer's public key (RSA) or consumer secret (HMAC); \
             pass publicKey or consumerSecret"
                .into(),
        ));
    }
    let url = request.url_for_signing()?;
    if !url.is_absolute() {
        return Err(Error::InvalidUrl(
            "verification needs the full URL the provider received (https://host/path?query)"
                .into(),
        ));
    }
    let header: Vec<(String, String)> = match authorization.map(str::trim) {
        None | Some("") => Vec::new(),
        Some(h) => match parse_authorization_header(h) {
            Ok(pairs) => pairs.into_iter().filter(|(n, _)| n != "realm").collect(),
            Err(e) => {
                return Ok(VerifyOutcome::ParameterRejected {
                    name: "Authorization".into(),
                    reason: e.to_string(),
                })
            }
        },
    };
    let query = url.query.as_deref().map(parse_form).unwrap_or_default();

    // Every protocol parameter, from every source; each may appear once.
    let mut protocol: Vec<(String, String)> = Vec::new();
    for (n, v) in header
        .iter()
        .chain(query.iter())
        .chain(request.form_params.iter())
    {
        if !n.starts_with("oauth_") {
            continue;
        }
        if protocol.iter().any(|(m, _)| m == n) {
            return Ok(VerifyOutcome::ParameterRejected {
                name: n.clone(),
                reason: format!("{n} appears more than once"),
            });
        }
        protocol.push((n.clone(), v.clone()));
    }

    let required = [
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    ];
    let absent: Vec<String> = required
        .iter()
        .filter(|r| param(&protocol, r).is_none())
        .map(|r| (*r).to_owned())
        .collect();
    if !absent.is_empty() {
        return Ok(VerifyOutcome::ParameterAbsent { names: absent });
    }
    let get = |name: &str| param(&protocol, name).unwrap_or_default().to_owned();

    if let Some(version) = param(&protocol, "oauth_version") {
        if version != OAUTH_VERSION {
            return Ok(VerifyOutcome::VersionRejected {
                version: version.to_owned(),
            });
        }
    }

    let method_name = get("oauth_signature_method");
    let method = match SignatureMethod::exact(&method_name) {
        Some(m) if options.accepts(m) => m,
        _ => {
            return Ok(VerifyOutcome::SignatureMethodRejected {
                method: method_name,
                acceptable: options.acceptable(),
            })
        }
    };

    let timestamp_text = get("oauth_timestamp");
    let Ok(timestamp) = timestamp_text.parse::<u64>() else {
        return Ok(VerifyOutcome::ParameterRejected {
            name: "oauth_timestamp".into(),
            reason: "oauth_timestamp is not a number of seconds".into(),
        });
    };
    let acceptable = (
        options.now.saturating_sub(options.window_seconds),
        options.now.saturating_add(options.window_seconds),
    );
    if timestamp < acceptable.0 || timestamp > acceptable.1 {
        return Ok(VerifyOutcome::TimestampRefused {
            timestamp,
            acceptable,
        });
    }

    let base = base_string(&request.method, &url, &request.form_params, &header)?;
    let signature = get("oauth_signature");
    let key = if method.is_rsa() {
        match options.public_key {
            Some(k) => SignatureKey::Rsa(k),
            None => return Err(key_mismatch(method)),
        }
    } else {
        match options.consumer_secret {
            Some(cs) => SignatureKey::Secrets {
                consumer_secret: cs,
                token_secret: options.token_secret,
            },
            None => return Err(key_mismatch(method)),
        }
    };
    if !verify_signature(method, &base, &key, &signature)? {
        return Ok(VerifyOutcome::SignatureInvalid {
            base_string: base,
            signature_method: method,
            signature,
        });
    }

    let nonce = get("oauth_nonce");
    let consumer_key = get("oauth_consumer_key");
    if let Some(seen) = options.nonce_seen {
        if seen(&nonce, &timestamp_text, &consumer_key) {
            return Ok(VerifyOutcome::NonceUsed { nonce });
        }
    }
    let warnings = match key {
        SignatureKey::Rsa(k) => crate::primitives::keys::short_key_warning(k)
            .into_iter()
            .collect(),
        SignatureKey::Secrets { .. } => Vec::new(),
    };
    Ok(VerifyOutcome::Ok {
        token: param(&protocol, "oauth_token").map(str::to_owned),
        consumer_key,
        signature_method: method,
        base_string: base,
        params: protocol,
        warnings,
    })
}
