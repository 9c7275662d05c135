//! The scenario language: the typed form of one scenario file.
//!
//! Every struct denies unknown keys. Steps and assertions are "one of several keys" records:
//! exactly one kind key (`put`, `get`, ...) plus common keys (`label`, `expect`, ...); the
//! loader checks that exactly one kind key is present (see `validate.rs`). The format is
//! documented, with an example for every kind, in docs/scenario-format.md.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::duration::Dur;
use crate::judge::class::FailureClass;
use crate::matcher::Matcher;

/// One scenario: what to do to a subject and what must be observed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique across the suite, dotted: `queue.fifo`.
    pub id: String,
    /// One line saying what the scenario shows.
    pub title: String,
    /// Longer explanation: why a subject would fail it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Claim ids from the catalogue (harness/catalogue/claims.yaml) this scenario checks.
    pub claims: Vec<String>,
    /// What kind of subject it runs against.
    pub subject: SubjectSpec,
    /// Which explorers apply (library subjects). Default: `[threads]`.
    #[serde(default = "default_explore")]
    pub explore: Vec<Explorer>,
    /// Variables, used as `{name}` in any string; `--var name=value` overrides them.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// The default level of every check in this scenario (`MUST`, `SHOULD`, `INFO`, or a
    /// `{var}`). Default: `MUST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    /// A slow scenario runs only in the full tier (`cargo test -- --include-ignored`).
    #[serde(default)]
    pub slow: bool,
    /// The deadline of one trial; past it the subject is killed and the trial is `error`.
    /// Default: 30s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
    /// Library scenarios: named actors (threads), each a list of steps run in order.
    #[serde(default)]
    pub actors: BTreeMap<String, Vec<Step>>,
    /// Checks over the whole run, beyond each step's `expect`.
    #[serde(default, rename = "assert")]
    pub asserts: Vec<Assertion>,
}

fn default_explore() -> Vec<Explorer> {
    vec![Explorer::Threads]
}

/// The subject: a library contract, or a program's command line.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectSpec {
    /// A library contract: `queue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractName>,
    /// Parameters for the library subject's constructor.
    #[serde(default)]
    pub params: Params,
    /// A program's command line; `{ref:NAME}` names a reference program. `--target` replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Text>,
}

/// The contracts a library scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ContractName {
    Queue,
}

/// Constructor parameters of a library subject.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Queue: the most items it holds; 0 means unbounded.
    #[serde(default)]
    pub maxsize: u32,
}

/// How a scenario is explored.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Explorer {
    /// Real OS threads in real time, with timing windows.
    Threads,
    /// Exhaustive interleavings with loom (subjects built on the sync facade).
    Loom,
    /// Random and PCT interleavings with shuttle (subjects built on the sync facade).
    Shuttle,
}

impl fmt::Display for Explorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Explorer::Threads => "threads",
            Explorer::Loom => "loom",
            Explorer::Shuttle => "shuttle",
        })
    }
}

/// One step of an actor: exactly one operation key, plus common keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Queue: `put(item, block, timeout)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<PutOp>,
    /// Queue: `get(block, timeout)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get: Option<GetOp>,
    /// Queue: `qsize()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub qsize: Option<NoArgs>,
    /// Queue: `empty()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub empty: Option<NoArgs>,
    /// Queue: `full()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub full: Option<NoArgs>,
    /// Queue: `close()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub close: Option<NoArgs>,
    /// Do nothing for this long (lets another actor block first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<Dur>,
    /// A name other steps refer to (`not_before: LABEL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Run the step this many times; `{i}` in its strings is the round, from 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    /// What the operation must do. Without it, the operation must succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// An operation that takes no arguments: written `qsize:` or `qsize: {}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// Deserialises a present key as `Some` even when its value is empty (`qsize:`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NoArgs>, D::Error> {
    Option::<NoArgs>::deserialize(d).map(|v| Some(v.unwrap_or_default()))
}

/// Queue `put`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PutOp {
    /// The item (a string or number; `{i}`, `{actor}` and variables are filled in).
    pub item: Text,
    /// Python's `block`: default true.
    #[serde(default = "yes")]
    pub block: bool,
    /// Python's `timeout`; only with `block: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

/// Queue `get`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetOp {
    /// Python's `block`: default true.
    #[serde(default = "yes")]
    pub block: bool,
    /// Python's `timeout`; only with `block: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

impl Default for GetOp {
    fn default() -> Self {
        GetOp {
            block: true,
            timeout: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// What an operation must do.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The value it returns must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Matcher>,
    /// It must fail with this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OpError>,
    /// It must take about this long: at least 0.6x and under 10x (CPython's own window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Dur>,
    /// It must return in less than this (a call that must not block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
    /// It must not return before the step labelled so has started: it blocked until released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// The failure class a wrong value means here (default `wrong-result`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<FailureClass>,
    /// The level of these checks (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
}

/// The errors a contract operation can fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OpError {
    /// `queue.Empty`
    Empty,
    /// `queue.Full`
    Full,
    /// The queue was closed.
    Closed,
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpError::Empty => "empty",
            OpError::Full => "full",
            OpError::Closed => "closed",
        })
    }
}

/// A check over the whole run: exactly one kind key, plus common keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// Every item the `from` actors put was got exactly once by the `by` actors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub got_all: Option<GotAll>,
    /// The level of this check (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
}

/// See [`Assertion::got_all`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GotAll {
    pub from: Vec<String>,
    pub by: Vec<String>,
}

/// A string that may hold `{variables}`; numbers and booleans are taken as their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_text(d).map(Text)
    }
}

/// Reads a YAML scalar (string, number, bool) as its text; anything else is an error.
pub(crate) fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or number")
        }
        fn visit_str<E>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_i64<E>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

impl Step {
    /// The operation keys present, by name (a valid step has exactly one).
    pub fn kinds(&self) -> Vec<&'static str> {
        let present = [
            ("put", self.put.is_some()),
            ("get", self.get.is_some()),
            ("qsize", self.qsize.is_some()),
            ("empty", self.empty.is_some()),
            ("full", self.full.is_some()),
            ("close", self.close.is_some()),
            ("sleep", self.sleep.is_some()),
        ];
        present
            .iter()
            .filter(|(_, p)| *p)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Every operation key a step may have.
    pub const KINDS: &'static [&'static str] =
        &["put", "get", "qsize", "empty", "full", "close", "sleep"];
}

impl Assertion {
    pub fn kinds(&self) -> Vec<&'static str> {
        [("got_all", self.got_all.is_some())]
            .iter()
            .filter(|(_, p)| *p)
            .map(|(k, _)| *k)
            .collect()
    }

    pub const KINDS: &'static [&'static str] = &["got_all"];
}
