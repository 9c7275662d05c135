//! A deadlock in plain words: from what each actor held and waited for when a checker found
//! every thread blocked (the `holding` events, from `run/watch.rs`) and from the calls that
//! never returned, the wait-for graph (an actor waits for the actors that hold the lock it
//! wants) and, when there is one, its cycle: "t1 holds A and waits for B at step 2; t2
//! holds B and waits for A at step 2".

use std::collections::BTreeMap;
use std::path::Path;

use crate::evidence::{EventKind, Evidence, LockEdge, LockUse, StepAt};
use crate::load::model::Scenario;
use crate::load::source_map::{line_col, SourceMap};

/// Why the actors deadlocked: one short line for a check's observed text, and the lines of
/// the full explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub short: String,
    pub lines: Vec<String>,
}

/// One actor (or a thread it started) when everything stopped.
#[derive(Debug, Default)]
struct Party {
    held: Vec<LockUse>,
    wants: Option<LockUse>,
    /// The call that never returned: its step and its text.
    stuck: Option<(StepAt, String)>,
}

/// Where the steps of a scenario file are, to say `dead-lock.yaml:21`.
struct Places {
    file: String,
    text: Option<String>,
    map: Option<SourceMap>,
}

impl Places {
    fn new(file: &Path) -> Places {
        let text = std::fs::read_to_string(file).ok();
        let map = text.as_deref().map(SourceMap::build);
        let file = file.file_name().map_or_else(
            || file.display().to_string(),
            |f| f.to_string_lossy().into(),
        );
        Places { file, text, map }
    }

    fn step(&self, actor: &str, at: StepAt) -> Option<String> {
        let (text, map) = (self.text.as_deref()?, self.map.as_ref()?);
        let (line, _) = line_col(text, map.value(&format!("actors.{actor}[{}]", at.step)));
        Some(format!("{}:{line}", self.file))
    }
}

