//! Who holds which lock and who waits for which, while a library trial runs: the lock
//! observer of the sync facade (every `Mutex` requested, taken and released, with the code
//! location) together with the scenario's own lock steps (`acquire`, `release` of the
//! scenario's locks, with the step). Two uses:
//!
//! - when a checker finds a deadlock, what each actor held and waited for then: the
//!   material of the wait-for cycle a verdict explains (`run/mod.rs`);
//! - the lock-order graph, as Linux's lockdep builds it: an edge A → B each time a thread
//!   takes B while it holds A, with both places. A cycle in it is a deadlock waiting to
//!   happen, even in a run that did not deadlock.
//!
//! One [`Watch`] per trial (per execution, under a checker). The facade's observer is
//! process-wide; it hands each report to the watch current on the OS thread that made it,
//! set with [`enter`]: loom and shuttle run every simulated thread on the OS thread that
//! started the check, so one `enter` there covers them all; on real threads each actor's
//! thread enters the trial's watch.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use conform_impls::sync::{self, LockAction, LockObserver, LockReport};

use crate::evidence::{EventKind, LockEdge as Edge, LockUse, StepAt};

/// What one thread holds, in the order it took them, and the lock it waits to take: one of
/// the scenario's (a step that may block) and, inside it, a facade mutex (the step's code
/// blocked on it).
#[derive(Debug, Default, Clone)]
struct Holds {
    /// The step the thread runs now (an actor's), for the facade's locks it takes.
    step: Option<StepAt>,
    held: Vec<LockUse>,
    wants: Option<LockUse>,
    wants_mutex: Option<LockUse>,
}

#[derive(Default)]
struct State {
    /// The backend's thread id → the actor that runs on it.
    actors: HashMap<String, String>,
    threads: HashMap<String, Holds>,
    /// (first, then) by key → the first time it was seen.
    edges: BTreeMap<(String, String), Edge>,
}

/// The locks of one trial (one execution).
#[derive(Default)]
pub struct Watch {
    state: Mutex<State>,
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Watch>>> = const { RefCell::new(None) };
}

/// Restores the watch that was current before [`enter`].
pub struct Entered(Option<Arc<Watch>>);

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Makes `watch` the one this OS thread reports to (and every simulated thread a checker
/// runs on it), until the result is dropped. Installs the facade's observer the first time.
pub fn enter(watch: &Arc<Watch>) -> Entered {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| sync::set_lock_observer(Some(Arc::new(Dispatch))));
    Entered(CURRENT.with(|c| c.borrow_mut().replace(watch.clone())))
}

/// The facade's observer: each report to the current watch.
struct Dispatch;

impl LockObserver for Dispatch {
    fn report(&self, report: LockReport) {
        // A checker that stops an execution unwinds its blocked threads: their guards'
        // releases are not the program's.
        if std::thread::panicking() {
            return;
        }
        with_current(|w| w.facade(&report));
    }
}

fn with_current(f: impl FnOnce(&Watch)) {
    CURRENT.with(|c| {
        if let Some(w) = c.borrow().as_ref() {
            f(w);
        }
    });
}

/// The current watch's lock-order graph, as evidence.
pub fn lock_order() -> Option<EventKind> {
    let mut out = None;
    with_current(|w| out = Some(w.lock_order()));
    out
}

/// A new execution starts: the current watch forgets everything.
pub fn reset() {
    with_current(Watch::reset);
}

/// The current thread runs `actor`.
pub fn actor(actor: &str) {
    let thread = sync::thread::current_id();
    with_current(|w| {
        w.lock().actors.insert(thread, actor.to_owned());
    });
}

/// The current thread runs the step at `at` (`None`: between steps).
pub fn step(at: Option<StepAt>) {
    let thread = sync::thread::current_id();
    with_current(|w| w.lock().threads.entry(thread).or_default().step = at);
}

/// The scenario's lock `name` is about to be taken by the step at `at` (it may block).
pub fn wants(name: &str, at: StepAt) {
    let thread = sync::thread::current_id();
    with_current(|w| w.lock().threads.entry(thread).or_default().wants = Some(own(name, at)));
}

