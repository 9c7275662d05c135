//! The course's orphan (孤儿进程): a parent that exits before its child leaves it an orphan;
//! a system process (init, or the nearest subreaper) adopts it, becomes its parent, and
//! reaps it when it exits.
//!
//! The parent exits (status 0) as soon as the child has printed its first line (it waits for
//! a byte on a pipe, so the order is fixed). Output: `parent pid=P child=C`,
//! `child pid=C ppid=P`, `parent exits`, then from the orphan `orphan pid=C ppid=R` (R is
//! not P) and, 300 ms later, `orphan done`. Claims: `orphan.adopted`, `proc.one-parent`.

use std::time::Duration;

use nix::unistd::{getpid, getppid, pipe, read, write, ForkResult};

use super::os::{self, say};

pub fn main(_argv: &[String]) -> i32 {
    let (ready_r, ready_w) = match pipe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pipe failed: {e}");
            return 1;
        }
    };
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => {
            let parent = getppid();
            say(format!("child pid={} ppid={parent}", getpid()));
            let _ = write(&ready_w, b"."); // the parent may go now
            let reaper = os::adopted_from(parent, Duration::from_secs(2));
            say(format!("orphan pid={} ppid={reaper}", getpid()));
            os::sleep_ms(300);
            say("orphan done");
            os::exit_now(0)
        }
        Ok(ForkResult::Parent { child }) => {
            say(format!("parent pid={} child={child}", getpid()));
            let _ = read(&ready_r, &mut [0u8; 1]);
            say("parent exits"); // without waiting: the child is left an orphan
            0
        }
    }
}
