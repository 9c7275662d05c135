//! Broken locks: the reference with one realistic bug each, marked `// BUG(name)`.

use crate::contracts::lock::{Lock, ReleaseError};
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
        self.freed.notify_one();
        Ok(())
    }

    fn locked(&self) -> bool {
        *self.held.lock()
    }
}
