//! Report: a run's results as the terminal shows them, as JSON, and as JUnit XML.
//! Reporters only read a [`RunReport`]; they never run anything.

pub mod compare;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod merge;
pub mod scores;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::load::Loaded;
use crate::run::TrialResult;

/// The version of the JSON results format (docs/results-format.md).
pub const FORMAT_VERSION: u32 = 1;

/// Everything about one run, as written to `results.json` (and read back by `conform report`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    pub format_version: u32,
    pub conform_version: String,
    /// When the run started, RFC 3339 in UTC.
    pub started_at: String,
    pub duration_ms: u64,
    pub machine: Machine,
    /// The command line that made this run.
    pub command: Vec<String>,
    pub vars: BTreeMap<String, String>,
    /// Trials by outcome (`pass`, `fail`, ...).
    pub counts: BTreeMap<String, usize>,
    /// Trials of references and programs (and targets) that showed what they must: pass, or
    /// the hazard a scenario demonstrates.
    pub references: Tally,
    /// Mutant trials that caught their mutant, and all mutant trials.
    pub mutants: Tally,
    /// Whether every trial showed what it must (the exit code is 0 exactly then).
    pub ok: bool,
    pub trials: Vec<TrialResult>,
    /// The scenarios the trials ran, with the claims they check: what the HTML report needs
    /// to show a trial's claim, and that a reader of the JSON alone could not look up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioInfo>,
    /// The share of the plan this run ran (`--partition K/N`); absent for a whole run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<crate::partition::Share>,
}

/// A scenario as the reports describe it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub family: String,
    /// The scenario file, as the run was given it.
    pub file: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Claim ids of the catalogue.
    pub claims: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tally {
    pub met: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Machine {
    pub hostname: String,
    pub cores: usize,
    pub os: String,
}

impl RunReport {
    pub fn new(
        trials: Vec<TrialResult>,
        started: SystemTime,
        command: Vec<String>,
        vars: BTreeMap<String, String>,
    ) -> RunReport {
        let (counts, references, mutants) = tally(&trials);
        RunReport {
            format_version: FORMAT_VERSION,
            conform_version: env!("CARGO_PKG_VERSION").to_owned(),
            started_at: humantime::format_rfc3339_seconds(started).to_string(),
            duration_ms: started.elapsed().map_or(0, |d| d.as_millis() as u64),
            machine: Machine::this(),
            command,
            vars,
            counts,
            ok: trials.iter().all(|t| t.met),
            references,
            mutants,
            trials,
            scenarios: Vec::new(),
            partition: None,
        }
    }

    /// Describes the scenarios that have trials in this run (in plan order).
    pub fn describe(&mut self, loaded: &[Arc<Loaded>]) {
        self.scenarios = loaded
            .iter()
            .filter(|l| self.trials.iter().any(|t| t.scenario == l.scenario.id))
            .map(|l| ScenarioInfo {
                id: l.scenario.id.clone(),
                family: l.family.clone(),
                file: l.file.display().to_string(),
                title: l.scenario.title.clone(),
                description: l.scenario.description.clone(),
                claims: l.scenario.claims.clone(),
            })
            .collect();
    }

    /// Reads a `results.json` back.
    pub fn read(path: &Path) -> Result<RunReport, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let report: RunReport = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not conform's results.json: {e}", path.display()))?;
        if report.format_version != FORMAT_VERSION {
            return Err(format!(
                "{} has format_version {}; this conform reads {FORMAT_VERSION}",
                path.display(),
                report.format_version
            ));
        }
        Ok(report)
    }
}

/// Trials by outcome, and the two tallies of what showed what it must.
pub fn tally(trials: &[TrialResult]) -> (BTreeMap<String, usize>, Tally, Tally) {
    let mut counts = BTreeMap::new();
    let (mut references, mut mutants) = (Tally::default(), Tally::default());
    for t in trials {
        *counts
            .entry(t.verdict.outcome.name().to_owned())
            .or_default() += 1;
        // A mutant that must be caught counts toward the mutation score; anything that must
        // pass (or show what its scenario demonstrates) counts with the references.
        let tally = if t.subject.starts_with("mutant:")
            && matches!(t.expect, crate::plan::Expectation::Caught(_))
        {
            &mut mutants
        } else {
            &mut references
        };
        tally.total += 1;
        tally.met += usize::from(t.met);
    }
    (counts, references, mutants)
}

impl Machine {
    fn this() -> Machine {
        let uname = nix::sys::utsname::uname().ok();
        Machine {
            hostname: uname
                .as_ref()
                .map_or_else(String::new, |u| u.nodename().to_string_lossy().into_owned()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: uname.map_or_else(String::new, |u| {
                format!(
                    "{} {} {}",
                    u.sysname().to_string_lossy(),
                    u.release().to_string_lossy(),
                    u.machine().to_string_lossy()
                )
            }),
        }
    }
}
