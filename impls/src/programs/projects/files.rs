//! The file server (TCP).

use super::super::Program;

pub static PROGRAMS: &[Program] = &[];
