//! The checks made after deserialising: what serde cannot see (exactly one step kind, labels
//! that exist, claims in the catalogue, defined variables, ...). Each error is located
//! through the document's [`SourceMap`].

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use super::model::{Expect, Scenario, Step};
use super::source_map::SourceMap;
use super::{suggest, vars};
use crate::catalogue::Catalogue;
use crate::judge::class::Level;

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

struct Checker<'a> {
    catalogue: &'a Catalogue,
    map: &'a SourceMap,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, path: impl Into<String>, message: impl Into<String>, help: Option<String>) {
        self.problems.push(Problem {
            path: path.into(),
            at_key: false,
            message: message.into(),
            help,
        });
    }

    fn at_key(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            at_key: true,
            message: message.into(),
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
    let mut c = Checker {
        catalogue,
        map,
        problems: Vec::new(),
    };
    check_header(&mut c, s);
    check_subject(&mut c, s);
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

fn check_level(c: &mut Checker, path: &str, text: &str) {
    if vars::placeholders(text).is_empty() {
        if let Err(e) = Level::from_str(text) {
            c.at(path, e, None);
        }
    }
}

fn check_subject(c: &mut Checker, s: &Scenario) {
    let sub = &s.subject;
    match (&sub.contract, &sub.program) {
        (Some(_), Some(_)) => c.at("subject", "a subject is either a `contract` or a `program`, not both", None),
        (None, None) => c.at("subject", "the subject names neither a `contract` nor a `program`", Some("e.g. `subject: { contract: queue }` or `subject: { program: \"python3 server.py\" }`".into())),
        (Some(_), None) => {
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
            if let Some(i) = s.explore.iter().position(|e| *e != super::model::Explorer::Threads) {
                c.at(format!("explore[{i}]"), "only the `threads` explorer runs in this build (loom and shuttle arrive with the sync facade)", None);
            }
        }
        (None, Some(_)) => check_program(c, s),
    }
}

fn check_program(c: &mut Checker, s: &Scenario) {
    let sub = &s.subject;
    if !s.actors.is_empty() {
        c.at_key(
            "actors",
            "`actors` are for library subjects; a program scenario has `steps`",
            None,
        );
    }
    if sub.params.maxsize != 0 {
        c.at_key("subject.params", "`params` are for library subjects", None);
    }
    for (i, e) in s.explore.iter().enumerate() {
        if *e != super::model::Explorer::Threads {
            c.at(
                format!("explore[{i}]"),
                format!("`{e}` explores library subjects only; a program runs as it is"),
                None,
            );
        }
    }
    for path in sub.files.keys() {
        if !relative_inside(path) {
            c.at_key(
                format!("subject.files.{path}"),
                format!("fixture path `{path}` must stay inside the working directory"),
                Some("use a relative path without `..`, e.g. `static/index.html`".into()),
            );
        }
    }
    for (target, source) in &sub.mounts {
        if !target.starts_with('/') || target == "/" || target.split('/').any(|p| p == "..") {
            c.at_key(
                format!("subject.mounts.{target}"),
                format!("`{target}` must be an absolute path below `/`"),
                Some("e.g. `/home/tarena/FTP: ftp`".into()),
            );
        }
        if !relative_inside(source) {
            c.at(
                format!("subject.mounts.{target}"),
                format!("`{source}` must be a folder inside the working directory"),
                None,
            );
        }
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (i, srv) in sub.serve.iter().enumerate() {
        if !names.insert(srv.name.clone()) {
            c.at(
                format!("subject.serve[{i}].name"),
                format!("`{}` is used twice", srv.name),
                None,
            );
        }
    }
    for (i, step) in s.steps.iter().enumerate() {
        let path = format!("steps[{i}]");
        let kinds = step.kinds();
        match kinds.as_slice() {
            [_] => {}
            [] => {
                let list = super::model::ProgramStep::KINDS
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                c.at(
                    &path,
                    "a step with no action",
                    Some(format!("add one of {list}")),
                );
                continue;
            }
            [_, _, ..] => {
                let (first, second) = first_two_written(c, &path, &kinds);
                c.at_key(
                    format!("{path}.{second}"),
                    format!("a step does one thing; this one has `{first}` and `{second}`"),
                    Some("split it into two steps".into()),
                );
                continue;
            }
        }
        if let Some(l) = &step.level {
            check_level(c, &format!("{path}.level"), &l.0);
        }
        let uses: Vec<(&str, &str)> = [
            ("send", step.send.as_ref().map(|x| x.client.as_str())),
            ("recv", step.recv.as_ref().map(|x| x.client.as_str())),
            ("silent", step.silent.as_ref().map(|x| x.client.as_str())),
            ("close", step.close.as_ref().map(|x| x.client.as_str())),
        ]
        .into_iter()
        .filter_map(|(k, n)| Some((k, n?)))
        .collect();
        for (kind, name) in uses {
            if !names.contains(name) {
                let help = suggest::nearest(name, names.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"))
                    .or_else(|| Some("open it first with `connect: NAME`".into()));
                c.at(
                    format!("{path}.{kind}.client"),
                    format!("no client `{name}` is open at this step"),
                    help,
                );
            }
        }
        if let Some(a) = &step.accept {
            if !sub
                .serve
                .iter()
                .any(|s| s.name == a.server && s.proto == super::model::Proto::Tcp)
            {
                c.at(
                    format!("{path}.accept.server"),
                    format!("no TCP socket `{}` is opened by `subject.serve`", a.server),
                    None,
                );
            }
            names.insert(a.name.clone());
        }
        if let Some(conn) = &step.connect {
            names.insert(conn.client().to_owned());
        }
        if let Some(super::model::Until::Terminator(t)) =
            step.recv.as_ref().and_then(|r| r.until.as_ref())
        {
            if t.0.is_empty() {
                c.at(
                    format!("{path}.recv.until.terminator"),
                    "an empty terminator ends every read at once",
                    None,
                );
            }
        }
    }
}

/// The first two of several kinds of one step, in the order they are written.
fn first_two_written<'k>(c: &Checker, path: &str, kinds: &[&'k str]) -> (&'k str, &'k str) {
    let mut written = kinds.to_vec();
    written.sort_by_key(|k| c.map.key(&format!("{path}.{k}")));
    (written[0], written[1])
}

/// A relative path that stays inside its folder.
fn relative_inside(p: &str) -> bool {
    !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|part| part == "..")
}

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

