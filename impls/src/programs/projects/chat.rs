//! The group chat room (UDP): the server and the client of the course, in both protocol
//! versions (`--protocol 1|2`; chat/protocol.rs), and the mutants scenarios must catch, each
//! the server or the client with one marked bug (`// BUG:` in chat/server.rs, chat/client.rs).

pub mod client;
pub mod protocol;
pub mod server;

use super::super::Program;
use client::Bug as C;
use server::Bug as S;

pub static PROGRAMS: &[Program] = &[
    Program {
        name: "chat-server",
        about: "chat room server over UDP, --protocol 1 (L/C/Q) or 2 (LOGIN/CHAT/EXIT); admin announcements from stdin (claims chat.unique-name, chat.join-notice, chat.broadcast, chat.leave-notice, chat.admin)",
        main: server::main,
    },
    Program {
        name: "chat-client",
        about: "chat room client over UDP, --protocol 1 or 2, --server HOST:PORT (127.0.0.1:8888): a name, then lines, from stdin; prints what the room sends (claims chat.unique-name, chat.broadcast)",
        main: client::main,
    },
    Program {
        name: "mutant-chat-echoes",
        about: "BUG: chat server that sends each message back to its sender too",
        main: |a| server::run(a, S::EchoesToSender),
    },
    Program {
        name: "mutant-chat-duplicate-name",
        about: "BUG: chat server that lets a second member take a name in use (and the holder loses it)",
        main: |a| server::run(a, S::DuplicateName),
    },
    Program {
        name: "mutant-chat-silent-leave",
        about: "BUG: chat server that never tells the others someone left",
        main: |a| server::run(a, S::SilentLeave),
    },
    Program {
        name: "mutant-chat-notice-to-joiner",
        about: "BUG: chat server that seats the newcomer before the join notice, so it is told it joined",
        main: |a| server::run(a, S::NoticeToJoiner),
    },
    Program {
        name: "mutant-chat-admin-name",
        about: "BUG: chat server that lets a member take a name containing 管理员 (and pass for the admin)",
        main: |a| server::run(a, S::AdminNameAllowed),
    },
    Program {
        name: "mutant-chat-admin-ignored",
        about: "BUG: chat server that never reads the admin's stdin",
        main: |a| server::run(a, S::AdminIgnored),
    },
    Program {
        name: "mutant-chat-eof-ends-room",
        about: "BUG: chat server that ends when the admin's stdin ends",
        main: |a| server::run(a, S::EofEndsRoom),
    },
    Program {
        name: "mutant-chat-quitter-stays",
        about: "BUG: chat server that announces a quit but keeps the quitter in the room",
        main: |a| server::run(a, S::QuitterStays),
    },
    Program {
        name: "mutant-chat-no-exit-reply",
        about: "BUG: chat server that never sends the v1 quitter its EXIT",
        main: |a| server::run(a, S::NoExitReply),
    },
    Program {
        name: "mutant-chat-exit-reply-v2",
        about: "BUG: chat server that sends EXIT back to a v2 quitter, where nothing goes back",
        main: |a| server::run(a, S::ExitReplyAlways),
    },
    Program {
        name: "mutant-chat-ten-seats",
        about: "BUG: chat room of ten seats: the eleventh member is told OK but never seated",
        main: |a| server::run(a, S::TenSeats),
    },
    Program {
        name: "mutant-chat-client-v1-words",
        about: "BUG: chat client that speaks v1 (L/C/Q) whatever --protocol says",
        main: |a| client::run(a, C::V1Words),
    },
    Program {
        name: "mutant-chat-client-gives-up",
        about: "BUG: chat client that ends when its name is refused instead of asking for another",
        main: |a| client::run(a, C::GivesUp),
    },
    Program {
        name: "mutant-chat-client-ignores-exit",
        about: "BUG: v1 chat client that takes EXIT for a message and never ends",
        main: |a| client::run(a, C::IgnoresExit),
    },
    Program {
        name: "mutant-chat-client-waits-for-exit",
        about: "BUG: v2 chat client that waits for an EXIT reply that never comes",
        main: |a| client::run(a, C::WaitsForExit),
    },
    Program {
        name: "mutant-chat-client-prints-first",
        about: "BUG: chat client that prints the first message it receives, then nothing more",
        main: |a| client::run(a, C::PrintsFirstOnly),
    },
];
