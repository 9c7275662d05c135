//! serde_yaml's errors in the suite's words, pointed at the culprit.
//!
//! serde_yaml locates an error where its parser stood, which is often the start of the
//! enclosing map (errors raised inside our own deserialisers) or the token after a syntax
//! error. The source map and the text let us point at the bad value, the second duplicate
//! key, or the bracket that was never closed.

use std::path::Path;

use super::diagnostic::LoadError;
use super::source_map::SourceMap;
use super::suggest;

/// Translates a serde_yaml error into a located error with a plain message.
pub fn translate(file: &Path, text: &str, map: &SourceMap, err: &serde_yaml::Error) -> LoadError {
    let at = err.location().map_or(0, |l| l.index());
    let raw = strip_locations(&err.to_string());
    if let Some(e) = whole_text(file, text, &raw) {
        return e;
    }
    let (path, what) = split_path(&raw);
    let (message, help, culprit) = plain(&what, text, at);
    let at = refine(text, map, at, &what, culprit.as_deref());
    let message = match path {
        Some(p) => format!("{message} (in `{p}`)"),
        None => message,
    };
    LoadError::at(file, text, at, message, help)
}

/// Errors of the text as a whole, which serde_yaml locates at its start or not at all: a
/// control character (libyaml's reader says only "at position N", a byte offset), a second
/// document.
fn whole_text(file: &Path, text: &str, raw: &str) -> Option<LoadError> {
    if let Some(rest) = raw.strip_prefix("control characters are not allowed") {
        let at = rest
            .trim()
            .strip_prefix("at position ")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| text.is_char_boundary(n.min(text.len())))
            .or_else(|| text.find(not_allowed))
            .unwrap_or(0);
        let c = text[at.min(text.len())..].chars().next().unwrap_or('\0');
        return Some(LoadError::at(
            file,
            text,
            at,
            format!(
                "YAML syntax error: a control character (U+{:04X}) is not allowed in YAML",
                c as u32
            ),
            Some(
                "remove it (an editor may show it as `^@`, `^G`, or not at all); in a \
                 double-quoted string it can be written as an escape, e.g. `\"\\x07\"`"
                    .into(),
            ),
        ));
    }
    if raw.contains("more than one document") {
        // The first document ends at a `---` or `...` line after some content.
        let mut offset = 0;
        let mut content = false;
        let mut second = None;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_end();
            // A directive (`%YAML 1.2`) after content can only begin another document.
            let marker = trimmed.starts_with("---")
                || trimmed.starts_with("...")
                || (content && trimmed.starts_with('%'));
            if marker && content {
                second = Some(offset);
                break;
            }
            content |= !trimmed.is_empty()
                && !trimmed.starts_with('#')
                && !marker
                && !trimmed.starts_with('%');
            offset += line.len();
        }
        return Some(LoadError::at(
            file,
            text,
            second.unwrap_or(0),
            "a second YAML document: a scenario file holds one scenario".into(),
            Some(
                "remove this line (`---` starts a document, `...` ends one, a `%` directive \
                 comes before one), or put the second scenario in a file of its own"
                    .into(),
            ),
        ));
    }
    None
}

/// Characters YAML does not allow in a document (YAML 1.2, 5.1: printable characters only).
fn not_allowed(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The messages serde and our deserialisers give, after serde_yaml's `PATH: `.
const MESSAGES: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown field",
    "unknown variant",
    "missing field",
    "duplicate field",
    "duplicate entry",
    "bad ",
    "negative duration",
    "duration ",
];

/// serde_yaml's `PATH: MESSAGE` split in two. A key of the path may hold spaces or `: `
/// (`actors.neither can go on: ...`), so the path ends where a known message starts.
fn split_path(raw: &str) -> (Option<String>, String) {
    let known = raw.match_indices(": ").find(|(i, _)| {
        let rest = &raw[i + 2..];
        MESSAGES.iter().any(|m| rest.starts_with(m))
    });
    match known {
        Some((i, _)) if i > 0 => (Some(raw[..i].to_owned()), raw[i + 2..].to_owned()),
        _ => match raw.split_once(": ") {
            Some((p, w)) if !p.contains(' ') && !p.is_empty() => (Some(p.to_owned()), w.to_owned()),
            _ => (None, raw.to_owned()),
        },
    }
}

