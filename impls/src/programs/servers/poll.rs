//! The poll server of the course ("IO多路复用", `poll`): one process, one thread. Clients are
//! registered with the events wanted (POLLIN, and POLLOUT only while output waits); `poll`
//! returns (fd, events) pairs; a client that leaves is unregistered and closed.
//!
//! nix's `poll` takes an array of (fd, events) each call: the `registered` map plays the
//! course's `p.register` / `p.modify` / `p.unregister` plus its fd → socket dictionary, and
//! the array is built from it each turn.
//!
//! Protocol: echo-ack (docs/protocols.md). Claims: `server.io-multiplexing`, `poll.api`,
//! `select.no-spin`, `io.nonblocking`. `Bug::KeepsClosed` is `mutant-poll-keeps-closed`.

use std::collections::BTreeMap;
use std::os::fd::{AsFd, AsRawFd, RawFd};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use super::common::{self, Client, Reply};

/// A registered client and the events it is registered for.
struct Registered {
    client: Client,
    events: PollFlags,
}

/// The events a client needs now: input unless too much output waits (or it has closed its
/// side), output if any waits.
fn wanted(client: &Client) -> PollFlags {
    let mut events = PollFlags::empty();
    if client.wants_read() {
        events |= PollFlags::POLLIN;
    }
    if client.has_pending() {
        events |= PollFlags::POLLOUT;
    }
    events
}

/// The one place the mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// A client that left stays registered.
    KeepsClosed,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn keeps_closed(argv: &[String]) -> i32 {
    run(argv, Bug::KeepsClosed)
}

const NAME: &str = "echo-poll-server";

fn run(argv: &[String], bug: Bug) -> i32 {
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    if let Err(e) = listener.set_nonblocking(true) {
        common::warn(&format!("{NAME}: {e}"));
        return 1;
    }
    let listener_fd = listener.as_raw_fd();
    let mut registered: BTreeMap<RawFd, Registered> = BTreeMap::new();
    let mut buf = [0u8; common::READ_SIZE];
    loop {
        let events = match wait(&listener, &registered) {
            Ok(events) => events,
            Err(Errno::EINTR) => continue,
            Err(e) => {
                common::warn(&format!("{NAME}: poll: {e}"));
                return 1;
            }
        };
        for (fd, revents) in events {
            if fd == listener_fd {
                common::accept_ready(NAME, &listener, |stream| match Client::new(stream) {
                    Ok(client) => {
                        let events = wanted(&client);
                        registered.insert(client.fd(), Registered { client, events });
                    }
                    Err(e) => common::warn(&format!("{NAME}: {e}")),
                });
                continue;
            }
            let Some(r) = registered.get_mut(&fd) else {
                continue;
            };
            // HUP and ERR come whatever was asked for: reading then says what happened.
            let readable =
                revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR);
            if common::serve_ready(&mut r.client, readable, &mut buf, &reply).is_ok() {
                // `p.modify`: POLLOUT while output waits, POLLIN while it reads.
                r.events = wanted(&r.client);
            } else {
                match bug {
                    Bug::None => {
                        // Unregister and close (the socket closes when the client drops).
                        registered.remove(&fd);
                    }
                    // BUG: the client that left is neither unregistered nor closed: still
                    // registered for POLLIN, it is reported (readable at EOF, POLLHUP after
                    // a reset) at once on every call, and the server spins at 100% CPU.
                    Bug::KeepsClosed => {}
                }
            }
        }
    }
}

/// One `poll` over the listener and the registered clients: the (fd, events) pairs that
/// have something.
fn wait(
    listener: &impl AsFd,
    registered: &BTreeMap<RawFd, Registered>,
) -> nix::Result<Vec<(RawFd, PollFlags)>> {
    let mut fds = vec![PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
    for r in registered.values() {
        fds.push(PollFd::new(r.client.stream().as_fd(), r.events));
    }
    poll(&mut fds, PollTimeout::NONE)?;
    Ok(fds
        .iter()
        .filter_map(|p| {
            let revents = p.revents().unwrap_or(PollFlags::empty());
            (!revents.is_empty()).then(|| (p.as_fd().as_raw_fd(), revents))
        })
        .collect())
}
