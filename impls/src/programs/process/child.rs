//! The course's day6/child.py, the second-level child (二级子进程) that avoids zombies: the
//! parent forks a child and waits for it; that child forks a grandchild and exits at once;
//! the grandchild, now an orphan, is adopted (by init or the nearest subreaper, which reaps
//! it) and works beside the parent, never the parent's zombie.
//!
//! Output: `parent pid=P child=M`, `middle pid=M ppid=P grandchild=G` (then M exits 0),
//! `reaped M status 0`, `grandchild pid=G adopted ppid=R` (R is not M: printed once M is
//! gone), then, interleaved, `grandchild work i=0..2` (every 100 ms) and `parent work i=0..2`
//! (every 200 ms), `grandchild done` (about 300 ms in) and last `parent done` (about 600 ms).
//! Claims: `zombie.double-fork`, `orphan.adopted`, `zombie.wait`.

use std::time::Duration;

use nix::unistd::{getpid, getppid, ForkResult, Pid};

use super::os::{self, say};

pub fn main(_argv: &[String]) -> i32 {
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => middle(),
        Ok(ForkResult::Parent { child }) => {
            say(format!("parent pid={} child={child}", getpid()));
            os::reap(child); // at once: the middle child exits right after its fork
            for i in 0..3 {
                os::sleep_ms(200);
                say(format!("parent work i={i}"));
            }
            say("parent done");
            0
        }
    }
}

/// The first child: forks the grandchild and exits at once, leaving it an orphan.
fn middle() -> ! {
    let me = getpid();
    match os::fork() {
        Err(e) => os::exit_now(os::fork_failed(e)),
        Ok(ForkResult::Child) => grandchild(me),
        Ok(ForkResult::Parent { child }) => {
            say(format!(
                "middle pid={} ppid={} grandchild={child}",
                getpid(),
                getppid()
            ));
            os::exit_now(0)
        }
    }
}

/// The grandchild: once adopted, works a while beside the parent, then exits; whoever
/// adopted it reaps it. (It is told its parent's PID: by the time it runs, that parent may
/// be gone already, and `getppid()` the adopter's.)
fn grandchild(middle: Pid) -> ! {
    let reaper = os::adopted_from(middle, Duration::from_secs(2));
    say(format!("grandchild pid={} adopted ppid={reaper}", getpid()));
    for i in 0..3 {
        os::sleep_ms(100);
        say(format!("grandchild work i={i}"));
    }
    say("grandchild done");
    os::exit_now(0)
}