fn check_actors(c: &mut Checker, s: &Scenario) {
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
            check_step(c, &path, step, &labels);
        }
    }
}

fn check_step(c: &mut Checker, path: &str, step: &Step, labels: &BTreeMap<&str, (String, usize)>) {
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
    if kind == "sleep" && step.label.is_some() {
        c.at_key(
            format!("{path}.label"),
            "a `sleep` cannot be labelled: `not_before` waits for a call to start",
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

fn check_expect(
    c: &mut Checker,
    path: &str,
    kind: &str,
    e: &Expect,
    labels: &BTreeMap<&str, (String, usize)>,
) {
    if kind == "sleep" {
        c.at_key(path, "a `sleep` step has nothing to expect", None);
        return;
    }
    if e.value.is_some() && e.error.is_some() {
        c.at_key(
            format!("{path}.error"),
            "expect either a `value` or an `error`, not both",
            None,
        );
    }
    if e.value.is_some() && matches!(kind, "put" | "close") {
        c.at_key(
            format!("{path}.value"),
            format!("`{kind}` returns no value"),
            Some("expect `error: ...`, or nothing (it must succeed)".into()),
        );
    }
    if e.error.is_some() && !matches!(kind, "put" | "get") {
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
                    super::model::Assertion::KINDS.join(", ")
                )),
            ),
            _ => c.at(&path, "an assertion has exactly one kind; split it", None),
        }
        let program_kind =
            a.cpu.is_some() || a.processes.is_some() || a.threads.is_some() || a.zombies.is_some();
        if program_kind && s.subject.program.is_none() {
            c.at(
                &path,
                "this assertion watches a program's processes; the subject is a library contract",
                None,
            );
        }
        if a.got_all.is_some() && s.subject.program.is_some() {
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
    for (at, text) in map
        .scalars
        .iter()
        .filter(|(at, _)| !map.verbatim.contains(at))
    {
        for (offset, name) in vars::placeholders(text) {
            if s.vars.contains_key(name) || given.contains(name) || vars::is_runtime(name) {
                continue;
            }
            let defined: Vec<&str> = s
                .vars
                .keys()
                .map(String::as_str)
                .chain(vars::RUNTIME.iter().copied())
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
    if let Err((name, message)) = vars::resolve(&s.vars) {
        out.push(Located {
            at: map.value(&format!("vars.{name}")),
            message,
            help: Some("a variable may use another, but not itself through others".into()),
        });
    }
    out
}
