//! Broken threads: the reference with one realistic bug each, marked `// BUG(name)`.

use std::sync::Arc;
use std::time::Duration;

use crate::contracts::thread::{ThreadHandle, Threads};
use crate::contracts::wait::Wait;
use crate::sync::{thread, Condvar, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadBug {
    /// `is_alive` is set at start and never cleared.
    AliveForever,
    /// `join(timeout)` ignores the timeout and waits for the thread.
    JoinIgnoresTimeout,
    /// `join()` returns at once, without waiting.
    JoinDoesNotWait,
    /// The name given at start is dropped: every thread is "Thread".
    ForgetsName,
}

pub struct MutantThreads(pub ThreadBug);

struct State {
    alive: Mutex<bool>,
    ended: Condvar,
}

struct Handle {
    bug: ThreadBug,
    name: String,
    state: Arc<State>,
}

impl Threads for MutantThreads {
    fn start(&self, name: &str, body: Box<dyn FnOnce() + Send + 'static>) -> Box<dyn ThreadHandle> {
        let state = Arc::new(State {
            alive: Mutex::new(true),
            ended: Condvar::new(),
        });
        let (done, bug) = (state.clone(), self.0);
        let _ = thread::spawn(move || {
            body();
            if bug != ThreadBug::AliveForever {
                *done.alive.lock() = false; // BUG(AliveForever): skipped
            }
            done.ended.notify_all();
        });
        // BUG(ForgetsName)
        let name = if self.0 == ThreadBug::ForgetsName {
            "Thread".to_owned()
        } else {
            name.to_owned()
        };
        Box::new(Handle {
            bug: self.0,
            name,
            state,
        })
    }
}

impl ThreadHandle for Handle {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn ident(&self) -> u64 {
        Arc::as_ptr(&self.state) as u64
    }

    fn is_alive(&self) -> bool {
        *self.state.alive.lock()
    }

    fn join(&self, timeout: Option<Duration>) -> bool {
        if self.bug == ThreadBug::JoinDoesNotWait {
            return !*self.state.alive.lock(); // BUG(JoinDoesNotWait)
        }
        // BUG(JoinIgnoresTimeout)
        let timeout = if self.bug == ThreadBug::JoinIgnoresTimeout {
            None
        } else {
            timeout
        };
        let wait = timeout.map_or(Wait::Forever, Wait::For);
        let (alive, _) = self
            .state
            .ended
            .wait_while(self.state.alive.lock(), wait, |alive| *alive);
        !*alive
    }
}
