//! What the process references have in common: the course's `os` calls (`fork`, `_exit`,
//! `waitpid`, `getppid`) and output written one whole line per write(2).

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::{getppid, ForkResult, Pid};

/// Prints `line` and its newline in one write(2) on standard output, at once.
///
/// Parent and children share the pipe: one write per line keeps their lines whole (Python's
/// `print` writes the text and the newline apart), and no text waits in a buffer that a fork
/// would copy into the child and print twice.
pub fn say(line: impl AsRef<str>) {
    let mut buf = Vec::with_capacity(line.as_ref().len() + 1);
    buf.extend_from_slice(line.as_ref().as_bytes());
    buf.push(b'\n');
    let mut rest = &buf[..];
    while !rest.is_empty() {
        match nix::unistd::write(std::io::stdout(), rest) {
            Ok(n) => rest = &rest[n..],
            Err(Errno::EINTR) => continue,
            Err(_) => return, // standard output is gone: nobody is left to tell
        }
    }
}

/// `os.fork()`.
pub fn fork() -> nix::Result<ForkResult> {
    // SAFETY: the references fork only while they have a single thread, so the child's copy
    // of memory holds no lock that another thread was holding.
    unsafe { nix::unistd::fork() }
}

/// Forks a child that runs `body` and `_exit`s with what it returns (1 if it panics); gives
/// the parent the child's PID.
pub fn spawn(body: impl FnOnce() -> i32) -> nix::Result<Pid> {
    match fork()? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            // A panic must not unwind into the parent's code, of which the child has a copy.
            let status = std::panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(1);
            exit_now(status)
        }
    }
}

/// `os._exit(status)`: ends the process at once. A forked child ends this way: it must not
/// run the parent's clean-up (destructors, exit handlers) of which it holds a copy.
pub fn exit_now(status: i32) -> ! {
    // SAFETY: _exit only ends the calling process.
    unsafe { libc::_exit(status) }
}

/// `os.waitpid(pid, 0)`, retried when a signal handler interrupts it (as Python does).
pub fn wait_for(pid: Pid) -> nix::Result<WaitStatus> {
    loop {
        match waitpid(pid, None) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// Waits for `pid` and prints the parent's line for it: `reaped PID status N` (it exited
/// with N) or `reaped PID signal N` (signal N killed it).
pub fn reap(pid: Pid) {
    match wait_for(pid) {
        Ok(WaitStatus::Exited(p, code)) => say(format!("reaped {p} status {code}")),
        Ok(WaitStatus::Signaled(p, sig, _)) => say(format!("reaped {p} signal {}", sig as i32)),
        Ok(other) => say(format!("reaped {pid} {other:?}")),
        Err(e) => eprintln!("waitpid({pid}) failed: {e}"),
    }
}

/// For a failed fork: says why on standard error and gives the exit status, 1.
pub fn fork_failed(e: Errno) -> i32 {
    eprintln!("fork failed: {e}");
    1
}

/// The state letter of process `pid` (`R`, `S`, `Z`, ...) from /proc/PID/stat, if it exists.
pub fn proc_state(pid: Pid) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses; the state
    // follows the last ')'.
    stat[stat.rfind(')')? + 1..].trim_start().chars().next()
}

/// Polls `getppid()` until it is no longer `parent` (that parent has exited and the caller
/// was adopted), for at most `within`; returns the parent then.
pub fn adopted_from(parent: Pid, within: Duration) -> Pid {
    let deadline = Instant::now() + within;
    loop {
        let now = getppid();
        if now != parent || Instant::now() >= deadline {
            return now;
        }
        sleep_ms(5);
    }
}

/// `time.sleep(ms / 1000)`.
pub fn sleep_ms(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// Python's spelling of a bool, so the references print what the Python examples print.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
