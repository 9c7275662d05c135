//! The HTTP server's event loop: IO multiplexing on one thread (the course's 升级点 【1】 采用IO
//! 并发, "IO concurrency, so that several clients can request at once"). `mio` waits in
//! `epoll_wait` for every socket; each connection is non-blocking and keeps its own buffers,
//! so a client that sends its request a byte at a time, or reads its response slowly, or
//! leaves in the middle, holds up no one.
//!
//! mio is edge-triggered: an event says a socket *became* ready, once. So a connection is
//! always driven until a read or a write would block ([`Conn::drive`]): only then is another
//! event sure to come. While a response is being sent, the connection reads nothing more
//! (pipelined requests wait in the kernel), so a client cannot make it buffer without bound.
//!
//! Claims: `http.serve`, `http.io-concurrency`, `http.dispatch`. The `Bug` variants are the
//! mutants (docs/programs.md).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use super::files;
use super::request::{self, Parsed, Request};
use super::response::{Response, Status};
use crate::programs::args;
use crate::programs::servers::common::{raise_nofile_limit, say, warn};

/// The one place each mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    None,
    /// A request is judged on the bytes of its first packet alone.
    FirstPacket,
    /// Files are read as text.
    TextFiles,
    /// Only the newest connection is kept.
    NewestOnly,
    /// The course's way: no `Content-Length`, and a close after every response.
    CourseStyle,
    /// Every method is answered as GET.
    AnyMethod,
    /// No bound on a request's head: an endless request line is waited for, for ever.
    NoLimit,
    /// The lines of the head end in `\n`, not `\r\n`.
    BareNewlines,
}

const NAME: &str = "http-server";

/// The listener's token; a connection's is its number.
const LISTENER: Token = Token(usize::MAX);

/// After its last response, a closing connection is read and discarded for this long, so
/// that its unread request bytes do not make the kernel reset it before the client has read
/// the response (the "lingering close" of RFC 9112 section 9.6).
const LINGER: Duration = Duration::from_secs(2);

/// Bytes read per `read`.
const READ_SIZE: usize = 16 * 1024;

pub fn run(argv: &[String], bug: Bug) -> i32 {
    match serve(argv, bug) {
        Ok(()) => 0,
        Err(e) => {
            warn(&format!("{NAME}: {e}"));
            1
        }
    }
}

