#!/usr/bin/env python3
"""A local OAuth 1.0a provider built on oauthlib's server endpoint.

oauthlib's ResourceEndpoint checks every request; our code is only its RequestValidator (one
consumer with the test key's public half, one access token, a nonce store). Serves
http://127.0.0.1:<port>/ (port chosen by the OS) and prints {"port": N} on stdout once it
listens; stops on SIGTERM or when stdin closes.

Every request is answered with JSON: 200 {"valid": true, ...} when oauthlib accepts it, 401
{"valid": false, "reason": ..., "log": {...}} when it refuses, "reason" naming the check that
failed (oauthlib's own error description, or the validator log entry that was false).

Usage: provider.py PUBLIC_KEY_PEM_FILE
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import errors

CONSUMER_KEY = "atlassiansigntestconsumer"
ACCESS_TOKEN = "accesstoken0123456789"
DUMMY_CLIENT = "dummyclient000000000000"
DUMMY_TOKEN = "dummyaccesstoken00000"


class Validator(RequestValidator):
    """The consumer and token this provider knows; oauthlib does the checking."""

    def __init__(self, public_key):
        super().__init__()
        self.public_key = public_key
        self.nonces = set()
        self.lock = threading.Lock()

    # Our nonces are 32 hex characters and our keys and tokens fit these bounds.
    enforce_ssl = False
    allowed_signature_methods = ("RSA-SHA1",)
    nonce_length = (16, 64)
    client_key_length = (10, 40)
    access_token_length = (10, 40)
    timestamp_lifetime = 300

    @property
    def dummy_client(self):
        return DUMMY_CLIENT

    @property
    def dummy_access_token(self):
        return DUMMY_TOKEN

    def validate_client_key(self, client_key, request):
        return client_key == CONSUMER_KEY

    def validate_access_token(self, client_key, token, request):
        return client_key == CONSUMER_KEY and token == ACCESS_TOKEN

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token, access_token)
        with self.lock:
            if key in self.nonces:
                return False
            self.nonces.add(key)
            return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def get_rsa_key(self, client_key, request):
        # The dummy client gets the same key: oauthlib still checks the signature, in constant time.
        return self.public_key


def refusal_reason(endpoint, method, uri, body, headers, request):
    """Why oauthlib refused: its own error for malformed requests, else the failed check."""
    try:
        r = endpoint._create_request(uri, method, body, headers)
        endpoint._check_transport_security(r)
        endpoint._check_mandatory_parameters(r)
    except errors.OAuth1Error as e:
        return e.description
    log = getattr(request, "validator_log", None) or {}
    failed = [name for name, ok in log.items() if not ok]
    if failed:
        return "invalid " + ", ".join(sorted(failed))
    return "refused before the signature check (token or nonce)"


def make_handler(endpoint):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else None
            headers = {k: v for k, v in self.headers.items()}
            # The URL as the provider sees it: the Host header and the raw request target.
            uri = "http://" + self.headers.get("Host", "") + self.path
            valid, request = endpoint.validate_protected_resource_request(
                uri, http_method=self.command, body=body, headers=headers)
            out = {"valid": bool(valid), "uri": uri, "method": self.command}
            if not valid:
                out["reason"] = refusal_reason(endpoint, self.command, uri, body, headers, request)
                out["log"] = dict(getattr(request, "validator_log", None) or {})
            data = json.dumps(out).encode("utf-8")
            self.send_response(200 if valid else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    return Handler


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        public_key = f.read()
    endpoint = ResourceEndpoint(Validator(public_key))
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(endpoint))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    # The parent closes stdin (or dies) when it is done.
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
