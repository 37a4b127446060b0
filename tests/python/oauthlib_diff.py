#!/usr/bin/env python3
"""Signs requests with oauthlib's Client for tests/node/oauthlib.test.mjs.

One JSON object per stdin line:
  {"id", "method", "url", "body" (str or null), "content_type" (str or null),
   "client": {"client_key", "client_secret", "resource_owner_key", "resource_owner_secret",
              "callback_uri", "verifier", "realm", "signature_method", "rsa_key", "nonce",
              "timestamp"}}
One JSON object per stdout line, in order:
  {"id", "base_string", "signature", "params": [[name, value], ...]} (the Authorization header
  as oauthlib wrote it, decoded) or {"id", "error"}.
The first line out is {"ready": true, "oauthlib": version}.

The base string is oauthlib's own: the signature methods are wrapped to record the string they
are given, then sign it as usual.
"""
import functools
import json
import sys

import oauthlib
from oauthlib.oauth1 import Client
from oauthlib.oauth1.rfc5849 import signature, utils

captured = {}


def recording(sign):
    def wrapper(base_string, client):
        captured["base_string"] = base_string
        return sign(base_string, client)

    return wrapper


# oauthlib loads the PEM key on every RSA signature, and cryptography validates an RSA private
# key when it loads it (tens of milliseconds): load each key once. The signing itself is
# oauthlib's, unchanged.
_load_key = functools.lru_cache(maxsize=8)(signature._prepare_key_plus)
signature._prepare_key_plus = _load_key

for name, sign in [
    ("HMAC-SHA1", signature.sign_hmac_sha1_with_client),
    ("HMAC-SHA256", signature.sign_hmac_sha256_with_client),
    ("RSA-SHA1", signature.sign_rsa_sha1_with_client),
    ("RSA-SHA256", signature.sign_rsa_sha256_with_client),
]:
    Client.register_signature_method(name, recording(sign))


def answer(job):
    c = job["client"]
    client = Client(
        c["client_key"],
        client_secret=c.get("client_secret") or "",
        resource_owner_key=c.get("resource_owner_key") or None,
        resource_owner_secret=c.get("resource_owner_secret") or "",
        callback_uri=c.get("callback_uri"),
        signature_method=c["signature_method"],
        rsa_key=c.get("rsa_key"),
        verifier=c.get("verifier"),
        realm=c.get("realm"),
        nonce=c["nonce"],
        timestamp=c["timestamp"],
    )
    headers = {"Content-Type": job["content_type"]} if job.get("content_type") else {}
    captured.clear()
    _, signed_headers, _ = client.sign(
        job["url"], http_method=job["method"], body=job.get("body"), headers=headers
    )
    # oauthlib's header parser leaves the values percent-encoded, as written.
    params = [
        (name, utils.unescape(value))
        for name, value in utils.parse_authorization_header(signed_headers["Authorization"])
    ]
    return {
        "id": job["id"],
        "base_string": captured.get("base_string"),
        "signature": dict(params).get("oauth_signature"),
        "params": params,
    }


def main():
    out = sys.stdout
    out.write(json.dumps({"ready": True, "oauthlib": oauthlib.__version__}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            result = answer(job)
        except Exception as e:  # reported per request: the test decides whether it matters
            result = {"id": job.get("id"), "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(result) + "\n")
        # One answer per request: without the flush the test waits on a buffered pipe.
        out.flush()


if __name__ == "__main__":
    main()
