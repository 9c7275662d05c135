//! Checks of program scenarios: fixtures, mounts, served sockets, steps and their clients.

use std::collections::BTreeSet;

use super::{check_level, first_two_written, Checker};
use crate::load::model::{Connect, Fixture, ProgramStep, Scenario, SubjectSpec};
use crate::load::suggest;

pub(super) fn check_program(c: &mut Checker, s: &Scenario) {
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
        if *e != crate::load::model::Explorer::Threads {
            c.at(
                format!("explore[{i}]"),
                format!("`{e}` explores library subjects only; a program runs as it is"),
                None,
            );
        }
    }
    for (i, step) in s.steps.iter().enumerate() {
        if let Some(Connect::Full(f)) = &step.connect {
            if f.count.is_some_and(|n| !(1..=65_536).contains(&n)) {
                c.at(
                    format!("steps[{i}].connect.count"),
                    "`count` opens from 1 to 65536 clients",
                    None,
                );
            }
        }
        let output = step.stdout.as_ref().or(step.stderr.as_ref());
        if output.and_then(|o| o.count) == Some(0) {
            let stream = if step.stdout.is_some() {
                "stdout"
            } else {
                "stderr"
            };
            c.at(
                format!("steps[{i}].{stream}.count"),
                "`count: 0` waits for no line and can never fail",
                Some("give 1 or more, or remove the step".into()),
            );
        }
        if let Some(t) = &step.tree {
            if t.processes.is_none() && t.threads.is_none() && t.zombies.is_none() {
                c.at(
                    format!("steps[{i}].tree"),
                    "a `tree` step that waits for nothing",
                    Some("give `processes`, `threads` or `zombies`".into()),
                );
            }
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
    // The clients open at each step: connected, accepted, or a UDP socket served (a TCP one
    // is a listener: its connections come from `accept`).
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut served = BTreeSet::new();
    for (i, srv) in sub.serve.iter().enumerate() {
        if !served.insert(srv.name.clone()) {
            c.at(
                format!("subject.serve[{i}].name"),
                format!("`{}` is used twice", srv.name),
                None,
            );
        }
        if srv.proto == crate::load::model::Proto::Udp {
            names.insert(srv.name.clone());
        }
    }
    let mut stdin_closed = false;
    for (i, step) in s.steps.iter().enumerate() {
        let path = format!("steps[{i}]");
        if step.stdin.is_some() && stdin_closed {
            c.at_key(
                format!("{path}.stdin"),
                "the program's stdin was closed by an earlier `close_stdin`",
                None,
            );
        }
        stdin_closed |= step.close_stdin.is_some();
        let kinds = step.kinds();
        match kinds.as_slice() {
            [_] => {}
            [] => {
                let list = crate::load::model::ProgramStep::KINDS
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
                .any(|s| s.name == a.server && s.proto == crate::load::model::Proto::Tcp)
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
            match conn {
                // Bounded above (checked before): the names are not a memory hazard.
                Connect::Full(f) if f.count.is_some_and(|n| n <= 65_536) => {
                    let count = f.count.unwrap_or_default();
                    names.extend((0..count).map(|i| format!("{}{i}", f.client)));
                }
                _ => {
                    names.insert(conn.client().to_owned());
                }
            }
        }
        // A client closed for good cannot be used again (a half-closed one can still read).
        let closed = [
            step.close.as_ref().map(|x| (x.client.as_str(), x.how)),
            step.send
                .as_ref()
                .and_then(|x| Some((x.client.as_str(), x.then_close?))),
        ];
        for (name, how) in closed.into_iter().flatten() {
            if how != crate::load::model::CloseHow::Half {
                names.remove(name);
            }
        }
        check_files_used(c, &path, step, sub);
        if let Some(crate::load::model::Until::Terminator(t)) =
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

/// The fixtures a step sends or compares with are declared, and a `file` step checks
/// something of a path inside the working directory.
fn check_files_used(c: &mut Checker, path: &str, step: &ProgramStep, sub: &SubjectSpec) {
    let mut named: Vec<(String, &str)> = Vec::new();
    if let Some(sd) = &step.send {
        match (&sd.data, &sd.file) {
            (Some(_), Some(_)) => c.at_key(
                format!("{path}.send.file"),
                "a send takes `data` or `file`, not both",
                None,
            ),
            (None, None) => c.at(
                format!("{path}.send"),
                "a send needs `data` (the bytes) or `file` (a fixture's bytes)",
                None,
            ),
            (None, Some(f)) => named.push((format!("{path}.send.file"), f)),
            _ => {}
        }
    }
    if let Some(r) = &step.recv {
        for f in r.matcher.files() {
            named.push((format!("{path}.recv.match"), f));
        }
    }
    if let Some(f) = &step.file {
        if !relative_inside(&f.path) {
            c.at(
                format!("{path}.file.path"),
                format!("`{}` must stay inside the working directory", f.path),
                Some("use a relative path without `..`".into()),
            );
        }
        if f.exists.is_none() && f.same_as.is_none() && !f.unchanged && f.matcher.is_none() {
            c.at(
                format!("{path}.file"),
                "a `file` step that checks nothing",
                Some("give `exists`, `same_as`, `unchanged` or `match`".into()),
            );
        }
        if f.exists == Some(false) && (f.same_as.is_some() || f.unchanged || f.matcher.is_some()) {
            c.at(
                format!("{path}.file.exists"),
                "`exists: false` cannot go with a check of the file's bytes",
                None,
            );
        }
        if let Some(p) = &f.same_as {
            named.push((format!("{path}.file.same_as"), p));
        }
        if f.unchanged {
            named.push((format!("{path}.file.unchanged"), &f.path));
        }
        for m in f.matcher.iter().flat_map(|m| m.files()) {
            named.push((format!("{path}.file.match"), m));
        }
    }
    for (at, name) in named {
        let declared = sub.files.get(name);
        if declared.is_none_or(|f| matches!(f, Fixture::Dir { .. })) {
            let help = suggest::nearest(name, sub.files.keys().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .or_else(|| {
                    Some(format!(
                        "declare it in `subject.files`: `{name}: {{ size: 1024 }}`"
                    ))
                });
            c.at(
                at,
                format!("no fixture file `{name}` in `subject.files`"),
                help,
            );
        }
    }
}

/// A relative path that stays inside its folder.
fn relative_inside(p: &str) -> bool {
    !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|part| part == "..")
}
