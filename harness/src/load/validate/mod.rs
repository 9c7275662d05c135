//! The checks made after deserialising: what serde cannot see (exactly one step kind, labels
//! that exist, claims in the catalogue, defined variables, ...). Each error is located
//! through the document's [`SourceMap`].

use std::collections::BTreeSet;
use std::str::FromStr;

mod library;
mod program;

use super::source_map::SourceMap;
use super::{suggest, vars};
use crate::catalogue::Catalogue;
use crate::judge::class::Level;
use crate::load::model::Scenario;
use library::{check_actors, check_instance_names, check_semaphores};
use program::check_program;

/// A problem found after deserialising, at a path of the document.
#[derive(Debug)]
pub struct Problem {
    /// Where: a path such as `actors.consumer[0].expect`; `key:` prefix means the key itself.
    pub path: String,
    /// Whether to point at the key rather than the value.
    pub at_key: bool,
    pub message: String,
    pub help: Option<String>,
}

/// A problem located at a byte offset.
pub struct Located {
    pub at: usize,
    pub message: String,
    pub help: Option<String>,
}

pub(super) struct Checker<'a> {
    catalogue: &'a Catalogue,
    pub(super) map: &'a SourceMap,
    problems: Vec<Problem>,
    /// The scenario's variables, resolved, less those `--var` (or a profile) sets: what a
    /// `level: "{name}"` is known to be when the file is read.
    known_vars: std::collections::BTreeMap<String, String>,
}

impl Checker<'_> {
    /// A problem with the value at `path`.
    pub(super) fn at(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(path.into(), false, message.into(), help);
    }

    /// A problem with the key that names `path`.
    pub(super) fn at_key(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(path.into(), true, message.into(), help);
    }

    fn push(&mut self, path: String, at_key: bool, message: String, help: Option<String>) {
        self.problems.push(Problem {
            path,
            at_key,
            message,
            help,
        });
    }
}

/// Checks one scenario; `map` locates the problems; `vars_given` are `--var` names.
pub fn check(
    s: &Scenario,
    map: &SourceMap,
    catalogue: &Catalogue,
    vars_given: &BTreeSet<String>,
) -> Vec<Located> {
    let mut known_vars = vars::resolve(&s.vars).unwrap_or_default();
    known_vars.retain(|name, _| !vars_given.contains(name));
    let mut c = Checker {
        catalogue,
        map,
        problems: Vec::new(),
        known_vars,
    };
    check_header(&mut c, s);
    check_subject(&mut c, s);
    check_instance_names(&mut c, &s.subject);
    check_semaphores(&mut c, &s.subject);
    check_actors(&mut c, s);
    check_asserts(&mut c, s);
    let mut located: Vec<Located> = c
        .problems
        .into_iter()
        .map(|p| Located {
            at: if p.at_key {
                map.key(&p.path)
            } else {
                map.value(&p.path)
            },
            message: p.message,
            help: p.help,
        })
        .collect();
    located.extend(check_variables(s, map, vars_given));
    located.sort_by_key(|l| l.at);
    located
}

fn check_header(c: &mut Checker, s: &Scenario) {
    if s.demonstrates.is_some() {
        if s.subject.is_program() {
            c.at_key(
                "demonstrates",
                "`demonstrates` is for library scenarios explored by loom and shuttle",
                None,
            );
        } else if (s.explore.contains(&crate::load::model::Explorer::Threads) || s.explore.is_empty())
            // A cycle of lock orders shows in any run that takes the locks, whatever the
            // interleaving: not luck.
            && s.demonstrates != Some(crate::judge::class::FailureClass::LockOrder)
        {
            c.at_key("demonstrates", "a hazard shows on real threads only by luck: a scenario that `demonstrates` one runs under `loom` and `shuttle` only", Some("write `explore: [loom, shuttle]`".into()));
        }
    }
    if s.budget.iterations == Some(0) {
        c.at(
            "budget.iterations",
            "`iterations: 0` explores nothing",
            Some("give at least 1 (the default is 1000)".into()),
        );
    }
    if s.budget.preemptions.is_some_and(|p| p > 5) {
        c.at(
            "budget.preemptions",
            "more than 5 preemptions: loom would not finish",
            Some("2 or 3 find most bugs".into()),
        );
    }
    if s.subject.is_program() && s.budget != crate::load::model::Budget::default() {
        c.at_key("budget", "`budget` is for loom and shuttle, which explore library subjects; a program runs as it is", None);
    }
    let id_ok =
        s.id.chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_lowercase())
            && s.id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "-.".contains(ch));
    if !id_ok {
        c.at(
            "id",
            format!("bad scenario id `{}`", s.id),
            Some(
                "expected lower-case words joined by `.` and `-`, e.g. `queue.get-timeout`".into(),
            ),
        );
    }
    if s.title.trim().is_empty() {
        c.at_key(
            "title",
            "empty title",
            Some("say in one line what the scenario shows".into()),
        );
    }
    if s.claims.is_empty() {
        c.at(
            "claims",
            "no claims: every scenario names the claims it checks",
            Some("e.g. `claims: [queue.fifo]`; `conform claims` lists them".into()),
        );
    }
    for (i, claim) in s.claims.iter().enumerate() {
        if c.catalogue.get(claim).is_none() {
            let help = match suggest::nearest(claim, c.catalogue.ids()) {
                Some(n) => format!("did you mean `{n}`? `conform claims` lists every claim"),
                None => "`conform claims` lists every claim".to_owned(),
            };
            c.at(
                format!("claims[{i}]"),
                format!("unknown claim `{claim}`"),
                Some(help),
            );
        }
    }
    if s.timeout.is_some_and(|t| t.0.is_zero()) {
        c.at(
            "timeout",
            "a zero timeout leaves no time to run",
            Some("e.g. `timeout: 30s`".into()),
        );
    }
    if let Some(level) = &s.level {
        check_level(c, "level", &level.0);
    }
    if s.explore.is_empty() {
        c.at(
            "explore",
            "no explorer: the scenario would never run",
            Some("remove `explore` (the default is `[threads]`) or name one".into()),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, e) in s.explore.iter().enumerate() {
        if !seen.insert(e) {
            c.at(
                format!("explore[{i}]"),
                format!("explorer `{e}` is listed twice"),
                None,
            );
        }
    }
}

