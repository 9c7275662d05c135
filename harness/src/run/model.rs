//! Running a library scenario under a checker: loom (every interleaving within a preemption
//! bound) or shuttle (random, then PCT schedules from a seed). The actors are the checker's
//! threads, built on the sync facade; each execution is judged with the same judge as on
//! real threads, with logical times (only the order of events counts), and a broken check
//! fails that execution, so the checker reports the schedule that broke it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use conform_impls::sync::{self, explore, thread, Backend, Budget};

use super::library::{panic_text, Sink};
use super::ops::{Call, Section, Subject};
use super::watch::{self, Watch};
use crate::evidence::{Event, EventKind, Evidence, StepAt};
use crate::judge::class::{FailureClass, Level};
use crate::judge::library::Judge;
use crate::judge::Check;
use crate::load::model::{Explorer, Scenario};

/// How many times an `await_waiters` step lets the others run before it goes on anyway.
const AWAIT_YIELDS: usize = 50;

/// A broken check travels out of the checker as a panic with this prefix and the check.
const BROKEN: &str = "conform: check broke: ";

/// One execution's events, shared by its actors (the checker runs them one at a time).
type Trace = Arc<Mutex<Vec<Event>>>;

/// Explores `scenario` against `subject` with `checker`; reports the outcome and, when it
/// failed, the failing execution's events.
pub fn run(
    scenario: &Scenario,
    subject: &str,
    vars: &BTreeMap<String, String>,
    checker: Explorer,
    replay: Option<&str>,
    sink: Sink,
) -> Result<(), String> {
    Subject::build(scenario, subject)?;
    let last: Arc<Mutex<Trace>> = Arc::default();
    // How many executions the checker ran: what "every interleaving" came to.
    let executions = Arc::new(AtomicU64::new(0));
    let body = {
        let (scenario, subject, vars, last, executions) = (
            Arc::new(scenario.clone()),
            subject.to_owned(),
            Arc::new(vars.clone()),
            last.clone(),
            executions.clone(),
        );
        move || {
            executions.fetch_add(1, Ordering::Relaxed);
            execute(&scenario, &subject, &vars, &last)
        }
    };
    let backend = match checker {
        Explorer::Loom => Backend::Loom,
        Explorer::Shuttle => Backend::Shuttle,
        Explorer::Threads => unreachable!("real threads run in library.rs"),
    };
    let budget = Budget {
        preemptions: scenario.budget.preemptions.unwrap_or(2),
        iterations: scenario.budget.iterations.unwrap_or(1000),
        seed: scenario.budget.seed.unwrap_or(1),
        // PCT schedules threads by priority: with one actor there is nothing to choose.
        pct: scenario.actors.len() > 1,
    };
    // What each simulated thread holds and waits for, for a deadlock's explanation.
    let watch = Arc::new(Watch::default());
    let entered = watch::enter(&watch);
    let outcome = catch_unwind(AssertUnwindSafe(|| match replay {
        Some(schedule) if checker == Explorer::Shuttle => sync::replay(schedule, body),
        _ => explore(backend, budget, body),
    }));
    drop(entered);
    let schedule = match (&outcome, checker) {
        (Err(_), Explorer::Shuttle) => sync::failing_schedule(),
        _ => None,
    };
    let trace = last.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let checks = match outcome {
        Ok(()) => vec![Check {
            name: format!("the interleavings {checker} explored"),
            level: Level::Must,
            passed: true,
            class: None,
            expected: "every check to hold".into(),
            observed: match checker {
                Explorer::Loom => format!(
                    "every one held, in all {} executions within {} preemptions",
                    executions.load(Ordering::Relaxed),
                    budget.preemptions
                ),
                _ => format!(
                    "every one held, in {} executions",
                    executions.load(Ordering::Relaxed)
                ),
            },
        }],
        Err(panic) => {
            for e in trace.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                sink(e.clone());
            }
            let checks = failure(checker, &panic_text(&panic));
            if checks
                .iter()
                .any(|c| c.class == Some(FailureClass::Deadlock))
            {
                for (actor, held, wants) in watch.holdings() {
                    sink(Event {
                        at_us: 0,
                        actor,
                        kind: EventKind::Holding { held, wants },
                    });
                }
            }
            checks
        }
    };
    let explored = EventKind::Explored {
        explorer: checker.to_string(),
        checks,
        schedule,
    };
    sink(Event {
        at_us: 0,
        actor: "harness".into(),
        kind: explored,
    });
    sink(Event {
        at_us: 0,
        actor: "harness".into(),
        kind: EventKind::Finished,
    });
    Ok(())
}

