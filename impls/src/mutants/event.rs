//! Broken events: the reference with one realistic bug each, marked `// BUG(name)`.

use std::time::Duration;

use crate::contracts::event::Event;
use crate::contracts::wait::Wait;
use crate::sync::{thread, Condvar, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventBug {
    /// `set` changes the flag but wakes nobody.
    SetWithoutNotify,
    /// `set` wakes one waiter: the others stay blocked on a set event.
    NotifyOne,
    /// `wait` reads the flag without the lock, then waits: a `set` in between is missed.
    FlagOutsideLock,
    /// `wait(timeout)` says true when it timed out.
    TimeoutSaysSet,
    /// `set` notifies only the first time it is ever called (a "done" flag that `clear`
    /// forgets to reset): an event used twice leaves its second waiters blocked.
    NotifiesOnce,
    /// `wait` waits for the flag, not for the next `set`: a `set` followed at once by a
    /// `clear` leaves the waiters it woke blocked again.
    WaitsForFlag,
}

pub struct MutantEvent {
    bug: EventBug,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    flag: bool,
    /// How many times `set` was called (and notified, for `NotifiesOnce`).
    sets: u64,
    notified: bool,
}

impl MutantEvent {
    pub fn new(bug: EventBug) -> Self {
        MutantEvent {
            bug,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }
    }
}

impl Event for MutantEvent {
    fn set(&self) {
        let mut state = self.state.lock();
        state.flag = true;
        state.sets += 1;
        match self.bug {
            EventBug::SetWithoutNotify => {} // BUG(SetWithoutNotify)
            EventBug::NotifyOne => self.changed.notify_one(), // BUG(NotifyOne)
            // BUG(NotifiesOnce): only the first set ever wakes anyone.
            EventBug::NotifiesOnce if state.notified => {}
            _ => {
                state.notified = true;
                self.changed.notify_all();
            }
        }
    }

    fn clear(&self) {
        self.state.lock().flag = false;
    }

    fn is_set(&self) -> bool {
        self.state.lock().flag
    }

    fn wait(&self, timeout: Option<Duration>) -> bool {
        if self.bug == EventBug::FlagOutsideLock {
            // BUG(FlagOutsideLock): check, let go, then wait for a notify that may be past.
            if self.state.lock().flag {
                return true;
            }
            thread::yield_now();
            let state = self.state.lock();
            let _state = self.changed.wait(state);
            return true;
        }
        let state = self.state.lock();
        if state.flag {
            return true;
        }
        let seen = state.sets;
        let wait = timeout.map_or(Wait::Forever, Wait::For);
        let (state, gave_up) = self.changed.wait_while(state, wait, |s| {
            if self.bug == EventBug::WaitsForFlag {
                !s.flag // BUG(WaitsForFlag)
            } else {
                s.sets == seen
            }
        });
        if gave_up {
            // BUG(TimeoutSaysSet)
            return state.flag || self.bug == EventBug::TimeoutSaysSet;
        }
        true
    }
}
