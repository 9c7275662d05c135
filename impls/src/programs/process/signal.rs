//! Signals (信号) from the course's IPC list: one process sends another a signal with
//! `os.kill(pid, sig)`; the receiver's handler, installed with `signal.signal`, runs when it
//! arrives, interrupting what the process was doing (here the parent's `wait`, which is then
//! resumed).
//!
//! The parent installs a SIGUSR1 handler and forks; the child sends SIGUSR1 to its parent,
//! lingers 100 ms and exits. Output: `parent pid=P child=C`, `child pid=C ppid=P`,
//! `child kill pid=P sig=SIGUSR1`, `handler pid=P got SIGUSR1` (printed by the parent's
//! handler), `reaped C status 0`. Claims: `ipc.kinds`.

use nix::sys::signal::{kill, sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::unistd::{getpid, getppid};

use super::os::{self, say};

/// The handler. A handler may interrupt anything, even a `say` holding its buffer, so it
/// uses only async-signal-safe calls: getpid and one write(2) of a line built on the stack.
extern "C" fn on_usr1(_sig: libc::c_int) {
    let mut line = [0u8; 64];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        line[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    };
    put(b"handler pid=");
    // SAFETY: getpid is async-signal-safe and cannot fail.
    let pid = unsafe { libc::getpid() };
    let mut digits = [0u8; 12];
    let mut n = pid.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[at..]);
    put(b" got SIGUSR1\n");
    // SAFETY: write(2) is async-signal-safe; `line` holds `len` initialised bytes.
    unsafe { libc::write(1, line.as_ptr().cast(), len) };
}

pub fn main(_argv: &[String]) -> i32 {
    // Installed before the fork, and without SA_RESTART: the signal interrupts the parent's
    // wait, which os::reap then resumes, as Python does.
    let action = SigAction::new(
        SigHandler::Handler(on_usr1),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler makes only async-signal-safe calls.
    if let Err(e) = unsafe { sigaction(Signal::SIGUSR1, &action) } {
        eprintln!("signal: sigaction failed: {e}");
        return 1;
    }
    let child = os::spawn(|| {
        let parent = getppid();
        say(format!("child pid={} ppid={parent}", getpid()));
        say(format!("child kill pid={parent} sig=SIGUSR1"));
        if let Err(e) = kill(parent, Signal::SIGUSR1) {
            eprintln!("kill failed: {e}");
            return 1;
        }
        os::sleep_ms(100);
        0
    });
    let child = match child {
        Ok(c) => c,
        Err(e) => return os::fork_failed(e),
    };
    say(format!("parent pid={} child={child}", getpid()));
    os::reap(child);
    0
}
