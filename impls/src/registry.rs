//! Every library subject by name: the reference (`ref`), the mutants (`mutant:NAME`) and the
//! harness's own test fixtures (`fixture:NAME`), with the scenarios that must catch each
//! mutant and the failure class they must report.

use std::sync::Arc;

use crate::contracts::queue::Queue;
use crate::fixtures::{BadQueue, Misbehaviour};
use crate::mutants::queue::{MutantQueue, QueueBug};
use crate::reference::queue::RefQueue;

/// The contracts a library subject can implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contract {
    Queue,
}

impl Contract {
    pub const ALL: &'static [Contract] = &[Contract::Queue];

    pub fn name(self) -> &'static str {
        match self {
            Contract::Queue => "queue",
        }
    }

    pub fn from_name(name: &str) -> Option<Contract> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// What a subject is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A correct implementation: must pass every applicable scenario.
    Reference,
    /// A broken one: must be caught by every scenario in `caught_by`.
    Mutant,
    /// Misbehaves outside the contract, to test the harness (never in the default suite).
    Fixture,
}

/// A scenario that must catch a mutant, and the failure class it must report.
#[derive(Debug, Clone, Copy)]
pub struct Catch {
    pub scenario: &'static str,
    pub class: &'static str,
    /// The explorer that must catch it: `threads`, `loom` or `shuttle`.
    pub explorer: &'static str,
}

/// A library subject.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub name: &'static str,
    pub contract: Contract,
    pub role: Role,
    pub about: &'static str,
    pub caught_by: &'static [Catch],
}

const fn mutant(name: &'static str, about: &'static str, caught_by: &'static [Catch]) -> Subject {
    Subject {
        name,
        contract: Contract::Queue,
        role: Role::Mutant,
        about,
        caught_by,
    }
}

const fn catch(scenario: &'static str, class: &'static str) -> Catch {
    Catch {
        scenario,
        class,
        explorer: "threads",
    }
}

/// A catch under a checker (`loom` or `shuttle`).
const fn catch_by(explorer: &'static str, scenario: &'static str, class: &'static str) -> Catch {
    Catch {
        scenario,
        class,
        explorer,
    }
}

static SUBJECTS: &[Subject] = &[
    Subject {
        name: "ref",
        contract: Contract::Queue,
        role: Role::Reference,
        about: "the reference queue: one lock, two condition variables",
        caught_by: &[],
    },
    mutant(
        "mutant:queue-lifo",
        "get takes the newest item: a stack, not a queue",
        &[catch("queue.fifo", "wrong-order"), catch_by("shuttle", "queue.handoff", "wrong-order")],
    ),
    mutant(
        "mutant:queue-ignores-maxsize",
        "put ignores maxsize and never reports Full",
        &[
            catch("queue.put-nonblocking-full", "missing-error"),
            catch("queue.full-reports", "wrong-result"),
        ],
    ),
    mutant(
        "mutant:queue-lost-wakeup",
        "put forgets to notify a waiting getter",
        &[
            catch("queue.get-blocks-until-put", "never-returned"),
            catch_by("loom", "queue.get-blocks-until-put", "deadlock"),
            catch_by("shuttle", "queue.get-blocks-until-put", "deadlock"),
        ],
    ),
    mutant(
        "mutant:queue-get-timeout-early",
        "get(timeout=t) gives up after t/4",
        &[catch("queue.get-timeout-empty", "timeout-early")],
    ),
    mutant(
        "mutant:queue-get-timeout-never",
        "get(timeout=t) ignores the timeout and waits forever",
        &[catch("queue.get-timeout-empty", "timeout-late")],
    ),
    mutant(
        "mutant:queue-close-forgets-waiters",
        "close() wakes nobody: a getter already waiting sleeps forever",
        &[
            catch("queue.close-wakes-getter", "never-returned"),
            catch_by("loom", "queue.close-wakes-getter", "deadlock"),
            catch_by("shuttle", "queue.close-wakes-getter", "deadlock"),
        ],
    ),
    mutant(
        "mutant:queue-close-drops-items",
        "close() throws away the items still queued",
        &[catch("queue.close-drains", "unexpected-error")],
    ),
    mutant(
        "mutant:queue-put-never-waits",
        "put on a full queue fails at once, whatever block and timeout say",
        &[
            catch("queue.put-blocks-until-get", "unexpected-error"),
            catch("queue.put-timeout-full", "timeout-early"),
        ],
    ),
    mutant(
        "mutant:queue-maxsize-zero-is-full",
        "maxsize 0 is taken literally: the queue is always full",
        &[catch("queue.unbounded", "unexpected-error")],
    ),
    mutant(
        "mutant:queue-racy-put",
        "put appends to a copy outside the lock and writes it back: racing puts and gets lose items",
        &[catch("queue.soak", "lost-item"), catch_by("shuttle", "queue.handoff", "lost-item")],
    ),
    mutant(
        "mutant:queue-nonblocking-get-waits",
        "get(block=False) on an empty queue waits a second before failing",
        &[catch("queue.get-nonblocking-empty", "blocked")],
    ),
    Subject {
        name: "fixture:queue-panics",
        contract: Contract::Queue,
        role: Role::Fixture,
        about: "every operation panics",
        caught_by: &[],
    },
    Subject {
        name: "fixture:queue-hangs",
        contract: Contract::Queue,
        role: Role::Fixture,
        about: "every operation blocks forever",
        caught_by: &[],
    },
];

