//! Library scenarios: actors (threads) and the steps they run against a contract.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::Text;
use crate::judge::class::FailureClass;
use crate::load::duration::Dur;
use crate::matcher::Matcher;

/// One step of an actor: exactly one operation key, plus common keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Queue: `put(item, block, timeout)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<PutOp>,
    /// Queue: `get(block, timeout)`; `get:` alone is a blocking get.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub get: Option<GetOp>,
    /// Queue: `qsize()`.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub qsize: Option<QueueArg>,
    /// Queue: `empty()`.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub empty: Option<QueueArg>,
    /// Queue: `full()`.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub full: Option<QueueArg>,
    /// Queue: `close()`.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub close: Option<QueueArg>,
    /// Event: `set()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub set: Option<NoArgs>,
    /// Event: `clear()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub clear: Option<NoArgs>,
    /// Event: `set()` then `clear()` at once, nothing in between: every waiter the set woke
    /// must still return true.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub set_clear: Option<NoArgs>,
    /// Event: `is_set()`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_set: Option<NoArgs>,
    /// Event: `wait(timeout)`; `wait:` alone waits as long as it takes. Returns the flag.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub wait: Option<WaitOp>,
    /// Lock: `acquire(block, timeout)`; `acquire:` alone blocks. Returns whether it was taken.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub acquire: Option<AcquireOp>,
    /// Lock: `release()`; fails with `not-locked` if nobody holds it.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub release: Option<LockArg>,
    /// Lock: `locked()`.
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub locked: Option<LockArg>,
    /// Lock: `with lock:` around a block that holds it this long, and raises if asked.
    /// Fails with `raised` when the block raised (after the lock was released).
    #[serde(
        default,
        deserialize_with = "present_or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub with: Option<WithOp>,
    /// Lock: take every lock named, all at once or none, through the scenario's lock set
    /// (a waiter); waits holding none of them. Breaks hold and wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquire_all: Option<Vec<String>>,
    /// Lock: give back every lock named, through the lock set (waking its waiters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_all: Option<Vec<String>>,
    /// Lock: take the locks named one after the other; the first as long as it takes, each
    /// next only if free (or within `timeout`); else give back what it holds, back off and
    /// start again. Breaks no preemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<BackOffSchema>")]
    pub acquire_or_back_off: Option<BackOffOp>,
    /// Thread: start a thread with this name whose target runs for a while.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartOp>,
    /// Thread: `is_alive()` of the thread started with this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_alive: Option<String>,
    /// Thread: `join(timeout)`; returns whether the thread had ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<JoinOp>,
    /// Thread: its `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_name: Option<String>,
    /// Thread: its `ident` (a number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ident: Option<String>,
    /// Enter the scenario's critical section: returns how many actors are inside now,
    /// counting this one (a lock that excludes gives `1`). A scheduling point.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub enter: Option<NoArgs>,
    /// `x = x + 1` on the scenario's shared counter, without synchronisation: read, a
    /// scheduling point, write. Returns the value written.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub bump: Option<NoArgs>,
    /// Leave the critical section.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub leave: Option<NoArgs>,
    /// Do nothing for this long (lets another actor block first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<Dur>,
    /// Do nothing until this many threads are blocked waiting inside the subject (subjects
    /// built on the sync facade report it): "they were all waiting" made a fact. Gives up
    /// after 5s on real threads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub await_waiters: Option<u32>,
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

/// Like [`present`], for operations whose arguments all have defaults (`get:`).
fn present_or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d).map(|v| Some(v.unwrap_or_default()))
}

/// Deserialises a present key as `Some` even when its value is empty (`qsize:`).
pub(super) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NoArgs>, D::Error> {
    Option::<NoArgs>::deserialize(d).map(|v| Some(v.unwrap_or_default()))
}

/// Which of the scenario's queues a queue operation acts on (`subject.queues`); without
/// `queue`, the only one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueArg {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
}

/// Which of the scenario's locks a lock operation acts on (`subject.locks`); without `lock`,
/// the only one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LockArg {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
}

/// Lock `acquire`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcquireOp {
    /// Which lock (`subject.locks`); default the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
    /// Python's `blocking`: default true.
    #[serde(default = "yes")]
    pub block: bool,
    /// Python's `timeout`; only with `block: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

impl Default for AcquireOp {
    fn default() -> Self {
        AcquireOp {
            lock: None,
            block: true,
            timeout: None,
        }
    }
}

/// Queue `put`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PutOp {
    /// Which queue (`subject.queues`); default the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// The item (a string or number; `{i}`, `{actor}` and variables are filled in).
    pub item: Text,
    /// Python's `block`: default true.
    #[serde(default = "yes")]
    pub block: bool,
    /// Python's `timeout`; only with `block: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

/// Lock `acquire_or_back_off`: `[A, B]`, or `{ locks: [A, B], timeout: 50ms, pause: 100ms }`.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackOffOp {
    /// The locks, in the order they are taken.
    pub locks: Vec<String>,
    /// How long each lock after the first may be waited for (default: not at all, a try).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
    /// Work done between taking one lock and the next (a sleep; a yield under a checker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause: Option<Dur>,
}

/// How [`BackOffOp`] looks in the JSON Schema: a list of locks, or the map.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum BackOffSchema {
    Locks(Vec<String>),
    Full(BackOffOp),
}

