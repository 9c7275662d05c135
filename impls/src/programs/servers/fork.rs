//! The fork server of the course ("基于fork的多进程网络并发模型"): the parent listens and
//! accepts; for each client it forks a child that answers every message until the client
//! leaves and then exits; the parent closes its copy of the client socket and goes back to
//! `accept`.
//!
//! Dead children are reaped by a SIGCHLD handler that loops on `waitpid(-1, WNOHANG)` (the
//! course's "处理所有子进程退出"): `waitpid` is async-signal-safe, the loop collects children
//! whose signals merged into one, and the handler saves errno for the code it interrupted.
//! A reap in the main loop instead would race: a child dying between that reap and the next
//! `accept` would stay a zombie until another client came. (The course's Python version
//! sets SIGCHLD to SIG_IGN so that the kernel reaps; examples/servers/fork_server.py.)
//!
//! Protocol: echo-ack (docs/protocols.md). Claims: `server.fork`, `server.per-client`.
//! `Bug::NeverReaps` is the mutant `mutant-fork-never-reaps`.

use nix::errno::Errno;
use nix::libc;
use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{fork, ForkResult};

use super::common::{self, Reply};

/// The one place the mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// The parent never waits for its children.
    NeverReaps,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn never_reaps(argv: &[String]) -> i32 {
    run(argv, Bug::NeverReaps)
}

fn run(argv: &[String], bug: Bug) -> i32 {
    let handler = match bug {
        Bug::None => SigHandler::Handler(reap_children),
        // BUG: no handler and no wait(): every child that ends stays a zombie (state Z)
        // until the server exits. (SIG_DFL is set explicitly: an inherited SIG_IGN would
        // have the kernel reap them and hide the bug.)
        Bug::NeverReaps => SigHandler::SigDfl,
    };
    // SA_RESTART: `accept` goes on after the handler ran. SA_NOCLDSTOP: only deaths matter.
    let action = SigAction::new(
        handler,
        SaFlags::SA_RESTART | SaFlags::SA_NOCLDSTOP,
        SigSet::empty(),
    );
    // SAFETY: the handler only calls async-signal-safe functions (waitpid, errno access).
    if let Err(e) = unsafe { sigaction(Signal::SIGCHLD, &action) } {
        common::warn(&format!("echo-fork-server: sigaction(SIGCHLD): {e}"));
        return 1;
    }
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen("echo-fork-server", argv) else {
        return 1;
    };
    loop {
        let (mut stream, _) = match listener.accept() {
            Ok(client) => client,
            Err(e) => {
                common::accept_failed("echo-fork-server", &e);
                continue;
            }
        };
        // SAFETY: this process has one thread, so the child starts in a consistent state.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => {
                // The child needs only its client: close its copy of the listening socket.
                drop(listener);
                common::serve_blocking(&mut stream, &reply);
                drop(stream);
                // `_exit`, like the course's `os._exit`: no return into the parent's loop,
                // no flushing of buffers the parent owns too.
                // SAFETY: ends this process; nothing runs after it.
                unsafe { libc::_exit(0) }
            }
            // The parent's copy of the client socket is closed here, when `stream` drops:
            // otherwise the connection would stay open after the child ends.
            Ok(ForkResult::Parent { .. }) => {}
            Err(e) => common::warn(&format!("echo-fork-server: fork: {e}")),
        }
    }
}

/// Installs [`reap_children`] as the SIGCHLD handler (the file server's `--fork` mode too).
pub fn reap_on_sigchld() -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(reap_children),
        SaFlags::SA_RESTART | SaFlags::SA_NOCLDSTOP,
        SigSet::empty(),
    );
    // SAFETY: the handler only calls async-signal-safe functions (waitpid, errno access).
    unsafe { sigaction(Signal::SIGCHLD, &action) }.map(drop)
}

/// The SIGCHLD handler: collects every child that has ended, so none stays a zombie.
extern "C" fn reap_children(_: libc::c_int) {
    let saved = Errno::last_raw();
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
    Errno::set_raw(saved);
}
