//! The paste parser behind `explain`: `curl -v` output, curl commands, raw HTTP and HAR files
//! read into the exchange `explain` takes. The hand-checked pastes of the explain corpus must
//! give the corpus entries' requests and responses; every bad paste gives a typed error or a
//! partial exchange, never a panic.

use atlassian_sign::explain::exchange::{parse_exchange, EntryPick};
use atlassian_sign::json::{self, Value};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/explain-corpus");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{CORPUS}/{path}")).expect(path)
}

fn object_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .expect("headers object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The corpus pastes

#[test]
fn corpus_pastes_give_the_corpus_entries() {
    let index = json::from_str(&read("pastes/index.json")).unwrap();
    let corpus = json::from_str(&read("corpus.json")).unwrap();
    let entries = corpus["entries"].as_array().unwrap();
    let pastes = index["entries"].as_array().unwrap();
    assert_eq!(pastes.len(), 6);
    for paste in pastes {
        let file = paste["file"].as_str().unwrap();
        let id = paste["entry"].as_str().unwrap();
        let text = read(file);
        let entry = entries
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("{id} in corpus.json"));
        let want_req = &entry["input"]["request"];
        let want_res = &entry["input"]["response"];

        let picks: Vec<Option<EntryPick>> = match paste["harEntry"].as_u64() {
            // The default (the last 401/403) and the index index.json gives agree.
            Some(i) => vec![None, Some(EntryPick::Index(i as usize))],
            None => vec![None],
        };
        for pick in picks {
            let ex = parse_exchange(&text, pick.as_ref()).unwrap_or_else(|e| panic!("{file}: {e}"));
            let req = ex
                .request
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: request"));
            assert_eq!(req.method, want_req["method"].as_str().unwrap(), "{file}");
            assert_eq!(req.url, want_req["url"].as_str().unwrap(), "{file}");
            assert_eq!(req.headers, object_pairs(&want_req["headers"]), "{file}");
            // curl -v does not print the body it sends; the other forms carry it.
            if paste["form"].as_str() != Some("curl -v") || want_req["body"].is_null() {
                assert_eq!(
                    req.body.as_deref(),
                    want_req["body"].as_str(),
                    "{file}: request body"
                );
            }
            let res = ex
                .response
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: response"));
            assert_eq!(
                res.status.map(u64::from),
                want_res["status"].as_u64(),
                "{file}"
            );
            assert_eq!(res.header("Date"), want_res["headers"]["Date"].as_str());
            if paste.get("responseBody").is_some() {
                // A browser records the app's HTTP answer, not the log line the corpus entry
                // carries: compare with the HAR's own text.
                let har = json::from_str(&text).unwrap();
                let i = paste["harEntry"].as_u64().unwrap() as usize;
                let entry = &har["log"]["entries"].as_array().unwrap()[i];
                let content = &entry["response"]["content"]["text"];
                assert_eq!(res.body.as_deref(), content.as_str(), "{file}");
            } else {
                assert_eq!(res.headers, object_pairs(&want_res["headers"]), "{file}");
                assert_eq!(res.body.as_deref(), want_res["body"].as_str(), "{file}");
            }
        }
    }
}

#[test]
fn corpus_har_entries_can_be_picked_by_url() {
    let text = read("pastes/cdac-14200-a.har");
    let favicon = parse_exchange(&text, Some(&EntryPick::UrlContains("favicon".into()))).unwrap();
    let req = favicon.request.unwrap();
    assert_eq!(req.url, "https://app.example.com/favicon.ico");
    assert_eq!(favicon.response.unwrap().status, Some(200));
    // An empty content text is no body.
    let first = parse_exchange(&text, Some(&EntryPick::Index(0))).unwrap();
    assert_eq!(first.response.unwrap().body, None);
    let conf = parse_exchange(
        &text,
        Some(&EntryPick::UrlContains("/configuration".into())),
    )
    .unwrap()
    .request
    .unwrap();
    assert_eq!(conf.method, "POST");
    assert!(conf
        .body
        .unwrap()
        .starts_with("projectKey=DEMO&notify=true&jwt=eyJ"));
}
