//! The course's day5/get_pid.py: `os.getpid()` gives the caller's own PID, `os.getppid()` its
//! parent's; the parent learns its child's PID from `fork`.
//!
//! Output: `parent pid=P ppid=G child=C` and `child pid=C ppid=P` (either first), then
//! `reaped C status 0`. The child lingers 200 ms before it exits. Claims: `proc.getpid`, `fork.own-identity`, `proc.one-parent`,
//! `proc.pid-unique`.

use nix::unistd::{getpid, getppid, ForkResult};

use super::os::{self, say};

pub fn main(_argv: &[String]) -> i32 {
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => {
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            os::sleep_ms(200); // long enough for the two processes to be seen side by side
            os::exit_now(0)
        }
        Ok(ForkResult::Parent { child }) => {
            say(format!(
                "parent pid={} ppid={} child={child}",
                getpid(),
                getppid()
            ));
            os::reap(child);
            0
        }
    }
}
