//! Mutant process programs: each a reference above with one realistic bug, printing the same
//! line formats, so that a scenario written for the reference must catch it. Each says its
//! bug and what shows from outside.

use std::fs::File;
use std::io::{Read, Write};

use nix::unistd::{getpid, getppid, gettid, pipe, Pid};

use super::mp::Process;
use super::os::{self, py_bool, say, sleep_ms};
use super::pool::{cpu_count, square};
use crate::programs::args;

/// `wait` without the wait. Bug: the parent never calls `wait()`; it just sleeps 1 s and
/// exits. Symptom: no `reaped C status 3` line; the child is a zombie from its exit (about
/// 300 ms in) until the parent exits (about 1 s in), then its adopter reaps it.
pub fn wait_forgets(_argv: &[String]) -> i32 {
    let child = os::spawn(|| {
        say(format!("child pid={} ppid={}", getpid(), getppid()));
        sleep_ms(300);
        3
    });
    match child {
        Ok(c) => say(format!("parent pid={} child={c}", getpid())),
        Err(e) => return os::fork_failed(e),
    }
    sleep_ms(1000); // the forgotten wait() belonged here
    0
}

/// `wait` that reads the status wrongly. Bug: the parent prints the low bits of the raw
/// wait status (`status & 0x7f`, the number of the signal that killed the child, 0 for a
/// normal exit) as if they were the exit status. Symptom: `reaped C status 0` where the
/// reference prints `reaped C status 3`; the child is reaped, no zombie lasts.
pub fn wait_status_lost(_argv: &[String]) -> i32 {
    let child = os::spawn(|| {
        say(format!("child pid={} ppid={}", getpid(), getppid()));
        sleep_ms(300);
        3
    });
    let child = match child {
        Ok(c) => c,
        Err(e) => return os::fork_failed(e),
    };
    say(format!("parent pid={} child={child}", getpid()));
    let mut status = 0;
    // SAFETY: waits for our own child, writing its status into `status`.
    let pid = unsafe { libc::waitpid(child.as_raw(), &mut status, 0) };
    say(format!("reaped {pid} status {}", status & 0x7f)); // should be (status >> 8) & 0xff
    sleep_ms(300);
    0
}

/// `child` (the double fork) whose parent forgets to wait for the middle child. Bug: no
/// wait after the fork. Symptom: no `reaped M status 0` line, and the middle child stays the
/// parent's zombie for the parent's whole life (about 600 ms), which the double fork was
/// meant to prevent. The grandchild is still adopted and reaped as in the reference.
pub fn child_forgets_wait(_argv: &[String]) -> i32 {
    let middle = os::spawn(|| {
        let me = getpid();
        let grandchild = os::spawn(|| {
            let reaper = os::adopted_from(me, std::time::Duration::from_secs(2));
            say(format!("grandchild pid={} adopted ppid={reaper}", getpid()));
            for i in 0..3 {
                sleep_ms(100);
                say(format!("grandchild work i={i}"));
            }
            say("grandchild done");
            0
        });
        match grandchild {
            Ok(g) => {
                say(format!(
                    "middle pid={} ppid={} grandchild={g}",
                    getpid(),
                    getppid()
                ));
                0
            }
            Err(e) => os::fork_failed(e),
        }
    });
    match middle {
        Ok(m) => say(format!("parent pid={} child={m}", getpid())),
        Err(e) => return os::fork_failed(e),
    }
    // The forgotten wait for the middle child belonged here.
    for i in 0..3 {
        sleep_ms(200);
        say(format!("parent work i={i}"));
    }
    say("parent done");
    0
}

