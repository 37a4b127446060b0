//! Connect product presets: which claims and headers Jira, Confluence, Bitbucket Cloud and
//! Zephyr Squad Cloud expect on an app's REST call (Atlassian "Understanding JWT for Connect
//! apps"; Zephyr "ZAPI cloud" documentation; Bitbucket Cloud "Connect JWT").

use crate::error::{Error, Result};
use crate::primitives::json::{Map, Value};
use crate::primitives::url::Url;
use crate::protocols::jwt::{encode, Algorithm, JwtKey};
use crate::protocols::qsh::{canonical_request, hash_canonical, QshOptions};

/// Zephyr Squad Cloud's API base URL; its `/connect` path is stripped before hashing.
pub const ZEPHYR_BASE_URL: &str = "https://prod-api.zephyr4jiracloud.com/connect";

/// The default token lifetime in seconds (what atlassian-connect-express uses).
pub const DEFAULT_EXPIRES_IN: i64 = 180;

/// The product a token is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Jira Cloud (and Jira Service Management, Jira Software).
    Jira,
    /// Confluence Cloud (context path `/wiki`).
    Confluence,
    /// Bitbucket Cloud.
    Bitbucket,
    /// Zephyr Squad Cloud (ZAPI).
    Zephyr,
}

impl Product {
    /// Parses `jira`, `confluence`, `bitbucket` or `zephyr` (any case).
    pub fn from_name(name: &str) -> Result<Product> {
        match name.to_ascii_lowercase().as_str() {
            "jira" => Ok(Product::Jira),
            "confluence" => Ok(Product::Confluence),
            "bitbucket" => Ok(Product::Bitbucket),
            "zephyr" => Ok(Product::Zephyr),
            _ => Err(Error::InvalidInput(format!(
                "product {:?} is not known; use jira, confluence, bitbucket or zephyr",
                crate::primitives::url::truncate(name, 40)
            ))),
        }
    }
}

/// What a Connect token is made from.
#[derive(Debug, Clone)]
pub struct ConnectTokenInput {
    /// The target product.
    pub product: Product,
    /// The HTTP method of the call.
    pub method: String,
    /// The URL of the call: absolute, or a path (then `base_url` gives the host).
    pub url: String,
    /// The product's base URL (`https://your.atlassian.net`, `.../wiki` for Confluence).
    pub base_url: Option<String>,
    /// The app key (`key` in the app descriptor); the issuer for Jira, Confluence, Bitbucket.
    pub app_key: Option<String>,
    /// The Zephyr access key; the issuer for Zephyr.
    pub access_key: Option<String>,
    /// The shared secret (Jira, Confluence, Bitbucket) or Zephyr secret key.
    pub secret: String,
    /// The installation's clientKey: `sub` for Bitbucket, `aud` for Jira and Confluence.
    pub client_key: Option<String>,
    /// The Atlassian accountId: `sub` for Zephyr (required) and optionally Jira/Confluence.
    pub account_id: Option<String>,
    /// Token lifetime in seconds (default 180).
    pub expires_in: i64,
    /// The current time in seconds.
    pub now: i64,
    /// Form body parameters of a POST/PUT without query.
    pub body: Option<Vec<(String, String)>>,
}

/// A signed Connect token with everything needed to send it.
#[derive(Debug, Clone)]
pub struct ConnectToken {
    /// The compact JWT.
    pub token: String,
    /// The `Authorization` header value: `JWT <token>`.
    pub authorization: String,
    /// Every header to send (Authorization, and zapiAccessKey for Zephyr).
    pub headers: Vec<(String, String)>,
    /// The query string hash.
    pub qsh: String,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The claims signed.
    pub claims: Map<String, Value>,
    /// The absolute URL to call (when it could be formed).
    pub url: String,
}

fn required<'a>(v: &'a Option<String>, what: &str, product: &str) -> Result<&'a str> {
    match v.as_deref() {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Error::InvalidInput(format!(
            "{what} is required for {product} tokens"
        ))),
    }
}

/// Joins a base URL and a path-only URL into the absolute URL to call.
fn absolute_url(url: &Url, raw: &str, base: Option<&str>) -> Result<String> {
    if url.is_absolute() {
        return Ok(raw.trim().to_owned());
    }
    let Some(base) = base else {
        return Ok(raw.trim().to_owned());
    };
    let b = Url::parse(base)?;
    let mut origin = format!("{}://{}", b.scheme, b.host);
    if let Some(p) = b.port {
        origin.push_str(&format!(":{p}"));
    }
    let base_path = b.base_path();
    let rel = raw.trim();
    // A path already under the base path (`/wiki/rest/...`) is kept; otherwise it is relative.
    if !base_path.is_empty()
        && crate::protocols::qsh::strip_base_path(&url.path, base_path) != url.path
    {
        Ok(format!("{origin}{rel}"))
    } else {
        Ok(format!("{origin}{base_path}{rel}"))
    }
}

