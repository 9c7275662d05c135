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
use crate::sync::{deadline_after, Condvar, Mutex, MutexGuard};

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

    /// Waits on `cond` while `blocked` holds, as `wait` allows. Returns the guard, or `None`
    /// when the wait gave up (non-blocking, or the timeout passed).
    fn wait_while<'a>(
        &self,
        mut state: MutexGuard<'a, State<T>>,
        cond: &Condvar,
        wait: Wait,
        blocked: impl Fn(&State<T>) -> bool,
    ) -> Option<MutexGuard<'a, State<T>>> {
        let deadline = match wait {
            Wait::For(t) => Some(deadline_after(t)),
            _ => None,
        };
        while blocked(&state) && !state.closed {
            match (wait, deadline) {
                (Wait::No, _) => return None,
                (_, Some(deadline)) => {
                    let (guard, timed_out) = cond.wait_until(state, deadline);
                    state = guard;
                    if timed_out && blocked(&state) && !state.closed {
                        return None;
                    }
                }
                (_, None) => state = cond.wait(state),
            }
        }
        Some(state)
    }
}

impl<T: Send> Queue<T> for RefQueue<T> {
    fn put(&self, item: T, wait: Wait) -> Result<(), PutError> {
        let state = self.state.lock();
        let mut state = self
            .wait_while(state, &self.not_full, wait, |s| self.is_full(s))
            .ok_or(PutError::Full)?;
        if state.closed {
            return Err(PutError::Closed);
        }
        state.items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    fn get(&self, wait: Wait) -> Result<T, GetError> {
        let state = self.state.lock();
        let mut state = self
            .wait_while(state, &self.not_empty, wait, |s| s.items.is_empty())
            .ok_or(GetError::Empty)?;
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
