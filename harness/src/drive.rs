//! Drive: the harness's side of the wire. Clients it opens toward a program, and sockets it
//! serves a client program on, all made inside the program's network namespace. One notion
//! of "read until": a terminator, the peer's close, or a quiet period.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use crate::load::model::CloseHow;
use crate::matcher::Matcher;

/// The quiet period that ends a read when nothing else does: course programs frame by
/// sleeping 0.1s between sends, so 300ms is safely longer.
pub const DEFAULT_QUIET: Duration = Duration::from_millis(300);
/// A reply the matcher can tell is complete ([`Matcher::complete`]) ends its read after
/// this much silence, instead of the whole quiet period: a trailing or duplicated send right
/// behind it still shows, and each answer costs 50ms, not 300ms.
pub const SETTLE: Duration = Duration::from_millis(50);
/// How long a read waits for its first byte, and a connect for its answer, by default.
pub const DEFAULT_WITHIN: Duration = Duration::from_secs(2);
/// How long one connect waits before it is tried again on a fresh socket. A full listen
/// queue (course servers `listen(5)` and accept slowly) drops the SYN, which TCP sends again
/// only after 1s, then 3s; a fresh SYN a moment later gets in as soon as the server accepts.
pub const CONNECT_RETRY: Duration = Duration::from_millis(100);
/// How long a send may wait for a program that does not read (its buffers are full).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// What ends a read.
#[derive(Debug, Clone)]
pub enum Until {
    Terminator(Vec<u8>),
    Close,
    Quiet(Duration),
    /// A quiet period that ends after [`SETTLE`] when what has arrived is a complete reply
    /// for `matcher`.
    Settle {
        quiet: Duration,
        matcher: Matcher,
    },
}

/// Why a read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Terminator,
    Closed,
    Reset,
    Quiet,
    /// Nothing (or not all) arrived in time.
    TimedOut,
}

impl Ended {
    pub fn describe(self) -> &'static str {
        match self {
            Ended::Terminator => "up to the terminator",
            Ended::Closed => "then the peer closed",
            Ended::Reset => "then the connection was reset",
            Ended::Quiet => "then nothing more",
            Ended::TimedOut => "before the time ran out",
        }
    }
}

/// One end of a conversation: a TCP stream (and bytes read past the last terminator, kept
/// for the next read), or a UDP socket and the peer it talks to.
pub enum Conn {
    Tcp(TcpStream, Vec<u8>),
    Udp {
        socket: UdpSocket,
        peer: Option<SocketAddr>,
    },
}

/// A socket the harness serves on.
pub enum Served {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

impl Conn {
    /// Connects `socket` (made in the program's namespace) to the program's `port`.
    pub fn connect_tcp(
        socket: socket2::Socket,
        port: u16,
        within: Duration,
    ) -> std::io::Result<Conn> {
        socket.connect_timeout(&loopback(port).into(), within)?;
        socket.set_tcp_nodelay(true)?;
        let stream: TcpStream = socket.into();
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        Ok(Conn::Tcp(stream, Vec::new()))
    }

    /// [`Conn::connect_tcp`] on a fresh socket from `socket` every [`CONNECT_RETRY`], until
    /// one connects or `within` has passed.
    pub fn connect_tcp_retrying(
        mut socket: impl FnMut() -> std::io::Result<socket2::Socket>,
        port: u16,
        within: Duration,
    ) -> std::io::Result<Conn> {
        let until = Instant::now() + within;
        loop {
            let attempt = until
                .saturating_duration_since(Instant::now())
                .min(CONNECT_RETRY);
            if attempt.is_zero() {
                return Err(ErrorKind::TimedOut.into());
            }
            match Conn::connect_tcp(socket()?, port, attempt) {
                Err(e) if e.kind() == ErrorKind::TimedOut => continue,
                done => return done,
            }
        }
    }

    pub fn connect_udp(socket: socket2::Socket, port: u16) -> std::io::Result<Conn> {
        socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
        let socket: UdpSocket = socket.into();
        Ok(Conn::Udp {
            socket,
            peer: Some(loopback(port)),
        })
    }

    pub fn send(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Conn::Tcp(s, _) => s.write_all(data),
            Conn::Udp {
                socket,
                peer: Some(p),
            } => socket.send_to(data, *p).map(|_| ()),
            Conn::Udp { peer: None, .. } => Err(std::io::Error::new(
                ErrorKind::NotConnected,
                "no datagram has arrived yet, so there is nobody to answer",
            )),
        }
    }

    /// Sends `data` held back (MSG_MORE) so that a `close(Half)` right after sends it in one
    /// segment with the FIN: the message and the end of file arrive together, as when a
    /// client sends and closes at once. Datagrams are sent as they are.
    pub fn send_with_fin_next(&mut self, data: &[u8]) -> std::io::Result<()> {
        let Conn::Tcp(s, _) = self else {
            return self.send(data);
        };
        let sock = socket2::SockRef::from(&*s);
        let mut rest = data;
        while !rest.is_empty() {
            let n = sock.send_with_flags(rest, libc::MSG_MORE)?;
            rest = &rest[n..];
        }
        Ok(())
    }

