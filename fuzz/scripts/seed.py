#!/usr/bin/env python3
"""Writes seed inputs for every fuzz target from tests/vectors/ into fuzz/corpus-full/<target>/.

Input layout (see fuzz/src/targets.rs): one flag byte, then text fields separated by 0x1F.
Run from the repository root: python3 fuzz/scripts/seed.py
"""
import base64, hashlib, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
V = os.path.join(ROOT, "tests", "vectors")
OUT = os.path.join(ROOT, "fuzz", "corpus-full")
SEP = "\x1f"


def load(name):
    with open(os.path.join(V, name)) as f:
        return json.load(f)


def write(target, flags, fields):
    data = bytes([flags]) + SEP.join(fields).encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


qsh = load("qsh-peer-outputs.json")["vectors"]
connect = load("connect-jwt-signed-urls.json")
oauth = load("oauth-cases.json")
ta = load("trusted-apps-v3.json")
pem = open(os.path.join(V, "test-key-pkcs8.pem")).read()


def form(body):
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    if isinstance(body, dict):
        return "&".join(f"{k}={v}" for k, v in body.items())
    return "&".join(f"{k}={v}" for k, v in body)


# canonical
for v in qsh:
    for flags in (0, 1, 2):
        write("canonical", flags, [v.get("method", "GET"), v.get("url", ""), v.get("baseUrl") or "", form(v.get("body"))])
tokens = []
for t in connect["tests"]:
    url = t["signedUrl"]
    write("canonical", 0, ["GET", url, "", ""])
    tokens.append(url.split("jwt=")[1].split("&")[0])

# oauth
for c in oauth["cases"]:
    r, cr = c["request"], c["credentials"]
    for i, (name, m) in enumerate(c["by_method"].items()):
        write("oauth", i & 3, [r["method"], r["url"], m["authorization_header"], form(r.get("body")),
                               cr["consumer_key"], cr["consumer_secret"] or "", cr.get("token") or "",
                               cr.get("token_secret") or "", cr.get("nonce") or "", "realm", r["url"]])
for p in oauth["published_vectors"]:
    if "method" in p and "url" in p:
        hdr = "OAuth " + ", ".join(f'{k}="{v}"' for k, v in p.get("oauth_params", []))
        write("oauth", 4, [p["method"], p["url"], hdr, form(p.get("body")), "key", p.get("consumer_secret") or "",
                           "", p.get("token_secret") or "", "", "", ""])
write("oauth", 0, ["POST", "https://x.example.com/plugins/servlet/oauth/request-token", "OAuth realm=\"x\", oauth_problem=\"signature_invalid\"",
                   "oauth_token=abc&oauth_token_secret=def&oauth_callback_confirmed=true", "ck", "cs", "", "", "", "", ""])

# jwt
for i, tok in enumerate(tokens[:40]):
    payload = base64.urlsafe_b64decode(tok.split(".")[1] + "==").decode()
    write("jwt", i & 0x1f, [tok, payload, '{"kid":"k1"}', connect["secret"], "JWT " + tok,
                            connect["tests"][i]["signedUrl"], "jira:1234-5678-9000"])
write("jwt", 0x0c, ["Bearer a.b.c", '{"iss":"x","qsh":"context-qsh","exp":1700000100,"iat":1699999990}', '{"crit":["b64"]}', "s", "", "/p?a=1", "x"])
write("jwt", 0x08, ["", '{"exp":1e12,"nbf":"x","aud":["a",1]}', "{}", "", "Bearer x", "/a?jwt=", "ok/kid-1"])

# trusted apps
der = ta["private_key_pkcs8_der_base64"]
spki = "".join(l for l in oauth["test_key"]["public_spki_pem"].splitlines() if "-----" not in l)
cert = base64.b64encode(f"{ta['timestamp']}\n{ta['username']}\n-1159983122".encode()).decode()
for flags in (0x3f, 0x3d, 0x07, 0xff, 0x2f):
    write("trusted_apps", flags, ["app", "3", cert, "AAAA", "AAAA", ta["expected_v3_signature_base64"], ta["url"], ta["username"],
                                  f"app\n{spki}\n3\n-1159983122"])
write("trusted_apps", 0xff, ["app", "2", cert, "AQAB", "AQAB", "", "https://x/y?z", "admin", "app\nnotbase64"])

# explain
for v in qsh[:20]:
    write("explain", 4, ["", v.get("method", "GET"), v.get("url", ""), v.get("baseUrl") or "", form(v.get("body")),
                         v.get("url", "") + "&extra=1", "", ""])
write("explain", 0, ["Expecting claim 'qsh' to have value '" + "a" * 64 + "' but instead it has the value '" + "b" * 64 + "'",
                     "GET", "https://x.atlassian.net/wiki/rest/api/content?expand=body", "https://x.atlassian.net/wiki", "", "", "", ""])
for c in oauth["cases"][:15]:
    r = c["request"]
    m = next(iter(c["by_method"].values()))
    write("explain", 1 | 4, ["", r["method"], r["url"], "", form(r.get("body")), m["signature_base_string"],
                             m["authorization_header"], r["url"].replace("https://", "http://")])
    write("explain", 1, ["oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600", r["method"], r["url"], "", "",
                         m["signature_base_string"], m["authorization_header"], ""])
write("explain", 2, ["X-Seraph-Trusted-App-Error: BAD_SIGNATURE;\tBad signature for URL: {0};\t[\"http://x:8080/rest\"]", "GET",
                     "https://x/rest", "", "", "", "", ""])
write("explain", 6, ["", "GET", "https://proxy.example.com/jira/rest/api?x=1", "", "", "", "", "http://internal:8080/rest/api?x=1"])
write("explain", 2, ["OLD_CERT;\tCertificate too old;\t", "GET", "", "", "", "", "", ""])

# keys
tk = oauth["test_key"]
for k in tk.values():
    write("keys", 1, [k])
write("keys", 0, [pem])
write("keys", 0, [der])
for p in oauth["published_vectors"]:
    for name in ("private_key_pkcs8_pem", "certificate_pem"):
        if p.get(name):
            write("keys", 0, [p[name]])
write("keys", 2, ['{"keys":[{"kty":"RSA","kid":"k1","n":"sXch","e":"AQAB"}]}'])
write("keys", 0, ['{"kty":"RSA","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}'])
print("seeds written to", OUT)
