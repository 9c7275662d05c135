//! The file server's wire protocol in both course versions (docs/protocols.md, "File server
//! (TCP)"): the request words, the status and refusal literals, the `##` end mark, the
//! names a library may hold, and the command-line flags both programs share.

use std::time::Duration;

/// The end mark of a transfer: sent as its own `send`, after a pause.
pub const END: &[u8] = b"##";

/// The course's pause between a status and its data, and before `##` (`time.sleep(0.1)`):
/// course peers frame by timing, one `recv` per `send`.
pub const PAUSE: Duration = Duration::from_millis(100);

/// The protocol version: the 2018-19 course's one-letter commands or the 2020 course's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `L`, `G name`, `P name`, `Q`; refusals in Chinese.
    V1,
    /// `LIST`, `RETR name`, `STOR name`, `EXIT`; every refusal is `FAIL`.
    V2,
}

/// The texts of one version.
pub struct Words {
    pub list: &'static str,
    pub get: &'static str,
    pub put: &'static str,
    pub quit: &'static str,
    pub ok: &'static str,
    /// `L` on an empty library.
    pub empty: &'static str,
    /// `G` of a name that is not a file of the library.
    pub no_file: &'static str,
    /// `P` of a name the library already has.
    pub exists: &'static str,
    /// `P` of a name with `/` or `..` (or a hidden one).
    pub bad_name: &'static str,
    /// `P` the server cannot write.
    pub put_failed: &'static str,
}

const V1: Words = Words {
    list: "L",
    get: "G",
    put: "P",
    quit: "Q",
    ok: "OK",
    empty: "文件库为空",
    no_file: "文件不存在",
    exists: "文件已存在",
    bad_name: "文件名不合法",
    put_failed: "上传失败",
};

const V2: Words = Words {
    list: "LIST",
    get: "RETR",
    put: "STOR",
    quit: "EXIT",
    ok: "OK",
    empty: "FAIL",
    no_file: "FAIL",
    exists: "FAIL",
    bad_name: "FAIL",
    put_failed: "FAIL",
};

impl Version {
    pub fn words(self) -> &'static Words {
        match self {
            Version::V1 => &V1,
            Version::V2 => &V2,
        }
    }
}

