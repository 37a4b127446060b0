//! Connect JWT refusals beyond the qsh: how the token was carried, whether it verifies with the
//! shared secret the person holds, and its claims (issuer, subject, times) against the product
//! preset and the refusing side's clock. Each is a hypothesis tested on the token itself.

use atlassian_sign::json::Value;
use atlassian_sign::jwt::{self, Algorithm, JwtKey};

/// A cause found: (code, summary, fix).
pub type Cause = (&'static str, String, String);

/// How the request carried its token, as the product reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carriage {
    /// `Authorization: JWT <token>`: what products read.
    Jwt(String),
    /// `Authorization: Bearer <token>`: products treat the call as anonymous.
    Bearer(String),
    /// `Authorization: JWT token=<token>` (requests_jwt's default): not parsed.
    TokenEquals(String),
    /// Only `?jwt=` in the URL.
    Query(String),
    /// Only `jwt=` in a form body (a page's form posting the iframe's token back).
    Form(String),
    /// No token found.
    None,
}

impl Carriage {
    /// The token, wherever it was.
    pub fn token(&self) -> Option<&str> {
        match self {
            Carriage::Jwt(t)
            | Carriage::Bearer(t)
            | Carriage::TokenEquals(t)
            | Carriage::Query(t)
            | Carriage::Form(t) => Some(t),
            Carriage::None => None,
        }
    }
}

fn looks_like_jwt(t: &str) -> bool {
    t.split('.').count() == 3 && t.len() > 20 && !t.contains(' ')
}

/// Finds the token: the Authorization header's scheme decides how a product reads it; then the
/// URL's `jwt` parameter, then a form body's (`form`: the body's decoded pairs, if a form).
pub fn carriage(
    authorization: Option<&str>,
    url: &str,
    form: Option<&[(String, String)]>,
) -> Carriage {
    if let Some(h) = authorization.map(str::trim).filter(|h| !h.is_empty()) {
        let (scheme, rest) = h.split_once(char::is_whitespace).unwrap_or((h, ""));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") && looks_like_jwt(rest) {
            return Carriage::Bearer(rest.to_owned());
        }
        if scheme.eq_ignore_ascii_case("jwt") {
            if let Some(t) = rest.strip_prefix("token=") {
                let t = t.trim_matches('"');
                return Carriage::TokenEquals(t.to_owned());
            }
            if looks_like_jwt(rest) {
                return Carriage::Jwt(rest.to_owned());
            }
        }
    }
    let (token, _) = atlassian_sign::incoming::token_from_text(url);
    if looks_like_jwt(&token) && token != url.trim() {
        return Carriage::Query(token);
    }
    let in_form = form
        .unwrap_or_default()
        .iter()
        .find(|(n, v)| n == "jwt" && looks_like_jwt(v));
    match in_form {
        Some((_, t)) => Carriage::Form(t.clone()),
        None => Carriage::None,
    }
}

/// A REST API (`/rest/`, `/api/`, Bitbucket's `api.bitbucket.org/2.0/`): it reads the
/// Authorization header, not a `jwt` query parameter.
fn is_rest_api(url: &str) -> bool {
    let Ok(u) = atlassian_sign::request::Url::parse(url) else {
        return url.contains("/rest/");
    };
    u.path.contains("/rest/")
        || u.path.contains("/api/")
        || u.host.starts_with("api.")
        || u.path.starts_with("/2.0/")
}

/// Causes in how the token travelled (app -> product).
pub fn carriage_causes(c: &Carriage, url: &str) -> Vec<Cause> {
    match c {
        Carriage::Bearer(_) => vec![(
            "JWT_AUTH_SCHEME_BEARER",
            "the token was sent as \"Authorization: Bearer <token>\"; Atlassian products read \
             only \"Authorization: JWT <token>\" and ran the call as an anonymous user"
                .into(),
            "send the header as Authorization: JWT <token>".into(),
        )],
        Carriage::TokenEquals(_) => vec![(
            "JWT_AUTH_SCHEME_TOKEN_EQ",
            "the token was sent as \"Authorization: JWT token=<token>\" (requests_jwt's default \
             format), which products do not parse"
                .into(),
            "send Authorization: JWT <token> (with requests_jwt, set header_format='JWT %s')"
                .into(),
        )],
        Carriage::Query(_) if is_rest_api(url) => vec![(
            "JWT_QUERY_PARAM_IGNORED",
            "the token was sent as the jwt query parameter on a REST API, which reads the \
             Authorization header; the call ran as an anonymous user"
                .into(),
            "send the token as Authorization: JWT <token> and leave jwt out of the URL".into(),
        )],
        _ => Vec::new(),
    }
}

