//! Which implementation the facade's types take: set around a body with [`with_backend`].
//!
//! loom and shuttle run every simulated thread as a coroutine on the OS thread that started
//! the check, so a thread-local set around the check is seen by all of them.

use std::cell::Cell;

/// The implementation behind the facade's types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// std: real threads, real time.
    Std,
    /// loom: every interleaving, within a preemption bound.
    Loom,
    /// shuttle: random and PCT schedules.
    Shuttle,
}

thread_local! {
    static CURRENT: Cell<Backend> = const { Cell::new(Backend::Std) };
}

/// The backend types built now take.
pub fn current() -> Backend {
    CURRENT.with(Cell::get)
}

/// Runs `f` with `backend` current; the previous one is restored after, also on unwind
/// (checker workers are reused).
pub fn with_backend<R>(backend: Backend, f: impl FnOnce() -> R) -> R {
    struct Restore(Backend);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(backend)));
    f()
}
