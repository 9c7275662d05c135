//! Located load errors: file, line, column, what was found and what was expected, and the
//! nearest valid key. Rendered with miette (a source snippet with the spot marked).

use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::source_map::line_col;
use super::suggest;

/// One problem in one scenario file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct LoadError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
}

impl LoadError {
    /// An error at byte offset `at` of `text`.
    pub fn at(file: &Path, text: &str, at: usize, message: String, help: Option<String>) -> Self {
        let (line, column) = line_col(text, at);
        let len = text[at.min(text.len())..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ':' | ',' | '}' | ']'))
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1);
        LoadError {
            file: file.to_owned(),
            line,
            column,
            label: short_label(&message),
            message,
            help,
            source_code: NamedSource::new(file.display().to_string(), text.to_owned()),
            span: (at.min(text.len()), len).into(),
        }
    }

    /// An error about the file as a whole (it cannot be read, ...): line 1, column 1.
    pub fn whole_file(file: &Path, message: String) -> Self {
        Self::at(file, "", 0, message, None)
    }

    /// Translates a serde_yaml error into a located error with a plain message.
    pub fn from_serde(file: &Path, text: &str, err: &serde_yaml::Error) -> Self {
        let at = err.location().map_or(0, |l| l.index());
        let raw = err.to_string();
        // serde_yaml writes " at line L column C" into its messages; ours are located anyway.
        let raw = strip_locations(&raw);
        let (path, what) = match raw.split_once(": ") {
            Some((p, w)) if !p.contains(' ') => (Some(p.to_owned()), w.to_owned()),
            _ => (None, raw.clone()),
        };
        let (message, help) = plain(&what);
        let message = match path {
            Some(p) => format!("{message} (in `{p}`)"),
            None => message,
        };
        Self::at(file, text, at, message, help)
    }

    /// The one-line form: `file:line:column: message (help)`.
    pub fn headline(&self) -> String {
        match &self.help {
            Some(h) => format!("{self} [{h}]"),
            None => self.to_string(),
        }
    }
}

/// The label under the marked spot: the message's first clause.
fn short_label(message: &str) -> String {
    let cut = [" (", ": expected", ", expected"]
        .iter()
        .filter_map(|sep| message.find(sep))
        .min()
        .unwrap_or(message.len());
    message[..cut].to_owned()
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

/// Rewrites serde's messages in the suite's words, with a suggestion where one helps.
fn plain(what: &str) -> (String, Option<String>) {
    for (serde_word, ours) in [("unknown field", "key"), ("unknown variant", "value")] {
        if let Some(rest) = what.strip_prefix(serde_word) {
            let found = between_backticks(rest).unwrap_or_default();
            let expected = expected_names(rest);
            let message = format!("unknown {ours} `{found}`");
            return (message, Some(suggest::help(&found, &expected)));
        }
    }
    if let Some(rest) = what.strip_prefix("missing field") {
        let key = between_backticks(rest).unwrap_or_default();
        return (
            format!("missing key `{key}`"),
            Some(format!("add `{key}:` here")),
        );
    }
    if let Some(rest) = what.strip_prefix("duplicate field") {
        let key = between_backticks(rest).unwrap_or_default();
        return (
            format!("duplicate key `{key}`"),
            Some(
                "a key appears once per map; a step has one operation: split it into two steps"
                    .into(),
            ),
        );
    }
    if let Some(rest) = what.strip_prefix("invalid type: ") {
        return (format!("wrong type: found {rest}"), None);
    }
    if let Some(rest) = what.strip_prefix("invalid value: ") {
        return (format!("wrong value: found {rest}"), None);
    }
    if what.contains("did not find expected")
        || what.contains("found character that cannot start")
        || what.contains("mapping values are not allowed")
        || what.contains("while parsing")
        || what.contains("while scanning")
    {
        return (
            format!("YAML syntax error: {what}"),
            Some(
                "check the indentation and the `key: value` layout of this line and the one above"
                    .into(),
            ),
        );
    }
    (what.to_owned(), None)
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

/// Prints every error with its source snippet, as a person at a terminal wants them.
pub fn render(errors: &[LoadError], color: bool) -> String {
    let handler = if color {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    };
    let mut out = String::new();
    for e in errors {
        if handler.render_report(&mut out, e).is_err() {
            out.push_str(&e.headline());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_get_a_suggestion() {
        let (m, h) = plain("unknown field `acotrs`, expected one of `id`, `actors`, `assert`");
        assert_eq!(m, "unknown key `acotrs`");
        assert!(h.unwrap().starts_with("did you mean `actors`?"));
    }

    #[test]
    fn missing_fields_say_what_to_add() {
        assert_eq!(plain("missing field `title`").0, "missing key `title`");
    }
}
