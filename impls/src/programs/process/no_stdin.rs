//! A child made by the process API cannot read the program's standard input: as
//! multiprocessing does, `Process.start()` gives the child /dev/null for stdin, so a read
//! there ends at once (end of file) and the parent alone gets what the user types.
//!
//! The program waits 300 ms (for input to be typed), starts a child that reads one line,
//! joins it, then reads one line itself. Output: `child read EOF` (or `child read LINE`),
//! then `parent read LINE` (or `parent read EOF`).
//! Claims: `process.no-stdin`.

use std::io::BufRead;

use super::mp::Process;
use super::os::say;

pub fn main(_argv: &[String]) -> i32 {
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut p = Process::new(|| say(format!("child read {}", read_line())));
    if let Err(e) = p.start() {
        eprintln!("start failed: {e}");
        return 1;
    }
    p.join();
    say(format!("parent read {}", read_line()));
    0
}

/// One line of stdin without its newline, or `EOF`.
fn read_line() -> String {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) => "EOF".into(),
        Ok(_) => line.trim_end().to_owned(),
        Err(e) => format!("error {e}"),
    }
}
