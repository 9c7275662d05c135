//! The group chat room (UDP).

use super::super::Program;

pub static PROGRAMS: &[Program] = &[];
