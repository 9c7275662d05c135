//! The `file` step: a path of the program's working directory checked against what the
//! scenario says (it exists or not, holds a fixture's bytes, is unchanged, matches), waiting
//! until it holds: an upload lands a moment after its last byte was sent.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::load::model::{digest, FileStep};
use crate::matcher::Matcher;

/// Whether the step held (at some reading within its `within`), what it expected and what
/// the last reading saw.
pub(super) fn check(
    dir: &Path,
    step: &FileStep,
    bytes_of: &dyn Fn(&str) -> Option<Vec<u8>>,
    matcher: Option<&Matcher>,
) -> (bool, String, String) {
    let within = step.within.map_or(Duration::from_secs(2), |d| d.0);
    let deadline = Instant::now() + within;
    let same_as = step.same_as.as_ref().map(|p| (p, bytes_of(p)));
    let original = step.unchanged.then(|| bytes_of(&step.path));
    let expected = expectation(step, &same_as, &original, matcher, within);
    loop {
        let seen = read(&dir.join(&step.path));
        let holds = step.exists.is_none_or(|e| e == seen.is_ok())
            && same_as
                .as_ref()
                .is_none_or(|(_, b)| b.is_some() && seen.as_ref().ok() == b.as_ref())
            && original
                .as_ref()
                .is_none_or(|b| b.is_some() && seen.as_ref().ok() == b.as_ref())
            && matcher.is_none_or(|m| seen.as_ref().is_ok_and(|b| m.check(b).ok));
        if holds || Instant::now() >= deadline {
            let observed = match &seen {
                Ok(b) => format!("{}: {}", step.path, described(b)),
                Err(why) => format!("{}: {why}", step.path),
            };
            return (holds, expected, observed);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn expectation(
    step: &FileStep,
    same_as: &Option<(&String, Option<Vec<u8>>)>,
    original: &Option<Option<Vec<u8>>>,
    matcher: Option<&Matcher>,
    within: Duration,
) -> String {
    let mut parts = Vec::new();
    match step.exists {
        Some(true) => parts.push("exists".to_owned()),
        Some(false) => parts.push("does not exist".to_owned()),
        None => {}
    }
    if let Some((path, bytes)) = same_as {
        parts.push(match bytes {
            Some(b) => format!("holds the bytes of {path} ({})", digest(b)),
            None => format!("holds the bytes of {path}, which is not a fixture"),
        });
    }
    if let Some(bytes) = original {
        parts.push(match bytes {
            Some(b) => format!("still holds what it was written with ({})", digest(b)),
            None => "still holds what it was written with, but it is not a fixture".into(),
        });
    }
    if let Some(m) = matcher {
        parts.push(format!("matches {m}"));
    }
    format!(
        "{} {} within {}",
        step.path,
        parts.join(" and "),
        crate::judge::library::ms(within)
    )
}

/// A file's bytes; a symbolic link is not followed (it could point anywhere).
fn read(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("does not exist".into()),
        Err(e) => Err(e.to_string()),
        Ok(m) if m.file_type().is_symlink() => Err("is a symbolic link".into()),
        Ok(m) if m.is_dir() => Err("is a folder".into()),
        Ok(_) => std::fs::read(path).map_err(|e| e.to_string()),
    }
}

/// Its digest, and its first bytes when they are text.
fn described(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(80)];
    let text = std::str::from_utf8(head)
        .is_ok_and(|t| t.chars().all(|c| !c.is_control() || "\n\r\t".contains(c)));
    if !text || bytes.is_empty() {
        return digest(bytes);
    }
    let more = if bytes.len() > head.len() { "…" } else { "" };
    format!("{} {}{more}", digest(bytes), crate::matcher::visible(head))
}
