//! Cursor pagination, newest first. The cursor is opaque to clients; inside
//! it is the sequence number of the last record returned.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::extract::QueryMap;

/// One page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    /// Only records older than this sequence number.
    pub before: Option<u64>,
}

impl PageRequest {
    /// Reads `limit` (1..=max, default `default`) and `cursor`.
    pub fn from_query(q: &QueryMap, max: i64, default: usize) -> ApiResult<PageRequest> {
        let limit = q.int_in("limit", 1, max)?.map_or(default, |l| l as usize);
        let before = match q.get("cursor").map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => {
                Some(decode_cursor(c).ok_or_else(|| ApiError::bad_request("Invalid cursor"))?)
            }
        };
        Ok(PageRequest { limit, before })
    }
}

fn encode_cursor(seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("seq:{seq}"))
}

fn decode_cursor(cursor: &str) -> Option<u64> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&raw)
        .ok()?
        .strip_prefix("seq:")?
        .parse()
        .ok()
}

/// Takes one page of `(seq, item)` and returns it with `response_metadata`
/// (`next_cursor` only when more records exist).
pub fn paginate<T>(mut items: Vec<(u64, T)>, page: PageRequest) -> (Vec<T>, Value) {
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    let mut rest = items
        .into_iter()
        .filter(|(seq, _)| page.before.is_none_or(|b| *seq < b))
        .peekable();
    let mut out = Vec::new();
    let mut last = None;
    while out.len() < page.limit {
        let Some((seq, item)) = rest.next() else {
            break;
        };
        last = Some(seq);
        out.push(item);
    }
    let metadata = match (rest.peek(), last) {
        (Some(_), Some(seq)) => json!({ "next_cursor": encode_cursor(seq) }),
        _ => json!({}),
    };
    (out, metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_all_items_newest_first_with_cursor_only_when_more() {
        let items: Vec<(u64, u64)> = (1..=5).map(|i| (i, i)).collect();
        let (first, meta) = paginate(
            items.clone(),
            PageRequest {
                limit: 2,
                before: None,
            },
        );
        assert_eq!(first, vec![5, 4]);
        let cursor = decode_cursor(meta["next_cursor"].as_str().unwrap());
        let (second, meta) = paginate(
            items.clone(),
            PageRequest {
                limit: 2,
                before: cursor,
            },
        );
        assert_eq!(second, vec![3, 2]);
        let cursor = decode_cursor(meta["next_cursor"].as_str().unwrap());
        let (third, meta) = paginate(
            items,
            PageRequest {
                limit: 2,
                before: cursor,
            },
        );
        assert_eq!(third, vec![1]);
        assert!(meta.get("next_cursor").is_none());
    }

    #[test]
    fn exact_fit_has_no_next_cursor() {
        let items: Vec<(u64, u64)> = (1..=2).map(|i| (i, i)).collect();
        let (page, meta) = paginate(
            items,
            PageRequest {
                limit: 2,
                before: None,
            },
        );
        assert_eq!(page.len(), 2);
        assert!(meta.get("next_cursor").is_none());
    }
}
