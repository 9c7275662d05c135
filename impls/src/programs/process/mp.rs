//! `multiprocessing.Process` written out over `fork` (Python's "fork" start method): what
//! `start`, `join`, `is_alive`, `terminate`, `pid`, `exitcode`, `name` and `daemon` do, and
//! what happens to the children when the parent's program ends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use nix::errno::Errno;
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::os;

/// What a process runs: a closure (`Process(target=f)`), or a type of one's own (a subclass
/// overriding `run()`).
pub trait Run {
    fn run(&mut self);
}

impl<F: FnMut()> Run for F {
    fn run(&mut self) {
        self()
    }
}

/// The name of the process this is, set in a child as it starts.
static CURRENT: OnceLock<String> = OnceLock::new();

/// `current_process().name`: the child's `Process` name, `MainProcess` in the parent.
pub fn current_name() -> &'static str {
    CURRENT.get().map_or("MainProcess", String::as_str)
}

/// Numbers the processes made, for the default names `Process-1`, `Process-2`, ...
static MADE: AtomicUsize = AtomicUsize::new(0);

pub struct Process {
    pub name: String,
    /// Set before `start()`: the child is terminated when the parent's program ends.
    pub daemon: bool,
    target: Option<Box<dyn Run>>,
    pid: Option<Pid>,
    exitcode: Option<i32>,
}

impl Process {
    /// `Process(target=...)`, named `Process-N` as Python names it.
    pub fn new(target: impl Run + 'static) -> Self {
        Self::of_kind("Process", target)
    }

    /// A process named after its kind, `KIND-N`: a subclass `MyProcess` gets `MyProcess-1`.
    pub fn of_kind(kind: &str, target: impl Run + 'static) -> Self {
        let n = MADE.fetch_add(1, Ordering::Relaxed) + 1;
        Process {
            name: format!("{kind}-{n}"),
            daemon: false,
            target: Some(Box::new(target)),
            pid: None,
            exitcode: None,
        }
    }

    /// `start()`: only now does the child exist. It runs the target and nothing else of the
    /// program, then exits with 0 (1 if the target panicked).
    pub fn start(&mut self) -> nix::Result<()> {
        let mut target = self.target.take().expect("a process is started once");
        let name = self.name.clone();
        let pid = os::spawn(move || {
            let _ = CURRENT.set(name);
            // As multiprocessing's child does: its stdin is /dev/null, so a child never
            // competes with its parent for the user's input (claim process.no-stdin).
            if let Ok(null) = std::fs::File::open("/dev/null") {
                let _ = nix::unistd::dup2_stdin(&null);
            }
            target.run();
            0
        })?;
        self.pid = Some(pid);
        Ok(())
    }

    /// `pid`: the child's PID, `None` before `start()`.
    pub fn pid(&self) -> Option<Pid> {
        self.pid
    }

    /// `exitcode`: `None` while it runs, its exit status once reaped, -N if signal N killed it.
    pub fn exitcode(&self) -> Option<i32> {
        self.exitcode
    }

    /// `is_alive()`: started and not yet ended. Like Python's, it reaps a child that has
    /// ended (waitpid with WNOHANG), so asking leaves no zombie.
    pub fn is_alive(&mut self) -> bool {
        let Some(pid) = self.pid else { return false };
        if self.exitcode.is_some() {
            return false;
        }
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => true,
            Ok(status) => {
                self.exitcode = exitcode(status);
                self.exitcode.is_none()
            }
            Err(_) => false,
        }
    }

    /// `join()`: blocks until the child ends and reaps it; gives its exit code.
    pub fn join(&mut self) -> Option<i32> {
        if let (Some(pid), None) = (self.pid, self.exitcode) {
            if let Ok(status) = os::wait_for(pid) {
                self.exitcode = exitcode(status);
            }
        }
        self.exitcode
    }

    /// `terminate()`: sends SIGTERM (it still has to be joined).
    pub fn terminate(&self) {
        if let (Some(pid), None) = (self.pid, self.exitcode) {
            let _ = kill(pid, Signal::SIGTERM);
        }
    }
}

fn exitcode(status: WaitStatus) -> Option<i32> {
    match status {
        WaitStatus::Exited(_, code) => Some(code),
        WaitStatus::Signaled(_, sig, _) => Some(-(sig as i32)),
        _ => None,
    }
}

/// What multiprocessing does when the parent's program ends (its exit handler): terminate
/// the daemon children still alive, then join every child, so none is left behind, running
/// or a zombie.
pub fn at_exit(children: &mut [Process]) {
    for p in children.iter_mut() {
        if p.daemon && p.is_alive() {
            p.terminate();
        }
    }
    for p in children.iter_mut() {
        p.join();
    }
}

/// `None` or the value, as Python prints an optional.
pub fn py_opt(v: Option<impl std::fmt::Display>) -> String {
    v.map_or_else(|| "None".to_string(), |v| v.to_string())
}
