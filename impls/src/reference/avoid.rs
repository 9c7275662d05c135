//! Taking several locks without deadlock, by breaking one of its four necessary conditions.
//!
//! Course text (python-concurrency-notes.md, "死锁及其处理"): a deadlock needs mutual
//! exclusion (互斥条件), hold and wait (请求和保持条件), no preemption (不剥夺条件) and
//! circular wait (环路等待条件); "通过设置某些限制条件,去破坏产生死锁的四个必要条件中的一个或者
//! 几个,来预防发生死锁" (prevent it by breaking one or more of them), at the cost of using the
//! resources less well.
//!
//! Claims shown: `deadlock.conditions`, `deadlock.avoid`. Two of the four ways need code, and
//! are here; the other two are a discipline a scenario's steps follow (a global lock order,
//! which breaks circular wait: `scenarios/deadlock/global-lock-order.yaml`) or a design (one
//! owner thread reached by messages, which breaks mutual exclusion:
//! `scenarios/deadlock/single-owner.yaml`).
//!
//! Both work on any [`Lock`], with its non-blocking `acquire` (`Wait::No`): a lock whose
//! try waits (`mutant:lock-try-acquire-blocks`) brings the deadlock back.

use std::time::Duration;

use crate::contracts::lock::{Lock, ReleaseError};
use crate::contracts::wait::Wait;
use crate::sync::{thread, Condvar, Mutex};

/// All or nothing: a thread takes every lock it needs at once, or none, and waits holding
/// nothing. Breaks **hold and wait**.
///
/// A "waiter" (the dining philosophers' arbitrator) grants lock sets: under its own mutex it
/// tries each lock of the set without waiting; if one is taken it gives back those it got
/// and waits for a `release_all`, holding no lock of the set. Every thread that shares the
/// locks must take and give them through the same `LockSet`: a lock released behind its
/// back wakes nobody who waits here.
///
/// Cost: a thread holds locks before it needs them (the first while it could not get the
/// second), one waiter serialises every grant, a thread must know all it needs up front, and
/// one that needs a busy lock may wait while others are granted again and again.
pub struct LockSet {
    granting: Mutex<()>,
    released: Condvar,
}

impl LockSet {
    pub fn new() -> Self {
        LockSet {
            granting: Mutex::named("the lock set's waiter", ()),
            released: Condvar::new(),
        }
    }

    /// Takes every lock of `locks`, at once; waits (holding none of them) until it can.
    pub fn acquire_all(&self, locks: &[&dyn Lock]) {
        let mut granting = self.granting.lock();
        loop {
            let got = locks.iter().take_while(|l| l.acquire(Wait::No)).count();
            if got == locks.len() {
                return;
            }
            for l in locks[..got].iter().rev() {
                // Taken just now by this thread: giving it back cannot fail.
                let _ = l.release();
            }
            granting = self.released.wait(granting);
        }
    }

    /// Gives every lock of `locks` back, and wakes the threads waiting for a set.
    pub fn release_all(&self, locks: &[&dyn Lock]) -> Result<(), ReleaseError> {
        let _granting = self.granting.lock();
        let mut result = Ok(());
        for l in locks {
            result = result.and(l.release());
        }
        self.released.notify_all();
        result
    }
}

impl Default for LockSet {
    fn default() -> Self {
        Self::new()
    }
}

/// How many times [`acquire_or_back_off`] starts again before it gives up.
pub const ATTEMPTS: u32 = 100;

/// Takes `locks` one after the other, in the order given: the first as long as it takes,
/// each next one only if it is free (`Wait::No`) or becomes free within `timeout`. When one
/// is not taken, it gives back every lock it holds, backs off a little, and starts again.
/// A thread never keeps a lock while it waits for another for ever: it preempts itself.
/// Breaks **no preemption**.
///
/// Returns the number of attempts it took, or `None` after [`ATTEMPTS`].
///
/// `pause` is work done between taking one lock and the next (the course's
/// `time.sleep(0.5)` between its two `acquire`s): it makes the conflict likely on real
/// threads. Under a checker a sleep is a yield.
///
/// Cost: work done under the first lock is undone and done again; two threads that back off
/// in step can go on colliding (a livelock): the back-off grows with each attempt and
/// differs between threads, and after [`ATTEMPTS`] it gives up.
pub fn acquire_or_back_off(
    locks: &[&dyn Lock],
    timeout: Option<Duration>,
    pause: Duration,
) -> Option<u32> {
    let next = timeout.map_or(Wait::No, Wait::For);
    let jitter = jitter();
    for attempt in 1..=ATTEMPTS {
        let mut got = 0;
        for (i, l) in locks.iter().enumerate() {
            if i > 0 && !pause.is_zero() {
                thread::sleep(pause);
            }
            let wait = if i == 0 { Wait::Forever } else { next };
            if !l.acquire(wait) {
                break;
            }
            got += 1;
        }
        if got == locks.len() {
            return Some(attempt);
        }
        for l in locks[..got].iter().rev() {
            let _ = l.release();
        }
        // Back off: longer each time, and not in step with the other threads.
        let micros = (u64::from(attempt) * 500).min(20_000) + jitter % 1000;
        thread::sleep(Duration::from_micros(micros));
    }
    None
}

/// A number that differs between threads (from the address of a local).
fn jitter() -> u64 {
    let local = 0u8;
    let x = (&local as *const u8 as u64) >> 4;
    x ^ (x >> 7) ^ (x >> 13)
}
