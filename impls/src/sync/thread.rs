//! Threads over std, loom or shuttle: spawn, join, yield.

use super::backend::{current, Backend};

/// A thread's handle; `join` returns what its body returned, or its panic.
pub enum JoinHandle<T> {
    Std(std::thread::JoinHandle<T>),
    Loom(loom::thread::JoinHandle<T>),
    Shuttle(shuttle::thread::JoinHandle<T>),
}

/// Starts `f` on a new thread of the current backend.
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match current() {
        Backend::Std => JoinHandle::Std(std::thread::spawn(f)),
        Backend::Loom => JoinHandle::Loom(loom::thread::spawn(f)),
        Backend::Shuttle => JoinHandle::Shuttle(shuttle::thread::spawn(f)),
    }
}

impl<T> JoinHandle<T> {
    pub fn join(self) -> std::thread::Result<T> {
        match self {
            JoinHandle::Std(h) => h.join(),
            JoinHandle::Loom(h) => h.join(),
            JoinHandle::Shuttle(h) => h.join(),
        }
    }
}

/// Lets another thread run (a scheduling point under the checkers).
pub fn yield_now() {
    match current() {
        Backend::Std => std::thread::yield_now(),
        Backend::Loom => loom::thread::yield_now(),
        Backend::Shuttle => shuttle::thread::yield_now(),
    }
}

/// The current thread's id under the current backend, as text (`ThreadId(3)`).
pub fn current_id() -> String {
    match current() {
        Backend::Std => format!("{:?}", std::thread::current().id()),
        Backend::Loom => format!("{:?}", loom::thread::current().id()),
        Backend::Shuttle => format!("{:?}", shuttle::thread::current().id()),
    }
}

/// Sleeps for `d` on real threads; under a checker (no time) it is a yield.
pub fn sleep(d: std::time::Duration) {
    match current() {
        Backend::Std => std::thread::sleep(d),
        Backend::Loom | Backend::Shuttle => yield_now(),
    }
}
