//! Shared memory (共享内存) from the course's IPC list, as `multiprocessing.Value('i', 0)`
//! and `Array('i', 3)` make it: memory mapped `MAP_SHARED | MAP_ANONYMOUS` before the fork is
//! the same memory in both processes, so what the child writes there the parent reads
//! (unlike any other variable, of which the child has its own copy).
//!
//! Output: `before value=0 array=0,0,0`, `parent pid=P child=C`, `child pid=C ppid=P`,
//! `child wrote value=42 array=1,2,3`, `reaped C status 0`, `parent read value=42 array=1,2,3`.
//! Claims: `ipc.kinds`, `fork.no-sharing` (shared memory is the exception, made on purpose).

use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

use nix::unistd::{getpid, getppid};

use super::os::{self, say};
use super::shared::Shared;

/// What lives in the shared mapping: a Value and an Array of C ints.
struct Memory {
    value: AtomicI32,
    array: [AtomicI32; 3],
}

impl Memory {
    fn show(&self) -> String {
        let array: Vec<String> = self
            .array
            .iter()
            .map(|a| a.load(SeqCst).to_string())
            .collect();
        format!(
            "value={} array={}",
            self.value.load(SeqCst),
            array.join(",")
        )
    }
}

pub fn main(_argv: &[String]) -> i32 {
    let memory = match Shared::new(Memory {
        value: AtomicI32::new(0),
        array: [AtomicI32::new(0), AtomicI32::new(0), AtomicI32::new(0)],
    }) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("shm: mmap failed: {e}");
            return 1;
        }
    };
    say(format!("before {}", memory.show()));
    let child = os::spawn(|| {
        say(format!("child pid={} ppid={}", getpid(), getppid()));
        memory.value.store(42, SeqCst);
        for (i, slot) in memory.array.iter().enumerate() {
            slot.store(i as i32 + 1, SeqCst);
        }
        say(format!("child wrote {}", memory.show()));
        0
    });
    let child = match child {
        Ok(c) => c,
        Err(e) => return os::fork_failed(e),
    };
    say(format!("parent pid={} child={child}", getpid()));
    os::reap(child);
    say(format!("parent read {}", memory.show()));
    0
}
