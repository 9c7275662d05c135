//! Playing a program scenario's steps: clients on the wire, the program's stdin and output,
//! its exit. Each step records what it expected and what it saw.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Recorder, DEFAULT_READY};
use crate::drive::{self, Conn, Ended, Served, Until};
use crate::evidence::EventKind;
use crate::judge::class::FailureClass;
use crate::load::model::{self, Proto, Ready};
use crate::load::vars;
use crate::matcher::visible;
use crate::subject::control::SocketKind;
use crate::subject::output::Stream;
use crate::subject::target::Target;
use crate::subject::tree;

pub(super) struct Driver<'a> {
    target: &'a mut Target,
    rec: &'a mut Recorder,
    clients: BTreeMap<String, Conn>,
    served: BTreeMap<String, Served>,
    /// The TCP or UDP port the program was found on.
    port: Option<tree::Listening>,
    stdout_seen: usize,
    stderr_seen: usize,
    runtime: &'a dyn Fn(&str) -> Option<String>,
    /// Set when the trial's deadline passed: a `sleep` step ends early.
    pub(super) overran: Arc<AtomicBool>,
    /// What named groups of the output matched, latest value by name.
    captures: BTreeMap<String, String>,
    /// The scenario's fixture files, for `send: { file }`, `file` matchers and steps.
    files: &'a BTreeMap<String, model::Fixture>,
}

