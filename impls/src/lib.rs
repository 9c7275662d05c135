//! Contracts, the sync facade, reference implementations and mutants for conform.
//!
//! This crate knows nothing of YAML, scenarios or reports: it is the code under test.
//! - [`contracts`]: the traits a subject implements (Python's `queue.Queue`, ...).
//! - [`sync`]: the one place that names the concurrency primitives the references build on.
//! - [`reference`]: correct implementations, each beside the course text it implements.
//! - [`mutants`]: deliberately broken implementations the suite must catch.
//! - [`registry`]: every library subject by name (`ref`, `mutant:NAME`, `fixture:NAME`).

pub mod contracts;
pub mod fixtures;
pub mod mutants;
pub mod programs;
pub mod reference;
pub mod registry;
pub mod sync;
