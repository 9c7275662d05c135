//! A condition variable over std, loom or shuttle, with timed waits the checkers can
//! explore.

use std::time::{Duration, Instant};

use super::backend::{current, Backend};
use super::mutex::{Guard, MutexGuard};
use super::observe;
use crate::contracts::wait::Wait;

/// A condition variable paired with [`super::Mutex`].
pub struct Condvar(Inner);

enum Inner {
    Std(std::sync::Condvar),
    Loom(Box<loom::sync::Condvar>),
    Shuttle(Box<shuttle::sync::Condvar>),
}

/// When a timed wait gives up: a real instant on std; under a checker, time is not real and
/// the checker decides (see [`Condvar::wait_until`]).
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Option<Instant>);

/// The deadline `timeout` from now. Never read from the wall clock inside a model.
pub fn deadline_after(timeout: Duration) -> Deadline {
    match current() {
        Backend::Std => Deadline(Some(Instant::now() + timeout)),
        Backend::Loom | Backend::Shuttle => Deadline(None),
    }
}

const MIXED: &str = "a sync object built under one backend is used under another: build every object inside the model body";

impl Condvar {
    pub fn new() -> Self {
        Condvar(match current() {
            Backend::Std => Inner::Std(std::sync::Condvar::new()),
            Backend::Loom => Inner::Loom(Box::new(loom::sync::Condvar::new())),
            Backend::Shuttle => Inner::Shuttle(Box::new(shuttle::sync::Condvar::new())),
        })
    }

    /// Waits until notified (spurious wakeups are possible on std: callers loop).
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let (g, lock, location) = guard.into_parts();
        observe::waits(true);
        let g = match (&self.0, g) {
            (Inner::Std(c), Guard::Std(g)) => {
                Guard::Std(c.wait(g).unwrap_or_else(|p| p.into_inner()))
            }
            (Inner::Loom(c), Guard::Loom(g)) => {
                Guard::Loom(c.wait(g).unwrap_or_else(|p| p.into_inner()))
            }
            (Inner::Shuttle(c), Guard::Shuttle(g)) => {
                Guard::Shuttle(c.wait(g).unwrap_or_else(|p| p.into_inner()))
            }
            _ => panic!("{MIXED}"),
        };
        observe::waits(false);
        MutexGuard::taken(g, lock, location)
    }

    /// Waits until notified or until `deadline`; returns the guard and whether it gave up.
    ///
    /// - std: a real timed wait.
    /// - shuttle: a scheduling point, then a coin recorded in the schedule: either the
    ///   deadline has passed (it gives up at once) or it waits for a notification. Both
    ///   branches are explored, and a failing schedule replays.
    /// - loom: loom cannot choose, so a timed wait waits for a notification (loom's own
    ///   `wait_timeout` never times out either); a scenario under loom must release it.
    #[track_caller]
    pub fn wait_until<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        deadline: Deadline,
    ) -> (MutexGuard<'a, T>, bool) {
        let (g, lock, location) = guard.into_parts();
        let (g, timed_out) = match (&self.0, g, deadline.0) {
            (Inner::Std(c), Guard::Std(g), Some(at)) => {
                let left = at.saturating_duration_since(Instant::now());
                observe::waits(true);
                let (g, r) = c.wait_timeout(g, left).unwrap_or_else(|p| p.into_inner());
                observe::waits(false);
                (Guard::Std(g), r.timed_out() || Instant::now() >= at)
            }
            (Inner::Shuttle(c), Guard::Shuttle(g), None) => {
                use shuttle::rand::Rng;
                shuttle::thread::yield_now();
                if shuttle::rand::thread_rng().gen::<bool>() {
                    (Guard::Shuttle(g), true)
                } else {
                    observe::waits(true);
                    let g = c.wait(g).unwrap_or_else(|p| p.into_inner());
                    observe::waits(false);
                    (Guard::Shuttle(g), false)
                }
            }
            (Inner::Loom(c), Guard::Loom(g), None) => {
                observe::waits(true);
                let g = c.wait(g).unwrap_or_else(|p| p.into_inner());
                observe::waits(false);
                (Guard::Loom(g), false)
            }
            _ => panic!("{MIXED}"),
        };
        (MutexGuard::taken(g, lock, location), timed_out)
    }

    /// Waits while `blocked` holds for the guarded value, as `wait` allows: not at all
    /// (`Wait::No`), until a timeout, or as long as it takes (Python's `block` and
    /// `timeout`). Returns the guard and whether it gave up while still blocked.
    #[track_caller]
    pub fn wait_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        wait: Wait,
        mut blocked: impl FnMut(&T) -> bool,
    ) -> (MutexGuard<'a, T>, bool) {
        let deadline = match wait {
            Wait::For(t) => Some(deadline_after(t)),
            _ => None,
        };
        while blocked(&guard) {
            match (wait, deadline) {
                (Wait::No, _) => return (guard, true),
                (_, Some(d)) => {
                    let (g, timed_out) = self.wait_until(guard, d);
                    guard = g;
                    if timed_out && blocked(&guard) {
                        return (guard, true);
                    }
                }
                (_, None) => guard = self.wait(guard),
            }
        }
        (guard, false)
    }

    pub fn notify_one(&self) {
        match &self.0 {
            Inner::Std(c) => c.notify_one(),
            Inner::Loom(c) => c.notify_one(),
            Inner::Shuttle(c) => c.notify_one(),
        }
    }

    pub fn notify_all(&self) {
        match &self.0 {
            Inner::Std(c) => c.notify_all(),
            Inner::Loom(c) => c.notify_all(),
            Inner::Shuttle(c) => c.notify_all(),
        }
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Condvar::new()
    }
}
