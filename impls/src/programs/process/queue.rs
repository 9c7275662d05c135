//! The course's day7/queue_0.py, a message queue (消息队列) between processes: the parent
//! `put`s, the child `get`s. A blocking `get()` waits until a message comes; `get(timeout=t)`
//! on an empty queue fails with `Empty` after about t.
//!
//! multiprocessing's `Queue` is a pipe with a lock for its readers; so is this one: each
//! message is one write of a 4-byte length and its bytes (at most PIPE_BUF, so atomic even
//! with several writers), and a reader takes a process-shared semaphore (the lock) and then
//! waits on the pipe with `poll`, which gives the timeout.
//!
//! Output: `parent pid=P child=C`, `child pid=C ppid=P`, `get blocks` (the child, before a
//! blocking get), after 300 ms from the parent `put msg=1`, `put msg=2`, `put msg=3`, from the
//! child `got msg=1 waited_ms=N` (N about 300: it blocked until the put), `got msg=2 ...`,
//! `got msg=3 ...` (in put order), then `empty timeout_ms=300 waited_ms=N` (N about 300),
//! and from the parent `reaped C status 0`.
//! Claims: `queue.cross-process`, `queue.get-block`, `queue.fifo`, `ipc.kinds`.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::unistd::{getpid, getppid, pipe};

use super::os::{self, say};
use super::shared::{Semaphore, Shared};

pub fn main(_argv: &[String]) -> i32 {
    let q = match Queue::new() {
        Ok(q) => q,
        Err(e) => {
            eprintln!("queue: {e}");
            return 1;
        }
    };
    let child = os::spawn(|| {
        say(format!("child pid={} ppid={}", getpid(), getppid()));
        say("get blocks");
        for _ in 0..3 {
            let start = Instant::now();
            match q.get(None) {
                Some(msg) => say(format!("got msg={msg} waited_ms={}", ms(start))),
                None => return 1,
            }
        }
        let start = Instant::now();
        match q.get(Some(Duration::from_millis(300))) {
            None => say(format!("empty timeout_ms=300 waited_ms={}", ms(start))),
            Some(msg) => say(format!("got msg={msg} waited_ms={}", ms(start))),
        }
        0
    });
    let child = match child {
        Ok(c) => c,
        Err(e) => return os::fork_failed(e),
    };
    say(format!("parent pid={} child={child}", getpid()));
    os::sleep_ms(300); // the child's first get blocks meanwhile
    for msg in ["1", "2", "3"] {
        q.put(msg);
        say(format!("put msg={msg}"));
    }
    os::reap(child);
    0
}

fn ms(since: Instant) -> u128 {
    since.elapsed().as_millis()
}

/// `multiprocessing.Queue()`, unbounded, made before the fork so both processes hold it.
struct Queue {
    read: File,
    write: File,
    /// Held by the reader taking a message, so two readers never split one.
    read_lock: Shared<Semaphore>,
}

impl Queue {
    fn new() -> nix::Result<Queue> {
        let (r, w) = pipe()?;
        Ok(Queue {
            read: File::from(r),
            write: File::from(w),
            read_lock: Semaphore::new(1)?,
        })
    }

    /// `put(msg)`: one write, so a message is never interleaved with another's.
    fn put(&self, msg: &str) {
        assert!(
            msg.len() + 4 <= libc::PIPE_BUF,
            "a message fits one atomic write"
        );
        let mut frame = (msg.len() as u32).to_ne_bytes().to_vec();
        frame.extend_from_slice(msg.as_bytes());
        (&self.write).write_all(&frame).expect("the queue's pipe");
    }

    /// `get()` (`timeout` None: blocks until a message comes) or `get(timeout=t)`; `None` is
    /// `queue.Empty`: nothing came in time.
    fn get(&self, timeout: Option<Duration>) -> Option<String> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
        match left() {
            None => self.read_lock.acquire(),
            Some(t) => {
                if !self.read_lock.acquire_timeout(t) {
                    return None;
                }
            }
        }
        let msg = self.take(left);
        self.read_lock.release();
        msg
    }

    /// With the lock held: waits for the pipe to be readable, then reads one message.
    fn take(&self, left: impl Fn() -> Option<Duration>) -> Option<String> {
        loop {
            let wait = match left() {
                None => PollTimeout::NONE,
                Some(t) => PollTimeout::try_from(t).unwrap_or(PollTimeout::MAX),
            };
            let mut fds = [PollFd::new(self.read.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, wait) {
                Ok(0) => return None, // timed out: Empty
                Ok(_) => break,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return None,
            }
        }
        // A whole message is there: it was written in one atomic write.
        let mut len = [0u8; 4];
        (&self.read).read_exact(&mut len).ok()?;
        let mut body = vec![0u8; u32::from_ne_bytes(len) as usize];
        (&self.read).read_exact(&mut body).ok()?;
        String::from_utf8(body).ok()
    }
}
