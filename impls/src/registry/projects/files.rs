//! The file server (TCP): its program subjects.

#[allow(unused_imports)]
use super::super::{catch, programs::ProgramSubject};

pub static SUBJECTS: &[ProgramSubject] = &[];
