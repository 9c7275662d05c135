//! Broken events: one realistic bug each, marked `// BUG(name)`.

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
}

pub struct MutantEvent {
    bug: EventBug,
    flag: Mutex<bool>,
    changed: Condvar,
    notified: Mutex<bool>,
}

impl MutantEvent {
    pub fn new(bug: EventBug) -> Self {
        MutantEvent {
            bug,
            flag: Mutex::new(false),
            changed: Condvar::new(),
            notified: Mutex::new(false),
        }
    }
}

impl Event for MutantEvent {
    fn set(&self) {
        *self.flag.lock() = true;
        if self.bug == EventBug::NotifiesOnce {
            // BUG(NotifiesOnce): only the first set ever wakes anyone.
            let mut notified = self.notified.lock();
            if !*notified {
                *notified = true;
                self.changed.notify_all();
            }
            return;
        }
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
        let wait = timeout.map_or(Wait::Forever, Wait::For);
        let (flag, gave_up) = self
            .changed
            .wait_while(self.flag.lock(), wait, |flag| !*flag);
        if gave_up {
            // BUG(TimeoutSaysSet)
            return *flag || self.bug == EventBug::TimeoutSaysSet;
        }
        true
    }
}
