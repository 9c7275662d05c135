//! Judging a library scenario: each step's `expect` and the scenario's `assert` against the
//! events its actors recorded.

use std::collections::BTreeMap;
use std::time::Duration;

use super::class::{FailureClass, Level};
use super::Check;
use crate::evidence::{Event, EventKind, Evidence, StepAt};
use crate::load::model::{Expect, GotAll, Scenario, Step, Text};
use crate::load::vars;
use crate::matcher::visible;

/// CPython's window for a timeout: at least 0.6x and under 10x what was asked.
pub const EARLY: f64 = 0.6;
pub const LATE: f64 = 10.0;

/// At most this many failing rounds of one repeated step are listed.
const MAX_FAILS_PER_STEP: usize = 10;

pub struct Judge<'a> {
    pub scenario: &'a Scenario,
    pub vars: &'a BTreeMap<String, String>,
    pub evidence: &'a Evidence,
    /// Whether event times are real (threads): `after` and `within` are judged only then;
    /// under a checker they are logical steps, and only their order (`not_before`) counts.
    pub real_time: bool,
}

/// One run of a step, as the checks name and judge it.
#[derive(Clone, Copy)]
struct StepRun<'a> {
    name: &'a str,
    actor: &'a str,
    round: u32,
    expect: &'a Expect,
    /// The call must not wait at all (a never-released call is `blocked`, not a lost wakeup).
    nonblocking: bool,
}