/// A plain message, a help line, and the text of the culprit to point at (if known).
fn plain(what: &str, text: &str, at: usize) -> (String, Option<String>, Option<String>) {
    for (serde_word, ours) in [("unknown field", "key"), ("unknown variant", "value")] {
        if let Some(rest) = what.strip_prefix(serde_word) {
            let found = between_backticks(rest).unwrap_or_default();
            let help = suggest::help(&found, &expected_names(rest));
            return (format!("unknown {ours} `{found}`"), Some(help), None);
        }
    }
    if let Some(rest) = what.strip_prefix("missing field") {
        let key = between_backticks(rest).unwrap_or_default();
        return (
            format!("missing key `{key}`"),
            Some(format!("add `{key}:` to this map")),
            None,
        );
    }
    if let Some(rest) = what.strip_prefix("duplicate field") {
        let key = between_backticks(rest).unwrap_or_default();
        let help = if super::model::Step::KINDS.contains(&key.as_str())
            || super::model::ProgramStep::KINDS.contains(&key.as_str())
        {
            "a step does one thing: split it into two steps"
        } else {
            "a key appears once in a map: remove one"
        };
        return (
            format!("duplicate key `{key}`"),
            Some(help.into()),
            Some(key),
        );
    }
    if let Some(rest) = what.strip_prefix("invalid type: ") {
        let rest = readable_types(rest);
        let help = if rest.starts_with("map, expected a string")
            || rest.starts_with("map, expected a duration")
        {
            Some(
                "a value that starts with `{` is read as a map: quote it, e.g. `\"{name}\"`"
                    .to_owned(),
            )
        } else if rest.starts_with("string") && rest.contains("expected a boolean") {
            Some("write `true` or `false`".to_owned())
        } else {
            None
        };
        return (format!("wrong type: found {rest}"), help, None);
    }
    if let Some(rest) = what.strip_prefix("invalid value: ") {
        return (
            format!("wrong value: found {}", readable_types(rest)),
            None,
            None,
        );
    }
    if let Some(rest) = what.strip_prefix("bad regex `") {
        let (regex, why) = rest.split_once("`: ").unwrap_or((rest, ""));
        let why = why
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .unwrap_or(why);
        return (
            format!("bad regex `{regex}`: {why}"),
            Some("regexes use Rust's syntax: https://docs.rs/regex/#syntax".into()),
            Some(regex.to_owned()),
        );
    }
    if let Some(rest) = what.strip_prefix("bad hex `") {
        let value = rest.split('`').next().unwrap_or_default().to_owned();
        return (what.to_owned(), None, Some(value));
    }
    if what.contains("while parsing")
        || what.contains("while scanning")
        || what.contains("are not allowed in this context")
        || what.contains("did not find expected")
        || what.contains("found character that cannot start")
        || what.contains("mapping values are not allowed")
    {
        if text[at.min(text.len())..].starts_with('\t') || what.contains("tab") {
            return (
                format!("YAML syntax error: a tab ({what})"),
                Some("YAML indents with spaces only: replace the tab with spaces".into()),
                None,
            );
        }
        return (
            format!("YAML syntax error: {what}"),
            Some(
                "check the indentation and the `key: value` layout (a space after each `:`)".into(),
            ),
            None,
        );
    }
    (what.to_owned(), None, None)
}

/// Moves `at` onto the culprit where serde_yaml stood elsewhere.
fn refine(text: &str, map: &SourceMap, at: usize, what: &str, culprit: Option<&str>) -> usize {
    if what.starts_with("duplicate field") {
        // The second occurrence of the key after the map's start.
        let key = culprit.unwrap_or_default();
        return map
            .scalars
            .iter()
            .filter(|(o, s)| *o >= at && s == key)
            .nth(1)
            .map_or(at, |(o, _)| *o);
    }
    if let Some(value) = culprit {
        return map
            .scalars
            .iter()
            .find(|(o, s)| *o >= at && s == value)
            .map_or(at, |(o, _)| *o);
    }
    if what.contains("exactly one of") {
        // The second matcher key of the map.
        let keys = [
            "exact", "trimmed", "contains", "regex", "hex", "any_of", "lines",
        ];
        return map
            .scalars
            .iter()
            .filter(|(o, s)| *o >= at && keys.contains(&s.as_str()))
            .nth(1)
            .map_or(at, |(o, _)| *o);
    }
    if what.contains("while parsing a flow") {
        return unclosed_bracket(&text[..at.min(text.len())]).unwrap_or(at);
    }
    if what.contains("could not find expected ':'") {
        // The scanner notices on the next line; the culprit is the line before (of YAML,
        // not a comment or a blank).
        let mut before = text[..at.min(text.len())].trim_end_matches([' ', '\n', '\r']);
        let mut line_start = before.rfind('\n').map_or(0, |n| n + 1);
        while line_start > 0 && before[line_start..].trim_start().starts_with('#') {
            before = text[..line_start].trim_end_matches([' ', '\n', '\r']);
            line_start = before.rfind('\n').map_or(0, |n| n + 1);
        }
        // A `key:value` with no space after the colon is the usual culprit.
        let line = &before[line_start..];
        let colon = line.char_indices().find(|&(i, ch)| {
            ch == ':' && i + 1 < line.len() && !line[i + 1..].starts_with([' ', '\t'])
        });
        let indent = line.len() - line.trim_start().len();
        return line_start + colon.map_or(indent, |(i, _)| i);
    }
    at
}

