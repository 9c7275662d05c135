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
