//! A counting semaphore, as a [`Lock`] that up to `n` threads hold at once.
//!
//! Course text (python-concurrency-notes.md, on processes: "信号量 ... 给定一个数量对多个进程可见,
//! 多个进程都可以操作该数量增减,并根据数量值决定自己的行为"): a count several threads see, each
//! `acquire` takes one (waiting while it is 0), each `release` gives one back. Python's
//! `threading.BoundedSemaphore(n)`: giving back more than was taken is an error.
//!
//! Used by scenarios as scenery, not as a subject: `subject.semaphores: { seats: 4 }` (the
//! dining philosophers' four seats at a table of five) is always this reference, whatever
//! lock the trial checks.

use crate::contracts::lock::{Lock, ReleaseError};
use crate::contracts::wait::Wait;
use crate::sync::{Condvar, Mutex};

pub struct RefSemaphore {
    size: usize,
    free: Mutex<usize>,
    released: Condvar,
}

impl RefSemaphore {
    pub fn new(size: usize) -> Self {
        RefSemaphore {
            size,
            free: Mutex::named("a semaphore's count", size),
            released: Condvar::new(),
        }
    }
}

impl Lock for RefSemaphore {
    fn acquire(&self, wait: Wait) -> bool {
        let (mut free, gave_up) = self
            .released
            .wait_while(self.free.lock(), wait, |f| *f == 0);
        if gave_up {
            return false;
        }
        *free -= 1;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let mut free = self.free.lock();
        if *free == self.size {
            return Err(ReleaseError::NotLocked);
        }
        *free += 1;
        self.released.notify_one();
        Ok(())
    }

    /// Whether no place is left.
    fn locked(&self) -> bool {
        *self.free.lock() == 0
    }
}
