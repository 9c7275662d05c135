//! The terminal view: one line per trial, then a digest of what went wrong, then the counts.
//! Colour only when writing to a terminal.

use std::fmt::Write;

use super::RunReport;
use crate::judge::class::{FailureClass, Outcome};
use crate::plan::Expectation;
use crate::run::TrialResult;

/// ANSI colours, or nothing.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn good(self, t: &str) -> String {
        self.paint("32", t)
    }
    fn bad(self, t: &str) -> String {
        self.paint("31;1", t)
    }
    fn dim(self, t: &str) -> String {
        self.paint("2", t)
    }
}

/// The status word of a trial: PASS / FAIL for judged subjects, CAUGHT / MISSED for mutants.
pub fn status(t: &TrialResult, style: Style) -> String {
    let word = match (t.expect, t.met, t.verdict.outcome) {
        (Expectation::Caught(_), true, _) => "CAUGHT",
        (Expectation::Caught(_), false, _) => "MISSED",
        (_, _, Outcome::Pass) => "PASS",
        (_, _, Outcome::NonStrict) => "NON-STRICT",
        (_, _, Outcome::Informational) => "INFO",
        (_, _, Outcome::Skipped) => "SKIP",
        (_, _, Outcome::Error) => "ERROR",
        (_, _, Outcome::Fail) => "FAIL",
    };
    let padded = format!("{word:>10}");
    if t.met {
        style.good(&padded)
    } else {
        style.bad(&padded)
    }
}

/// One line for a finished trial.
pub fn line(t: &TrialResult, style: Style) -> String {
    let class = t
        .verdict
        .class
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    format!(
        "{} {}{} {}",
        status(t, style),
        t.name,
        class,
        style.dim(&format!("{}ms", t.duration_ms))
    )
}

