//! The chat room client of the course: it asks for a name and enters the room with it
//! (asking again while the server refuses), then sends each line typed as a message and
//! prints what the room sends, from a second thread, as the course's forked receiver does.
//! The line `quit`, or the end of input, leaves the room: in v1 the client waits for the
//! server's `EXIT` (at most 3s); in v2 nothing comes back, and it ends at once.
//!
//! Claims: `chat.unique-name`, `chat.broadcast` (the client's side). Protocol: either course
//! version (`--protocol 1|2`, protocol.rs); the server is `--server HOST:PORT`, by default
//! the course's `127.0.0.1:8888` (not `$PORT`: course clients hard-code the server's port).
//!
//! Each `Bug` is a mutant (`conform ref --list`): the reference with one marked bug.

use std::io::{BufRead, Write};
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::time::Duration;

use super::protocol::{self, Version, V1};
use crate::programs::args;
use crate::programs::servers::common::{say, warn};

/// The one place a mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bug {
    None,
    V1Words,
    GivesUp,
    IgnoresExit,
    WaitsForExit,
    PrintsFirstOnly,
}

/// How long a v1 client waits for its `EXIT` once it has asked to leave.
const EXIT_WAIT: Duration = Duration::from_secs(3);

/// How long it waits for the answer to its login.
const LOGIN_WAIT: Duration = Duration::from_secs(5);

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn run(argv: &[String], bug: Bug) -> i32 {
    let version = match protocol::from_args(argv) {
        // BUG: the client was written for v1 and still speaks it to a v2 server.
        Ok(_) if bug == Bug::V1Words => &V1,
        Ok(v) => v,
        Err(e) => {
            warn(&format!("chat-client: {e}"));
            return 2;
        }
    };
    let server = args::value(argv, "--server").unwrap_or("127.0.0.1:8888");
    let server: SocketAddr = match server.parse() {
        Ok(a) => a,
        Err(e) => {
            warn(&format!("chat-client: --server `{server}`: {e}"));
            return 2;
        }
    };
    let socket = match UdpSocket::bind(("0.0.0.0", 0)) {
        Ok(s) => s,
        Err(e) => {
            warn(&format!("chat-client: {e}"));
            return 1;
        }
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines().map_while(Result::ok);
    let Some(name) = enter(&socket, server, version, bug, &mut lines) else {
        return 1;
    };

    let (ended_tx, ended_rx) = mpsc::channel();
    match socket.try_clone() {
        Ok(s) => {
            std::thread::spawn(move || receive(s, version, bug, ended_tx));
        }
        Err(e) => warn(&format!("chat-client: cannot receive: {e}")),
    }
    for line in lines {
        let text = line.trim();
        if text == "quit" {
            break;
        }
        if !text.is_empty() {
            send(&socket, server, &version.chat_request(&name, text));
        }
    }
    send(&socket, server, &version.quit_request(&name));
    if version.exit_reply.is_some() && bug == Bug::IgnoresExit
        || version.exit_reply.is_none() && bug == Bug::WaitsForExit
    {
        // BUG: waits for a receiver that never ends: in v1 it took `EXIT` for a message
        // and goes on; in v2 it waits for an `EXIT` that never comes.
        let _ = ended_rx.recv();
    } else if version.exit_reply.is_some() {
        // The receiver ends when `EXIT` comes; a server that is gone must not keep us.
        let _ = ended_rx.recv_timeout(EXIT_WAIT);
    }
    say("you left the room");
    0
}

/// Asks for names until the server lets one in; `None` at the end of input, or when the
/// server does not answer.
fn enter(
    socket: &UdpSocket,
    server: SocketAddr,
    version: &Version,
    bug: Bug,
    lines: &mut impl Iterator<Item = String>,
) -> Option<String> {
    if let Err(e) = socket.set_read_timeout(Some(LOGIN_WAIT)) {
        warn(&format!("chat-client: {e}"));
    }
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        prompt("name: ");
        let name = lines.next()?.trim().to_owned();
        if name.is_empty() {
            continue;
        }
        send(socket, server, &version.login_request(&name));
        let reply = match socket.recv_from(&mut buf) {
            Ok((n, _)) => String::from_utf8_lossy(&buf[..n]).trim().to_owned(),
            Err(e) => {
                warn(&format!("chat-client: no answer from {server}: {e}"));
                return None;
            }
        };
        if reply == version.ok {
            say(&format!("you are in the room as {name}"));
            let _ = socket.set_read_timeout(None);
            return Some(name);
        }
        say(&format!("refused: {reply}"));
        if bug == Bug::GivesUp {
            // BUG: a refused name ends the client instead of asking for another.
            return None;
        }
    }
}

/// Prints each datagram the room sends, a line each (without the leading newline course
/// servers put in front), until the v1 `EXIT`, which it reports on `ended`.
fn receive(socket: UdpSocket, version: &Version, bug: Bug, ended: mpsc::Sender<()>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match socket.recv_from(&mut buf) {
            Ok((n, _)) => n,
            Err(e) => {
                // An ICMP error of an earlier send (the server is gone): say so, go on.
                warn(&format!("chat-client: {e}"));
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&buf[..n]);
        let text = text.trim();
        if Some(text) == version.exit_reply && bug != Bug::IgnoresExit {
            let _ = ended.send(());
            return;
        }
        say(text);
        if bug == Bug::PrintsFirstOnly {
            // BUG: `recvfrom` outside the loop: one message is printed, then nothing more.
            return;
        }
    }
}

fn send(socket: &UdpSocket, server: SocketAddr, request: &str) {
    if let Err(e) = socket.send_to(request.as_bytes(), server) {
        warn(&format!("chat-client: send to {server}: {e}"));
    }
}

/// A prompt, without a newline, as `input("name: ")` prints it.
fn prompt(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
