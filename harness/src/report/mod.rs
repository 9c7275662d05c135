//! Report: a run's results as the terminal shows them, as JSON, and as JUnit XML.
//! Reporters only read a [`RunReport`]; they never run anything.

pub mod human;
pub mod json;
pub mod junit;
pub mod scores;

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::run::TrialResult;

/// The version of the JSON results format (docs/results-format.md).
pub const FORMAT_VERSION: u32 = 1;

/// Everything about one run, as written to `results.json`.
#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub met: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
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
        let mut counts = BTreeMap::new();
        let (mut references, mut mutants) = (Tally::default(), Tally::default());
        for t in &trials {
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
        }
    }
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
