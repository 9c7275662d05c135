//! An optional observer of every lock taken and released through the facade, with the
//! thread and the code location: what a lock-order checker (lockdep) needs to find cycles
//! even in runs that did not deadlock.

use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

/// What happened to a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockAction {
    /// The thread is about to take it, and may block until it can (reported before every
    /// `Mutex::lock`; not before a condition variable takes its mutex back).
    Requested,
    Acquired,
    Released,
}

/// Which lock, as the facade's `Mutex` knows itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LockId {
    pub addr: usize,
    pub made_at: &'static Location<'static>,
    pub name: Option<&'static str>,
}

/// One report: which lock (its address, stable while it lives; where it was made, and its
/// name if it was given one), which thread (the backend's own thread id, as text), what,
/// and where in the code.
#[derive(Debug, Clone)]
pub struct LockReport {
    pub lock: usize,
    pub made_at: &'static Location<'static>,
    pub name: Option<&'static str>,
    pub thread: String,
    pub action: LockAction,
    pub location: &'static Location<'static>,
}

impl LockReport {
    /// The lock in words: its name, or where it was made (`the Mutex made at
    /// impls/src/reference/lock.rs:18`).
    pub fn lock_name(&self) -> String {
        match self.name {
            Some(n) => format!("`{n}`"),
            None => format!(
                "the Mutex made at {}:{}",
                self.made_at.file(),
                self.made_at.line()
            ),
        }
    }
}

/// Receives the reports; called on the thread that took or released the lock.
pub trait LockObserver: Send + Sync {
    fn report(&self, report: LockReport);
}

static INSTALLED: AtomicBool = AtomicBool::new(false);
static OBSERVER: RwLock<Option<Arc<dyn LockObserver>>> = RwLock::new(None);

/// Installs `observer` for every lock of the process (None removes it).
pub fn set_lock_observer(observer: Option<Arc<dyn LockObserver>>) {
    let installed = observer.is_some();
    *OBSERVER.write().unwrap_or_else(|p| p.into_inner()) = observer;
    INSTALLED.store(installed, Ordering::SeqCst);
}

/// Reports to the observer, if one is installed (a relaxed load otherwise), unless the
/// thread is unwinding.
pub(super) fn report(lock: LockId, action: LockAction, location: &'static Location<'static>) {
    if !INSTALLED.load(Ordering::Relaxed) {
        return;
    }
    // A checker that stops an execution (a deadlock) unwinds the threads it left blocked:
    // their guards' releases are not the program's, and loom has no current thread to name
    // any more (asking would panic in a destructor during cleanup, and abort).
    if std::thread::panicking() {
        return;
    }
    let observer = OBSERVER.read().unwrap_or_else(|p| p.into_inner()).clone();
    if let Some(o) = observer {
        o.report(LockReport {
            lock: lock.addr,
            made_at: lock.made_at,
            name: lock.name,
            thread: super::thread::current_id(),
            action,
            location,
        });
    }
}

/// Threads of this process blocked in a facade condition wait right now.
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// How many threads are blocked in a facade condition wait (`Condvar::wait`, or a timed
/// wait that has not timed out yet). A scenario step waits for it to reach N before it
/// acts, so that "N threads were waiting" is a fact, not a pause that may be too short.
/// One count per process: a trial runs alone in its worker process (`conform::check` runs
/// a test's trials one after another, but tests of one binary run side by side: a check with
/// `await_waiters` may then count another test's waiters).
pub fn waiting() -> usize {
    WAITING.load(Ordering::SeqCst)
}

/// A thread starts (`true`) or stops waiting. Counted while the waiter still holds the
/// mutex, so whoever sees the count and then takes that mutex finds the waiter asleep.
pub(super) fn waits(starting: bool) {
    if starting {
        WAITING.fetch_add(1, Ordering::SeqCst);
    } else {
        // After a reset, a thread that was waiting leaves: never below zero.
        let _ = WAITING.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            Some(n.saturating_sub(1))
        });
    }
}

/// A new model execution starts: threads left blocked by the last one are gone.
pub(super) fn reset_waiting() {
    WAITING.store(0, Ordering::SeqCst);
}
