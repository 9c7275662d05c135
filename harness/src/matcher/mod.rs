//! The one matcher language: everything that compares what was observed with what was
//! expected goes through [`Matcher`].
//!
//! Written as a plain string (exact text) or a map with one key:
//! `exact`, `trimmed`, `contains`, `regex` (named captures kept), `hex` (exact bytes),
//! `any_of` (a list of matchers), `lines` (a set of lines in any order, each a matcher),
//! `size` (a number of bytes), `file` (the bytes of a fixture file).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use regex::bytes::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::load::model::scalar_text;

mod file;
mod http;

pub use file::FileMatch;
use file::FileSpec;
pub use http::HttpMatch;

/// A way to compare observed bytes with what was expected.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matcher {
    /// Exactly this text.
    Exact(String),
    /// This text once leading and trailing white space is removed on both sides.
    Trimmed(String),
    /// Contains this text.
    Contains(String),
    /// Matches this regular expression; named groups `(?P<name>...)` become captures.
    Regex(#[serde(with = "regex_text")] Regex),
    /// Exactly these bytes, written as hex (`"4f4b0a"`).
    Hex(String),
    /// Any one of these matchers.
    AnyOf(Vec<Matcher>),
    /// The lines of the text, in any order, are matched one to one by these matchers.
    Lines(Vec<Matcher>),
    /// Exactly this many bytes, whatever they are (a large echo that must come back whole).
    Size(u64),
    /// The bytes of a fixture file (a download), judged by length and sha256.
    File(FileMatch),
    /// Anything this matcher does not match (`not: { contains: "TOP SECRET" }`).
    Not(Box<Matcher>),
    /// An HTTP response: its status, headers and body each matched.
    Http(HttpMatch),
}

impl JsonSchema for Matcher {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Matcher".into()
    }

    /// A plain scalar (exact text), or a map with exactly one of the matcher keys.
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let nested = generator.subschema_for::<Vec<Matcher>>();
        let one = generator.subschema_for::<Box<Matcher>>();
        schemars::json_schema!({
            "description": "what observed bytes must match: a text (exact), or a map with one of `exact`, `trimmed`, `contains`, `regex`, `hex`, `any_of`, `lines`",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "minProperties": 1,
                    "maxProperties": 1,
                    "properties": {
                        "exact": { "type": ["string", "number", "boolean"] },
                        "trimmed": { "type": ["string", "number", "boolean"] },
                        "contains": { "type": ["string", "number", "boolean"] },
                        "regex": { "type": "string" },
                        "hex": { "type": "string" },
                        "any_of": nested,
                        "lines": nested,
                        "size": { "type": "integer", "minimum": 0 },
                        "not": one,
                        "http": {
                            "type": "object",
                            "additionalProperties": false,
                            "properties": {
                                "status": one,
                                "headers": { "type": "object", "additionalProperties": one },
                                "body": one
                            }
                        },
                        "file": {
                            "anyOf": [
                                { "type": "string" },
                                {
                                    "type": "object",
                                    "additionalProperties": false,
                                    "required": ["path"],
                                    "properties": {
                                        "path": { "type": "string" },
                                        "after": { "type": "string" },
                                        "end": { "type": "string" }
                                    }
                                }
                            ]
                        }
                    }
                }
            ]
        })
    }
}

/// The result of matching: whether it matched, and the captures of regexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    pub ok: bool,
    pub captures: BTreeMap<String, String>,
}

impl Matcher {
    /// Compares `observed` with this matcher.
    pub fn check(&self, observed: &[u8]) -> Match {
        let text = String::from_utf8_lossy(observed);
        let ok = |ok| Match {
            ok,
            captures: BTreeMap::new(),
        };
        match self {
            Matcher::Exact(s) => ok(observed == s.as_bytes()),
            Matcher::Trimmed(s) => ok(text.trim() == s.trim()),
            Matcher::Contains(s) => ok(text.contains(s.as_str())),
            Matcher::Hex(h) => ok(decode_hex(h).is_some_and(|b| b == observed)),
            Matcher::Regex(re) => match re.captures(observed) {
                None => ok(false),
                Some(caps) => Match {
                    ok: true,
                    captures: re
                        .capture_names()
                        .flatten()
                        .filter_map(|n| {
                            let m = caps.name(n)?;
                            Some((n.to_owned(), String::from_utf8_lossy(m.as_bytes()).into()))
                        })
                        .collect(),
                },
            },
            Matcher::AnyOf(ms) => ms
                .iter()
                .map(|m| m.check(observed))
                .find(|m| m.ok)
                .unwrap_or_default(),
            Matcher::Lines(ms) => match_lines_any_order(ms, &text),
            Matcher::Size(n) => ok(observed.len() as u64 == *n),
            Matcher::Not(m) => ok(!m.check(observed).ok),
            Matcher::Http(h) => ok(h.check(observed)),
            Matcher::File(f) => ok(f
                .expected
                .as_ref()
                .is_some_and(|e| f.body(observed) == Some(e.as_slice()))),
        }
    }