/// How one run of a step ended.
enum End<'a> {
    Returned(&'a Option<String>),
    Failed(&'a str),
    Abandoned,
    Panicked,
}

impl Judge<'_> {
    pub fn checks(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        for (actor, steps) in &self.scenario.actors {
            for (index, step) in steps.iter().enumerate() {
                if step.is_pause() {
                    continue;
                }
                self.judge_step(actor, index, step, &mut checks);
            }
        }
        for a in &self.scenario.asserts {
            let level = self.level(a.level.as_ref());
            if let Some(g) = &a.got_all {
                checks.push(self.got_all(g, level));
            }
            if let Some(want) = a.counter {
                checks.push(self.counter(want, level));
            }
            if a.lock_order.is_some() {
                checks.push(self.lock_order(level));
            }
        }
        checks
    }

    fn level(&self, own: Option<&Text>) -> Level {
        super::level_of(self.scenario, self.vars, own)
    }

    fn judge_step(&self, actor: &str, index: usize, step: &Step, checks: &mut Vec<Check>) {
        let default = Expect::default();
        let expect = step.expect.as_ref().unwrap_or(&default);
        let level = self.level(expect.level.as_ref());
        let kind = step.kinds().first().copied().unwrap_or("?");
        let rounds = step.repeat.unwrap_or(1);
        // A call that must not wait at all; one that waits and is never released lost a wakeup.
        let nonblocking = step.get.as_ref().is_some_and(|g| !g.block)
            || step.put.as_ref().is_some_and(|p| !p.block)
            || step.acquire.as_ref().is_some_and(|a| !a.block)
            || !matches!(
                kind,
                "get" | "put" | "acquire" | "wait" | "join" | "acquire_all" | "acquire_or_back_off"
            );
        let mut failed = Vec::new();
        let mut ran = 0;
        for round in 0..rounds {
            let at = StepAt { step: index, round };
            let Some((call, end)) = self.run_of(actor, at) else {
                continue;
            };
            ran += 1;
            let name = if rounds > 1 {
                format!("{actor} step {} {kind} (round {round})", index + 1)
            } else {
                format!("{actor} step {} {kind}", index + 1)
            };
            for mut c in self.step_checks(
                &StepRun {
                    name: &name,
                    actor,
                    round,
                    expect,
                    nonblocking,
                },
                call,
                end,
            ) {
                c.level = level;
                if !c.passed {
                    failed.push(c);
                } else if rounds == 1 {
                    checks.push(c);
                }
            }
        }
        if rounds > 1 && failed.is_empty() && ran > 0 {
            checks.push(Check {
                name: format!("{actor} step {} {kind} x{rounds}", index + 1),
                level,
                passed: true,
                class: None,
                expected: "every round as expected".into(),
                observed: format!("{ran} rounds ran, all as expected"),
            });
        }
        let extra = failed.len().saturating_sub(MAX_FAILS_PER_STEP);
        checks.extend(failed.into_iter().take(MAX_FAILS_PER_STEP));
        if extra > 0 {
            checks.push(Check {
                name: format!("{actor} step {} {kind}", index + 1),
                level,
                passed: false,
                class: None,
                expected: "every round as expected".into(),
                observed: format!("{extra} more failing rounds not listed"),
            });
        }
    }

    /// The call event of one run of a step and how it ended (None if it never ran).
    fn run_of<'e>(
        &'e self,
        actor: &'e str,
        at: StepAt,
    ) -> Option<(&'e Event, Option<(End<'e>, u64)>)> {
        let mut events = self.evidence.of_step(actor, at);
        let call = events.find(|e| matches!(e.kind, EventKind::Call { .. }))?;
        let end = events.find_map(|e| {
            let end = match &e.kind {
                EventKind::Returned { value, .. } => End::Returned(value),
                EventKind::Failed { error, .. } => End::Failed(error),
                EventKind::Abandoned { .. } => End::Abandoned,
                EventKind::Panicked { .. } => End::Panicked,
                _ => return None,
            };
            Some((end, e.at_us))
        });
        Some((call, end))
    }

    fn step_checks(&self, run: &StepRun, call: &Event, end: Option<(End, u64)>) -> Vec<Check> {
        let StepRun {
            name,
            actor,
            round,
            expect,
            nonblocking,
        } = *run;
        let check = |aspect: &str,
                     passed: bool,
                     class: FailureClass,
                     expected: String,
                     observed: String| Check {
            name: format!("{name}: {aspect}"),
            level: Level::Must,
            passed,
            class: (!passed).then_some(class),
            expected,
            observed,
        };
        let Some((end, end_at)) = end else {
            // The trial was killed while this call ran: the verdict is an error, not a check.
            return Vec::new();
        };
        let elapsed = Duration::from_micros(end_at.saturating_sub(call.at_us));
        let mut out = Vec::new();
        let took = format!("after {}", ms(elapsed));
        if let End::Abandoned = end {
            let class = if expect.after.is_some() {
                FailureClass::TimeoutLate
            } else if nonblocking {
                FailureClass::Blocked
            } else {
                FailureClass::NeverReturned
            };
            let expected = match (expect.after, expect.within) {
                (Some(a), _) => format!("to return within {LATE}x {a}"),
                (_, Some(w)) => format!("to return within {w}"),
                _ => "to return".into(),
            };
            out.push(check(
                "returns",
                false,
                class,
                expected,
                format!("still blocked {took}; given up"),
            ));
            return out;
        }
        if let End::Panicked = end {
            return out; // graded as an error by the runner
        }
        // The result.
        let (expected, passed, class, observed) = match (&end, &expect.error, &expect.value) {
            (End::Failed(got), Some(want), _) => (
                format!("error {want}"),
                *got == want.to_string(),
                FailureClass::WrongResult,
                format!("error {got}"),
            ),
            (End::Returned(v), Some(want), _) => (
                format!("error {want}"),
                false,
                FailureClass::MissingError,
                returned(v),
            ),
            (End::Returned(v), None, Some(m)) => {
                let m = m.fill(&|t| vars::fill_step(t, self.vars, actor, round));
                let ok = v.as_ref().is_some_and(|v| m.check(v.as_bytes()).ok);
                (
                    format!("value {m}"),
                    ok,
                    expect.class.unwrap_or(FailureClass::WrongResult),
                    returned(v),
                )
            }
            (End::Failed(got), None, Some(m)) => (
                format!("value {m}"),
                false,
                FailureClass::UnexpectedError,
                format!("error {got}"),
            ),
            (End::Failed(got), None, None) => (
                "success".into(),
                false,
                FailureClass::UnexpectedError,
                format!("error {got}"),
            ),
            (End::Returned(v), None, None) => (
                "success".into(),
                true,
                FailureClass::WrongResult,
                returned(v),
            ),
            (End::Abandoned | End::Panicked, ..) => unreachable!("handled above"),
        };
        out.push(check("result", passed, class, expected, observed));
        if let Some(after) = expect.after.filter(|_| self.real_time) {
            let lo = after.0.mul_f64(EARLY);
            let hi = after.0.mul_f64(LATE);
            let (ok, class) = if elapsed < lo {
                (false, FailureClass::TimeoutEarly)
            } else if elapsed >= hi {
                (false, FailureClass::TimeoutLate)
            } else {
                (true, FailureClass::TimeoutLate)
            };
            out.push(check(
                "time",
                ok,
                class,
                format!("about {after} (from {} to under {})", ms(lo), ms(hi)),
                took.clone(),
            ));
        }
        if let Some(within) = expect.within.filter(|_| self.real_time) {
            out.push(check(
                "time",
                elapsed < within.0,
                FailureClass::Blocked,
                format!("under {within}"),
                took.clone(),
            ));
        }
        if let Some(label) = &expect.not_before {
            let release = self.label_call(label);
            if release.is_none() {
                out.push(check(
                    "blocked until released",
                    false,
                    FailureClass::HarnessError,
                    format!("`{label}` to run, to judge when this call may return"),
                    format!("`{label}` never ran"),
                ));
            }
            if let Some(release) = release {
                let ok = end_at >= release;
                let observed = if ok {
                    format!(
                        "returned {} after `{label}` started",
                        ms(Duration::from_micros(end_at - release))
                    )
                } else {
                    format!(
                        "returned {} before `{label}` started",
                        ms(Duration::from_micros(release - end_at))
                    )
                };
                out.push(check(
                    "blocked until released",
                    ok,
                    FailureClass::AppearedNotToBlock,
                    format!("not to return before `{label}` starts"),
                    observed,
                ));
            }
        }
        out
    }

    /// When the first run of the step labelled `label` was called (µs).
    fn label_call(&self, label: &str) -> Option<u64> {
        let (actor, index) = self.scenario.actors.iter().find_map(|(actor, steps)| {
            let i = steps
                .iter()
                .position(|s| s.label.as_deref() == Some(label))?;
            Some((actor, i))
        })?;
        let at = StepAt {
            step: index,
            round: 0,
        };
        self.evidence
            .of_step(actor, at)
            .find(|e| matches!(e.kind, EventKind::Call { .. }))
            .map(|e| e.at_us)
    }

    /// The shared counter ends at `want`: the value the last `bump` wrote.
    fn counter(&self, want: u64, level: Level) -> Check {
        let bumps = self.evidence.events.iter().filter(|e| match &e.kind {
            EventKind::Returned { at, .. } => self
                .scenario
                .actors
                .get(&e.actor)
                .and_then(|s| s.get(at.step))
                .is_some_and(|s| s.bump.is_some()),
            _ => false,
        });
        let last = bumps.max_by_key(|e| e.at_us).and_then(|e| match &e.kind {
            EventKind::Returned { value, .. } => value.clone(),
            _ => None,
        });
        let passed = last.as_deref() == Some(want.to_string().as_str());
        Check {
            name: "the shared counter after every x = x + 1".into(),
            level,
            passed,
            class: (!passed).then_some(FailureClass::LostUpdate),
            expected: format!("{want}"),
            observed: match (passed, last) {
                (_, None) => "no update ran".into(),
                (true, Some(v)) => v,
                (false, Some(v)) => format!("{v}: an update was lost"),
            },
        }
    }

    /// The lock-order graph has no cycle.
    fn lock_order(&self, level: Level) -> Check {
        let name = "the order locks are taken in".to_owned();
        let expected = "no cycle: any two locks always taken in the same order".to_owned();
        let graph = self.evidence.events.iter().find_map(|e| match &e.kind {
            EventKind::LockOrder {
                locks,
                edges,
                cycles,
            } => Some((*locks, *edges, cycles)),
            _ => None,
        });
        let Some((locks, edges, cycles)) = graph else {
            return Check {
                name,
                level,
                passed: false,
                class: Some(FailureClass::HarnessError),
                expected,
                observed: "no lock-order graph was recorded".into(),
            };
        };
        let Some(cycle) = cycles.first() else {
            return Check {
                name,
                level,
                passed: true,
                class: None,
                expected,
                observed: format!("no cycle among {locks} locks and {edges} orders"),
            };
        };
        let call = |actor: &str, at: StepAt| {
            self.evidence
                .of_step(actor, at)
                .find_map(|e| match &e.kind {
                    EventKind::Call { call, .. } => Some(call.clone()),
                    _ => None,
                })
        };
        let lines = super::deadlock::describe_cycle(cycle, &call, &|_, _| None);
        let more = match cycles.len() {
            1 => String::new(),
            n => format!(" (and {} more cycles)", n - 1),
        };
        Check {
            name,
            level,
            passed: false,
            class: Some(FailureClass::LockOrder),
            expected,
            observed: format!(
                "{}: {}{more}",
                super::deadlock::cycle_path(cycle),
                lines.join("; ")
            ),
        }
    }

    /// Whether step `index` of `actor` is a `get` (only gets take items out).
    fn is_get(&self, actor: &str, index: usize) -> bool {
        self.scenario
            .actors
            .get(actor)
            .and_then(|s| s.get(index))
            .is_some_and(|s| s.get.is_some())
    }

    /// Every item the `from` actors put was got exactly once by the `by` actors.
    fn got_all(&self, g: &GotAll, level: Level) -> Check {
        let mut balance: BTreeMap<&str, i64> = BTreeMap::new();
        let mut pending: BTreeMap<(&str, StepAt), &str> = BTreeMap::new();
        for e in &self.evidence.events {
            match &e.kind {
                EventKind::Call {
                    at,
                    arg: Some(item),
                    ..
                } if g.from.contains(&e.actor) => {
                    pending.insert((e.actor.as_str(), *at), item.as_str());
                }
                EventKind::Returned { at, .. } if g.from.contains(&e.actor) => {
                    if let Some(item) = pending.remove(&(e.actor.as_str(), *at)) {
                        *balance.entry(item).or_default() += 1;
                    }
                }
                EventKind::Returned { at, value: Some(v) }
                    if g.by.contains(&e.actor) && self.is_get(&e.actor, at.step) =>
                {
                    *balance.entry(v.as_str()).or_default() -= 1;
                }
                _ => {}
            }
        }
        let lost: Vec<&str> = balance
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(i, _)| *i)
            .collect();
        let extra: Vec<&str> = balance
            .iter()
            .filter(|(_, n)| **n < 0)
            .map(|(i, _)| *i)
            .collect();
        let (passed, class, observed) = match (lost.is_empty(), extra.is_empty()) {
            (true, true) => (true, None, "every item got exactly once".to_owned()),
            (false, _) => (
                false,
                Some(FailureClass::LostItem),
                format!("{} items never got, e.g. {}", lost.len(), sample(&lost)),
            ),
            (true, false) => (
                false,
                Some(FailureClass::DuplicateItem),
                format!(
                    "{} items got too often, e.g. {}",
                    extra.len(),
                    sample(&extra)
                ),
            ),
        };
        Check {
            name: format!(
                "every item put by {} got once by {}",
                g.from.join(", "),
                g.by.join(", ")
            ),
            level,
            passed,
            class,
            expected: "each item got exactly once".into(),
            observed,
        }
    }
}

fn sample(items: &[&str]) -> String {
    items
        .iter()
        .take(3)
        .map(|i| visible(i.as_bytes()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn returned(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("value {}", visible(v.as_bytes())),
        None => "success".into(),
    }
}

/// A duration in milliseconds with one decimal: `212.4ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.1}ms", d.as_secs_f64() * 1000.0)
}
