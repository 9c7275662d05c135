//! `conform explain SCENARIO-ID` and `conform explain CLASS`: what a scenario checks and
//! why a program fails it, or what a failure class means and what usually causes it, in
//! plain words for a student looking at a verdict.

use std::fmt::Write;
use std::str::FromStr;

use conform_impls::registry;

use crate::catalogue::Catalogue;
use crate::judge::class::FailureClass;
use crate::load::model::Scenario;
use crate::load::Loaded;

/// The failure classes page: its table has one row per class (meaning, usual causes, where).
const CLASSES_DOC: &str = include_str!("../../docs/failure-classes.md");

/// The text for `what` (a scenario id or a class name), or why there is none.
pub fn explain(what: &str, scenarios: &[Loaded], catalogue: &Catalogue) -> Result<String, String> {
    if let Some(l) = scenarios.iter().find(|l| l.scenario.id == what) {
        return Ok(scenario(l, catalogue));
    }
    if let Ok(class) = FailureClass::from_str(what) {
        return Ok(class_text(class, scenarios));
    }
    let ids = scenarios.iter().map(|l| l.scenario.id.as_str());
    let classes = FailureClass::ALL.iter().map(|c| c.name());
    let hint = crate::load::suggest::nearest(what, ids.chain(classes))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "`{what}` is neither a scenario id (see `conform list`) nor a failure class{hint}"
    ))
}

fn scenario(l: &Loaded, catalogue: &Catalogue) -> String {
    let s = &l.scenario;
    let mut out = format!("{}  ({})\n{}\n", s.id, l.file.display(), s.title);
    if let Some(d) = &s.description {
        let _ = writeln!(out, "\n{}", d.trim());
    }
    let _ = writeln!(out, "\nThe course says:");
    for id in &s.claims {
        match catalogue.claims.iter().find(|c| &c.id == id) {
            Some(c) => {
                let _ = writeln!(out, "  {id}: {}\n      {}", c.text, c.course);
            }
            None => {
                let _ = writeln!(out, "  {id}");
            }
        }
    }
    let _ = writeln!(out, "\nWhat it runs: {}", subject(s));
    let _ = writeln!(out, "\nWhat it checks:");
    for line in checks(s) {
        let _ = writeln!(out, "  - {line}");
    }
    let caught = caught_by(&s.id);
    if !caught.is_empty() {
        let _ = writeln!(
            out,
            "\nWhy a program fails it (the broken versions it catches):"
        );
        for (name, about, class) in caught {
            let _ = writeln!(out, "  - {about} ({name}): {class}");
        }
    }
    let file = l.file.display();
    if s.subject.contract.is_some() {
        let _ = writeln!(
            out,
            "\nRun it on your own {0}: conform run {file} --adapter 'python3 my_adapter.py' \
             (docs/adapter.md), or from your cargo test with conform::check (docs/check-your-own.md)",
            s.subject.contract.map_or("", |c| c.name())
        );
    } else {
        let model = if crate::plan::applies_to_any_server(&s.subject.models) {
            ""
        } else {
            " --model MODEL"
        };
        let _ = writeln!(
            out,
            "\nRun it: conform run {file} --target 'YOUR COMMAND'{model}"
        );
    }
    out
}

fn subject(s: &Scenario) -> String {
    let sub = &s.subject;
    if let Some(c) = sub.contract {
        return format!("a {} (library contract), in named threads", c.name());
    }
    let models: Vec<&str> = sub.models.iter().map(|m| m.name()).collect();
    match (&sub.program, models.is_empty()) {
        (Some(p), true) => format!("the program `{}`, or yours with --target", p.0),
        (_, false) => format!(
            "a server of model {} (the references, or yours with --target and --model)",
            models.join(", ")
        ),
        (None, true) => "nothing".into(),
    }
}

/// One line per step or actor step, and per assertion: the YAML's own keys, briefly.
fn checks(s: &Scenario) -> Vec<String> {
    let mut lines = Vec::new();
    for (actor, steps) in &s.actors {
        let kinds: Vec<&str> = steps.iter().flat_map(|st| st.kinds()).collect();
        lines.push(format!("actor {actor}: {}", kinds.join(", ")));
    }
    for (i, st) in s.steps.iter().enumerate() {
        let yaml = serde_yaml::to_string(st).unwrap_or_default();
        lines.push(format!("step {}: {}", i + 1, one_line(&yaml)));
    }
    for a in &s.asserts {
        let yaml = serde_yaml::to_string(a).unwrap_or_default();
        lines.push(format!("assert {}", one_line(&yaml)));
    }
    lines
}

fn one_line(yaml: &str) -> String {
    yaml.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The subjects that must fail `id`: name, what is wrong with them, the class.
fn caught_by(id: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    let library = registry::subjects()
        .iter()
        .flat_map(|s| s.caught_by.iter().map(move |c| (s.name, s.about, c)));
    let programs = registry::program_subjects()
        .iter()
        .flat_map(|p| p.caught_by.iter().map(move |c| (p.name, p.about, c)));
    let mut found: Vec<_> = library
        .chain(programs)
        .filter(|(_, _, c)| c.scenario == id)
        .map(|(n, a, c)| (n, a, c.class))
        .collect();
    found.dedup_by_key(|(n, _, _)| *n);
    found
}

fn class_text(class: FailureClass, scenarios: &[Loaded]) -> String {
    let mut out = format!("{class}: {}\n", class.about());
    if let Some(row) = doc_row(class.name()) {
        let cells: Vec<&str> = row.split(" | ").map(str::trim).collect();
        let headings = [
            "",
            "What it means",
            "What usually causes it",
            "Which checks give it",
        ];
        for (heading, cell) in headings.iter().zip(&cells).skip(1) {
            let cell = cell.trim_end_matches('|').trim();
            if !cell.is_empty() {
                let _ = writeln!(out, "\n{heading}:\n  {cell}");
            }
        }
    }
    let examples: Vec<String> = scenarios
        .iter()
        .flat_map(|l| {
            caught_by(&l.scenario.id)
                .into_iter()
                .filter(|(_, _, c)| *c == class.name())
                .map(|(n, a, _)| format!("  - {}: {a} ({n})", l.scenario.id))
                .collect::<Vec<_>>()
        })
        .take(8)
        .collect();
    if !examples.is_empty() {
        let _ = writeln!(out, "\nScenarios that report it for a known bug:");
        for e in examples {
            let _ = writeln!(out, "{e}");
        }
    }
    let _ = writeln!(out, "\nMore: docs/failure-classes.md");
    out
}

/// The row of the classes table for `name`, without its leading `| `.
fn doc_row(name: &str) -> Option<&'static str> {
    let start = format!("| `{name}` |");
    CLASSES_DOC
        .lines()
        .find(|l| l.starts_with(&start))
        .map(|l| l.trim_start_matches('|').trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_a_row_in_the_docs() {
        for c in FailureClass::ALL {
            assert!(
                doc_row(c.name()).is_some(),
                "{c} has no row in failure-classes.md"
            );
        }
    }
}