/// The scenario's lock `name` was taken (`taken`) or not (a try or a timeout that gave up)
/// by the step at `at`; `waited`: it would have waited as long as it took (only such an
/// acquire orders the lock after those the thread holds: a try or a timed acquire cannot
/// deadlock, as Linux's lockdep treats a trylock).
pub fn acquired(name: &str, at: StepAt, taken: bool, waited: bool) {
    let thread = sync::thread::current_id();
    with_current(|w| {
        let mut state = w.lock();
        state.threads.entry(thread.clone()).or_default().wants = None;
        if taken {
            let ordered = if waited { usize::MAX } else { 0 };
            state.taken_after(&thread, own(name, at), ordered);
        }
    });
}

/// The scenario's lock `name` was released. Any thread may release a lock: the holder is
/// the current thread if it holds it, else any that does.
pub fn released(name: &str) {
    let thread = sync::thread::current_id();
    let key = own_key(name);
    with_current(|w| {
        let mut state = w.lock();
        if !state.drop_held(&thread, &key) {
            let holder = state
                .threads
                .iter()
                .find(|(_, h)| h.held.iter().any(|u| u.key == key))
                .map(|(t, _)| t.clone());
            if let Some(holder) = holder {
                state.drop_held(&holder, &key);
            }
        }
    });
}

fn own_key(name: &str) -> String {
    format!("lock {name}")
}

/// The scenario's lock `name` (the unnamed one is "the lock"), used at the step `at`.
fn own(name: &str, at: StepAt) -> LockUse {
    LockUse {
        key: own_key(name),
        lock: if name.is_empty() {
            "the lock".to_owned()
        } else {
            name.to_owned()
        },
        step: Some(at),
        code: None,
    }
}

impl State {
    fn name_of(&self, thread: &str) -> String {
        self.actors
            .get(thread)
            .cloned()
            .unwrap_or_else(|| format!("thread {thread}"))
    }

    /// `thread` took `lock`: an edge from every lock it holds to this one.
    fn taken(&mut self, thread: &str, lock: LockUse) {
        self.taken_after(thread, lock, usize::MAX);
    }

    /// `thread` took `lock`: an edge to it from the first `ordered` locks it holds (all of
    /// them for a lock it waited for; none for a try, which cannot deadlock).
    fn taken_after(&mut self, thread: &str, lock: LockUse, ordered: usize) {
        let name = self.name_of(thread);
        let holds = self.threads.entry(thread.to_owned()).or_default();
        for first in holds.held.iter().take(ordered) {
            if first.key != lock.key {
                self.edges
                    .entry((first.key.clone(), lock.key.clone()))
                    .or_insert_with(|| Edge {
                        thread: name.clone(),
                        first: first.clone(),
                        then: lock.clone(),
                    });
            }
        }
        holds.held.push(lock);
    }

    /// `thread` no longer holds `key` (the latest it took); whether it held it.
    fn drop_held(&mut self, thread: &str, key: &str) -> bool {
        let Some(holds) = self.threads.get_mut(thread) else {
            return false;
        };
        match holds.held.iter().rposition(|u| u.key == key) {
            Some(i) => {
                holds.held.remove(i);
                true
            }
            None => false,
        }
    }
}

impl Watch {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn facade(&self, r: &LockReport) {
        let mut state = self.lock();
        let lock = LockUse {
            key: format!("mutex@{:x}", r.lock),
            lock: r.lock_name(),
            step: state.threads.get(&r.thread).and_then(|h| h.step),
            code: Some(format!("{}:{}", r.location.file(), r.location.line())),
        };
        match r.action {
            LockAction::Requested => {
                state
                    .threads
                    .entry(r.thread.clone())
                    .or_default()
                    .wants_mutex = Some(lock);
            }
            LockAction::Acquired => {
                let holds = state.threads.entry(r.thread.clone()).or_default();
                if holds
                    .wants_mutex
                    .as_ref()
                    .is_some_and(|w| w.key == lock.key)
                {
                    holds.wants_mutex = None;
                }
                state.taken(&r.thread, lock);
            }
            LockAction::Released => {
                state.drop_held(&r.thread, &lock.key);
            }
        }
    }

    /// Forgets everything: a new execution starts.
    pub fn reset(&self) {
        *self.lock() = State::default();
    }