/// `--port` (the course's 8000) and `--root` (the course's `./static`, relative to the
/// working directory).
fn serve(argv: &[String], bug: Bug) -> io::Result<()> {
    let port: u16 = args::number(argv, "--port", 8000).map_err(io::Error::other)?;
    let root = PathBuf::from(args::value(argv, "--root").unwrap_or("./static"));
    raise_nofile_limit(NAME);
    let mut listener = TcpListener::bind(SocketAddr::from(([0, 0, 0, 0], port)))?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    say(&format!(
        "listening on port {port}, serving {}",
        root.display()
    ));

    let mut conns: HashMap<Token, Conn> = HashMap::new();
    let mut next = 0usize;
    let mut events = Events::with_capacity(256);
    let mut buf = vec![0u8; READ_SIZE];
    // Out of descriptors, a connection waits in the queue and no new edge will say so.
    let mut retry_accept = false;
    loop {
        let timeout = wake_for(&conns, retry_accept);
        if let Err(e) = poll.poll(&mut events, timeout) {
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        let mut ready: Vec<Token> = events.iter().map(|e| e.token()).collect();
        if retry_accept && !ready.contains(&LISTENER) {
            ready.push(LISTENER);
        }
        for token in ready {
            if token == LISTENER {
                retry_accept = false;
                loop {
                    let (mut stream, _) = match listener.accept() {
                        Ok(accepted) => accepted,
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => continue,
                        Err(e) => {
                            warn(&format!("{NAME}: accept: {e}"));
                            retry_accept = true;
                            break;
                        }
                    };
                    if bug == Bug::NewestOnly {
                        // BUG: a new connection replaces the one being served.
                        for (_, mut old) in conns.drain() {
                            let _ = poll.registry().deregister(&mut old.stream);
                        }
                    }
                    let token = Token(next);
                    next = next.wrapping_add(1) % (usize::MAX - 1);
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if let Err(e) = poll.registry().register(&mut stream, token, interest) {
                        warn(&format!("{NAME}: register: {e}"));
                        continue;
                    }
                    // Driven at once: its request may already be there, and its edge passed.
                    let mut conn = Conn::new(stream);
                    if conn.drive(&root, &mut buf, bug) == State::Open {
                        conns.insert(token, conn);
                    }
                }
            } else if let Some(conn) = conns.get_mut(&token) {
                if conn.drive(&root, &mut buf, bug) == State::Done {
                    let mut conn = conns.remove(&token).expect("present");
                    let _ = poll.registry().deregister(&mut conn.stream);
                }
            }
        }
        // Lingering closes whose time is up.
        let now = Instant::now();
        conns.retain(|_, c| c.linger_until.is_none_or(|t| t > now));
    }
}

/// How long the loop may wait: until the first lingering close ends (or a short while, to
/// retry an accept that failed); forever if neither.
fn wake_for(conns: &HashMap<Token, Conn>, retry_accept: bool) -> Option<Duration> {
    let linger = conns
        .values()
        .filter_map(|c| c.linger_until)
        .min()
        .map(|t| t.saturating_duration_since(Instant::now()));
    let retry = retry_accept.then_some(Duration::from_millis(100));
    match (linger, retry) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether a connection stays after [`Conn::drive`].
#[derive(PartialEq, Eq)]
enum State {
    Open,
    /// Closed, or to be closed: forget it.
    Done,
}

/// One client: its socket, the bytes of requests not yet answered, and the response being
/// sent.
struct Conn {
    stream: TcpStream,
    input: Vec<u8>,
    output: Vec<u8>,
    /// How much of `output` is sent.
    sent: usize,
    /// The client sent its end of file.
    read_closed: bool,
    /// Close once `output` is sent.
    close_after: bool,
    /// Closing: the sending side is shut; what still comes is read and dropped until then.
    linger_until: Option<Instant>,
    /// Bytes read since the last request was taken: the mutant's "first packet".
    reads: usize,
}

impl Conn {
    fn new(stream: TcpStream) -> Conn {
        Conn {
            stream,
            input: Vec::new(),
            output: Vec::new(),
            sent: 0,
            read_closed: false,
            close_after: false,
            linger_until: None,
            reads: 0,
        }
    }

    /// Does all that can be done without blocking: send what is owed; then answer the next
    /// request gathered, or read more. Stops where a read or a write would block (another
    /// event will come), or when the connection is done.
    fn drive(&mut self, root: &Path, buf: &mut [u8], bug: Bug) -> State {
        loop {
            if self.linger_until.is_some() {
                return self.drain(buf);
            }
            while self.sent < self.output.len() {
                match self.stream.write(&self.output[self.sent..]) {
                    Ok(0) => return State::Done,
                    Ok(n) => self.sent += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return State::Open,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // The client left in the middle of its response: it alone is dropped.
                    Err(_) => return State::Done,
                }
            }
            self.output.clear();
            self.sent = 0;
            if self.close_after {
                let _ = self.stream.shutdown(Shutdown::Write);
                self.linger_until = Some(Instant::now() + LINGER);
                continue;
            }
            let parsed = match request::parse(&self.input) {
                Parsed::Incomplete if bug == Bug::FirstPacket && self.reads > 0 => {
                    // BUG: what the first read gave is taken as the whole request.
                    Parsed::Bad(Status::BAD_REQUEST)
                }
                Parsed::Bad(status)
                    if bug == Bug::NoLimit
                        && [Status::URI_TOO_LONG, Status::HEADERS_TOO_LARGE].contains(&status) =>
                {
                    // BUG: however long the head grows, its end is waited for.
                    Parsed::Incomplete
                }
                parsed => parsed,
            };
            match parsed {
                Parsed::Request(request) => {
                    self.input.drain(..request.len);
                    self.reads = 0;
                    let response = respond(root, &request, bug);
                    self.close_after = response.close;
                    self.output = mangle(response.to_bytes(), bug);
                    continue;
                }
                Parsed::Bad(status) => {
                    let mut response = Response::error(status);
                    response.close = true;
                    self.close_after = true;
                    self.output = mangle(response.to_bytes(), bug);
                    continue;
                }
                Parsed::Incomplete if self.read_closed => return State::Done,
                Parsed::Incomplete => {}
            }
            match self.stream.read(buf) {
                Ok(0) => self.read_closed = true,
                Ok(n) => {
                    self.input.extend_from_slice(&buf[..n]);
                    self.reads += 1;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return State::Open,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return State::Done,
            }
        }
    }

    /// A closing connection: read and drop until the client's end of file (then it is done)
    /// or would-block.
    fn drain(&mut self, buf: &mut [u8]) -> State {
        loop {
            match self.stream.read(buf) {
                Ok(0) => return State::Done,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return State::Open,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return State::Done,
            }
        }
    }
}

/// The response to a whole request: GET and HEAD of a file under the root, 405 for other
/// methods. It closes the connection when the client asked to, or sent a body this server
/// does not read.
fn respond(root: &Path, request: &Request, bug: Bug) -> Response {
    // BUG (AnyMethod): the method is not looked at: DELETE, POST, HEAD all get the page.
    let head = request.method == "HEAD" && bug != Bug::AnyMethod;
    let allowed = ["GET", "HEAD"].contains(&request.method.as_str()) || bug == Bug::AnyMethod;
    let mut response = if !allowed {
        Response::error(Status::METHOD_NOT_ALLOWED)
    } else {
        match files::open(root, &request.target).and_then(|(path, file)| read(&path, file, bug)) {
            Ok(response) => response,
            Err(status) => Response::error(status),
        }
    };
    response.with_body = !head;
    // BUG (CourseStyle): every connection is closed after its first response.
    response.close = !request.keep_alive || request.has_body || bug == Bug::CourseStyle;
    say(&format!(
        "{} {} {}",
        request.method, request.target, response.status.code
    ));
    response
}

/// The response's bytes as a mutant sends them: the reference's, but for its bug.
fn mangle(bytes: Vec<u8>, bug: Bug) -> Vec<u8> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |i| i + 4);
    let (head, body) = bytes.split_at(end);
    let head = String::from_utf8_lossy(head);
    let head = match bug {
        // BUG: no Content-Length: only the close ends the body.
        Bug::CourseStyle => head
            .split_inclusive("\r\n")
            .filter(|line| !line.starts_with("Content-Length:"))
            .collect(),
        // BUG: `\n` where HTTP wants `\r\n`.
        Bug::BareNewlines => head.replace("\r\n", "\n"),
        _ => return bytes,
    };
    [head.as_bytes(), body].concat()
}

/// A file's content as a 200 response; `path` names its content type.
fn read(path: &Path, mut file: std::fs::File, bug: Bug) -> Result<Response, Status> {
    use std::io::Read;
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let mut body = Vec::with_capacity(size);
    if bug == Bug::TextFiles {
        // BUG: the file is read as UTF-8 text; a binary file ends the server.
        let mut text = String::with_capacity(size);
        file.read_to_string(&mut text).expect("a page is text");
        body = text.into_bytes();
    } else {
        file.read_to_end(&mut body)
            .map_err(|e| files::refused(&e))?;
    }
    Ok(Response::ok(files::content_type(path), body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// The reference on a free port, in a thread of this test, serving a temporary root with
    /// `index.html` and a binary `a.bin`; a connected client.
    fn start() -> (tempfile::TempDir, TcpStream, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<h1>hi</h1>\n").unwrap();
        let binary: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
        std::fs::write(dir.path().join("a.bin"), &binary).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let argv: Vec<String> = ["--port", &port.to_string(), "--root"]
            .iter()
            .map(|s| s.to_string())
            .chain([dir.path().display().to_string()])
            .collect();
        std::thread::spawn(move || run(&argv, Bug::None));
        for _ in 0..200 {
            if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                return (dir, s, binary);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the server does not listen on {port}");
    }

    /// Reads one response framed by its Content-Length: (head, body).
    fn response(s: &mut TcpStream) -> (String, Vec<u8>) {
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut byte).unwrap();
            got.push(byte[0]);
        }
        let head = String::from_utf8(got).unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        let mut body = vec![0u8; length];
        s.read_exact(&mut body).unwrap();
        (head, body)
    }

    #[test]
    fn a_kept_connection_gets_a_split_request_pipelined_ones_and_a_binary_file() {
        let (_dir, mut s, binary) = start();
        for piece in [&b"GET / HT"[..], b"TP/1.1\r\nHo", b"st: x\r\n", b"\r\n"] {
            s.write_all(piece).unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        let (head, body) = response(&mut s);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert_eq!(body, b"<h1>hi</h1>\n");
        s.write_all(
            b"GET /a.bin HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
        let (head, body) = response(&mut s);
        assert!(
            head.contains("Content-Type: application/octet-stream\r\n"),
            "{head}"
        );
        assert!(body == binary, "the binary file came back changed");
        let mut rest = String::new();
        s.write_all(b"DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        s.read_to_string(&mut rest).unwrap();
        assert!(
            rest.starts_with("HTTP/1.1 404 Not Found\r\n"),
            "HEAD: {rest}"
        );
        let second = rest.find("HTTP/1.1 405").expect("405 after the 404");
        assert!(!rest[..second].contains("<h1>"), "HEAD sent a body: {rest}");
        assert!(
            rest[second..].contains("Allow: GET, HEAD\r\nConnection: close\r\n"),
            "{rest}"
        );
    }
}
