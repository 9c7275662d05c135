//! The thread-per-client server of the course ("多线程并发模型"): the main thread listens and
//! accepts; each client gets a thread that answers every message until the client leaves,
//! and then ends.
//!
//! Protocol: echo-ack (docs/protocols.md): the bytes back (echo), or `--reply TEXT` for
//! each message, as course servers do. Claims: `server.thread`, `server.per-client`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let port = args::port(argv);
    let reply = args::value(argv, "--reply").map(|r| r.as_bytes().to_vec());
    let listener = match TcpListener::bind(("0.0.0.0", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("echo-thread-server: cannot listen on port {port}: {e}");
            return 1;
        }
    };
    println!("listening on port {port}");
    for stream in listener.incoming().flatten() {
        let reply = reply.clone();
        std::thread::spawn(move || serve(stream, reply.as_deref()));
    }
    0
}

/// Answers one client until it closes (or resets) its side.
fn serve(mut stream: TcpStream, reply: Option<&[u8]>) {
    let mut buf = [0u8; 4096];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let answer = reply.unwrap_or(&buf[..n]);
        if stream.write_all(answer).is_err() {
            return;
        }
    }
}
