//! The course's network concurrency models as echo-ack servers (../docs/protocols.md): one
//! file per model, each read beside the course chapter it implements, and the mutants:
//! each one a model file run with one marked bug (`// BUG:`), which scenarios must catch.

pub mod bits;
pub mod common;
pub mod epoll;
pub mod epoll_et;
pub mod fork;
pub mod io_modes;
#[path = "loop.rs"]
pub mod loop_;
pub mod poll;
pub mod select;
pub mod thread;

use super::Program;

/// The reference servers, and the mutant servers that scenarios must catch.
pub static PROGRAMS: &[Program] = &[
    Program {
        name: "echo-loop-server",
        about: "echo-ack server, one client at a time (claims server.loop, io.blocking)",
        main: loop_::main,
    },
    Program {
        name: "echo-fork-server",
        about: "echo-ack server, a forked process per client, reaped on SIGCHLD (claims server.fork, server.per-client)",
        main: fork::main,
    },
    Program {
        name: "echo-thread-server",
        about: "echo-ack server, a thread per client (claims server.thread, server.per-client)",
        main: thread::main,
    },
    Program {
        name: "echo-select-server",
        about: "echo-ack server, select() in one thread; refuses fds >= FD_SETSIZE (claims server.io-multiplexing, select.api, select.wlist-immediate, select.no-spin)",
        main: select::main,
    },
    Program {
        name: "echo-poll-server",
        about: "echo-ack server, poll() in one thread (claims server.io-multiplexing, poll.api, select.no-spin)",
        main: poll::main,
    },
    Program {
        name: "echo-epoll-server",
        about: "echo-ack server, level-triggered epoll in one thread, 10,000+ clients (claims server.io-multiplexing, epoll.api, epoll.scale)",
        main: epoll::main,
    },
    Program {
        name: "echo-epoll-et-server",
        about: "echo-ack server, edge-triggered epoll: reads and accepts until WouldBlock (claims epoll.edge, io.nonblocking)",
        main: epoll_et::main,
    },
    Program {
        name: "bits",
        about: "the course's bit operations on 14 and 19, and poll/epoll masks built with | (claims bits.ops)",
        main: bits::main,
    },
    Program {
        name: "io-modes",
        about: "accept in --mode blocking, nonblocking (fails at once: would block) or timeout (fails after --timeout-ms) (claims io.blocking, io.nonblocking, io.timeout)",
        main: io_modes::main,
    },
    Program {
        name: "mutant-select-wlist",
        about: "BUG: select server keeping every client in the write list: 100% CPU while a client is connected and idle (still answers)",
        main: select::wlist,
    },
    Program {
        name: "mutant-select-dies-on-reset",
        about: "BUG: select server that panics when a client resets its connection (ECONNRESET): the server is gone for everyone",
        main: select::dies_on_reset,
    },
    Program {
        name: "mutant-newest-only",
        about: "BUG: select server keeping only its newest client: a new connection closes the previous client's",
        main: select::newest_only,
    },
    Program {
        name: "mutant-poll-keeps-closed",
        about: "BUG: poll server that never unregisters a client that left: 100% CPU from then on, its socket stays open",
        main: poll::keeps_closed,
    },
    Program {
        name: "mutant-fork-never-reaps",
        about: "BUG: fork server that never waits for its children: one zombie per client that left",
        main: fork::never_reaps,
    },
    Program {
        name: "mutant-thread-never-ends",
        about: "BUG: thread server whose threads go on after their client leaves: threads and CLOSE_WAIT sockets pile up",
        main: thread::never_ends,
    },
    Program {
        name: "mutant-epoll-drops-on-wouldblock",
        about: "BUG: epoll server dropping the rest of a reply the socket could not take: a large reply (MiBs sent before reading) comes back short",
        main: epoll::drops_on_wouldblock,
    },
    Program {
        name: "mutant-epoll-et-reads-once",
        about: "BUG: edge-triggered epoll server reading once (1 KiB) per event: a 64 KiB message comes back only in part until the client sends again",
        main: epoll_et::reads_once,
    },
];

#[cfg(test)]
mod tests {
    use super::PROGRAMS;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    #[test]
    fn names_are_unique_and_mutants_say_their_bug() {
        for (i, p) in PROGRAMS.iter().enumerate() {
            assert!(
                PROGRAMS[..i].iter().all(|q| q.name != p.name),
                "{} twice",
                p.name
            );
            assert_eq!(
                p.name.starts_with("mutant-"),
                p.about.starts_with("BUG:"),
                "{}",
                p.name
            );
        }
    }

    /// Each one-process reference, run in a thread of this test on a free port, echoes a
    /// short message and a 64 KiB one to two clients at once. (The fork server is left to
    /// the scenarios: forking, and its SIGCHLD handler, do not belong in a test process.)
    #[test]
    fn references_echo_to_two_clients_at_once() {
        for name in [
            "echo-thread-server",
            "echo-select-server",
            "echo-poll-server",
            "echo-epoll-server",
            "echo-epoll-et-server",
        ] {
            let program = PROGRAMS.iter().find(|p| p.name == name).unwrap();
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let argv = vec!["--port".to_string(), port.to_string()];
            std::thread::spawn(move || (program.main)(&argv));
            let connect = || {
                for _ in 0..200 {
                    if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
                        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                        return s;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                panic!("{name} does not listen on {port}");
            };
            let (mut a, mut b) = (connect(), connect());
            let big: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 % 251) as u8).collect();
            for (client, message) in [(&mut b, &b"hello"[..]), (&mut a, &big[..])] {
                client.write_all(message).unwrap();
                let mut got = vec![0u8; message.len()];
                client.read_exact(&mut got).unwrap();
                assert!(got == message, "{name}: wrong echo");
            }
        }
    }
}
