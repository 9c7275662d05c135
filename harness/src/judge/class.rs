//! The vocabulary of grading: levels, outcomes and failure classes.
//!
//! Every failing check carries a [`FailureClass`]; the list is documented in
//! docs/failure-classes.md and later mechanisms extend it here.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much a check matters: RFC 2119's MUST and SHOULD, and INFO (reported, never failing).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Must,
    Should,
    Info,
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "MUST" => Ok(Level::Must),
            "SHOULD" => Ok(Level::Should),
            "INFO" => Ok(Level::Info),
            _ => Err(format!(
                "bad level `{s}`: expected `MUST`, `SHOULD` or `INFO`"
            )),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::Info => "INFO",
        })
    }
}

/// The graded outcome of one trial, as Autobahn grades.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every MUST and SHOULD held.
    Pass,
    /// Only SHOULDs broke.
    NonStrict,
    /// Only informational checks ran; nothing was judged.
    Informational,
    /// Not applicable to this subject.
    Skipped,
    /// The harness could not judge (the subject hung, panicked, or could not start).
    Error,
    /// A MUST broke.
    Fail,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::NonStrict => "non-strict",
            Outcome::Informational => "informational",
            Outcome::Skipped => "skipped",
            Outcome::Error => "error",
            Outcome::Fail => "fail",
        }
    }

    /// Whether a run with this outcome counts as good for the exit code.
    pub fn is_ok(self) -> bool {
        matches!(
            self,
            Outcome::Pass | Outcome::NonStrict | Outcome::Informational | Outcome::Skipped
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

macro_rules! classes {
    ($($variant:ident = $name:literal : $about:literal,)*) => {
        /// Why a check failed, in words a student can look up in docs/failure-classes.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "kebab-case")]
        pub enum FailureClass { $($variant,)* }

        impl FailureClass {
            pub const ALL: &'static [FailureClass] = &[$(FailureClass::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(FailureClass::$variant => $name,)* }
            }

            /// What the class means, in one sentence.
            pub fn about(self) -> &'static str {
                match self { $(FailureClass::$variant => $about,)* }
            }
        }
    };
}

classes! {
    WrongResult = "wrong-result": "an operation returned a value other than the one expected",
    WrongOrder = "wrong-order": "items came out in another order than they went in",
    WrongReply = "wrong-reply": "a program answered, but not what the protocol says",
    NoReply = "no-reply": "a program did not answer within the time allowed",
    MissingError = "missing-error": "an operation succeeded where it must fail (e.g. put on a full queue with block=False)",
    UnexpectedError = "unexpected-error": "an operation failed where it must succeed",
    TimeoutEarly = "timeout-early": "a call with a timeout gave up before 0.6x its timeout",
    TimeoutLate = "timeout-late": "a call with a timeout was still waiting at 10x its timeout",
    Blocked = "blocked": "a call that must return at once (non-blocking) waited",
    AppearedNotToBlock = "appeared-not-to-block": "a blocking call returned before what releases it happened",
    NeverReturned = "never-returned": "a blocking call was never released although what releases it happened (a lost wakeup)",
    LostItem = "lost-item": "an item put was never got",
    LostUpdate = "lost-update": "an update of a shared variable was overwritten by another thread's (a race)",
    DuplicateItem = "duplicate-item": "an item was got more than once",
    Deadlock = "deadlock": "threads wait for each other in a cycle and none can go on",
    LockOrder = "lock-order": "locks were taken in orders that form a cycle (B while holding A in one place, A while holding B in another): a deadlock waiting to happen, even if this run did not deadlock",
    Zombie = "zombie": "a child process exited and was never waited for",
    BusyLoop = "busy-loop": "the program uses CPU while it has nothing to do",
    Crashed = "crashed": "the subject died (a signal, or an exit it should not make)",
    Panicked = "panicked": "the subject panicked (raised) in an operation",
    Hung = "hung": "the subject did not finish within the trial's deadline and was killed",
    NeverReady = "never-ready": "the program never listened or bound a socket in time",
    CannotStart = "cannot-start": "the program could not be started (not found, not executable)",
    WrongFile = "wrong-file": "a file the program writes, or must leave alone, is missing, different, or there when it must not be",
    Refused = "refused": "the program did not accept a connection",
    MissingOutput = "missing-output": "the program did not print what was expected in time",
    NoExit = "no-exit": "the program did not exit in time",
    WrongStatus = "wrong-status": "the program exited with another status than expected",
    RepliedTooSoon = "replied-too-soon": "a reply came while the program should still be busy with another client",
    WrongTree = "wrong-tree": "the program's processes or threads were not what its model promises (one per client, gone when the client leaves)",
    WrongMechanism = "wrong-mechanism": "the program does not wait in the system call its model names (a select server that never calls select)",
    LeakedProcess = "leaked-process": "a process of the subject outlived it",
    HarnessError = "harness-error": "the harness itself could not run the trial",
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FailureClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown failure class `{s}`"))
    }
}
