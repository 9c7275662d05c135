//! Where every key and value of a YAML document starts, by path (`actors.consumer[0].get`).
//!
//! serde_yaml reports positions only for its own errors; the checks made after deserialising
//! look positions up here, so their errors are located too.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Byte offsets of the keys and values of one document, and every scalar with its offset.
#[derive(Debug, Default)]
pub struct SourceMap {
    values: HashMap<String, usize>,
    keys: HashMap<String, usize>,
    /// Every scalar (keys and values) with the byte offset where it starts (its opening
    /// quote, if quoted), in document order.
    pub scalars: Vec<(usize, String)>,
    /// The offsets of the scalars that are quoted (their text starts one byte later).
    pub quoted: std::collections::HashSet<usize>,
    /// Where the document first nests deeper than [`MAX_DEPTH`] containers, if it does.
    pub too_deep_at: Option<usize>,
    /// Keys given twice in one map, with the offset of the second: serde keeps the last of a
    /// map's (`actors`, `vars`) without a word, so the first actor's steps would vanish.
    pub duplicate_keys: Vec<(usize, String)>,
    /// The offsets of values no `{variable}` is filled into (regexes, titles, descriptions,
    /// fixture files' contents), so braces there mean what they say.
    pub verbatim: std::collections::HashSet<usize>,
}

impl SourceMap {
    /// Maps `text`; a document that does not parse maps to what was read before the error.
    pub fn build(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        // yaml-rust2's marks count characters, not bytes (its docs say bytes): a file with
        // Chinese text before an error would be pointed past the culprit, or into a character.
        if !text.is_ascii() {
            builder.byte_at = text
                .char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect();
        }
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        let mut map = builder.map;
        // The parser gives up early on very deep flow collections: count their brackets.
        if map.too_deep_at.is_none() {
            map.too_deep_at = flow_too_deep(text);
        }
        map
    }

    /// The offset of the value at `path`, else of the nearest enclosing value that exists.
    pub fn value(&self, path: &str) -> usize {
        let mut p = path;
        loop {
            if let Some(&at) = self.values.get(p) {
                return at;
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None => return self.values.get("").copied().unwrap_or(0),
            }
        }
    }

    /// The offset of the key that names `path` (falls back to its value's).
    pub fn key(&self, path: &str) -> usize {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.value(path))
    }
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: std::collections::HashSet<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Builder {
    map: SourceMap,
    stack: Vec<Frame>,
    /// Containers nested deeper than [`MAX_DEPTH`], not mapped: no scenario nests that
    /// deep, and paths that long would make a hostile file cost quadratic time.
    too_deep: usize,
    /// The byte offset of each character, when the text is not ASCII.
    byte_at: Vec<usize>,
}

pub const MAX_DEPTH: usize = 64;

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Builder {
    /// The path a value arriving now takes, and advances the enclosing container.
    fn next_value_path(&mut self) -> String {
        match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Map { path, key, .. }) => join(path, &key.take().unwrap_or_default()),
            Some(Frame::Seq { path, index }) => {
                *index += 1;
                format!("{path}[{}]", *index - 1)
            }
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = match self.byte_at.last() {
            Some(&end) => self.byte_at.get(mark.index()).copied().unwrap_or(end),
            None => mark.index(),
        };
        if self.too_deep > 0
            || (self.stack.len() >= MAX_DEPTH
                && matches!(ev, Event::MappingStart(..) | Event::SequenceStart(..)))
        {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if self.too_deep == 0 && self.map.too_deep_at.is_none() {
                        self.map.too_deep_at = Some(at);
                    }
                    self.too_deep += 1
                }
                Event::MappingEnd | Event::SequenceEnd => self.too_deep -= 1,
                _ => {}
            }
            return;
        }
        match ev {
            Event::Scalar(value, style, ..) if self.expecting_key() => {
                if quoted(style) {
                    self.map.quoted.insert(at);
                }
                if let Some(Frame::Map { path, key, seen }) = self.stack.last_mut() {
                    // A block mapping is announced at its first `:`; it starts at its first key.
                    if let Some(start) = self.map.values.get_mut(path.as_str()) {
                        *start = (*start).min(at);
                    }
                    if !seen.insert(value.clone()) {
                        self.map.duplicate_keys.push((at, value.clone()));
                    }
                    self.map.keys.insert(join(path, &value), at);
                    self.map.scalars.push((at, value.clone()));
                    *key = Some(value);
                }
            }
            Event::Scalar(value, style, ..) => {
                let path = self.next_value_path();
                self.map.values.insert(path.clone(), at);
                if quoted(style) {
                    self.map.quoted.insert(at);
                }
                if path.ends_with(".regex")
                    || path == "regex"
                    || path == "title"
                    || path == "description"
                    || path.starts_with("subject.files.")
                {
                    self.map.verbatim.insert(at);
                }
                self.map.scalars.push((at, value));
            }
            Event::Alias(_) => {
                let path = self.next_value_path();
                self.map.values.insert(path, at);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A container used as a key gets a placeholder name; such keys are rare.
                if self.expecting_key() {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some("?".into());
                    }
                }
                let path = self.next_value_path();
                self.map.values.insert(path.clone(), at);
                self.stack.push(match ev {
                    Event::MappingStart(..) => Frame::Map {
                        path,
                        key: None,
                        seen: Default::default(),
                    },
                    _ => Frame::Seq { path, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Where `[` / `{` first nest deeper than [`MAX_DEPTH`] (outside quotes and comments).
fn flow_too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut comment) = (0usize, None, false);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\n') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether a scalar's text starts one byte after its mark (after the quote).
fn quoted(style: TScalarStyle) -> bool {
    matches!(
        style,
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
    )
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id: a\nactors:\n  c:\n    - get: {}\n      expect: { after: 1s }\n";

    #[test]
    fn maps_paths_to_positions() {
        let m = SourceMap::build(DOC);
        assert_eq!(line_col(DOC, m.value("id")), (1, 5));
        assert_eq!(line_col(DOC, m.key("actors.c")), (3, 3));
        assert_eq!(line_col(DOC, m.value("actors.c[0]")), (4, 7));
        assert_eq!(line_col(DOC, m.key("actors.c[0].expect")), (5, 7));
        assert_eq!(line_col(DOC, m.value("actors.c[0].expect.after")), (5, 24));
    }

    #[test]
    fn offsets_are_bytes_after_chinese_text() {
        let doc = "title: 线程锁\nid: x\n";
        let m = SourceMap::build(doc);
        assert_eq!(m.value("id"), doc.find('x').unwrap());
        assert_eq!(line_col(doc, m.value("id")), (2, 5));
    }

    #[test]
    fn falls_back_to_the_nearest_enclosing_value() {
        let m = SourceMap::build(DOC);
        assert_eq!(
            m.value("actors.c[0].expect.nothing"),
            m.value("actors.c[0].expect")
        );
    }
}
