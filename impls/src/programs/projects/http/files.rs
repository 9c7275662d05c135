//! From a request target to a file under the root, and its content type: the course's step
//! 【3】 根据请求组织数据内容 (build the content for the request). `/` is `/index.html`, as in the
//! course; a path must never leave the root, however it is spelled (`/../`, `%2e%2e`,
//! `%2f`, a symbolic link).

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::fcntl::{openat2, OFlag, OpenHow, ResolveFlag};
use percent_encoding::percent_decode_str;

use super::response::Status;

/// The file a target names under `root`, or the status that refuses it: 400 for a target
/// that is not a path, 403 for one that leaves the root, 404 for no such file.
pub fn resolve(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let file = lexical(root, target)?;
    // A symbolic link under the root may still point out of it: compare the real paths.
    let real = file.canonicalize().map_err(|e| refused(&e))?;
    let real_root = root.canonicalize().map_err(|e| refused(&e))?;
    if !real.starts_with(&real_root) {
        return Err(Status::FORBIDDEN);
    }
    if !real.is_file() {
        return Err(Status::NOT_FOUND);
    }
    Ok(real)
}

/// The path a target names under `root`, from its text alone: 400 for a target that is not
/// a path, 403 for `..`.
fn lexical(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let path = origin_path(target).ok_or(Status::BAD_REQUEST)?;
    let decoded = percent_decode_str(path).collect::<Vec<u8>>();
    if decoded.contains(&0) {
        return Err(Status::BAD_REQUEST);
    }
    let mut file = root.to_path_buf();
    // Decoded first, then split: `%2e%2e` and `%2f` are `..` and `/` here.
    for segment in decoded.split(|&b| b == b'/') {
        match segment {
            b"" | b"." => {}
            b".." => return Err(Status::FORBIDDEN),
            name => file.push(OsStr::from_bytes(name)),
        }
    }
    if decoded.ends_with(b"/") {
        file.push("index.html");
    }
    Ok(file)
}

/// The file a target names under `root`, opened, with its path (for its content type); the
/// statuses are those of [`resolve`]. One `openat2` with `RESOLVE_BENEATH` does what
/// `resolve`'s two `realpath`s and `stat` do (a path, `..` or a symbolic link that leaves
/// the root fails with EXDEV): a third of the system calls of a request. Where the kernel
/// has no `openat2` (before Linux 5.6), `resolve` then `open`.
pub fn open(root: &Path, target: &str) -> Result<(PathBuf, File), Status> {
    let file = lexical(root, target)?;
    let relative = file.strip_prefix(root).unwrap_or(&file);
    let beneath = File::open(root).and_then(|dir| {
        let how = OpenHow::new()
            // Non-blocking: opening a FIFO must not wait for a writer.
            .flags(OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK | OFlag::O_NOCTTY)
            .resolve(ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_MAGICLINKS);
        openat2(&dir, relative, how).map_err(io::Error::from)
    });
    let opened = match beneath {
        Ok(fd) => File::from(fd),
        Err(e) if e.raw_os_error() == Some(nix::libc::EXDEV) => return Err(Status::FORBIDDEN),
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(nix::libc::ENOSYS | nix::libc::EINVAL)
            ) =>
        {
            let real = resolve(root, target)?;
            let f = File::open(&real).map_err(|e| refused(&e))?;
            return Ok((real, f));
        }
        Err(e) => return Err(refused(&e)),
    };
    match opened.metadata() {
        Ok(m) if m.is_file() => Ok((file, opened)),
        Ok(_) => Err(Status::NOT_FOUND),
        Err(e) => Err(refused(&e)),
    }
}

/// The status for a file that cannot be had.
pub fn refused(e: &io::Error) -> Status {
    match e.kind() {
        io::ErrorKind::PermissionDenied => Status::FORBIDDEN,
        _ => Status::NOT_FOUND,
    }
}

/// The path of a target (RFC 9112 section 3.2): origin-form `/a/b?q` is `/a/b`; the
/// absolute-form a proxy would send, `http://host/a/b`, is `/a/b` too. Anything else
/// (`*`, `a/b`, an authority) is no path.
fn origin_path(target: &str) -> Option<&str> {
    let target = target.split(['?', '#']).next().unwrap_or_default();
    if target.starts_with('/') {
        return Some(target);
    }
    let lower = target.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.starts_with(scheme).then(|| &target[scheme.len()..]))?;
    Some(rest.find('/').map_or("/", |i| &rest[i..]))
}

/// The `Content-Type` of a file, from its extension.
pub fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(OsStr::to_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A root `static/` with `index.html`, `img/a.png`, and `secret.txt` beside the root.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("static");
        fs::create_dir_all(root.join("img")).unwrap();
        fs::write(root.join("index.html"), "<h1>hi</h1>").unwrap();
        fs::write(root.join("img/a.png"), [0x89, b'P', b'N', b'G']).unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, root)
    }

    #[test]
    fn pages_and_the_slash_resolve_under_the_root() {
        let (_dir, root) = site();
        let real = root.canonicalize().unwrap();
        assert_eq!(resolve(&root, "/").unwrap(), real.join("index.html"));
        assert_eq!(
            resolve(&root, "/index.html?x=1").unwrap(),
            real.join("index.html")
        );
        assert_eq!(
            resolve(&root, "/img/%61.png").unwrap(),
            real.join("img/a.png")
        );
        assert_eq!(
            resolve(&root, "http://h:8000/img/a.png").unwrap(),
            real.join("img/a.png")
        );
        assert_eq!(resolve(&root, "/favicon.ico"), Err(Status::NOT_FOUND));
        assert_eq!(resolve(&root, "/img"), Err(Status::NOT_FOUND), "a folder");
        assert_eq!(resolve(&root, "*"), Err(Status::BAD_REQUEST));
    }

    #[test]
    fn nothing_outside_the_root_is_reached() {
        let (dir, root) = site();
        for target in [
            "/../secret.txt",
            "/img/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
        ] {
            assert_eq!(resolve(&root, target), Err(Status::FORBIDDEN), "{target}");
        }
        let outside = dir.path().join("secret.txt");
        let absolute = format!("/{}", outside.display());
        assert_eq!(
            resolve(&root, &absolute),
            Err(Status::NOT_FOUND),
            "{absolute}"
        );
        std::os::unix::fs::symlink(&outside, root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Err(Status::FORBIDDEN));
        assert_eq!(resolve(&root, "/a%00b"), Err(Status::BAD_REQUEST));
    }

    /// `open` refuses what `resolve` refuses, with the same status, and opens what it finds
    /// (a FIFO is refused without waiting for a writer).
    #[test]
    fn open_agrees_with_resolve() {
        let (dir, root) = site();
        let outside = dir.path().join("secret.txt");
        std::os::unix::fs::symlink(&outside, root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink("index.html", root.join("inside.html")).unwrap();
        nix::unistd::mkfifo(&root.join("fifo"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let absolute = format!("/{}", outside.display());
        for target in [
            "/",
            "/img/%61.png",
            "/inside.html",
            "/favicon.ico",
            "/img",
            "*",
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/link.txt",
            "/a%00b",
            "/fifo",
            absolute.as_str(),
        ] {
            // The same status; a link inside the root is served under the name asked for.
            let opened = open(&root, target).map(|_| ());
            let resolved = resolve(&root, target).map(|_| ());
            assert_eq!(opened, resolved, "{target}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type(Path::new("a/INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.png")), "image/png");
        assert_eq!(
            content_type(Path::new("data.bin")),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(Path::new("README")),
            "application/octet-stream"
        );
    }
}
