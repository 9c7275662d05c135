//! Every library subject by name: the reference (`ref`), the mutants (`mutant:NAME`) and the
//! harness's own test fixtures (`fixture:NAME`), with the scenarios that must catch each
//! mutant and the failure class they must report.

use std::sync::Arc;

use crate::contracts::event::Event;
use crate::contracts::lock::Lock;
use crate::contracts::queue::Queue;
use crate::contracts::thread::Threads;
use crate::fixtures::{BadQueue, Misbehaviour};
use crate::mutants::queue::{MutantQueue, QueueBug};
use crate::reference::queue::RefQueue;

mod programs;
mod projects;
pub use programs::{program_subjects, ProgramSubject};

/// The contracts a library subject can implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contract {
    Queue,
    Event,
    Lock,
    Thread,
}

impl Contract {
    pub const ALL: &'static [Contract] = &[
        Contract::Queue,
        Contract::Event,
        Contract::Lock,
        Contract::Thread,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Contract::Queue => "queue",
            Contract::Event => "event",
            Contract::Lock => "lock",
            Contract::Thread => "thread",
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
    mutant_of(Contract::Queue, name, about, caught_by)
}

const fn mutant_of(
    contract: Contract,
    name: &'static str,
    about: &'static str,
    caught_by: &'static [Catch],
) -> Subject {
    Subject {
        name,
        contract,
        role: Role::Mutant,
        about,
        caught_by,
    }
}

