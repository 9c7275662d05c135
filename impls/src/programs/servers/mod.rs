//! The course's network concurrency models as echo-ack servers (../docs/protocols.md): one
//! file per model, each read beside the course chapter it implements.

pub mod thread;

use super::Program;

/// The reference servers, and the mutant servers that scenarios must catch.
pub static PROGRAMS: &[Program] = &[Program {
    name: "echo-thread-server",
    about: "echo-ack server, a thread per client (claims server.thread, server.per-client)",
    main: thread::main,
}];
