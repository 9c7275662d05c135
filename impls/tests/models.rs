//! The reference queue and its mutants under the two checkers, through the sync facade:
//! the reference survives every explored interleaving; a lost wakeup is found as a
//! deadlock. (The scenario-level explorers build on the same facade.)

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use conform_impls::contracts::queue::{Queue, Wait};
use conform_impls::registry::make_queue;
use conform_impls::sync::{thread, with_backend, Backend};

/// One producer puts two items, two consumers get one each: every interleaving must
/// deliver both, once.
fn handoff(subject: &'static str) {
    handoff_sized(subject, 1);
}

fn handoff_sized(subject: &'static str, maxsize: usize) {
    let q: Arc<dyn Queue<u32>> = make_queue(subject, maxsize).expect("registered");
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let q = q.clone();
            thread::spawn(move || q.get(Wait::Forever).expect("an item"))
        })
        .collect();
    q.put(1, Wait::Forever).expect("room");
    q.put(2, Wait::Forever).expect("room");
    let mut got: Vec<u32> = consumers
        .into_iter()
        .map(|c| c.join().expect("consumer"))
        .collect();
    got.sort_unstable();
    assert_eq!(got, vec![1, 2], "every item got exactly once");
}

/// Runs `body` under `backend`'s checker; the failure (a deadlock or a broken assertion) as
/// text, if any.
fn check(backend: Backend, body: fn()) -> Option<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        with_backend(backend, || match backend {
            Backend::Loom => {
                let mut b = loom::model::Builder::new();
                b.preemption_bound = Some(2);
                b.check(body);
            }
            Backend::Shuttle => shuttle::check_random(body, 300),
            Backend::Std => body(),
        })
    }));
    result.err().map(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn the_reference_queue_hands_off_under_loom_and_shuttle() {
    for backend in [Backend::Loom, Backend::Shuttle] {
        assert_eq!(check(backend, || handoff("ref")), None, "{backend:?}");
        assert_eq!(
            check(backend, || handoff_sized("ref", 2)),
            None,
            "{backend:?}, room for two"
        );
    }
}

#[test]
fn a_lost_wakeup_is_found_as_a_deadlock_by_both_checkers() {
    for backend in [Backend::Loom, Backend::Shuttle] {
        let failure = check(backend, || handoff("mutant:queue-lost-wakeup")).expect("found");
        assert!(
            failure.to_lowercase().contains("deadlock"),
            "{backend:?}: {failure}"
        );
    }
}

#[test]
fn a_racy_put_loses_items_under_shuttle() {
    // Room for both items, so a get can run between the put's copy and its write-back.
    let failure = check(Backend::Shuttle, || {
        handoff_sized("mutant:queue-racy-put", 2)
    })
    .expect("found");
    assert!(
        failure.contains("deadlock") || failure.contains("exactly once"),
        "{failure}"
    );
}

#[test]
fn a_timed_get_explores_both_outcomes_under_shuttle() {
    // With a producer that may come late, a get(timeout) either gets the item or times out:
    // a test that assumes it never times out is caught.
    fn assumes_no_timeout() {
        let q: Arc<dyn Queue<u32>> = make_queue("ref", 1).expect("registered");
        let producer = {
            let q = q.clone();
            thread::spawn(move || q.put(7, Wait::Forever))
        };
        let got = q.get(Wait::For(std::time::Duration::from_millis(100)));
        producer.join().expect("producer").expect("room");
        assert_eq!(got, Ok(7), "timed out");
    }
    let failure =
        check(Backend::Shuttle, assumes_no_timeout).expect("the timeout branch is explored");
    assert!(failure.contains("timed out"), "{failure}");
}
