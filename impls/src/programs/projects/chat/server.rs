//! The group chat room server of the course (群聊聊天室): one UDP socket, a table of the
//! members (name → address), and one loop that answers each datagram in turn. The admin's
//! announcements are typed on the server's stdin; a second thread reads them and sends each
//! to the server itself as a chat from `管理员消息`, as the course's forked child does, so
//! the room has one owner and needs no lock. At the end of that input the thread ends and
//! the room goes on.
//!
//! Claims: `chat.unique-name`, `chat.join-notice`, `chat.broadcast`, `chat.leave-notice`,
//! `chat.admin`. Protocol: either course version (`--protocol 1|2`, protocol.rs).
//!
//! Each `Bug` is a mutant (`conform ref --list`): the reference with one marked bug.

use std::io::BufRead;
use std::net::{SocketAddr, UdpSocket};

use super::protocol::{self, Request, Version, ADMIN};
use crate::programs::args;
use crate::programs::servers::common::{say, warn};

/// The one place a mutant differs from the reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bug {
    None,
    EchoesToSender,
    DuplicateName,
    SilentLeave,
    NoticeToJoiner,
    AdminNameAllowed,
    AdminIgnored,
    EofEndsRoom,
    QuitterStays,
    NoExitReply,
    ExitReplyAlways,
    TenSeats,
}

/// A datagram to send: where, and what.
pub type Datagram = (SocketAddr, String);

struct Member {
    name: String,
    addr: SocketAddr,
}

/// The room: who is in it, and what each request makes it send. No IO here.
pub struct Room {
    version: &'static Version,
    bug: Bug,
    members: Vec<Member>,
    /// The server's own address: the admin's announcements come from it.
    own: SocketAddr,
}

impl Room {
    pub fn new(version: &'static Version, own: SocketAddr, bug: Bug) -> Room {
        Room {
            version,
            bug,
            members: Vec::new(),
            own,
        }
    }

    /// Answers one datagram from `from`: what to send, and a line for the log.
    pub fn handle(&mut self, datagram: &str, from: SocketAddr) -> (Vec<Datagram>, String) {
        match self.version.parse(datagram) {
            Some(Request::Login(name)) => self.login(name, from),
            Some(Request::Chat { name, text }) => self.chat(name, text, from),
            Some(Request::Quit(name)) => self.quit(name, from),
            None => (
                Vec::new(),
                format!(
                    "not a request of protocol v{}: {datagram:?}",
                    self.version.number
                ),
            ),
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|m| m.name == name)
    }

    /// Every member but `except`, with `text`.
    fn to_others(&self, except: Option<&str>, text: &str) -> Vec<Datagram> {
        self.members
            .iter()
            .filter(|m| Some(m.name.as_str()) != except)
            .map(|m| (m.addr, text.to_owned()))
            .collect()
    }

    fn login(&mut self, name: &str, from: SocketAddr) -> (Vec<Datagram>, String) {
        let refuse = |why: &str| {
            (
                vec![(from, self.version.refused.to_owned())],
                format!("{name:?} refused: {why}"),
            )
        };
        let admin_like = protocol::forbidden_name(name) && !name.is_empty();
        if name.is_empty() || (admin_like && self.bug != Bug::AdminNameAllowed) {
            return refuse("a name no member may take");
        }
        let taken = self.position(name);
        if taken.is_some() && self.bug != Bug::DuplicateName {
            return refuse("the name is taken");
        }
        let mut out = vec![(from, self.version.ok.to_owned())];
        if self.bug == Bug::TenSeats && self.members.len() >= 10 {
            // BUG: a room of ten seats (`user = [None] * 10`): the eleventh is told OK but
            // never seated, so nothing ever reaches it.
            return (out, format!("{name} told OK, but the room is full"));
        }
        let notice = protocol::join_notice(name);
        if self.bug == Bug::NoticeToJoiner {
            // BUG: seated before the notice goes out, so the joiner is told it joined.
            self.members.push(Member {
                name: name.to_owned(),
                addr: from,
            });
            out.extend(self.to_others(None, &notice));
            return (out, format!("{name} entered from {from}"));
        }
        // The notice goes to those already in: the joiner is not among them yet.
        out.extend(self.to_others(None, &notice));
        match taken {
            // BUG: `user[name] = addr` without looking first: the newcomer takes the name
            // over, and its holder hears nothing more.
            Some(i) => self.members[i].addr = from,
            None => self.members.push(Member {
                name: name.to_owned(),
                addr: from,
            }),
        }
        (out, format!("{name} entered from {from}"))
    }

