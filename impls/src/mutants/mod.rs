//! Mutants: realistic bugs the suite must catch. A scenario that no mutant fails proves
//! nothing; `cargo test` checks every mutant here is caught by the scenarios that name it
//! in [`crate::registry`].

pub mod event;
pub mod lock;
pub mod queue;
pub mod thread;
