//! Bad YAML, generated: the real scenarios under `scenarios/`, mutated as a person typing (or
//! a tool writing) might break them, must each load into a scenario that plans, or into
//! errors that name file:line:column and point at something in the text; never a panic.
//!
//! The mutations are text edits (a line deleted, duplicated, swapped, re-indented or
//! tab-indented; a stray bracket, quote, colon, anchor, tag, document marker or control
//! character; a value replaced by a huge number, a bad duration, a `{variable}` nobody
//! defines; a key misspelt; the file cut short) and edits of the YAML tree, written back out
//! (a node of the wrong type, a key removed or unknown, a duration or regex made bad,
//! variables that refer to each other in a cycle, an unknown claim, nesting too deep).
//!
//! Cases: `PROPTEST_CASES` (default 256) in `cargo test`; the ignored test runs 10,000
//! (`cargo test -- --include-ignored`, as CI does). A failure prints the mutated text; add it
//! to `harness/tests/data/malformed/` with the error it must give once fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use conform::catalogue::Catalogue;
use conform::load::{self, diagnostic, LoadError, Loaded};
use conform::plan::{self, Subjects};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_yaml::{Mapping, Value};

/// The name the mutated text is loaded under (never read from disk).
const FAKE: &str = "scenarios/mutated/scenario.yaml";

struct Fixtures {
    seeds: Vec<(PathBuf, String)>,
    catalogue: Catalogue,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let files = load::discover(&[root]).unwrap_or_else(|e| panic!("scenarios: {e:?}"));
        let seeds: Vec<(PathBuf, String)> = files
            .into_iter()
            .map(|f| {
                let text = std::fs::read_to_string(&f).unwrap();
                (f, text)
            })
            .collect();
        assert!(seeds.len() >= 50, "the suite's scenarios are the seeds");
        Fixtures {
            seeds,
            catalogue: Catalogue::builtin(),
        }
    })
}

// ---- what to put where ---------------------------------------------------------------

/// Stray text a hand or a merge tool leaves behind.
const DEBRIS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "\"",
    "'",
    "#",
    "- ",
    "\n",
    "\n  ",
    "\t",
    "&a ",
    "*a",
    "*nope",
    "!tag ",
    "!!int ",
    "---\n",
    "\n---\n",
    "\n...\n",
    "%YAML 1.2\n",
    "? ",
    "|",
    ">",
    "\0",
    "\u{7}",
    "\u{feff}",
    "é",
    "\u{1F600}",
    "{nope}",
    "{{",
    "}}",
    "{ref:nope}",
    "<<: *a\n",
    ",",
    "@",
    "`",
];

/// Values that are wrong for almost any key.
const BAD_VALUES: &[&str] = &[
    "-1",
    "0",
    "1.5",
    "18446744073709551616",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1e400",
    ".nan",
    "-.inf",
    "\"\"",
    "~",
    "[]",
    "{}",
    "[[[]]]",
    "yes",
    "0x10",
    "0o17",
    "1 s",
    "10 parsecs",
    "(",
    "[a-",
    "{nope}",
    "\"{nope}\"",
    "\"{a}{b}\"",
    "!exact x",
    "&anchor x",
    "*nope",
    "|\n  block",
    "\"unclosed",
    "'unclosed",
];

const BAD_DURATIONS: &[&str] = &[
    "1 s",
    "-1s",
    "5",
    "1parsec",
    "99999999999999h",
    "99999999999999999999s",
    "1e9s",
    "0.5.5s",
    "s",
    ".s",
    "1.s",
    "\u{221e}s",
    "1ns",
    "",
    "1441m",
    "{nope}s",
];

const BAD_REGEXES: &[&str] = &[
    "(",
    "[a-",
    "(?P<x",
    "a{99999999}",
    "\\",
    "*",
    "(?<=a)b",
    "\\p{Nope}",
    "(?P<1>a)",
    "(?P<x>a)(?P<x>b)",
    "{nope}(",
    "\\1",
];

const BAD_NAMES: &[&str] = &[
    "acotrs", "Title", "expectt", "", "1", "-", "vars ", "nope", "?", "é", "claims.x",
];

const UNKNOWN_CLAIMS: &[&str] = &["no.such-claim", "queue.fif", "", "QUEUE.FIFO", "{nope}"];