/// What a checker's failure means: the checks that broke in the failing execution, or a
/// deadlock, or a panic.
fn failure(checker: Explorer, message: &str) -> Vec<Check> {
    if let Some(json) = message.split(BROKEN).nth(1) {
        if let Ok(broken) = serde_json::from_str::<Vec<Check>>(json) {
            return broken
                .into_iter()
                .map(|mut c| {
                    c.name = format!("{checker}: {}", c.name);
                    c
                })
                .collect();
        }
    }
    let (class, expected) = if message.to_lowercase().contains("deadlock") {
        (
            FailureClass::Deadlock,
            "no interleaving in which every actor waits for another",
        )
    } else if message.contains("exceeded maximum number of branches")
        || message.contains("exceeded max_steps")
        || message.contains("scheduled task is not runnable")
    {
        // The checker's own budget ran out, or a replayed schedule was recorded for
        // another scenario or subject: nothing is known about the subject.
        (
            FailureClass::HarnessError,
            "the exploration to fit the checker's limits (fewer actors or rounds), and a \
             replayed schedule to be one recorded for this scenario and subject",
        )
    } else {
        (FailureClass::Panicked, "no panic in any interleaving")
    };
    // A checker's message can hold its whole task table: the first line, cut short.
    let first = message.lines().next().unwrap_or(message);
    let observed = match first.char_indices().nth(300) {
        Some((at, _)) => format!("{}...", &first[..at]),
        None => first.to_owned(),
    };
    vec![Check {
        name: format!("the interleavings {checker} explored"),
        level: Level::Must,
        passed: false,
        class: Some(class),
        expected: expected.into(),
        observed,
    }]
}

/// One execution: the actors as the checker's threads, then the judge.
fn execute(
    scenario: &Scenario,
    subject: &str,
    vars: &BTreeMap<String, String>,
    last: &Mutex<Trace>,
) {
    let trace: Trace = Arc::default();
    *last.lock().unwrap_or_else(|p| p.into_inner()) = trace.clone();
    watch::reset();
    let clock = Arc::new(AtomicU64::new(1));
    let built = Subject::build(scenario, subject).expect("checked before");
    let section = Section::default();
    let actors: Vec<_> = scenario
        .actors
        .iter()
        .map(|(actor, steps)| {
            let (actor, steps, built, section, vars, trace, clock) = (
                actor.clone(),
                steps.clone(),
                built.clone(),
                section.clone(),
                vars.clone(),
                trace.clone(),
                clock.clone(),
            );
            thread::spawn(move || {
                watch::actor(&actor);
                let record = |kind| {
                    let at_us = clock.fetch_add(1, Ordering::Relaxed);
                    trace.lock().unwrap_or_else(|p| p.into_inner()).push(Event {
                        at_us,
                        actor: actor.clone(),
                        kind,
                    });
                };
                for (index, step) in steps.iter().enumerate() {
                    for round in 0..step.repeat.unwrap_or(1) {
                        let at = StepAt { step: index, round };
                        if step.sleep.is_some() {
                            // No time in a model: a sleep is a chance for the others to run.
                            thread::yield_now();
                            continue;
                        }
                        if let Some(n) = step.await_waiters {
                            // Bounded: a subject whose waits never block must not spin
                            // the checker for ever; the checks after will say why.
                            for _ in 0..AWAIT_YIELDS {
                                if conform_impls::sync::waiting() >= n as usize {
                                    break;
                                }
                                thread::yield_now();
                            }
                            continue;
                        }
                        let op = Call::of(step, &vars, &actor, at);
                        record(EventKind::Call {
                            at,
                            call: op.describe(),
                            arg: op.arg(),
                        });
                        match op.apply(&built, &section) {
                            Ok(value) => record(EventKind::Returned { at, value }),
                            Err(error) => record(EventKind::Failed { at, error }),
                        }
                    }
                }
            })
        })
        .collect();
    for a in actors {
        if let Err(panic) = a.join() {
            std::panic::resume_unwind(panic);
        }
    }
    if scenario.asserts.iter().any(|a| a.lock_order.is_some()) {
        // This execution's lock-order graph, judged with the rest.
        let order = watch::lock_order();
        if let Some(kind) = order {
            trace.lock().unwrap_or_else(|p| p.into_inner()).push(Event {
                at_us: clock.fetch_add(1, Ordering::Relaxed),
                actor: "harness".into(),
                kind,
            });
        }
    }
    let events = trace.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let evidence = Evidence {
        events,
        observations: Vec::new(),
    };
    let checks = Judge {
        scenario,
        vars,
        evidence: &evidence,
        real_time: false,
    }
    .checks();
    let broken: Vec<_> = checks
        .into_iter()
        .filter(|c| !c.passed && c.level == Level::Must)
        .collect();
    if !broken.is_empty() {
        panic!(
            "{BROKEN}{}",
            serde_json::to_string(&broken).unwrap_or_default()
        );
    }
}