    fn chat(&mut self, name: &str, text: &str, from: SocketAddr) -> (Vec<Datagram>, String) {
        let member = self
            .position(name)
            .is_some_and(|i| self.members[i].addr == from);
        let admin = name == ADMIN && from == self.own;
        if !member && !admin {
            // Only a member speaks under its own name (and the admin, from the server).
            return (
                Vec::new(),
                format!("a message as {name:?} from {from}, who is not that member: dropped"),
            );
        }
        let except = if self.bug == Bug::EchoesToSender {
            // BUG: the loop over the members forgets `if i != name`.
            None
        } else {
            Some(name)
        };
        let out = self.to_others(except, &protocol::message(name, text));
        (out, format!("{name} says {text:?}"))
    }

    fn quit(&mut self, name: &str, from: SocketAddr) -> (Vec<Datagram>, String) {
        let exit_reply = match (self.version.exit_reply, self.bug) {
            // BUG: the quitter is never told EXIT, so its client never ends.
            (Some(_), Bug::NoExitReply) => None,
            // BUG: v1's EXIT sent in v2 too, where nothing goes back.
            (None, Bug::ExitReplyAlways) => Some("EXIT"),
            (reply, _) => reply,
        };
        let Some(i) = self
            .position(name)
            .filter(|&i| self.members[i].addr == from)
        else {
            // Not in the room (or not that member): nothing changes. A v1 client still
            // gets its EXIT, so that it ends.
            let out = exit_reply
                .map(|r| (from, r.to_owned()))
                .into_iter()
                .collect();
            return (out, format!("{name:?} quits, but is not in the room"));
        };
        if self.bug != Bug::QuitterStays {
            self.members.remove(i);
        } // else BUG: the quitter is never taken out, and keeps getting the room's traffic.
        let mut out = if self.bug == Bug::SilentLeave {
            // BUG: the leave notice is never sent.
            Vec::new()
        } else {
            self.to_others(Some(name), &protocol::leave_notice(name))
        };
        out.extend(exit_reply.map(|r| (from, r.to_owned())));
        (out, format!("{name} left"))
    }
}

pub fn main(argv: &[String]) -> i32 {
    run(argv, Bug::None)
}

pub fn run(argv: &[String], bug: Bug) -> i32 {
    let version = match protocol::from_args(argv) {
        Ok(v) => v,
        Err(e) => {
            warn(&format!("chat-server: {e}"));
            return 2;
        }
    };
    let port = args::port(argv);
    let socket = match UdpSocket::bind(("0.0.0.0", port)) {
        Ok(s) => s,
        Err(e) => {
            warn(&format!("chat-server: cannot bind UDP port {port}: {e}"));
            return 1;
        }
    };
    say(&format!(
        "chat room on UDP port {port} (protocol v{})",
        version.number
    ));
    let own = SocketAddr::from(([127, 0, 0, 1], port));
    if bug == Bug::AdminIgnored {
        // BUG: nobody reads stdin: what the admin types goes nowhere.
    } else {
        match socket.try_clone() {
            Ok(s) => {
                std::thread::spawn(move || admin(s, own, version, bug));
            }
            Err(e) => warn(&format!("chat-server: no admin: {e}")),
        }
    }
    let mut room = Room::new(version, own, bug);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) => {
                // A UDP socket reports an earlier send's ICMP error here: not fatal.
                warn(&format!("chat-server: recv: {e}"));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&buf[..n]);
        let (out, log) = room.handle(&text, from);
        say(&log);
        for (to, data) in out {
            if let Err(e) = socket.send_to(data.as_bytes(), to) {
                warn(&format!("chat-server: send to {to}: {e}"));
            }
        }
    }
}

