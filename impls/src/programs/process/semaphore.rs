//! The semaphore (信号量) of the course's IPC list, as `multiprocessing.Semaphore(K)` makes
//! it: a count shared by processes; each `acquire()` takes one and blocks while none is left,
//! `release()` gives it back. So at most K processes are ever inside.
//!
//! `--value K` (default 2) permits, `--procs N` (default 5) children; each enters, stays
//! 200 ms, and leaves. A count of who is inside, and its highest value, are kept in shared
//! memory. Output: `semaphore value=K procs=N`, N lines `parent pid=P child=C`, N pairs
//! `enter pid=C inside=X` (1 <= X <= K) ... `leave pid=C inside=Y` (Y = the count after it
//! left), N lines `reaped C status 0`, and last `max inside=M` (M = min(K, N)).
//! Claims: `ipc.kinds`.

use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

use nix::unistd::getpid;

use super::os::{self, say};
use super::shared::{Semaphore, Shared};
use crate::programs::args;

/// The count of processes inside, and the most seen at once.
struct Inside {
    now: AtomicI32,
    max: AtomicI32,
}

pub fn main(argv: &[String]) -> i32 {
    let sizes = args::number(argv, "--value", 2u32)
        .and_then(|k| args::number(argv, "--procs", 5u32).map(|n| (k, n)));
    let (value, procs) = match sizes {
        Ok((k, n)) if k >= 1 && n <= 50 => (k, n),
        Ok(_) => {
            eprintln!("semaphore: --value must be at least 1 and --procs at most 50");
            return 2;
        }
        Err(e) => {
            eprintln!("semaphore: {e}");
            return 2;
        }
    };
    let made = Semaphore::new(value).and_then(|sem| {
        let inside = Shared::new(Inside {
            now: AtomicI32::new(0),
            max: AtomicI32::new(0),
        })?;
        Ok((sem, inside))
    });
    let (sem, inside) = match made {
        Ok(m) => m,
        Err(e) => {
            eprintln!("semaphore: {e}");
            return 1;
        }
    };
    say(format!("semaphore value={value} procs={procs}"));
    let mut children = Vec::new();
    let mut status = 0;
    for _ in 0..procs {
        let child = os::spawn(|| {
            sem.acquire();
            let n = inside.now.fetch_add(1, SeqCst) + 1;
            inside.max.fetch_max(n, SeqCst);
            say(format!("enter pid={} inside={n}", getpid()));
            os::sleep_ms(200);
            // Counted out and said before the release, so the next one's `enter` follows.
            let n = inside.now.fetch_sub(1, SeqCst) - 1;
            say(format!("leave pid={} inside={n}", getpid()));
            sem.release();
            0
        });
        match child {
            Ok(c) => {
                say(format!("parent pid={} child={c}", getpid()));
                children.push(c);
            }
            Err(e) => {
                status = os::fork_failed(e);
                break; // the children made so far are still reaped
            }
        }
    }
    for c in children {
        os::reap(c);
    }
    say(format!("max inside={}", inside.max.load(SeqCst)));
    status
}
