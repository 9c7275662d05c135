//! The course's zombie (僵尸进程): a child that exits while its parent does not collect its
//! status stays in the process table in state Z, holding part of its PCB, until the parent
//! waits.
//!
//! The child exits at once with status 3; the parent sleeps `--sleep-ms N` (default 800)
//! first, reads the child's state from /proc, then waits. Output: `parent pid=P child=C`,
//! `child pid=C ppid=P` (either first), `child C state=Z` (just before the wait),
//! `reaped C status 3`, `child C gone` (no /proc entry any more).
//! Claims: `zombie.appears`, `zombie.wait`, `proc.states`.

use nix::unistd::{getpid, getppid, ForkResult};

use super::os::{self, say};
use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let sleep = match args::number(argv, "--sleep-ms", 800) {
        Ok(ms) => ms,
        Err(e) => {
            eprintln!("zombie: {e}");
            return 2;
        }
    };
    match os::fork() {
        Err(e) => os::fork_failed(e),
        Ok(ForkResult::Child) => {
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            os::exit_now(3)
        }
        Ok(ForkResult::Parent { child }) => {
            say(format!("parent pid={} child={child}", getpid()));
            os::sleep_ms(sleep); // not waiting yet: the exited child is a zombie meanwhile
            let state = os::proc_state(child).map_or("gone".to_string(), String::from);
            say(format!("child {child} state={state}"));
            os::reap(child);
            if os::proc_state(child).is_none() {
                say(format!("child {child} gone"));
            }
            0
        }
    }
}