impl<'de> Deserialize<'de> for BackOffOp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            locks: Vec<String>,
            #[serde(default)]
            timeout: Option<Dur>,
            #[serde(default)]
            pause: Option<Dur>,
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = BackOffOp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of locks, or a map with `locks`, `timeout` and `pause`")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<BackOffOp, A::Error> {
                let locks =
                    Vec::<String>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(BackOffOp {
                    locks,
                    ..BackOffOp::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<BackOffOp, A::Error> {
                let f = Full::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(BackOffOp {
                    locks: f.locks,
                    timeout: f.timeout,
                    pause: f.pause,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Thread `start`: `Thread(target=..., name=thread).start()`, the target running for
/// `runs_for` (a sleep; under a checker, a yield).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartOp {
    pub thread: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_for: Option<Dur>,
}

/// Thread `join`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinOp {
    pub thread: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

/// Lock `with`: the block inside `with lock:`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithOp {
    /// Which lock (`subject.locks`); default the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
    /// How long the block holds the lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Dur>,
    /// Whether the block raises (panics) at its end.
    #[serde(default)]
    pub raise: bool,
}

/// Event `wait`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitOp {
    /// How long to wait at most; without it, as long as it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Dur>,
}

/// Queue `get`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetOp {
    /// Which queue (`subject.queues`); default the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
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
            queue: None,
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
    /// Lock: released while nobody held it.
    NotLocked,
    /// Lock: the `with` block raised.
    Raised,
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpError::Empty => "empty",
            OpError::Full => "full",
            OpError::Closed => "closed",
            OpError::NotLocked => "not-locked",
            OpError::Raised => "raised",
        })
    }
}

/// Which kind of instance a step's operation names: a lock or a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceKind {
    Lock,
    Queue,
}

impl Step {
    /// The locks a step takes or gives back together (`acquire_all: [A, B]`), with the
    /// path of the list inside the step.
    pub fn lock_list(&self) -> Option<(&[String], &'static str)> {
        if let Some(l) = &self.acquire_all {
            Some((l, "acquire_all"))
        } else if let Some(l) = &self.release_all {
            Some((l, "release_all"))
        } else {
            self.acquire_or_back_off
                .as_ref()
                .map(|b| (b.locks.as_slice(), "acquire_or_back_off"))
        }
    }

    /// The lock or queue the step names (`acquire: { lock: A }`), with the path of the key
    /// inside the step (`acquire.lock`); None when it names none.
    pub fn instance(&self) -> Option<(InstanceKind, &str, String)> {
        fn lock<'s>(op: &str, name: &'s Option<String>) -> Option<(InstanceKind, &'s str, String)> {
            name.as_deref()
                .map(|n| (InstanceKind::Lock, n, format!("{op}.lock")))
        }
        fn queue<'s>(
            op: &str,
            name: &'s Option<String>,
        ) -> Option<(InstanceKind, &'s str, String)> {
            name.as_deref()
                .map(|n| (InstanceKind::Queue, n, format!("{op}.queue")))
        }
        None.or_else(|| self.acquire.as_ref().and_then(|a| lock("acquire", &a.lock)))
            .or_else(|| self.release.as_ref().and_then(|a| lock("release", &a.lock)))
            .or_else(|| self.locked.as_ref().and_then(|a| lock("locked", &a.lock)))
            .or_else(|| self.with.as_ref().and_then(|a| lock("with", &a.lock)))
            .or_else(|| self.put.as_ref().and_then(|a| queue("put", &a.queue)))
            .or_else(|| self.get.as_ref().and_then(|a| queue("get", &a.queue)))
            .or_else(|| self.qsize.as_ref().and_then(|a| queue("qsize", &a.queue)))
            .or_else(|| self.empty.as_ref().and_then(|a| queue("empty", &a.queue)))
            .or_else(|| self.full.as_ref().and_then(|a| queue("full", &a.queue)))
            .or_else(|| self.close.as_ref().and_then(|a| queue("close", &a.queue)))
    }

    /// A step of the harness's own that calls nothing: `sleep`, `await_waiters`.
    pub fn is_pause(&self) -> bool {
        self.sleep.is_some() || self.await_waiters.is_some()
    }

    /// The operation keys present, by name (a valid step has exactly one).
    pub fn kinds(&self) -> Vec<&'static str> {
        let present = [
            ("put", self.put.is_some()),
            ("get", self.get.is_some()),
            ("qsize", self.qsize.is_some()),
            ("empty", self.empty.is_some()),
            ("full", self.full.is_some()),
            ("close", self.close.is_some()),
            ("set", self.set.is_some()),
            ("clear", self.clear.is_some()),
            ("set_clear", self.set_clear.is_some()),
            ("is_set", self.is_set.is_some()),
            ("wait", self.wait.is_some()),
            ("acquire", self.acquire.is_some()),
            ("release", self.release.is_some()),
            ("locked", self.locked.is_some()),
            ("with", self.with.is_some()),
            ("acquire_all", self.acquire_all.is_some()),
            ("release_all", self.release_all.is_some()),
            ("acquire_or_back_off", self.acquire_or_back_off.is_some()),
            ("enter", self.enter.is_some()),
            ("leave", self.leave.is_some()),
            ("start", self.start.is_some()),
            ("is_alive", self.is_alive.is_some()),
            ("join", self.join.is_some()),
            ("thread_name", self.thread_name.is_some()),
            ("ident", self.ident.is_some()),
            ("bump", self.bump.is_some()),
            ("sleep", self.sleep.is_some()),
            ("await_waiters", self.await_waiters.is_some()),
        ];
        present
            .iter()
            .filter(|(_, p)| *p)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Every operation key a step may have.
    pub const KINDS: &'static [&'static str] = &[
        "put",
        "get",
        "qsize",
        "empty",
        "full",
        "close",
        "set",
        "clear",
        "set_clear",
        "is_set",
        "wait",
        "acquire",
        "release",
        "locked",
        "with",
        "acquire_all",
        "release_all",
        "acquire_or_back_off",
        "enter",
        "leave",
        "bump",
        "start",
        "is_alive",
        "join",
        "thread_name",
        "ident",
        "sleep",
        "await_waiters",
    ];
}
