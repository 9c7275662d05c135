//! The course's file server ("ftp 文件服务器", day9/ftp): clients list the library, download
//! a file from it and upload one to it, several at once. The main thread listens on
//! `0.0.0.0:8888` (`--port`, `$PORT`) and gives each client a thread (or, with `--fork`, a
//! process, reaped on SIGCHLD as the fork echo server does) that serves its requests until
//! it quits or leaves.
//!
//! `conform ref file-server [--version 1|2] [--fork] [--port N] [--pause-ms N] [LIBRARY]`
//! serves the folder LIBRARY (default: the working directory).
//!
//! The protocol (docs/protocols.md, "File server (TCP)"), one request per `recv`:
//! - `L` / `LIST`: `OK`, a pause, the names of the library's visible regular files joined
//!   by `\n` in one send (v2: then a pause and `##`); `文件库为空` / `FAIL` when there are none.
//! - `G name` / `RETR name`: `OK`, a pause, the file's bytes, a pause, `##` as its own send;
//!   `文件不存在` / `FAIL` for a name that is not a file of the library.
//! - `P name` / `STOR name`: `OK` (or `文件名不合法`, `文件已存在` / `FAIL`); the client then
//!   sends the bytes and `##`. Nothing is sent back after the upload.
//! - `Q` / `EXIT`: the session ends; nothing is sent back.
//!
//! What a good server adds to the course's: a name with `/` or `..` is refused, so nothing
//! outside the library is read or written; an upload is written to a hidden temporary file
//! and renamed into place only once `##` has come, so no reader ever sees half a file and a
//! client that leaves midway leaves nothing behind; the rename never replaces a file that
//! another client's upload put there meanwhile.
//!
//! Claims: `ftp.list`, `ftp.get`, `ftp.put`, `ftp.concurrent`. Each `Bug` is one mutant.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use nix::fcntl::{renameat2, RenameFlags, AT_FDCWD};
use nix::libc;
use nix::unistd::{fork, ForkResult};

use super::protocol::{good_name, parse_common, Request, UntilEnd, Version, END};
use crate::programs::servers::common::{self, say, warn};
use crate::programs::servers::fork::reap_on_sigchld;

const NAME: &str = "file-server";

/// The course reads and sends files 1024 bytes at a time; only the mutant that depends on
/// it uses this size (the reference copies in larger pieces).
pub const CHUNK: usize = 1024;

/// The one place each mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bug {
    None,
    /// Any name is joined to the library path, `..` and `/` included.
    FollowsDotDot,
    /// A file whose size is a multiple of 1024 loses its last chunk.
    DropsLastFullChunk,
    /// One client at a time: the next is accepted only when this one leaves.
    OneAtATime,
    /// Uploads are written straight into the final name.
    WritesInPlace,
    /// The list is the folder as it is: folders and hidden files too.
    ListsEverything,
    /// The `##` that ends an upload is written into the file.
    KeepsEndMark,
    /// A folder counts as a file: `OK`, then nothing, for a folder's name.
    OpensFolders,
    /// A v2 list without its `##`.
    ListWithoutEndMark,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn follows_dotdot(argv: &[String]) -> i32 {
    run(argv, Bug::FollowsDotDot)
}

pub fn drops_last_full_chunk(argv: &[String]) -> i32 {
    run(argv, Bug::DropsLastFullChunk)
}

pub fn one_at_a_time(argv: &[String]) -> i32 {
    run(argv, Bug::OneAtATime)
}

pub fn writes_in_place(argv: &[String]) -> i32 {
    run(argv, Bug::WritesInPlace)
}

pub fn lists_everything(argv: &[String]) -> i32 {
    run(argv, Bug::ListsEverything)
}

pub fn keeps_end_mark(argv: &[String]) -> i32 {
    run(argv, Bug::KeepsEndMark)
}

pub fn opens_folders(argv: &[String]) -> i32 {
    run(argv, Bug::OpensFolders)
}

pub fn list_without_end_mark(argv: &[String]) -> i32 {
    run(argv, Bug::ListWithoutEndMark)
}

/// What every session needs to know.
#[derive(Clone)]
struct Server {
    library: PathBuf,
    version: Version,
    pause: Duration,
    bug: Bug,
}

