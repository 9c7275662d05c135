//! Running a library scenario on real threads: one OS thread per actor, every operation
//! recorded as events. Runs inside the worker process (see `worker.rs`), so a subject that
//! hangs can be killed with it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::ops::{Built, Call, Section, Subject};
use super::watch::{self, Watch};
use crate::evidence::{Event, EventKind, StepAt};
use crate::judge::library::LATE;
use crate::load::model::{Expect, Scenario, Step};

/// Where events go as they happen.
pub type Sink = Arc<dyn Fn(Event) + Send + Sync>;

/// A call still running, and when to give up on it.
struct InFlight {
    at: StepAt,
    started: Instant,
    deadline: Option<Instant>,
    abandoned: bool,
}

struct Shared {
    t0: Instant,
    sink: Sink,
    in_flight: Mutex<BTreeMap<String, InFlight>>,
}

impl Shared {
    fn emit(&self, actor: &str, kind: EventKind) {
        let at_us = self.t0.elapsed().as_micros() as u64;
        (self.sink)(Event {
            at_us,
            actor: actor.to_owned(),
            kind,
        });
    }
}

/// Runs `scenario` against the library subject `subject`; returns when every actor has
/// finished or has been given up on (its thread is left blocked: the process ends it).
pub fn run(
    scenario: &Scenario,
    subject: &str,
    vars: &BTreeMap<String, String>,
    sink: Sink,
) -> Result<(), String> {
    // The lock-order graph (lockdep), when the scenario asserts on it: every lock the
    // actors' threads take, through the sync facade and the scenario's lock steps.
    let watch = scenario
        .asserts
        .iter()
        .any(|a| a.lock_order.is_some())
        .then(|| Arc::new(Watch::default()));
    let built = Subject::build(scenario, subject)?;
    let section = Section::default();
    let shared = Arc::new(Shared {
        t0: Instant::now(),
        sink,
        in_flight: Mutex::new(BTreeMap::new()),
    });
    shared.emit(
        "harness",
        EventKind::Started {
            subject: subject.to_owned(),
        },
    );
    let mut handles = Vec::new();
    for (actor, steps) in &scenario.actors {
        let (actor, steps, shared, built, section, vars, watch) = (
            actor.clone(),
            steps.clone(),
            shared.clone(),
            built.clone(),
            section.clone(),
            vars.clone(),
            watch.clone(),
        );
        let handle = std::thread::Builder::new()
            .name(actor.clone())
            .spawn(move || {
                let _entered = watch.as_ref().map(|w| {
                    let entered = watch::enter(w);
                    watch::actor(&actor);
                    entered
                });
                run_actor(&actor, &steps, (&built, &section), &vars, &shared)
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        handles.push(handle);
    }
    // The watchdog: give up on calls past their deadline; finish when every actor is done.
    loop {
        let now = Instant::now();
        let mut expired = Vec::new();
        {
            let mut in_flight = shared.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            for (actor, f) in in_flight.iter_mut() {
                if !f.abandoned && f.deadline.is_some_and(|d| now >= d) {
                    f.abandoned = true;
                    expired.push((actor.clone(), f.at, now - f.started));
                }
            }
        }
        for (actor, at, waited) in expired {
            shared.emit(
                &actor,
                EventKind::Abandoned {
                    at,
                    waited_us: waited.as_micros() as u64,
                },
            );
        }
        let stuck = shared
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .filter(|f| f.abandoned)
            .count();
        let running = handles.iter().filter(|h| !h.is_finished()).count();
        if running <= stuck {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    if let Some(w) = &watch {
        shared.emit("harness", w.lock_order());
    }
    shared.emit("harness", EventKind::Finished);
    Ok(())
}

fn run_actor(
    actor: &str,
    steps: &[Step],
    (subject, section): (&Built, &Section),
    vars: &BTreeMap<String, String>,
    shared: &Shared,
) {
    for (index, step) in steps.iter().enumerate() {
        for round in 0..step.repeat.unwrap_or(1) {
            let at = StepAt { step: index, round };
            if let Some(d) = step.sleep {
                std::thread::sleep(d.0);
                continue;
            }
            if let Some(n) = step.await_waiters {
                // A subject not built on the facade (an adapter's, a std one) never counts
                // its waiters: after 1s of nobody counted, the wait is just a pause.
                let started = Instant::now();
                loop {
                    let waiting = conform_impls::sync::waiting();
                    let waited = started.elapsed();
                    if waiting >= n as usize
                        || waited >= Duration::from_secs(5)
                        || (waiting == 0 && waited >= Duration::from_secs(1))
                    {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                continue;
            }
            let op = Call::of(step, vars, actor, at);
            let deadline = step.expect.as_ref().and_then(deadline_of);
            shared
                .in_flight
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(
                    actor.to_owned(),
                    InFlight {
                        at,
                        started: Instant::now(),
                        deadline: deadline.map(|d| Instant::now() + d),
                        abandoned: false,
                    },
                );
            shared.emit(
                actor,
                EventKind::Call {
                    at,
                    call: op.describe(),
                    arg: op.arg(),
                },
            );
            let result = catch_unwind(AssertUnwindSafe(|| op.apply(subject, section)));
            let flight = shared
                .in_flight
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(actor);
            if flight.is_some_and(|f| f.abandoned) {
                return; // already reported as given up; a late return changes nothing
            }
            match result {
                Ok(Ok(value)) => shared.emit(actor, EventKind::Returned { at, value }),
                Ok(Err(error)) => shared.emit(actor, EventKind::Failed { at, error }),
                Err(panic) => {
                    let message = panic_text(&panic);
                    shared.emit(actor, EventKind::Panicked { at, message });
                    return;
                }
            }
        }
    }
}

/// How long a call may run before it is given up on: 10x its `after`, or its `within`.
/// A call with neither has no deadline of its own: the trial's deadline applies.
fn deadline_of(e: &Expect) -> Option<Duration> {
    match (e.after, e.within) {
        (Some(a), _) => Some(a.0.mul_f64(LATE)),
        (_, Some(w)) => Some(w.0),
        _ => None,
    }
}

pub(super) fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