/// What the person holds that the token can be checked against.
#[derive(Debug, Clone, Default)]
pub struct ConnectFacts {
    /// The installation's shared secret.
    pub shared_secret: Option<String>,
    /// The app key (the descriptor's `key`), what `iss` must be app -> product.
    pub app_key: Option<String>,
    /// The installation's clientKey.
    pub client_key: Option<String>,
    /// Zephyr's accountId (`sub`).
    pub account_id: Option<String>,
    /// The refusing side's clock, seconds.
    pub now: Option<i64>,
    /// The product, from the URL or the base URL: `bitbucket`, `zephyr` or other.
    pub product: &'static str,
    /// The refusing side said the signature is bad ("Signature verification failed").
    pub refused_signature: bool,
}

fn claim_str<'a>(
    payload: &'a atlassian_sign::json::Map<String, Value>,
    k: &str,
) -> Option<&'a str> {
    payload.get(k).and_then(Value::as_str)
}

/// Causes in the token itself (decoded once by the caller; `None`: it does not decode):
/// signature with the shared secret, issuer, subject, times.
pub fn token_causes(decoded: Option<&jwt::Decoded>, f: &ConnectFacts) -> (Vec<Cause>, Vec<String>) {
    let mut causes = Vec::new();
    let mut tried = Vec::new();
    let Some(d) = decoded else {
        causes.push((
            "TOKEN_MALFORMED",
            "the token is not a well-formed JWT (three base64url parts with JSON)".into(),
            "send the token the library made, whole, as Authorization: JWT <token>".into(),
        ));
        return (causes, tried);
    };
    if let Some(secret) = f.shared_secret.as_deref() {
        let alg = d.alg().and_then(|a| Algorithm::from_name(a).ok());
        match alg {
            Some(alg) if alg.is_hmac() && !secret.is_empty() => {
                let check = |s: &str| {
                    jwt::verify_signature(
                        alg,
                        &JwtKey::Secret(s.as_bytes()),
                        d.signing_input.as_bytes(),
                        &d.signature,
                    )
                    .is_ok()
                };
                tried.push("the signature with the shared secret".into());
                if check(secret) && f.refused_signature {
                    causes.push((
                        "JWT_WRONG_SECRET",
                        "the token verifies with the installation's shared secret you gave, yet \
                         the refusing side reports a bad signature: it checked the token with \
                         another secret (a stale one from before a reinstall, another \
                         installation's, or one with whitespace around it)"
                            .into(),
                        "look the secret up by the token's iss (the clientKey) and use the one \
                         from the latest installed callback, exactly as received"
                            .into(),
                    ));
                } else if !check(secret) {
                    let trimmed = secret.trim();
                    let cause = if trimmed != secret && check(trimmed) {
                        "the token verifies with the shared secret without its surrounding \
                         whitespace: the secret the product holds has none"
                    } else {
                        "the token's signature does not verify with the shared secret given: it \
                         was signed with another secret (another installation's, a stale one \
                         from before a reinstall, or whitespace around it)"
                    };
                    causes.push((
                        "JWT_WRONG_SECRET",
                        cause.into(),
                        "sign with the sharedSecret of this installation (the latest installed \
                         callback for this clientKey), exactly as received"
                            .into(),
                    ));
                }
            }
            Some(_) | None => {}
        }
    }
    let iss = claim_str(&d.payload, "iss");
    if let (Some(iss), Some(app_key)) = (iss, f.app_key.as_deref()) {
        tried.push("iss against the app key".into());
        if iss != app_key {
            if f.client_key.as_deref() == Some(iss) {
                causes.push((
                    "JWT_ISS_CLIENTKEY",
                    format!(
                        "iss is the installation's clientKey ({iss}); a product expects the app \
                         key ({app_key}) in tokens an app sends"
                    ),
                    "set iss to the app key from the descriptor (the clientKey goes in sub for \
                     Bitbucket, nowhere for Jira and Confluence)"
                        .into(),
                ));
            } else {
                causes.push((
                    "JWT_ISS_WRONG",
                    format!("iss is {iss:?} but the app key is {app_key:?}"),
                    "set iss to the app key from the descriptor".into(),
                ));
            }
        }
    }
    let sub = claim_str(&d.payload, "sub");
    let want_sub = match f.product {
        "bitbucket" => f.client_key.as_deref(),
        "zephyr" => f.account_id.as_deref(),
        _ => None,
    };
    if let Some(want) = want_sub {
        tried.push("sub against the product preset".into());
        if sub != Some(want) {
            causes.push((
                "JWT_SUB_WRONG",
                format!(
                    "sub is {} but {} requires {want:?}",
                    sub.map_or("missing".into(), |s| format!("{s:?}")),
                    if f.product == "zephyr" {
                        "Zephyr (the accountId)"
                    } else {
                        "Bitbucket (the clientKey)"
                    }
                ),
                "set sub as the product expects".into(),
            ));
        }
    }
    let num = |k: &str| d.payload.get(k).and_then(Value::as_f64);
    // A claim as the token writes it (`1700000000`, not the f64's `1700000000.0`).
    let text = |k: &str| {
        d.payload
            .get(k)
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let (iat, exp) = (num("iat"), num("exp"));
    if iat.is_some_and(|v| v > 1e11) || exp.is_some_and(|v| v > 1e11) {
        causes.push((
            "JWT_IAT_MILLISECONDS",
            "iat or exp is in milliseconds; JWT times are seconds since the epoch".into(),
            "divide Date.now() (or System.currentTimeMillis()) by 1000 and round down".into(),
        ));
    } else if let Some(now) = f.now {
        tried.push(format!(
            "exp and iat against the refusing side's clock ({now})"
        ));
        let clock = now as f64;
        match (iat, exp) {
            (_, Some(exp)) if exp <= clock => {
                let skewed = iat.is_some_and(|iat| iat > clock);
                if skewed {
                    causes.push((
                        "JWT_CLOCK_SKEW",
                        format!(
                            "the token was made at {} and expired at {}, both ahead of the \
                             refusing side's clock ({now}): the two clocks differ by more than the \
                             token's lifetime",
                            text("iat"),
                            text("exp")
                        ),
                        "synchronise the clocks (NTP) of the app's host and check its time zone \
                         handling"
                            .into(),
                    ));
                } else {
                    causes.push((
                        "JWT_EXPIRED",
                        format!(
                            "the token expired at {}, {} s before the refusing side's clock \
                             ({now})",
                            text("exp"),
                            (clock - exp) as i64
                        ),
                        "make a new token per request (products allow about 3 minutes) and check \
                         the clock"
                            .into(),
                    ));
                }
            }
            (Some(iat), _) if iat > clock + 60.0 => causes.push((
                "JWT_CLOCK_SKEW",
                format!(
                    "the token was made at {}, {} s ahead of the refusing side's clock ({now})",
                    text("iat"),
                    (iat - clock) as i64
                ),
                "synchronise the clocks (NTP) of the app's host".into(),
            )),
            _ => {}
        }
    }
    (causes, tried)
}

/// Reads the refusal messages of an app's verifier (atlassian-connect-express logs
/// `Auth failure: Query hash mismatch: Received: "<token's qsh>" but calculated "<app's qsh>".
/// Canonical query was: "<canonical>` with no closing quote): (token's qsh, app's qsh, the
/// canonical request the app hashed).
pub fn parse_app_qsh_message(text: &str) -> Option<(String, String, Option<String>)> {
    let is_hash = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    // Older app frameworks: "QSH from JWT and calculated: <token's> <app's>".
    if let Some(at) = text.find("QSH from JWT and calculated:") {
        let mut words = text[at..]
            .split(|c: char| !c.is_ascii_hexdigit())
            .filter(|w| is_hash(w));
        let (Some(a), Some(b)) = (words.next(), words.next()) else {
            return None;
        };
        return Some((a.to_ascii_lowercase(), b.to_ascii_lowercase(), None));
    }
    let at = text.find("Received:")?;
    let rest = &text[at..];
    let quoted: Vec<&str> = rest.split('"').collect();
    // Received: "<a>" but calculated "<b>". Canonical query was: "<c>
    let received = quoted.get(1)?.trim();
    let calculated = quoted.get(3)?.trim();
    if !is_hash(received) || !is_hash(calculated) {
        return None;
    }
    let canonical = rest.find("Canonical query was:").map(|i| {
        let c = rest[i + "Canonical query was:".len()..].trim_start();
        let c = c.strip_prefix('"').unwrap_or(c);
        let end = c.find(['"', '\n', '\r']).unwrap_or(c.len());
        c[..end].to_owned()
    });
    Some((
        received.to_ascii_lowercase(),
        calculated.to_ascii_lowercase(),
        canonical.filter(|c| !c.is_empty()),
    ))
}
