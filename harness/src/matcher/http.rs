//! The `http` matcher: an HTTP response read as one, its status, headers (by name, in any
//! order, whatever their case) and body each matched on its own.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{file::find, Matcher};

/// `http: { status: 200, headers: { content-type: { regex: "^text/html" } }, body: M }`.
/// Each key is optional; a header the response lacks matches only a `not` matcher.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpMatch {
    /// The status code, as text (`200`, or `{ regex: "^4" }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Box<Matcher>>,
    /// Header name (any case) → what its value, trimmed, must match.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Matcher>,
    /// What follows the head (a `file` matcher for a page served byte-exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<Matcher>>,
}

/// A response split into its parts: `None` if it has no status line and head end.
struct Response<'a> {
    status: String,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

fn parse(observed: &[u8]) -> Option<Response<'_>> {
    let end = find(observed, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&observed[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut status_line = lines.next()?.splitn(3, ' ');
    let version = status_line.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let status = status_line.next()?.to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Response {
        status,
        headers,
        body: &observed[end + 4..],
    })
}

impl HttpMatch {
    pub(super) fn check(&self, observed: &[u8]) -> bool {
        let Some(r) = parse(observed) else {
            return false;
        };
        let status_ok = self
            .status
            .as_ref()
            .is_none_or(|m| m.check(r.status.as_bytes()).ok);
        let headers_ok = self.headers.iter().all(|(name, m)| {
            let values: Vec<&str> = r
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect();
            if values.is_empty() {
                matches!(m, Matcher::Not(_))
            } else {
                m.check(values.join(", ").as_bytes()).ok
            }
        });
        let body_ok = self.body.as_ref().is_none_or(|m| m.check(r.body).ok);
        status_ok && headers_ok && body_ok
    }

    /// The same with `f` applied to each inner matcher.
    pub(super) fn map(&self, f: &dyn Fn(&Matcher) -> Matcher) -> HttpMatch {
        HttpMatch {
            status: self.status.as_ref().map(|m| Box::new(f(m))),
            headers: self
                .headers
                .iter()
                .map(|(n, m)| (n.clone(), f(m)))
                .collect(),
            body: self.body.as_ref().map(|m| Box::new(f(m))),
        }
    }

    pub(super) fn inner(&self) -> impl Iterator<Item = &Matcher> {
        self.status
            .iter()
            .map(|m| &**m)
            .chain(self.headers.values())
            .chain(self.body.iter().map(|m| &**m))
    }

    /// What arrived, said beside what was expected: its status line and head, or why it is
    /// not a response.
    pub(super) fn describe(observed: &[u8]) -> String {
        match parse(observed) {
            None => {
                "not an HTTP response (no status line, or no blank line ending the head)".into()
            }
            Some(r) => {
                let headers: Vec<String> =
                    r.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
                format!(
                    "status {}; headers {}; {} bytes of body",
                    r.status,
                    if headers.is_empty() {
                        "none".into()
                    } else {
                        headers.join(", ")
                    },
                    r.body.len()
                )
            }
        }
    }
}

impl fmt::Display for HttpMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = &self.status {
            parts.push(format!("status {s}"));
        }
        for (n, m) in &self.headers {
            parts.push(format!("{n}: {m}"));
        }
        if let Some(b) = &self.body {
            parts.push(format!("body {b}"));
        }
        write!(f, "an HTTP response with {}", parts.join(", "))
    }
}
