//! Program scenarios: a command line run as an isolated process tree, driven through
//! sockets and its stdin, watched through /proc.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{NoArgs, Text};
use crate::load::duration::Dur;
use crate::matcher::Matcher;

/// How the harness knows a program is ready to be driven: `listen` (the default: it listens
/// on a TCP port or binds a UDP port, found in /proc), `start` (at once: a process demo, a
/// client), or `{ stdout: MATCHER }` (it printed such a line); `within` bounds the wait.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ready {
    Listen {
        within: Option<Dur>,
    },
    Stdout {
        matcher: Matcher,
        within: Option<Dur>,
    },
    Start,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadyMap {
    #[serde(default)]
    listen: Option<bool>,
    #[serde(default)]
    stdout: Option<Matcher>,
    #[serde(default)]
    within: Option<Dur>,
}

impl<'de> Deserialize<'de> for Ready {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ready;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`listen`, `start`, or a map with `stdout` (and `within`)")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Ready, E> {
                match v {
                    "listen" => Ok(Ready::Listen { within: None }),
                    "start" => Ok(Ready::Start),
                    _ => Err(E::custom(format!(
                        "unknown value `{v}`, expected `listen` or `start`"
                    ))),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Ready, A::Error> {
                let m = ReadyMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                match (m.listen, m.stdout) {
                    (Some(_), Some(_)) => Err(A::Error::custom(
                        "ready is either `listen` or `stdout`, not both",
                    )),
                    (_, Some(matcher)) => Ok(Ready::Stdout {
                        matcher,
                        within: m.within,
                    }),
                    _ => Ok(Ready::Listen { within: m.within }),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A socket the harness opens before the program starts, for client programs to reach.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Serve {
    /// The name steps use (`accept: {server: NAME}`, `recv: {client: NAME}` for UDP).
    pub name: String,
    #[serde(default)]
    pub proto: Proto,
    /// The port the program expects (it hard-codes it); `{port}` is filled in for it.
    pub port: Text,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    #[default]
    Tcp,
    Udp,
}

/// Limits of a program's whole tree (docs/limits.md gives the defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Processes (and threads) at once, through the pids cgroup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<u32>,
    /// Memory in MiB, through the memory cgroup (address space is not limited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// Open files per process (RLIMIT_NOFILE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_files: Option<u32>,
    /// Largest file it may write, in MiB (RLIMIT_FSIZE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_mib: Option<u32>,
    /// CPU seconds per process (RLIMIT_CPU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<u32>,
    /// What its working directory may hold, in MiB (watched: past it the tree is killed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_mib: Option<u32>,
}

/// One step of a program scenario: exactly one kind key, plus common keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramStep {
    /// Open a client: `connect: a` (TCP to the port the program listens on) or a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect: Option<Connect>,
    /// Send bytes from a client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<SendStep>,
    /// Read on a client until a terminator, the peer's close or a quiet period; match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recv: Option<RecvStep>,
    /// Nothing must arrive on a client for this long (e.g. a loop server busy elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silent: Option<SilentStep>,
    /// Close a client: `graceful` (FIN), `half` (shutdown write), `reset` (RST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close: Option<CloseStep>,
    /// Accept a connection on a TCP socket opened with `subject.serve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<AcceptStep>,
    /// Write text to the program's stdin (add `\n` yourself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<Text>,
    /// Close the program's stdin (end of input).
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub close_stdin: Option<NoArgs>,
    /// Wait for a line on stdout that matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<OutputStep>,
    /// Wait for a line on stderr that matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<OutputStep>,
    /// Wait for the program to exit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<ExitStep>,
    /// Do nothing for this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<Dur>,
    /// Check a file in the program's working directory (an upload, a download, a fixture
    /// that must stay as it was), waiting up to `within` for it to hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileStep>,
    /// Wait until the process tree has these counts (a fork server's child per client, a
    /// thread server's thread per client, and none once they leave).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<TreeStep>,
    /// The level of this step's check (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
}

impl ProgramStep {
    pub fn kinds(&self) -> Vec<&'static str> {
        [
            ("connect", self.connect.is_some()),
            ("send", self.send.is_some()),
            ("recv", self.recv.is_some()),
            ("silent", self.silent.is_some()),
            ("close", self.close.is_some()),
            ("accept", self.accept.is_some()),
            ("stdin", self.stdin.is_some()),
            ("close_stdin", self.close_stdin.is_some()),
            ("stdout", self.stdout.is_some()),
            ("stderr", self.stderr.is_some()),
            ("exit", self.exit.is_some()),
            ("sleep", self.sleep.is_some()),
            ("tree", self.tree.is_some()),
            ("file", self.file.is_some()),
        ]
        .iter()
        .filter(|(_, p)| *p)
        .map(|(k, _)| *k)
        .collect()
    }

    pub const KINDS: &'static [&'static str] = &[
        "connect",
        "send",
        "recv",
        "silent",
        "close",
        "accept",
        "stdin",
        "close_stdin",
        "stdout",
        "stderr",
        "exit",
        "sleep",
        "tree",
        "file",
    ];
}