// ---- the edits -----------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent(usize, i8),
    TabIndent(usize),
    Insert(usize, &'static str),
    Truncate(usize),
    ReplaceValue(usize, &'static str),
    MisspellKey(usize, usize),
    Tree(TreeEdit),
}

#[derive(Debug, Clone)]
enum TreeEdit {
    WrongType(usize, u8),
    RemoveKey(usize),
    AddKey(usize, &'static str),
    RenameKey(usize, &'static str),
    BadDuration(usize, &'static str),
    BadRegex(usize, &'static str),
    CycleVars(u8),
    UndefinedVar(usize),
    UnknownClaim(&'static str),
    Nest(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = any::<usize>;
    let pick = |list: &'static [&'static str]| proptest::sample::select(list);
    prop_oneof![
        n().prop_map(Edit::DeleteLine),
        n().prop_map(Edit::DuplicateLine),
        (n(), n()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (n(), -4i8..=4).prop_map(|(l, by)| Edit::Indent(l, by)),
        n().prop_map(Edit::TabIndent),
        (n(), pick(DEBRIS)).prop_map(|(at, s)| Edit::Insert(at, s)),
        n().prop_map(Edit::Truncate),
        (n(), pick(BAD_VALUES)).prop_map(|(l, v)| Edit::ReplaceValue(l, v)),
        (n(), n()).prop_map(|(l, c)| Edit::MisspellKey(l, c)),
        tree_edit().prop_map(Edit::Tree),
        tree_edit().prop_map(Edit::Tree),
    ]
}

fn tree_edit() -> impl Strategy<Value = TreeEdit> {
    let n = any::<usize>;
    let pick = |list: &'static [&'static str]| proptest::sample::select(list);
    prop_oneof![
        (n(), any::<u8>()).prop_map(|(at, k)| TreeEdit::WrongType(at, k)),
        n().prop_map(TreeEdit::RemoveKey),
        (n(), pick(BAD_NAMES)).prop_map(|(at, k)| TreeEdit::AddKey(at, k)),
        (n(), pick(BAD_NAMES)).prop_map(|(at, k)| TreeEdit::RenameKey(at, k)),
        (n(), pick(BAD_DURATIONS)).prop_map(|(at, d)| TreeEdit::BadDuration(at, d)),
        (n(), pick(BAD_REGEXES)).prop_map(|(at, r)| TreeEdit::BadRegex(at, r)),
        any::<u8>().prop_map(TreeEdit::CycleVars),
        n().prop_map(TreeEdit::UndefinedVar),
        pick(UNKNOWN_CLAIMS).prop_map(TreeEdit::UnknownClaim),
        (n(), 1u8..=80).prop_map(|(at, d)| TreeEdit::Nest(at, d)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let nl = lines.len().max(1);
    let line = |i: usize| i % nl;
    match edit {
        Edit::Tree(t) => return apply_tree(text, t),
        Edit::Insert(at, s) => {
            let at = char_boundary(text, *at);
            return format!("{}{s}{}", &text[..at], &text[at..]);
        }
        Edit::Truncate(at) => return text[..char_boundary(text, *at)].to_owned(),
        _ if lines.is_empty() => return text.to_owned(),
        Edit::DeleteLine(i) => {
            lines.remove(line(*i));
        }
        Edit::DuplicateLine(i) => {
            let l = lines[line(*i)].clone();
            lines.insert(line(*i), l);
        }
        Edit::SwapLines(a, b) => lines.swap(line(*a), line(*b)),
        Edit::Indent(i, by) => {
            let l = &mut lines[line(*i)];
            if *by >= 0 {
                l.insert_str(0, &" ".repeat(*by as usize));
            } else {
                let spaces = l.len() - l.trim_start_matches(' ').len();
                l.drain(..spaces.min(by.unsigned_abs() as usize));
            }
        }
        Edit::TabIndent(i) => {
            let l = &mut lines[line(*i)];
            let spaces = l.len() - l.trim_start_matches(' ').len();
            l.replace_range(..spaces.min(2), "\t");
        }
        Edit::ReplaceValue(i, v) => {
            let l = &mut lines[line(*i)];
            if let Some(colon) = l.find(": ") {
                l.replace_range(colon + 2.., v);
            } else if let Some(dash) = l.find("- ") {
                l.replace_range(dash + 2.., v);
            }
        }
        Edit::MisspellKey(i, c) => {
            let l = &mut lines[line(*i)];
            if let Some(colon) = l.find(':') {
                let key_start = l.len() - l.trim_start_matches([' ', '-']).len();
                if colon > key_start {
                    let at = key_start + c % (colon - key_start);
                    if l.is_char_boundary(at) {
                        l.insert(at, 'x');
                    }
                }
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

// ---- tree edits ----------------------------------------------------------------------

/// A way down the tree: a map's key or a list's index.
#[derive(Clone, Debug)]
enum Step {
    Key(Value),
    Index(usize),
}

/// Every node's path, in document order.
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                here.push(Step::Index(i));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Tagged(t) => paths(&t.value, here, out),
        _ => {}
    }
}

fn node<'a>(mut v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    for step in path {
        if let Value::Tagged(t) = v {
            v = &mut t.value;
        }
        v = match (v, step) {
            (Value::Mapping(m), Step::Key(k)) => m.get_mut(k).expect("path exists"),
            (Value::Sequence(s), Step::Index(i)) => &mut s[*i],
            _ => unreachable!("paths follow the tree"),
        };
    }
    v
}

/// The paths of nodes that satisfy `want` (with the key they are under, if any).
fn find(root: &Value, want: &dyn Fn(Option<&str>, &Value) -> bool) -> Vec<Vec<Step>> {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    all.into_iter()
        .filter(|p| {
            let key = match p.last() {
                Some(Step::Key(Value::String(k))) => Some(k.as_str()),
                _ => None,
            };
            let mut r = root.clone();
            want(key, node(&mut r, p))
        })
        .collect()
}

fn looks_like_duration(v: &Value) -> bool {
    let Value::String(s) = v else { return false };
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.len() < s.len()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn wrong_type(kind: u8) -> Value {
    match kind % 10 {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::Number((-1).into()),
        3 => Value::Number(1.5.into()),
        4 => Value::Number(u64::MAX.into()),
        5 => Value::String("x".into()),
        6 => Value::Sequence(Vec::new()),
        7 => Value::Mapping(Mapping::new()),
        8 => Value::Sequence(vec![Value::Mapping(Mapping::new())]),
        _ => Value::Number(f64::INFINITY.into()),
    }
}

fn apply_tree(text: &str, edit: &TreeEdit) -> String {
    let Ok(mut root) = serde_yaml::from_str::<Value>(text) else {
        return text.to_owned();
    };
    let pick = |found: Vec<Vec<Step>>, i: usize| -> Option<Vec<Step>> {
        (!found.is_empty()).then(|| found[i % found.len()].clone())
    };
    let any = |_: Option<&str>, _: &Value| true;
    let maps = |_: Option<&str>, v: &Value| v.is_mapping();
    match edit {
        TreeEdit::WrongType(i, kind) => {
            if let Some(p) = pick(find(&root, &any), *i) {
                *node(&mut root, &p) = wrong_type(*kind);
            }
        }
        TreeEdit::RemoveKey(i) => {
            let keyed = find(&root, &|k, _| k.is_some());
            if let Some(p) = pick(keyed, *i) {
                let (last, parent) = p.split_last().expect("a key's path");
                if let (Value::Mapping(m), Step::Key(k)) = (node(&mut root, parent), last) {
                    m.remove(k);
                }
            }
        }
        TreeEdit::AddKey(i, key) => {
            if let Some(p) = pick(find(&root, &maps), *i) {
                if let Value::Mapping(m) = node(&mut root, &p) {
                    m.insert(Value::String((*key).into()), Value::String("1".into()));
                }
            }
        }
        TreeEdit::RenameKey(i, key) => {
            let keyed = find(&root, &|k, _| k.is_some());
            if let Some(p) = pick(keyed, *i) {
                let (last, parent) = p.split_last().expect("a key's path");
                if let (Value::Mapping(m), Step::Key(k)) = (node(&mut root, parent), last) {
                    if let Some(v) = m.remove(k) {
                        m.insert(Value::String((*key).into()), v);
                    }
                }
            }
        }
        TreeEdit::BadDuration(i, d) => {
            if let Some(p) = pick(find(&root, &|_, v| looks_like_duration(v)), *i) {
                *node(&mut root, &p) = Value::String((*d).into());
            }
        }
        TreeEdit::BadRegex(i, r) => {
            let regexes = find(&root, &|k, v| k == Some("regex") && v.is_string());
            match pick(regexes, *i) {
                Some(p) => *node(&mut root, &p) = Value::String((*r).into()),
                None => {
                    // No regex here: make a matcher one.
                    let matchers = find(&root, &|k, _| k == Some("match"));
                    if let Some(p) = pick(matchers, *i) {
                        let mut m = Mapping::new();
                        m.insert("regex".into(), Value::String((*r).into()));
                        *node(&mut root, &p) = Value::Mapping(m);
                    }
                }
            }
        }
        TreeEdit::CycleVars(shape) => {
            if let Value::Mapping(m) = &mut root {
                let mut vars = Mapping::new();
                let pairs: &[(&str, &str)] = match shape % 3 {
                    0 => &[("a", "{a}")],
                    1 => &[("a", "{b}"), ("b", "{a}")],
                    _ => &[("a", "x{b}"), ("b", "{c}y"), ("c", "{a}")],
                };
                for (k, v) in pairs {
                    vars.insert((*k).into(), (*v).into());
                }
                m.insert("vars".into(), Value::Mapping(vars));
            }
        }
        TreeEdit::UndefinedVar(i) => {
            let strings = find(&root, &|k, v| v.is_string() && k != Some("id"));
            if let Some(p) = pick(strings, *i) {
                *node(&mut root, &p) = Value::String("{nope}".into());
            }
        }
        TreeEdit::UnknownClaim(c) => {
            if let Value::Mapping(m) = &mut root {
                let mut claims = m
                    .get("claims")
                    .and_then(Value::as_sequence)
                    .cloned()
                    .unwrap_or_default();
                claims.push((*c).into());
                m.insert("claims".into(), Value::Sequence(claims));
            }
        }
        TreeEdit::Nest(i, depth) => {
            if let Some(p) = pick(find(&root, &any), *i) {
                let target = node(&mut root, &p);
                for _ in 0..*depth {
                    *target = Value::Sequence(vec![target.clone()]);
                }
            }
        }
    }
    serde_yaml::to_string(&root).unwrap_or_else(|_| text.to_owned())
}

// ---- the property --------------------------------------------------------------------

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Whether `at` points at something a person can see: not a blank line or a comment (the
/// end of the text is fine: what was missing was missing there), unless it points at the
/// culprit itself there, a tab or a character YAML does not allow.
fn points_at_content(text: &str, at: usize) -> bool {
    if at >= text.trim_end().len() {
        return true;
    }
    let here = text[at..].chars().next().unwrap_or(' ');
    if here == '\t' || (here.is_control() && here != '\n') || here == '\u{feff}' {
        return true;
    }
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let line = text[start..end].trim();
    !line.is_empty() && !line.starts_with('#')
}

fn check_error(text: &str, e: &LoadError) -> Result<(), String> {
    if e.file != Path::new(FAKE) {
        return Err(format!("names another file: {e}"));
    }
    let head = format!("{FAKE}:{}:{}: ", e.line, e.column);
    let shown = e.to_string();
    if !shown.starts_with(&head) || e.message.trim().is_empty() {
        return Err(format!("not shown as file:line:column: message: {shown}"));
    }
    match e.offset() {
        // Nothing in the text to point at: only a file with no document is so.
        None if e.message.starts_with("empty file") => Ok(()),
        None => Err(format!("not located: {shown}")),
        Some(at) if at > text.len() => Err(format!("points past the end: {shown}")),
        Some(at) if !points_at_content(text, at) => {
            Err(format!("points at a blank line or a comment: {shown}"))
        }
        Some(_) => Ok(()),
    }
}

/// Loads `text` as the CLI would; a panic, an unlocated error, or a scenario that loads but
/// does not plan is a failure.
fn holds(text: &str) -> Result<(), String> {
    let f = fixtures();
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        load::parse(Path::new(FAKE), text, &f.catalogue, &BTreeSet::new())
    }))
    .map_err(|p| format!("loading panicked: {}", panic_text(p)))?;
    match loaded {
        Ok((scenario, _)) => {
            let l = Arc::new(Loaded {
                scenario,
                file: PathBuf::from(FAKE),
                family: "mutated".into(),
            });
            catch_unwind(AssertUnwindSafe(|| {
                plan::plan(&[l], &Subjects::Suite, &BTreeMap::new())
            }))
            .map_err(|p| format!("planning panicked: {}", panic_text(p)))?
            .map_err(|e| format!("loads, but does not plan: {e}"))?;
            Ok(())
        }
        Err(errors) if errors.is_empty() => Err("an error without an error".into()),
        Err(errors) => {
            for e in &errors {
                check_error(text, e)?;
            }
            catch_unwind(AssertUnwindSafe(|| diagnostic::render(&errors, false)))
                .map_err(|p| format!("rendering panicked: {}", panic_text(p)))?;
            Ok(())
        }
    }
}

fn run(cases: u32) {
    let f = fixtures();
    let mut config = Config::with_cases(cases);
    // Reproducers go to the malformed corpus, by hand, with the error they must give.
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let strategy = (0..f.seeds.len(), prop::collection::vec(edit(), 1..=3));
    let started = std::time::Instant::now();
    let result = runner.run(&strategy, |(seed, edits)| {
        let mut text = f.seeds[seed].1.clone();
        for e in &edits {
            text = apply(&text, e);
        }
        holds(&text).map_err(|why| {
            TestCaseError::fail(format!(
                "{why}\nseed: {}\nedits: {edits:?}\n--- text ---\n{text}--- end ---",
                f.seeds[seed].0.display()
            ))
        })
    });
    eprintln!("{cases} mutated scenarios in {:.1?}", started.elapsed());
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn cases_from_env(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_scenarios_load_or_fail_located() {
    run(cases_from_env(256));
}

/// The full tier (`cargo test -- --include-ignored`, CI's command).
#[test]
#[ignore = "10,000 cases: the full tier"]
fn ten_thousand_mutated_scenarios_load_or_fail_located() {
    run(cases_from_env(10_000));
}

#[test]
fn every_seed_loads_as_it_is() {
    for (file, text) in &fixtures().seeds {
        holds(text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        load::parse(file, text, &fixtures().catalogue, &BTreeSet::new())
            .unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
    }
}
