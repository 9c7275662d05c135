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

    /// `with lock: body()`: runs `body` holding the lock and releases it when the block
    /// ends, also when it raises (panics: the panic goes on after the release). Override
    /// it only to do the same in another way.
    fn with(&self, body: &mut dyn FnMut()) {
        let _held = Guard::new(self);
        body();
    }
}

/// `with lock:`: holds the lock for the guard's life and releases it when dropped, also
/// when the block panics.
pub struct Guard<'a, L: Lock + ?Sized = dyn Lock>(&'a L);

impl<'a, L: Lock + ?Sized> Guard<'a, L> {
    pub fn new(lock: &'a L) -> Guard<'a, L> {
        lock.acquire(Wait::Forever);
        Guard(lock)
    }
}

impl<L: Lock + ?Sized> Drop for Guard<'_, L> {
    fn drop(&mut self) {
        // Held since `new`: releasing cannot fail.
        let _ = self.0.release();
    }
}
