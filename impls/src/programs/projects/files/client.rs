//! The course's file client ("ftp 文件服务器", day9/ftp, 客户端): it connects to the file
//! server at `127.0.0.1:8888` (`--host`, `--port`), prints a menu of commands (the course's
//! "使用print在客户端打印命令输入提示,引导操作"), reads one command a line from stdin and
//! sends the matching request (docs/protocols.md, "File server (TCP)"):
//!
//! | typed | sent (v1 / v2) | then |
//! | --- | --- | --- |
//! | `list` | `L` / `LIST` | prints each name, or the server's refusal |
//! | `get NAME` | `G NAME` / `RETR NAME` | saves the bytes up to `##` as NAME in the working directory |
//! | `put PATH` | `P NAME` / `STOR NAME` (NAME: PATH's last part) | sends PATH's bytes, a pause, `##` |
//! | `quit` (or end of input) | `Q` / `EXIT` | exits 0 |
//!
//! A refusal is printed as the server sent it (`文件不存在`, `FAIL`). A download is written
//! to a hidden temporary file and renamed once `##` has come, so a transfer cut off leaves
//! no half file under the name.
//!
//! Claims: `ftp.prompt`, `ftp.list`, `ftp.get`, `ftp.put`. Each `Bug` is one mutant.

use std::fs::{self, File};
use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::protocol::{parse_common, UntilEnd, Version, END};
use crate::programs::servers::common::{say, warn};

const NAME: &str = "file-client";

/// How long a list may stay quiet before it counts as complete (v1 lists have no end mark).
const LIST_QUIET: Duration = Duration::from_millis(300);

/// How long to wait for a reply to start.
const REPLY_WAIT: Duration = Duration::from_secs(10);

const MENU: &[&str] = &[
    "",
    "=========== 命令选项 ===========",
    "****         list           ****",
    "****       get file         ****",
    "****       put file         ****",
    "****         quit           ****",
    "================================",
];

/// The one place each mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bug {
    None,
    /// The menu is printed once, before the first command only.
    MenuOnce,
    /// The `##` that ends a download is saved as the file's last two bytes.
    KeepsEndMark,
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn menu_once(argv: &[String]) -> i32 {
    run(argv, Bug::MenuOnce)
}

pub fn keeps_end_mark(argv: &[String]) -> i32 {
    run(argv, Bug::KeepsEndMark)
}

struct Client {
    stream: TcpStream,
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
    let mut host = "127.0.0.1".to_string();
    let mut rest = common.rest.iter();
    while let Some(word) = rest.next() {
        match (word.as_str(), rest.next()) {
            ("--host", Some(h)) => host = h.clone(),
            _ => {
                warn(&format!(
                    "{NAME}: unknown argument `{word}` (--version, --host, --port, --pause-ms)"
                ));
                return 2;
            }
        }
    }
    // The course's client hard-codes its server's address; $PORT is the server's business.
    let port = common.port.unwrap_or(8888);
    let stream = match TcpStream::connect((host.as_str(), port)) {
        Ok(s) => s,
        Err(e) => {
            warn(&format!("{NAME}: cannot connect to {host}:{port}: {e}"));
            return 1;
        }
    };
    let mut client = Client {
        stream,
        version: common.version,
        pause: common.pause,
        bug,
    };
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut first = true;
    loop {
        // BUG (MenuOnce): the menu printed before the loop instead of in it: after the
        // first command the user is left with a bare prompt.
        if first || bug != Bug::MenuOnce {
            for line in MENU {
                say(line);
            }
        }
        first = false;
        prompt("输入命令:");
        let line = match lines.next() {
            Some(Ok(line)) => line,
            // End of input (Ctrl-D) is a quit.
            _ => {
                client.quit();
                return 0;
            }
        };
        let line = line.trim();
        let (word, arg) = match line.split_once(' ') {
            Some((w, a)) => (w, a.trim()),
            None => (line, ""),
        };
        let done = match (word, arg) {
            ("", _) => Ok(()),
            ("list", "") => client.list(),
            ("get", name) if !name.is_empty() => client.get(name),
            ("put", path) if !path.is_empty() => client.put(path),
            ("quit", "") => {
                client.quit();
                say("谢谢使用");
                return 0;
            }
            _ => {
                say("请输入正确命令");
                Ok(())
            }
        };
        if let Err(e) = done {
            warn(&format!(
                "{NAME}: the connection to the server is lost: {e}"
            ));
            return 1;
        }
    }
}

/// A prompt, without a newline, as `input()` prints it.
fn prompt(text: &str) {
    let mut out = io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}

