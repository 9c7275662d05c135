//! The chat room's wire format (docs/protocols.md, "Chat room (UDP)"): one request per
//! datagram, in the words of one of the two course versions, and the texts the room sends.
//!
//! | | v1 (2018-19) | v2 (2020) |
//! | --- | --- | --- |
//! | enter | `L name` → `OK` / `该用户已存在` | `LOGIN name` → `OK` / `FAIL` |
//! | speak | `C name text` | `CHAT name text` |
//! | leave | `Q name` → `EXIT` to the quitter | `EXIT name`, nothing back |
//!
//! Both versions send the same notices: `欢迎NAME进入聊天室` when someone enters,
//! `NAME 退出了聊天室` when someone leaves, `NAME : TEXT` for a message, and the admin's
//! announcement as a message from `管理员消息`.

/// The name the admin's announcements are sent under. No member may take a name containing
/// `管理员`, so nobody can pass for the admin.
pub const ADMIN: &str = "管理员消息";

/// The words of one course version.
#[derive(Debug, PartialEq, Eq)]
pub struct Version {
    pub number: u8,
    pub login: &'static str,
    pub chat: &'static str,
    pub quit: &'static str,
    pub ok: &'static str,
    pub refused: &'static str,
    /// What the quitter gets back, if anything (v1 `EXIT`; v2 nothing).
    pub exit_reply: Option<&'static str>,
}

pub const V1: Version = Version {
    number: 1,
    login: "L",
    chat: "C",
    quit: "Q",
    ok: "OK",
    refused: "该用户已存在",
    exit_reply: Some("EXIT"),
};

pub const V2: Version = Version {
    number: 2,
    login: "LOGIN",
    chat: "CHAT",
    quit: "EXIT",
    ok: "OK",
    refused: "FAIL",
    exit_reply: None,
};

/// `--protocol 1` (the default) or `--protocol 2` (`v1`, `v2` too).
pub fn from_args(argv: &[String]) -> Result<&'static Version, String> {
    match crate::programs::args::value(argv, "--protocol") {
        None | Some("1" | "v1") => Ok(&V1),
        Some("2" | "v2") => Ok(&V2),
        Some(other) => Err(format!("--protocol wants 1 or 2, got `{other}`")),
    }
}

/// One request, as a client sends it.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'a> {
    Login(&'a str),
    Chat { name: &'a str, text: &'a str },
    Quit(&'a str),
}

impl Version {
    /// Reads one datagram. A trailing newline is allowed (a client that sends lines); the
    /// text of a message is kept as sent, spaces included. `None` for anything else.
    pub fn parse<'a>(&self, datagram: &'a str) -> Option<Request<'a>> {
        let datagram = datagram.trim_end_matches(['\r', '\n']);
        let (word, rest) = datagram.split_once(' ').unwrap_or((datagram, ""));
        if word == self.login {
            Some(Request::Login(rest.trim()))
        } else if word == self.chat {
            let (name, text) = rest.split_once(' ').unwrap_or((rest, ""));
            Some(Request::Chat { name, text })
        } else if word == self.quit {
            Some(Request::Quit(rest.trim()))
        } else {
            None
        }
    }

    pub fn login_request(&self, name: &str) -> String {
        format!("{} {name}", self.login)
    }

    pub fn chat_request(&self, name: &str, text: &str) -> String {
        format!("{} {name} {text}", self.chat)
    }

    pub fn quit_request(&self, name: &str) -> String {
        format!("{} {name}", self.quit)
    }
}

/// A name the room refuses whoever holds it: empty, or one that passes for the admin.
pub fn forbidden_name(name: &str) -> bool {
    name.is_empty() || name.contains("管理员")
}

pub fn join_notice(name: &str) -> String {
    format!("欢迎{name}进入聊天室")
}

pub fn leave_notice(name: &str) -> String {
    format!("{name} 退出了聊天室")
}

pub fn message(name: &str, text: &str) -> String {
    format!("{name} : {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_of_both_versions_are_read() {
        assert_eq!(V1.parse("L tom"), Some(Request::Login("tom")));
        assert_eq!(
            V1.parse("C tom hello  world\n"),
            Some(Request::Chat {
                name: "tom",
                text: "hello  world"
            })
        );
        assert_eq!(V1.parse("Q tom"), Some(Request::Quit("tom")));
        assert_eq!(V2.parse("LOGIN tom"), Some(Request::Login("tom")));
        assert_eq!(V2.parse("EXIT tom"), Some(Request::Quit("tom")));
        // The other version's words mean nothing.
        assert_eq!(V2.parse("L tom"), None);
        assert_eq!(V1.parse("LOGIN tom"), None);
        assert_eq!(V1.parse(""), None);
    }

    #[test]
    fn a_request_is_what_the_parser_reads() {
        for v in [&V1, &V2] {
            assert_eq!(
                v.parse(&v.chat_request("tom", "a b")),
                Some(Request::Chat {
                    name: "tom",
                    text: "a b"
                })
            );
            assert_eq!(
                v.parse(&v.login_request("tom")),
                Some(Request::Login("tom"))
            );
            assert_eq!(v.parse(&v.quit_request("tom")), Some(Request::Quit("tom")));
        }
    }

    #[test]
    fn the_version_flag() {
        let args = |s: &str| vec!["--protocol".to_string(), s.to_string()];
        assert_eq!(from_args(&[]), Ok(&V1));
        assert_eq!(from_args(&args("2")), Ok(&V2));
        assert_eq!(from_args(&args("v1")), Ok(&V1));
        assert!(from_args(&args("3")).is_err());
    }
}
