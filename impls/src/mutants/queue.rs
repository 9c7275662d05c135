//! Broken message queues. Each is the reference queue with one realistic bug; the bug's
//! spot is marked `// BUG(name)` so the difference reads in one place.

use std::collections::VecDeque;
use std::time::Duration;

use crate::contracts::queue::{GetError, PutError, Queue, Wait};
use crate::sync::{Condvar, Mutex};

/// One realistic bug each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueBug {
    /// Takes the newest item, not the oldest: a stack, not a queue.
    Lifo,
    /// Ignores `maxsize`: `put` never blocks and never fails with Full.
    IgnoresMaxsize,
    /// `put` forgets to notify: a getter already waiting sleeps forever.
    LostWakeup,
    /// `get(timeout=t)` gives up after a quarter of `t`.
    GetTimeoutEarly,
    /// `get(timeout=t)` ignores `t` and waits forever.
    GetTimeoutNever,
    /// `get(block=False)` waits a while before saying Empty.
    NonBlockingGetWaits,
    /// `close()` sets the flag but wakes nobody: a getter already waiting sleeps forever.
    CloseForgetsWaiters,
    /// `close()` throws away the items still in the queue.
    CloseDropsItems,
    /// `put` on a full queue fails with Full at once, whatever `block` and `timeout` say.
    PutNeverWaits,
    /// `maxsize` 0 is taken literally: the queue is always full.
    MaxsizeZeroIsFull,
    /// `put` copies the items, appends outside the lock and writes the copy back: racing
    /// puts and gets overwrite each other (lost and duplicated items).
    RacyPut,
    /// Counts the slots taken by `put` and never gives them back on `get`: after
    /// `maxsize` puts the queue is full for ever, however many items were taken out.
    SlotsNeverFreed,
}

pub struct MutantQueue<T> {
    bug: QueueBug,
    maxsize: usize,
    items: Mutex<State<T>>,
    changed: Condvar,
}

struct State<T> {
    items: VecDeque<T>,
    closed: bool,
    /// Slots taken, for the `SlotsNeverFreed` bug.
    taken: usize,
}

impl<T> std::ops::Deref for State<T> {
    type Target = VecDeque<T>;
    fn deref(&self) -> &VecDeque<T> {
        &self.items
    }
}

impl<T> std::ops::DerefMut for State<T> {
    fn deref_mut(&mut self) -> &mut VecDeque<T> {
        &mut self.items
    }
}

impl<T> MutantQueue<T> {
    pub fn new(maxsize: usize, bug: QueueBug) -> Self {
        Self {
            bug,
            maxsize,
            items: Mutex::new(State {
                items: VecDeque::new(),
                closed: false,
                taken: 0,
            }),
            changed: Condvar::new(),
        }
    }

    fn has_bug(&self, bug: QueueBug) -> bool {
        self.bug == bug
    }

    fn is_full(&self, state: &State<T>) -> bool {
        // BUG(MaxsizeZeroIsFull): the `maxsize > 0` test is missing.
        let bounded = self.maxsize > 0 || self.has_bug(QueueBug::MaxsizeZeroIsFull);
        // BUG(SlotsNeverFreed): counts every slot ever taken, not the items held.
        let used = if self.has_bug(QueueBug::SlotsNeverFreed) {
            state.taken
        } else {
            state.len()
        };
        // BUG(IgnoresMaxsize)
        !self.has_bug(QueueBug::IgnoresMaxsize) && bounded && used >= self.maxsize
    }
}

impl<T: Send + Clone> Queue<T> for MutantQueue<T> {
    fn put(&self, item: T, wait: Wait) -> Result<(), PutError> {
        let items = self.items.lock();
        // BUG(PutNeverWaits)
        let wait = if self.has_bug(QueueBug::PutNeverWaits) {
            Wait::No
        } else {
            wait
        };
        let (mut items, gave_up) = self
            .changed
            .wait_while(items, wait, |items| self.is_full(items) && !items.closed);
        if gave_up {
            return Err(PutError::Full);
        }
        if items.closed {
            return Err(PutError::Closed);
        }
        if self.has_bug(QueueBug::RacyPut) {
            // BUG(RacyPut): read, let go of the lock, modify, write back.
            let mut copy = items.items.clone();
            drop(items);
            crate::sync::thread::yield_now();
            copy.push_back(item);
            items = self.items.lock();
            items.items = copy;
            self.changed.notify_all();
            return Ok(());
        }
        items.push_back(item);
        items.taken += 1;
        // BUG(LostWakeup): the notify is skipped.
        if !self.has_bug(QueueBug::LostWakeup) {
            self.changed.notify_all();
        }
        Ok(())
    }

    fn get(&self, wait: Wait) -> Result<T, GetError> {
        let items = self.items.lock();
        let wait = match wait {
            // BUG(GetTimeoutEarly)
            Wait::For(t) if self.has_bug(QueueBug::GetTimeoutEarly) => Wait::For(t / 4),
            // BUG(GetTimeoutNever)
            Wait::For(_) if self.has_bug(QueueBug::GetTimeoutNever) => Wait::Forever,
            // BUG(NonBlockingGetWaits)
            Wait::No if self.has_bug(QueueBug::NonBlockingGetWaits) => {
                Wait::For(Duration::from_secs(1))
            }
            other => other,
        };
        let (mut items, gave_up) = self
            .changed
            .wait_while(items, wait, |items| items.is_empty() && !items.closed);
        if gave_up {
            return Err(GetError::Empty);
        }
        // BUG(Lifo)
        let item = if self.has_bug(QueueBug::Lifo) {
            items.pop_back()
        } else {
            items.pop_front()
        };
        self.changed.notify_all();
        item.ok_or(GetError::Closed)
    }

    fn qsize(&self) -> usize {
        self.items.lock().len()
    }

    fn empty(&self) -> bool {
        self.items.lock().is_empty()
    }

    fn full(&self) -> bool {
        self.is_full(&self.items.lock())
    }

    fn close(&self) {
        let mut state = self.items.lock();
        state.closed = true;
        // BUG(CloseDropsItems)
        if self.has_bug(QueueBug::CloseDropsItems) {
            state.items.clear();
        }
        drop(state);
        // BUG(CloseForgetsWaiters)
        if !self.has_bug(QueueBug::CloseForgetsWaiters) {
            self.changed.notify_all();
        }
    }
}
