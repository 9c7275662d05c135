//! The course's process chapters as small programs: fork, wait, zombies, orphans, Process,
//! Pool, and the kinds of IPC. One file per course example.

use super::Program;

/// The reference process programs, and the mutant ones that scenarios must catch.
pub static PROGRAMS: &[Program] = &[];
