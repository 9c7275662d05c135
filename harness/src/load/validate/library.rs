//! Checks of library scenarios: actors, their steps and expectations.

use std::collections::{BTreeMap, BTreeSet};

use super::{check_level, first_two_written, Checker};
use crate::load::model::{ContractName, Expect, InstanceKind, Scenario, Step, SubjectSpec};
use crate::load::suggest;

fn labels(s: &Scenario) -> BTreeMap<&str, (String, usize)> {
    let mut labels = BTreeMap::new();
    for (actor, steps) in &s.actors {
        for (i, step) in steps.iter().enumerate() {
            if let Some(l) = &step.label {
                labels.entry(l.as_str()).or_insert((actor.clone(), i));
            }
        }
    }
    labels
}

pub(super) fn check_actors(c: &mut Checker, s: &Scenario) {
    let labels = labels(s);
    let mut seen_labels = BTreeSet::new();
    for (actor, steps) in &s.actors {
        if steps.is_empty() {
            c.at(
                format!("actors.{actor}"),
                format!("actor `{actor}` has no steps"),
                None,
            );
        }
        for (i, step) in steps.iter().enumerate() {
            let path = format!("actors.{actor}[{i}]");
            if let Some(l) = &step.label {
                if !seen_labels.insert(l.as_str()) {
                    c.at(
                        format!("{path}.label"),
                        format!("label `{l}` is used twice"),
                        Some("labels name one step across all actors".into()),
                    );
                }
            }
            check_step(c, &path, step, &s.subject, &labels);
        }
    }
}

fn check_step(
    c: &mut Checker,
    path: &str,
    step: &Step,
    subject: &SubjectSpec,
    labels: &BTreeMap<&str, (String, usize)>,
) {
    let contract = subject.contract;
    let kinds = step.kinds();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => {
            let list = Step::KINDS
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            c.at(
                path,
                "a step with no operation",
                Some(format!("add one of {list}")),
            );
            return;
        }
        [_, _, ..] => {
            let (first, second) = first_two_written(c, path, &kinds);
            c.at_key(
                format!("{path}.{second}"),
                format!("a step has one operation; this one has `{first}` and `{second}`"),
                Some("split it into two steps".into()),
            );
            return;
        }
    };
    if step
        .wait
        .as_ref()
        .and_then(|w| w.timeout)
        .is_some_and(|t| t.0.is_zero())
    {
        c.at(
            format!("{path}.wait.timeout"),
            "a zero timeout",
            Some("use `is_set` to look without waiting".into()),
        );
    }
    for (op, block, timeout) in [
        (
            "put",
            step.put.as_ref().map(|p| p.block),
            step.put.as_ref().and_then(|p| p.timeout),
        ),
        (
            "get",
            step.get.as_ref().map(|g| g.block),
            step.get.as_ref().and_then(|g| g.timeout),
        ),
        (
            "acquire",
            step.acquire.as_ref().map(|g| g.block),
            step.acquire.as_ref().and_then(|g| g.timeout),
        ),
    ] {
        if block == Some(false) && timeout.is_some() {
            c.at_key(
                format!("{path}.{op}.timeout"),
                "a timeout needs `block: true`",
                Some(
                    "Python ignores the timeout of a non-blocking call; remove one of them".into(),
                ),
            );
        }
        if timeout.is_some_and(|t| t.0.is_zero()) {
            c.at(
                format!("{path}.{op}.timeout"),
                "a zero timeout",
                Some("use `block: false` for a call that must not wait".into()),
            );
        }
    }
    if let Some(contract) = contract {
        if !contract.ops().contains(&kind)
            && !matches!(kind, "sleep" | "await_waiters" | "enter" | "leave" | "bump")
        {
            let ops = contract
                .ops()
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            c.at_key(
                format!("{path}.{kind}"),
                format!(
                    "`{kind}` is not an operation of {} {}",
                    if contract.name().starts_with('e') {
                        "an"
                    } else {
                        "a"
                    },
                    contract.name()
                ),
                Some(format!(
                    "a {} has {ops} (and `sleep`, `enter`, `leave`, `bump`)",
                    contract.name()
                )),
            );
        }
    }
    check_instance(c, path, kind, step, subject);
    if matches!(kind, "sleep" | "await_waiters") && step.label.is_some() {
        c.at_key(
            format!("{path}.label"),
            format!("a `{kind}` cannot be labelled: `not_before` waits for a call to start"),
            Some("label the call after the sleep".into()),
        );
    }
    if step.repeat == Some(0) {
        c.at(
            format!("{path}.repeat"),
            "`repeat: 0` runs nothing",
            Some("remove the step, or repeat at least once".into()),
        );
    }
    if let Some(e) = &step.expect {
        check_expect(c, &format!("{path}.expect"), kind, e, labels);
    }
}