/// The digest of trials that did not show what they must, and the counts.
pub fn summary(report: &RunReport, style: Style) -> String {
    let mut out = String::new();
    let bad: Vec<&TrialResult> = report.trials.iter().filter(|t| !t.met).collect();
    if !bad.is_empty() {
        let _ = writeln!(out, "\n{}", style.bad("What went wrong:"));
    }
    for t in &bad {
        let _ = writeln!(out, "\n{} {}", status(t, style), t.name);
        let _ = writeln!(out, "    must {}; was {}", t.expect, t.verdict.outcome);
        let _ = writeln!(out, "    {}", t.verdict.summary);
        for c in t.verdict.checks.iter().filter(|c| !c.passed).take(8) {
            let class = c.class.map(|c| format!(" ({c})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    - {} [{}]{class}\n        expected: {}\n        observed: {}",
                c.name, c.level, c.expected, c.observed
            );
        }
        if !t.verdict.explanation.is_empty() {
            let deadlocked = t.verdict.classes().contains(&FailureClass::Deadlock);
            let why = if deadlocked {
                "why it deadlocked"
            } else {
                "why it can deadlock"
            };
            let _ = writeln!(out, "    {why}:");
            for l in &t.verdict.explanation {
                let _ = writeln!(out, "      {l}");
            }
        }
        let steps = interleaving(t);
        if !steps.is_empty() {
            let _ = writeln!(out, "    the failing interleaving, step by step:");
            for l in steps {
                let _ = writeln!(out, "      {l}");
            }
        }
        let happened = timeline(t);
        if !happened.is_empty() {
            let _ = writeln!(
                out,
                "    what the program did, in time (processes from /proc, its output):"
            );
            for l in happened {
                let _ = writeln!(out, "      {l}");
            }
        }
        if !t.verdict.stderr_tail.trim().is_empty() {
            let tail: Vec<&str> = t.verdict.stderr_tail.lines().rev().take(5).collect();
            let _ = writeln!(out, "    stderr (last lines):");
            for l in tail.into_iter().rev() {
                let _ = writeln!(out, "      | {l}");
            }
        }
    }
    // SHOULD checks that failed do not fail the trial, but a student wants to know which.
    let weak: Vec<&TrialResult> = report
        .trials
        .iter()
        .filter(|t| t.met && t.verdict.outcome == Outcome::NonStrict)
        .collect();
    if !weak.is_empty() {
        let _ = writeln!(out, "\nCould be better (SHOULD checks that failed):");
    }
    for t in weak.iter().take(20) {
        let _ = writeln!(out, "\n{} {}", status(t, style), t.name);
        for c in t.verdict.checks.iter().filter(|c| !c.passed).take(4) {
            let class = c.class.map(|c| format!(" ({c})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    - {} [{}]{class}\n        expected: {}\n        observed: {}",
                c.name, c.level, c.expected, c.observed
            );
        }
    }
    if weak.len() > 20 {
        let _ = writeln!(out, "\n... and {} more (see report.html)", weak.len() - 20);
    }
    // A deadlock a reference showed on purpose (a scenario that demonstrates one) is the
    // point of its scenario: say why, although the trial showed what it must.
    let shown: Vec<&TrialResult> = report
        .trials
        .iter()
        .filter(|t| t.met && !t.verdict.explanation.is_empty() && !t.subject.starts_with("mutant:"))
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "\nDeadlocks (or lock orders that can deadlock) found, as the scenarios demonstrate:"
        );
    }
    for t in shown {
        let _ = writeln!(out, "  {}", t.name);
        for l in &t.verdict.explanation {
            let _ = writeln!(out, "    {l}");
        }
    }
    // What a target looked like from /proc, for a student who did not say (or knows).
    for t in report.trials.iter().filter(|t| t.subject == "target") {
        for c in t.verdict.checks.iter().filter(|c| c.name == "mechanism") {
            let _ = writeln!(out, "{} {}", style.dim("seen:"), c.observed);
        }
    }
    // What the run could not do as asked (no namespace, no cgroup), said once.
    let mut notes: Vec<&str> = report
        .trials
        .iter()
        .flat_map(|t| &t.verdict.evidence.events)
        .filter_map(|e| match &e.kind {
            crate::evidence::EventKind::Note { text } if !text.starts_with("ready:") => {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect();
    notes.sort_unstable();
    notes.dedup();
    for n in notes {
        let _ = writeln!(out, "{} {n}", style.dim("note:"));
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let _ = writeln!(
        out,
        "\n{} trials: {}",
        report.trials.len(),
        counts.join(", ")
    );
    if report.references.total > 0 {
        let _ = writeln!(
            out,
            "references and programs that must pass (or show what they demonstrate): {} of {} did",
            report.references.met, report.references.total
        );
    }
    if report.mutants.total > 0 {
        let _ = writeln!(
            out,
            "mutation score: {} of {} mutant trials caught",
            report.mutants.met, report.mutants.total
        );
    }
    let met = report.trials.iter().filter(|t| t.met).count();
    let _ = writeln!(out, "{met} passed, {} failed", report.trials.len() - met);
    out
}

/// Under a checker, the failing execution's calls in the order they happened, one line each:
/// `3 consumer  get() -> "b"`. Empty for other trials.
/// A program trial's processes (born, adopted, zombie, reaped, gone) and output lines, in
/// time order, for a process demo that went wrong; the first 40.
fn timeline(t: &TrialResult) -> Vec<String> {
    use crate::evidence::EventKind;
    let events = &t.verdict.evidence.events;
    if !events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Process { .. }))
    {
        return Vec::new();
    }
    let mut lines: Vec<(u64, String)> = events
        .iter()
        .filter_map(|e| {
            let what = match &e.kind {
                EventKind::Process { pid, what, detail } if detail.is_empty() => {
                    format!("pid {pid} {what}")
                }
                EventKind::Process { pid, what, detail } => format!("pid {pid} {what}: {detail}"),
                EventKind::Reaped { pid, exit } => format!("pid {pid} reaped: {exit}"),
                EventKind::Output { stream, text } => {
                    format!("{stream} {}", crate::matcher::visible(text.as_bytes()))
                }
                _ => return None,
            };
            Some((e.at_us, what))
        })
        .collect();
    lines.sort_by_key(|(at, _)| *at);
    let total = lines.len();
    let mut shown: Vec<String> = lines
        .into_iter()
        .take(40)
        .map(|(at, what)| format!("{:>8.3}s  {what}", at as f64 / 1e6))
        .collect();
    if total > 40 {
        shown.push(format!(
            "... and {} more (all of it in --format json)",
            total - 40
        ));
    }
    shown
}

fn interleaving(t: &TrialResult) -> Vec<String> {
    use crate::evidence::EventKind;
    let events = &t.verdict.evidence.events;
    if !events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Explored { .. }))
    {
        return Vec::new();
    }
    let width = events.iter().map(|e| e.actor.len()).max().unwrap_or(0);
    events
        .iter()
        .filter_map(|e| {
            let what = match &e.kind {
                EventKind::Call { call, .. } => format!("calls {call}"),
                EventKind::Returned { value: Some(v), .. } => {
                    format!("  returns {}", crate::matcher::visible(v.as_bytes()))
                }
                EventKind::Returned { value: None, .. } => "  returns".to_owned(),
                EventKind::Failed { error, .. } => format!("  fails: {error}"),
                _ => return None,
            };
            Some(format!("{:>3} {:<width$}  {what}", e.at_us, e.actor))
        })
        .collect()
}
