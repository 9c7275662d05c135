//! The suite's own speed: `conform run scenarios/FAMILY` for each family, one after
//! another, each timed from outside, with its slowest trials (from its results.json) and
//! the time its trials took added up (what `--jobs` divides). Each family's reports stay in
//! `OUT/suite/FAMILY/` (results.json, report.html) for a closer look.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use crate::report::RunReport;

/// One family's run.
#[derive(Clone, Debug, Serialize)]
pub struct Family {
    pub family: String,
    /// The command that was timed.
    pub command: String,
    pub wall_s: f64,
    pub trials: usize,
    /// The trials' own durations added up: the run's work before it is spread over jobs.
    pub trial_s: f64,
    /// Whether every trial showed what it must (exit 0).
    pub ok: bool,
    /// The five slowest trials, with their time.
    pub slowest: Vec<(String, f64)>,
}

/// Times each family under `root` (a scenarios folder); `families` empty means every one.
pub fn run(exe: &Path, root: &Path, families: &[String], out: &Path) -> io::Result<Vec<Family>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            families.is_empty()
                || families
                    .iter()
                    .any(|f| p.file_name().is_some_and(|n| n == f.as_str()))
        })
        .collect();
    dirs.sort();
    let mut families_out = Vec::new();
    for dir in dirs {
        let family = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = out.join("suite").join(&family);
        let argv = [
            "run".to_owned(),
            dir.display().to_string(),
            "--format".into(),
            "json".into(),
            "--report".into(),
            report.display().to_string(),
        ];
        let started = Instant::now();
        let status = Command::new(exe)
            .args(&argv)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        let wall_s = started.elapsed().as_secs_f64();
        let run = RunReport::read(&report.join("results.json"))
            .map_err(|e| io::Error::other(format!("{family}: {e}")))?;
        let mut trials: Vec<(String, f64)> = run
            .trials
            .iter()
            .map(|t| (t.name.clone(), t.duration_ms as f64 / 1000.0))
            .collect();
        let trial_s = trials.iter().map(|t| t.1).sum();
        trials.sort_by(|a, b| b.1.total_cmp(&a.1));
        trials.truncate(5);
        println!(
            "  {family}: {wall_s:.1}s for {} trials ({trial_s:.1}s of trials){}",
            run.trials.len(),
            if status.success() {
                ""
            } else {
                ", NOT all as they must"
            }
        );
        families_out.push(Family {
            family,
            command: format!(
                "conform run {} --report {}",
                dir.display(),
                report.display()
            ),
            wall_s,
            trials: run.trials.len(),
            trial_s,
            ok: status.success(),
            slowest: trials,
        });
    }
    Ok(families_out)
}
