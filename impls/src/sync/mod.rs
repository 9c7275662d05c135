//! The sync facade: the one place that names the concurrency primitives the references and
//! mutants build on. Each type is a choice of std, loom or shuttle made when it is built,
//! from the backend set around the code that builds it ([`with_backend`]), so the same code
//! runs on real threads and under both checkers in one plain `cargo test`
//! (see docs/architecture.md and shared notes on the checkers).
//!
//! Time is not modelled by the checkers: under loom a timed wait never times out; under
//! shuttle it times out or waits for a notification by a coin the schedule records, so both
//! branches are explored and replay.

mod backend;
mod condvar;
mod explore;
mod mutex;
mod observe;
pub mod thread;

pub use backend::{current, with_backend, Backend};
pub use condvar::{deadline_after, Condvar, Deadline};
pub use explore::{explore, failing_schedule, is_schedule, replay, Budget};
pub use mutex::{Mutex, MutexGuard};
pub use observe::{set_lock_observer, waiting, LockAction, LockObserver, LockReport};
