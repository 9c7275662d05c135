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

mod fixture;
mod library;
mod program;

pub use fixture::{digest, Fixture};
pub use library::*;
pub use program::*;

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
    /// Run only when these variables have these values (after `--var`): e.g.
    /// `only_if: { reply: "{message}" }` for a scenario about echo servers, skipped for a
    /// server that answers a fixed text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub only_if: BTreeMap<String, Text>,
    /// The reference itself must fail with this class: the scenario demonstrates a hazard
    /// (a race) that the checkers find. Only under `loom` and `shuttle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstrates: Option<crate::judge::class::FailureClass>,
    /// How much the checkers explore (loom and shuttle trials only).
    #[serde(default)]
    pub budget: Budget,
    /// Library scenarios: named actors (threads), each a list of steps run in order.
    #[serde(default)]
    pub actors: BTreeMap<String, Vec<Step>>,
    /// Program scenarios: steps run in order against the program.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<ProgramStep>,
    /// Checks over the whole run, beyond each step's `expect`.
    #[serde(default, rename = "assert")]
    pub asserts: Vec<Assertion>,
}

/// What the checkers may spend on a scenario.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// loom: at most this many preemptions per execution (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemptions: Option<usize>,
    /// shuttle: random schedules tried, and as many PCT schedules (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// shuttle: the seed of the random schedules (default 1); a run is replayed with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
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
    /// Lock scenarios: several locks, each a subject of its own, by name (`[A, B]`); steps
    /// name one with `lock: A`. Default: one lock, which steps need not name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<String>,
    /// Lock scenarios: counting semaphores by name and size (`{ seats: 4 }`), which steps
    /// name as they name locks (`acquire: { lock: seats }`). Always the reference
    /// semaphore, whatever lock is under test.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub semaphores: BTreeMap<String, u32>,
    /// Queue scenarios: several queues by name (`[requests, replies]`); steps name one with
    /// `queue: requests`. Default: one queue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// A program's command line; `{ref:NAME}` names a reference program. `--target` replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Text>,
    /// Program: fixture files written into its working directory, path → its text,
    /// `{ size: BYTES }` or `{ dir: true }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Fixture>,
    /// Program: absolute paths it hard-codes, mapped onto folders of its working directory
    /// (in a mount namespace): `/home/tarena/FTP: ftp`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mounts: BTreeMap<String, String>,
    /// Program: sockets the harness opens before it starts (to drive client programs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serve: Vec<Serve>,
    /// Program: when it is ready to be driven (default: it listens or binds a port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<Ready>,
    /// Program: limits of its whole process tree (defaults in docs/limits.md).
    #[serde(default)]
    pub limits: Limits,
    /// Program: the server models the scenario applies to. The suite runs it against the
    /// reference servers of these models; `--target` programs run it when their `--model`
    /// is one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<Model>,
}

impl SubjectSpec {
    /// The names of the scenario's locks or queues, as `subject` declares them (empty: one,
    /// unnamed).
    pub fn instances(&self, kind: InstanceKind) -> &[String] {
        match kind {
            InstanceKind::Lock => &self.locks,
            InstanceKind::Queue => &self.queues,
        }
    }

    /// Every name a step may give as its `lock`: the locks, then the semaphores.
    pub fn lock_names(&self) -> Vec<String> {
        self.locks
            .iter()
            .chain(self.semaphores.keys())
            .cloned()
            .collect()
    }

    /// A program scenario (a command line, or server models), not a library one.
    pub fn is_program(&self) -> bool {
        self.program.is_some() || !self.models.is_empty()
    }
}

/// The contracts a library scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ContractName {
    Queue,
    Event,
    Lock,
    Thread,
}

impl ContractName {
    /// The operations a step may name for this contract (`sleep`, `enter` and `leave` are
    /// the harness's own and go with any).
    pub fn ops(self) -> &'static [&'static str] {
        match self {
            ContractName::Queue => &["put", "get", "qsize", "empty", "full", "close"],
            ContractName::Event => &["set", "set_clear", "clear", "is_set", "wait"],
            ContractName::Lock => &[
                "acquire",
                "release",
                "locked",
                "with",
                "acquire_all",
                "release_all",
                "acquire_or_back_off",
            ],
            ContractName::Thread => &["start", "is_alive", "join", "thread_name", "ident"],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ContractName::Queue => "queue",
            ContractName::Event => "event",
            ContractName::Lock => "lock",
            ContractName::Thread => "thread",
        }
    }
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

