//! The thread contract, after Python's `threading.Thread`: start a named thread running a
//! target, ask whether it is alive, join it (with a timeout).
//!
//! Claims: `thread.start-join`, `thread.attributes`, `thread.shared`.

use std::time::Duration;

/// Starts threads: a student's threading library implements this.
pub trait Threads: Send + Sync {
    /// `Thread(target=body, name=name).start()`.
    fn start(&self, name: &str, body: Box<dyn FnOnce() + Send + 'static>) -> Box<dyn ThreadHandle>;
}

/// One started thread.
pub trait ThreadHandle: Send + Sync {
    fn name(&self) -> String;
    /// A number identifying the thread while it runs (Python's `ident`).
    fn ident(&self) -> u64;
    /// Whether the target is still running.
    fn is_alive(&self) -> bool;
    /// Waits until the target has finished, or `timeout` passes; returns whether it finished.
    fn join(&self, timeout: Option<Duration>) -> bool;
}
