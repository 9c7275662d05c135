//! Broken locks: the reference with one realistic bug each, marked `// BUG(name)`.

use crate::contracts::lock::{Guard, Lock, ReleaseError};
use crate::contracts::wait::Wait;
use crate::sync::{thread, Condvar, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockBug {
    /// `acquire` never checks: everyone gets the lock at once.
    NotExclusive,
    /// `acquire` checks "free" under the mutex, lets go, then marks it held: two threads
    /// can both see it free (exclusive on real threads most of the time, not always).
    CheckThenSet,
    /// `acquire(timeout=t)` gives up after t/4.
    TimeoutEarly,
    /// `release` of a lock nobody holds succeeds silently.
    ReleaseUnlockedOk,
    /// `release` frees the lock but wakes nobody: a blocked `acquire` sleeps on.
    ReleaseWithoutNotify,
    /// `with lock:` written as acquire, body, release, with no `finally`: a block that
    /// raises leaves the lock held for ever.
    WithNoFinally,
    /// `acquire(blocking=False)` waits like a blocking one: a "try" that holds on to what
    /// the caller already has while it waits, which brings back the hold-and-wait that
    /// try-and-back-off and all-or-nothing acquisition rely on it to avoid.
    TryAcquireBlocks,
    /// `acquire(timeout=t)` ignores the timeout and waits as long as it takes: a thread
    /// that was to give up what it holds after a while holds on for ever instead.
    TimeoutNever,
}

pub struct MutantLock {
    bug: LockBug,
    held: Mutex<bool>,
    freed: Condvar,
}

impl MutantLock {
    pub fn new(bug: LockBug) -> Self {
        MutantLock {
            bug,
            held: Mutex::new(false),
            freed: Condvar::new(),
        }
    }
}

impl Lock for MutantLock {
    fn acquire(&self, wait: Wait) -> bool {
        if self.bug == LockBug::NotExclusive {
            *self.held.lock() = true; // BUG(NotExclusive)
            return true;
        }
        let wait = match wait {
            Wait::For(t) if self.bug == LockBug::TimeoutEarly => Wait::For(t / 4), // BUG(TimeoutEarly)
            Wait::No if self.bug == LockBug::TryAcquireBlocks => Wait::Forever, // BUG(TryAcquireBlocks)
            Wait::For(_) if self.bug == LockBug::TimeoutNever => Wait::Forever, // BUG(TimeoutNever)
            other => other,
        };
        let (mut held, gave_up) = self.freed.wait_while(self.held.lock(), wait, |held| *held);
        if gave_up {
            return false;
        }
        if self.bug == LockBug::CheckThenSet {
            // BUG(CheckThenSet): the check and the set are two critical sections.
            drop(held);
            thread::yield_now();
            held = self.held.lock();
        }
        *held = true;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let mut held = self.held.lock();
        if !*held && self.bug != LockBug::ReleaseUnlockedOk {
            return Err(ReleaseError::NotLocked);
        }
        *held = false;
        // BUG(ReleaseWithoutNotify)
        if self.bug != LockBug::ReleaseWithoutNotify {
            self.freed.notify_one();
        }
        Ok(())
    }

    fn locked(&self) -> bool {
        *self.held.lock()
    }

    fn with(&self, body: &mut dyn FnMut()) {
        if self.bug != LockBug::WithNoFinally {
            let _held = Guard::new(self);
            return body();
        }
        // BUG(WithNoFinally): a panic in `body` skips the release.
        self.acquire(Wait::Forever);
        body();
        let _ = self.release();
    }
}

/// A lock that hands itself to the next waiter on release (FIFO-fair), counting its
/// waiters.
pub struct HandoffLock {
    state: Mutex<Handoff>,
    freed: Condvar,
}

#[derive(Default)]
struct Handoff {
    held: bool,
    waiters: usize,
    /// Handed over by `release` to one waiter, which takes it without the lock ever
    /// looking free.
    handed: bool,
}

impl HandoffLock {
    pub fn new() -> Self {
        HandoffLock {
            state: Mutex::new(Handoff::default()),
            freed: Condvar::new(),
        }
    }
}

impl Default for HandoffLock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock for HandoffLock {
    fn acquire(&self, wait: Wait) -> bool {
        let mut state = self.state.lock();
        if !state.held {
            state.held = true;
            return true;
        }
        state.waiters += 1;
        let (mut state, gave_up) = self.freed.wait_while(state, wait, |s| !s.handed);
        if gave_up {
            // BUG(TimeoutKeepsPlace): the waiter gives up but stays counted, so a later
            // release hands the lock to nobody and it stays held for ever.
            return false;
        }
        state.waiters -= 1;
        state.handed = false;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let mut state = self.state.lock();
        if !state.held {
            return Err(ReleaseError::NotLocked);
        }
        if state.waiters > 0 {
            state.handed = true; // still held: it passes straight to a waiter
            self.freed.notify_one();
        } else {
            state.held = false;
        }
        Ok(())
    }

    fn locked(&self) -> bool {
        self.state.lock().held
    }
}

/// A lock that counts its waiters under a second mutex, so that `release` wakes someone only
/// when somebody waits. `acquire` takes its state, then the count; `release` takes the count,
/// then the state: two code paths that take the same two mutexes in opposite orders.
///
/// BUG(InnerOrderInverted): an `acquire` and a `release` that run at the same moment can
/// each hold one mutex and wait for the other: a deadlock. On real threads that needs the
/// two calls to overlap within a few instructions, so a run almost never shows it; a
/// lock-order checker (lockdep) sees both orders in any run that acquires and releases, even
/// one thread alone, and loom finds the interleaving.
pub struct CountingLock {
    state: Mutex<bool>,
    waiters: Mutex<usize>,
    freed: Condvar,
}

impl CountingLock {
    pub fn new() -> Self {
        CountingLock {
            state: Mutex::named("the lock's state", false),
            waiters: Mutex::named("the waiter count", 0),
            freed: Condvar::new(),
        }
    }
}

impl Default for CountingLock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock for CountingLock {
    fn acquire(&self, wait: Wait) -> bool {
        let held = self.state.lock();
        // The state, then the count.
        *self.waiters.lock() += 1;
        let (mut held, gave_up) = self.freed.wait_while(held, wait, |held| *held);
        *self.waiters.lock() -= 1;
        if gave_up {
            return false;
        }
        *held = true;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        // BUG(InnerOrderInverted): the count, then the state.
        let waiters = self.waiters.lock();
        let mut held = self.state.lock();
        if !*held {
            return Err(ReleaseError::NotLocked);
        }
        *held = false;
        if *waiters > 0 {
            self.freed.notify_one();
        }
        Ok(())
    }

    fn locked(&self) -> bool {
        *self.state.lock()
    }
}
