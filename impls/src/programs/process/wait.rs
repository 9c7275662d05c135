//! The course's day6/wait.py: `os.wait()` blocks the parent until its child exits, and gives
//! the child's PID and exit status; the child is then gone, so no zombie lasts.
//!
//! The child sleeps 300 ms and exits with `--status N` (default 3); the parent waits, then
//! lingers 300 ms with no child at all. Output: `parent pid=P child=C`, `child pid=C ppid=P`
//! (either first), then `reaped C status N`. Claims: `zombie.wait`, `fork.returns`,
//! `proc.exit-status`.

use nix::unistd::{getpid, getppid, ForkResult};

use super::os::{self, say};
use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let status = match args::number::<u8>(argv, "--status", 3) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wait: {e} (0 to 255)");
            return 2;
        }
    };
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => {
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            os::sleep_ms(300);
            os::exit_now(status.into())
        }
        Ok(ForkResult::Parent { child }) => {
            say(format!("parent pid={} child={child}", getpid()));
            os::reap(child); // blocks about 300 ms: the child is asleep, not a zombie
            os::sleep_ms(300);
            0
        }
    }
}
