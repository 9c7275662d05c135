//! The course's IO modes ("IO模型": 阻塞IO, 非阻塞IO, 超时检测) on a listening socket:
//!
//! - `--mode blocking` (the default of every socket): `accept` waits until a client comes;
//! - `--mode nonblocking` (`s.setblocking(False)`): `accept` with nobody waiting fails at
//!   once with "would block" (Python: `BlockingIOError`), so the program tries again later;
//! - `--mode timeout` (`s.settimeout(t)`): `accept` fails after about `t`
//!   (`--timeout-ms`, default 300; Python: `socket.timeout`).
//!
//! Output: `listening on port N`, then per mode (times in ms since the call began):
//! `accepted after_ms=N`, or `accept would block after_ms=N` then (polling every 100ms)
//! `accepted after_ms=N`, or `accept timed out after_ms=N`. Then, once a client is
//! accepted, `recv after_ms=N data=TEXT` (a blocking recv) and exit 0.
//!
//! Claims: `io.blocking`, `io.nonblocking`, `io.timeout`.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::common;
use crate::programs::args;

const NAME: &str = "io-modes";

pub fn main(argv: &[String]) -> i32 {
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    let mode = args::value(argv, "--mode").unwrap_or("blocking");
    let since = |t: Instant| t.elapsed().as_millis();
    let start = Instant::now();
    let client = match mode {
        "blocking" => listener.accept().map(|(c, _)| c),
        "nonblocking" => {
            if let Err(e) = listener.set_nonblocking(true) {
                eprintln!("{NAME}: {e}");
                return 1;
            }
            loop {
                match listener.accept() {
                    Ok((c, _)) => break Ok(c),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        say(&format!("accept would block after_ms={}", since(start)));
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Err(e) => break Err(e),
                }
            }
        }
        "timeout" => {
            let ms = args::value(argv, "--timeout-ms")
                .and_then(|v| v.parse().ok())
                .unwrap_or(300);
            return timeout(&listener, Duration::from_millis(ms), start);
        }
        other => {
            eprintln!("{NAME}: unknown --mode {other} (blocking, nonblocking, timeout)");
            return 2;
        }
    };
    match client {
        Ok(c) => {
            say(&format!("accepted after_ms={}", since(start)));
            receive(c)
        }
        Err(e) => {
            eprintln!("{NAME}: accept: {e}");
            1
        }
    }
}

/// `settimeout(t)` then `accept()`: std has no accept timeout, so this polls the socket
/// with `poll(2)` for at most `t`, as CPython does under `settimeout`.
fn timeout(listener: &std::net::TcpListener, limit: Duration, start: Instant) -> i32 {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    use std::os::fd::AsFd;
    let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
    let ms = PollTimeout::try_from(limit.as_millis() as i32).unwrap_or(PollTimeout::MAX);
    match poll(&mut fds, ms) {
        Ok(0) => {
            say(&format!(
                "accept timed out after_ms={}",
                start.elapsed().as_millis()
            ));
            0
        }
        Ok(_) => match listener.accept() {
            Ok((c, _)) => {
                say(&format!(
                    "accepted after_ms={}",
                    start.elapsed().as_millis()
                ));
                receive(c)
            }
            Err(e) => {
                eprintln!("{NAME}: accept: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("{NAME}: poll: {e}");
            1
        }
    }
}

/// A blocking `recv`: waits for the client's first message.
fn receive(mut c: TcpStream) -> i32 {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    match c.read(&mut buf) {
        Ok(n) => {
            let text = String::from_utf8_lossy(&buf[..n]);
            say(&format!(
                "recv after_ms={} data={}",
                start.elapsed().as_millis(),
                text.trim_end()
            ));
            0
        }
        Err(e) => {
            eprintln!("{NAME}: recv: {e}");
            1
        }
    }
}

fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
