//! The `file` matcher: what was read, or part of it, is a fixture file's bytes.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

/// `file: PATH`, or `file: { path, after, end }`: what is read, from just after the first
/// `after` (an HTTP response's `\r\n\r\n`) and without the final `end` (the course's
/// `##`), must be the fixture's bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMatch {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The fixture's bytes, filled in at run time ([`Matcher::with_files`]).
    #[serde(skip)]
    pub expected: Option<Arc<Vec<u8>>>,
}

impl FileMatch {
    /// The part of `observed` compared with the file, if `after` and `end` are there.
    pub(super) fn body<'a>(&self, observed: &'a [u8]) -> Option<&'a [u8]> {
        let mut body = observed;
        if let Some(a) = &self.after {
            let at = find(body, a.as_bytes())?;
            body = &body[at + a.len()..];
        }
        if let Some(e) = &self.end {
            body = body.strip_suffix(e.as_bytes())?;
        }
        Some(body)
    }
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len().max(1)).position(|w| w == needle)
}

/// `file: PATH` or `file: { path, after, end }`.
pub(super) struct FileSpec(pub(super) FileMatch);

impl<'de> Deserialize<'de> for FileSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FileSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a fixture's path, or a map with `path` (and `after`, `end`)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FileSpec, E> {
                Ok(FileSpec(FileMatch {
                    path: v.to_owned(),
                    after: None,
                    end: None,
                    expected: None,
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<FileSpec, A::Error> {
                FileMatch::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(FileSpec)
            }
        }
        d.deserialize_any(V)
    }
}
