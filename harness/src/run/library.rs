//! Running a library scenario on real threads: one OS thread per actor, every operation
//! recorded as events. Runs inside the worker process (see `worker.rs`), so a subject that
//! hangs can be killed with it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use conform_impls::contracts::queue::{GetError, PutError, Queue, Wait};
use conform_impls::registry;

use crate::evidence::{Event, EventKind, StepAt};
use crate::judge::library::LATE;
use crate::load::model::{Expect, Scenario, Step};
use crate::load::vars;

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
    let maxsize = scenario.subject.params.maxsize as usize;
    let queue: Arc<dyn Queue<String>> = registry::make_queue(subject, maxsize)
        .ok_or_else(|| format!("no queue subject called `{subject}`"))?;
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
        let (actor, steps, shared, queue, vars) = (
            actor.clone(),
            steps.clone(),
            shared.clone(),
            queue.clone(),
            vars.clone(),
        );
        let handle = std::thread::Builder::new()
            .name(actor.clone())
            .spawn(move || run_actor(&actor, &steps, &*queue, &vars, &shared))
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
    shared.emit("harness", EventKind::Finished);
    Ok(())
}

fn run_actor(
    actor: &str,
    steps: &[Step],
    queue: &dyn Queue<String>,
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
            let op = Op::of(step, vars, actor, round);
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
            let result = catch_unwind(AssertUnwindSafe(|| op.apply(queue)));
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

/// One queue operation with its arguments filled in.
pub(super) enum Op {
    Put(String, Wait),
    Get(Wait),
    Qsize,
    Empty,
    Full,
    Close,
}

fn wait_of(block: bool, timeout: Option<crate::load::duration::Dur>) -> Wait {
    match (block, timeout) {
        (false, _) => Wait::No,
        (true, None) => Wait::Forever,
        (true, Some(t)) => Wait::For(t.0),
    }
}

impl Op {
    pub(super) fn of(step: &Step, vars: &BTreeMap<String, String>, actor: &str, round: u32) -> Op {
        if let Some(p) = &step.put {
            Op::Put(
                vars::fill_step(&p.item.0, vars, actor, round),
                wait_of(p.block, p.timeout),
            )
        } else if let Some(g) = &step.get {
            Op::Get(wait_of(g.block, g.timeout))
        } else if step.qsize.is_some() {
            Op::Qsize
        } else if step.empty.is_some() {
            Op::Empty
        } else if step.full.is_some() {
            Op::Full
        } else {
            Op::Close
        }
    }

    pub(super) fn describe(&self) -> String {
        let wait = |w: &Wait| match w {
            Wait::Forever => String::new(),
            Wait::No => "block=False".into(),
            Wait::For(t) => format!("timeout={}", t.as_secs_f64()),
        };
        match self {
            Op::Put(item, w) if *w == Wait::Forever => format!("put({item:?})"),
            Op::Put(item, w) => format!("put({item:?}, {})", wait(w)),
            Op::Get(w) => format!("get({})", wait(w)),
            Op::Qsize => "qsize()".into(),
            Op::Empty => "empty()".into(),
            Op::Full => "full()".into(),
            Op::Close => "close()".into(),
        }
    }

    pub(super) fn arg(&self) -> Option<String> {
        match self {
            Op::Put(item, _) => Some(item.clone()),
            _ => None,
        }
    }

    pub(super) fn apply(&self, q: &dyn Queue<String>) -> Result<Option<String>, String> {
        let put_err = |e: PutError| match e {
            PutError::Full => "full".to_owned(),
            PutError::Closed => "closed".to_owned(),
        };
        let get_err = |e: GetError| match e {
            GetError::Empty => "empty".to_owned(),
            GetError::Closed => "closed".to_owned(),
        };
        match self {
            Op::Put(item, w) => q.put(item.clone(), *w).map(|_| None).map_err(put_err),
            Op::Get(w) => q.get(*w).map(Some).map_err(get_err),
            Op::Qsize => Ok(Some(q.qsize().to_string())),
            Op::Empty => Ok(Some(q.empty().to_string())),
            Op::Full => Ok(Some(q.full().to_string())),
            Op::Close => {
                q.close();
                Ok(None)
            }
        }
    }
}

pub(super) fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
