//! Two mutexes taken in opposite orders, with a lock observer installed: loom and shuttle
//! report the deadlock as a value. (The threads a checker leaves blocked are unwound; their
//! guards' releases must not reach the observer, which could not name a thread any more:
//! loom would abort the process.) Its own test binary: the observer is process-wide.

use std::sync::{Arc, Mutex as StdMutex};

use conform_impls::sync::{
    explore, set_lock_observer, thread, Backend, Budget, LockAction, LockObserver, LockReport,
    Mutex,
};

#[derive(Default)]
struct Recorder(StdMutex<Vec<(String, LockAction)>>);

impl LockObserver for Recorder {
    fn report(&self, r: LockReport) {
        self.0.lock().unwrap().push((r.thread, r.action));
    }
}

fn inverted() {
    let a = Arc::new(Mutex::named("A", ()));
    let b = Arc::new(Mutex::named("B", ()));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn(move || {
        let _b = b2.lock();
        let _a = a2.lock();
    });
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    t.join().unwrap();
}

#[test]
fn an_observed_lock_order_deadlock_is_a_value_under_both_checkers() {
    set_lock_observer(Some(Arc::new(Recorder::default())));
    for backend in [Backend::Loom, Backend::Shuttle] {
        let budget = Budget {
            preemptions: 2,
            iterations: 200,
            seed: 1,
            pct: false,
        };
        let outcome = std::panic::catch_unwind(|| explore(backend, budget, inverted));
        let message = outcome
            .err()
            .and_then(|p| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(
            message.to_lowercase().contains("deadlock"),
            "{backend:?}: {message:?}"
        );
    }
    set_lock_observer(None);
}