fn run(argv: &[String], bug: Bug) -> i32 {
    let common = match parse_common(argv) {
        Ok(c) => c,
        Err(e) => {
            warn(&format!("{NAME}: {e}"));
            return 2;
        }
    };
    let (mut per_process, mut library) = (false, None);
    for word in &common.rest {
        match word.as_str() {
            "--fork" => per_process = true,
            flag if flag.starts_with("--") => {
                warn(&format!(
                    "{NAME}: unknown flag `{flag}` (--version, --fork, --port, --pause-ms)"
                ));
                return 2;
            }
            folder if library.is_none() => library = Some(PathBuf::from(folder)),
            extra => {
                warn(&format!(
                    "{NAME}: one library folder only, got `{extra}` too"
                ));
                return 2;
            }
        }
    }
    let library = library.unwrap_or_else(|| PathBuf::from("."));
    if !library.is_dir() {
        warn(&format!(
            "{NAME}: the library `{}` is not a folder",
            library.display()
        ));
        return 1;
    }
    if per_process {
        if let Err(e) = reap_on_sigchld() {
            warn(&format!("{NAME}: sigaction(SIGCHLD): {e}"));
            return 1;
        }
    }
    let Some(listener) = common::listen(NAME, argv) else {
        return 1;
    };
    let server = Server {
        library,
        version: common.version,
        pause: common.pause,
        bug,
    };
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                common::accept_failed(NAME, &e);
                continue;
            }
        };
        if bug == Bug::OneAtATime {
            // BUG: the course's loop server with file transfer: while one client is
            // served, nobody else is even accepted; a long download holds up everyone.
            server.session(stream);
        } else if per_process {
            // SAFETY: this process has one thread, so the child starts in a consistent state.
            match unsafe { fork() } {
                Ok(ForkResult::Child) => {
                    drop(listener);
                    server.session(stream);
                    // SAFETY: ends this process; nothing runs after it.
                    unsafe { libc::_exit(0) }
                }
                // The parent's copy of the client socket closes here, as `stream` drops.
                Ok(ForkResult::Parent { .. }) => {}
                Err(e) => warn(&format!("{NAME}: fork: {e}")),
            }
        } else {
            let server = server.clone();
            std::thread::spawn(move || server.session(stream));
        }
    }
}

/// Gives each upload's temporary file a name of its own within this process.
static UPLOADS: AtomicU64 = AtomicU64::new(0);