    /// Whether `observed` matches and is complete: no further bytes but white space could
    /// still match (an exact text or hex, a size reached, a trimmed text, a regex anchored at
    /// both ends, or any one of these). A read may then end without a long quiet period.
    pub fn complete(&self, observed: &[u8]) -> bool {
        let whole = match self {
            Matcher::Exact(_) | Matcher::Hex(_) | Matcher::Size(_) | Matcher::Trimmed(_) => true,
            Matcher::Regex(re) => anchored(re.as_str()),
            Matcher::AnyOf(ms) => return ms.iter().any(|m| m.complete(observed)),
            _ => false,
        };
        whole && self.check(observed).ok
    }

    /// Fills `{name}` placeholders in literal matchers.
    pub fn fill(&self, fill: &dyn Fn(&str) -> String) -> Matcher {
        match self {
            Matcher::Exact(s) => Matcher::Exact(fill(s)),
            Matcher::Trimmed(s) => Matcher::Trimmed(fill(s)),
            Matcher::Contains(s) => Matcher::Contains(fill(s)),
            Matcher::AnyOf(ms) => Matcher::AnyOf(ms.iter().map(|m| m.fill(fill)).collect()),
            Matcher::Lines(ms) => Matcher::Lines(ms.iter().map(|m| m.fill(fill)).collect()),
            Matcher::Regex(re) => Matcher::Regex(fill_regex(re, fill)),
            Matcher::Not(m) => Matcher::Not(Box::new(m.fill(fill))),
            Matcher::Http(h) => Matcher::Http(h.map(&|m| m.fill(fill))),
            Matcher::Hex(_) | Matcher::Size(_) | Matcher::File(_) => self.clone(),
        }
    }

    /// Gives each `file` matcher the bytes of its fixture (`None`: no such fixture, which
    /// then matches nothing).
    pub fn with_files(&self, bytes_of: &dyn Fn(&str) -> Option<Vec<u8>>) -> Matcher {
        match self {
            Matcher::File(f) => Matcher::File(FileMatch {
                expected: bytes_of(&f.path).map(Arc::new),
                ..f.clone()
            }),
            Matcher::AnyOf(ms) => {
                Matcher::AnyOf(ms.iter().map(|m| m.with_files(bytes_of)).collect())
            }
            Matcher::Lines(ms) => {
                Matcher::Lines(ms.iter().map(|m| m.with_files(bytes_of)).collect())
            }
            Matcher::Not(m) => Matcher::Not(Box::new(m.with_files(bytes_of))),
            Matcher::Http(h) => Matcher::Http(h.map(&|m| m.with_files(bytes_of))),
            _ => self.clone(),
        }
    }

    /// The fixture paths its `file` matchers name.
    pub fn files(&self) -> Vec<&str> {
        match self {
            Matcher::File(f) => vec![f.path.as_str()],
            Matcher::AnyOf(ms) | Matcher::Lines(ms) => ms.iter().flat_map(|m| m.files()).collect(),
            Matcher::Not(m) => m.files(),
            Matcher::Http(h) => h.inner().flat_map(|m| m.files()).collect(),
            _ => Vec::new(),
        }
    }

    /// What `observed` is, said so it can be set beside this matcher: for a `file`
    /// matcher the length and sha256 of the part compared, else `None`.
    pub fn describe_observed(&self, observed: &[u8]) -> Option<String> {
        if let Matcher::Http(_) = self {
            return Some(HttpMatch::describe(observed));
        }
        let Matcher::File(f) = self else { return None };
        Some(match f.body(observed) {
            Some(body) => crate::load::model::digest(body),
            None => format!(
                "{} bytes without {}",
                observed.len(),
                [
                    f.after
                        .as_ref()
                        .map(|a| format!("{} before the data", visible(a.as_bytes()))),
                    f.end
                        .as_ref()
                        .map(|e| format!("{} at the end", visible(e.as_bytes())))
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" or ")
            ),
        })
    }
}