/// Explains the deadlock of a checker's failing execution, if its evidence has one to
/// explain (a call that never returned).
pub fn explain(scenario: &Scenario, file: &Path, evidence: &Evidence) -> Option<Explanation> {
    let places = Places::new(file);
    let mut parties: BTreeMap<String, Party> = BTreeMap::new();
    let mut calls: BTreeMap<(String, StepAt), String> = BTreeMap::new();
    for e in &evidence.events {
        match &e.kind {
            EventKind::Call { at, call, .. } => {
                calls.insert((e.actor.clone(), *at), call.clone());
                parties.entry(e.actor.clone()).or_default().stuck = Some((*at, call.clone()));
            }
            EventKind::Returned { .. } | EventKind::Failed { .. } => {
                parties.entry(e.actor.clone()).or_default().stuck = None;
            }
            EventKind::Holding { held, wants } => {
                let p = parties.entry(e.actor.clone()).or_default();
                p.held = held.clone();
                p.wants = wants.clone();
            }
            _ => {}
        }
    }
    if parties
        .values()
        .all(|p| p.stuck.is_none() && p.wants.is_none())
    {
        return None;
    }
    // Actors in the scenario's order, then any other thread.
    let mut order: Vec<String> = scenario
        .actors
        .keys()
        .filter(|a| parties.contains_key(*a))
        .cloned()
        .collect();
    order.extend(
        parties
            .keys()
            .filter(|p| !scenario.actors.contains_key(*p))
            .cloned(),
    );
    let call_at = |actor: &str, at: StepAt| -> String {
        let call = calls
            .get(&(actor.to_owned(), at))
            .map(|c| format!(" `{c}`"))
            .unwrap_or_default();
        let place = places
            .step(actor, at)
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();
        format!("step {}{call}{place}", at.step + 1)
    };
    let where_taken = |actor: &str, u: &LockUse| -> String {
        match (&u.step, &u.code) {
            (Some(at), Some(code)) => format!("{code}, inside {}", call_at(actor, *at)),
            (Some(at), None) => call_at(actor, *at),
            (None, Some(code)) => code.clone(),
            (None, None) => "?".into(),
        }
    };
    let holders = |key: &str| -> Vec<&str> {
        order
            .iter()
            .filter(|a| parties[*a].held.iter().any(|u| u.key == key))
            .map(String::as_str)
            .collect()
    };
    // The wait-for graph: who waits for whom.
    let waits_for = |actor: &str| -> Vec<&str> {
        parties[actor]
            .wants
            .as_ref()
            .map(|w| {
                holders(&w.key)
                    .into_iter()
                    .filter(|h| *h != actor)
                    .collect()
            })
            .unwrap_or_default()
    };
    let cycle = order.iter().find_map(|start| {
        // Follow the first edge out of each actor; a cycle is an actor seen twice.
        let mut path: Vec<&str> = vec![start];
        loop {
            let next = *waits_for(path[path.len() - 1]).first()?;
            if let Some(i) = path.iter().position(|p| *p == next) {
                return Some(path[i..].to_vec());
            }
            path.push(next);
        }
    });
    let held_text = |actor: &str| -> String {
        let held = &parties[actor].held;
        if held.is_empty() {
            return "holds nothing".into();
        }
        let list: Vec<String> = held
            .iter()
            .map(|u| format!("{} (taken at {})", u.lock, where_taken(actor, u)))
            .collect();
        format!("holds {}", list.join(" and "))
    };
    let wait_text = |actor: &str| -> String {
        let p = &parties[actor];
        match (&p.wants, &p.stuck) {
            (Some(w), stuck) => {
                let at = match (&w.step, &w.code, stuck) {
                    (Some(at), Some(code), _) | (None, Some(code), Some((at, _))) => {
                        format!("{code}, inside {}", call_at(actor, *at))
                    }
                    (Some(at), None, _) => call_at(actor, *at),
                    (None, Some(code), None) => code.clone(),
                    _ => "?".into(),
                };
                let by = holders(&w.key)
                    .into_iter()
                    .filter(|h| *h != actor)
                    .collect::<Vec<_>>();
                let by = if by.is_empty() {
                    ", which nobody holds".to_owned()
                } else {
                    format!(", which {} holds", by.join(" and "))
                };
                format!("waits for {} at {at}{by}", w.lock)
            }
            (None, Some((at, _))) => format!("waits in {}", call_at(actor, *at)),
            (None, None) => "has finished".into(),
        }
    };
    let mut lines = Vec::new();
    let short = match &cycle {
        Some(cycle) => {
            let arrows: Vec<&str> = cycle.iter().chain(cycle.first()).copied().collect();
            lines.push(format!(
                "a wait-for cycle, {}: each waits for a lock the next one holds, and none can \
                 go on",
                arrows.join(" → ")
            ));
            let mut parts = Vec::new();
            for actor in cycle {
                lines.push(format!(
                    "{actor} {} and {}",
                    held_text(actor),
                    wait_text(actor)
                ));
                let p = &parties[*actor];
                let held: Vec<&str> = p.held.iter().map(|u| u.lock.as_str()).collect();
                let at = p
                    .wants
                    .as_ref()
                    .and_then(|w| w.step.or(p.stuck.as_ref().map(|s| s.0)))
                    .map(|at| format!(" at step {}", at.step + 1))
                    .unwrap_or_default();
                parts.push(format!(
                    "{actor} holds {} and waits for {}{at}",
                    if held.is_empty() {
                        "nothing".into()
                    } else {
                        held.join(" and ")
                    },
                    p.wants.as_ref().map_or("?", |w| w.lock.as_str())
                ));
            }
            format!("a wait-for cycle: {}", parts.join("; "))
        }
        None => {
            lines.push(
                "no wait-for cycle of locks: the blocked actors wait for a wakeup that nobody \
                 left will give (a lost wakeup), or for something nobody will release"
                    .into(),
            );
            let mut parts = Vec::new();
            for actor in &order {
                if parties[actor].stuck.is_none() && parties[actor].wants.is_none() {
                    continue;
                }
                lines.push(format!(
                    "{actor} {}; it {}",
                    wait_text(actor),
                    held_text(actor)
                ));
                if let Some((at, call)) = &parties[actor].stuck {
                    parts.push(format!("{actor} waits in {call} at step {}", at.step + 1));
                }
            }
            format!("every actor left is blocked: {}", parts.join("; "))
        }
    };
    for actor in scenario.actors.keys() {
        if !parties.contains_key(actor)
            || parties[actor].stuck.is_none() && parties[actor].wants.is_none()
        {
            lines.push(format!("{actor} has finished"));
        }
    }
    Some(Explanation { short, lines })
}

/// A lock-order cycle in words, one line per edge: "t1 took B at step 2 `B.acquire()`
/// while holding A (taken at step 1 `A.acquire()`)". `call` gives a step's call text and
/// `place` its line in the file, when known.
pub fn describe_cycle(
    cycle: &[LockEdge],
    call: &dyn Fn(&str, StepAt) -> Option<String>,
    place: &dyn Fn(&str, StepAt) -> Option<String>,
) -> Vec<String> {
    let at = |actor: &str, u: &LockUse| -> String {
        let step = |at: StepAt| {
            let call = call(actor, at)
                .map(|c| format!(" `{c}`"))
                .unwrap_or_default();
            let place = place(actor, at)
                .map(|p| format!(" in {p}"))
                .unwrap_or_default();
            format!("step {}{call}{place}", at.step + 1)
        };
        match (&u.step, &u.code) {
            (Some(at), Some(code)) => format!("{code}, inside {}", step(*at)),
            (Some(at), None) => step(*at),
            (None, Some(code)) => code.clone(),
            (None, None) => "?".into(),
        }
    };
    cycle
        .iter()
        .map(|e| {
            format!(
                "{} took {} at {}, while holding {} (taken at {})",
                e.thread,
                e.then.lock,
                at(&e.thread, &e.then),
                e.first.lock,
                at(&e.thread, &e.first)
            )
        })
        .collect()
}

