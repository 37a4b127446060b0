//! Forge invocation tokens (FIT): the RS256 JWT Forge sends to a Forge Remote backend as
//! `Authorization: Bearer <FIT>` (Atlassian "Forge remote: verify the invocation token").

use crate::error::{Error, Result};
use crate::primitives::json::{Map, Value};
use crate::primitives::keys::rsa_key_from_jwk;
use crate::primitives::url::truncate;
use crate::protocols::jwt::{self, Algorithm, JwtKey, Validation};

/// The issuer of every FIT.
pub const FIT_ISSUER: &str = "forge/invocation-token";
/// Production JWKS.
pub const FORGE_JWKS_URL: &str = "https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json";
/// Staging JWKS.
pub const FORGE_JWKS_URL_STAGING: &str =
    "https://forge.cdn.stg.atlassian-dev.net/.well-known/jwks.json";

/// The audience for an app: its ARI (a bare app id is turned into one).
pub fn app_audience(app_id: &str) -> String {
    if app_id.starts_with("ari:") {
        app_id.to_owned()
    } else {
        format!("ari:cloud:ecosystem::app/{app_id}")
    }
}

/// Picks the JWK for `kid` from a JWKS (`{"keys": [...]}`).
pub fn select_jwk<'a>(jwks: &'a Value, kid: &str) -> Result<&'a Value> {
    let keys = jwks.get("keys").and_then(Value::as_array).ok_or_else(|| {
        Error::InvalidKey(
            "the JWKS has no \"keys\" array; pass the JSON from the jwks.json URL".into(),
        )
    })?;
    keys.iter()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
        .ok_or_else(|| {
            let kids: Vec<&str> = keys
                .iter()
                .filter_map(|k| k.get("kid").and_then(Value::as_str))
                .collect();
            let held = if kids.is_empty() {
                "it holds no key with a kid".to_owned()
            } else {
                format!("it has {}", kids.join(", "))
            };
            Error::InvalidKey(format!(
                "the JWKS has no key with kid {:?} ({held}); fetch the JWKS again, keys rotate",
                truncate(kid, 80),
            ))
        })
}

/// Verifies a FIT against a JWKS and returns its claims.
pub fn verify_fit(
    token: &str,
    jwks: &Value,
    app_id: &str,
    leeway: i64,
    now: i64,
) -> Result<Map<String, Value>> {
    if app_id.is_empty() {
        return Err(Error::InvalidInput(
            "appId is required (the app id or its ARI from the manifest)".into(),
        ));
    }
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let decoded = jwt::decode(token)?;
    let kid = decoded
        .header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::JwtMalformed("the FIT header has no kid".into()))?;
    let key = rsa_key_from_jwk(select_jwk(jwks, kid)?)?;
    let v = Validation {
        algorithms: vec![Algorithm::RS256],
        issuer: vec![FIT_ISSUER.into()],
        audience: vec![app_audience(app_id)],
        leeway,
        now,
        required_claims: vec!["exp".into()],
        ..Default::default()
    };
    Ok(jwt::verify(token, &JwtKey::Rsa(&key), &v)?.payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::json;

    fn message(jwks: &str, kid: &str) -> String {
        let v = json::from_str(jwks).unwrap();
        select_jwk(&v, kid).unwrap_err().to_string()
    }

    #[test]
    fn a_missing_kid_names_the_kids_held_or_says_there_are_none() {
        assert_eq!(
            message(r#"{"keys":[{"kid":"a"},{"kid":"b"}]}"#, "c"),
            "the JWKS has no key with kid \"c\" (it has a, b); fetch the JWKS again, keys rotate"
        );
        assert_eq!(
            message(r#"{"keys":[]}"#, "c"),
            "the JWKS has no key with kid \"c\" (it holds no key with a kid); fetch the JWKS again, keys rotate"
        );
        assert!(
            message(r#"{"keys":[{"kty":"RSA"}]}"#, "c").contains("(it holds no key with a kid)")
        );
    }
}
