//! A teacher's manifest: which program of each student's submission folder is checked against
//! which scenarios (docs/teachers.md). `conform run --manifest FILE` plans every student's
//! programs as targets, each student a column of the report.
//!
//! ```yaml
//! submissions:
//!   alice:
//!     dir: alice                     # relative to the manifest's folder
//!     programs:
//!       - scenarios: [scenarios/servers]
//!         command: python3 select_server.py
//!         model: select
//!         vars: { reply: OK }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::catalogue::Catalogue;
use crate::load::model::Model;
use crate::load::profile::Profile;
use crate::load::{self, Loaded};
use crate::plan::{self, Subjects, Trial};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Student (or team) name → their submission.
    pub submissions: BTreeMap<String, Submission>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The submission folder, relative to the manifest's folder.
    pub dir: PathBuf,
    pub programs: Vec<Program>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Scenario files or folders, relative to where conform runs.
    pub scenarios: Vec<PathBuf>,
    /// The command line, with paths relative to the submission folder.
    pub command: String,
    /// The server model it implements, as `--model`.
    #[serde(default)]
    pub model: Option<Model>,
    /// Variables for this program's trials, as `--var` (`reply: OK`).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// A client program (conform plays its server), as `--client`.
    #[serde(default)]
    pub client: bool,
    /// A course profile for this program (`v2`, or a file relative to the manifest's
    /// folder), as `--profile`; `vars` override its variables.
    #[serde(default)]
    pub profile: Option<String>,
}

/// Reads `file`; a bad one is an error naming file:line:column.
pub fn read(file: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
    serde_yaml::from_str(&text).map_err(|e| match e.location() {
        Some(at) => format!("{}:{}:{}: {e}", file.display(), at.line(), at.column()),
        None => format!("{}: {e}", file.display()),
    })
}

/// Every student's trials: each program's scenarios planned with its command as the target,
/// the student as the subject.
pub fn plan(manifest: &Manifest, file: &Path, catalogue: &Catalogue) -> Result<Vec<Trial>, String> {
    let base = file.parent().unwrap_or(Path::new("."));
    let mut trials = Vec::new();
    for (student, sub) in &manifest.submissions {
        let dir = base.join(&sub.dir);
        if !dir.is_dir() {
            return Err(format!(
                "{}: the submission folder of `{student}`, {}, does not exist",
                file.display(),
                dir.display()
            ));
        }
        for p in &sub.programs {
            if shlex::split(&p.command).is_none_or(|w| w.is_empty()) {
                return Err(format!(
                    "{}: `{student}`'s command `{}` cannot be split (empty, or unbalanced quotes)",
                    file.display(),
                    p.command
                ));
            }
            let profile = p
                .profile
                .as_deref()
                .map(|name| {
                    let local = base.join(name);
                    Profile::read(local.to_str().filter(|_| local.is_file()).unwrap_or(name))
                })
                .transpose()
                .map_err(|e| format!("{}: `{student}`: {e}", file.display()))?;
            let mut vars = profile.as_ref().map(Profile::vars).unwrap_or_default();
            vars.extend(p.vars.clone());
            let given: BTreeSet<String> = vars.keys().cloned().collect();
            let loaded = load::load(&p.scenarios, catalogue, &given).map_err(|errors| {
                errors
                    .iter()
                    .map(|e| e.headline())
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            let loaded: Vec<Arc<Loaded>> = loaded.into_iter().map(Arc::new).collect();
            let command = in_folder(&p.command, &dir);
            let role = if p.client {
                plan::ProgramRole::Client
            } else {
                plan::ProgramRole::Server
            };
            let target = Subjects::Target(command, p.model, role);
            for mut t in plan::plan(&loaded, &target, &vars)? {
                t.name = format!(
                    "{}/{}::{student}",
                    t.scenario.family, t.scenario.scenario.id
                );
                t.subject = student.clone();
                t.vars = vars.clone();
                t.mounts = profile
                    .as_ref()
                    .map(|p| p.mounts.clone())
                    .unwrap_or_default();
                trials.push(t);
            }
        }
    }
    Ok(trials)
}

/// The command with each word that names a file of the submission folder made absolute.
fn in_folder(command: &str, dir: &Path) -> String {
    let words = shlex::split(command).unwrap_or_else(|| vec![command.to_owned()]);
    let words: Vec<String> = words
        .into_iter()
        .map(|w| {
            let path = dir.join(&w);
            if !w.starts_with('-') && path.exists() {
                std::path::absolute(&path)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            } else {
                w
            }
        })
        .collect();
    shlex::try_join(words.iter().map(String::as_str)).unwrap_or_else(|_| command.to_owned())
}
