//! What a student hands in: a bounded queue and a lock, written against conform's contracts
//! (`conform_impls::contracts`) on its sync facade (`conform_impls::sync`), so that conform
//! can check them on real threads and under loom and shuttle. `tests/conformance.rs` runs
//! the checks.

use std::collections::VecDeque;

use conform_impls::contracts::lock::{Lock, ReleaseError};
use conform_impls::contracts::queue::{GetError, PutError, Queue, Wait};
use conform_impls::sync::{Condvar, Mutex};

/// A bounded FIFO queue: one lock, a condition for "not empty" and one for "not full".
pub struct MyQueue {
    maxsize: usize,
    state: Mutex<(VecDeque<String>, bool)>,
    not_empty: Condvar,
    not_full: Condvar,
}

impl MyQueue {
    pub fn new(maxsize: usize) -> MyQueue {
        MyQueue {
            maxsize,
            state: Mutex::new((VecDeque::new(), false)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    fn is_full(&self, items: &VecDeque<String>) -> bool {
        self.maxsize > 0 && items.len() >= self.maxsize
    }
}

impl Queue<String> for MyQueue {
    fn put(&self, item: String, wait: Wait) -> Result<(), PutError> {
        let (mut state, gave_up) =
            self.not_full
                .wait_while(self.state.lock(), wait, |(items, closed)| {
                    self.is_full(items) && !closed
                });
        if state.1 {
            return Err(PutError::Closed);
        }
        if gave_up {
            return Err(PutError::Full);
        }
        state.0.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    fn get(&self, wait: Wait) -> Result<String, GetError> {
        let (mut state, gave_up) =
            self.not_empty
                .wait_while(self.state.lock(), wait, |(items, closed)| {
                    items.is_empty() && !closed
                });
        match state.0.pop_front() {
            Some(item) => {
                self.not_full.notify_one();
                Ok(item)
            }
            None if gave_up => Err(GetError::Empty),
            None => Err(GetError::Closed),
        }
    }

    fn qsize(&self) -> usize {
        self.state.lock().0.len()
    }

    fn empty(&self) -> bool {
        self.state.lock().0.is_empty()
    }

    fn full(&self) -> bool {
        self.is_full(&self.state.lock().0)
    }

    fn close(&self) {
        self.state.lock().1 = true;
        // Everyone blocked must see the close.
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }
}

/// A lock whose `release` forgets to wake a waiter: fine until two threads contend.
#[derive(Default)]
pub struct SleepyLock {
    held: Mutex<bool>,
    freed: Condvar,
}

impl Lock for SleepyLock {
    fn acquire(&self, wait: Wait) -> bool {
        let (mut held, gave_up) = self.freed.wait_while(self.held.lock(), wait, |h| *h);
        if gave_up {
            return false;
        }
        *held = true;
        true
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let mut held = self.held.lock();
        if !*held {
            return Err(ReleaseError::NotLocked);
        }
        *held = false; // the bug: no `self.freed.notify_one()`
        Ok(())
    }

    fn locked(&self) -> bool {
        *self.held.lock()
    }
}
