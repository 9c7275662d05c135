//! The control channel between the harness and a target's supervisor: one JSON message per
//! SOCK_SEQPACKET record, optionally carrying a file descriptor (a socket made inside the
//! target's network namespace).

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The largest message either side sends.
const MAX_MESSAGE: usize = 64 * 1024;

/// How a process ended, as `waitpid` told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
}

impl std::fmt::Display for ExitInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.code, self.signal) {
            (Some(c), _) => write!(f, "exit status {c}"),
            (_, Some(s)) => {
                let name = nix::sys::signal::Signal::try_from(s)
                    .map_or_else(|_| format!("signal {s}"), |s| s.as_str().to_owned());
                write!(f, "killed by {name}")
            }
            _ => f.write_str("ended"),
        }
    }
}

/// Which socket to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SocketKind {
    Tcp,
    Udp,
}

/// Supervisor → harness.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "msg", rename_all = "kebab-case")]
pub enum Report {
    /// Namespaces and limits are in place; the target has not started yet.
    Isolated {
        netns: bool,
        mountns: bool,
        cgroup: bool,
        /// What could not be done and what was done instead.
        notes: Vec<String>,
    },
    /// A socket made inside the target's namespace (the descriptor travels with it).
    Socket { kind: SocketKind },
    /// The target runs, as this pid.
    Started { pid: i32 },
    /// The target could not be started (not found, not executable, ...).
    SpawnFailed { error: String },
    /// A process of the tree (the target, or an orphan adopted by the supervisor) was reaped.
    Reaped { pid: i32, exit: ExitInfo },
    /// Everything is killed, reaped and removed; `leftover` lists what could not be killed.
    Stopped { killed: usize, leftover: Vec<i32> },
    /// Something went wrong that ends the supervisor.
    Failed { error: String },
}

/// Harness → supervisor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "msg", rename_all = "kebab-case")]
pub enum Command {
    Socket {
        kind: SocketKind,
    },
    Start,
    /// TERM the tree, wait up to `grace_ms`, KILL what is left, reap, clean up, exit.
    Stop {
        grace_ms: u64,
    },
}

/// Sends one message, with `fd` attached if given.
pub fn send<T: Serialize>(channel: RawFd, message: &T, fd: Option<RawFd>) -> Result<(), String> {
    let bytes = serde_json::to_vec(message).map_err(|e| e.to_string())?;
    let iov = [IoSlice::new(&bytes)];
    let fds = fd.map(|f| [f]);
    let cmsg: Vec<ControlMessage> = fds
        .as_ref()
        .map(|f| ControlMessage::ScmRights(f))
        .into_iter()
        .collect();
    sendmsg::<()>(channel, &iov, &cmsg, MsgFlags::MSG_NOSIGNAL, None)
        .map_err(|e| format!("control channel: {e}"))?;
    Ok(())
}

/// Receives one message and the descriptor it carries; `Ok(None)` when the peer closed.
pub fn recv<T: DeserializeOwned>(channel: RawFd) -> Result<Option<(T, Option<OwnedFd>)>, String> {
    let mut buf = vec![0u8; MAX_MESSAGE];
    let mut cmsg_space = nix::cmsg_space!([RawFd; 1]);
    let (len, fd) = {
        let mut iov = [IoSliceMut::new(&mut buf)];
        let msg = loop {
            match recvmsg::<()>(
                channel,
                &mut iov,
                Some(&mut cmsg_space),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Err(nix::errno::Errno::EINTR) => continue,
                other => break other.map_err(|e| format!("control channel: {e}"))?,
            }
        };
        let mut fd = None;
        for c in msg.cmsgs().map_err(|e| e.to_string())? {
            if let ControlMessageOwned::ScmRights(fds) = c {
                // Safety: the kernel just gave us these descriptors; we own them now.
                fd = fds.first().map(|&f| unsafe { OwnedFd::from_raw_fd(f) });
            }
        }
        (msg.bytes, fd)
    };
    if len == 0 {
        return Ok(None);
    }
    let message = serde_json::from_slice(&buf[..len])
        .map_err(|e| format!("control channel: bad message: {e}"))?;
    Ok(Some((message, fd)))
}

/// A connected pair of SOCK_SEQPACKET sockets.
pub fn pair() -> Result<(OwnedFd, OwnedFd), String> {
    use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
    socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
    .map_err(|e| format!("socketpair: {e}"))
}

/// Whether `fd` has a message waiting within `timeout_ms`.
pub fn readable(fd: &OwnedFd, timeout_ms: u16) -> bool {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    use std::os::fd::AsFd;
    let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
    matches!(poll(&mut fds, PollTimeout::from(timeout_ms)), Ok(n) if n > 0)
}

/// The raw descriptor (for `send` / `recv`).
pub fn raw(fd: &OwnedFd) -> RawFd {
    fd.as_raw_fd()
}