    /// Reads until `until`. A quiet period ends a read only after its first byte, which must
    /// come within `within`; a terminator or the peer's close must come within `within`.
    /// Bytes past a terminator are kept for the next read.
    pub fn read_until(&mut self, until: &Until, within: Duration) -> (Vec<u8>, Ended) {
        let start = Instant::now();
        let first_by = start + within;
        let cap = match until {
            // However a quiet read goes on, it stops in the end.
            Until::Quiet(_) | Until::Settle { .. } => first_by + Duration::from_secs(30),
            _ => first_by,
        };
        let mut got = match self {
            Conn::Tcp(_, pending) => std::mem::take(pending),
            Conn::Udp { .. } => Vec::new(),
        };
        let mut buf = vec![0u8; 64 * 1024];
        // How far `got` was searched for the terminator: a multi-megabyte read is searched once.
        let mut searched = 0;
        let mut last_byte = start;
        loop {
            if let Some(end) = self.terminated(until, &mut got, searched) {
                return (got, end);
            }
            searched = got.len();
            let now = Instant::now();
            let left = cap.saturating_duration_since(now);
            let wait = match until {
                _ if got.is_empty() => first_by.min(cap).saturating_duration_since(now),
                Until::Quiet(q) => (*q).min(left),
                Until::Settle { quiet, matcher } => {
                    // The matcher is asked once per pause of SETTLE, not once per read.
                    let since = now.saturating_duration_since(last_byte);
                    if since >= *quiet || (since >= SETTLE && matcher.complete(&got)) {
                        let end = if left.is_zero() {
                            Ended::TimedOut
                        } else {
                            Ended::Quiet
                        };
                        return (got, end);
                    }
                    let target = if since < SETTLE { SETTLE } else { *quiet };
                    (target - since).min(left)
                }
                _ => left,
            };
            if wait.is_zero() {
                return (got, Ended::TimedOut);
            }
            match self.read_some(&mut buf, wait) {
                Ok(0) => return (got, Ended::Closed),
                Ok(n) => {
                    got.extend_from_slice(&buf[..n]);
                    last_byte = Instant::now();
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    if matches!(until, Until::Settle { .. }) && !got.is_empty() {
                        // Settled or not, the next turn says.
                        continue;
                    }
                    let quiet =
                        !got.is_empty() && matches!(until, Until::Quiet(_)) && Instant::now() < cap;
                    return (got, if quiet { Ended::Quiet } else { Ended::TimedOut });
                }
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return (got, Ended::Reset),
                Err(_) => return (got, Ended::Closed),
            }
        }
    }

    /// Whether `got` holds the terminator; if so, what follows it is kept for the next read.
    fn terminated(&mut self, until: &Until, got: &mut Vec<u8>, searched: usize) -> Option<Ended> {
        let Until::Terminator(t) = until else {
            return None;
        };
        let from = searched.saturating_sub(t.len().saturating_sub(1));
        let at = from
            + got[from..]
                .windows(t.len().max(1))
                .position(|w| w == t.as_slice())?;
        let rest = got.split_off(at + t.len());
        if let Conn::Tcp(_, pending) = self {
            *pending = rest;
        }
        Some(Ended::Terminator)
    }

    /// One read of whatever arrives within `wait` (a datagram, for UDP: its sender becomes
    /// the peer to answer).
    fn read_some(&mut self, buf: &mut [u8], wait: Duration) -> std::io::Result<usize> {
        match self {
            Conn::Tcp(s, _) => {
                s.set_read_timeout(Some(wait))?;
                s.read(buf)
            }
            Conn::Udp { socket, peer } => {
                socket.set_read_timeout(Some(wait))?;
                loop {
                    let (n, from) = socket.recv_from(buf)?;
                    *peer = Some(from);
                    // An empty datagram is not an end of stream: wait for the next.
                    if n > 0 {
                        return Ok(n);
                    }
                }
            }
        }
    }

    /// Closes the client: gracefully (FIN), half (shutdown write, keep reading), or with a
    /// reset (SO_LINGER 0, then close: RST).
    pub fn close(self, how: CloseHow) -> Option<Conn> {
        match (self, how) {
            (Conn::Tcp(s, pending), CloseHow::Half) => {
                let _ = s.shutdown(Shutdown::Write);
                Some(Conn::Tcp(s, pending))
            }
            (Conn::Tcp(s, _), CloseHow::Reset) => {
                let sock = socket2::Socket::from(s);
                let _ = sock.set_linger(Some(Duration::ZERO));
                None
            }
            _ => None,
        }
    }
}

impl Served {
    /// Binds `socket` (made in the program's namespace) on every address, port `port`.
    pub fn bind(socket: socket2::Socket, udp: bool, port: u16) -> std::io::Result<Served> {
        socket.set_reuse_address(true)?;
        socket.bind(&SocketAddr::from(([0, 0, 0, 0], port)).into())?;
        if udp {
            Ok(Served::Udp(socket.into()))
        } else {
            socket.listen(16)?;
            Ok(Served::Tcp(socket.into()))
        }
    }

    /// Accepts one connection within `within`.
    pub fn accept(&self, within: Duration) -> std::io::Result<Conn> {
        let Served::Tcp(l) = self else {
            return Err(std::io::Error::new(
                ErrorKind::InvalidInput,
                "a UDP socket does not accept",
            ));
        };
        l.set_nonblocking(true)?;
        let until = Instant::now() + within;
        loop {
            match l.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false)?;
                    s.set_write_timeout(Some(WRITE_TIMEOUT))?;
                    return Ok(Conn::Tcp(s, Vec::new()));
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// A UDP served socket used as a conversation (it answers whoever wrote last).
    pub fn as_conn(&self) -> Option<Conn> {
        match self {
            Served::Udp(s) => s
                .try_clone()
                .ok()
                .map(|socket| Conn::Udp { socket, peer: None }),
            Served::Tcp(_) => None,
        }
    }
}
