//! The pipe (管道) of the course's IPC list, as `multiprocessing.Pipe()` makes it: two
//! connected ends (a socket pair, duplex), made before the fork; the child keeps one, the
//! parent the other. Each closes the end it does not use: the parent sees end of file
//! (`EOFError`) only once every copy of the child's end is closed.
//!
//! The child sends three messages 100 ms apart and exits. Output: `parent pid=P child=C`,
//! `child pid=C ppid=P`, `send msg=1` (child), `recv msg=1` (parent), ... up to 3, then
//! `recv EOF` and `reaped C status 0` (parent). A `recv msg=I` never precedes its
//! `send msg=I`. Claims: `ipc.kinds`, `proc.isolated`.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

use nix::unistd::{getpid, getppid};

use super::os::{self, say};

pub fn main(_argv: &[String]) -> i32 {
    // Pipe(): a connected pair of stream sockets, as multiprocessing makes it.
    let (parent_end, child_end) = match UnixStream::pair() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pipe: {e}");
            return 1;
        }
    };
    let child = os::spawn(|| {
        // The child does not use the parent's end: it closes its copy.
        let _ = nix::unistd::close(parent_end.as_raw_fd());
        say(format!("child pid={} ppid={}", getpid(), getppid()));
        let mut end = &child_end;
        for i in 1..=3 {
            say(format!("send msg={i}"));
            if send(&mut end, &i.to_string()).is_err() {
                return 1;
            }
            os::sleep_ms(100);
        }
        0
    });
    let child = match child {
        Ok(c) => c,
        Err(e) => return os::fork_failed(e),
    };
    say(format!("parent pid={} child={child}", getpid()));
    // The parent's copy of the child's end must go, or recv never sees end of file.
    drop(child_end);
    let mut end = &parent_end;
    loop {
        match recv(&mut end) {
            Ok(Some(msg)) => say(format!("recv msg={msg}")),
            Ok(None) => {
                say("recv EOF");
                break;
            }
            Err(e) => {
                eprintln!("recv: {e}");
                break;
            }
        }
    }
    os::reap(child);
    0
}

/// `conn.send(msg)`: a 4-byte length, then the bytes.
fn send(end: &mut impl Write, msg: &str) -> std::io::Result<()> {
    let mut frame = (msg.len() as u32).to_ne_bytes().to_vec();
    frame.extend_from_slice(msg.as_bytes());
    end.write_all(&frame)
}

/// `conn.recv()`: the next message, `None` at end of file (Python raises `EOFError`).
fn recv(end: &mut impl Read) -> std::io::Result<Option<String>> {
    let mut len = [0u8; 4];
    match end.read_exact(&mut len) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let mut body = vec![0u8; u32::from_ne_bytes(len) as usize];
    end.read_exact(&mut body)?;
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}
