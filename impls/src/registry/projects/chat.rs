//! The group chat room (UDP): its program subjects. The scenarios of scenarios/chat run
//! `{ref:chat-server} --protocol {version}` or `{ref:chat-client} --protocol {version}` with
//! the v1 defaults; each has twins in v2 (our program and the course's Python, run with
//! profiles/v2.yaml) and in v1 (the course's Python). Each mutant runs in the version whose
//! scenario catches it.

use super::super::{
    catch,
    programs::{mutant, twin, ProgramSubject},
};

const SERVER: &str = "{ref:chat-server} --protocol {version}";
const CLIENT: &str = "{ref:chat-client} --protocol {version}";
const V2: Option<&str> = Some("profiles/v2.yaml");

pub static SUBJECTS: &[ProgramSubject] = &[
    ProgramSubject {
        about: "our chat room server, speaking v2 (LOGIN/CHAT/EXIT)",
        profile: V2,
        ..twin(
            "ref:chat-server-v2",
            SERVER,
            "{ref:chat-server} --protocol 2",
        )
    },
    ProgramSubject {
        about: "the course's chat room server in Python, v1 (the admin in a forked child)",
        ..twin(
            "py:chat-server",
            SERVER,
            "python3 examples/projects/chat_server.py",
        )
    },
    ProgramSubject {
        about: "the course's chat room server in Python, v2 (the admin in a thread)",
        profile: V2,
        ..twin(
            "py:chat-server-v2",
            SERVER,
            "python3 examples/projects/chat_server_v2.py",
        )
    },
    ProgramSubject {
        about: "our chat room client, speaking v2 (LOGIN/CHAT/EXIT)",
        profile: V2,
        ..twin(
            "ref:chat-client-v2",
            CLIENT,
            "{ref:chat-client} --protocol 2",
        )
    },
    ProgramSubject {
        about: "the course's chat room client in Python, v1 (a forked sender)",
        ..twin(
            "py:chat-client",
            CLIENT,
            "python3 examples/projects/chat_client.py",
        )
    },
    ProgramSubject {
        about: "the course's chat room client in Python, v2 (a receiving thread)",
        profile: V2,
        ..twin(
            "py:chat-client-v2",
            CLIENT,
            "python3 examples/projects/chat_client_v2.py",
        )
    },
    mutant(
        "mutant:chat-echoes",
        "{ref:mutant-chat-echoes}",
        "a chat server that sends each message back to its sender too",
        &[catch("chat.server-broadcast", "replied-too-soon")],
    ),
    mutant(
        "mutant:chat-duplicate-name",
        "{ref:mutant-chat-duplicate-name}",
        "a chat server that lets a newcomer take a name in use",
        &[catch("chat.server-unique-name", "wrong-reply")],
    ),
    mutant(
        "mutant:chat-silent-leave",
        "{ref:mutant-chat-silent-leave}",
        "a chat server that never tells the others someone left",
        &[catch("chat.server-leave-notice", "no-reply")],
    ),
    mutant(
        "mutant:py-chat-unknown-quit",
        "python3 examples/mutants/projects/chat_server_unknown_quit.py",
        "the course's chat server whose quit deletes an unknown name: KeyError, the room dies",
        &[catch("chat.server-unknown-user", "wrong-reply")],
    ),
    mutant(
        "mutant:chat-notice-to-joiner",
        "{ref:mutant-chat-notice-to-joiner}",
        "a chat server that tells the newcomer it joined",
        &[catch("chat.server-join-notice", "wrong-reply")],
    ),
    mutant(
        "mutant:chat-admin-name",
        "{ref:mutant-chat-admin-name}",
        "a chat server that lets a member take a name containing 管理员",
        &[catch("chat.server-admin-name-refused", "wrong-reply")],
    ),
    mutant(
        "mutant:chat-admin-ignored",
        "{ref:mutant-chat-admin-ignored}",
        "a chat server that never reads the admin's stdin",
        &[catch("chat.server-admin", "no-reply")],
    ),
    mutant(
        "mutant:chat-eof-ends-room",
        "{ref:mutant-chat-eof-ends-room}",
        "a chat server that ends when the admin's stdin ends",
        &[catch("chat.server-admin-eof", "crashed")],
    ),
    mutant(
        "mutant:chat-quitter-stays",
        "{ref:mutant-chat-quitter-stays}",
        "a chat server that announces a quit but keeps the quitter in the room",
        &[catch("chat.server-quit-exit-reply", "replied-too-soon")],
    ),
    ProgramSubject {
        profile: V2,
        ..mutant(
            "mutant:chat-quitter-stays-v2",
            "{ref:mutant-chat-quitter-stays} --protocol 2",
            "a v2 chat server that announces a quit but keeps the quitter in the room",
            &[catch("chat.server-quit-no-reply", "replied-too-soon")],
        )
    },
    mutant(
        "mutant:chat-no-exit-reply",
        "{ref:mutant-chat-no-exit-reply}",
        "a v1 chat server that never sends the quitter its EXIT",
        &[catch("chat.server-quit-exit-reply", "no-reply")],
    ),
    ProgramSubject {
        profile: V2,
        ..mutant(
            "mutant:chat-exit-reply-v2",
            "{ref:mutant-chat-exit-reply-v2} --protocol 2",
            "a v2 chat server that still answers a quit with v1's EXIT",
            &[catch("chat.server-quit-no-reply", "replied-too-soon")],
        )
    },
    mutant(
        "mutant:chat-ten-seats",
        "{ref:mutant-chat-ten-seats}",
        "a chat room of ten seats that tells the eleventh OK and never seats it",
        &[catch("chat.server-many-members", "wrong-reply")],
    ),
    ProgramSubject {
        profile: V2,
        ..mutant(
            "mutant:chat-client-v1-words",
            "{ref:mutant-chat-client-v1-words} --protocol 2",
            "a chat client that speaks v1 (L/C/Q) to a v2 server",
            &[catch("chat.client-session", "wrong-reply")],
        )
    },
    mutant(
        "mutant:chat-client-prints-first",
        "{ref:mutant-chat-client-prints-first}",
        "a chat client that prints the first message it receives, then nothing more",
        &[catch("chat.client-session", "missing-output")],
    ),
    mutant(
        "mutant:chat-client-gives-up",
        "{ref:mutant-chat-client-gives-up}",
        "a chat client that ends when its name is refused",
        &[catch("chat.client-refused-name", "crashed")],
    ),
    mutant(
        "mutant:chat-client-ignores-exit",
        "{ref:mutant-chat-client-ignores-exit}",
        "a v1 chat client that takes EXIT for a message and never ends",
        &[catch("chat.client-quit-exit", "no-exit")],
    ),
    ProgramSubject {
        profile: V2,
        ..mutant(
            "mutant:chat-client-waits-for-exit",
            "{ref:mutant-chat-client-waits-for-exit} --protocol 2",
            "a v2 chat client that waits for an EXIT reply that never comes",
            &[catch("chat.client-quit-v2", "no-exit")],
        )
    },
];
