//! The harness's side of a program subject: start it under a supervisor, talk to the
//! supervisor (sockets in the target's namespace, exit statuses), feed stdin, capture
//! output, and stop it so that nothing is left behind.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::control::{self, ExitInfo, Report, SocketKind};
use super::output::{Output, Stream};
use super::spec::{Limits, Spec};
use super::supervisor::CONTROL_FD;
use crate::load::model::Fixture;

/// What to start.
#[derive(Debug, Clone)]
pub struct Request {
    /// The `conform` executable (it is also the supervisor).
    pub exe: PathBuf,
    pub argv: Vec<String>,
    /// Fixture files: relative path → content.
    pub files: BTreeMap<String, Fixture>,
    pub mounts: Vec<(PathBuf, PathBuf)>,
    pub env: Vec<(String, String)>,
    pub netns: bool,
    pub cgroups: bool,
    pub limits: Limits,
}

/// How the target was isolated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Isolation {
    pub netns: bool,
    pub mountns: bool,
    pub cgroup: bool,
    pub notes: Vec<String>,
}

/// A process of the tree that ended, and when (µs after start).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Exit {
    pub pid: i32,
    pub exit: ExitInfo,
    pub at_us: u64,
}

/// A started target.
pub struct Target {
    pub pid: i32,
    pub isolation: Isolation,
    pub output: Arc<Output>,
    pub t0: Instant,
    pub dir: PathBuf,
    supervisor: Child,
    control: Arc<OwnedFd>,
    replies: Receiver<(Report, Option<OwnedFd>)>,
    exits: Arc<Mutex<Vec<Exit>>>,
    stdin: Option<ChildStdin>,
    tempdir: Option<tempfile::TempDir>,
    stopped: bool,
}

/// Why a target could not be started.
#[derive(Debug)]
pub enum StartError {
    /// The program itself could not be started (not found, not executable).
    Spawn(String),
    /// The harness could not set it up (a mount that cannot be made, ...).
    Setup(String),
}

const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

