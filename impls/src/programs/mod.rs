//! Reference programs: the course's programs written in Rust, run as
//! `conform ref NAME ARGS...` so scenarios can name them `{ref:NAME}`.

pub mod args;
pub mod process;
pub mod projects;
pub mod servers;

/// A reference program: its name, a line about it, and its `main` (arguments after the
/// name; returns the exit status).
pub struct Program {
    pub name: &'static str,
    pub about: &'static str,
    pub main: fn(&[String]) -> i32,
}

/// Every reference program, servers first.
pub fn all() -> impl Iterator<Item = &'static Program> {
    servers::PROGRAMS
        .iter()
        .chain(process::PROGRAMS)
        .chain(projects::all())
}