/// What a `file` step checks of a path in the working directory; each given check must hold.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileStep {
    /// Relative to the program's working directory.
    pub path: String,
    /// Whether it must exist (`false`: a refused upload, a traversal that must not land).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// Its bytes equal this fixture's (an upload or a download, byte-exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// It still holds the bytes it was written with (a fixture nothing may touch).
    #[serde(default)]
    pub unchanged: bool,
    /// Its bytes match this.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matcher: Option<Matcher>,
    /// How long to wait for all of it to hold (default 2s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
}

/// The counts a `tree` step waits for; each given count must hold at the same sample.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreeStep {
    /// Live processes in the tree (the program's own included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<u32>,
    /// Threads of all its live processes together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// Zombies in the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zombies: Option<u32>,
    /// How long to wait for it (default 2s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
}

/// The course's server models.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One client at a time (循环服务器).
    Loop,
    /// A process per client.
    Fork,
    /// A thread per client.
    Thread,
    /// IO multiplexing with select.
    Select,
    /// IO multiplexing with poll.
    Poll,
    /// IO multiplexing with epoll, level-triggered.
    Epoll,
    /// IO multiplexing with epoll, edge-triggered.
    EpollEt,
}

impl Model {
    pub const ALL: &'static [Model] = &[
        Model::Loop,
        Model::Fork,
        Model::Thread,
        Model::Select,
        Model::Poll,
        Model::Epoll,
        Model::EpollEt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Model::Loop => "loop",
            Model::Fork => "fork",
            Model::Thread => "thread",
            Model::Select => "select",
            Model::Poll => "poll",
            Model::Epoll => "epoll",
            Model::EpollEt => "epoll-et",
        }
    }

    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL.iter().copied().find(|m| m.name() == name)
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A family of blocking system calls, as a program waits in them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Syscall {
    /// select, pselect6
    Select,
    /// poll, ppoll
    Poll,
    /// epoll_wait, epoll_pwait, epoll_pwait2
    Epoll,
    /// accept, accept4
    Accept,
    /// read, recvfrom, recvmsg
    Read,
}

impl Syscall {
    pub const ALL: &'static [Syscall] = &[
        Syscall::Select,
        Syscall::Poll,
        Syscall::Epoll,
        Syscall::Accept,
        Syscall::Read,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Syscall::Select => "select",
            Syscall::Poll => "poll",
            Syscall::Epoll => "epoll",
            Syscall::Accept => "accept",
            Syscall::Read => "read",
        }
    }

    /// The system call numbers of this machine that belong to the family.
    pub fn numbers(self) -> Vec<i64> {
        let mut n = match self {
            Syscall::Select => vec![libc::SYS_pselect6],
            Syscall::Poll => vec![libc::SYS_ppoll],
            Syscall::Epoll => vec![libc::SYS_epoll_pwait, libc::SYS_epoll_pwait2],
            Syscall::Accept => vec![libc::SYS_accept4, libc::SYS_accept],
            Syscall::Read => vec![libc::SYS_read, libc::SYS_recvfrom, libc::SYS_recvmsg],
        };
        // The old calls exist on x86_64 only (other architectures have just the new ones).
        #[cfg(target_arch = "x86_64")]
        n.extend(match self {
            Syscall::Select => vec![libc::SYS_select],
            Syscall::Poll => vec![libc::SYS_poll],
            Syscall::Epoll => vec![libc::SYS_epoll_wait],
            _ => vec![],
        });
        n
    }

    /// The family of system call number `nr`, if it is one of them.
    pub fn of(nr: i64) -> Option<Syscall> {
        Syscall::ALL
            .iter()
            .copied()
            .find(|s| s.numbers().contains(&nr))
    }
}

