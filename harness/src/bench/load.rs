//! The load generator: many client connections per thread on non-blocking sockets (mio,
//! epoll underneath), each in a closed loop (send a request, read the whole answer, record
//! its latency, send the next). It speaks the echo-ack protocol (the bytes back) and
//! HTTP/1.1 (a GET, the answer framed by Content-Length, keep-alive or a new connection per
//! request). Idle connections can be held open beside the active ones.
//!
//! A request still waiting when the run ends is recorded with the time it has waited so
//! far: a server that serves one client at a time shows its starved clients in p99 instead
//! of hiding them.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use serde::Serialize;

/// What the clients say.
#[derive(Clone, Debug)]
pub enum Proto {
    /// Echo-ack: `message` goes out, as many bytes come back.
    Echo { message: Vec<u8> },
    /// HTTP/1.1 GET of `path`; `keep_alive: false` asks for `Connection: close` and opens a
    /// new connection for every request (as wrk does given that header).
    Http { path: String, keep_alive: bool },
}

impl Proto {
    fn request(&self) -> Vec<u8> {
        match self {
            Proto::Echo { message } => message.clone(),
            Proto::Http { path, keep_alive } => format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
                if *keep_alive {
                    ""
                } else {
                    "Connection: close\r\n"
                }
            )
            .into_bytes(),
        }
    }

    fn reconnects(&self) -> bool {
        matches!(
            self,
            Proto::Http {
                keep_alive: false,
                ..
            }
        )
    }
}

/// One load run.
#[derive(Clone, Debug)]
pub struct Spec {
    pub addr: SocketAddr,
    /// Connections in a closed loop.
    pub clients: usize,
    /// Connections opened and then left silent.
    pub idle: usize,
    pub proto: Proto,
    /// Requests before this are not counted (caches, thread pools, TCP windows warm up).
    pub warmup: Duration,
    /// How long requests are counted.
    pub duration: Duration,
    /// Threads of the generator; each takes its share of the connections.
    pub threads: usize,
    /// The core each generator thread pins itself to, if any.
    pub core: Option<usize>,
}

/// What a run measured.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Outcome {
    /// Requests answered within the counted window.
    pub requests: u64,
    /// Requests per second over the window.
    pub throughput: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub mean_us: f64,
    /// Active connections that got at least one answer in the window (a loop server serves
    /// one of them).
    pub served: usize,
    /// Active connections that were open when the window started.
    pub connected: usize,
    /// Idle connections still open at the end (a select server refuses fds >= 1024).
    pub idle_open: usize,
    /// Connections the server closed or reset in the middle of a request.
    pub errors: u64,
    /// Requests still waiting at the end (recorded with the time they waited).
    pub waiting: usize,
}

/// Latencies in microseconds, up to 10 minutes, 3 significant digits.
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// Runs the load and waits for it to end.
pub fn run(spec: &Spec) -> io::Result<Outcome> {
    let threads = spec.threads.max(1);
    let share = |total: usize, i: usize| total / threads + usize::from(i < total % threads);
    // Every thread connects first; the window starts at the same instant for all.
    let barrier = std::sync::Barrier::new(threads);
    let results: Vec<io::Result<Part>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let (spec, barrier) = (spec, &barrier);
                scope.spawn(move || {
                    if let Some(core) = spec.core {
                        super::servers::pin_self(core);
                    }
                    Worker::new(spec, share(spec.clients, i), share(spec.idle, i))?.run(barrier)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a load thread panicked")))
            })
            .collect()
    });
    let mut hist = histogram();
    let mut out = Outcome::default();
    for part in results {
        let part = part?;
        hist.add(&part.hist).map_err(io::Error::other)?;
        out.requests += part.requests;
        out.served += part.served;
        out.connected += part.connected;
        out.idle_open += part.idle_open;
        out.errors += part.errors;
        out.waiting += part.waiting;
    }
    out.throughput = out.requests as f64 / spec.duration.as_secs_f64();
    if !hist.is_empty() {
        out.p50_us = hist.value_at_quantile(0.5);
        out.p99_us = hist.value_at_quantile(0.99);
        out.max_us = hist.max();
        out.mean_us = hist.mean();
    }
    Ok(out)
}