/// A broken *program*: a command line (relative to the project root) that a program
/// scenario must catch.
#[derive(Debug, Clone, Copy)]
pub struct ProgramMutant {
    pub name: &'static str,
    pub about: &'static str,
    pub command: &'static str,
    pub caught_by: &'static [Catch],
}

static PROGRAM_MUTANTS: &[ProgramMutant] = &[
    ProgramMutant {
        name: "mutant:py-echo-no-reply",
        about: "an echo server that reads but never answers",
        command: "python3 examples/mutants/echo_server_no_reply.py",
        caught_by: &[catch("servers.echo-hardcoded-port", "no-reply")],
    },
    ProgramMutant {
        name: "mutant:py-echo-spins",
        about: "a select server that leaves every socket in the write list and spins",
        command: "python3 examples/mutants/echo_server_spins.py",
        caught_by: &[catch("servers.echo-idle-cpu", "busy-loop")],
    },
    ProgramMutant {
        name: "mutant:py-fork-never-waits",
        about: "a parent that never waits for its child (a zombie until it exits)",
        command: "python3 examples/mutants/fork_never_waits.py",
        caught_by: &[catch("process.fork-wait-reaps", "zombie")],
    },
    ProgramMutant {
        name: "mutant:py-chat-client-wrong-login",
        about: "a chat client that logs in without the `L` command",
        command: "python3 examples/mutants/chat_client_wrong_login.py",
        caught_by: &[catch("chat.client-login-and-chat", "wrong-reply")],
    },
];

/// Every program mutant.
pub fn program_mutants() -> &'static [ProgramMutant] {
    PROGRAM_MUTANTS
}

/// Every library subject, references first.
pub fn subjects() -> &'static [Subject] {
    SUBJECTS
}

/// The subject called `name`, if any.
pub fn find(name: &str) -> Option<&'static Subject> {
    SUBJECTS.iter().find(|s| s.name == name)
}

/// Builds the queue subject called `name` with the given `maxsize`.
pub fn make_queue<T: Send + Clone + 'static>(
    name: &str,
    maxsize: usize,
) -> Option<Arc<dyn Queue<T>>> {
    let bug = |bug| -> Arc<dyn Queue<T>> { Arc::new(MutantQueue::new(maxsize, bug)) };
    Some(match name {
        "ref" => Arc::new(RefQueue::new(maxsize)),
        "mutant:queue-lifo" => bug(QueueBug::Lifo),
        "mutant:queue-ignores-maxsize" => bug(QueueBug::IgnoresMaxsize),
        "mutant:queue-lost-wakeup" => bug(QueueBug::LostWakeup),
        "mutant:queue-get-timeout-early" => bug(QueueBug::GetTimeoutEarly),
        "mutant:queue-get-timeout-never" => bug(QueueBug::GetTimeoutNever),
        "mutant:queue-nonblocking-get-waits" => bug(QueueBug::NonBlockingGetWaits),
        "mutant:queue-close-forgets-waiters" => bug(QueueBug::CloseForgetsWaiters),
        "mutant:queue-close-drops-items" => bug(QueueBug::CloseDropsItems),
        "mutant:queue-put-never-waits" => bug(QueueBug::PutNeverWaits),
        "mutant:queue-maxsize-zero-is-full" => bug(QueueBug::MaxsizeZeroIsFull),
        "mutant:queue-racy-put" => bug(QueueBug::RacyPut),
        "fixture:queue-panics" => Arc::new(BadQueue(Misbehaviour::Panics)),
        "fixture:queue-hangs" => Arc::new(BadQueue(Misbehaviour::Hangs)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_queue_subject_can_be_built() {
        for s in subjects() {
            assert!(
                make_queue::<u8>(s.name, 1).is_some(),
                "{} cannot be built",
                s.name
            );
        }
    }

    #[test]
    fn every_mutant_names_a_scenario_that_catches_it() {
        for s in subjects().iter().filter(|s| s.role == Role::Mutant) {
            assert!(!s.caught_by.is_empty(), "{} is caught by nothing", s.name);
        }
    }
}