impl Server {
    /// Serves one client's requests, one per read, until it quits, leaves or a transfer
    /// fails.
    fn session(&self, mut stream: TcpStream) {
        let peer = stream
            .peer_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "?".into());
        say(&format!("connect from {peer}"));
        let mut buf = [0u8; 1024];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let text = String::from_utf8_lossy(&buf[..n]);
            let done = match Request::parse(self.version, &text) {
                Some(Request::List) => self.list(&mut stream),
                Some(Request::Get(name)) => self.get(&mut stream, name),
                Some(Request::Put(name)) => self.put(&mut stream, name),
                Some(Request::Quit) => break,
                None => {
                    warn(&format!("{NAME}: {peer}: not a request: {:?}", text.trim()));
                    Ok(())
                }
            };
            if let Err(e) = done {
                warn(&format!("{NAME}: {peer}: {e}"));
                break;
            }
        }
        say(&format!("{peer} left"));
    }

    fn list(&self, stream: &mut TcpStream) -> io::Result<()> {
        let words = self.version.words();
        let names = self.names();
        if names.is_empty() {
            return stream.write_all(words.empty.as_bytes());
        }
        stream.write_all(words.ok.as_bytes())?;
        std::thread::sleep(self.pause);
        stream.write_all(names.join("\n").as_bytes())?;
        // BUG (ListWithoutEndMark): v1's list in v2: the course's v2 client reads names
        // until a `recv` gives `##`, and waits forever.
        if self.version == Version::V2 && self.bug != Bug::ListWithoutEndMark {
            std::thread::sleep(self.pause);
            stream.write_all(END)?;
        }
        Ok(())
    }

    /// The visible regular files of the library, sorted. A library that cannot be read
    /// lists as empty (and says why on stderr).
    fn names(&self) -> Vec<String> {
        let entries = match fs::read_dir(&self.library) {
            Ok(entries) => entries,
            Err(e) => {
                warn(&format!("{NAME}: {}: {e}", self.library.display()));
                return Vec::new();
            }
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| {
                let visible = !e.file_name().to_string_lossy().starts_with('.');
                let file = e.file_type().is_ok_and(|t| t.is_file());
                // BUG (ListsEverything): os.listdir as it is: folders, and the hidden
                // uploads in progress, are offered for download.
                self.bug == Bug::ListsEverything || (visible && file)
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Whether `name` may be used. BUG (FollowsDotDot): the course's `FTP + filename`,
    /// unchecked: `../x` is a file beside the library, `../../etc/passwd` any file.
    fn allowed(&self, name: &str) -> bool {
        self.bug == Bug::FollowsDotDot || good_name(name)
    }

    fn get(&self, stream: &mut TcpStream, name: &str) -> io::Result<()> {
        let words = self.version.words();
        let Some(mut file) = self.open_file(name) else {
            return stream.write_all(words.no_file.as_bytes());
        };
        say(&format!("sending {name}"));
        stream.write_all(words.ok.as_bytes())?;
        std::thread::sleep(self.pause);
        if self.bug == Bug::DropsLastFullChunk {
            send_dropping_last_full_chunk(&mut file, stream)?;
        } else {
            io::copy(&mut file, stream)?;
        }
        std::thread::sleep(self.pause);
        stream.write_all(END)
    }

    /// The library's regular file `name`, open for reading.
    fn open_file(&self, name: &str) -> Option<File> {
        if !self.allowed(name) {
            return None;
        }
        let path = self.library.join(name);
        let meta = fs::metadata(&path).ok()?;
        // BUG (OpensFolders): `os.path.exists` where `os.path.isfile` was meant: a folder
        // opens (O_RDONLY), its first read fails, and the client has its `OK` and no data.
        if !meta.is_file() && self.bug != Bug::OpensFolders {
            return None;
        }
        File::open(&path).ok()
    }

    fn put(&self, stream: &mut TcpStream, name: &str) -> io::Result<()> {
        let words = self.version.words();
        if !self.allowed(name) {
            return stream.write_all(words.bad_name.as_bytes());
        }
        let path = self.library.join(name);
        if fs::symlink_metadata(&path).is_ok() {
            return stream.write_all(words.exists.as_bytes());
        }
        // BUG (WritesInPlace): `open(FTP + filename, 'wb')`: a reader sees the file grow,
        // and a client that leaves midway leaves half a file that looks whole.
        let in_place = self.bug == Bug::WritesInPlace;
        let temp = if in_place {
            path.clone()
        } else {
            let n = UPLOADS.fetch_add(1, Ordering::Relaxed);
            self.library
                .join(format!(".upload-{}-{n}", std::process::id()))
        };
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => file,
            Err(e) => {
                warn(&format!("{NAME}: {}: {e}", temp.display()));
                return stream.write_all(words.put_failed.as_bytes());
            }
        };
        stream.write_all(words.ok.as_bytes())?;
        let received = self.receive(stream, &mut file);
        drop(file);
        match received {
            Ok(size) if in_place => {
                say(&format!("stored {name} ({size} bytes)"));
                Ok(())
            }
            Ok(size) => {
                match rename_no_replace(&temp, &path) {
                    Ok(()) => say(&format!("stored {name} ({size} bytes)")),
                    Err(e) => {
                        // Another client's upload of the same name finished first: keep
                        // theirs, whole, rather than replace it.
                        let _ = fs::remove_file(&temp);
                        warn(&format!("{NAME}: {name} not stored: {e}"));
                    }
                }
                Ok(())
            }
            Err(e) => {
                if !in_place {
                    let _ = fs::remove_file(&temp);
                }
                Err(io::Error::new(
                    e.kind(),
                    format!("upload of {name} cut off: {e}"),
                ))
            }
        }
    }

    /// Writes the client's bytes into `file` until `##` ends them; the number of bytes
    /// written. The client leaving first is an error.
    fn receive(&self, stream: &mut TcpStream, file: &mut File) -> io::Result<u64> {
        let mut end = UntilEnd::default();
        let mut buf = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the client left before `##`",
                    ))
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if self.bug == Bug::KeepsEndMark {
                // BUG: `f.write(data)` before `if data.endswith(b'##'): break`: the mark
                // becomes the last two bytes of the file.
                file.write_all(&buf[..n])?;
                size += n as u64;
                if buf[..n].ends_with(END) {
                    return Ok(size);
                }
                continue;
            }
            let (data, done) = end.take(&buf[..n]);
            file.write_all(&data)?;
            size += data.len() as u64;
            if done {
                return Ok(size);
            }
        }
    }
}

