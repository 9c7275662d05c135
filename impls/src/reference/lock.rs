//! The reference lock.
//!
//! Course text (python-concurrency-notes.md, "线程锁 Lock"): `lock = Lock()`;
//! `lock.acquire()` locks, and blocks while another holds the lock; `lock.release()` unlocks;
//! `with lock:` locks for the block and unlocks when it ends.
//!
//! Claims shown: `lock.exclusive`, `lock.with` (through `contracts::lock::Guard`).
//!
//! "Held" is one boolean under an internal mutex; the check and the set happen under that
//! mutex at once, so two threads can never both see the lock free and take it.

use crate::contracts::lock::{Lock, ReleaseError};
use crate::contracts::wait::Wait;
use crate::sync::{Condvar, Mutex};

#[derive(Default)]
pub struct RefLock {
    held: Mutex<bool>,
    freed: Condvar,
}

impl RefLock {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Lock for RefLock {
    fn acquire(&self, wait: Wait) -> bool {
        let (mut held, gave_up) = self.freed.wait_while(self.held.lock(), wait, |held| *held);
        if gave_up {
            return false;
        }
        *held = true;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let mut held = self.held.lock();
        if !*held {
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
