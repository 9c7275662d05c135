//! The contracts: what a subject must do, as traits a student can implement.

pub mod queue;

pub use queue::{GetError, PutError, Queue, Wait};