/// A level, written out or made of the scenario's variables (one that `--var` sets is
/// checked when the trials are planned).
pub(super) fn check_level(c: &mut Checker, path: &str, text: &str) {
    let names = vars::placeholders(text);
    if names.is_empty() {
        if let Err(e) = Level::from_str(text) {
            c.at(path, e, None);
        }
    } else if names.iter().all(|(_, n)| c.known_vars.contains_key(*n)) {
        let filled = vars::fill(text, &|n| c.known_vars.get(n).cloned());
        if let Err(e) = Level::from_str(&filled) {
            c.at(
                path,
                format!("level `{text}` is `{filled}` with the scenario's `vars`: {e}"),
                Some("set the variable to `MUST`, `SHOULD` or `INFO`".into()),
            );
        }
    }
}

fn check_subject(c: &mut Checker, s: &Scenario) {
    let sub = &s.subject;
    match (&sub.contract, sub.is_program()) {
        (Some(_), true) => c.at("subject", "a subject is either a `contract` or a `program` (or server `models`), not both", None),
        (None, false) => c.at("subject", "the subject names neither a `contract` nor a `program` (or server `models`)", Some("e.g. `subject: { contract: queue }`, `subject: { program: \"python3 server.py\" }` or `subject: { models: [select, poll] }`".into())),
        (Some(_), false) => {
            if s.actors.is_empty() {
                c.at("subject", "a library scenario needs `actors`: named threads, each a list of steps", None);
            }
            for key in ["files", "mounts", "serve", "ready", "limits"] {
                let used = match key {
                    "files" => !sub.files.is_empty(),
                    "mounts" => !sub.mounts.is_empty(),
                    "serve" => !sub.serve.is_empty(),
                    "ready" => sub.ready.is_some(),
                    _ => sub.limits != Default::default(),
                };
                if used {
                    c.at_key(format!("subject.{key}"), format!("`{key}` is for program subjects; this one is a `contract`"), None);
                }
            }
            if !s.steps.is_empty() {
                c.at_key("steps", "`steps` are for program subjects; a library scenario has `actors`", None);
            }
            if sub.params.maxsize != 0 && sub.contract != Some(crate::load::model::ContractName::Queue) {
                c.at_key("subject.params.maxsize", "`maxsize` is a queue's parameter", None);
            }
            // loom runs at most 5 threads: the main one and four actors.
            if s.explore.contains(&crate::load::model::Explorer::Loom) && s.actors.len() > 4 {
                c.at("actors", format!("loom explores at most 4 actors; this scenario has {}", s.actors.len()), Some("remove `loom` from `explore`, or use fewer actors".into()));
            }
        }
        (None, true) => check_program(c, s),
    }
}

/// The first two of several kinds of one step, in the order they are written.
pub(super) fn first_two_written<'k>(
    c: &Checker,
    path: &str,
    kinds: &[&'k str],
) -> (&'k str, &'k str) {
    let mut written = kinds.to_vec();
    written.sort_by_key(|k| c.map.key(&format!("{path}.{k}")));
    (written[0], written[1])
}

