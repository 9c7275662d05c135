//! `conform report --merge OUT SHARES...`: the results of the shares of a partitioned run
//! (`--partition K/N`, one per CI job) joined into one report, as if one machine had run them.
//!
//! Shares of one run agree on the conform version, the variables, N and the plan's digest;
//! every share 1..N is there once, and no trial is in two of them. Anything else is an error
//! that names the files: a report of half a class that looked whole would mislead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{tally, RunReport, ScenarioInfo};
use crate::partition::Share;

/// The merged report, and what the reader should know about it.
pub struct Merged {
    pub report: RunReport,
    pub warnings: Vec<String>,
}

/// Joins `runs` (each with the file it was read from) into the report of one run that writes
/// into `out_dir`.
pub fn merge(runs: Vec<(PathBuf, RunReport)>, out_dir: &Path) -> Result<Merged, String> {
    let name = |i: usize| runs[i].0.display().to_string();
    let Some((_, first)) = runs.first() else {
        return Err("nothing to merge: give the shares' results.json files".into());
    };
    let mut warnings = Vec::new();
    for (i, (_, r)) in runs.iter().enumerate().skip(1) {
        if r.conform_version != first.conform_version {
            return Err(format!(
                "{} was written by conform {} and {} by conform {}: merge the shares of one run, \
                 made by one conform",
                name(0),
                first.conform_version,
                name(i),
                r.conform_version
            ));
        }
        if r.vars != first.vars {
            return Err(format!(
                "{} and {} were run with different --var values ({:?} and {:?}): they are not \
                 shares of one run",
                name(0),
                name(i),
                first.vars,
                r.vars
            ));
        }
    }
    duplicates(&runs)?;
    let shares: Vec<Option<&Share>> = runs.iter().map(|(_, r)| r.partition.as_ref()).collect();
    let order = if shares.iter().all(Option::is_some) {
        let shares: Vec<&Share> = shares.into_iter().flatten().collect();
        Some(check_shares(&shares, &name)?)
    } else {
        if shares.iter().any(Option::is_some) {
            return Err(format!(
                "{} mixes shares of a --partition run with whole runs ({}): merge the shares of \
                 one run",
                runs.iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                runs.iter()
                    .filter(|(_, r)| r.partition.is_none())
                    .map(|(p, _)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        warnings.push(
            "none of these is a share of a --partition run: their trials are joined in the \
             order given, and nothing can tell whether some are missing"
                .into(),
        );
        None
    };
    Ok(Merged {
        report: join(runs, order, out_dir),
        warnings,
    })
}

/// A trial name in two inputs is an error naming it (and the files).
fn duplicates(runs: &[(PathBuf, RunReport)]) -> Result<(), String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut twice: Vec<String> = Vec::new();
    for (i, (_, r)) in runs.iter().enumerate() {
        let names: BTreeSet<&str> = r.trials.iter().map(|t| t.name.as_str()).collect();
        for n in names {
            if let Some(&j) = seen.get(n) {
                twice.push(format!(
                    "{n} (in {} and {})",
                    runs[j].0.display(),
                    runs[i].0.display()
                ));
            } else {
                seen.insert(n, i);
            }
        }
    }
    if twice.is_empty() {
        return Ok(());
    }
    let more = twice.len().saturating_sub(10);
    let mut text = twice.into_iter().take(10).collect::<Vec<_>>().join("\n  ");
    if more > 0 {
        text.push_str(&format!("\n  and {more} more"));
    }
    Err(format!(
        "trials given more than once (the same share twice, or runs that overlap):\n  {text}"
    ))
}

/// Checks that the shares are 1..N of one plan, each once, and returns every trial's place
/// in the plan: `(input, trial index)` by position.
fn check_shares(
    shares: &[&Share],
    name: &dyn Fn(usize) -> String,
) -> Result<Vec<(usize, usize)>, String> {
    let first = shares[0];
    for (i, s) in shares.iter().enumerate().skip(1) {
        if (s.count, &s.plan, s.planned, s.by)
            != (first.count, &first.plan, first.planned, first.by)
        {
            return Err(format!(
                "{} is share {}/{} of plan {} ({} trials) and {} is share {}/{} of plan {} ({} \
                 trials): shares of different runs (other scenarios, subjects, --filter or \
                 N) cannot be merged",
                name(0),
                first.index,
                first.count,
                first.plan,
                first.planned,
                name(i),
                s.index,
                s.count,
                s.plan,
                s.planned
            ));
        }
    }
    let mut given: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, s) in shares.iter().enumerate() {
        if let Some(j) = given.insert(s.index, i) {
            return Err(format!(
                "share {}/{} is given twice: {} and {}",
                s.index,
                s.count,
                name(j),
                name(i)
            ));
        }
    }
    let missing: Vec<String> = (1..=first.count)
        .filter(|k| !given.contains_key(k))
        .map(|k| format!("{k}/{}", first.count))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "missing share{} {}: the merged report would lack {} trials (rerun that job, or \
             give its results.json)",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "its" } else { "their" }
        ));
    }
    let mut slots: Vec<Option<(usize, usize)>> = vec![None; first.planned];
    for (i, s) in shares.iter().enumerate() {
        for (t, &pos) in s.positions.iter().enumerate() {
            match slots.get_mut(pos) {
                Some(slot @ None) => *slot = Some((i, t)),
                _ => {
                    return Err(format!(
                        "{}: its partition record is damaged (position {pos} of a plan of {})",
                        name(i),
                        first.planned
                    ))
                }
            }
        }
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(pos, s)| {
            s.ok_or_else(|| {
                format!("no share holds trial {pos} of the plan: a partition record is damaged")
            })
        })
        .collect()
}

