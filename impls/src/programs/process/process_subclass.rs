//! The course's day7/myProcess.py, a process class of one's own: a subclass of `Process`
//! whose `__init__` adds an attribute and whose `run()` calls its own steps; `start()` runs
//! `run()` in the child. In Rust: a struct implementing the `Run` trait.
//!
//! Output: `parent pid=P`, `started name=MyProcess-1 pid=C`, then from the child
//! `run pid=C ppid=P value=2`, `run step=1`, `run step=2`, and from the parent
//! `joined pid=C exitcode=0` (the child lingers 200 ms after its steps). Claims: `process.subclass`, `process.start-join`.

use nix::unistd::{getpid, getppid};

use super::mp::{Process, Run};
use super::os::{say, sleep_ms};

/// The subclass: its own attribute, its own steps, and `run()` calling them.
struct MyProcess {
    value: i32,
}

impl MyProcess {
    fn f1(&self) {
        say("run step=1");
    }
    fn f2(&self) {
        say("run step=2");
    }
}

impl Run for MyProcess {
    fn run(&mut self) {
        say(format!(
            "run pid={} ppid={} value={}",
            getpid(),
            getppid(),
            self.value
        ));
        self.f1();
        self.f2();
        sleep_ms(200); // long enough for the child to be seen beside the parent
    }
}

pub fn main(_argv: &[String]) -> i32 {
    say(format!("parent pid={}", getpid()));
    let mut p = Process::of_kind("MyProcess", MyProcess { value: 2 });
    if let Err(e) = p.start() {
        eprintln!("start failed: {e}");
        return 1;
    }
    let pid = p.pid().expect("started");
    say(format!("started name={} pid={pid}", p.name));
    let code = p.join();
    say(format!("joined pid={pid} exitcode={}", code.unwrap_or(-1)));
    0
}