fn check_asserts(c: &mut Checker, s: &Scenario) {
    for (i, a) in s.asserts.iter().enumerate() {
        let path = format!("assert[{i}]");
        match a.kinds().len() {
            1 => {}
            0 => c.at(
                &path,
                "an assertion with no kind",
                Some(format!(
                    "add one of {}",
                    crate::load::model::Assertion::KINDS.join(", ")
                )),
            ),
            _ => c.at(&path, "an assertion has exactly one kind; split it", None),
        }
        let program_kind = !matches!(a.kinds().as_slice(), ["got_all" | "counter" | "lock_order"]);
        if program_kind && !s.subject.is_program() {
            c.at(
                &path,
                "this assertion watches a program's processes; the subject is a library contract",
                None,
            );
        }
        if a.counter.is_some() && s.subject.is_program() {
            c.at(
                &path,
                "`counter` checks the library actors' `bump` steps; the subject is a program",
                None,
            );
        }
        let bumps = s.actors.values().flatten().any(|st| st.bump.is_some());
        if a.counter.is_some() && !s.subject.is_program() && !bumps {
            c.at(
                format!("{path}.counter"),
                "no actor has a `bump` step, so the counter never changes",
                Some("add `- bump:` steps, or remove the assertion".into()),
            );
        }
        if a.lock_order.is_some() && s.subject.is_program() {
            c.at(
                &path,
                "`lock_order` watches the locks of a library subject built on the sync facade; the subject is a program",
                None,
            );
        }
        if a.got_all.is_some() && s.subject.is_program() {
            c.at(
                &path,
                "`got_all` checks library actors; the subject is a program",
                None,
            );
        }
        if let Some(z) = &a.zombies {
            if z.max_age.is_some() == z.seen.is_some() {
                c.at(
                    format!("{path}.zombies"),
                    "say either `max_age: DURATION` or `seen: true`",
                    None,
                );
            }
        }
        if let Some(b) = a.processes.as_ref().or(a.threads.as_ref()) {
            if b.min.is_none() && b.max.is_none() {
                c.at(&path, "give `min`, `max` or both", None);
            }
        }
        if let Some(g) = &a.got_all {
            for (key, names) in [("from", &g.from), ("by", &g.by)] {
                for (j, name) in names.iter().enumerate() {
                    if !s.actors.contains_key(name) {
                        let help = suggest::nearest(name, s.actors.keys().map(String::as_str))
                            .map(|n| format!("did you mean `{n}`?"));
                        c.at(
                            format!("{path}.got_all.{key}[{j}]"),
                            format!("no actor is called `{name}`"),
                            help,
                        );
                    }
                }
            }
        }
        if let Some(level) = &a.level {
            check_level(c, &format!("{path}.level"), &level.0);
        }
    }
}

/// Every `{name}` in the document is a variable of the scenario, a `--var`, or a run-time
/// name; variables that refer to each other must not form a cycle.
fn check_variables(s: &Scenario, map: &SourceMap, given: &BTreeSet<String>) -> Vec<Located> {
    let mut out = Vec::new();
    // A regex's named group, `(?P<child>...)`, defines `{child}` for the rest of the run.
    let captures: BTreeSet<&str> = map
        .scalars
        .iter()
        .map(|(_, t)| t)
        .flat_map(|t| t.split("(?P<").skip(1).chain(t.split("(?<").skip(1)))
        .filter_map(|rest| rest.split_once('>').map(|(name, _)| name))
        .filter(|name| vars::is_name(name))
        .collect();
    for (at, text) in map
        .scalars
        .iter()
        .filter(|(at, _)| !map.verbatim.contains(at))
    {
        for (offset, name) in vars::placeholders(text) {
            if s.vars.contains_key(name)
                || given.contains(name)
                || vars::is_runtime(name)
                || captures.contains(name)
            {
                continue;
            }
            let defined: Vec<&str> = s
                .vars
                .keys()
                .map(String::as_str)
                .chain(vars::RUNTIME.iter().copied())
                .chain(captures.iter().copied())
                .collect();
            let help = match suggest::nearest(name, defined.iter().copied()) {
                Some(n) => format!("did you mean `{{{n}}}`? define it under `vars:` or pass `--var {name}=VALUE`"),
                None => format!("define it under `vars:` or pass `--var {name}=VALUE`; `{{{{` writes a literal brace"),
            };
            // A quoted scalar's text starts one byte after its mark.
            let text_at = at + usize::from(map.quoted.contains(at));
            out.push(Located {
                at: text_at + offset,
                message: format!("undefined variable `{{{name}}}`"),
                help: Some(help),
            });
        }
    }
    // `only_if` and `distinct` name a variable and a capture without braces.
    for name in s.only_if.keys() {
        if !s.vars.contains_key(name) && !given.contains(name) && !vars::is_runtime(name) {
            out.push(Located {
                at: map.key(&format!("only_if.{name}")),
                message: format!("`only_if` names `{name}`, which is not a variable"),
                help: Some("define it under `vars:`".into()),
            });
        }
    }
    for (i, a) in s.asserts.iter().enumerate() {
        if let Some(d) = a
            .distinct
            .as_ref()
            .filter(|d| !captures.contains(d.capture.as_str()))
        {
            out.push(Located {
                at: map.value(&format!("assert[{i}].distinct.capture")),
                message: format!("no regex of this scenario captures `{}`", d.capture),
                help: Some("name a group: `(?P<NAME>...)` in a `stdout` step".into()),
            });
        }
    }
    if let Err((name, message)) = vars::resolve(&s.vars) {
        out.push(Located {
            at: map.value(&format!("vars.{name}")),
            message,
            help: Some("a variable may use another, but not itself through others".into()),
        });
    }
    out
}
