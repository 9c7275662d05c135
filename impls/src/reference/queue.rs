//! The reference message queue.
//!
//! Course text (python-concurrency-notes.md, "消息队列"): `q = Queue(maxsize=0)` makes a queue
//! holding at most `maxsize` messages; `q.put(data, [block, timeout])` blocks while it is full,
//! `q.get([block, timeout])` blocks while it is empty; `q.full()`, `q.empty()`, `q.qsize()`
//! report its state and `q.close()` ends its use. Messages come out first in, first out.
//!
//! Claims shown: `queue.fifo`, `queue.maxsize`, `queue.put-block`, `queue.get-block`,
//! `queue.inspect`.
//!
//! One lock guards the items; two condition variables say "there may be room" and "there may
//! be an item", so a put wakes only getters and a get wakes only putters (one condvar with
//! `notify_one` for both sides loses wakeups).

use std::collections::VecDeque;

use crate::contracts::queue::{GetError, PutError, Queue, Wait};
use crate::sync::{Condvar, Mutex};

pub struct RefQueue<T> {
    maxsize: usize,
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
}

struct State<T> {
    items: VecDeque<T>,
    closed: bool,
}

impl<T> RefQueue<T> {
    pub fn new(maxsize: usize) -> Self {
        Self {
            maxsize,
            state: Mutex::new(State {
                items: VecDeque::new(),
                closed: false,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    fn is_full(&self, state: &State<T>) -> bool {
        self.maxsize > 0 && state.items.len() >= self.maxsize
    }
}

impl<T: Send> Queue<T> for RefQueue<T> {
    fn put(&self, item: T, wait: Wait) -> Result<(), PutError> {
        // A close also ends the wait: put then fails with Closed.
        let (mut state, gave_up) = self
            .not_full
            .wait_while(self.state.lock(), wait, |s| self.is_full(s) && !s.closed);
        if gave_up {
            return Err(PutError::Full);
        }
        if state.closed {
            return Err(PutError::Closed);
        }
        state.items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    fn get(&self, wait: Wait) -> Result<T, GetError> {
        let (mut state, gave_up) = self
            .not_empty
            .wait_while(self.state.lock(), wait, |s| s.items.is_empty() && !s.closed);
        if gave_up {
            return Err(GetError::Empty);
        }
        // A closed queue still drains: only an empty closed queue fails with Closed.
        let item = state.items.pop_front().ok_or(GetError::Closed)?;
        self.not_full.notify_one();
        Ok(item)
    }

    fn qsize(&self) -> usize {
        self.state.lock().items.len()
    }

    fn empty(&self) -> bool {
        self.state.lock().items.is_empty()
    }

    fn full(&self) -> bool {
        self.is_full(&self.state.lock())
    }

    fn close(&self) {
        self.state.lock().closed = true;
        // Every waiter must see the close, on both sides.
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }
}
