//! Load: scenario files from disk into typed, validated [`Scenario`]s, or located errors.
//!
//! serde_yaml reads each file strictly into the types of [`model`]; [`validate`] then checks
//! what types cannot say. Every error names file:line:column (see [`diagnostic`]).

pub mod diagnostic;
pub mod duration;
pub mod model;
pub mod profile;
mod serde_error;
pub mod source_map;
pub mod suggest;
pub mod validate;
pub mod vars;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use diagnostic::LoadError;
pub use model::Scenario;

use crate::catalogue::Catalogue;
use source_map::SourceMap;

/// A scenario and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub file: PathBuf,
    /// The mechanism family: the name of the folder holding the file (`sync`, `servers`).
    pub family: String,
}

/// The scenario files named by `paths`: files as given, folders searched for `*.yaml` and
/// `*.yml` (sorted, so every run plans in the same order).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<LoadError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut errors);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            errors.push(LoadError::whole_file(p, "no such file or folder".into()));
        }
    }
    files.sort();
    files.dedup();
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<LoadError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return errors.push(LoadError::whole_file(
                dir,
                format!("cannot read folder: {e}"),
            ))
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files, errors);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            files.push(path);
        }
    }
}

/// Loads and validates every scenario under `paths`; all errors of all files are returned
/// together. `vars_given` are the names set with `--var` (they count as defined).
pub fn load(
    paths: &[PathBuf],
    catalogue: &Catalogue,
    vars_given: &BTreeSet<String>,
) -> Result<Vec<Loaded>, Vec<LoadError>> {
    let files = discover(paths)?;
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let mut ids: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    for file in files {
        match load_file(&file, catalogue, vars_given) {
            Ok((l, text, id_at)) => {
                if let Some((first, _)) = ids.get(&l.scenario.id) {
                    errors.push(LoadError::at(
                        &file,
                        &text,
                        id_at,
                        format!("duplicate scenario id `{}`", l.scenario.id),
                        Some(format!(
                            "`{}` already uses it; ids are unique across the suite",
                            first.display()
                        )),
                    ));
                } else {
                    ids.insert(l.scenario.id.clone(), (file.clone(), id_at));
                    loaded.push(l);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// Loads one file: the scenario, its text, and the offset of its id.
fn load_file(
    file: &Path,
    catalogue: &Catalogue,
    vars_given: &BTreeSet<String>,
) -> Result<(Loaded, String, usize), Vec<LoadError>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![LoadError::whole_file(
            file,
            format!("cannot read file: {e}"),
        )]
    })?;
    let (scenario, id_at) = parse(file, &text, catalogue, vars_given)?;
    // The folder's real name, also for a file given as `x.yaml` from inside it.
    let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    let family = real.parent().and_then(|p| p.file_name()).map_or_else(
        || "scenarios".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((
        Loaded {
            scenario,
            file: file.to_owned(),
            family,
        },
        text,
        id_at,
    ))
}

/// Reads and validates one scenario's `text`, as found in `file` (which is only named in
/// errors, never read): the scenario and the offset of its id, or every problem, located.
pub fn parse(
    file: &Path,
    text: &str,
    catalogue: &Catalogue,
    vars_given: &BTreeSet<String>,
) -> Result<(Scenario, usize), Vec<LoadError>> {
    // A hostile nesting depth costs the YAML parser quadratic time: refuse it first (the
    // source map's parser reads it in linear time).
    let map = SourceMap::build(text);
    if let Some(at) = map.too_deep_at {
        let why = format!(
            "nested deeper than {} levels: no scenario needs that",
            source_map::MAX_DEPTH
        );
        return Err(vec![LoadError::at(
            file,
            text,
            at,
            why,
            Some("a scenario is a few levels deep: actors, steps, their arguments".into()),
        )]);
    }
    // Only comments, blanks or `---`: serde would say "missing key `id`"; say what it is.
    if matches!(
        serde_yaml::from_str::<serde_yaml::Value>(text),
        Ok(serde_yaml::Value::Null)
    ) {
        return Err(vec![LoadError::whole_file(
            file,
            "empty file: expected a scenario (a map with `id`, `title`, `claims`, `subject`, ...)"
                .into(),
        )]);
    }
    let scenario: Scenario = serde_yaml::from_str(text)
        .map_err(|e| vec![serde_error::translate(file, text, &map, &e)])?;
    // serde refuses a struct's key given twice, but keeps the last of a map's.
    if !map.duplicate_keys.is_empty() {
        return Err(map
            .duplicate_keys
            .iter()
            .map(|(at, key)| {
                LoadError::at(
                    file,
                    text,
                    *at,
                    format!("duplicate key `{key}`"),
                    Some(format!(
                        "a key appears once in a map: this `{key}` would replace the first \
                         without a word; rename or remove one"
                    )),
                )
            })
            .collect());
    }
    let problems = validate::check(&scenario, &map, catalogue, vars_given);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| LoadError::at(file, text, p.at, p.message, p.help))
            .collect());
    }
    Ok((scenario, map.value("id")))
}
