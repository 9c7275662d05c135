//! What every echo-ack server shares: the flags, the listening socket, the reply choice, a
//! blocking serve loop (loop, fork and thread servers) and, for the one-thread servers
//! (select, poll, epoll), a client with its pending output.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, RawFd};

use crate::programs::args;

/// Bytes read per message. One `read` is one message, as one `recv(1024)` is in the course.
pub const READ_SIZE: usize = 4096;

/// Above this much unsent output a client is not read any more until it reads its answers,
/// so a client that never reads cannot make the server grow without bound. A blocking
/// server gets the same from TCP: its `write` waits.
const HIGH_WATER: usize = 8 << 20;

/// What goes back for each message: the message itself, or the `--reply` literal.
#[derive(Clone)]
pub struct Reply(Option<Vec<u8>>);

impl Reply {
    pub fn from_args(argv: &[String]) -> Reply {
        Reply(args::value(argv, "--reply").map(|r| r.as_bytes().to_vec()))
    }

    /// The answer to `message`. A message `cpu N` first costs N ms of computation, on the
    /// thread that serves it: a request that is CPU-bound, which IO multiplexing cannot hide
    /// (claim `server.io-multiplexing`; scenario `servers.cpu-bound-stalls`).
    pub fn to<'a>(&'a self, message: &'a [u8]) -> &'a [u8] {
        if let Some(ms) = cpu_request(message) {
            let until = std::time::Instant::now() + std::time::Duration::from_millis(ms);
            let mut x = 0u64;
            while std::time::Instant::now() < until {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
        }
        self.0.as_deref().unwrap_or(message)
    }
}

/// `cpu N` (then a newline, or not): N milliseconds of work asked for, at most 10 s.
fn cpu_request(message: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(message).ok()?;
    let ms: u64 = text.strip_prefix("cpu ")?.trim().parse().ok()?;
    Some(ms.min(10_000))
}

/// Binds `0.0.0.0:PORT` (`--port`, `$PORT`, 8888) and prints `listening on port N`, the
/// line scenarios wait for; `None` after saying why on stderr.
pub fn listen(name: &str, argv: &[String]) -> Option<TcpListener> {
    let port = args::port(argv);
    match TcpListener::bind(("0.0.0.0", port)) {
        Ok(listener) => {
            say(&format!("listening on port {port}"));
            Some(listener)
        }
        Err(e) => {
            warn(&format!("{name}: cannot listen on port {port}: {e}"));
            None
        }
    }
}

/// A line on stdout. A reader that has gone must not kill a server, so errors are ignored.
pub fn say(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// A line on stderr, errors ignored as in [`say`].
pub fn warn(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// `accept` failed. Out of descriptors (EMFILE, ENFILE) the pending connection stays in the
/// queue and the listener stays readable: pause a little so that a one-thread server does
/// not spin on it.
pub fn accept_failed(name: &str, e: &io::Error) {
    warn(&format!("{name}: accept: {e}"));
    if matches!(
        e.raw_os_error(),
        Some(nix::libc::EMFILE | nix::libc::ENFILE)
    ) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Answers one client with blocking IO until it closes or resets its side (loop, fork and
/// thread servers).
pub fn serve_blocking(stream: &mut TcpStream, reply: &Reply) {
    let mut buf = [0u8; READ_SIZE];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if stream.write_all(reply.to(&buf[..n])).is_err() {
            return;
        }
    }
}

/// What one `read` on a non-blocking client gave.
pub enum Got {
    /// A message, whose answer is now queued (call [`Client::flush`]).
    Message,
    /// Nothing to read yet (WouldBlock).
    Nothing,
    /// The client closed its side (EOF): nothing more to read. The client stays until the
    /// output it is owed is sent ([`Client::finished`]).
    Left,
    /// The read failed, e.g. ECONNRESET when the client reset the connection.
    Failed(io::Error),
}

/// Whether [`Client::flush`] sent everything.
#[derive(PartialEq, Eq)]
pub enum Flushed {
    All,
    /// The socket is full: the rest waits for writability.
    Blocked,
}

/// A client of a one-thread server: a non-blocking socket and the output it still owes.
/// Answers are sent in order, and none is lost: what a `write` could not take stays here,
/// even after the client has closed its sending side (a half-close: it still reads).
pub struct Client {
    stream: TcpStream,
    pending: VecDeque<u8>,
    /// EOF was read: the client sends nothing more.
    read_closed: bool,
}

impl Client {
    pub fn new(stream: TcpStream) -> io::Result<Client> {
        stream.set_nonblocking(true)?;
        Ok(Client {
            stream,
            pending: VecDeque::new(),
            read_closed: false,
        })
    }

    pub fn fd(&self) -> RawFd {
        self.stream.as_raw_fd()
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// Output is waiting: watch this socket for writability (and only then).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The server should watch this client for input: not after EOF, nor while too much
    /// output waits.
    pub fn wants_read(&self) -> bool {
        !self.read_closed && self.pending.len() < HIGH_WATER
    }

    /// The client has closed its side and has been sent everything: it can be closed.
    pub fn finished(&self) -> bool {
        self.read_closed && !self.has_pending()
    }

    /// One `read` into `buf`; a message gets its answer queued.
    pub fn read_message(&mut self, buf: &mut [u8], reply: &Reply) -> Got {
        match self.stream.read(buf) {
            Ok(0) => {
                self.read_closed = true;
                Got::Left
            }
            Ok(n) => {
                self.pending.extend(reply.to(&buf[..n]));
                Got::Message
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Got::Nothing,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Got::Nothing,
            Err(e) => Got::Failed(e),
        }
    }

    /// Writes pending output until it is all sent or the socket is full. An error means the
    /// client is gone.
    pub fn flush(&mut self) -> io::Result<Flushed> {
        while self.has_pending() {
            match self.stream.write(self.pending.as_slices().0) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => drop(self.pending.drain(..n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Flushed::Blocked),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Flushed::All)
    }

    /// Forgets the output not sent yet. Only a mutant calls this.
    pub fn drop_pending(&mut self) {
        self.pending.clear();
    }
}

/// Why a client was dropped.
pub enum Gone {
    /// It closed its side (EOF) and was sent everything it was owed.
    Left,
    /// A read failed (ECONNRESET after a reset, ...).
    ReadFailed(io::Error),
    /// A write failed (EPIPE, ECONNRESET): nobody reads any more.
    WriteFailed(io::Error),
}

/// A level-triggered server's turn with a ready client: one `read` if it is readable and
/// read from (one message, as one `recv` per readiness in the course), then as much pending
/// output as the socket takes. `Ok` says whether output still waits; `Err` that the client
/// is gone and must be unregistered and closed.
pub fn serve_ready(
    client: &mut Client,
    readable: bool,
    buf: &mut [u8],
    reply: &Reply,
) -> Result<Flushed, Gone> {
    if readable && client.wants_read() {
        if let Got::Failed(e) = client.read_message(buf, reply) {
            return Err(Gone::ReadFailed(e));
        }
    }
    let flushed = client.flush().map_err(Gone::WriteFailed)?;
    if client.finished() {
        return Err(Gone::Left);
    }
    Ok(flushed)
}

/// Accepts every connection waiting on a non-blocking listener and hands each to
/// `new_client` (an edge-triggered server must take them all: no second event comes).
pub fn accept_ready(name: &str, listener: &TcpListener, mut new_client: impl FnMut(TcpStream)) {
    loop {
        match listener.accept() {
            Ok((stream, _)) => new_client(stream),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // The peer gave up before we accepted: nothing to serve, go on.
            Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => {}
            Err(e) => {
                accept_failed(name, &e);
                return;
            }
        }
    }
}

/// Raises this process's soft limit on open files to its hard limit, so that an epoll server
/// can hold as many clients as the system lets it (the soft limit is often 1024).
pub fn raise_nofile_limit(name: &str) {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) if soft < hard => {
            if let Err(e) = setrlimit(Resource::RLIMIT_NOFILE, hard, hard) {
                warn(&format!(
                    "{name}: cannot raise the open-file limit to {hard}: {e}"
                ));
            }
        }
        Ok(_) => {}
        Err(e) => warn(&format!("{name}: getrlimit: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Shutdown;

    /// A connected pair: (the server's side, the client's side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (listener.accept().unwrap().0, client)
    }

    #[test]
    fn reply_is_the_message_or_the_literal() {
        assert_eq!(Reply(None).to(b"hi"), b"hi");
        assert_eq!(Reply(Some(b"OK".to_vec())).to(b"hi"), b"OK");
        let argv = ["--reply".to_string(), "收到".to_string()];
        assert_eq!(Reply::from_args(&argv).to(b"x"), "收到".as_bytes());
    }

    #[test]
    fn output_the_socket_cannot_take_waits_and_comes_back_whole_in_order() {
        let (server, mut peer) = pair();
        let mut client = Client::new(server).unwrap();
        let message: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
        let mut sent = Vec::new();
        // Queue answers until the socket is full and output waits.
        while client.flush().unwrap() == Flushed::All {
            client.pending.extend(&message);
            sent.extend_from_slice(&message);
        }
        assert!(client.has_pending());
        let reader = std::thread::spawn(move || {
            let mut got = vec![0u8; sent.len()];
            peer.read_exact(&mut got).unwrap();
            assert!(got == sent, "bytes lost or out of order");
        });
        while client.flush().unwrap() == Flushed::Blocked {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        reader.join().unwrap();
    }

    #[test]
    fn a_client_that_half_closes_still_gets_what_it_is_owed() {
        let (server, mut peer) = pair();
        let mut client = Client::new(server).unwrap();
        peer.write_all(b"last words").unwrap();
        peer.shutdown(Shutdown::Write).unwrap();
        let reply = Reply(None);
        let mut buf = [0u8; 4];
        let mut gone = None;
        for _ in 0..100 {
            match serve_ready(&mut client, true, &mut buf, &reply) {
                Ok(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
                Err(g) => {
                    gone = Some(g);
                    break;
                }
            }
        }
        assert!(matches!(gone, Some(Gone::Left)), "EOF not seen");
        assert!(client.finished());
        let mut got = Vec::new();
        drop(client);
        peer.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"last words");
    }
}
