//! OAuth 1.0a request signing and verification (RFC 5849), as Atlassian Data Center checks it.