/// One report of every trial, in plan order when `order` says it.
fn join(
    runs: Vec<(PathBuf, RunReport)>,
    order: Option<Vec<(usize, usize)>>,
    out_dir: &Path,
) -> RunReport {
    let starts: Vec<SystemTime> = runs
        .iter()
        .filter_map(|(_, r)| humantime::parse_rfc3339(&r.started_at).ok())
        .collect();
    let ends = runs.iter().filter_map(|(_, r)| {
        let start = humantime::parse_rfc3339(&r.started_at).ok()?;
        Some(start + Duration::from_millis(r.duration_ms))
    });
    let started = starts.iter().min().copied();
    let duration_ms = match (started, ends.max()) {
        (Some(s), Some(e)) => e.duration_since(s).map_or(0, |d| d.as_millis() as u64),
        _ => runs.iter().map(|(_, r)| r.duration_ms).max().unwrap_or(0),
    };
    let mut scenarios: Vec<ScenarioInfo> = Vec::new();
    for (_, r) in &runs {
        for s in &r.scenarios {
            if !scenarios.iter().any(|k| k.id == s.id) {
                scenarios.push(s.clone());
            }
        }
    }
    let first = &runs[0].1;
    let (format_version, conform_version, machine, vars) = (
        first.format_version,
        first.conform_version.clone(),
        first.machine.clone(),
        first.vars.clone(),
    );
    let started_at = started.map_or_else(
        || first.started_at.clone(),
        |s| humantime::format_rfc3339_seconds(s).to_string(),
    );
    let command = whole_command(&first.command, out_dir);
    let mut per_run: Vec<Vec<Option<crate::run::TrialResult>>> = runs
        .into_iter()
        .map(|(_, r)| r.trials.into_iter().map(Some).collect())
        .collect();
    let trials: Vec<crate::run::TrialResult> = match order {
        Some(order) => order
            .into_iter()
            .filter_map(|(i, t)| per_run[i][t].take())
            .collect(),
        None => per_run.into_iter().flatten().flatten().collect(),
    };
    // The scenarios in the order their first trial comes.
    let first_trial = |id: &str| trials.iter().position(|t| t.scenario == id);
    scenarios.sort_by_key(|s| first_trial(&s.id));
    let (counts, references, mutants) = tally(&trials);
    RunReport {
        format_version,
        conform_version,
        started_at,
        duration_ms,
        machine,
        command,
        vars,
        counts,
        references,
        mutants,
        ok: trials.iter().all(|t| t.met),
        trials,
        scenarios,
        partition: None,
    }
}

/// The command line of the whole run: a share's, without its `--partition`, and writing its
/// reports where the merge writes them.
fn whole_command(command: &[String], out_dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = command.iter();
    while let Some(w) = words.next() {
        if w == "--partition" {
            words.next();
        } else if w == "--report" {
            words.next();
            out.extend(["--report".to_owned(), out_dir.display().to_string()]);
        } else if w.starts_with("--report=") {
            out.push(format!("--report={}", out_dir.display()));
        } else if !w.starts_with("--partition=") {
            out.push(w.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_command_drops_the_partition() {
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            whole_command(
                &words("conform run --partition 2/3 scenarios --partition=1/2 -j 2 --report s2"),
                Path::new("all")
            ),
            words("conform run scenarios -j 2 --report all")
        );
    }
}
