//! The course's `t.daemon = True` for threads (day8/thread_attr.py): when the main thread
//! is done, the program still waits for every non-daemon thread, but not for the daemon
//! ones, which end wherever they are when the process exits. Rust has no daemon flag: its
//! process ends when `main` returns, so this does by hand what Python's interpreter does
//! after the main thread's last statement: join the non-daemon threads, then exit.
//!
//! Output: `main pid=P`, `started name=daemon daemon=True`, `started name=worker
//! daemon=False`, `main done`, then about 500 ms later `worker done` (the worker), and exit
//! status 0 at once after it, while the daemon thread, which never ends, is still sleeping.
//! The process has 3 threads meanwhile. Claims: `thread.daemon`, `thread.start-join`.

use std::thread;

use nix::unistd::getpid;

use super::os::{say, sleep_ms};

pub fn main(_argv: &[String]) -> i32 {
    say(format!("main pid={}", getpid()));
    let daemon = thread::Builder::new().name("daemon".into()).spawn(|| loop {
        sleep_ms(100); // would run forever
    });
    if daemon.is_err() {
        eprintln!("thread-daemon: cannot start a thread");
        return 1;
    }
    say("started name=daemon daemon=True");
    let worker = thread::Builder::new().name("worker".into()).spawn(|| {
        sleep_ms(500);
        say("worker done");
    });
    let Ok(worker) = worker else {
        eprintln!("thread-daemon: cannot start a thread");
        return 1;
    };
    say("started name=worker daemon=False");
    say("main done");
    // The main thread's work ends here. What the interpreter then does: join the non-daemon
    // threads (not the daemon one), and exit, which ends the daemon thread too.
    let _ = worker.join();
    0
}
