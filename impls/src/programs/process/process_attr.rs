//! The course's day7/process_attr.py: a `multiprocessing.Process` object and its attributes
//! (`name`, `pid`, `is_alive()`, `exitcode`) before `start()`, while the child runs, and after
//! `join()`. The child exists only from `start()` on, and runs only its target.
//!
//! The target prints and sleeps 300 ms. Output, in this order but for the child's line:
//! `parent pid=P`,
//! `before start name=Process-1 pid=None alive=False exitcode=None`,
//! `after start name=Process-1 pid=C alive=True exitcode=None`,
//! `child name=Process-1 pid=C ppid=P` (the target, any time after `start`),
//! `after join name=Process-1 pid=C alive=False exitcode=0`.
//! Claims: `process.attributes`, `process.start-join`, `process.runs-target`.

use nix::unistd::{getpid, getppid};

use super::mp::{self, py_opt, Process};
use super::os::{py_bool, say};

pub fn main(_argv: &[String]) -> i32 {
    say(format!("parent pid={}", getpid()));
    let mut p = Process::new(|| {
        let name = mp::current_name();
        say(format!(
            "child name={name} pid={} ppid={}",
            getpid(),
            getppid()
        ));
        std::thread::sleep(std::time::Duration::from_millis(300));
    });
    show("before start", &mut p);
    if let Err(e) = p.start() {
        eprintln!("start failed: {e}");
        return 1;
    }
    show("after start", &mut p);
    p.join();
    show("after join", &mut p);
    0
}

fn show(when: &str, p: &mut Process) {
    let alive = py_bool(p.is_alive());
    say(format!(
        "{when} name={} pid={} alive={alive} exitcode={}",
        p.name,
        py_opt(p.pid()),
        py_opt(p.exitcode())
    ));
}
