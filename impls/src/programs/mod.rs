//! Reference programs: the course's programs written in Rust, run as
//! `conform ref NAME ARGS...` so scenarios can name them `{ref:NAME}`.

mod args;
pub mod echo_thread_server;

/// A reference program: its name, a line about it, and its `main` (arguments after the
/// name; returns the exit status).
pub struct Program {
    pub name: &'static str,
    pub about: &'static str,
    pub main: fn(&[String]) -> i32,
}

static ALL: &[Program] = &[Program {
    name: "echo-thread-server",
    about: "echo-ack server, a thread per client (claims server.thread, server.per-client)",
    main: echo_thread_server::main,
}];

/// Every reference program.
pub fn all() -> &'static [Program] {
    ALL
}
