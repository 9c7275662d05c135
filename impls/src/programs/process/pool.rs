//! The course's day7/pool.py, a process pool (进程池): `Pool(N)` forks N workers once; each
//! runs many tasks in turn; `apply_async` queues a task and returns a handle to its result;
//! `close()` takes no more tasks and `join()` waits for the workers, which end together once
//! every task is done. Without a size the pool has one worker per CPU.
//!
//! Built on two pipes: task numbers go to the workers through one (4-byte writes and reads
//! on a pipe are atomic, so each number is taken by exactly one worker, and end of file once
//! the pool is closed tells them to stop); results come back through the other.
//!
//! `--workers N` (default: the number of CPUs online), `--tasks M` (default 8, at most 1000);
//! a task sleeps 100 ms and gives I*I. Output: `pool size=N`, `pool pids=a,b,...` (the N
//! workers), M lines `task=I worker=W` (any order, W among the pool's pids), `pool joined`,
//! then M lines `result task=I value=I*I` in submission order.
//! Claims: `pool.reuse`, `pool.size-default`, `pool.apply-async`, `pool.close-join`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::wait::waitpid;
use nix::unistd::{getpid, pipe, sysconf, Pid, SysconfVar};

use super::os::{self, say};
use crate::programs::args;

/// A result as a worker sends it back: the task number and its value, in one atomic write.
const RESULT_LEN: usize = 12;

pub fn main(argv: &[String]) -> i32 {
    let sizes = args::number(argv, "--workers", cpu_count())
        .and_then(|w| args::number(argv, "--tasks", 8u32).map(|t| (w, t)));
    let (workers, tasks) = match sizes {
        Ok((w, t)) if w >= 1 && t <= 1000 => (w, t),
        Ok(_) => {
            eprintln!("pool: --workers must be at least 1 and --tasks at most 1000");
            return 2;
        }
        Err(e) => {
            eprintln!("pool: {e}");
            return 2;
        }
    };
    say(format!("pool size={workers}"));
    let mut pool = match Pool::new(workers) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pool: cannot start the workers: {e}");
            return 1;
        }
    };
    let pids: Vec<String> = pool.pids.iter().map(Pid::to_string).collect();
    say(format!("pool pids={}", pids.join(",")));
    let handles: Vec<AsyncResult> = (0..tasks).map(|i| pool.apply_async(i)).collect();
    pool.close();
    pool.join();
    say("pool joined");
    for h in handles {
        match pool.get(&h) {
            Some(v) => say(format!("result task={} value={v}", h.task)),
            None => say(format!("result task={} lost", h.task)),
        }
    }
    0
}

/// `os.cpu_count()`: the CPUs online, what `Pool()` sizes itself by.
pub fn cpu_count() -> usize {
    match sysconf(SysconfVar::_NPROCESSORS_ONLN) {
        Ok(Some(n)) if n > 0 => n as usize,
        _ => 1,
    }
}

/// The task: a little work that takes a while, so the tasks spread over the workers.
pub fn square(i: u32) -> u64 {
    os::sleep_ms(100);
    u64::from(i) * u64::from(i)
}

struct Pool {
    pids: Vec<Pid>,
    /// Where tasks are queued; `None` once closed.
    tasks: Option<File>,
    results: File,
    got: HashMap<u32, u64>,
}

/// What `apply_async` returns: a handle to the task's result.
struct AsyncResult {
    task: u32,
}

impl Pool {
    /// Forks the workers, once and for all.
    fn new(workers: usize) -> nix::Result<Pool> {
        let (task_r, task_w) = pipe()?;
        let (res_r, res_w) = pipe()?;
        let (task_r, task_w, res_w) = (File::from(task_r), File::from(task_w), File::from(res_w));
        let mut pids = Vec::new();
        for _ in 0..workers {
            let pid = os::spawn(|| {
                // The worker must not hold the task pipe's write end, or it never sees the
                // end of file that `close()` is meant to give it.
                let _ = nix::unistd::close(task_w.as_raw_fd());
                worker(&task_r, &res_w)
            })?;
            pids.push(pid);
        }
        // Only the workers write results, so the parent can read them to the end.
        drop(res_w);
        Ok(Pool {
            pids,
            tasks: Some(task_w),
            results: File::from(res_r),
            got: HashMap::new(),
        })
    }

    /// `apply_async(square, (i,))`: queues the task, returns at once.
    fn apply_async(&mut self, task: u32) -> AsyncResult {
        let queue = self.tasks.as_mut().expect("apply_async after close");
        queue.write_all(&task.to_ne_bytes()).expect("the task pipe");
        AsyncResult { task }
    }

    /// `close()`: no more tasks; the workers stop once the queued ones are done.
    fn close(&mut self) {
        self.tasks = None;
    }

    /// `join()`: waits for every worker to exit and reaps it, in the order they exit, so
    /// that none is left a zombie while the parent waits for a slower one.
    fn join(&mut self) {
        let mut left: Vec<Pid> = self.pids.clone();
        while !left.is_empty() {
            match waitpid(None, None) {
                Ok(status) => left.retain(|&p| Some(p) != status.pid()),
                Err(Errno::EINTR) => continue,
                Err(_) => break, // no child left to wait for
            }
        }
    }

    /// `AsyncResult.get()`: the task's value, read from the results as they came.
    fn get(&mut self, handle: &AsyncResult) -> Option<u64> {
        let mut record = [0u8; RESULT_LEN];
        while !self.got.contains_key(&handle.task) {
            self.results.read_exact(&mut record).ok()?;
            let task = u32::from_ne_bytes(record[..4].try_into().expect("4 bytes"));
            let value = u64::from_ne_bytes(record[4..].try_into().expect("8 bytes"));
            self.got.insert(task, value);
        }
        self.got.get(&handle.task).copied()
    }
}

/// A worker's life: take a task, run it, send its result; stop at the end of the queue.
fn worker(mut tasks: &File, mut results: &File) -> i32 {
    let mut number = [0u8; 4];
    while tasks.read_exact(&mut number).is_ok() {
        let task = u32::from_ne_bytes(number);
        say(format!("task={task} worker={}", getpid()));
        let mut record = [0u8; RESULT_LEN];
        record[..4].copy_from_slice(&number);
        record[4..].copy_from_slice(&square(task).to_ne_bytes());
        if results.write_all(&record).is_err() {
            return 1;
        }
    }
    0
}
