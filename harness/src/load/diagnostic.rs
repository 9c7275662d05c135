//! Located load errors: file, line, column, what was found and what was expected, and the
//! nearest valid key. Rendered with miette (a source snippet with the spot marked).

use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::source_map::line_col;

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
    /// Whether the error points into the text (else it is about the file as a whole).
    located: bool,
}

impl LoadError {
    /// An error at byte offset `at` of `text`.
    pub fn at(file: &Path, text: &str, at: usize, message: String, help: Option<String>) -> Self {
        // Never inside a character: an offset from a parser that counts otherwise must not
        // panic the error that reports it.
        let at = text.floor_char_boundary(at.min(text.len()));
        let (line, column) = line_col(text, at);
        let len = text[at..]
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
            span: (at, len).into(),
            located: true,
        }
    }

    /// An error about the file as a whole, with no spot in it to point at: it cannot be
    /// read, or holds nothing (line 1, column 1).
    pub fn whole_file(file: &Path, message: String) -> Self {
        LoadError {
            located: false,
            ..Self::at(file, "", 0, message, None)
        }
    }

    /// The byte offset the error points at, or `None` for an error about the whole file.
    pub fn offset(&self) -> Option<usize> {
        self.located.then_some(self.span.offset())
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
    let cut = [" (in `", ": expected", ", expected"]
        .iter()
        .filter_map(|sep| message.find(sep))
        .min()
        .unwrap_or(message.len());
    message[..cut].to_owned()
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