    /// What each thread holds and waits for now, by actor (or thread id), for the threads
    /// that hold or want something. A thread that waits for one of the scenario's locks
    /// (the step's acquire) but is blocked on a mutex inside it waits for the mutex.
    pub fn holdings(&self) -> Vec<(String, Vec<LockUse>, Option<LockUse>)> {
        let state = self.lock();
        let mut out: Vec<_> = state
            .threads
            .iter()
            .filter(|(_, h)| !h.held.is_empty() || h.wants.is_some() || h.wants_mutex.is_some())
            .map(|(t, h)| {
                // Blocked on a mutex, that is what it waits for; else the step's lock.
                let wants = h.wants_mutex.clone().or_else(|| h.wants.clone());
                (state.name_of(t), h.held.clone(), wants)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The lock-order graph's size and cycles, as evidence.
    pub fn lock_order(&self) -> EventKind {
        let cycles = self.cycles();
        let state = self.lock();
        let locks: BTreeSet<&String> = state.edges.keys().flat_map(|(a, b)| [a, b]).collect();
        EventKind::LockOrder {
            locks: locks.len(),
            edges: state.edges.len(),
            cycles,
        }
    }

    /// The cycles of the lock-order graph, each as its edges in order (A → B, B → A), each
    /// cycle once, shortest first.
    pub fn cycles(&self) -> Vec<Vec<Edge>> {
        let state = self.lock();
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in state.edges.keys() {
            next.entry(a.as_str()).or_default().push(b.as_str());
        }
        let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
        let mut out = Vec::new();
        for (a, b) in state.edges.keys() {
            // The shortest way back from b to a, breadth first.
            let mut from: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([b.as_str()]);
            let mut found = b == a;
            while let Some(at) = queue.pop_front() {
                if at == a {
                    found = true;
                    break;
                }
                for &n in next.get(at).into_iter().flatten() {
                    if n != b && !from.contains_key(n) {
                        from.insert(n, at);
                        queue.push_back(n);
                    }
                }
            }
            if !found {
                continue;
            }
            let mut keys = vec![a.as_str()];
            let mut at = a.as_str();
            while at != b {
                at = from[at];
                keys.push(at);
            }
            keys.reverse(); // b ... a
            keys.rotate_right(1); // a b ...
            let mut canonical: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            let min = (0..canonical.len())
                .min_by_key(|&i| &canonical[i])
                .unwrap_or(0);
            canonical.rotate_left(min);
            if !seen.insert(canonical.clone()) {
                continue;
            }
            let edges: Vec<Edge> = (0..canonical.len())
                .map(|i| {
                    let key = (
                        canonical[i].clone(),
                        canonical[(i + 1) % canonical.len()].clone(),
                    );
                    state.edges[&key].clone()
                })
                .collect();
            out.push(edges);
        }
        out.sort_by_key(Vec::len);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(step: usize) -> StepAt {
        StepAt { step, round: 0 }
    }

    /// Runs `steps` as actor `name` on a thread of its own, reporting to `watch`.
    fn run_as(watch: &Arc<Watch>, name: &'static str, steps: fn()) {
        let watch = watch.clone();
        std::thread::spawn(move || {
            let _entered = enter(&watch);
            actor(name);
            steps();
        })
        .join()
        .unwrap();
    }

    #[test]
    fn opposite_orders_make_a_cycle_and_tries_do_not() {
        let watch = Arc::new(Watch::default());
        run_as(&watch, "t1", || {
            acquired("A", at(0), true, true);
            acquired("B", at(1), true, true);
            released("B");
            released("A");
        });
        run_as(&watch, "t2", || {
            acquired("B", at(0), true, true);
            // A try cannot deadlock: no order after B.
            acquired("A", at(1), true, false);
            released("A");
            released("B");
        });
        assert!(watch.cycles().is_empty());
        run_as(&watch, "t3", || {
            acquired("B", at(0), true, true);
            acquired("A", at(1), true, true);
        });
        let cycles = watch.cycles();
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        let path: Vec<(&str, &str, &str)> = cycles[0]
            .iter()
            .map(|e| {
                (
                    e.thread.as_str(),
                    e.first.lock.as_str(),
                    e.then.lock.as_str(),
                )
            })
            .collect();
        assert_eq!(path, vec![("t1", "A", "B"), ("t3", "B", "A")]);
        // t3 still holds both, and waits for nothing.
        let holdings = watch.holdings();
        assert_eq!(holdings.len(), 1);
        assert_eq!(holdings[0].0, "t3");
        assert_eq!(holdings[0].1.len(), 2);
    }
}
