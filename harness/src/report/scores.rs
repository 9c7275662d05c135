//! A score per subject (a student, in a manifest run): per mechanism family, the share of its
//! judged trials that passed; the score is the mean over the families it was judged in, so a
//! family with many scenarios weighs no more than one with few (docs/teachers.md).
//! Skipped and informational trials are not judged; a non-strict one (only SHOULDs failed)
//! counts as passed.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::RunReport;
use crate::judge::class::Outcome;

/// One subject's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub subject: String,
    /// Family → (passed, judged).
    pub families: BTreeMap<String, (usize, usize)>,
    /// 0 to 100.
    pub percent: f64,
}

/// The scores of every subject of `report`, by name.
pub fn scores(report: &RunReport) -> Vec<Score> {
    let mut by: BTreeMap<&str, BTreeMap<String, (usize, usize)>> = BTreeMap::new();
    for t in &report.trials {
        if matches!(t.verdict.outcome, Outcome::Skipped | Outcome::Informational) {
            continue;
        }
        let cell = by
            .entry(&t.subject)
            .or_default()
            .entry(t.family.clone())
            .or_default();
        cell.1 += 1;
        cell.0 += usize::from(t.met);
    }
    by.into_iter()
        .map(|(subject, families)| {
            let shares: Vec<f64> = families
                .values()
                .map(|(p, n)| *p as f64 / *n as f64)
                .collect();
            let percent = 100.0 * shares.iter().sum::<f64>() / shares.len().max(1) as f64;
            Score {
                subject: subject.to_owned(),
                families,
                percent,
            }
        })
        .collect()
}

/// `subject,family,passed,judged,score` lines, then each subject's total as family `all`.
pub fn csv(scores: &[Score]) -> String {
    let mut out = String::from("subject,family,passed,judged,score\n");
    for s in scores {
        let subject = csv_field(&s.subject);
        for (family, (p, n)) in &s.families {
            let share = 100.0 * *p as f64 / *n as f64;
            let _ = writeln!(out, "{subject},{},{p},{n},{share:.1}", csv_field(family));
        }
        let (p, n) = s
            .families
            .values()
            .fold((0, 0), |(a, b), (p, n)| (a + p, b + n));
        let _ = writeln!(out, "{subject},all,{p},{n},{:.1}", s.percent);
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break ("Smith, J").
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A table for the terminal.
pub fn table(scores: &[Score]) -> String {
    let width = scores
        .iter()
        .map(|s| s.subject.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!(
        "\n{:<width$}  score  by family (passed/judged)\n",
        "subject"
    );
    for s in scores {
        let families: Vec<String> = s
            .families
            .iter()
            .map(|(f, (p, n))| format!("{f} {p}/{n}"))
            .collect();
        let _ = writeln!(
            out,
            "{:<width$}  {:>4.0}%  {}",
            s.subject,
            s.percent,
            families.join(", ")
        );
    }
    out
}
