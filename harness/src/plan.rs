//! Plan: which (scenario × subject × explorer) trials to run, in a deterministic order, and
//! what each must show: a reference must pass, a mutant must be caught with its class.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use conform_impls::registry::{self, Role};
use serde::Serialize;

use crate::judge::class::{FailureClass, Outcome};
use crate::judge::Verdict;
use crate::load::model::Explorer;
use crate::load::Loaded;

/// One trial: a scenario run against one subject under one explorer.
#[derive(Debug, Clone)]
pub struct Trial {
    /// `family/scenario-id::subject::explorer`, the libtest name.
    pub name: String,
    pub scenario: Arc<Loaded>,
    pub subject: String,
    pub explorer: Explorer,
    pub expect: Expectation,
    /// Slow trials run only in the full tier.
    pub slow: bool,
}

/// What a trial must show to count as good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "must", content = "class")]
pub enum Expectation {
    /// A reference: pass (or non-strict, informational, skipped).
    Pass,
    /// A mutant: fail with this class among its failures.
    Caught(FailureClass),
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expectation::Pass => f.write_str("pass"),
            Expectation::Caught(c) => write!(f, "be caught ({c})"),
        }
    }
}

impl Expectation {
    /// Whether `verdict` shows what was expected.
    pub fn met_by(self, verdict: &Verdict) -> bool {
        match self {
            Expectation::Pass => verdict.outcome.is_ok(),
            Expectation::Caught(class) => {
                verdict.outcome == Outcome::Fail && verdict.classes().contains(&class)
            }
        }
    }
}

/// Which subjects to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subjects {
    /// The references, and every mutant against the scenarios that must catch it.
    Suite,
    /// One named library subject, judged plainly against every scenario of its contract.
    Named(String),
}

/// Plans the trials for `scenarios`, in file order, then subject order.
pub fn plan(scenarios: &[Arc<Loaded>], subjects: &Subjects) -> Result<Vec<Trial>, String> {
    let mut trials = Vec::new();
    if let Subjects::Named(name) = subjects {
        registry::find(name).ok_or_else(|| {
            let names: Vec<&str> = registry::subjects().iter().map(|s| s.name).collect();
            format!(
                "no library subject called `{name}`; known: {}",
                names.join(", ")
            )
        })?;
    }
    for loaded in scenarios {
        let s = &loaded.scenario;
        let mut add = |subject: &str, expect: Expectation| {
            for &explorer in &s.explore {
                trials.push(Trial {
                    name: format!("{}/{}::{subject}::{explorer}", loaded.family, s.id),
                    scenario: loaded.clone(),
                    subject: subject.to_owned(),
                    explorer,
                    expect,
                    slow: s.slow,
                });
            }
        };
        match subjects {
            Subjects::Named(name) => add(name, Expectation::Pass),
            Subjects::Suite => {
                for subject in registry::subjects() {
                    match subject.role {
                        Role::Reference => add(subject.name, Expectation::Pass),
                        Role::Mutant => {
                            for c in subject.caught_by.iter().filter(|c| c.scenario == s.id) {
                                let class = FailureClass::from_str(c.class).map_err(|e| {
                                    format!("registry: mutant {}: {e}", subject.name)
                                })?;
                                add(subject.name, Expectation::Caught(class));
                            }
                        }
                        Role::Fixture => {}
                    }
                }
            }
        }
    }
    Ok(trials)
}
