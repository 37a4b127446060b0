//! HAR files (devtools "Save all as HAR", or one entry copied "as HAR").

use super::{count, invalid, EntryPick, Exchange, HttpRequest, HttpResponse};
use atlassian_sign::encoding::{b64_decode, percent_encode};
use atlassian_sign::error::Result;
use atlassian_sign::json::Value;

/// The entries of a HAR (`log.entries`), or of one entry copied on its own; `None` for JSON
/// that is no HAR.
pub(super) fn har_entries(v: &Value) -> Result<Option<&[Value]>> {
    let Some(top) = v.as_object() else {
        return Ok(None);
    };
    if let Some(log) = top.get("log") {
        return match log.get("entries") {
            Some(Value::Array(entries)) if entries.is_empty() => Err(invalid(
                "the HAR file has no entries (log.entries is empty): record the refused request \
                 in the Network tab of devtools, then save the HAR again",
            )),
            Some(Value::Array(entries)) => Ok(Some(entries)),
            _ => Err(invalid(
                "the HAR file has no log.entries array: save the HAR again from the Network tab",
            )),
        };
    }
    if top.get("request").is_some_and(Value::is_object)
        && top.get("response").is_some_and(Value::is_object)
    {
        return Ok(Some(core::slice::from_ref(v)));
    }
    Ok(None)
}

pub(super) fn har_exchange(entries: &[Value], pick: Option<&EntryPick>) -> Result<Exchange> {
    let n = entries.len();
    let status = |e: &Value| e["response"]["status"].as_u64();
    let index = match pick {
        None => entries
            .iter()
            .rposition(|e| matches!(status(e), Some(401 | 403)))
            .unwrap_or(n - 1),
        Some(EntryPick::Index(i)) if *i < n => *i,
        Some(EntryPick::Index(i)) => {
            return Err(invalid(format!(
                "the HAR file has {}; there is no entry {i} (entries count from 0)",
                count(n, "entry", "entries")
            )))
        }
        Some(EntryPick::UrlContains(needle)) => entries
            .iter()
            .position(|e| {
                e["request"]["url"]
                    .as_str()
                    .is_some_and(|u| u.contains(needle.as_str()))
            })
            .ok_or_else(|| {
                invalid(format!(
                    "no entry of the HAR file ({}) has a request URL containing {needle:?}",
                    count(n, "entry", "entries")
                ))
            })?,
    };
    har_entry(&entries[index], index)
}

fn har_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| {
                    let name = h["name"].as_str()?;
                    Some((
                        name.to_owned(),
                        h["value"].as_str().unwrap_or_default().to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn har_entry(e: &Value, i: usize) -> Result<Exchange> {
    let missing = |what: &str| invalid(format!("entry {i} of the HAR file has no {what}"));
    let request = match e.get("request") {
        Some(r) if r.is_object() => {
            let method = r["method"]
                .as_str()
                .ok_or_else(|| missing("request.method"))?;
            let url = r["url"].as_str().ok_or_else(|| missing("request.url"))?;
            let post = &r["postData"];
            let body = match post["text"].as_str() {
                Some(t) => Some(t.to_owned()),
                None => post["params"].as_array().map(|ps| {
                    ps.iter()
                        .filter_map(|p| {
                            let name = p["name"].as_str()?;
                            let value = p["value"].as_str().unwrap_or_default();
                            Some(format!(
                                "{}={}",
                                percent_encode(name),
                                percent_encode(value)
                            ))
                        })
                        .collect::<Vec<_>>()
                        .join("&")
                }),
            };
            Some(HttpRequest {
                method: method.to_owned(),
                url: url.to_owned(),
                headers: har_pairs(&r["headers"]),
                body: body.filter(|b| !b.is_empty()),
            })
        }
        Some(_) => return Err(missing("request object")),
        None => None,
    };
    let response = match e.get("response") {
        Some(r) if r.is_object() => {
            let content = &r["content"];
            let body = match content["text"].as_str() {
                Some(t) if content["encoding"].as_str() == Some("base64") => {
                    let bytes = b64_decode(t).ok_or_else(|| {
                        invalid(format!(
                            "entry {i} of the HAR file has a response.content.text marked base64 \
                             that is not base64"
                        ))
                    })?;
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }
                Some(t) => Some(t.to_owned()),
                None => None,
            };
            Some(HttpResponse {
                // Browsers record 0 for a request that got no answer.
                status: r["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..1000).contains(s)),
                headers: har_pairs(&r["headers"]),
                body: body.filter(|b| !b.is_empty()),
            })
        }
        _ => None,
    };
    if request.is_none() && response.is_none() {
        return Err(missing("request and no response"));
    }
    Ok(Exchange { request, response })
}
