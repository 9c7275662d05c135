//! One evidence model for every explorer and observer: timestamped events (who did what,
//! when) plus observations (the process tree, CPU, ...), kept with each verdict.

use serde::{Deserialize, Serialize};

/// Everything seen during one trial.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Evidence {
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
}

/// Something an actor did or underwent, at `at_us` microseconds after the trial started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at_us: u64,
    pub actor: String,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Where in the scenario a step ran: an actor's step index and its round (`repeat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StepAt {
    pub step: usize,
    pub round: u32,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EventKind {
    /// An operation was called (`call` is its readable form: `put("a", block=False)`;
    /// `arg` the item it passes, if any).
    Call {
        at: StepAt,
        call: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        arg: Option<String>,
    },
    /// It returned a value (`value`), or nothing (`None`).
    Returned { at: StepAt, value: Option<String> },
    /// It failed with a contract error (`empty`, `full`, `closed`).
    Failed { at: StepAt, error: String },
    /// It panicked; the actor stops.
    Panicked { at: StepAt, message: String },
    /// It was still running at its deadline and was given up on; the actor stops.
    Abandoned { at: StepAt, waited_us: u64 },
    /// The trial's subject was built.
    Started { subject: String },
    /// Every actor finished or was given up on.
    Finished,
    /// A checker (loom, shuttle) explored the scenario: one passed check, or the checks that
    /// broke in the failing execution (a deadlock and a panic are checks too). The events
    /// before it are the failing execution's (their times are logical steps).
    Explored {
        explorer: String,
        checks: Vec<crate::judge::Check>,
        /// shuttle: the failing execution's schedule, as `--schedule` takes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schedule: Option<String>,
    },
    /// Under a checker that found a deadlock: what this actor (or a thread it started) held
    /// when everything stopped, and the lock it was waiting to take, as the lock observer
    /// and the scenario's own lock steps saw them (see `run/watch.rs`).
    Holding {
        held: Vec<LockUse>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wants: Option<LockUse>,
    },
    /// The lock-order graph of the run (of the execution, under a checker), as a lock-order
    /// checker (Linux's lockdep) builds it: how many locks and edges (B taken while A was
    /// held), and its cycles, each as its edges in order. Recorded when the scenario asserts
    /// `lock_order`.
    LockOrder {
        locks: usize,
        edges: usize,
        cycles: Vec<Vec<LockEdge>>,
    },
    /// Free text from the harness (e.g. why a worker was killed).
    Note { text: String },
    /// A regex's named group matched this in a line the program printed: `{name}` in later
    /// steps and assertions.
    Captured { name: String, value: String },
    /// A line the program printed (`stream` is `stdout` or `stderr`).
    Output { stream: String, text: String },
    /// Bytes on the wire between the harness (`actor` is the client's name) and the program.
    Wire {
        sent: bool,
        data: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ended: Option<String>,
    },
    /// A process of the program's tree was reaped.
    Reaped { pid: i32, exit: String },
    /// The observer saw a change in the tree: `born`, `adopted` (its parent changed),
    /// `zombie` (it exited and nobody waited yet), `gone`.
    Process {
        pid: i32,
        what: String,
        detail: String,
    },
    /// A program step finished: what it expected and what it saw.
    StepDone {
        step: usize,
        what: String,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        class: Option<crate::judge::class::FailureClass>,
        expected: String,
        observed: String,
    },
}

/// A lock taken, or wanted, and where: one of the scenario's locks (taken by a step), or a
/// mutex of the sync facade (taken at a line of code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockUse {
    /// Which lock, unique in the trial: `lock A` for the scenario's lock `A`, `mutex@ADDR`
    /// for a facade mutex.
    pub key: String,
    /// The lock in words: `A`, `` `fork 1` ``, `the Mutex made at impls/src/...:18`.
    pub lock: String,
    /// The scenario's lock: the step that takes it (or took it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<StepAt>,
    /// A facade mutex: where in the code it is taken (`file:line`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// An edge of the lock-order graph: `then` was taken while `first` was held, by `thread`
/// (an actor's name), the first time this order was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockEdge {
    pub thread: String,
    pub first: LockUse,
    pub then: LockUse,
}

/// A measurement of the subject at a moment (filled by program observers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub at_us: u64,
    pub what: String,
    pub value: serde_json::Value,
}

impl Evidence {
    /// The events of one actor's step, in order.
    pub fn of_step<'a>(
        &'a self,
        actor: &'a str,
        at: StepAt,
    ) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| e.actor == actor && e.kind.step() == Some(at))
    }
}

impl EventKind {
    pub fn step(&self) -> Option<StepAt> {
        match self {
            EventKind::Call { at, .. }
            | EventKind::Returned { at, .. }
            | EventKind::Failed { at, .. }
            | EventKind::Panicked { at, .. }
            | EventKind::Abandoned { at, .. } => Some(*at),
            _ => None,
        }
    }
}
