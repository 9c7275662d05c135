//! The supervisor: `conform __supervise SPEC`, one per target. It isolates itself (so the
//! target inherits the namespaces), starts the target with the harness's stdin, stdout and
//! stderr, is the child subreaper of the whole tree and its only reaper, reports every exit
//! on the control channel (fd 3), makes sockets inside the namespace on request, and at the
//! end kills and reaps everything and removes its cgroups.

use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Command as Process;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, killpg, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::control::{self, Command, ExitInfo, Report, SocketKind};
use super::isolate::{self, Cgroups};
use super::spec::Spec;
use super::tree;

/// The control channel's descriptor in the supervisor.
pub const CONTROL_FD: i32 = 3;

pub fn main(spec: &str) -> i32 {
    // Safety: the harness placed the control socket at fd 3 for us; nothing else owns it.
    let control = unsafe { OwnedFd::from_raw_fd(CONTROL_FD) };
    let _ = nix::fcntl::fcntl(
        &control,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    );
    let say = |r: &Report, fd: Option<i32>| control::send(control::raw(&control), r, fd);
    let spec: Spec = match serde_json::from_str(spec) {
        Ok(s) => s,
        Err(e) => {
            let _ = say(
                &Report::Failed {
                    error: format!("bad spec: {e}"),
                },
                None,
            );
            return 2;
        }
    };
    // The harness dying (even by SIGKILL), Ctrl-C at the terminal, or a TERM: each ends in
    // the same clean-up as a normal stop, so no program outlives an interrupted run.
    catch_stop_signals();
    let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGTERM);
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let iso = match isolate::enter_namespaces(spec.netns, &spec.mounts, &spec.dir) {
        Ok(i) => i,
        Err(e) => {
            let _ = say(&Report::Failed { error: e }, None);
            return 2;
        }
    };
    let mut notes = iso.notes;
    let (mut cgroups, note) = if spec.cgroups {
        Cgroups::create(&spec.tag, &spec.limits)
    } else {
        (Cgroups::default(), Some("cgroups are off".into()))
    };
    notes.extend(note);
    let cgroup = !cgroups.dirs.is_empty();
    if say(
        &Report::Isolated {
            netns: iso.netns,
            mountns: iso.mountns,
            cgroup,
            notes,
        },
        None,
    )
    .is_err()
    {
        cgroups.remove();
        return 2;
    }
    let in_userns = (iso.netns || iso.mountns) && !nix::unistd::getuid().is_root();
    let mut sup = Supervisor {
        control,
        spec,
        cgroups,
        target: None,
        in_userns,
    };
    let code = sup.serve();
    sup.cgroups.remove();
    code
}

struct Supervisor {
    control: OwnedFd,
    spec: Spec,
    cgroups: Cgroups,
    target: Option<i32>,
    /// Whether the supervisor made a user namespace (not root, namespaces asked for).
    in_userns: bool,
}

/// Set by SIGINT, SIGTERM (also the parent-death signal) and SIGHUP.
static STOP_SIGNAL: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    STOP_SIGNAL.store(true, Ordering::Relaxed);
}

fn catch_stop_signals() {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet};
    let action = SigAction::new(
        SigHandler::Handler(on_stop_signal),
        SaFlags::empty(),
        SigSet::empty(),
    );
    for sig in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // Safety: the handler only stores to an atomic.
        let _ = unsafe { sigaction(sig, &action) };
    }
}

/// Points the supervisor's own stdin, stdout and stderr at /dev/null.
fn release_stdio() {
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        use std::os::fd::AsRawFd;
        for fd in 0..3 {
            // Safety: dup2 onto the standard descriptors, which nothing else holds references to.
            unsafe { libc::dup2(null.as_raw_fd(), fd) };
        }
    }
}

impl Supervisor {
    fn say(&self, r: &Report, fd: Option<i32>) {
        // A harness that went away will close the channel; `serve` notices and cleans up.
        let _ = control::send(control::raw(&self.control), r, fd);
    }

    /// Answers commands and reaps, until told to stop or the harness goes away.
    fn serve(&mut self) -> i32 {
        loop {
            self.reap_all();
            if STOP_SIGNAL.load(Ordering::Relaxed) {
                self.stop(Duration::ZERO);
                // Nobody is left to remove the temp dir: the harness is gone or going.
                let _ = std::fs::remove_dir_all(&self.spec.dir);
                return 0;
            }
            if !control::readable(&self.control, 5) {
                continue;
            }
            match control::recv::<Command>(control::raw(&self.control)) {
                Ok(Some((Command::Socket { kind }, _))) => self.make_socket(kind),
                Ok(Some((Command::Start, _))) => self.start(),
                Ok(Some((Command::Stop { grace_ms }, _))) => {
                    self.stop(Duration::from_millis(grace_ms));
                    return 0;
                }
                Ok(None) | Err(_) => {
                    // The harness is gone: nobody else will remove the working directory.
                    self.stop(Duration::ZERO);
                    let _ = std::fs::remove_dir_all(&self.spec.dir);
                    return 0;
                }
            }
        }
    }

    fn make_socket(&self, kind: SocketKind) {
        use socket2::{Domain, Socket, Type};
        use std::os::fd::AsRawFd;
        let ty = match kind {
            SocketKind::Tcp => Type::STREAM,
            SocketKind::Udp => Type::DGRAM,
        };
        match Socket::new(Domain::IPV4, ty, None) {
            Ok(s) => self.say(&Report::Socket { kind }, Some(s.as_raw_fd())),
            Err(e) => self.say(
                &Report::Failed {
                    error: format!("socket: {e}"),
                },
                None,
            ),
        }
    }

