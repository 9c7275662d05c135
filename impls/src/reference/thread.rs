//! The reference threads.
//!
//! Course text (python-concurrency-notes.md, "线程编程"): `t = Thread(target, args, kwargs)`
//! makes a thread; `t.start()` runs it; `t.join([timeout])` waits for it to end; `t.name`
//! (settable) and `t.is_alive()` describe it.
//!
//! Claims shown: `thread.start-join`, `thread.attributes`.
//!
//! "Alive" is a flag the thread clears, under a lock, when its target returns (or panics),
//! and `join` waits on a condition variable for it: a timed join gives up without waiting
//! for the thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::contracts::thread::{ThreadHandle, Threads};
use crate::contracts::wait::Wait;
use crate::sync::{thread, Condvar, Mutex};

#[derive(Default)]
pub struct RefThreads;

struct State {
    alive: Mutex<bool>,
    ended: Condvar,
}

pub struct RefHandle {
    name: String,
    ident: u64,
    state: Arc<State>,
}

static NEXT_IDENT: AtomicU64 = AtomicU64::new(1);

impl Threads for RefThreads {
    fn start(&self, name: &str, body: Box<dyn FnOnce() + Send + 'static>) -> Box<dyn ThreadHandle> {
        let state = Arc::new(State {
            alive: Mutex::new(true),
            ended: Condvar::new(),
        });
        let done = state.clone();
        // Cleared when the body ends, also by a panic, so a join never waits forever.
        struct Ended(Arc<State>);
        impl Drop for Ended {
            fn drop(&mut self) {
                *self.0.alive.lock() = false;
                self.0.ended.notify_all();
            }
        }
        // The handle is not joined through the backend: `join` waits on `alive`.
        let _ = thread::spawn(move || {
            let _ended = Ended(done);
            body();
        });
        Box::new(RefHandle {
            name: name.to_owned(),
            ident: NEXT_IDENT.fetch_add(1, Ordering::Relaxed),
            state,
        })
    }
}

impl ThreadHandle for RefHandle {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn ident(&self) -> u64 {
        self.ident
    }

    fn is_alive(&self) -> bool {
        *self.state.alive.lock()
    }

    fn join(&self, timeout: Option<Duration>) -> bool {
        let wait = timeout.map_or(Wait::Forever, Wait::For);
        let (alive, _) = self
            .state
            .ended
            .wait_while(self.state.alive.lock(), wait, |alive| *alive);
        !*alive
    }
}
