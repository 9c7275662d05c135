//! `fork()` failing (fork.returns: "a negative value on failure"; Python raises
//! `BlockingIOError`): past the process limit, under a lowered `RLIMIT_NPROC` for a user
//! other than root or in a pids cgroup (what conform gives every program), the kernel refuses
//! with EAGAIN. A program must report that and clean up, not crash or leave children behind.
//!
//! It forks until fork fails, at most `--max N` (default 200) times; each child waits, doing
//! nothing, until the parent closes a pipe. `--nproc L` first lowers its `RLIMIT_NPROC` to L
//! (root is exempt: a note says so on standard error). Output: `parent pid=P max=N`, then
//! either `fork failed after=K errno=EAGAIN` (and the error on standard error) or
//! `fork never failed after=N`; then `reaped=K` once every child is reaped; exit status 1
//! if fork failed, else 0. Claims: `fork.returns`, `zombie.wait`.

use nix::errno::Errno;
use nix::sys::resource::{getrlimit, setrlimit, Resource};
use nix::unistd::{getpid, getuid, pipe, read, ForkResult};

use super::os::{self, say};
use crate::programs::args;

pub fn main(argv: &[String]) -> i32 {
    let limits = args::number(argv, "--max", 200usize).and_then(|max| {
        let nproc = args::value(argv, "--nproc")
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("--nproc wants a number, got `{v}`"))
            })
            .transpose()?;
        Ok((max, nproc))
    });
    let (max, nproc) = match limits {
        Ok(l) => l,
        Err(e) => {
            eprintln!("fork-fail: {e}");
            return 2;
        }
    };
    if let Some(limit) = nproc {
        if let Err(e) = lower_nproc(limit) {
            eprintln!("fork-fail: cannot lower RLIMIT_NPROC: {e}");
            return 1;
        }
    }
    let (hold_r, hold_w) = match pipe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pipe failed: {e}");
            return 1;
        }
    };
    say(format!("parent pid={} max={max}", getpid()));
    let mut children = Vec::new();
    let mut failure: Option<Errno> = None;
    while children.len() < max {
        match os::fork() {
            Ok(ForkResult::Parent { child }) => children.push(child),
            Ok(ForkResult::Child) => {
                drop(hold_w); // only the parent's copy may keep the children waiting
                let _ = read(&hold_r, &mut [0u8; 1]); // end of file: the parent let go
                os::exit_now(0)
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let made = children.len();
    match failure {
        Some(e) => {
            say(format!("fork failed after={made} errno={e:?}"));
            eprintln!("fork failed: {e}");
        }
        None => say(format!("fork never failed after={made}")),
    }
    drop(hold_w); // every child reads end of file and exits
    for child in children {
        let _ = os::wait_for(child);
    }
    say(format!("reaped={made}"));
    i32::from(failure.is_some())
}

/// `RLIMIT_NPROC` = `limit`: the most processes its user may have; fork fails beyond it.
fn lower_nproc(limit: u64) -> nix::Result<()> {
    if getuid().is_root() {
        eprintln!("note: root is not held by RLIMIT_NPROC; only a pids cgroup stops its forks");
    }
    let (_, hard) = getrlimit(Resource::RLIMIT_NPROC)?;
    setrlimit(Resource::RLIMIT_NPROC, limit.min(hard), hard)
}
