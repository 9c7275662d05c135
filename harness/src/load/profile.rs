//! Course profiles: a file that sets the variables scenarios use for a course version's
//! literals (`{login}` is `L` in v1, `LOGIN` in v2) and the absolute paths its programs
//! hard-code. `conform run --profile v2` (or a file of your own); a registry subject names
//! the profile it speaks.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::model::Text;

/// A profile, as its file says.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// Variables set for every scenario (over its `vars`, under `--var`).
    #[serde(default)]
    vars: BTreeMap<String, Text>,
    /// Absolute paths the programs hard-code → folders of their working directory, added to
    /// each program scenario's `subject.mounts`.
    #[serde(default)]
    pub mounts: BTreeMap<String, String>,
}

/// The profiles shipped under `profiles/`, built in so they work from any folder.
const BUILTIN: &[(&str, &str)] = &[
    (
        "profiles/v1.yaml",
        include_str!("../../../profiles/v1.yaml"),
    ),
    (
        "profiles/v2.yaml",
        include_str!("../../../profiles/v2.yaml"),
    ),
    (
        "profiles/course-http.yaml",
        include_str!("../../../profiles/course-http.yaml"),
    ),
];

impl Profile {
    pub fn vars(&self) -> BTreeMap<String, String> {
        self.vars
            .iter()
            .map(|(k, v)| (k.clone(), v.0.clone()))
            .collect()
    }

    /// `spec` is a built-in profile's name (`v2`) or path (`profiles/v2.yaml`), or a file.
    pub fn read(spec: &str) -> Result<Profile, String> {
        let builtin = BUILTIN.iter().find(|(path, _)| {
            *path == spec || Path::new(path).file_stem().is_some_and(|s| s == spec)
        });
        let path = Path::new(spec);
        match builtin {
            Some((path, text)) if !Path::new(spec).is_file() => parse(Path::new(path), text),
            _ => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    let names: Vec<&str> = BUILTIN
                        .iter()
                        .filter_map(|(p, _)| Path::new(p).file_stem()?.to_str())
                        .collect();
                    format!(
                        "profile `{spec}`: cannot read it ({e}); the built-in profiles are {}",
                        names.join(", ")
                    )
                })?;
                parse(path, &text)
            }
        }
    }
}

fn parse(path: &Path, text: &str) -> Result<Profile, String> {
    let p: Profile = serde_yaml::from_str(text).map_err(|e| match e.location() {
        Some(at) => format!("{}:{}:{}: {e}", path.display(), at.line(), at.column()),
        None => format!("{}: {e}", path.display()),
    })?;
    for (target, source) in &p.mounts {
        let inside =
            !source.is_empty() && !source.starts_with('/') && !source.split('/').any(|s| s == "..");
        if !target.starts_with('/') || target == "/" || !inside {
            return Err(format!(
                "{}: mount `{target}: {source}`: expected an absolute path below `/` mapped onto a folder inside the working directory, e.g. `/home/tarena/FTP: library`",
                path.display()
            ));
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load_by_name_and_path() {
        for (path, _) in BUILTIN {
            Profile::read(path).unwrap();
        }
        assert_eq!(Profile::read("v2").unwrap().vars()["version"], "2");
    }

    #[test]
    fn errors_are_located_or_name_the_builtins() {
        let e = Profile::read("no-such-profile").unwrap_err();
        assert!(e.contains("v1, v2"), "{e}");
        let e = parse(Path::new("p.yaml"), "name: x\nvarz: {}\n").unwrap_err();
        assert!(e.starts_with("p.yaml:2:1"), "{e}");
        let e = parse(Path::new("p.yaml"), "name: x\nmounts: { rel: x }\n").unwrap_err();
        assert!(e.contains("absolute"), "{e}");
    }
}
