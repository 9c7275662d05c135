//! The course's `p.daemon = True` (process_attr.py): a daemon child, set so before `start()`,
//! ends when the parent's program ends; the parent does not join it. Here the child would
//! tick forever; the parent ends after 350 ms and, as multiprocessing's exit handler does,
//! terminates (SIGTERM) and reaps it on its way out: nothing outlives the parent.
//!
//! Output: `parent pid=P`, `started name=Process-1 pid=C daemon=True`,
//! `daemon pid=C ppid=P`, `daemon tick n=0`, `n=1`, ... every 100 ms, and `parent exits`:
//! the last line (a tick racing it may come just after, none later); exit status 0 with
//! no process of the tree left, running or zombie. Claims: `process.daemon`.

use nix::unistd::{getpid, getppid};

use super::mp::{self, Process};
use super::os::{py_bool, say, sleep_ms};

pub fn main(_argv: &[String]) -> i32 {
    say(format!("parent pid={}", getpid()));
    let mut p = Process::new(|| {
        say(format!("daemon pid={} ppid={}", getpid(), getppid()));
        for n in 0.. {
            say(format!("daemon tick n={n}"));
            sleep_ms(100);
        }
    });
    p.daemon = true;
    if let Err(e) = p.start() {
        eprintln!("start failed: {e}");
        return 1;
    }
    say(format!(
        "started name={} pid={} daemon={}",
        p.name,
        p.pid().expect("started"),
        py_bool(p.daemon)
    ));
    sleep_ms(350);
    say("parent exits");
    // The program's end: what Python runs after the last statement (no join above).
    mp::at_exit(&mut [p]);
    0
}
