//! conform's scenarios for each contract, run against the student's types from `cargo test`.

use conform::check::Check;
use rust_student::{MyQueue, SleepyLock};

/// Every queue scenario, on real threads and under loom and shuttle (the queue is built on
/// conform's sync facade, so the checkers can drive it).
#[test]
fn my_queue_conforms() {
    Check::queue(MyQueue::new)
        .named("my-queue")
        .on_facade()
        .run()
        .assert_conforms();
}

/// A check that cannot fail proves nothing: the lock that never wakes its waiters is caught,
/// and the report says by which scenario.
#[test]
fn sleepy_lock_is_caught() {
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/sync");
    let report = Check::lock(SleepyLock::default)
        .named("sleepy-lock")
        .scenarios([
            format!("{scenarios}/lock-blocks-until-release.yaml"),
            format!("{scenarios}/lock-reuse.yaml"),
        ])
        .on_facade()
        .timeout(std::time::Duration::from_secs(5))
        .run();
    assert!(!report.conforms(), "{report}");
    assert!(
        report
            .failures()
            .any(|t| t.scenario == "lock.blocks-until-release"),
        "{report}"
    );
}