/// Renames `from` to `to` unless `to` exists (RENAME_NOREPLACE); where the file system
/// cannot, a hard link does the same (it never replaces either), then `from` goes.
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match renameat2(AT_FDCWD, from, AT_FDCWD, to, RenameFlags::RENAME_NOREPLACE) {
        Ok(()) => Ok(()),
        Err(nix::errno::Errno::EINVAL) => {
            fs::hard_link(from, to)?;
            fs::remove_file(from)
        }
        Err(e) => Err(e.into()),
    }
}

/// BUG (DropsLastFullChunk): the course's read loop with one chunk of look-ahead, sending
/// a full chunk only once the next read shows more data: a file that ends on a chunk
/// boundary ends with an empty read, and its last full chunk is never sent.
fn send_dropping_last_full_chunk(file: &mut File, stream: &mut TcpStream) -> io::Result<()> {
    let mut held: Option<Vec<u8>> = None;
    loop {
        let mut chunk = vec![0u8; CHUNK];
        let n = read_full(file, &mut chunk)?;
        chunk.truncate(n);
        if n == 0 {
            return Ok(());
        }
        if let Some(previous) = held.take() {
            stream.write_all(&previous)?;
        }
        if n < CHUNK {
            return stream.write_all(&chunk);
        }
        held = Some(chunk);
    }
}

/// Reads until `buf` is full or the file ends; how many bytes were read.
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    /// Starts the reference server in a thread of this test on a free port, serving a fresh
    /// library beside a file that must stay out of reach; returns the port and the folder.
    fn start(version: &str) -> (u16, std::path::PathBuf) {
        let root =
            std::env::temp_dir().join(format!("file-server-test-{}-{version}", std::process::id()));
        let library = root.join("library");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(library.join("folder")).unwrap();
        std::fs::write(library.join("a.txt"), b"hello").unwrap();
        std::fs::write(root.join("secret.txt"), b"secret").unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let argv: Vec<String> = [
            "--port",
            &port.to_string(),
            "--version",
            version,
            "--pause-ms",
            "10",
            library.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        std::thread::spawn(move || super::main(&argv));
        (port, root)
    }

    fn connect(port: u16) -> TcpStream {
        for _ in 0..200 {
            if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                return s;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the file server does not listen on {port}");
    }

    /// Reads until `want` bytes have come (or the peer closes).
    fn read_n(s: &mut TcpStream, want: usize) -> Vec<u8> {
        let mut got = vec![0u8; want];
        s.read_exact(&mut got).unwrap();
        got
    }

    #[test]
    fn lists_gets_and_puts_but_never_leaves_the_library() {
        let (port, root) = start("1");
        let mut c = connect(port);
        c.write_all(b"L").unwrap();
        assert_eq!(read_n(&mut c, 2), b"OK");
        assert_eq!(read_n(&mut c, 5), b"a.txt");
        c.write_all(b"G a.txt").unwrap();
        assert_eq!(read_n(&mut c, 9), b"OKhello##");
        c.write_all(b"P b.bin").unwrap();
        assert_eq!(read_n(&mut c, 2), b"OK");
        c.write_all(b"x#y").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        c.write_all(b"##").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        for (request, refusal) in [
            ("G ../secret.txt", "文件不存在"),
            ("G folder", "文件不存在"),
            ("P ../x", "文件名不合法"),
            ("P a.txt", "文件已存在"),
        ] {
            c.write_all(request.as_bytes()).unwrap();
            assert_eq!(
                read_n(&mut c, refusal.len()),
                refusal.as_bytes(),
                "{request}"
            );
        }
        c.write_all(b"G b.bin").unwrap();
        assert_eq!(read_n(&mut c, 7), b"OKx#y##");
        assert!(!root.join("x").exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn v2_says_fail_and_ends_its_list_with_the_mark() {
        let (port, root) = start("2");
        let mut c = connect(port);
        c.write_all(b"LIST").unwrap();
        assert_eq!(read_n(&mut c, 9), b"OKa.txt##");
        c.write_all(b"RETR nothing").unwrap();
        assert_eq!(read_n(&mut c, 4), b"FAIL");
        c.write_all(b"EXIT").unwrap();
        assert_eq!(c.read(&mut [0u8; 1]).unwrap(), 0, "EXIT ends the session");
        let _ = std::fs::remove_dir_all(&root);
    }
}