/// Makes a Connect JWT for an app's call to a product.
pub fn connect_token(input: &ConnectTokenInput) -> Result<ConnectToken> {
    if input.secret.is_empty() {
        return Err(Error::InvalidKey(
            "the shared secret is empty; use the sharedSecret from the installed callback (or the Zephyr secret key)"
                .into(),
        ));
    }
    if input.expires_in <= 0 || input.expires_in > 24 * 3600 {
        return Err(Error::InvalidInput(format!(
            "expiresIn {} is out of range; give seconds between 1 and 86400 (the default is {DEFAULT_EXPIRES_IN})",
            input.expires_in
        )));
    }
    let parsed = Url::parse(&input.url)?;
    let base_url: Option<String> = match (&input.base_url, input.product) {
        (Some(b), _) if !b.trim().is_empty() => Some(b.trim().to_owned()),
        (_, Product::Zephyr) => Some(ZEPHYR_BASE_URL.into()),
        // Confluence Cloud lives under /wiki: without a base URL, strip it when present.
        (_, Product::Confluence)
            if parsed.is_absolute()
                && crate::protocols::qsh::strip_base_path(&parsed.path, "/wiki") != parsed.path =>
        {
            Some(format!("{}://{}/wiki", parsed.scheme, parsed.host))
        }
        _ => None,
    };
    let options = QshOptions {
        base_url: base_url.clone(),
        body: input.body.clone(),
        ..Default::default()
    };
    let canonical = canonical_request(&input.method, &input.url, &options)?;
    let qsh = hash_canonical(&canonical);

    let mut claims = Map::new();
    let mut headers = Vec::new();
    match input.product {
        Product::Jira | Product::Confluence => {
            let name = if input.product == Product::Jira {
                "Jira"
            } else {
                "Confluence"
            };
            let iss = required(
                &input.app_key,
                "appKey (the key from your app descriptor)",
                name,
            )?;
            claims.insert("iss".into(), iss.into());
            if let Some(sub) = input.account_id.as_deref().filter(|s| !s.is_empty()) {
                claims.insert("sub".into(), sub.into());
            }
            if let Some(aud) = input.client_key.as_deref().filter(|s| !s.is_empty()) {
                claims.insert("aud".into(), Value::Array(vec![aud.into()]));
            }
        }
        Product::Bitbucket => {
            let iss = required(
                &input.app_key,
                "appKey (the key from your app descriptor)",
                "Bitbucket",
            )?;
            let sub = required(
                &input.client_key,
                "clientKey (from the installed callback)",
                "Bitbucket",
            )?;
            claims.insert("iss".into(), iss.into());
            claims.insert("sub".into(), sub.into());
        }
        Product::Zephyr => {
            let iss = required(
                &input.access_key,
                "accessKey (Zephyr API keys page)",
                "Zephyr",
            )?;
            let sub = required(
                &input.account_id,
                "accountId (the Atlassian account the keys belong to)",
                "Zephyr",
            )?;
            claims.insert("iss".into(), iss.into());
            claims.insert("sub".into(), sub.into());
            headers.push(("zapiAccessKey".to_owned(), iss.to_owned()));
        }
    }
    claims.insert("qsh".into(), qsh.clone().into());
    claims.insert("iat".into(), input.now.into());
    claims.insert("exp".into(), (input.now + input.expires_in).into());
    let token = encode(
        Algorithm::HS256,
        &JwtKey::Secret(input.secret.as_bytes()),
        &Map::new(),
        &claims,
    )?;
    let authorization = format!("JWT {token}");
    headers.insert(0, ("Authorization".to_owned(), authorization.clone()));
    Ok(ConnectToken {
        url: absolute_url(&parsed, &input.url, base_url.as_deref())?,
        token,
        authorization,
        headers,
        qsh,
        canonical_request: canonical,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(product: Product) -> ConnectTokenInput {
        ConnectTokenInput {
            product,
            method: "GET".into(),
            url: "/rest/api/2/project".into(),
            base_url: Some("https://example.atlassian.net".into()),
            app_key: Some("my-app".into()),
            access_key: Some("access".into()),
            secret: "secret".into(),
            client_key: Some("client".into()),
            account_id: Some("5b10a2844c20165700ede21g".into()),
            expires_in: 180,
            now: 1_700_000_000,
            body: None,
        }
    }

    #[test]
    fn product_claims() {
        let t = connect_token(&input(Product::Jira)).unwrap();
        assert_eq!(t.claims["iss"], "my-app");
        assert_eq!(t.claims["exp"], 1_700_000_180);
        assert_eq!(t.canonical_request, "GET&/rest/api/2/project&");
        assert_eq!(t.url, "https://example.atlassian.net/rest/api/2/project");
        let t = connect_token(&input(Product::Bitbucket)).unwrap();
        assert_eq!(t.claims["sub"], "client");
        let mut z = input(Product::Zephyr);
        z.base_url = None;
        z.url =
            "https://prod-api.zephyr4jiracloud.com/connect/public/rest/api/1.0/cycle?projectId=1"
                .into();
        let t = connect_token(&z).unwrap();
        assert_eq!(t.claims["iss"], "access");
        assert_eq!(
            t.canonical_request,
            "GET&/public/rest/api/1.0/cycle&projectId=1"
        );
        assert_eq!(
            t.headers[1],
            ("zapiAccessKey".to_owned(), "access".to_owned())
        );
        let mut c = input(Product::Confluence);
        c.base_url = None;
        c.url = "https://example.atlassian.net/wiki/rest/api/content".into();
        assert_eq!(
            connect_token(&c).unwrap().canonical_request,
            "GET&/rest/api/content&"
        );
        c.base_url = Some("https://example.atlassian.net/wiki/".into());
        c.url = "/rest/api/space".into();
        let t = connect_token(&c).unwrap();
        assert_eq!(t.url, "https://example.atlassian.net/wiki/rest/api/space");
        assert_eq!(t.canonical_request, "GET&/rest/api/space&");
    }

    #[test]
    fn missing_fields_are_named() {
        let mut b = input(Product::Bitbucket);
        b.client_key = None;
        let e = connect_token(&b).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_INPUT");
        assert!(e.to_string().contains("clientKey"));
    }
}
