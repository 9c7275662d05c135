//! The reference event.
//!
//! Course text (python-concurrency-notes.md, "线程Event"): `e = Event()`; `e.wait([timeout])`
//! blocks until the event is set; `e.set()` sets it and releases the waiters; `e.clear()`
//! unsets it; `e.is_set()` tells whether it is set.
//!
//! Claims shown: `event.wait`, `event.set`, `event.clear`, `event.is-set`.
//!
//! The flag is read and written under one lock, and `set` wakes *every* waiter
//! (`notify_all`): waking one would leave the others blocked on a set event. A waiter waits
//! for the next `set` (a generation count), not for the flag: a `set` followed at once by a
//! `clear` still releases everyone who was waiting, as CPython's does.

use std::time::Duration;

use crate::contracts::event::Event;
use crate::contracts::wait::Wait;
use crate::sync::{Condvar, Mutex};

#[derive(Default)]
pub struct RefEvent {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    flag: bool,
    /// How many times `set` was called.
    sets: u64,
}

impl RefEvent {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Event for RefEvent {
    fn set(&self) {
        let mut state = self.state.lock();
        state.flag = true;
        state.sets += 1;
        self.changed.notify_all();
    }

    fn clear(&self) {
        self.state.lock().flag = false;
    }

    fn is_set(&self) -> bool {
        self.state.lock().flag
    }

    fn wait(&self, timeout: Option<Duration>) -> bool {
        let state = self.state.lock();
        if state.flag {
            return true;
        }
        let seen = state.sets;
        let wait = timeout.map_or(Wait::Forever, Wait::For);
        let (state, gave_up) = self.changed.wait_while(state, wait, |s| s.sets == seen);
        !gave_up || state.flag
    }
}
