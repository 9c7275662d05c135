//! The sync facade: the one place that names the primitives the references build on.
//!
//! Today it is a thin layer over `std`. The synchronisation issue turns each type into a
//! runtime-dispatched choice of std, loom or shuttle (see docs/architecture.md); code written
//! against this module does not change when that happens.

use std::time::{Duration, Instant};

pub use std::sync::MutexGuard;

/// A mutual-exclusion lock whose guard is released when dropped. A panic while holding it
/// does not poison it for the rest of a trial: poisoning is std's policy, not the contract's.
#[derive(Debug, Default)]
pub struct Mutex<T>(std::sync::Mutex<T>);

impl<T> Mutex<T> {
    pub fn new(value: T) -> Self {
        Self(std::sync::Mutex::new(value))
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A condition variable paired with [`Mutex`].
#[derive(Debug, Default)]
pub struct Condvar(std::sync::Condvar);

impl Condvar {
    pub fn new() -> Self {
        Self(std::sync::Condvar::new())
    }

    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.0.wait(guard).unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until notified or until `deadline`; returns the guard and whether the deadline
    /// passed. Spurious wakeups are possible: callers loop on their condition.
    pub fn wait_until<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        deadline: Instant,
    ) -> (MutexGuard<'a, T>, bool) {
        let left = deadline.saturating_duration_since(Instant::now());
        let (guard, result) = self
            .0
            .wait_timeout(guard, left)
            .unwrap_or_else(|p| p.into_inner());
        (guard, result.timed_out() || Instant::now() >= deadline)
    }

    pub fn notify_one(&self) {
        self.0.notify_one();
    }

    pub fn notify_all(&self) {
        self.0.notify_all();
    }
}

/// The clock timeouts are measured on.
pub fn deadline_after(timeout: Duration) -> Instant {
    Instant::now() + timeout
}
