//! The message queue contract, after Python's `queue.Queue` / `multiprocessing.Queue`.
//!
//! Claims: `queue.fifo`, `queue.maxsize`, `queue.put-block`, `queue.get-block`, `queue.inspect`.

pub use super::wait::Wait;

/// Why a `put` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutError {
    /// The queue stayed full (`queue.Full`).
    Full,
    /// The queue was closed before or while waiting.
    Closed,
}

/// Why a `get` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetError {
    /// The queue stayed empty (`queue.Empty`).
    Empty,
    /// The queue is closed and drained.
    Closed,
}

/// A FIFO queue shared by threads.
///
/// `maxsize` 0 means unbounded. After `close`, `put` fails with [`PutError::Closed`] and `get`
/// drains what is left, then fails with [`GetError::Closed`]; waiters are woken.
pub trait Queue<T>: Send + Sync {
    fn put(&self, item: T, wait: Wait) -> Result<(), PutError>;
    fn get(&self, wait: Wait) -> Result<T, GetError>;
    fn qsize(&self) -> usize;
    fn empty(&self) -> bool;
    fn full(&self) -> bool;
    fn close(&self);
}
