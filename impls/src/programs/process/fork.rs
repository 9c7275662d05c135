//! The course's first fork (day5/fork.py): `os.fork()` returns twice, the child's PID in the
//! parent and 0 in the child, and both go on from the statement after it, each with its own
//! copy of memory: the child sets its `a` to 10000, the parent's `a` is still 1.
//!
//! Output (the parent's first line and the child's lines in either order):
//! `parent pid=P child=C` (C is what fork returned in the parent), `child pid=C ppid=P` (the
//! branch where fork returned 0), `child a=10000`, then, once the parent has waited,
//! `reaped C status 0` and `parent a=1`. The child lingers 200 ms before it exits.
//! Claims: `fork.returns`, `fork.copy`, `fork.no-sharing`, `fork.own-identity`,
//! `fork.independent`.

use nix::unistd::{getpid, getppid, ForkResult};

use super::os::{self, say};

pub fn main(_argv: &[String]) -> i32 {
    let mut a = 1;
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => {
            a = 10000; // changes the child's copy only
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            say(format!("child a={a}"));
            os::sleep_ms(200); // long enough for the two processes to be seen side by side
            os::exit_now(0)
        }
        Ok(ForkResult::Parent { child }) => {
            say(format!("parent pid={} child={child}", getpid()));
            // Waiting first makes the point: the child has already changed its `a`.
            os::reap(child);
            say(format!("parent a={a}"));
            0
        }
    }
}
