//! The lock contract, after Python's `threading.Lock` and its `with lock:` block.
//!
//! Claims: `lock.exclusive`, `lock.with`.

use super::wait::Wait;

/// Why a `release` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseError {
    /// The lock was not held (Python raises RuntimeError).
    NotLocked,
}

pub trait Lock: Send + Sync {
    /// Takes the lock: blocks while another holds it (`Wait::Forever`), gives up at once
    /// (`Wait::No`) or after a timeout; returns whether it was taken.
    fn acquire(&self, wait: Wait) -> bool;
    fn release(&self) -> Result<(), ReleaseError>;
    fn locked(&self) -> bool;
}

/// `with lock:`: holds the lock for the guard's life and releases it when dropped, also
/// when the block panics.
pub struct Guard<'a>(&'a dyn Lock);

impl<'a> Guard<'a> {
    pub fn new(lock: &'a dyn Lock) -> Guard<'a> {
        lock.acquire(Wait::Forever);
        Guard(lock)
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        // Held since `new`: releasing cannot fail.
        let _ = self.0.release();
    }
}