const fn reference(contract: Contract, about: &'static str) -> Subject {
    Subject {
        name: "ref",
        contract,
        role: Role::Reference,
        about,
        caught_by: &[],
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
        &[catch("queue.fifo", "wrong-order"), catch_by("loom", "queue.handoff", "wrong-order"), catch_by("shuttle", "queue.handoff", "wrong-order")],
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
            // A client waits for its answer, which the owner puts, and is never woken.
            catch("deadlock.single-owner", "never-returned"),
            catch_by("loom", "deadlock.single-owner", "deadlock"),
            catch_by("shuttle", "deadlock.single-owner", "deadlock"),
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
        &[catch("queue.soak", "lost-item"), catch_by("loom", "queue.handoff", "lost-item"), catch_by("shuttle", "queue.handoff", "lost-item")],
    ),
    mutant(
        "mutant:queue-nonblocking-get-waits",
        "get(block=False) on an empty queue waits a second before failing",
        &[catch("queue.get-nonblocking-empty", "blocked")],
    ),
    mutant(
        "mutant:queue-slots-never-freed",
        "get never gives back the slot its put took: after maxsize puts the queue is full for ever",
        &[catch("queue.reuse", "unexpected-error")],
    ),
    reference(Contract::Event, "the reference event: a flag under one lock, set wakes every waiter"),
    mutant_of(Contract::Event, "mutant:event-set-without-notify", "set changes the flag but wakes nobody", &[
        catch("event.wait-blocks-until-set", "never-returned"),
        catch_by("loom", "event.wait-blocks-until-set", "deadlock"),
        catch_by("shuttle", "event.wait-blocks-until-set", "deadlock"),
    ]),
    mutant_of(Contract::Event, "mutant:event-notify-one", "set wakes one waiter; the others stay blocked", &[
        catch("event.set-wakes-every-waiter", "never-returned"),
        catch_by("loom", "event.set-wakes-every-waiter", "deadlock"),
        catch_by("shuttle", "event.set-wakes-every-waiter", "deadlock"),
    ]),
    mutant_of(Contract::Event, "mutant:event-flag-outside-lock", "wait reads the flag outside the lock, then waits: a set in between is lost", &[
        catch_by("loom", "event.wait-blocks-until-set", "deadlock"),
        catch_by("shuttle", "event.wait-blocks-until-set", "deadlock"),
    ]),
    mutant_of(Contract::Event, "mutant:event-timeout-says-set", "wait(timeout) returns true when it timed out", &[
        catch("event.wait-timeout-unset", "wrong-result"),
        catch("event.clear-blocks-again", "wrong-result"),
    ]),
    mutant_of(Contract::Event, "mutant:event-waits-for-flag", "wait waits for the flag, not the next set: set then clear at once leaves its waiters blocked", &[
        // On real threads the woken waiters usually win the race to the flag: only the
        // checkers, which try the setter's clear first, catch it every time.
        catch_by("loom", "event.set-clear-wakes-waiters", "deadlock"),
        catch_by("shuttle", "event.set-clear-wakes-waiters", "deadlock"),
    ]),
    mutant_of(Contract::Event, "mutant:event-notifies-once", "only the first set ever wakes anyone: an event used twice leaves its second waiters blocked", &[
        catch("event.reuse", "never-returned"),
    ]),
    reference(Contract::Lock, "the reference lock: held flag and condition under one mutex"),
    mutant_of(Contract::Lock, "mutant:lock-not-exclusive", "acquire never checks: everyone holds the lock at once", &[
        catch("lock.try-acquire-held", "wrong-result"),
        catch("lock.blocks-until-release", "appeared-not-to-block"),
        catch_by("shuttle", "lock.exclusive", "wrong-result"),
        catch_by("loom", "lock.fixes-race", "unexpected-error"),
        catch_by("shuttle", "lock.fixes-race", "unexpected-error"),
        // Both actors inside the section the two locks guard: `enter` returns 2.
        catch_by("loom", "deadlock.global-lock-order", "wrong-result"),
        catch_by("loom", "deadlock.all-or-nothing", "wrong-result"),
    ]),
    mutant_of(Contract::Lock, "mutant:lock-check-then-set", "acquire checks and sets in two critical sections: two threads can both take it", &[
        // Both take the lock; in the first interleaving found, their sections do not
        // overlap, but the second release finds the lock free.
        catch_by("loom", "lock.exclusive", "unexpected-error"),
        catch_by("shuttle", "lock.exclusive", "unexpected-error"),
        catch_by("loom", "lock.fixes-race", "unexpected-error"),
        catch_by("shuttle", "lock.fixes-race", "unexpected-error"),
    ]),
    mutant_of(Contract::Lock, "mutant:lock-timeout-early", "acquire(timeout=t) gives up after t/4", &[catch("lock.acquire-timeout-held", "timeout-early")]),
    mutant_of(Contract::Lock, "mutant:lock-release-unlocked-ok", "releasing a lock nobody holds succeeds silently", &[catch("lock.release-unlocked", "missing-error")]),
    mutant_of(Contract::Lock, "mutant:lock-release-without-notify", "release frees the lock but wakes nobody: a blocked acquire sleeps on", &[
        catch("lock.blocks-until-release", "never-returned"),
        catch_by("loom", "lock.reuse", "deadlock"),
        catch_by("shuttle", "lock.reuse", "deadlock"),
        // The second thread waits for A (or, backing off, for its first lock) and is never
        // woken: a deadlock no lock order or back-off can prevent.
        catch_by("loom", "deadlock.global-lock-order", "deadlock"),
        catch_by("shuttle", "deadlock.global-lock-order", "deadlock"),
        catch_by("loom", "deadlock.back-off", "deadlock"),
        catch_by("shuttle", "deadlock.back-off", "deadlock"),
        catch_by("shuttle", "deadlock.philosophers-ordered", "deadlock"),
        catch_by("shuttle", "deadlock.philosophers-four-seats", "deadlock"),
        catch_by("shuttle", "deadlock.philosophers-back-off", "deadlock"),
    ]),
    mutant_of(Contract::Lock, "mutant:lock-with-no-finally", "`with lock:` as acquire, block, release with no finally: a block that raises leaves it held", &[catch("lock.with-releases-on-raise", "wrong-result")]),
    mutant_of(Contract::Lock, "mutant:lock-handoff-keeps-timed-out-waiter", "a hand-off lock whose timed-out acquire stays counted as a waiter: the next release hands the lock to nobody", &[catch("lock.timeout-leaves-usable", "wrong-result")]),
    mutant_of(Contract::Lock, "mutant:lock-try-acquire-blocks", "acquire(blocking=False) waits like a blocking acquire: a try that holds on to what the caller has while it waits", &[
        catch_by("loom", "deadlock.all-or-nothing", "deadlock"),
        catch_by("shuttle", "deadlock.all-or-nothing", "deadlock"),
        catch_by("loom", "deadlock.back-off", "deadlock"),
        catch_by("shuttle", "deadlock.back-off", "deadlock"),
        catch_by("shuttle", "deadlock.philosophers-waiter", "deadlock"),
        catch_by("shuttle", "deadlock.philosophers-back-off", "deadlock"),
    ]),
    mutant_of(Contract::Lock, "mutant:lock-timeout-never", "acquire(timeout=t) ignores the timeout and waits as long as it takes", &[
        catch("lock.acquire-timeout-held", "timeout-late"),
        // Each thread holds its first lock and waits for ever for the other's: the
        // course's deadlock, which the timeout was there to break.
        catch("deadlock.back-off-timeout", "never-returned"),
    ]),
    mutant_of(Contract::Lock, "mutant:lock-inner-order-inverted", "a lock that counts its waiters under a second mutex, taken after its state in acquire and before it in release: a deadlock when the two overlap", &[
        // On threads the two orders never overlap in the run: lockdep reports them anyway.
        catch("deadlock.lock-order", "lock-order"),
        catch("deadlock.global-lock-order", "lock-order"),
        // Under a checker the first execution's lock-order graph already has the cycle.
        catch_by("loom", "deadlock.global-lock-order", "lock-order"),
        catch_by("shuttle", "deadlock.global-lock-order", "lock-order"),
        // Without a lock-order assertion, the checkers find the acquire and the release
        // that overlap: the deadlock itself.
        catch_by("loom", "lock.exclusive", "deadlock"),
        catch_by("shuttle", "lock.exclusive", "deadlock"),
    ]),
    reference(Contract::Thread, "the reference threads: an alive flag cleared when the target ends, join waits on it"),
    mutant_of(Contract::Thread, "mutant:thread-alive-forever", "is_alive is never cleared, and join waits for it", &[
        catch("thread.start-join", "never-returned"),
        catch_by("loom", "thread.start-join", "deadlock"),
        catch_by("shuttle", "thread.start-join", "deadlock"),
    ]),
    mutant_of(Contract::Thread, "mutant:thread-join-ignores-timeout", "join(timeout) waits for the thread whatever the timeout", &[catch("thread.join-timeout", "timeout-late")]),
    mutant_of(Contract::Thread, "mutant:thread-join-does-not-wait", "join() returns at once", &[
        catch("thread.start-join", "wrong-result"),
        catch_by("loom", "thread.start-join", "wrong-result"),
        catch_by("shuttle", "thread.start-join", "wrong-result"),
    ]),
    mutant_of(Contract::Thread, "mutant:thread-forgets-name", "the name given at start is dropped", &[catch("thread.attributes", "wrong-result")]),
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

/// Every library subject, references first.
pub fn subjects() -> &'static [Subject] {
    SUBJECTS
}

