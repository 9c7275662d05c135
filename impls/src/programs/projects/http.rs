//! The HTTP server.

use super::super::Program;

pub static PROGRAMS: &[Program] = &[];