/// The names a scenario declares for its locks or queues are fit to use.
pub(super) fn check_instance_names(c: &mut Checker, s: &SubjectSpec) {
    for (key, kind, contract) in [
        ("locks", InstanceKind::Lock, ContractName::Lock),
        ("queues", InstanceKind::Queue, ContractName::Queue),
    ] {
        let names = s.instances(kind);
        if names.is_empty() {
            continue;
        }
        if s.contract != Some(contract) {
            let this = match s.contract {
                Some(other) if other.name().starts_with('e') => format!("an {}", other.name()),
                Some(other) => format!("a {}", other.name()),
                None => "a program".to_owned(),
            };
            c.at_key(
                format!("subject.{key}"),
                format!(
                    "`{key}` names the {key} of a {} scenario; this one is {this} scenario",
                    contract.name(),
                ),
                None,
            );
            continue;
        }
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            let fit = !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-');
            if !fit {
                c.at(
                    format!("subject.{key}[{i}]"),
                    format!("bad {} name `{name}`", singular(kind)),
                    Some("use letters, digits, `_` and `-`, e.g. `A` or `fork-1`".into()),
                );
            } else if !seen.insert(name.as_str()) {
                c.at(
                    format!("subject.{key}[{i}]"),
                    format!("{} `{name}` is named twice", singular(kind)),
                    Some(format!(
                        "each of `{key}` is a {} of its own",
                        singular(kind)
                    )),
                );
            }
        }
    }
}

/// The semaphores: in a lock scenario, each named once (not as a lock too), of size 1 or
/// more.
pub(super) fn check_semaphores(c: &mut Checker, s: &SubjectSpec) {
    if s.semaphores.is_empty() {
        return;
    }
    if s.contract != Some(ContractName::Lock) {
        c.at_key(
            "subject.semaphores",
            "`semaphores` go with the locks of a lock scenario",
            Some("write `contract: lock`".into()),
        );
        return;
    }
    for (name, size) in &s.semaphores {
        let path = format!("subject.semaphores.{name}");
        let fit = name
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-');
        if !fit || name.is_empty() {
            c.at_key(
                &path,
                format!("bad semaphore name `{name}`"),
                Some("use letters, digits, `_` and `-`, e.g. `seats`".into()),
            );
        } else if s.locks.contains(name) {
            c.at_key(
                &path,
                format!("`{name}` is a lock and a semaphore"),
                Some("steps name both with `lock:`: give them different names".into()),
            );
        }
        if *size == 0 {
            c.at(
                &path,
                "a semaphore of size 0 can never be acquired",
                Some("give the number of threads it lets in at once, e.g. `4`".into()),
            );
        }
    }
}

fn singular(kind: InstanceKind) -> &'static str {
    match kind {
        InstanceKind::Lock => "lock",
        InstanceKind::Queue => "queue",
    }
}

/// The lock or queue a step names exists; a step that names none is fine only when the
/// scenario has one.
fn check_instance(c: &mut Checker, path: &str, kind: &str, step: &Step, subject: &SubjectSpec) {
    if let Some((names, op)) = step.lock_list() {
        return check_lock_list(c, &format!("{path}.{op}"), names, subject);
    }
    let needs = match kind {
        "acquire" | "release" | "locked" | "with" => InstanceKind::Lock,
        "put" | "get" | "qsize" | "empty" | "full" | "close" => InstanceKind::Queue,
        _ => return,
    };
    let declared = subject.instances(needs);
    let known = match needs {
        InstanceKind::Lock => subject.lock_names(),
        InstanceKind::Queue => subject.queues.clone(),
    };
    let (key, what) = match needs {
        InstanceKind::Lock => ("lock", "locks"),
        InstanceKind::Queue => ("queue", "queues"),
    };
    match step.instance() {
        Some((_, name, at)) if declared.is_empty() && !known.iter().any(|k| k == name) => c.at(
            format!("{path}.{at}"),
            format!("this scenario has one {key}, with no name: `{key}: {name}` names nothing"),
            Some(format!(
                "declare them under `subject`, e.g. `{what}: [{name}, ...]`, or remove `{key}:`"
            )),
        ),
        Some((_, name, at)) if !known.iter().any(|d| d == name) => {
            let list = known.join(", ");
            let help = match suggest::nearest(name, known.iter().map(String::as_str)) {
                Some(n) => format!("did you mean `{n}`? the {what} are {list} (`subject.{what}`)"),
                None => format!("the {what} are {list} (`subject.{what}`)"),
            };
            c.at(
                format!("{path}.{at}"),
                format!("no {key} is called `{name}`"),
                Some(help),
            );
        }
        None if declared.len() > 1 => c.at_key(
            format!("{path}.{kind}"),
            format!(
                "this scenario has {} {what} ({}): say which one `{kind}` acts on",
                declared.len(),
                declared.join(", ")
            ),
            Some(format!("e.g. `{kind}: {{ {key}: {} }}`", declared[0])),
        ),
        _ => {}
    }
}