/// One thread's share of the figures.
struct Part {
    hist: Histogram<u64>,
    requests: u64,
    served: usize,
    connected: usize,
    idle_open: usize,
    errors: u64,
    waiting: usize,
}

#[derive(PartialEq, Eq)]
enum State {
    /// connect() is in progress.
    Connecting,
    /// Connected; the active ones wait for the window to start.
    Open,
    /// A request is being written or its answer read.
    Busy,
    /// Given up on (the server refused it again and again).
    Dead,
}

struct Conn {
    stream: Option<TcpStream>,
    state: State,
    active: bool,
    /// Bytes of the request written so far.
    written: usize,
    /// Bytes of the answer read so far (echo), or of its body (HTTP, once its head is read).
    got: usize,
    /// HTTP: the head read so far, and the body length once the head is complete.
    head: Vec<u8>,
    body: Option<usize>,
    /// When the request now owed was due.
    started: Instant,
    answered: bool,
    failures: u32,
}

/// At most this many connects in progress per thread: a burst of thousands of SYNs
/// overflows the listener's queue and costs seconds of retransmission.
const CONNECTING: usize = 128;

/// A connection refused or reset this many times in a row is given up.
const FAILURES: u32 = 3;

struct Worker<'a> {
    spec: &'a Spec,
    request: Vec<u8>,
    poll: Poll,
    conns: Vec<Conn>,
    buf: Vec<u8>,
    hist: Histogram<u64>,
    requests: u64,
    errors: u64,
    window: Option<(Instant, Instant)>,
    connecting: usize,
    /// Connections not started yet (their index in `conns`).
    unopened: std::ops::Range<usize>,
}

