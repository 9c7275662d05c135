//! The course's three projects (docs/protocols.md): the group chat room over UDP, the file
//! server over TCP and the HTTP server, each speaking both course protocol versions.

pub mod chat;
pub mod files;
pub mod http;

use super::Program;

/// Every project program: references first, then mutants.
pub fn all() -> impl Iterator<Item = &'static Program> {
    chat::PROGRAMS
        .iter()
        .chain(files::PROGRAMS)
        .chain(http::PROGRAMS)
}
