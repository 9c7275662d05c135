//! The epoll server of the course ("IO多路复用", `epoll`), level-triggered: like the poll
//! server, but the kernel keeps the interest list (`add` / `modify` / `delete`), and a wait
//! returns only the ready descriptors, however many are watched. It raises its own limit on
//! open files so that it can hold 10,000 clients and more, past select's 1024.
//!
//! Level-triggered: a readable client is reported again on every wait until it is read, so
//! one `read` per event is enough (one message, one answer). A client is watched for
//! EPOLLOUT only while output the socket could not take waits.
//!
//! Protocol: echo-ack (docs/protocols.md). Claims: `server.io-multiplexing`, `epoll.api`,
//! `epoll.scale`, `select.no-spin`, `io.nonblocking`. `Bug::DropsOnWouldBlock` is
//! `mutant-epoll-drops-on-wouldblock`.

use std::collections::HashMap;
use std::os::fd::RawFd;

use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use super::common::{self, Client, Flushed, Reply};

/// The one place the mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// The part of a reply that the socket could not take at once is thrown away.
    DropsOnWouldBlock,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn drops_on_wouldblock(argv: &[String]) -> i32 {
    run(argv, Bug::DropsOnWouldBlock)
}

const NAME: &str = "echo-epoll-server";

/// The event data of the listener; a client's is its descriptor.
const LISTENER: u64 = u64::MAX;

/// A registered client and the events it is registered for.
struct Registered {
    client: Client,
    events: EpollFlags,
}

/// The events a client needs now: input unless too much output waits, output if any waits.
fn wanted(client: &Client) -> EpollFlags {
    let mut events = EpollFlags::empty();
    if client.wants_read() {
        events |= EpollFlags::EPOLLIN;
    }
    if client.has_pending() {
        events |= EpollFlags::EPOLLOUT;
    }
    events
}

fn run(argv: &[String], bug: Bug) -> i32 {
    common::raise_nofile_limit(NAME);
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    let setup = listener.set_nonblocking(true).and_then(|()| {
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        epoll.add(&listener, EpollEvent::new(EpollFlags::EPOLLIN, LISTENER))?;
        Ok(epoll)
    });
    let epoll = match setup {
        Ok(epoll) => epoll,
        Err(e) => {
            common::warn(&format!("{NAME}: {e}"));
            return 1;
        }
    };
    let mut clients: HashMap<RawFd, Registered> = HashMap::new();
    let mut events = vec![EpollEvent::empty(); 256];
    let mut buf = [0u8; common::READ_SIZE];
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
                common::accept_ready(NAME, &listener, |stream| {
                    let registered = Client::new(stream).and_then(|client| {
                        let events = wanted(&client);
                        epoll.add(client.stream(), EpollEvent::new(events, client.fd() as u64))?;
                        Ok(Registered { client, events })
                    });
                    match registered {
                        Ok(r) => {
                            clients.insert(r.client.fd(), r);
                        }
                        Err(e) => common::warn(&format!("{NAME}: {e}")),
                    }
                });
                continue;
            }
            let fd = event.data() as RawFd;
            let Some(r) = clients.get_mut(&fd) else {
                continue;
            };
            // HUP and ERR come whatever was asked for: reading then says what happened.
            let readable = event
                .events()
                .intersects(EpollFlags::EPOLLIN | EpollFlags::EPOLLHUP | EpollFlags::EPOLLERR);
            let gone = match common::serve_ready(&mut r.client, readable, &mut buf, &reply) {
                Ok(Flushed::Blocked) if bug == Bug::DropsOnWouldBlock => {
                    // BUG: `send` took only part of the reply (EAGAIN on the rest), and the
                    // rest is forgotten instead of kept for EPOLLOUT: a large reply comes
                    // back short, with no error.
                    r.client.drop_pending();
                    update(&epoll, r).is_err()
                }
                Ok(_) => update(&epoll, r).is_err(),
                Err(_) => true,
            };
            if gone {
                // Unregister, then close (when the client drops).
                let _ = epoll.delete(r.client.stream());
                clients.remove(&fd);
            }
        }
    }
}

/// Changes a client's registration if the events it needs changed.
fn update(epoll: &Epoll, r: &mut Registered) -> nix::Result<()> {
    let events = wanted(&r.client);
    if events != r.events {
        epoll.modify(
            r.client.stream(),
            &mut EpollEvent::new(events, r.client.fd() as u64),
        )?;
        r.events = events;
    }
    Ok(())
}
