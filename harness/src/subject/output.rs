//! A target's stdout and stderr, captured line by line with timestamps. Bounded: past the
//! cap, lines are counted and dropped (the pipe is still drained, so the target never
//! blocks on a full pipe).

use std::io::Read;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::matcher::Matcher;

/// At most this many bytes of each stream are kept.
pub const CAP: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub at_us: u64,
    pub stream: Stream,
    pub text: String,
}

#[derive(Default)]
struct State {
    lines: Vec<Line>,
    kept: [usize; 2],
    dropped: [usize; 2],
    closed: [bool; 2],
}

/// Both streams of one target.
#[derive(Default)]
pub struct Output {
    state: Mutex<State>,
    changed: Condvar,
}

fn slot(s: Stream) -> usize {
    match s {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
    }
}

impl Output {
    /// Reads `from` to its end on a thread of its own, adding lines as they complete.
    pub fn capture(
        self: &Arc<Self>,
        stream: Stream,
        mut from: impl Read + Send + 'static,
        t0: Instant,
    ) -> std::thread::JoinHandle<()> {
        let out = self.clone();
        std::thread::spawn(move || {
            let mut partial = Vec::new();
            let mut buf = [0u8; 8192];
            loop {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                partial.extend_from_slice(&buf[..n]);
                while let Some(end) = partial.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = partial.drain(..=end).collect();
                    out.add(stream, &line[..line.len() - 1], t0);
                }
                if partial.len() > 64 * 1024 {
                    // A line that never ends: keep it in pieces.
                    let piece: Vec<u8> = std::mem::take(&mut partial);
                    out.add(stream, &piece, t0);
                }
            }
            if !partial.is_empty() {
                out.add(stream, &partial, t0);
            }
            let mut st = out.state.lock().unwrap_or_else(|p| p.into_inner());
            st.closed[slot(stream)] = true;
            out.changed.notify_all();
        })
    }

    fn add(&self, stream: Stream, bytes: &[u8], t0: Instant) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let i = slot(stream);
        if st.kept[i] + bytes.len() > CAP {
            st.dropped[i] += bytes.len();
            return;
        }
        st.kept[i] += bytes.len();
        let text = String::from_utf8_lossy(bytes)
            .trim_end_matches('\r')
            .to_owned();
        st.lines.push(Line {
            at_us: t0.elapsed().as_micros() as u64,
            stream,
            text,
        });
        self.changed.notify_all();
    }

    /// Waits until a line of `stream` after the first `skip` lines of it matches, or the
    /// deadline passes or the stream ends. Returns the index (among that stream's lines)
    /// and the line.
    pub fn wait_for(
        &self,
        stream: Stream,
        skip: usize,
        matcher: &Matcher,
        deadline: Instant,
    ) -> Option<(usize, Line)> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let found = st
                .lines
                .iter()
                .filter(|l| l.stream == stream)
                .enumerate()
                .skip(skip)
                .find(|(_, l)| matcher.check(l.text.as_bytes()).ok)
                .map(|(i, l)| (i, l.clone()));
            if found.is_some() {
                return found;
            }
            let now = Instant::now();
            if now >= deadline || st.closed[slot(stream)] {
                return None;
            }
            st = self
                .changed
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Every line kept so far, in arrival order.
    pub fn lines(&self) -> Vec<Line> {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lines
            .clone()
    }

    /// How many lines of `stream` there are now.
    pub fn count(&self, stream: Stream) -> usize {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lines
            .iter()
            .filter(|l| l.stream == stream)
            .count()
    }

    /// Bytes dropped past the cap, per stream (stdout, stderr).
    pub fn dropped(&self) -> (usize, usize) {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (st.dropped[0], st.dropped[1])
    }
}
