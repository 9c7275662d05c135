//! The epoll server in edge-triggered mode (the course's "EPOLLET边缘触发"): a descriptor is
//! reported when it becomes ready, not while it stays ready. So on every event the server
//! must take everything: accept until WouldBlock, read until WouldBlock; what it leaves
//! unread is not reported again until more arrives. Sockets are non-blocking, or the last
//! read would block the whole server.
//!
//! Each client is registered once for EPOLLIN | EPOLLOUT | EPOLLET; the EPOLLOUT edge comes
//! when a full socket has room again, and then the output that waited is sent. Reads are
//! 1024 bytes (the course's `recv(1024)`), so a larger message takes several reads in one
//! event.
//!
//! Protocol: echo-ack (docs/protocols.md). Claims: `epoll.edge`, `epoll.api`,
//! `server.io-multiplexing`, `io.nonblocking`. `Bug::ReadsOnce` is
//! `mutant-epoll-et-reads-once`.

use std::collections::HashMap;
use std::os::fd::RawFd;

use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use super::common::{self, Client, Gone, Got, Reply};

/// The one place the mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// One read per event, as a level-triggered server does.
    ReadsOnce,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn reads_once(argv: &[String]) -> i32 {
    run(argv, Bug::ReadsOnce)
}

const NAME: &str = "echo-epoll-et-server";

/// The event data of the listener; a client's is its descriptor.
const LISTENER: u64 = u64::MAX;

/// Bytes per read, as `recv(1024)`: small, so that the bug of `mutant-epoll-et-reads-once`
/// shows with any message over 1 KiB.
const READ_SIZE: usize = 1024;

fn run(argv: &[String], bug: Bug) -> i32 {
    common::raise_nofile_limit(NAME);
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    let edge = EpollFlags::EPOLLET;
    let setup = listener.set_nonblocking(true).and_then(|()| {
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        epoll.add(
            &listener,
            EpollEvent::new(EpollFlags::EPOLLIN | edge, LISTENER),
        )?;
        Ok(epoll)
    });
    let epoll = match setup {
        Ok(epoll) => epoll,
        Err(e) => {
            common::warn(&format!("{NAME}: {e}"));
            return 1;
        }
    };
    let mut clients: HashMap<RawFd, Client> = HashMap::new();
    let mut events = vec![EpollEvent::empty(); 256];
    let mut buf = [0u8; READ_SIZE];
    loop {
        let n = match epoll.wait(&mut events, EpollTimeout::NONE) {
            Ok(n) => n,
            Err(Errno::EINTR) => continue,
            Err(e) => {
                common::warn(&format!("{NAME}: epoll_wait: {e}"));
                return 1;
            }
        };
        for event in &events[..n] {
            if event.data() == LISTENER {
                // One edge for any number of new connections: take them all.
                common::accept_ready(NAME, &listener, |stream| {
                    let added = Client::new(stream).and_then(|client| {
                        let events = EpollFlags::EPOLLIN | EpollFlags::EPOLLOUT | edge;
                        epoll.add(client.stream(), EpollEvent::new(events, client.fd() as u64))?;
                        Ok(client)
                    });
                    match added {
                        Ok(client) => {
                            clients.insert(client.fd(), client);
                        }
                        Err(e) => common::warn(&format!("{NAME}: {e}")),
                    }
                });
                continue;
            }
            let fd = event.data() as RawFd;
            let Some(client) = clients.get_mut(&fd) else {
                continue;
            };
            if serve_edge(client, &mut buf, &reply, bug).is_err() {
                let _ = epoll.delete(client.stream());
                clients.remove(&fd);
            }
        }
    }
}

/// Everything an edge allows: send what waits, then read and answer until the socket has
/// nothing more (WouldBlock). Whatever the event was (input, room for output, hang-up), the
/// same loop does: an edge does not come back for what is left.
fn serve_edge(client: &mut Client, buf: &mut [u8], reply: &Reply, bug: Bug) -> Result<(), Gone> {
    loop {
        client.flush().map_err(Gone::WriteFailed)?;
        if client.finished() {
            return Err(Gone::Left);
        }
        if !client.wants_read() {
            // Output waits (too much of it, or the client has closed its side and must
            // still get it): the EPOLLOUT edge brings us back when the socket has room.
            return Ok(());
        }
        match client.read_message(buf, reply) {
            Got::Message if bug == Bug::ReadsOnce => {
                // BUG: one read per event, as if level-triggered. The rest of a message
                // larger than one read stays in the socket, and no new edge comes for it:
                // its answer is stuck until the client sends something else.
                return client.flush().map(drop).map_err(Gone::WriteFailed);
            }
            // EOF: the next turn sends what is owed and then lets the client go.
            Got::Message | Got::Left => {}
            Got::Nothing => return Ok(()),
            Got::Failed(e) => return Err(Gone::ReadFailed(e)),
        }
    }
}