/// The offset of the last `{` or `[` before the end of `text` that is never closed.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => open.push(i),
            (None, '}' | ']') => {
                open.pop();
            }
            (None, '#') if text[..i].ends_with([' ', '\n']) || i == 0 => {}
            _ => {}
        }
        if c == '\n' && quote.is_some() {
            quote = None;
        }
    }
    open.last().copied()
}

/// Rust's type names in the words of someone writing YAML.
fn readable_types(s: &str) -> String {
    s.replace(
        "expected u32",
        "expected a whole number from 0 to 4294967295",
    )
    .replace("expected u64", "expected a whole number")
    .replace("expected i32", "expected a whole number")
    .replace("expected f64", "expected a number")
    .replace("unit value", "an empty value")
    // A number too big for 64 bits is read as a 128-bit one: the reader needs no Rust type.
    .replace("` as u128", "`")
    .replace("` as i128", "`")
    .replace("expected field identifier", "expected a key name")
    .replace("enum, expected", "a tagged value (`!tag value`), expected")
    // A `!name value` tag names a variant that takes no value.
    .replace(
        ", expected null",
        ", expected nothing: `!name value` gives a name that stands alone a value",
    )
    .replace(
        "expected a YAML tag starting with '!'",
        "expected a single name, not a list or a map",
    )
    .replace("expected a sequence", "expected a list `[a, b]`")
    .split("expected struct ")
    .enumerate()
    .map(|(i, part)| {
        if i == 0 {
            part.to_owned()
        } else {
            format!(
                "expected a map{}",
                part.trim_start_matches(char::is_alphanumeric)
            )
        }
    })
    .collect()
}

/// Removes every " at line L column C" from a serde_yaml message.
fn strip_locations(raw: &str) -> String {
    let mut out = raw.to_owned();
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let line_len = digits(rest);
        let Some(after_line) = rest[line_len..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_len + " column ".len() + digits(after_line);
        out.replace_range(start..end, "");
    }
    out
}

fn between_backticks(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(s[start..start + len].to_owned())
}

/// The names serde lists after "expected": `a`, `b` or `c`.
fn expected_names(s: &str) -> Vec<String> {
    let Some(list) = s.split_once("expected").map(|(_, l)| l) else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_get_a_suggestion() {
        let (m, h, _) = plain(
            "unknown field `acotrs`, expected one of `id`, `actors`, `assert`",
            "",
            0,
        );
        assert_eq!(m, "unknown key `acotrs`");
        assert!(h.unwrap().starts_with("did you mean `actors`?"));
    }

    #[test]
    fn rust_type_names_are_translated() {
        assert_eq!(
            readable_types("map, expected struct PutOp"),
            "map, expected a map"
        );
        assert!(readable_types("integer `-1`, expected u32").contains("whole number"));
        assert_eq!(
            readable_types("integer `18446744073709551616` as u128, expected a map"),
            "integer `18446744073709551616`, expected a map"
        );
    }

    #[test]
    fn a_path_with_spaces_is_split_from_its_message() {
        let (path, what) =
            split_path("actors.can go on: see: invalid type: string \"a\", expected a sequence");
        assert_eq!(path.as_deref(), Some("actors.can go on: see"));
        assert!(what.starts_with("invalid type: string"), "{what}");
        assert_eq!(split_path("id: unknown field `x`").0.as_deref(), Some("id"));
        assert_eq!(split_path("missing field `id`").0, None);
    }

    #[test]
    fn finds_the_unclosed_bracket() {
        assert_eq!(unclosed_bracket("a: { b: [1, 2], c: \"{\"\n"), Some(3));
        assert_eq!(unclosed_bracket("a: [1]\n"), None);
    }
}