/// A regex's `{name}` placeholders (a variable, or an earlier step's capture) are kept as
/// the literal text `\{name\}` until they are filled: `{child}` is not a repetition.
fn escape_placeholders(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut last = 0;
    for (at, name) in crate::load::vars::placeholders(pattern) {
        out.push_str(&pattern[last..at]);
        out.push_str(&format!("\\{{{name}\\}}"));
        last = at + name.len() + 2;
    }
    out.push_str(&pattern[last..]);
    out
}

/// Fills a regex's placeholders with their values, matched literally.
fn fill_regex(re: &Regex, fill: &dyn Fn(&str) -> String) -> Regex {
    let source = re.as_str();
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find("\\{") {
        let after = &rest[i + 2..];
        let name = after.find("\\}").map(|j| &after[..j]);
        if let Some(name) = name.filter(|n| crate::load::vars::is_name(n)) {
            let placeholder = format!("{{{name}}}");
            let value = fill(&placeholder);
            if value != placeholder {
                out.push_str(&rest[..i]);
                out.push_str(&regex::escape(&value));
                rest = &after[name.len() + 2..];
                continue;
            }
        }
        out.push_str(&rest[..i + 2]);
        rest = after;
    }
    out.push_str(rest);
    // Nothing filled: the same regex, not compiled again (compiling takes a deep stack, and
    // a checker judges each execution on a small one).
    if out == source {
        return re.clone();
    }
    Regex::new(&out).unwrap_or_else(|_| re.clone())
}

/// Matches each line to a distinct matcher (a small bipartite matching by backtracking).
fn match_lines_any_order(ms: &[Matcher], text: &str) -> Match {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() != ms.len() {
        return Match::default();
    }
    fn assign(
        i: usize,
        lines: &[&str],
        ms: &[Matcher],
        used: &mut [bool],
        caps: &mut Match,
    ) -> bool {
        let Some(line) = lines.get(i) else {
            return true;
        };
        for (j, m) in ms.iter().enumerate() {
            if used[j] {
                continue;
            }
            let r = m.check(line.as_bytes());
            if r.ok {
                used[j] = true;
                if assign(i + 1, lines, ms, used, caps) {
                    caps.captures.extend(r.captures);
                    return true;
                }
                used[j] = false;
            }
        }
        false
    }
    let mut result = Match::default();
    result.ok = assign(0, &lines, ms, &mut vec![false; ms.len()], &mut result);
    result
}

fn decode_hex(h: &str) -> Option<Vec<u8>> {
    let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    if !h.len().is_multiple_of(2) {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Shows text so that a student sees why it differs: invisible and look-alike characters
/// (tabs, CR, full-width spaces, zero-width marks) are spelled out, control bytes escaped.
pub fn visible(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{3000}' => out.push_str("\\u{3000 full-width space}"),
            '\u{a0}' => out.push_str("\\u{a0 no-break space}"),
            '\u{200b}' | '\u{feff}' => out.push_str(&format!("\\u{{{:x} zero-width}}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Exact(s) => f.write_str(&visible(s.as_bytes())),
            Matcher::Trimmed(s) => write!(f, "{} (trimmed)", visible(s.as_bytes())),
            Matcher::Contains(s) => write!(f, "text containing {}", visible(s.as_bytes())),
            Matcher::Regex(r) => write!(f, "text matching /{}/", r.as_str()),
            Matcher::Hex(h) => write!(f, "bytes {h}"),
            Matcher::Size(n) => write!(f, "{n} bytes"),
            Matcher::Not(m) => write!(f, "anything but {m}"),
            Matcher::Http(h) => write!(f, "{h}"),
            Matcher::File(m) => {
                if let Some(a) = &m.after {
                    write!(f, "after {}, ", visible(a.as_bytes()))?;
                }
                write!(f, "the bytes of {}", m.path)?;
                if let Some(e) = &m.expected {
                    write!(f, " ({})", crate::load::model::digest(e))?;
                }
                if let Some(e) = &m.end {
                    write!(f, ", then {}", visible(e.as_bytes()))?;
                }
                Ok(())
            }
            Matcher::AnyOf(ms) => {
                let all: Vec<String> = ms.iter().map(|m| m.to_string()).collect();
                write!(f, "any of [{}]", all.join(", "))
            }
            Matcher::Lines(ms) => {
                let all: Vec<String> = ms.iter().map(|m| m.to_string()).collect();
                write!(f, "the lines {{{}}} in any order", all.join(", "))
            }
        }
    }
}

/// The map form, with exactly one key (checked on load).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatcherMap {
    #[serde(default, deserialize_with = "some_text")]
    exact: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    trimmed: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    contains: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    hex: Option<String>,
    #[serde(default)]
    any_of: Option<Vec<Matcher>>,
    #[serde(default)]
    lines: Option<Vec<Matcher>>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    file: Option<FileSpec>,
    #[serde(default)]
    not: Option<Box<Matcher>>,
    #[serde(default)]
    http: Option<HttpMatch>,
}

fn some_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    scalar_text(d).map(Some)
}

impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Matcher;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map with one of `exact`, `trimmed`, `contains`, `regex`, `hex`, `any_of`, `lines`, `size`, `file`, `not`, `http`")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Matcher, E> {
                Ok(Matcher::Exact(v.to_owned()))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Matcher, E> {
                Ok(Matcher::Exact(v.to_string()))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Matcher, E> {
                Ok(Matcher::Exact(v.to_string()))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Matcher, E> {
                Ok(Matcher::Exact(v.to_string()))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Matcher, E> {
                Ok(Matcher::Exact(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Matcher, A::Error> {
                let m = MatcherMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let mut found: Vec<Matcher> = Vec::new();
                found.extend(m.exact.map(Matcher::Exact));
                found.extend(m.trimmed.map(Matcher::Trimmed));
                found.extend(m.contains.map(Matcher::Contains));
                if let Some(r) = m.regex {
                    let re = Regex::new(&escape_placeholders(&r))
                        .map_err(|e| A::Error::custom(format!("bad regex `{r}`: {e}")))?;
                    found.push(Matcher::Regex(re));
                }
                if let Some(h) = m.hex {
                    decode_hex(&h).ok_or_else(|| {
                        A::Error::custom(format!(
                            "bad hex `{h}`: expected pairs of hex digits, e.g. `4f4b0a`"
                        ))
                    })?;
                    found.push(Matcher::Hex(h));
                }
                found.extend(m.any_of.map(Matcher::AnyOf));
                found.extend(m.lines.map(Matcher::Lines));
                found.extend(m.size.map(Matcher::Size));
                found.extend(m.file.map(|f| Matcher::File(f.0)));
                found.extend(m.not.map(Matcher::Not));
                found.extend(m.http.map(Matcher::Http));
                match found.len() {
                    1 => Ok(found.remove(0)),
                    0 => Err(A::Error::custom("empty matcher: expected one of `exact`, `trimmed`, `contains`, `regex`, `hex`, `any_of`, `lines`, `size`, `file`, `not`, `http`")),
                    _ => Err(A::Error::custom("a matcher takes exactly one of `exact`, `trimmed`, `contains`, `regex`, `hex`, `any_of`, `lines`, `size`, `file`, `not`, `http`; use `any_of` to combine")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

mod regex_text {
    use regex::bytes::Regex;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(re: &Regex, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(re.as_str())
    }
}

/// Whether a regex is anchored at both ends (`^...$`, `\A...\z`) and not multi-line: more
/// text after a match (but trailing white space, for `\s*$`) cannot match it.
fn anchored(source: &str) -> bool {
    let starts = source.starts_with('^') || source.starts_with("\\A");
    // A `$` or `\z` after an odd number of backslashes is literal text.
    let escaped = |rest: &str| rest.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
    let ends = match (source.strip_suffix('$'), source.strip_suffix("\\z")) {
        (Some(rest), _) => !escaped(rest),
        (_, Some(rest)) => !escaped(rest),
        _ => false,
    };
    let multi_line =
        source.starts_with("(?") && source[..source.find(')').unwrap_or(0)].contains('m');
    starts && ends && !multi_line
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn m(yaml: &str) -> Matcher {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[rstest]
    #[case("OK", "OK", true)]
    #[case("OK", "OK\n", false)]
    #[case("{trimmed: OK}", "  OK\n", true)]
    #[case("{contains: 进入}", "欢迎tom进入聊天室", true)]
    #[case("{contains: 进入}", "tom left", false)]
    #[case("{not: {contains: SECRET}}", "404 Not Found", true)]
    #[case("{not: {contains: SECRET}}", "TOP SECRET", false)]
    #[case(
        "{http: {status: 200}}",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        true
    )]
    #[case("{http: {status: 200}}", "HTTP/1.1 404 Not Found\r\n\r\n", false)]
    #[case("{http: {status: 200}}", "HTTP/1.1 200 OK\n\nhi", false)]
    #[case(
        "{http: {headers: {content-length: 2}}}",
        "HTTP/1.1 200 OK\r\nCONTENT-LENGTH:  2 \r\n\r\nhi",
        true
    )]
    #[case(
        "{http: {headers: {content-length: 2}}}",
        "HTTP/1.0 200 OK\r\n\r\nhi",
        false
    )]
    #[case(
        "{http: {headers: {x-secret: {not: {regex: '.'}}}}}",
        "HTTP/1.0 200 OK\r\n\r\nhi",
        true
    )]
    #[case("{http: {body: hi}}", "HTTP/1.0 200 OK\r\nA: b\r\n\r\nhi", true)]
    #[case("{http: {body: hi}}", "HTTP/1.0 200 OK\r\nA: b\r\n\r\nho", false)]
    #[case("{regex: '^\\d+$'}", "4242", true)]
    #[case("{regex: '^\\p{Han}+$'}", "汉字", true)]
    #[case("{regex: '^\\x{41}\\u{e9}$'}", "Aé", true)]
    #[case("{regex: '^\\d+$'}", "42a", false)]
    #[case("{hex: 4f4b}", "OK", true)]
    #[case("{hex: 4f4b}", "ok", false)]
    #[case("{any_of: [OK, ok]}", "ok", true)]
    #[case("{any_of: [OK, ok]}", "Ok", false)]
    #[case("{lines: [a, b]}", "b\na\n", true)]
    #[case("{lines: [a, b]}", "a\na\n", false)]
    #[case("{lines: [a, {regex: '^a'}]}", "ab\na", true)]
    #[case("7", "7", true)]
    fn matches(#[case] matcher: &str, #[case] observed: &str, #[case] ok: bool) {
        assert_eq!(
            m(matcher).check(observed.as_bytes()).ok,
            ok,
            "{matcher} vs {observed:?}"
        );
    }

    #[test]
    fn regex_keeps_named_captures() {
        let r = m("{regex: 'pid=(?P<pid>\\d+)'}").check(b"child pid=77");
        assert_eq!(r.captures.get("pid").map(String::as_str), Some("77"));
    }

    #[rstest]
    #[case("{regex: '(unclosed'}", "bad regex")]
    #[case("{hex: 4f4}", "bad hex")]
    #[case("{}", "empty matcher")]
    #[case("{exact: a, contains: b}", "exactly one")]
    #[case("{exakt: a}", "unknown field `exakt`")]
    fn rejects(#[case] matcher: &str, #[case] why: &str) {
        let err = serde_yaml::from_str::<Matcher>(matcher)
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{err}");
    }

    #[test]
    fn a_reply_is_complete_when_no_more_but_white_space_could_match() {
        let m = |y: &str| serde_yaml::from_str::<Matcher>(y).unwrap();
        assert!(m("OK").complete(b"OK"));
        assert!(!m("OK").complete(b"O"));
        assert!(m("{ trimmed: OK }").complete(b"\nOK "));
        assert!(m("{ size: 3 }").complete(b"abc"));
        assert!(m(r"{ regex: '^\s*bob\s*:\s*hi\s*$' }").complete(b"bob : hi\n"));
        // Not anchored at its end, or only contained: more may belong to the reply.
        assert!(!m("{ regex: '^bob' }").complete(b"bob"));
        assert!(!m(r"{ regex: '^cost \$' }").complete(b"cost $"));
        assert!(!m("{ contains: OK }").complete(b"OK"));
        assert!(m("{ any_of: [ { contains: x }, OK ] }").complete(b"OK"));
    }

    #[test]
    fn visible_spells_out_invisible_characters() {
        assert_eq!(
            visible("a\u{3000}b\t".as_bytes()),
            "\"a\\u{3000 full-width space}b\\t\""
        );
    }
}