/// `pool` that is no pool. Bug: it forks a new process for every task (in batches of the
/// pool's size, joining each batch), instead of forking its workers once. Symptom: the
/// `task=I worker=W` lines name M different workers, more than the pool's size, most of them
/// not in `pool pids=...` (which lists only the first batch); processes are born and die all
/// along. The results are right.
pub fn pool_fork_per_task(argv: &[String]) -> i32 {
    let sizes = args::number(argv, "--workers", cpu_count())
        .and_then(|w| args::number(argv, "--tasks", 8u32).map(|t| (w.max(1), t.min(1000))));
    let (workers, tasks) = match sizes {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pool: {e}");
            return 2;
        }
    };
    let (res_r, res_w) = match pipe() {
        Ok((r, w)) => (File::from(r), File::from(w)),
        Err(e) => {
            eprintln!("pool: {e}");
            return 1;
        }
    };
    say(format!("pool size={workers}"));
    let all: Vec<u32> = (0..tasks).collect();
    for (n, batch) in all.chunks(workers).enumerate() {
        let mut pids = Vec::new();
        for &task in batch {
            let pid = os::spawn(|| {
                let mut record = task.to_ne_bytes().to_vec();
                record.extend_from_slice(&square(task).to_ne_bytes());
                say(format!("task={task} worker={}", getpid())); // once done
                i32::from((&res_w).write_all(&record).is_err())
            });
            match pid {
                Ok(p) => pids.push(p),
                Err(e) => return os::fork_failed(e),
            }
        }
        if n == 0 {
            let shown: Vec<String> = pids.iter().map(Pid::to_string).collect();
            say(format!("pool pids={}", shown.join(",")));
        }
        for p in pids {
            let _ = os::wait_for(p);
        }
    }
    drop(res_w);
    say("pool joined");
    let mut values = vec![None; tasks as usize];
    let mut record = [0u8; 12];
    while (&res_r).read_exact(&mut record).is_ok() {
        let task = u32::from_ne_bytes(record[..4].try_into().expect("4 bytes"));
        values[task as usize] = Some(u64::from_ne_bytes(record[4..].try_into().expect("8")));
    }
    for (task, value) in values.into_iter().enumerate() {
        match value {
            Some(v) => say(format!("result task={task} value={v}")),
            None => say(format!("result task={task} lost")),
        }
    }
    0
}

/// `daemon` whose child outlives the parent. Bug: the child is marked daemon, but the
/// program ends with `_exit` (Python: `os._exit(0)`), which skips the exit handler that
/// terminates daemon children. Symptom: `daemon tick` lines go on after `parent exits`, from
/// a process of the tree still running (adopted) after the parent has exited. It ticks for
/// 2 s in all, then ends, so that a run by hand leaves nothing behind for long.
pub fn daemon_survives(_argv: &[String]) -> i32 {
    say(format!("parent pid={}", getpid()));
    let mut p = Process::new(|| {
        say(format!("daemon pid={} ppid={}", getpid(), getppid()));
        for n in 0..20 {
            say(format!("daemon tick n={n}"));
            sleep_ms(100);
        }
    });
    p.daemon = true;
    if let Err(e) = p.start() {
        eprintln!("start failed: {e}");
        return 1;
    }
    say(format!(
        "started name={} pid={} daemon={}",
        p.name,
        p.pid().expect("started"),
        py_bool(p.daemon)
    ));
    sleep_ms(350);
    say("parent exits");
    os::exit_now(0) // skips the clean-up that mp::at_exit does in the reference
}

/// `fork` done with a thread. Bug: the "child" is a thread, which shares the parent's memory,
/// so its `a = 10000` is the parent's `a`. Symptom: `parent a=10000` where the reference
/// prints `parent a=1`; the `child pid=` is the parent's own PID, and the tree has a single
/// process (with two threads) instead of two processes. (`child=` is the thread's id, and
/// `reaped` follows its join.)
pub fn fork_shares_memory(_argv: &[String]) -> i32 {
    let a = std::sync::Arc::new(std::sync::atomic::AtomicI32::new(1));
    let (tx, rx) = std::sync::mpsc::channel();
    let child = {
        let a = a.clone();
        std::thread::spawn(move || {
            let _ = tx.send(gettid());
            say(format!("child pid={} ppid={}", getpid(), getppid()));
            a.store(10000, std::sync::atomic::Ordering::SeqCst);
            say(format!(
                "child a={}",
                a.load(std::sync::atomic::Ordering::SeqCst)
            ));
            sleep_ms(200); // lingers as the reference's child does
        })
    };
    let tid = rx.recv().unwrap_or_else(|_| getpid());
    say(format!("parent pid={} child={tid}", getpid()));
    let _ = child.join();
    say(format!("reaped {tid} status 0"));
    say(format!(
        "parent a={}",
        a.load(std::sync::atomic::Ordering::SeqCst)
    ));
    0
}
