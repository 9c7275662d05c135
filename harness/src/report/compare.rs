//! `conform report --compare OLD NEW`: what changed between two runs' results, trial by
//! trial (matched by name): what newly fails, what newly passes, what got slower, and the
//! trials only one of the runs has.

use std::fmt::Write;

use super::human::{status, Style};
use super::RunReport;
use crate::run::TrialResult;

/// A trial is slower when it took more than this many times as long...
pub const SLOWER_RATIO: f64 = 1.5;
/// ...and more than this much longer (a 2ms trial taking 4ms is noise).
pub const SLOWER_BY_MS: u64 = 200;

/// What changed, each list in NEW's plan order.
pub struct Comparison<'a> {
    /// Showed what it must in OLD, not in NEW.
    pub newly_failing: Vec<(&'a TrialResult, &'a TrialResult)>,
    /// Did not in OLD, does in NEW.
    pub newly_passing: Vec<(&'a TrialResult, &'a TrialResult)>,
    pub slower: Vec<(&'a TrialResult, &'a TrialResult)>,
    /// Only in NEW.
    pub added: Vec<&'a TrialResult>,
    /// Only in OLD.
    pub removed: Vec<&'a TrialResult>,
}

pub fn compare<'a>(old: &'a RunReport, new: &'a RunReport) -> Comparison<'a> {
    let find = |trials: &'a [TrialResult], name: &str| trials.iter().find(|t| t.name == name);
    let mut c = Comparison {
        newly_failing: Vec::new(),
        newly_passing: Vec::new(),
        slower: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
    };
    for n in &new.trials {
        let Some(o) = find(&old.trials, &n.name) else {
            c.added.push(n);
            continue;
        };
        match (o.met, n.met) {
            (true, false) => c.newly_failing.push((o, n)),
            (false, true) => c.newly_passing.push((o, n)),
            _ => {}
        }
        if n.duration_ms as f64 > o.duration_ms as f64 * SLOWER_RATIO
            && n.duration_ms > o.duration_ms + SLOWER_BY_MS
        {
            c.slower.push((o, n));
        }
    }
    c.removed = old
        .trials
        .iter()
        .filter(|o| find(&new.trials, &o.name).is_none())
        .collect();
    c
}

/// The comparison as the terminal shows it.
pub fn render(old: &RunReport, new: &RunReport, old_name: &str, new_name: &str) -> String {
    let c = compare(old, new);
    let plain = Style { color: false };
    let word = |t: &TrialResult| status(t, plain).trim().to_owned();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "OLD {old_name}: {} trials, started {}\nNEW {new_name}: {} trials, started {}",
        old.trials.len(),
        old.started_at,
        new.trials.len(),
        new.started_at
    );
    let mut section = |title: &str, lines: Vec<String>| {
        let _ = writeln!(out, "\n{title} ({}):", lines.len());
        if lines.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    };
    section(
        "newly failing",
        c.newly_failing
            .iter()
            .map(|(o, n)| {
                format!(
                    "{} {} (was {}): {}",
                    word(n),
                    n.name,
                    word(o),
                    n.verdict.summary
                )
            })
            .collect(),
    );
    section(
        "newly passing",
        c.newly_passing
            .iter()
            .map(|(o, n)| format!("{} {} (was {})", word(n), n.name, word(o)))
            .collect(),
    );
    section(
        &format!("slower (over {SLOWER_RATIO}x and {SLOWER_BY_MS}ms longer)"),
        c.slower
            .iter()
            .map(|(o, n)| {
                format!(
                    "{} {}ms -> {}ms ({:.1}x)",
                    n.name,
                    o.duration_ms,
                    n.duration_ms,
                    n.duration_ms as f64 / o.duration_ms.max(1) as f64
                )
            })
            .collect(),
    );
    section(
        "only in NEW",
        c.added
            .iter()
            .map(|n| format!("{} {}", word(n), n.name))
            .collect(),
    );
    section(
        "only in OLD",
        c.removed
            .iter()
            .map(|o| format!("{} {}", word(o), o.name))
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(trials: &[(&str, bool, u64)]) -> RunReport {
        let trials: Vec<serde_json::Value> = trials
            .iter()
            .map(|(name, met, ms)| {
                serde_json::json!({
                    "name": name, "scenario": "s", "family": "f", "subject": "ref",
                    "explorer": "threads", "expect": { "must": "pass" }, "met": met,
                    "duration_ms": ms,
                    "verdict": { "outcome": if *met { "pass" } else { "fail" },
                                 "summary": "why", "checks": [], "evidence": { "events": [] } }
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "format_version": 1, "conform_version": "0.1.0", "started_at": "t",
            "duration_ms": 1, "machine": { "hostname": "", "cores": 1, "os": "" },
            "command": [], "vars": {}, "counts": {}, "references": { "met": 0, "total": 0 },
            "mutants": { "met": 0, "total": 0 }, "ok": true, "trials": trials
        }))
        .unwrap()
    }

    #[test]
    fn changes_are_sorted_into_what_fails_passes_and_slowed() {
        let old = run(&[
            ("a", true, 10),
            ("b", false, 10),
            ("c", true, 100),
            ("d", true, 10),
            ("gone", true, 1),
        ]);
        let new = run(&[
            ("a", false, 10),
            ("b", true, 10),
            ("c", true, 400),
            ("d", true, 100),
            ("added", true, 1),
        ]);
        let c = compare(&old, &new);
        let names = |v: &[(&TrialResult, &TrialResult)]| -> Vec<String> {
            v.iter().map(|(_, n)| n.name.clone()).collect()
        };
        assert_eq!(names(&c.newly_failing), ["a"]);
        assert_eq!(names(&c.newly_passing), ["b"]);
        // d is 10x slower but only 90ms longer: noise.
        assert_eq!(names(&c.slower), ["c"]);
        assert_eq!(c.added[0].name, "added");
        assert_eq!(c.removed[0].name, "gone");
        let text = render(&old, &new, "old.json", "new.json");
        assert!(
            text.contains("newly failing (1):\n  FAIL a (was PASS): why"),
            "{text}"
        );
        assert!(text.contains("c 100ms -> 400ms (4.0x)"), "{text}");
    }
}
