//! The facade reports every lock taken and released, with thread and code location: the
//! raw material of a lock-order checker.

use std::sync::{Arc, Mutex as StdMutex};

use conform_impls::sync::{
    set_lock_observer, Condvar, LockAction, LockObserver, LockReport, Mutex,
};

#[derive(Default)]
struct Recorder(StdMutex<Vec<LockReport>>);

impl LockObserver for Recorder {
    fn report(&self, report: LockReport) {
        self.0.lock().unwrap().push(report);
    }
}

#[test]
fn every_acquisition_and_release_is_reported_with_its_location() {
    let recorder = Arc::new(Recorder::default());
    set_lock_observer(Some(recorder.clone()));
    let a = Mutex::new(0);
    let b = Mutex::named("b", 0);
    {
        let _ga = a.lock();
        let _gb = b.lock();
    }
    // A condition variable's wait releases and takes the lock again: both are reported.
    let c = Condvar::new();
    let g = a.lock();
    let (_g, timed_out) = c.wait_until(
        g,
        conform_impls::sync::deadline_after(std::time::Duration::from_millis(1)),
    );
    assert!(timed_out);
    drop(_g);
    set_lock_observer(None);
    let reports = recorder.0.lock().unwrap();
    let (ida, idb) = (&a as *const _ as usize, &b as *const _ as usize);
    let seen: Vec<(usize, LockAction)> = reports.iter().map(|r| (r.lock, r.action)).collect();
    use LockAction::*;
    assert_eq!(
        seen,
        vec![
            (ida, Requested),
            (ida, Acquired),
            (idb, Requested),
            (idb, Acquired),
            (idb, Released),
            (ida, Released),
            (ida, Requested),
            (ida, Acquired),
            (ida, Released),
            (ida, Acquired),
            (ida, Released)
        ]
    );
    assert!(
        reports
            .iter()
            .all(|r| r.location.file().ends_with("observer.rs")),
        "locations point at the caller"
    );
    assert!(reports.iter().all(|r| r.thread == reports[0].thread));
    // Each lock is named by where it was made, or by its name.
    let line_a = line!() - 44;
    assert_eq!(
        reports[0].lock_name(),
        format!("the Mutex made at {}:{line_a}", file!())
    );
    assert_eq!(reports[2].lock_name(), "`b`");
}