impl<'a> Driver<'a> {
    pub(super) fn new(
        target: &'a mut Target,
        rec: &'a mut Recorder,
        served: BTreeMap<String, Served>,
        runtime: &'a dyn Fn(&str) -> Option<String>,
        files: &'a BTreeMap<String, model::Fixture>,
    ) -> Driver<'a> {
        // A UDP socket the harness serves on is also a conversation: it answers who wrote last.
        let clients = served
            .iter()
            .filter_map(|(n, s)| Some((n.clone(), s.as_conn()?)))
            .collect();
        Driver {
            target,
            rec,
            clients,
            served,
            port: None,
            stdout_seen: 0,
            stderr_seen: 0,
            runtime,
            overran: Arc::default(),
            captures: BTreeMap::new(),
            files,
        }
    }

    /// Microseconds since the program started.
    pub(super) fn now_us(&self) -> u64 {
        self.rec.at()
    }

    /// Fills variables, and the captures of the lines matched so far.
    fn text(&self, t: &model::Text) -> String {
        let lookup = |name: &str| {
            self.captures
                .get(name)
                .cloned()
                .or_else(|| (self.runtime)(name))
        };
        vars::fill(&t.0, &lookup)
            .replace("{{", "{")
            .replace("}}", "}")
    }

    fn tree_pids(&self) -> Vec<i32> {
        tree::descendants(self.target.supervisor_pid(), &tree::all())
            .into_iter()
            .filter(|p| p.state != 'Z')
            .map(|p| p.pid)
            .collect()
    }

    /// Waits until the program is ready; records a failed step 0 if it never is.
    pub(super) fn ready(&mut self, ready: Option<&Ready>) -> bool {
        let default = Ready::Listen { within: None };
        match ready.unwrap_or(&default) {
            Ready::Start => true,
            Ready::Stdout { matcher, within } => {
                let deadline = Instant::now() + within.map_or(DEFAULT_READY, |d| d.0);
                let m = matcher.fill(&|t| self.text(&model::Text(t.to_owned())));
                match self.target.output.wait_for(Stream::Stdout, 0, &m, deadline) {
                    Some((index, _)) => {
                        // The ready line is used up: a later `stdout` step looks past it.
                        self.stdout_seen = index + 1;
                        // A program that printed it may listen too: `connect` can use that.
                        let found = tree::listening(&self.tree_pids());
                        self.port = found.iter().find(|l| !l.udp).or(found.first()).copied();
                        true
                    }
                    None => {
                        self.not_ready(format!("to print a line matching {m}"));
                        false
                    }
                }
            }
            Ready::Listen { within } => {
                let deadline = Instant::now() + within.map_or(DEFAULT_READY, |d| d.0);
                loop {
                    let found = tree::listening(&self.tree_pids());
                    if let Some(l) = found.iter().find(|l| !l.udp).or(found.first()) {
                        self.port = Some(*l);
                        let what = format!("{} port {}", if l.udp { "UDP" } else { "TCP" }, l.port);
                        self.rec.push(
                            "harness",
                            EventKind::Note {
                                text: format!("ready: the program listens on {what}"),
                            },
                        );
                        return true;
                    }
                    if self.target.exit().is_some() || Instant::now() >= deadline {
                        self.not_ready("to listen on a TCP port or bind a UDP port".into());
                        return false;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }

    fn not_ready(&mut self, expected: String) {
        let (class, observed) = match self.target.exit() {
            Some(e) => (
                FailureClass::Crashed,
                format!("it ended first ({})", e.exit),
            ),
            None => (FailureClass::NeverReady, "it did not in time".to_owned()),
        };
        self.rec.step(0, "ready", false, class, expected, observed);
    }

    pub(super) fn step(&mut self, i: usize, step: &model::ProgramStep) {
        let n = i + 1;
        if let Some(c) = &step.connect {
            self.connect(n, c);
        } else if let Some(sd) = &step.send {
            self.send(n, sd);
        } else if let Some(r) = &step.recv {
            self.recv(n, r);
        } else if let Some(sl) = &step.silent {
            self.silent(n, sl);
        } else if let Some(c) = &step.close {
            self.close(&c.client, c.how);
        } else if let Some(a) = &step.accept {
            let within = a.within.map_or(drive::DEFAULT_WITHIN, |d| d.0);
            let result = self.served.get(&a.server).map(|s| s.accept(within));
            match result {
                Some(Ok(conn)) => {
                    self.clients.insert(a.name.clone(), conn);
                }
                other => {
                    let why = match other {
                        Some(Err(e)) => e.to_string(),
                        _ => "no such socket".into(),
                    };
                    self.rec.step(
                        n,
                        &format!("accept on {}", a.server),
                        false,
                        FailureClass::NoReply,
                        format!(
                            "the program to connect within {}",
                            crate::judge::library::ms(within)
                        ),
                        why,
                    );
                }
            }
        } else if let Some(t) = &step.stdin {
            let text = self.text(t);
            if let Err(e) = self.target.write_stdin(text.as_bytes()) {
                self.rec.step(
                    n,
                    "stdin",
                    false,
                    FailureClass::Crashed,
                    format!("to read {}", visible(text.as_bytes())),
                    format!("its stdin is closed ({e})"),
                );
            }
            self.rec.push(
                "stdin",
                EventKind::Wire {
                    sent: true,
                    data: visible(text.as_bytes()),
                    ended: None,
                },
            );
        } else if step.close_stdin.is_some() {
            self.target.close_stdin();
        } else if let Some(o) = step
            .stdout
            .as_ref()
            .map(|o| (o, Stream::Stdout))
            .or(step.stderr.as_ref().map(|o| (o, Stream::Stderr)))
        {
            self.output(n, o.0, o.1);
        } else if let Some(x) = &step.exit {
            let within = x.within.map_or(Duration::from_secs(5), |d| d.0);
            match self.target.wait_exit(Instant::now() + within) {
                None => self.rec.step(
                    n,
                    "exit",
                    false,
                    FailureClass::NoExit,
                    format!("to exit within {}", crate::judge::library::ms(within)),
                    "still running".into(),
                ),
                Some(e) => {
                    let ok = x.status.is_none_or(|want| e.exit.code == Some(want));
                    let expected = x
                        .status
                        .map_or("to exit".into(), |c| format!("exit status {c}"));
                    self.rec.step(
                        n,
                        "exit",
                        ok,
                        FailureClass::WrongStatus,
                        expected,
                        e.exit.to_string(),
                    );
                }
            }
        } else if let Some(t) = &step.tree {
            self.tree(n, t);
        } else if let Some(f) = &step.file {
            let dir = std::path::PathBuf::from((self.runtime)("dir").unwrap_or_default());
            let m = f.matcher.as_ref().map(|m| {
                m.fill(&|t| self.text(&model::Text(t.to_owned())))
                    .with_files(&|p| self.fixture(p))
            });
            let (ok, expected, observed) =
                super::files::check(&dir, f, &|p| self.fixture(p), m.as_ref());
            self.rec.step(
                n,
                &format!("file {}", f.path),
                ok,
                FailureClass::WrongFile,
                expected,
                observed,
            );
        } else if let Some(d) = step.sleep {
            let until = Instant::now() + d.0;
            while Instant::now() < until && !self.overran.load(Ordering::Relaxed) {
                std::thread::sleep(
                    Duration::from_millis(10).min(until.saturating_duration_since(Instant::now())),
                );
            }
        }
    }

    /// Waits until the tree shows the counts asked for, at one reading.
    fn tree(&mut self, n: usize, t: &model::TreeStep) {
        let within = t.within.map_or(Duration::from_secs(2), |d| d.0);
        let wanted = [
            ("processes", t.processes),
            ("threads", t.threads),
            ("zombies", t.zombies),
        ];
        let expected = wanted
            .iter()
            .filter_map(|(what, n)| n.map(|n| format!("{n} {what}")))
            .collect::<Vec<_>>()
            .join(", ");
        let until = Instant::now() + within;
        let mut seen;
        loop {
            let procs = tree::descendants(self.target.supervisor_pid(), &tree::all());
            let live = procs.iter().filter(|p| p.state != 'Z');
            let counts = [
                live.clone().count() as u32,
                live.map(|p| p.threads.max(0) as u32).sum(),
                procs.iter().filter(|p| p.state == 'Z').count() as u32,
            ];
            seen = wanted
                .iter()
                .zip(counts)
                .filter(|((_, want), _)| want.is_some())
                .map(|((what, _), got)| format!("{got} {what}"))
                .collect::<Vec<_>>()
                .join(", ");
            let ok = wanted
                .iter()
                .zip(counts)
                .all(|((_, want), got)| want.is_none_or(|w| w == got));
            if ok || Instant::now() >= until || self.overran.load(Ordering::Relaxed) {
                let class = if t.zombies.is_some_and(|z| counts[2] > z) {
                    FailureClass::Zombie
                } else {
                    FailureClass::WrongTree
                };
                let expected = format!("{expected} within {}", crate::judge::library::ms(within));
                return self.rec.step(n, "tree", ok, class, expected, seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, n: usize, sd: &model::SendStep) {
        let once = match (&sd.data, &sd.file) {
            (Some(t), _) => self.text(t).into_bytes(),
            (None, Some(path)) => self.fixture(path).unwrap_or_default(),
            (None, None) => Vec::new(),
        };
        let data = once.repeat(sd.repeat.unwrap_or(1) as usize);
        let chunk = sd.chunk.map_or(data.len().max(1), |c| c.max(1) as usize);
        let pause = sd.pause.map_or(Duration::from_millis(10), |d| d.0);
        let pieces = data.len().div_ceil(chunk).max(1);
        let fin_next = sd.then_close == Some(model::CloseHow::Half);
        let result = match self.clients.get_mut(&sd.client) {
            None => Err(std::io::Error::other("the client is not connected")),
            Some(conn) => data.chunks(chunk).enumerate().try_for_each(|(i, piece)| {
                if i > 0 {
                    std::thread::sleep(pause);
                }
                if fin_next && i + 1 == pieces {
                    conn.send_with_fin_next(piece)
                } else {
                    conn.send(piece)
                }
            }),
        };
        let shown = shown(&data);
        self.rec.push(
            &sd.client,
            EventKind::Wire {
                sent: true,
                data: shown,
                ended: None,
            },
        );
        match result {
            Ok(()) => {
                if let Some(how) = sd.then_close {
                    self.close(&sd.client, how);
                }
            }
            Err(e) => {
                let class = if self.target.exit().is_some() {
                    FailureClass::Crashed
                } else {
                    FailureClass::NoReply
                };
                self.rec.step(
                    n,
                    &format!("send on {}", sd.client),
                    false,
                    class,
                    "the bytes to be taken".into(),
                    format!("sending failed: {e}"),
                );
            }
        }
    }

    fn connect(&mut self, n: usize, c: &model::Connect) {
        let (name, proto, port, count, recv_buffer) = match c {
            model::Connect::Name(name) => (name.clone(), Proto::Tcp, None, None, None),
            model::Connect::Full(f) => (
                f.client.clone(),
                f.proto,
                f.port.as_ref().map(|p| self.text(p)),
                f.count,
                f.recv_buffer,
            ),
        };
        let udp = proto == Proto::Udp;
        let Some(port) = self.port_for(n, &name, udp, port) else {
            return;
        };
        // `count: N` opens N clients, NAME0 .. NAME{N-1}.
        let names: Vec<String> = match count {
            None => vec![name.clone()],
            Some(k) => (0..k).map(|i| format!("{name}{i}")).collect(),
        };
        for (opened, client) in names.iter().enumerate() {
            let socket = || -> std::io::Result<socket2::Socket> {
                let sock = self
                    .target
                    .socket(if udp {
                        SocketKind::Udp
                    } else {
                        SocketKind::Tcp
                    })
                    .map_err(std::io::Error::other)?;
                if let Some(bytes) = recv_buffer {
                    sock.set_recv_buffer_size(bytes as usize)?;
                }
                Ok(sock)
            };
            let result = if udp {
                socket().and_then(|sock| Conn::connect_udp(sock, port))
            } else {
                Conn::connect_tcp_retrying(socket, port, drive::DEFAULT_WITHIN)
            };
            match result {
                Ok(conn) => {
                    self.clients.insert(client.clone(), conn);
                }
                Err(e) => {
                    // A program that just died refuses too: give its end a moment to be seen.
                    let died = self
                        .target
                        .wait_exit(Instant::now() + Duration::from_millis(300));
                    let class = if died.is_some() {
                        FailureClass::Crashed
                    } else {
                        FailureClass::Refused
                    };
                    let observed = if names.len() > 1 {
                        format!("{opened} connected, then {client}: {e}")
                    } else {
                        e.to_string()
                    };
                    return self.rec.step(
                        n,
                        &format!("connect {name}"),
                        false,
                        class,
                        format!("to accept {} on port {port}", plural(names.len())),
                        observed,
                    );
                }
            }
        }
    }

    /// The port to connect to: the one given, or the one the program listens on.
    fn port_for(&mut self, n: usize, name: &str, udp: bool, given: Option<String>) -> Option<u16> {
        let fail = |rec: &mut Recorder, class, expected: &str, observed: &str| {
            rec.step(
                n,
                &format!("connect {name}"),
                false,
                class,
                expected.into(),
                observed.into(),
            );
            None
        };
        if let Some(p) = given {
            return match p.parse::<u16>() {
                Ok(p) => Some(p),
                Err(_) => fail(
                    self.rec,
                    FailureClass::HarnessError,
                    "a port number",
                    "not a number",
                ),
            };
        }
        // Found at readiness, or now (a program ready at start may listen by now).
        let now = || {
            tree::listening(&self.tree_pids())
                .into_iter()
                .find(|l| l.udp == udp)
        };
        if let Some(l) = self.port.filter(|l| l.udp == udp).or_else(now) {
            return Some(l.port);
        }
        let what = if udp {
            "the program bound to a UDP port (or give `port:`)"
        } else {
            "the program listening on a TCP port (or give `port:`)"
        };
        let class = if self.target.exit().is_some() {
            FailureClass::Crashed
        } else {
            FailureClass::NeverReady
        };
        fail(self.rec, class, what, "none found")
    }

    fn close(&mut self, name: &str, how: model::CloseHow) {
        if let Some(conn) = self.clients.remove(name) {
            if let Some(still) = conn.close(how) {
                self.clients.insert(name.to_owned(), still);
            }
        }
    }

    /// Nothing may arrive for the whole duration, and the connection must stay open.
    fn silent(&mut self, n: usize, sl: &model::SilentStep) {
        let (got, ended) = match self.clients.get_mut(&sl.client) {
            Some(conn) => conn.read_until(&Until::Quiet(sl.duration.0), sl.duration.0),
            None => (Vec::new(), Ended::Closed),
        };
        if !got.is_empty() {
            self.rec.push(
                &sl.client,
                EventKind::Wire {
                    sent: false,
                    data: shown(&got),
                    ended: None,
                },
            );
        }
        let (ok, class, observed) = match ended {
            _ if !got.is_empty() => (
                false,
                FailureClass::RepliedTooSoon,
                format!("{} arrived", shown(&got)),
            ),
            Ended::Closed | Ended::Reset => (
                false,
                FailureClass::NoReply,
                "the connection was closed".to_owned(),
            ),
            _ => (true, FailureClass::RepliedTooSoon, "nothing".to_owned()),
        };
        self.rec.step(
            n,
            &format!("silent on {}", sl.client),
            ok,
            class,
            format!("nothing, on an open connection, for {}", sl.duration),
            observed,
        );
    }

    fn recv(&mut self, n: usize, r: &model::RecvStep) {
        let within = r.within.map_or(drive::DEFAULT_WITHIN, |d| d.0);
        let m = r
            .matcher
            .fill(&|t| self.text(&model::Text(t.to_owned())))
            .with_files(&|p| self.fixture(p));
        let until = match &r.until {
            Some(model::Until::Terminator(t)) => Until::Terminator(self.text(t).into_bytes()),
            Some(model::Until::Close) => Until::Close,
            Some(model::Until::Quiet(d)) => Until::Quiet(d.0),
            // A reply the matcher can tell is complete needs only a short silence after it.
            None => Until::Settle {
                quiet: drive::DEFAULT_QUIET,
                matcher: m.clone(),
            },
        };
        let Some(conn) = self.clients.get_mut(&r.client) else {
            return self.rec.step(
                n,
                &format!("recv on {}", r.client),
                false,
                FailureClass::NoReply,
                format!("{m}"),
                "the client is not connected".into(),
            );
        };
        let (got, ended) = conn.read_until(&until, within);
        self.rec.push(
            &r.client,
            EventKind::Wire {
                sent: false,
                data: shown(&got),
                ended: Some(ended.describe().into()),
            },
        );
        // A read framed by a terminator or a close must end that way.
        let framed = match until {
            Until::Terminator(_) => ended == Ended::Terminator,
            Until::Close => ended == Ended::Closed,
            Until::Quiet(_) | Until::Settle { .. } => true,
        };
        let ok = !got.is_empty() && framed && m.check(&got).ok;
        // A connection closed by a program that died: give its end a moment to be seen.
        let closed = matches!(ended, Ended::Closed | Ended::Reset);
        // Over UDP nothing closes: a program found dead after the wait is the cause too.
        let died = match (got.is_empty(), closed) {
            (true, true) => self
                .target
                .wait_exit(Instant::now() + Duration::from_millis(300)),
            (true, false) => self.target.exit(),
            _ => None,
        };
        let class = if died.is_some() {
            FailureClass::Crashed
        } else if got.is_empty() {
            FailureClass::NoReply
        } else {
            FailureClass::WrongReply
        };
        let observed = if let Some(e) = &died {
            let how = if closed {
                "the connection closed with no reply"
            } else {
                "nothing arrived"
            };
            format!("{how}: the program ended ({})", e.exit)
        } else if got.is_empty() {
            match ended {
                Ended::Closed => "the connection closed with no reply".into(),
                Ended::Reset => "the connection was reset with no reply".into(),
                _ => format!("nothing within {}", crate::judge::library::ms(within)),
            }
        } else if let Some(d) = m.describe_observed(&got) {
            format!("{d}: {} ({})", shown(&got), ended.describe())
        } else {
            format!("{} ({})", shown(&got), ended.describe())
        };
        let expected = match &until {
            Until::Terminator(t) => format!(
                "{m}, up to {} within {}",
                visible(t),
                crate::judge::library::ms(within)
            ),
            Until::Close => format!(
                "{m}, then the peer's close within {}",
                crate::judge::library::ms(within)
            ),
            Until::Quiet(_) | Until::Settle { .. } => format!("{m}"),
        };
        self.rec.step(
            n,
            &format!("recv on {}", r.client),
            ok,
            class,
            expected,
            observed,
        );
    }

    fn output(&mut self, n: usize, o: &model::OutputStep, stream: Stream) {
        let within = o.within.map_or(drive::DEFAULT_WITHIN, |d| d.0);
        let deadline = Instant::now() + within;
        let m = o.matcher.fill(&|t| self.text(&model::Text(t.to_owned())));
        let want = o.count.unwrap_or(1).max(1);
        let (name, mut from) = match stream {
            Stream::Stdout => ("stdout", self.stdout_seen),
            Stream::Stderr => ("stderr", self.stderr_seen),
        };
        if o.any_order {
            from = 0;
        }
        let mut found = Vec::new();
        while found.len() < want as usize {
            match self.target.output.wait_for(stream, from, &m, deadline) {
                Some((index, line)) => {
                    from = index + 1;
                    for (k, v) in m.check(line.text.as_bytes()).captures {
                        self.rec.push(
                            "harness",
                            EventKind::Captured {
                                name: k.clone(),
                                value: v.clone(),
                            },
                        );
                        self.captures.insert(k, v);
                    }
                    found.push(line);
                }
                None => break,
            }
        }
        if !o.any_order {
            match stream {
                Stream::Stdout => self.stdout_seen = from,
                Stream::Stderr => self.stderr_seen = from,
            }
        }
        let lines = if want == 1 {
            "a line".to_owned()
        } else {
            format!("{want} lines")
        };
        if found.len() == want as usize {
            let observed = found
                .iter()
                .map(|l| visible(l.text.as_bytes()))
                .collect::<Vec<_>>()
                .join(", ");
            return self.rec.step(
                n,
                name,
                true,
                FailureClass::MissingOutput,
                format!("{lines} matching {m}"),
                observed,
            );
        }
        let last = self
            .target
            .output
            .lines()
            .into_iter()
            .rfind(|l| l.stream == stream)
            .map_or("nothing".into(), |l| {
                format!("last line {}", visible(l.text.as_bytes()))
            });
        let observed = if want == 1 {
            last
        } else {
            format!("{} of {want}; {last}", found.len())
        };
        self.rec.step(
            n,
            name,
            false,
            FailureClass::MissingOutput,
            format!(
                "{lines} matching {m} within {}",
                crate::judge::library::ms(within)
            ),
            observed,
        );
    }
}

/// "a connection", "1030 connections".
impl Driver<'_> {
    /// The bytes a fixture was written with.
    fn fixture(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path)?.bytes(path)
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "a connection".into()
    } else {
        format!("{n} connections")
    }
}

/// Bytes on the wire as the evidence keeps them: whole up to 2000, else the size and the
/// first 200 (an 8 MiB echo would make the results hundreds of megabytes).
fn shown(data: &[u8]) -> String {
    if data.len() > 2000 {
        format!("{} bytes: {}...", data.len(), visible(&data[..200]))
    } else {
        visible(data)
    }
}