/// A check over the whole run: exactly one kind key, plus common keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// Every item the `from` actors put was got exactly once by the `by` actors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub got_all: Option<GotAll>,
    /// The shared counter's final value (after every `bump`): no update was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
    /// Library: the lock-order graph of the run (B taken while A is held gives A → B) has
    /// no cycle: no two places take the same locks in opposite orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_order: Option<LockOrderAssert>,
    /// Program: the CPU its tree used over the last part of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuAssert>,
    /// Program: how many live processes its tree had, at every sample of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<Bounds>,
    /// Program: how many threads each of its processes had, at every sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<Bounds>,
    /// Program: zombies (exited children nobody waited for) in its tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zombies: Option<ZombieAssert>,
    /// Program: while idle, it waits in this system call family (`select`, `poll`, `epoll`,
    /// `accept`, `read`), as /proc shows: proof of the mechanism it claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks_in: Option<Syscall>,
    /// Program: its epoll watches are edge-triggered (EPOLLET), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_triggered: Option<bool>,
    /// Program: say which server model the program looks like from /proc (the system call
    /// it waits in, its processes and threads). Informational: it always holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<bool>,
    /// Program: a process whose pid it printed was, at some sample, the child of another:
    /// `{ child: "{child}", parent: "{parent}" }` with captures of its output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_of: Option<ParentOf>,
    /// Program: a number it printed (a capture) lies in a window: `{ value: "{ms}", min:
    /// 180, max: 3000 }` (a time it measured itself, a count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<NumberAssert>,
    /// Program: how many different values a capture took over every line it matched
    /// (`{ capture: worker, count: "{size}" }`: a pool's distinct worker pids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<Distinct>,
    /// The level of this check (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
}

/// `lock_order: acyclic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LockOrderAssert {
    /// No cycle in the lock-order graph.
    Acyclic,
}

/// See [`Assertion::parent_of`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentOf {
    /// The child's pid: a capture (`"{child}"`) or a number.
    pub child: Text,
    /// Its parent's pid.
    pub parent: Text,
}

/// See [`Assertion::number`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberAssert {
    /// The number: a capture (`"{ms}"`) or a variable.
    pub value: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// See [`Assertion::distinct`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distinct {
    /// The name of a regex's named group.
    pub capture: String,
    /// How many different values it must have taken: a number, or a capture or variable.
    pub count: Text,
}

/// See [`Assertion::got_all`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GotAll {
    pub from: Vec<String>,
    pub by: Vec<String>,
}

/// `cpu: { max_percent: 5, over: 1s }`: the tree's CPU use (100 = one core) over the last
/// `over` of the run stays at or under `max_percent`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CpuAssert {
    pub max_percent: f64,
    pub over: Dur,
}

/// `{ min: 1, max: 3 }`: bounds that every sample must respect.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// `zombies: { max_age: 500ms }` (none lasts longer) or `zombies: { seen: true }` (one appears
/// and is seen in two samples or more, 50ms apart).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZombieAssert {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<Dur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<bool>,
}

/// A string that may hold `{variables}`; numbers and booleans are taken as their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Text(#[schemars(with = "TextSchema")] pub String);

/// How [`Text`] looks in the JSON Schema: any scalar.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum TextSchema {
    String(String),
    Number(f64),
    Bool(bool),
}

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

impl Assertion {
    pub fn kinds(&self) -> Vec<&'static str> {
        [
            ("got_all", self.got_all.is_some()),
            ("counter", self.counter.is_some()),
            ("lock_order", self.lock_order.is_some()),
            ("cpu", self.cpu.is_some()),
            ("processes", self.processes.is_some()),
            ("threads", self.threads.is_some()),
            ("zombies", self.zombies.is_some()),
            ("blocks_in", self.blocks_in.is_some()),
            ("edge_triggered", self.edge_triggered.is_some()),
            ("mechanism", self.mechanism.is_some()),
            ("parent_of", self.parent_of.is_some()),
            ("distinct", self.distinct.is_some()),
            ("number", self.number.is_some()),
        ]
        .iter()
        .filter(|(_, p)| *p)
        .map(|(k, _)| *k)
        .collect()
    }

    pub const KINDS: &'static [&'static str] = &[
        "got_all",
        "counter",
        "lock_order",
        "cpu",
        "processes",
        "threads",
        "zombies",
        "blocks_in",
        "edge_triggered",
        "mechanism",
        "parent_of",
        "distinct",
        "number",
    ];
}
