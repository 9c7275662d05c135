//! Broken events: one realistic bug each, marked `// BUG(name)`.

use std::time::Duration;

use crate::contracts::event::Event;
use crate::sync::{deadline_after, thread, Condvar, Mutex};

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
}

pub struct MutantEvent {
    bug: EventBug,
    flag: Mutex<bool>,
    changed: Condvar,
}

impl MutantEvent {
    pub fn new(bug: EventBug) -> Self {
        MutantEvent {
            bug,
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }
}

impl Event for MutantEvent {
    fn set(&self) {
        *self.flag.lock() = true;
        match self.bug {
            EventBug::SetWithoutNotify => {} // BUG(SetWithoutNotify)
            EventBug::NotifyOne => self.changed.notify_one(), // BUG(NotifyOne)
            _ => self.changed.notify_all(),
        }
    }

    fn clear(&self) {
        *self.flag.lock() = false;
    }

    fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    fn wait(&self, timeout: Option<Duration>) -> bool {
        if self.bug == EventBug::FlagOutsideLock {
            // BUG(FlagOutsideLock): check, let go, then wait for a notify that may be past.
            if *self.flag.lock() {
                return true;
            }
            thread::yield_now();
            let flag = self.flag.lock();
            let _flag = self.changed.wait(flag);
            return true;
        }
        let mut flag = self.flag.lock();
        let deadline = timeout.map(deadline_after);
        while !*flag {
            match deadline {
                None => flag = self.changed.wait(flag),
                Some(d) => {
                    let (guard, timed_out) = self.changed.wait_until(flag, d);
                    flag = guard;
                    if timed_out {
                        // BUG(TimeoutSaysSet)
                        return *flag || self.bug == EventBug::TimeoutSaysSet;
                    }
                }
            }
        }
        true
    }
}