/// The admin at the server's keyboard: each line typed goes to the room as a chat from
/// `管理员消息`, sent to the server itself. At the end of input the room goes on.
fn admin(socket: UdpSocket, own: SocketAddr, version: &Version, bug: Bug) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let text = line.trim_end();
        if text.is_empty() {
            continue;
        }
        if let Err(e) = socket.send_to(version.chat_request(ADMIN, text).as_bytes(), own) {
            warn(&format!("chat-server: admin: {e}"));
        }
    }
    if bug == Bug::EofEndsRoom {
        // BUG: the end of the admin's input ends the whole server (`sys.exit()` where the
        // reading loop should just stop).
        say("admin: end of input; closing the room");
        std::process::exit(0);
    }
    say("admin: end of input; the room goes on without announcements");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::projects::chat::protocol::{V1, V2};

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    fn room(v: &'static Version) -> Room {
        Room::new(v, addr(8888), Bug::None)
    }

    fn sent(out: &[Datagram]) -> Vec<(u16, &str)> {
        out.iter().map(|(a, t)| (a.port(), t.as_str())).collect()
    }

    #[test]
    fn a_taken_name_is_refused_and_the_room_hears_nothing() {
        let mut r = room(&V1);
        r.handle("L tom", addr(1));
        let (out, _) = r.handle("L tom", addr(2));
        assert_eq!(sent(&out), [(2, "该用户已存在")]);
        let (out, _) = r.handle("L 我是管理员", addr(3));
        assert_eq!(sent(&out), [(3, "该用户已存在")]);
    }

    #[test]
    fn the_join_notice_goes_to_the_others_only() {
        let mut r = room(&V2);
        assert_eq!(sent(&r.handle("LOGIN tom", addr(1)).0), [(1, "OK")]);
        let (out, _) = r.handle("LOGIN bob", addr(2));
        assert_eq!(sent(&out), [(2, "OK"), (1, "欢迎bob进入聊天室")]);
    }

    #[test]
    fn a_message_reaches_every_other_member() {
        let mut r = room(&V1);
        for (name, port) in [("tom", 1), ("bob", 2), ("ann", 3)] {
            r.handle(&format!("L {name}"), addr(port));
        }
        let (out, _) = r.handle("C bob hi all", addr(2));
        assert_eq!(sent(&out), [(1, "bob : hi all"), (3, "bob : hi all")]);
        // Not from bob's address: not bob.
        assert!(r.handle("C bob fake", addr(9)).0.is_empty());
        // The admin, from the server itself, reaches everyone.
        let (out, _) = r.handle("C 管理员消息 hello", addr(8888));
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn leaving_tells_the_others_and_the_quitter_as_the_version_says() {
        let mut r = room(&V1);
        r.handle("L tom", addr(1));
        r.handle("L bob", addr(2));
        let (out, _) = r.handle("Q bob", addr(2));
        assert_eq!(sent(&out), [(1, "bob 退出了聊天室"), (2, "EXIT")]);
        assert!(r.handle("C tom still here", addr(1)).0.is_empty());
        let mut r = room(&V2);
        r.handle("LOGIN tom", addr(1));
        r.handle("LOGIN bob", addr(2));
        let (out, _) = r.handle("EXIT bob", addr(2));
        assert_eq!(sent(&out), [(1, "bob 退出了聊天室")]);
    }

    #[test]
    fn an_unknown_quitter_changes_nothing() {
        let mut r = room(&V1);
        r.handle("L tom", addr(1));
        assert_eq!(sent(&r.handle("Q ghost", addr(5)).0), [(5, "EXIT")]);
        assert_eq!(sent(&r.handle("Q tom", addr(5)).0), [(5, "EXIT")]);
        r.handle("L bob", addr(2));
        assert_eq!(sent(&r.handle("C bob hi", addr(2)).0), [(1, "bob : hi")]);
    }
}