impl std::fmt::Display for Syscall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `connect: a`, or `connect: { client: a, proto: udp, port: 9999 }`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Connect {
    Name(String),
    Full(ConnectFull),
}

impl<'de> Deserialize<'de> for Connect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Connect;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a client name, or a map with `client`, `proto`, `port`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Connect, E> {
                Ok(Connect::Name(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Connect, A::Error> {
                ConnectFull::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Connect::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectFull {
    pub client: String,
    #[serde(default)]
    pub proto: Proto,
    /// Default: the port the program was found listening on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<Text>,
    /// Open this many clients at once, named CLIENT0, CLIENT1, ... (many connections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// TCP: the client's receive buffer in bytes (SO_RCVBUF, set before connecting; the
    /// kernel doubles it): a small one makes a reply the client does not read yet fill the
    /// server's socket, whatever the machine's buffer sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recv_buffer: Option<u32>,
}

impl Connect {
    pub fn client(&self) -> &str {
        match self {
            Connect::Name(n) => n,
            Connect::Full(f) => &f.client,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendStep {
    pub client: String,
    /// The bytes, as text (variables filled in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Text>,
    /// Or the bytes of a fixture file (`subject.files`), e.g. an upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Close right after sending: `half` (FIN, the reply can still be read) or `reset` (RST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then_close: Option<CloseHow>,
    /// Send the data this many times over (a flood).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    /// Send in pieces of this many bytes (1: a byte at a time), `pause` apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk: Option<u32>,
    /// The pause between pieces (default 10ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause: Option<Dur>,
}

/// When a read ends: `close` (the peer closes), `{ terminator: "##" }` (these bytes
/// arrived; they are part of what is matched) or `{ quiet: 300ms }` (nothing more arrives
/// for that long, after at least one byte).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    Terminator(Text),
    Close,
    Quiet(Dur),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UntilMap {
    #[serde(default)]
    terminator: Option<Text>,
    #[serde(default)]
    quiet: Option<Dur>,
}

impl<'de> Deserialize<'de> for Until {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Until;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`close`, or a map with `terminator` or `quiet`")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Until, E> {
                match v {
                    "close" => Ok(Until::Close),
                    _ => Err(E::custom(format!("unknown value `{v}`, expected `close`, `{{ terminator: TEXT }}` or `{{ quiet: DURATION }}`"))),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Until, A::Error> {
                let m = UntilMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                match (m.terminator, m.quiet) {
                    (Some(t), None) => Ok(Until::Terminator(t)),
                    (None, Some(q)) => Ok(Until::Quiet(q)),
                    _ => Err(A::Error::custom(
                        "`until` takes exactly one of `terminator`, `quiet` (or is `close`)",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecvStep {
    pub client: String,
    /// What the bytes read must match.
    #[serde(rename = "match")]
    pub matcher: Matcher,
    /// When the read ends (default: a quiet period of 300ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Until>,
    /// How long to wait for the first byte (default 2s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SilentStep {
    pub client: String,
    #[serde(rename = "for")]
    pub duration: Dur,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CloseHow {
    /// close(): FIN after the data.
    #[default]
    Graceful,
    /// shutdown(SHUT_WR): FIN, but the client still reads.
    Half,
    /// SO_LINGER 0 then close(): RST.
    Reset,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseStep {
    pub client: String,
    #[serde(default)]
    pub how: CloseHow,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptStep {
    pub server: String,
    /// The client name the accepted connection gets.
    #[serde(rename = "as")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputStep {
    #[serde(rename = "match")]
    pub matcher: Matcher,
    /// How long to wait (default 2s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
    /// How many lines must match (default 1), each a line of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Look at every line printed, before the last one matched too: for lines that race
    /// (a parent's and its child's). The next steps still look on from where they were.
    #[serde(default)]
    pub any_order: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitStep {
    /// How long to wait (default 5s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Dur>,
    /// The exit status it must end with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
}
