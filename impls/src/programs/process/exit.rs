//! The course's day5/exit.py: `os._exit(status)` ends the process at once with that status;
//! `sys.exit("text")` prints the text on standard error and ends with status 1. Nothing the
//! program would do after the exit happens.
//!
//! `--status N` (0..=255, default 0) exits with N; `--text T` prints T on standard error and
//! exits with 1. Output: `exiting pid=P` on standard output, then nothing more.
//! Claims: `proc.exit-status`.

use nix::unistd::getpid;

use super::os::{self, say};
use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let status = match args::number::<u8>(argv, "--status", 0) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("exit: {e} (0 to 255)");
            return 2;
        }
    };
    say(format!("exiting pid={}", getpid()));
    if let Some(text) = args::value(argv, "--text") {
        eprintln!("{text}");
        os::exit_now(1);
    }
    os::exit_now(status.into())
}
