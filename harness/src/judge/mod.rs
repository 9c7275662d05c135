//! Judge: assertions over evidence give checks; checks give a graded verdict.

pub mod class;
pub mod deadlock;
pub mod library;
pub mod program;

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use class::{FailureClass, Level, Outcome};

/// The level of a check: its own, else the scenario's, else MUST; `{vars}` filled in.
/// (Levels were checked on load, and with `--var` values when planning.)
pub fn level_of(
    scenario: &crate::load::model::Scenario,
    vars: &std::collections::BTreeMap<String, String>,
    own: Option<&crate::load::model::Text>,
) -> Level {
    let text = own
        .or(scenario.level.as_ref())
        .map(|t| crate::load::vars::fill(&t.0, &|n| vars.get(n).cloned()));
    text.and_then(|t| t.parse().ok()).unwrap_or(Level::Must)
}

/// One thing that was checked: what was expected, what was observed, and whether it held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Where and what: `consumer step 2 get: result`.
    pub name: String,
    pub level: Level,
    pub passed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<FailureClass>,
    pub expected: String,
    pub observed: String,
}

/// The judgement of one trial.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The failure class of the first check that decided the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<FailureClass>,
    /// One line: why this outcome.
    pub summary: String,
    pub checks: Vec<Check>,
    pub evidence: Evidence,
    /// The end of what the subject wrote on stderr, if anything.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stderr_tail: String,
    /// A deadlock in plain words, one line each: the wait-for cycle (who holds what and
    /// waits for what, where), or who is blocked and where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<String>,
}

impl Verdict {
    /// Grades checks: a failed MUST fails; only failed SHOULDs give non-strict; only INFO
    /// checks give informational.
    pub fn grade(checks: Vec<Check>, evidence: Evidence) -> Verdict {
        let first_failed = |level| checks.iter().find(|c| !c.passed && c.level == level);
        let (outcome, decider) = if let Some(c) = first_failed(Level::Must) {
            (Outcome::Fail, Some(c))
        } else if let Some(c) = first_failed(Level::Should) {
            (Outcome::NonStrict, Some(c))
        } else if !checks.is_empty() && checks.iter().all(|c| c.level == Level::Info) {
            (Outcome::Informational, None)
        } else {
            (Outcome::Pass, None)
        };
        let failed = checks
            .iter()
            .filter(|c| !c.passed && c.level != Level::Info)
            .count();
        let summary = match decider {
            Some(c) => format!(
                "{}: expected {}, observed {}{}",
                c.name,
                c.expected,
                c.observed,
                if failed > 1 {
                    format!(" (and {} more failed checks)", failed - 1)
                } else {
                    String::new()
                }
            ),
            None => format!("{} checks held", checks.iter().filter(|c| c.passed).count()),
        };
        Verdict {
            outcome,
            class: decider.and_then(|c| c.class),
            summary,
            checks,
            evidence,
            stderr_tail: String::new(),
            explanation: Vec::new(),
        }
    }

    /// The harness could not judge: the subject hung, panicked, crashed or could not start.
    /// Not run, and why.
    pub fn skipped(summary: String) -> Verdict {
        Verdict {
            outcome: Outcome::Skipped,
            class: None,
            summary,
            checks: Vec::new(),
            evidence: Evidence::default(),
            stderr_tail: String::new(),
            explanation: Vec::new(),
        }
    }

    pub fn error(class: FailureClass, summary: String, evidence: Evidence) -> Verdict {
        Verdict {
            outcome: Outcome::Error,
            class: Some(class),
            summary,
            checks: Vec::new(),
            evidence,
            stderr_tail: String::new(),
            explanation: Vec::new(),
        }
    }

    /// Every failure class among the failed checks (and the verdict's own).
    pub fn classes(&self) -> Vec<FailureClass> {
        let mut all: Vec<FailureClass> = self
            .checks
            .iter()
            .filter(|c| !c.passed)
            .filter_map(|c| c.class)
            .chain(self.class)
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn check(level: Level, passed: bool) -> Check {
        Check {
            name: "c".into(),
            level,
            passed,
            class: (!passed).then_some(FailureClass::WrongResult),
            expected: "e".into(),
            observed: "o".into(),
        }
    }

    #[rstest]
    #[case(vec![check(Level::Must, true)], Outcome::Pass)]
    #[case(vec![check(Level::Must, true), check(Level::Must, false)], Outcome::Fail)]
    #[case(vec![check(Level::Should, false), check(Level::Must, true)], Outcome::NonStrict)]
    #[case(vec![check(Level::Should, false), check(Level::Must, false)], Outcome::Fail)]
    #[case(vec![check(Level::Info, false)], Outcome::Informational)]
    #[case(vec![check(Level::Info, false), check(Level::Must, true)], Outcome::Pass)]
    fn grades(#[case] checks: Vec<Check>, #[case] want: Outcome) {
        assert_eq!(Verdict::grade(checks, Evidence::default()).outcome, want);
    }
}