/// The locks of `acquire_all`, `release_all` and `acquire_or_back_off`: some, each once,
/// each declared.
fn check_lock_list(c: &mut Checker, path: &str, names: &[String], subject: &SubjectSpec) {
    let known = subject.lock_names();
    if names.is_empty() {
        c.at(
            path,
            "no locks: name the locks to take, e.g. `[A, B]`",
            None,
        );
    }
    let mut seen = BTreeSet::new();
    for (i, name) in names.iter().enumerate() {
        if known.is_empty() {
            c.at(
                format!("{path}[{i}]"),
                format!("this scenario has one lock, with no name: `{name}` names nothing"),
                Some("declare the locks under `subject`, e.g. `locks: [A, B]`".into()),
            );
            return;
        }
        if !known.iter().any(|k| k == name) {
            let list = known.join(", ");
            let help = match suggest::nearest(name, known.iter().map(String::as_str)) {
                Some(n) => format!("did you mean `{n}`? the locks are {list} (`subject.locks`)"),
                None => format!("the locks are {list} (`subject.locks`)"),
            };
            c.at(
                format!("{path}[{i}]"),
                format!("no lock is called `{name}`"),
                Some(help),
            );
        } else if !seen.insert(name.as_str()) {
            c.at(
                format!("{path}[{i}]"),
                format!("lock `{name}` is named twice"),
                Some("a thread takes a lock once".into()),
            );
        }
    }
}

fn check_expect(
    c: &mut Checker,
    path: &str,
    kind: &str,
    e: &Expect,
    labels: &BTreeMap<&str, (String, usize)>,
) {
    if matches!(kind, "sleep" | "await_waiters") {
        c.at_key(path, format!("a `{kind}` step has nothing to expect"), None);
        return;
    }
    if e.value.is_some() && e.error.is_some() {
        c.at_key(
            format!("{path}.error"),
            "expect either a `value` or an `error`, not both",
            None,
        );
    }
    if e.value.is_some()
        && matches!(
            kind,
            "put"
                | "close"
                | "set"
                | "set_clear"
                | "clear"
                | "release"
                | "with"
                | "leave"
                | "start"
                | "acquire_all"
                | "release_all"
                | "acquire_or_back_off"
        )
    {
        c.at_key(
            format!("{path}.value"),
            format!("`{kind}` returns no value"),
            Some("expect `error: ...`, or nothing (it must succeed)".into()),
        );
    }
    if e.error.is_some() && !matches!(kind, "put" | "get" | "release" | "with" | "release_all") {
        c.at_key(
            format!("{path}.error"),
            format!("`{kind}` cannot fail"),
            None,
        );
    }
    if e.after.is_some() && e.within.is_some() {
        c.at_key(
            format!("{path}.within"),
            "`after` already bounds the time (0.6x to 10x); remove `within`",
            None,
        );
    }
    for (key, d) in [("after", e.after), ("within", e.within)] {
        if d.is_some_and(|d| d.0.is_zero()) {
            c.at(
                format!("{path}.{key}"),
                format!("`{key}: 0s` can never hold"),
                None,
            );
        }
    }
    if e.class.is_some() && e.value.is_none() {
        c.at_key(
            format!("{path}.class"),
            "`class` names the failure class of a wrong `value`; this expect has no `value`",
            None,
        );
    }
    if let Some(l) = &e.not_before {
        if !labels.contains_key(l.as_str()) {
            let help = match suggest::nearest(l, labels.keys().copied()) {
                Some(n) => format!("did you mean `{n}`? a step gets a name with `label: NAME`"),
                None => "a step gets a name with `label: NAME`".to_owned(),
            };
            c.at(
                format!("{path}.not_before"),
                format!("no step is labelled `{l}`"),
                Some(help),
            );
        }
    }
    if let Some(level) = &e.level {
        check_level(c, &format!("{path}.level"), &level.0);
    }
}