impl<'a> Worker<'a> {
    fn new(spec: &'a Spec, active: usize, idle: usize) -> io::Result<Worker<'a>> {
        let now = Instant::now();
        let conns = (0..active + idle)
            .map(|i| Conn {
                stream: None,
                state: State::Connecting,
                // Idle connections first: they are in place before the load starts.
                active: i >= idle,
                written: 0,
                got: 0,
                head: Vec::new(),
                body: None,
                started: now,
                answered: false,
                failures: 0,
            })
            .collect::<Vec<_>>();
        Ok(Worker {
            spec,
            request: spec.proto.request(),
            poll: Poll::new()?,
            unopened: 0..conns.len(),
            conns,
            buf: vec![0; 64 * 1024],
            hist: histogram(),
            requests: 0,
            errors: 0,
            window: None,
            connecting: 0,
        })
    }

    fn run(mut self, barrier: &std::sync::Barrier) -> io::Result<Part> {
        let mut events = Events::with_capacity(1024);
        // Connect everything, until all are open or no connect has completed for a while
        // (a loop server's listen queue is full: the rest stay pending and are served, or
        // not, during the run).
        let mut progress = Instant::now();
        loop {
            self.open_more()?;
            let open = self
                .conns
                .iter()
                .filter(|c| c.state != State::Connecting)
                .count();
            if open == self.conns.len() || progress.elapsed() > Duration::from_millis(1500) {
                break;
            }
            self.poll
                .poll(&mut events, Some(Duration::from_millis(50)))?;
            for event in events.iter() {
                if self.event(event.token().0)? {
                    progress = Instant::now();
                }
            }
        }
        barrier.wait();
        let start = Instant::now();
        let from = start + self.spec.warmup;
        let to = from + self.spec.duration;
        self.window = Some((from, to));
        for i in 0..self.conns.len() {
            let c = &mut self.conns[i];
            if c.active {
                c.started = start;
                if c.state == State::Open {
                    c.state = State::Busy;
                    self.pump(i)?;
                }
            }
        }
        let connected = self
            .conns
            .iter()
            .filter(|c| c.active && c.state == State::Busy)
            .count();
        loop {
            let now = Instant::now();
            if now >= to {
                break;
            }
            self.open_more()?;
            self.poll.poll(&mut events, Some(to - now))?;
            for event in events.iter() {
                self.event(event.token().0)?;
            }
        }
        // Requests still owed are recorded with the time they waited.
        let mut waiting = 0;
        for c in &self.conns {
            if c.active && c.state != State::Dead && c.state != State::Open {
                waiting += 1;
                let waited = to.saturating_duration_since(c.started.max(from));
                self.hist.saturating_record(waited.as_micros() as u64);
            }
        }
        Ok(Part {
            requests: self.requests,
            served: self.conns.iter().filter(|c| c.active && c.answered).count(),
            connected,
            idle_open: self
                .conns
                .iter()
                .filter(|c| !c.active && c.state == State::Open)
                .count(),
            errors: self.errors,
            waiting,
            hist: self.hist,
        })
    }

    /// Starts connects while fewer than [`CONNECTING`] are in progress.
    fn open_more(&mut self) -> io::Result<()> {
        while self.connecting < CONNECTING {
            let Some(i) = self.unopened.next() else {
                break;
            };
            self.connect(i)?;
        }
        Ok(())
    }

    fn connect(&mut self, i: usize) -> io::Result<()> {
        let mut stream = match TcpStream::connect(self.spec.addr) {
            Ok(s) => s,
            // Out of ports or descriptors: a figure of the machine, not a crash.
            Err(e) => return Err(io::Error::new(e.kind(), format!("connect: {e}"))),
        };
        self.poll.registry().register(
            &mut stream,
            Token(i),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        let c = &mut self.conns[i];
        c.stream = Some(stream);
        c.state = State::Connecting;
        self.connecting += 1;
        Ok(())
    }

    /// Handles readiness of connection `i`; true when a connect completed.
    fn event(&mut self, i: usize) -> io::Result<bool> {
        if self.conns[i].state == State::Connecting {
            match self.conns[i].stream.as_ref().map(connect_status) {
                None | Some(Connect::Pending) => return Ok(false),
                Some(Connect::Failed) => {
                    self.fail(i)?;
                    return Ok(false);
                }
                Some(Connect::Done) => {}
            }
            self.connecting -= 1;
            let c = &mut self.conns[i];
            c.failures = 0;
            c.state = if c.active && self.window.is_some() {
                State::Busy
            } else {
                State::Open
            };
            if c.state == State::Busy {
                self.pump(i)?;
            }
            return Ok(true);
        }
        match self.conns[i].state {
            State::Busy => self.pump(i)?,
            State::Open => {
                // An idle connection (or an active one before the start) that the server
                // closed or wrote to.
                let c = &mut self.conns[i];
                if let Some(s) = c.stream.as_mut() {
                    match s.read(&mut self.buf) {
                        Ok(0) => {
                            c.stream = None;
                            c.state = State::Dead;
                        }
                        Err(e) if e.kind() != io::ErrorKind::WouldBlock => {
                            c.stream = None;
                            c.state = State::Dead;
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        Ok(false)
    }

    /// Moves a busy connection on as far as it can: write the rest of the request, read
    /// what the answer has, and on a complete answer record it and send the next request.
    fn pump(&mut self, i: usize) -> io::Result<()> {
        loop {
            let c = &mut self.conns[i];
            let Some(stream) = c.stream.as_mut() else {
                return Ok(());
            };
            while c.written < self.request.len() {
                match stream.write(&self.request[c.written..]) {
                    Ok(0) => return self.broken(i),
                    Ok(n) => c.written += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return self.broken(i),
                }
            }
            let n = match stream.read(&mut self.buf) {
                Ok(0) => {
                    // The peer closed: an HTTP answer without Content-Length ends here;
                    // anything else is an error.
                    return self.broken(i);
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return self.broken(i),
            };
            if !self.take(i, n) {
                continue;
            }
            // A complete answer.
            let now = Instant::now();
            let c = &mut self.conns[i];
            if let Some((from, to)) = self.window {
                if now >= from && now <= to {
                    self.requests += 1;
                    c.answered = true;
                    let latency = now.saturating_duration_since(c.started.max(from));
                    self.hist
                        .saturating_record(latency.as_micros().max(1) as u64);
                }
            }
            c.written = 0;
            c.got = 0;
            c.head.clear();
            c.body = None;
            c.started = now;
            if self.spec.proto.reconnects() {
                self.reopen(i)?;
                return Ok(());
            }
        }
    }

    /// Counts `n` bytes just read into `self.buf`; true when the answer is complete.
    fn take(&mut self, i: usize, n: usize) -> bool {
        let c = &mut self.conns[i];
        match &self.spec.proto {
            Proto::Echo { message } => {
                c.got += n;
                c.got >= message.len()
            }
            Proto::Http { .. } => {
                let mut data = &self.buf[..n];
                if c.body.is_none() {
                    let before = c.head.len();
                    c.head.extend_from_slice(data);
                    // The head may end inside what came before: search from a little back.
                    let from = before.saturating_sub(3);
                    let Some(end) = find(&c.head[from..], b"\r\n\r\n").map(|p| from + p + 4) else {
                        return false;
                    };
                    c.body = Some(content_length(&c.head[..end]));
                    data = &data[end - before..];
                }
                c.got += data.len();
                c.got >= c.body.unwrap_or(0)
            }
        }
    }

    /// The server closed or reset a connection in the middle of a request.
    fn broken(&mut self, i: usize) -> io::Result<()> {
        self.errors += 1;
        self.fail(i)
    }

    /// A connection failed: connect it again, unless it has failed too often.
    fn fail(&mut self, i: usize) -> io::Result<()> {
        let c = &mut self.conns[i];
        if c.state == State::Connecting {
            self.connecting -= 1;
        }
        c.failures += 1;
        if let Some(mut s) = c.stream.take() {
            let _ = self.poll.registry().deregister(&mut s);
        }
        if c.failures >= FAILURES {
            c.state = State::Dead;
            return Ok(());
        }
        c.written = 0;
        c.got = 0;
        c.head.clear();
        c.body = None;
        self.connect(i)
    }

    /// Closes a connection after its answer and opens a new one for the next request.
    fn reopen(&mut self, i: usize) -> io::Result<()> {
        if let Some(mut s) = self.conns[i].stream.take() {
            let _ = self.poll.registry().deregister(&mut s);
        }
        self.connect(i)
    }
}

enum Connect {
    Done,
    Pending,
    Failed,
}

/// Where a non-blocking connect stands after a readiness event.
fn connect_status(stream: &TcpStream) -> Connect {
    match stream.take_error() {
        Ok(None) => {}
        _ => return Connect::Failed,
    }
    match stream.peer_addr() {
        Ok(_) => Connect::Done,
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Connect::Pending,
        Err(_) => Connect::Failed,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The Content-Length of an HTTP head (0 when absent: a bodiless answer).
fn content_length(head: &[u8]) -> usize {
    let text = String::from_utf8_lossy(head);
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A thread-per-connection echo server on a free port, for the generator's own tests.
    fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let mut s = s;
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = s.read(&mut buf) {
                        if n == 0 || s.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    #[test]
    fn echo_load_counts_answers_and_idle_connections() {
        let spec = Spec {
            addr: echo_server(),
            clients: 4,
            idle: 3,
            proto: Proto::Echo {
                message: vec![b'x'; 64],
            },
            warmup: Duration::from_millis(50),
            duration: Duration::from_millis(200),
            threads: 2,
            core: None,
        };
        let out = run(&spec).unwrap();
        assert!(out.requests > 0);
        assert_eq!(out.served, 4);
        assert_eq!(out.connected, 4);
        assert_eq!(out.idle_open, 3);
        assert_eq!(out.errors, 0);
        assert!(out.p50_us <= out.p99_us && out.p99_us <= out.max_us);
    }

    #[test]
    fn http_heads_are_framed_by_content_length() {
        assert_eq!(
            content_length(b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n"),
            12
        );
        assert_eq!(content_length(b"HTTP/1.1 204 No Content\r\n\r\n"), 0);
    }
}
