//! The course's third way to avoid zombies: `signal(SIGCHLD, SIG_IGN)` before forking makes
//! the kernel reap every child as it exits, without the parent blocking in `wait`; and since
//! nothing is left to collect, `wait()` then fails with ECHILD.
//!
//! `--children N` (default 3) children exit at once; the parent idles 500 ms, then calls
//! `wait()`. Output: `parent pid=P sigchld=SIG_IGN`, N times `parent pid=P child=C` and
//! `child pid=C ppid=P`, then `wait failed ECHILD`, `parent done`. No zombie at any time.
//! Claims: `zombie.sigchld-ignore`.

use nix::errno::Errno;
use nix::sys::signal::{signal, SigHandler, Signal};
use nix::sys::wait::wait;
use nix::unistd::{getpid, getppid};

use super::os::{self, say};
use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let children = match args::number(argv, "--children", 3) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("sigchld-ignore: {e}");
            return 2;
        }
    };
    // SAFETY: SIG_IGN runs no code of ours.
    if let Err(e) = unsafe { signal(Signal::SIGCHLD, SigHandler::SigIgn) } {
        eprintln!("signal(SIGCHLD, SIG_IGN) failed: {e}");
        return 1;
    }
    say(format!("parent pid={} sigchld=SIG_IGN", getpid()));
    for _ in 0..children {
        let child = os::spawn(|| {
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            0
        });
        match child {
            Ok(c) => say(format!("parent pid={} child={c}", getpid())),
            Err(e) => return os::fork_failed(e),
        }
    }
    os::sleep_ms(500); // the children have exited meanwhile, and are already gone
    match wait() {
        Err(Errno::ECHILD) => say("wait failed ECHILD"),
        Err(e) => say(format!("wait failed {e}")),
        Ok(status) => say(format!("wait returned {status:?}")),
    }
    say("parent done");
    0
}