impl Target {
    /// Starts the supervisor, lets `before_start` use the isolated namespace (to open
    /// sockets a client program will reach), then starts the program.
    pub fn start(
        req: &Request,
        tempdir: tempfile::TempDir,
        before_start: &mut dyn FnMut(&Target) -> Result<(), String>,
    ) -> Result<Target, StartError> {
        let setup = StartError::Setup;
        let dir = tempdir.path().to_owned();
        write_fixtures(&dir, &req.files).map_err(setup)?;
        let spec = Spec {
            argv: req.argv.clone(),
            dir: dir.clone(),
            env: req.env.clone(),
            netns: req.netns,
            mounts: req.mounts.clone(),
            limits: req.limits,
            cgroups: req.cgroups,
            tag: unique_tag(),
        };
        let spec_json = serde_json::to_string(&spec).map_err(|e| setup(e.to_string()))?;
        let (ours, theirs) = control::pair().map_err(setup)?;
        let theirs_raw = theirs.as_raw_fd();
        let mut cmd = Command::new(&req.exe);
        cmd.arg("__supervise")
            .arg(spec_json)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Safety: dup2 and fcntl only, between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if theirs_raw == CONTROL_FD {
                    nix::fcntl::fcntl(
                        std::os::fd::BorrowedFd::borrow_raw(CONTROL_FD),
                        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::empty()),
                    )?;
                } else if libc::dup2(theirs_raw, CONTROL_FD) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut supervisor = cmd.spawn().map_err(|e| {
            setup(format!(
                "cannot start the supervisor {}: {e}",
                req.exe.display()
            ))
        })?;
        drop(theirs);
        let t0 = Instant::now();
        let output = Arc::new(Output::default());
        if let Some(out) = supervisor.stdout.take() {
            output.capture(Stream::Stdout, out, t0);
        }
        if let Some(err) = supervisor.stderr.take() {
            output.capture(Stream::Stderr, err, t0);
        }
        let control = Arc::new(ours);
        let exits = Arc::new(Mutex::new(Vec::new()));
        let replies = spawn_control_reader(control.clone(), exits.clone(), t0);
        let mut target = Target {
            pid: 0,
            isolation: Isolation::default(),
            output,
            t0,
            dir,
            stdin: supervisor.stdin.take(),
            supervisor,
            control,
            replies,
            exits,
            tempdir: Some(tempdir),
            stopped: false,
        };
        match target.reply() {
            Ok((
                Report::Isolated {
                    netns,
                    mountns,
                    cgroup,
                    notes,
                },
                _,
            )) => {
                target.isolation = Isolation {
                    netns,
                    mountns,
                    cgroup,
                    notes,
                }
            }
            Ok((Report::Failed { error }, _)) => return Err(setup(error)),
            Ok((other, _)) => {
                return Err(setup(format!(
                    "unexpected message from the supervisor: {other:?}"
                )))
            }
            Err(e) => return Err(setup(e)),
        }
        before_start(&target).map_err(setup)?;
        control::send(
            control::raw(&target.control),
            &control::Command::Start,
            None,
        )
        .map_err(setup)?;
        match target.reply() {
            Ok((Report::Started { pid }, _)) => target.pid = pid,
            Ok((Report::SpawnFailed { error }, _)) => return Err(StartError::Spawn(error)),
            Ok((other, _)) => {
                return Err(setup(format!(
                    "unexpected message from the supervisor: {other:?}"
                )))
            }
            Err(e) => return Err(setup(e)),
        }
        Ok(target)
    }

    fn reply(&self) -> Result<(Report, Option<OwnedFd>), String> {
        match self.replies.recv_timeout(REPLY_TIMEOUT) {
            Ok(r) => Ok(r),
            Err(RecvTimeoutError::Timeout) => Err("the supervisor did not answer in 10s".into()),
            Err(RecvTimeoutError::Disconnected) => Err("the supervisor ended unexpectedly".into()),
        }
    }

    /// A handle to stop the target from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.control.clone())
    }

    /// The supervisor's pid: every process of the target's tree descends from it.
    pub fn supervisor_pid(&self) -> i32 {
        self.supervisor.id() as i32
    }

    /// A new socket inside the target's network namespace (unconnected, unbound).
    pub fn socket(&self, kind: SocketKind) -> Result<socket2::Socket, String> {
        control::send(
            control::raw(&self.control),
            &control::Command::Socket { kind },
            None,
        )?;
        match self.reply()? {
            (Report::Socket { .. }, Some(fd)) => Ok(socket2::Socket::from(fd)),
            (other, _) => Err(format!("no socket from the supervisor: {other:?}")),
        }
    }

    /// Writes to the target's stdin; an error means the target closed it (or exited).
    pub fn write_stdin(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.stdin {
            Some(s) => s.write_all(bytes).and_then(|_| s.flush()),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "stdin is closed",
            )),
        }
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Every process of the tree that has ended so far.
    pub fn exits(&self) -> Vec<Exit> {
        self.exits.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The target's own exit, once it has ended.
    pub fn exit(&self) -> Option<Exit> {
        self.exits().into_iter().find(|e| e.pid == self.pid)
    }

    /// Waits until the target has ended or `deadline` passes.
    pub fn wait_exit(&self, deadline: Instant) -> Option<Exit> {
        loop {
            if let Some(e) = self.exit() {
                return Some(e);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Stops the whole tree (TERM, `grace`, KILL), reaps it, removes cgroups and the temp
    /// dir. Returns the pids that could not be killed (none, normally).
    pub fn stop(&mut self, grace: Duration) -> Vec<i32> {
        if self.stopped {
            return Vec::new();
        }
        self.stopped = true;
        self.stdin = None;
        let _ = control::send(
            control::raw(&self.control),
            &control::Command::Stop {
                grace_ms: grace.as_millis() as u64,
            },
            None,
        );
        let mut leftover = Vec::new();
        let until = Instant::now() + grace + Duration::from_secs(15);
        loop {
            match self
                .replies
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok((Report::Stopped { leftover: l, .. }, _)) => {
                    leftover = l;
                    break;
                }
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        // The supervisor exits right after; if it does not, it is killed.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.supervisor.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Ok(None) = self.supervisor.try_wait() {
            let _ = self.supervisor.kill();
            let _ = self.supervisor.wait();
        }
        if let Some(t) = self.tempdir.take() {
            let _ = t.close();
        }
        leftover
    }
}

/// Stops a target from another thread (the trial's deadline); the owner's `stop` then
/// finds it stopped.
#[derive(Clone)]
pub struct Stopper(Arc<OwnedFd>);

impl Stopper {
    pub fn stop_now(&self) {
        let _ = control::send(
            control::raw(&self.0),
            &control::Command::Stop { grace_ms: 0 },
            None,
        );
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        self.stop(Duration::ZERO);
    }
}

/// Reads the supervisor's reports: exits go to `exits`, everything else to the channel.
fn spawn_control_reader(
    control: Arc<OwnedFd>,
    exits: Arc<Mutex<Vec<Exit>>>,
    t0: Instant,
) -> Receiver<(Report, Option<OwnedFd>)> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        while let Ok(Some((report, fd))) = control::recv::<Report>(control::raw(&control)) {
            if let Report::Reaped { pid, exit } = report {
                exits.lock().unwrap_or_else(|p| p.into_inner()).push(Exit {
                    pid,
                    exit,
                    at_us: t0.elapsed().as_micros() as u64,
                });
            } else if tx.send((report, fd)).is_err() {
                break;
            }
        }
    });
    rx
}

fn write_fixtures(dir: &Path, files: &BTreeMap<String, Fixture>) -> Result<(), String> {
    for (path, fixture) in files {
        let full = dir.join(path);
        let folder = match fixture {
            Fixture::Dir { .. } => full.as_path(),
            _ => full.parent().unwrap_or(dir),
        };
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        if let Some(bytes) = fixture.bytes(path) {
            std::fs::write(&full, bytes).map_err(|e| format!("{}: {e}", full.display()))?;
        }
    }
    Ok(())
}

fn unique_tag() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A TCP port free on the machine now (for targets that share the machine's network).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(8888, |a| a.port())
}
