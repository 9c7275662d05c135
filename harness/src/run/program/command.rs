//! The target's command line: filled in, split like a shell would, paths made absolute.

use std::path::Path;

use crate::load::vars;

/// Splits the command line after filling it in: `{ref:NAME}` runs this executable's
/// reference program NAME; relative paths that name existing files become absolute, since
/// the program runs in a temp dir.
pub fn command_line(
    command: &str,
    runtime: &dyn Fn(&str) -> Option<String>,
    exe: &Path,
    cwd: &Path,
) -> Result<Vec<String>, String> {
    let exe_text = exe.display().to_string();
    let filled = vars::fill(command, &|name| match name.strip_prefix("ref:") {
        Some(r) => Some(format!(
            "{} ref {r}",
            shlex::try_quote(&exe_text).map_or(exe_text.clone(), |q| q.into_owned())
        )),
        None => runtime(name),
    });
    let words = shlex::split(&filled)
        .ok_or_else(|| format!("cannot split the command line `{command}` (unbalanced quotes?)"))?;
    if words.is_empty() {
        return Err("the command line is empty".into());
    }
    Ok(words
        .into_iter()
        .map(|w| {
            let p = cwd.join(&w);
            if !w.starts_with('/')
                && !w.starts_with('-')
                && (w.contains('/') || w.contains('.'))
                && p.is_file()
            {
                p.display().to_string()
            } else {
                w
            }
        })
        .collect())
}

/// Placeholders a target's command line may use besides variables (`{ref:NAME}` too).
pub const TARGET_PLACEHOLDERS: &[&str] = &["port", "dir", "host", "cpus"];

/// What a target's command line may name, for [`check_target`].
pub struct Known<'a> {
    /// Whether a variable is set for the trial (`--var`, the scenario's `vars`).
    pub var: &'a dyn Fn(&str) -> bool,
    /// Whether a fixture file of the scenario has this path (it exists only in the working
    /// directory the program starts in).
    pub fixture: &'a dyn Fn(&str) -> bool,
    /// The reference programs `{ref:NAME}` may name.
    pub programs: &'a [&'a str],
}

/// Checks a `--target` command line before anything runs, so that a typo is a clear error
/// (exit 2) rather than a column of `cannot-start` or `crashed` trials: every placeholder is
/// known, the program is found and executable, and an interpreter's script exists.
pub fn check_target(command: &str, known: &Known, cwd: &Path) -> Result<(), String> {
    for (_, name) in vars::placeholders(command) {
        if let Some(program) = name.strip_prefix("ref:") {
            if !known.programs.contains(&program) {
                let near = crate::load::suggest::nearest(program, known.programs.iter().copied())
                    .map(|n| format!(": did you mean `{{ref:{n}}}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "the target names `{{{name}}}`, but there is no reference program \
                     `{program}`{near} (see `conform ref --list`)"
                ));
            }
        } else if !TARGET_PLACEHOLDERS.contains(&name) && !(known.var)(name) {
            let near = crate::load::suggest::nearest(name, TARGET_PLACEHOLDERS.iter().copied())
                .map(|n| format!("did you mean `{{{n}}}`? "))
                .unwrap_or_default();
            return Err(format!(
                "unknown placeholder `{{{name}}}` in the target command line: {near}a target may \
                 use {{port}}, {{dir}}, {{host}}, {{cpus}}, {{ref:NAME}} and variables \
                 (`--var {name}=VALUE` sets one)"
            ));
        }
    }
    let words = shlex::split(command).unwrap_or_default();
    let Some(program) = words.first() else {
        return Err("the target command line is empty".into());
    };
    // A program or script put there at run time is checked when it runs.
    if !vars::placeholders(program).is_empty() {
        return Ok(());
    }
    let found = find_program(program, cwd)?;
    if let Some(script) = script_of(&found, &words[1..]) {
        let path = cwd.join(script);
        if !path.exists() && !(known.fixture)(script) {
            return Err(format!(
                "the target's script `{script}` is not found (looked in {})",
                cwd.display()
            ));
        }
    }
    Ok(())
}

