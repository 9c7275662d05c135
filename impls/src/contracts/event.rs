//! The event contract, after Python's `threading.Event`: a flag threads wait for.
//!
//! Claims: `event.wait`, `event.set`, `event.clear`, `event.is-set`.

use std::time::Duration;

pub trait Event: Send + Sync {
    /// Sets the flag and releases every waiter; later waits return at once.
    fn set(&self);
    /// Unsets the flag: waits block again.
    fn clear(&self);
    fn is_set(&self) -> bool;
    /// Blocks until the flag is set, or `timeout` passes; returns the flag (false only on
    /// a timeout).
    fn wait(&self, timeout: Option<Duration>) -> bool;
}