/// The cycle's locks in order, back to the first: `A → B → A`.
pub fn cycle_path(cycle: &[LockEdge]) -> String {
    let mut names: Vec<&str> = cycle.iter().map(|e| e.first.lock.as_str()).collect();
    if let Some(first) = cycle.first() {
        names.push(first.first.lock.as_str());
    }
    names.join(" → ")
}

/// The lock-order cycles of a trial, in plain words with the file's lines: for the
/// verdict's explanation.
pub fn explain_lock_order(file: &Path, evidence: &Evidence) -> Vec<String> {
    let places = Places::new(file);
    let calls: BTreeMap<(String, StepAt), String> = evidence
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Call { at, call, .. } => Some(((e.actor.clone(), *at), call.clone())),
            _ => None,
        })
        .collect();
    let mut lines = Vec::new();
    for e in &evidence.events {
        if let EventKind::LockOrder { cycles, .. } = &e.kind {
            for cycle in cycles.iter().take(3) {
                lines.push(format!(
                    "the locks {} are taken in orders that form a cycle: a deadlock when these \
                     run at the same time, although this run did not need to deadlock",
                    cycle_path(cycle)
                ));
                lines.extend(
                    describe_cycle(
                        cycle,
                        &|actor, at| calls.get(&(actor.to_owned(), at)).cloned(),
                        &|actor, at| places.step(actor, at),
                    )
                    .into_iter()
                    .map(|l| format!("  {l}")),
                );
            }
            if cycles.len() > 3 {
                lines.push(format!("and {} more cycles", cycles.len() - 3));
            }
            break;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Event;

    fn scenario() -> Scenario {
        serde_yaml::from_str(
            "id: t\ntitle: t\nclaims: [deadlock.definition]\n\
             subject: { contract: lock, locks: [A, B] }\n\
             actors:\n  t1:\n    - acquire: { lock: A }\n    - acquire: { lock: B }\n\
             \x20 t2:\n    - acquire: { lock: B }\n    - acquire: { lock: A }\n  t3:\n    - locked: { lock: A }\n",
        )
        .unwrap()
    }

    fn ev(actor: &str, kind: EventKind) -> Event {
        Event {
            at_us: 0,
            actor: actor.into(),
            kind,
        }
    }

    fn own(lock: &str, step: usize) -> LockUse {
        LockUse {
            key: format!("lock {lock}"),
            lock: lock.into(),
            step: Some(StepAt { step, round: 0 }),
            code: None,
        }
    }

    fn call(step: usize, call: &str) -> EventKind {
        EventKind::Call {
            at: StepAt { step, round: 0 },
            call: call.into(),
            arg: None,
        }
    }

    fn returned(step: usize) -> EventKind {
        EventKind::Returned {
            at: StepAt { step, round: 0 },
            value: Some("true".into()),
        }
    }

    #[test]
    fn names_the_wait_for_cycle() {
        let events = vec![
            ev("t1", call(0, "A.acquire()")),
            ev("t1", returned(0)),
            ev("t2", call(0, "B.acquire()")),
            ev("t2", returned(0)),
            ev("t3", call(0, "A.locked()")),
            ev("t3", returned(0)),
            ev("t1", call(1, "B.acquire()")),
            ev("t2", call(1, "A.acquire()")),
            ev(
                "t1",
                EventKind::Holding {
                    held: vec![own("A", 0)],
                    wants: Some(own("B", 1)),
                },
            ),
            ev(
                "t2",
                EventKind::Holding {
                    held: vec![own("B", 0)],
                    wants: Some(own("A", 1)),
                },
            ),
        ];
        let evidence = Evidence {
            events,
            observations: Vec::new(),
        };
        let x = explain(&scenario(), Path::new("/nonexistent.yaml"), &evidence).unwrap();
        assert_eq!(
            x.short,
            "a wait-for cycle: t1 holds A and waits for B at step 2; t2 holds B and waits for A at step 2"
        );
        assert!(x.lines[0].contains("t1 → t2 → t1"), "{:?}", x.lines);
        assert_eq!(
            x.lines[1],
            "t1 holds A (taken at step 1 `A.acquire()`) and waits for B at step 2 `B.acquire()`, which t2 holds"
        );
        assert_eq!(x.lines.last().unwrap(), "t3 has finished");
    }

    #[test]
    fn a_lost_wakeup_is_no_cycle() {
        let events = vec![ev("t1", call(0, "A.acquire()"))];
        let evidence = Evidence {
            events,
            observations: Vec::new(),
        };
        let x = explain(&scenario(), Path::new("/nonexistent.yaml"), &evidence).unwrap();
        assert!(x.lines[0].starts_with("no wait-for cycle"), "{:?}", x.lines);
        assert_eq!(
            x.short,
            "every actor left is blocked: t1 waits in A.acquire() at step 1"
        );
        assert!(x.lines.contains(&"t2 has finished".to_owned()));
    }
}