/// The executable a command's first word runs: a path (relative to `cwd`), or a name found
/// on `PATH`.
fn find_program(program: &str, cwd: &Path) -> Result<std::path::PathBuf, String> {
    // `found` is where PATH led, if it did.
    let not_executable = |found: Option<&Path>| {
        let at = found
            .map(|p| format!(" ({})", p.display()))
            .unwrap_or_default();
        format!(
            "the target program `{program}`{at} is not executable: `chmod +x` it, or run it \
             through its interpreter (`python3 {program}`)"
        )
    };
    if program.contains('/') {
        let path = cwd.join(program);
        return match std::fs::metadata(&path) {
            Err(_) => Err(format!(
                "the target program `{program}` is not found (looked in {})",
                cwd.display()
            )),
            Ok(m) if m.is_dir() => Err(format!("the target program `{program}` is a folder")),
            Ok(_) if !executable(&path) => Err(not_executable(None)),
            Ok(_) => Ok(path),
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let candidates: Vec<_> = std::env::split_paths(&path)
        .map(|d| d.join(program))
        .filter(|p| p.is_file())
        .collect();
    match candidates.iter().find(|p| executable(p)) {
        Some(p) => Ok(p.clone()),
        None => match candidates.first() {
            Some(p) => Err(not_executable(Some(p))),
            None if cwd.join(program).is_file() => Err(format!(
                "the target program `{program}` is not found on PATH; to run the file of that \
                 name here, write `./{program}`"
            )),
            None => Err(match nearest_on_path(program) {
                Some(n) => format!(
                    "the target program `{program}` is not found on PATH; did you mean `{n}`?"
                ),
                None => format!("the target program `{program}` is not found on PATH"),
            }),
        },
    }
}

/// The program on PATH whose name is nearest `typed` (`pyhton3` → `python3`), if one is near.
fn nearest_on_path(typed: &str) -> Option<String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let names: Vec<String> = std::env::split_paths(&path)
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    crate::load::suggest::nearest(typed, names.iter().map(String::as_str)).map(str::to_owned)
}

fn executable(p: &Path) -> bool {
    nix::unistd::access(p, nix::unistd::AccessFlags::X_OK).is_ok()
}

/// The script an interpreter is given (`python3 -u server.py` → `server.py`): the first
/// word that is not an option, if it looks like a file (`-m` and `-c` take none).
fn script_of<'a>(program: &Path, args: &'a [String]) -> Option<&'a str> {
    let name = program.file_name()?.to_str()?;
    let interpreter = [
        "python", "sh", "bash", "dash", "zsh", "perl", "ruby", "node",
    ]
    .iter()
    .any(|i| name == *i || (name.starts_with(i) && name[i.len()..].starts_with(['2', '3'])));
    if !interpreter {
        return None;
    }
    for a in args {
        if a == "-m" || a == "-c" || a == "-" {
            return None;
        }
        if a.starts_with('-') {
            continue;
        }
        let looks_like_file = a.contains('/')
            || [".py", ".sh", ".pl", ".rb", ".js"]
                .iter()
                .any(|e| a.ends_with(e));
        return (looks_like_file && vars::placeholders(a).is_empty()).then_some(a.as_str());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(command: &str) -> Result<(), String> {
        let known = Known {
            var: &|n| n == "reply",
            fixture: &|f| f == "fixture.py",
            programs: &["echo-server"],
        };
        check_target(command, &known, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    #[test]
    fn a_good_target_passes() {
        for ok in [
            "sh -c 'exit 0'",
            "sh fixture.py",
            "{ref:echo-server} {port}",
            "sh -e ../examples/rust-student/Cargo.toml --reply {reply} {host} {dir} {cpus}",
            "python3 -m http.server {port}",
            "{dir}/run.sh",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn a_bad_target_says_why() {
        for (bad, says) in [
            ("./no-such-program.py", "is not found (looked in"),
            ("no-such-program-anywhere", "not found on PATH"),
            ("./Cargo.toml", "is not executable"),
            ("./src", "is a folder"),
            (
                "sh no-such-script.sh",
                "script `no-such-script.sh` is not found",
            ),
            ("sh -c true {prot}", "did you mean `{port}`?"),
            ("sh -c true {nothing}", "--var nothing=VALUE"),
            ("{ref:echo-sever}", "did you mean `{ref:echo-server}`?"),
        ] {
            let e = check(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
