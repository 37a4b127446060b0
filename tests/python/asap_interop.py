#!/usr/bin/env python3
"""ASAP interop peer for tests/node/asap-interop.test.mjs.

Wraps PyPI atlassian-jwt-auth (JWTAuthSigner, JWTAuthVerifier) behind a line-based JSON
protocol: one request per line on stdin, one answer per line on stdout, in order.

  {"id": 1, "op": "sign", "issuer": ..., "audience": ..., "algorithm": "RS256",
   "kid": ..., "private_key_pem": ...  |  "data_uri": ...,
   "subject"?: ..., "lifetime"?: seconds, "additional_claims"?: {...}}
      -> {"id": 1, "ok": true, "token": "..."}
  {"id": 2, "op": "verify", "token": ..., "audience": ..., "public_keys": {kid: pem},
   "leeway"?: 0, "subject_should_match_issuer"?: true, "check_jti_uniqueness"?: false}
      -> {"id": 2, "ok": true, "claims": {...}, "kids": [kids the verifier asked for]}
  {"id": 3, "op": "ec_key", "curve": "P-256"}
      -> {"id": 3, "ok": true, "private_key_pem": ..., "public_key_pem": ...}

Failures answer {"id": n, "ok": false, "error": "<exception class>", "message": "..."}.
"""
import datetime
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from atlassian_jwt_auth import key as ajkey
from atlassian_jwt_auth.signer import JWTAuthSigner
from atlassian_jwt_auth.verifier import JWTAuthVerifier


class DictPublicKeyRetriever(ajkey.BasePublicKeyRetriever):
    """Serves public keys from a dict (the role of the HTTPS key repository)."""

    def __init__(self):
        self.keys = {}
        self.requested = []

    def retrieve(self, key_identifier, **requests_kwargs):
        kid = key_identifier.key_id if isinstance(key_identifier, ajkey.KeyIdentifier) else key_identifier
        self.requested.append(kid)
        if kid not in self.keys:
            raise ajkey.PublicKeyRetrieverException("no public key for kid %r" % kid)
        return self.keys[kid]


RETRIEVER = DictPublicKeyRetriever()
# Verifiers are kept between requests so that jti uniqueness checks see earlier tokens.
VERIFIERS = {}


def verifier(subject_should_match_issuer, check_jti_uniqueness):
    k = (bool(subject_should_match_issuer), bool(check_jti_uniqueness))
    if k not in VERIFIERS:
        VERIFIERS[k] = JWTAuthVerifier(
            RETRIEVER, subject_should_match_issuer=k[0], check_jti_uniqueness=k[1]
        )
    return VERIFIERS[k]


def op_sign(req):
    if "data_uri" in req:
        private = ajkey.DataUriPrivateKeyRetriever(req["data_uri"])
    else:
        private = ajkey.StaticPrivateKeyRetriever(req["kid"], req["private_key_pem"])
    kwargs = {"algorithm": req.get("algorithm", "RS256")}
    if "lifetime" in req:
        kwargs["lifetime"] = datetime.timedelta(seconds=req["lifetime"])
    if "subject" in req:
        kwargs["subject"] = req["subject"]
    signer = JWTAuthSigner(req["issuer"], private, **kwargs)
    token = signer.generate_jwt(req["audience"], additional_claims=req.get("additional_claims", {}))
    return {"token": token.decode("ascii") if isinstance(token, bytes) else token}


def op_verify(req):
    RETRIEVER.keys.update(req.get("public_keys", {}))
    RETRIEVER.requested = []
    v = verifier(req.get("subject_should_match_issuer", True), req.get("check_jti_uniqueness", False))
    claims = v.verify_jwt(req["token"], req["audience"], leeway=req.get("leeway", 0))
    return {"claims": claims, "kids": RETRIEVER.requested}


def op_ec_key(req):
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[req.get("curve", "P-256")]
    private = ec.generate_private_key(curve)
    return {
        "private_key_pem": private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii"),
        "public_key_pem": private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii"),
    }


OPS = {"sign": op_sign, "verify": op_verify, "ec_key": op_ec_key}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            answer = {"id": req.get("id"), "ok": True}
            answer.update(OPS[req["op"]](req))
        except Exception as e:  # every failure goes back to the test as data
            answer = {"id": req.get("id"), "ok": False, "error": type(e).__name__, "message": str(e)}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