    fn start(&mut self) {
        let spec = &self.spec;
        let Some((program, args)) = spec.argv.split_first() else {
            return self.say(
                &Report::SpawnFailed {
                    error: "empty command line".into(),
                },
                None,
            );
        };
        let limits = spec.limits;
        // Without a pids cgroup, RLIMIT_NPROC is the only process limit. It counts the
        // user's processes in the current user namespace: in a fresh one only ours, outside
        // it all of the user's, so it is set above what the user runs already.
        let nproc = (self.cgroups.dirs.is_empty() && !nix::unistd::getuid().is_root()).then(|| {
            let base = if self.in_userns { 1 } else { user_processes() };
            base + u64::from(limits.processes)
        });
        let procs: Vec<std::fs::File> = self
            .cgroups
            .procs
            .iter()
            .filter_map(|f| f.try_clone().ok())
            .collect();
        let join = Cgroups {
            dirs: Vec::new(),
            procs,
        };
        let mut cmd = Process::new(program);
        cmd.args(args)
            .current_dir(&spec.dir)
            .envs(spec.env.iter().cloned());
        // Safety: only async-signal-safe calls between fork and exec: setpgid, setrlimit,
        // write(2) on descriptors opened before the fork.
        unsafe {
            cmd.pre_exec(move || {
                nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0))
                    .map_err(std::io::Error::from)?;
                // Should the supervisor itself be killed outright, its program goes too.
                nix::sys::prctl::set_pdeathsig(Signal::SIGKILL).map_err(std::io::Error::from)?;
                join.join_self()?;
                isolate::set_rlimits(&limits, nproc)
            });
        }
        match cmd.spawn() {
            Ok(child) => {
                let pid = child.id() as i32;
                // The supervisor reaps with waitpid(-1); the Child handle is never waited on.
                std::mem::forget(child);
                // Only the program keeps the harness's pipes: once its tree is gone, the harness
                // sees end of file on stdout and a broken pipe on stdin.
                release_stdio();
                self.target = Some(pid);
                self.say(&Report::Started { pid }, None);
            }
            Err(e) => self.say(
                &Report::SpawnFailed {
                    error: format!(
                        "cannot start `{program}`: {e}{}",
                        missing_interpreter(program, &e)
                    ),
                },
                None,
            ),
        }
    }

    /// Reaps every child that has ended (the target and adopted orphans) and reports it.
    fn reap_all(&self) {
        loop {
            match waitpid(
                Pid::from_raw(-1),
                Some(WaitPidFlag::WNOHANG | WaitPidFlag::__WALL),
            ) {
                Ok(WaitStatus::Exited(pid, code)) => self.say(
                    &Report::Reaped {
                        pid: pid.as_raw(),
                        exit: ExitInfo {
                            code: Some(code),
                            signal: None,
                        },
                    },
                    None,
                ),
                Ok(WaitStatus::Signaled(pid, sig, _)) => self.say(
                    &Report::Reaped {
                        pid: pid.as_raw(),
                        exit: ExitInfo {
                            code: None,
                            signal: Some(sig as i32),
                        },
                    },
                    None,
                ),
                Ok(WaitStatus::StillAlive) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    }

    /// Every process of the tree: our descendants and the cgroups' members.
    fn tree(&self) -> Vec<i32> {
        let me = std::process::id() as i32;
        let mut pids: Vec<i32> = tree::descendants(me, &tree::all())
            .into_iter()
            .map(|p| p.pid)
            .collect();
        pids.extend(self.cgroups.members().into_iter().filter(|&p| p != me));
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// TERM, a grace period, then KILL until nothing is left; reap everything.
    fn stop(&mut self, grace: Duration) {
        let mut killed = 0;
        if !grace.is_zero() {
            if let Some(t) = self.target {
                let _ = killpg(Pid::from_raw(t), Signal::SIGTERM);
            }
            for pid in self.tree() {
                let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
            let until = Instant::now() + grace;
            while Instant::now() < until && !self.tree().is_empty() {
                self.reap_all();
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        // A fork bomb forks while we kill: repeat until the tree stays empty.
        let until = Instant::now() + Duration::from_secs(10);
        let mut left = self.tree();
        while !left.is_empty() && Instant::now() < until {
            for &pid in &left {
                if kill(Pid::from_raw(pid), Signal::SIGKILL).is_ok() {
                    killed += 1;
                }
            }
            self.reap_all();
            std::thread::sleep(Duration::from_millis(5));
            self.reap_all();
            left = self.tree();
        }
        self.reap_all();
        self.cgroups.remove();
        self.say(
            &Report::Stopped {
                killed,
                leftover: left,
            },
            None,
        );
    }
}

/// How many processes the calling user has now.
fn user_processes() -> u64 {
    let uid = nix::unistd::getuid().as_raw();
    procfs::process::all_processes().map_or(0, |ps| {
        ps.flatten().filter(|p| p.uid().ok() == Some(uid)).count() as u64
    })
}

/// When a script exists but cannot be started for "no such file", its `#!` line names an
/// interpreter that is not there: say which.
fn missing_interpreter(program: &str, e: &std::io::Error) -> String {
    use std::io::Read;
    if e.kind() != std::io::ErrorKind::NotFound {
        return String::new();
    }
    let mut head = [0u8; 256];
    let n = std::fs::File::open(program)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let first = String::from_utf8_lossy(&head[..n]);
    match first.lines().next().and_then(|l| l.strip_prefix("#!")) {
        Some(line) => format!(
            " (the script's first line, `#!{}`, names an interpreter that is not there)",
            line.trim()
        ),
        None => String::new(),
    }
}