/// The last part of a path: the name a file has in the library, or here.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Client {
    fn send(&mut self, request: String) -> io::Result<()> {
        self.stream.write_all(request.as_bytes())
    }

    /// Sends a request and reads its status, one `recv`: `Ok(Ok(rest))` with what came after
    /// `OK` in the same read, `Ok(Err(text))` with a refusal.
    fn ask(&mut self, request: String) -> io::Result<Result<Vec<u8>, String>> {
        self.send(request)?;
        self.stream.set_read_timeout(Some(REPLY_WAIT))?;
        let mut buf = [0u8; 1024];
        let n = self.stream.read(&mut buf)?;
        self.stream.set_read_timeout(None)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        let ok = self.version.words().ok.as_bytes();
        let reply = &buf[..n];
        if reply.len() >= ok.len() && reply[..ok.len()].eq_ignore_ascii_case(ok) {
            Ok(Ok(reply[ok.len()..].to_vec()))
        } else {
            Ok(Err(String::from_utf8_lossy(reply).trim().to_string()))
        }
    }

    fn list(&mut self) -> io::Result<()> {
        let request = self.version.words().list.to_string();
        let mut data = match self.ask(request)? {
            Ok(rest) => rest,
            Err(refusal) => {
                say(&refusal);
                return Ok(());
            }
        };
        // The names end with `##` (v2) or with a quiet moment (v1: one send, no mark).
        let started = Instant::now();
        let mut buf = [0u8; 4096];
        while !data.ends_with(END) {
            let wait = if data.is_empty() {
                REPLY_WAIT.saturating_sub(started.elapsed())
            } else {
                LIST_QUIET
            };
            if wait.is_zero() {
                break;
            }
            self.stream.set_read_timeout(Some(wait))?;
            match self.stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => data.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if !data.is_empty() {
                        break;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        self.stream.set_read_timeout(None)?;
        let text = String::from_utf8_lossy(&data);
        for name in text
            .split(['\n', '#'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            say(name);
        }
        Ok(())
    }

    fn get(&mut self, name: &str) -> io::Result<()> {
        let local = base_name(name);
        if local.is_empty() || local == "." || local == ".." {
            say("文件名不合法");
            return Ok(());
        }
        let request = format!("{} {name}", self.version.words().get);
        let first = match self.ask(request)? {
            Ok(rest) => rest,
            Err(refusal) => {
                say(&refusal);
                return Ok(());
            }
        };
        let temp = format!(".{local}.part");
        let mut file = File::create(&temp)?;
        let saved = self.receive(first, &mut file);
        drop(file);
        match saved {
            Ok(size) => {
                fs::rename(&temp, local)?;
                say(&format!("下载完成 {local} ({size} bytes)"));
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&temp);
                Err(e)
            }
        }
    }

    /// Writes the bytes of a download (starting with `first`) into `file` until `##`.
    fn receive(&mut self, first: Vec<u8>, file: &mut File) -> io::Result<u64> {
        let mut end = UntilEnd::default();
        let mut size = 0u64;
        let mut read = first;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if self.bug == Bug::KeepsEndMark {
                // BUG: `f.write(data)` before `if data.endswith(b'##'): break`.
                file.write_all(&read)?;
                size += read.len() as u64;
                if read.ends_with(END) {
                    return Ok(size);
                }
            } else {
                let (data, done) = end.take(&read);
                file.write_all(&data)?;
                size += data.len() as u64;
                if done {
                    return Ok(size);
                }
            }
            let n = self.stream.read(&mut buf)?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection before `##`",
                ));
            }
            read = buf[..n].to_vec();
        }
    }

    fn put(&mut self, path: &str) -> io::Result<()> {
        let mut file = match File::open(path) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => f,
            _ => {
                say("文件不存在");
                return Ok(());
            }
        };
        let request = format!("{} {}", self.version.words().put, base_name(path));
        if let Err(refusal) = self.ask(request)? {
            say(&refusal);
            return Ok(());
        }
        let size = io::copy(&mut file, &mut self.stream)?;
        // The mark as its own send, before and after: the server takes one `recv` for one
        // `send`, and `##` joined to the next request would be taken for data.
        std::thread::sleep(self.pause);
        self.stream.write_all(END)?;
        std::thread::sleep(self.pause);
        say(&format!("上传完成 {} ({size} bytes)", base_name(path)));
        Ok(())
    }

    fn quit(&mut self) {
        let request = self.version.words().quit.to_string();
        let _ = self.send(request);
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}
