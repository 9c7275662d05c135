//! The thread-per-client server of the course ("多线程并发模型"): the main thread listens and
//! accepts; each client gets a thread that answers every message until the client leaves,
//! and then ends.
//!
//! Protocol: echo-ack (docs/protocols.md): the bytes back (echo), or `--reply TEXT` for
//! each message, as course servers do. Claims: `server.thread`, `server.per-client`.
//!
//! `Bug::NeverEnds` is the mutant `mutant-thread-never-ends`.

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

use super::common::{self, Reply};

/// The one place the mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// After the client leaves, its thread keeps waiting for more instead of returning.
    NeverEnds,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn never_ends(argv: &[String]) -> i32 {
    run(argv, Bug::NeverEnds)
}

fn run(argv: &[String], bug: Bug) -> i32 {
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen("echo-thread-server", argv) else {
        return 1;
    };
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let reply = reply.clone();
                std::thread::spawn(move || serve(stream, &reply, bug));
            }
            Err(e) => common::accept_failed("echo-thread-server", &e),
        }
    }
}

/// Answers one client until it closes (or resets) its side; the thread ends on return and
/// the socket is closed with it.
fn serve(mut stream: TcpStream, reply: &Reply, bug: Bug) {
    common::serve_blocking(&mut stream, reply);
    if bug == Bug::NeverEnds {
        // BUG: `if not data: time.sleep(0.1); continue`: the client has left, but the thread
        // goes on polling its socket (every read gives EOF at once) and never ends. Threads
        // and sockets (CLOSE_WAIT) pile up, one per client that ever came.
        let mut buf = [0u8; 1];
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let _ = stream.read(&mut buf);
        }
    }
}