/// The subject called `name`, if any.
pub fn find(name: &str) -> Option<&'static Subject> {
    SUBJECTS.iter().find(|s| s.name == name)
}

/// The subject called `name` that implements `contract`.
pub fn find_for(name: &str, contract: Contract) -> Option<&'static Subject> {
    SUBJECTS
        .iter()
        .find(|s| s.name == name && s.contract == contract)
}

/// Builds the event subject called `name`.
pub fn make_event(name: &str) -> Option<Arc<dyn Event>> {
    use crate::mutants::event::{EventBug, MutantEvent};
    let bug = |b| -> Arc<dyn Event> { Arc::new(MutantEvent::new(b)) };
    Some(match name {
        "ref" => Arc::new(crate::reference::event::RefEvent::new()),
        "mutant:event-set-without-notify" => bug(EventBug::SetWithoutNotify),
        "mutant:event-notify-one" => bug(EventBug::NotifyOne),
        "mutant:event-flag-outside-lock" => bug(EventBug::FlagOutsideLock),
        "mutant:event-timeout-says-set" => bug(EventBug::TimeoutSaysSet),
        "mutant:event-notifies-once" => bug(EventBug::NotifiesOnce),
        "mutant:event-waits-for-flag" => bug(EventBug::WaitsForFlag),
        _ => return None,
    })
}

/// Builds the lock subject called `name`.
pub fn make_lock(name: &str) -> Option<Arc<dyn Lock>> {
    use crate::mutants::lock::{LockBug, MutantLock};
    let bug = |b| -> Arc<dyn Lock> { Arc::new(MutantLock::new(b)) };
    Some(match name {
        "ref" => Arc::new(crate::reference::lock::RefLock::new()),
        "mutant:lock-not-exclusive" => bug(LockBug::NotExclusive),
        "mutant:lock-check-then-set" => bug(LockBug::CheckThenSet),
        "mutant:lock-timeout-early" => bug(LockBug::TimeoutEarly),
        "mutant:lock-release-unlocked-ok" => bug(LockBug::ReleaseUnlockedOk),
        "mutant:lock-release-without-notify" => bug(LockBug::ReleaseWithoutNotify),
        "mutant:lock-with-no-finally" => bug(LockBug::WithNoFinally),
        "mutant:lock-try-acquire-blocks" => bug(LockBug::TryAcquireBlocks),
        "mutant:lock-timeout-never" => bug(LockBug::TimeoutNever),
        "mutant:lock-inner-order-inverted" => Arc::new(crate::mutants::lock::CountingLock::new()),
        "mutant:lock-handoff-keeps-timed-out-waiter" => {
            Arc::new(crate::mutants::lock::HandoffLock::new())
        }
        _ => return None,
    })
}

/// Builds the threads subject called `name`.
pub fn make_threads(name: &str) -> Option<Arc<dyn Threads>> {
    use crate::mutants::thread::{MutantThreads, ThreadBug};
    let bug = |b| -> Arc<dyn Threads> { Arc::new(MutantThreads(b)) };
    Some(match name {
        "ref" => Arc::new(crate::reference::thread::RefThreads),
        "mutant:thread-alive-forever" => bug(ThreadBug::AliveForever),
        "mutant:thread-join-ignores-timeout" => bug(ThreadBug::JoinIgnoresTimeout),
        "mutant:thread-join-does-not-wait" => bug(ThreadBug::JoinDoesNotWait),
        "mutant:thread-forgets-name" => bug(ThreadBug::ForgetsName),
        _ => return None,
    })
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
        "mutant:queue-slots-never-freed" => bug(QueueBug::SlotsNeverFreed),
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
            let built = match s.contract {
                Contract::Queue => make_queue::<u8>(s.name, 1).is_some(),
                Contract::Event => make_event(s.name).is_some(),
                Contract::Lock => make_lock(s.name).is_some(),
                Contract::Thread => make_threads(s.name).is_some(),
            };
            assert!(built, "{} ({}) cannot be built", s.name, s.contract.name());
        }
    }

    #[test]
    fn every_mutant_names_a_scenario_that_catches_it() {
        for s in subjects().iter().filter(|s| s.role == Role::Mutant) {
            assert!(!s.caught_by.is_empty(), "{} is caught by nothing", s.name);
        }
    }
}