/// A client's request, read from one `recv`.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'a> {
    List,
    Get(&'a str),
    Put(&'a str),
    Quit,
}

impl<'a> Request<'a> {
    /// `text` with surrounding white space (a client's `\n`) removed; `None` if it is not a
    /// request of `version`. The name is everything after the first space.
    pub fn parse(version: Version, text: &'a str) -> Option<Request<'a>> {
        let w = version.words();
        let text = text.trim();
        let (word, name) = match text.split_once(' ') {
            Some((word, name)) => (word, Some(name.trim())),
            None => (text, None),
        };
        match (word, name) {
            (x, None) if x == w.list => Some(Request::List),
            (x, None) if x == w.quit => Some(Request::Quit),
            (x, Some(name)) if x == w.get => Some(Request::Get(name)),
            (x, Some(name)) if x == w.put => Some(Request::Put(name)),
            _ => None,
        }
    }
}

/// Whether `name` may name a file of the library: not empty, no `/` (no other folder), no
/// `..` (no way out), no NUL, and not hidden (a leading `.`: the server's uploads in
/// progress are hidden files, which nobody may read or replace).
pub fn good_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('/')
        && !name.contains("..")
        && !name.contains('\0')
        && !name.starts_with('.')
}

/// Reads a transfer that ends with `##` at the end of a `recv` (the course's framing: the
/// mark is its own send, after a pause). The last two bytes are held back until the next
/// read shows they were not the mark, so a mark split over two reads is found too.
#[derive(Default)]
pub struct UntilEnd {
    held: Vec<u8>,
}

impl UntilEnd {
    /// Takes one read; returns the bytes now known to be data, and whether the mark came.
    pub fn take(&mut self, read: &[u8]) -> (Vec<u8>, bool) {
        self.held.extend_from_slice(read);
        if self.held.ends_with(END) {
            let data_len = self.held.len() - END.len();
            let data = self.held[..data_len].to_vec();
            self.held.clear();
            return (data, true);
        }
        let keep = self.held.len().min(END.len() - 1);
        let data = self.held[..self.held.len() - keep].to_vec();
        self.held.drain(..self.held.len() - keep);
        (data, false)
    }
}

/// The flags both programs take: `--version 1|2`, `--port N`, `--pause-ms N`; the rest is
/// left to the program.
pub struct Common {
    pub version: Version,
    pub port: Option<u16>,
    pub pause: Duration,
    /// Words that are not one of these flags or their values, in order.
    pub rest: Vec<String>,
}

/// Parses the common flags; an error names the flag and what it wants.
pub fn parse_common(argv: &[String]) -> Result<Common, String> {
    let mut common = Common {
        version: Version::V1,
        port: None,
        pause: PAUSE,
        rest: Vec::new(),
    };
    let mut words = argv.iter();
    while let Some(word) = words.next() {
        let mut value = |flag: &str| {
            words
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} wants a value"))
        };
        match word.as_str() {
            "--version" => {
                common.version = match value("--version")?.as_str() {
                    "1" => Version::V1,
                    "2" => Version::V2,
                    v => return Err(format!("--version wants 1 or 2, got `{v}`")),
                }
            }
            "--port" => {
                let v = value("--port")?;
                common.port = Some(
                    v.parse()
                        .map_err(|_| format!("--port wants a port number, got `{v}`"))?,
                );
            }
            "--pause-ms" => {
                let v = value("--pause-ms")?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--pause-ms wants a number, got `{v}`"))?;
                common.pause = Duration::from_millis(ms);
            }
            _ => common.rest.push(word.clone()),
        }
    }
    Ok(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_of_each_version() {
        use Request::*;
        assert_eq!(Request::parse(Version::V1, "L"), Some(List));
        assert_eq!(Request::parse(Version::V1, "G a.txt\n"), Some(Get("a.txt")));
        assert_eq!(
            Request::parse(Version::V1, "P 文件.bin"),
            Some(Put("文件.bin"))
        );
        assert_eq!(Request::parse(Version::V1, "Q"), Some(Quit));
        assert_eq!(Request::parse(Version::V1, "LIST"), None);
        assert_eq!(Request::parse(Version::V2, "RETR a b"), Some(Get("a b")));
        assert_eq!(Request::parse(Version::V2, "STOR x"), Some(Put("x")));
        assert_eq!(Request::parse(Version::V2, "EXIT"), Some(Quit));
        assert_eq!(Request::parse(Version::V2, "G x"), None);
        assert_eq!(Request::parse(Version::V2, "LIST x"), None);
    }

    #[test]
    fn names_that_leave_the_library_or_hide_are_refused() {
        for bad in [
            "",
            "../x",
            "..",
            "a/b",
            "/etc/passwd",
            "x..y",
            ".hidden",
            "a\0b",
        ] {
            assert!(!good_name(bad), "{bad:?}");
        }
        for good in ["a.txt", "文件.bin", "a b", "x.y.z"] {
            assert!(good_name(good), "{good:?}");
        }
    }

    #[test]
    fn the_end_mark_is_found_across_reads_and_stripped() {
        let mut end = UntilEnd::default();
        let mut data = Vec::new();
        for (read, last) in [(&b"hello #"[..], false), (b"x#", false), (b"#", true)] {
            let (part, done) = end.take(read);
            data.extend(part);
            assert_eq!(done, last);
        }
        assert_eq!(data, b"hello #x");
        let mut end = UntilEnd::default();
        assert_eq!(end.take(b"##"), (Vec::new(), true));
    }

    #[test]
    fn bad_flags_are_errors_not_panics() {
        let args = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(parse_common(&args(&["--version", "3"])).is_err());
        assert!(parse_common(&args(&["--port"])).is_err());
        assert!(parse_common(&args(&["--pause-ms", "x"])).is_err());
        let c = parse_common(&args(&["lib", "--version", "2", "--port", "9"])).unwrap();
        assert_eq!(
            (c.version, c.port, c.rest),
            (Version::V2, Some(9), args(&["lib"]))
        );
    }
}
