//! The select server of the course ("IO多路复用", `select`): one process, one thread. Each turn
//! puts the listener and the clients in the read set, waits in `select`, and handles what is
//! ready: accept a client, or read one message and answer it.
//!
//! The write set holds only the clients with output still waiting (a reply the socket could
//! not take at once). The course's warning: a socket in wlist is almost always writable, so
//! leaving clients there makes `select` return at once, forever (`mutant-select-wlist`).
//!
//! `select` can only watch descriptors below FD_SETSIZE (1024): a connection that gets a
//! higher one is refused (closed, with a line on stderr), and the others go on.
//!
//! Protocol: echo-ack (docs/protocols.md). Claims: `server.io-multiplexing`, `select.api`,
//! `select.wlist-immediate`, `select.no-spin`, `io.nonblocking`. The `Bug` variants are the
//! mutants `mutant-select-wlist`, `mutant-select-dies-on-reset`, `mutant-newest-only`.

use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};

use nix::errno::Errno;
use nix::libc::FD_SETSIZE;
use nix::sys::select::{select, FdSet};

use super::common::{self, Client, Gone, Reply};

/// The one place each mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// Every client is always in the write set.
    Wlist,
    /// A reset connection ends the server.
    DiesOnReset,
    /// Only the newest client is kept.
    NewestOnly,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn wlist(argv: &[String]) -> i32 {
    run(argv, Bug::Wlist)
}

pub fn dies_on_reset(argv: &[String]) -> i32 {
    run(argv, Bug::DiesOnReset)
}

pub fn newest_only(argv: &[String]) -> i32 {
    run(argv, Bug::NewestOnly)
}

const NAME: &str = "echo-select-server";

fn run(argv: &[String], bug: Bug) -> i32 {
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    // Non-blocking, so that accepting everything that is waiting ends with WouldBlock.
    if let Err(e) = listener.set_nonblocking(true) {
        common::warn(&format!("{NAME}: {e}"));
        return 1;
    }
    let mut clients: BTreeMap<RawFd, Client> = BTreeMap::new();
    let mut buf = [0u8; common::READ_SIZE];
    loop {
        let (accept, ready) = match wait(&listener, &clients, bug) {
            Ok(ready) => ready,
            Err(Errno::EINTR) => continue,
            Err(e) => {
                common::warn(&format!("{NAME}: select: {e}"));
                return 1;
            }
        };
        if accept {
            common::accept_ready(NAME, &listener, |stream| {
                let fd = stream.as_raw_fd();
                if fd as usize >= FD_SETSIZE {
                    // Closed when `stream` drops; the clients already here go on.
                    common::warn(&format!(
                        "{NAME}: refusing fd {fd}: select() cannot watch descriptors at or \
                         above FD_SETSIZE={FD_SETSIZE}"
                    ));
                    return;
                }
                match Client::new(stream) {
                    Ok(client) => {
                        if bug == Bug::NewestOnly {
                            // BUG: one `c` variable instead of a list: the new client
                            // replaces the previous one, whose socket is dropped (closed)
                            // while it is still talking.
                            clients.clear();
                        }
                        clients.insert(fd, client);
                    }
                    Err(e) => common::warn(&format!("{NAME}: {e}")),
                }
            });
        }
        for (fd, readable) in ready {
            let Some(client) = clients.get_mut(&fd) else {
                continue;
            };
            match common::serve_ready(client, readable, &mut buf, &reply) {
                Ok(_) => {}
                Err(Gone::ReadFailed(e))
                    if bug == Bug::DiesOnReset && e.kind() == io::ErrorKind::ConnectionReset =>
                {
                    // BUG: the reset is not caught (an uncaught ConnectionResetError in the
                    // Python original): one client's reset ends the server for everyone.
                    panic!("{NAME}: recv: {e}");
                }
                Err(_) => {
                    clients.remove(&fd);
                }
            }
        }
    }
}

/// One `select`: whether the listener has connections waiting, and the clients that are
/// ready, each with whether it is readable (else it is only writable).
fn wait(
    listener: &impl AsFd,
    clients: &BTreeMap<RawFd, Client>,
    bug: Bug,
) -> nix::Result<(bool, Vec<(RawFd, bool)>)> {
    let mut rlist = FdSet::new();
    let mut wlist = FdSet::new();
    rlist.insert(listener.as_fd());
    for client in clients.values() {
        let fd = client.stream().as_fd();
        if client.wants_read() {
            rlist.insert(fd);
        }
        let watch_write = match bug {
            // BUG: every client in wlist, as `wlist.append(c)` next to `rlist.append(c)`:
            // an idle socket is writable, so select returns at once and the loop spins.
            Bug::Wlist => true,
            _ => client.has_pending(),
        };
        if watch_write {
            wlist.insert(fd);
        }
    }
    select(None, &mut rlist, &mut wlist, None, None)?;
    let accept = rlist.contains(listener.as_fd());
    let ready = clients
        .values()
        .map(|c| c.stream().as_fd())
        .filter(|fd| rlist.contains(*fd) || wlist.contains(*fd))
        .map(|fd| (fd.as_raw_fd(), rlist.contains(fd)))
        .collect();
    Ok((accept, ready))
}
