//! The contracts: what a subject must do, as traits a student can implement.

pub mod event;
pub mod lock;
pub mod queue;
pub mod thread;
pub mod wait;

pub use event::Event;
pub use lock::{Guard, Lock, ReleaseError};
pub use queue::{GetError, PutError, Queue};
pub use thread::{ThreadHandle, Threads};
pub use wait::Wait;
