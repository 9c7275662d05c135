//! The group chat room (UDP): its program subjects.

#[allow(unused_imports)]
use super::super::{catch, programs::ProgramSubject};

pub static SUBJECTS: &[ProgramSubject] = &[];
