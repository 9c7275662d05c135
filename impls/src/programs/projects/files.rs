//! The file server (TCP): the course's "ftp 文件服务器" (day9/ftp) and its client, in both
//! course protocol versions (`--version 1|2`), and the mutants the scenarios of
//! `scenarios/files/` must catch. One file each: `files/protocol.rs` (the words and
//! framing both share), `files/server.rs`, `files/client.rs`.

mod client;
mod protocol;
mod server;

use super::super::Program;

pub static PROGRAMS: &[Program] = &[
    Program {
        name: "file-server",
        about: "the course's file server: L/G/P/Q (--version 2: LIST/RETR/STOR/EXIT) on a LIBRARY folder, a thread per client (--fork: a process); `/` and `..` refused, uploads renamed into place (claims ftp.list, ftp.get, ftp.put, ftp.concurrent)",
        main: server::main,
    },
    Program {
        name: "file-client",
        about: "the course's file client: prints a menu, reads list / get NAME / put PATH / quit from stdin, saves downloads in its working directory (claims ftp.prompt, ftp.list, ftp.get, ftp.put)",
        main: client::main,
    },
    Program {
        name: "mutant-file-server-follows-dotdot",
        about: "BUG: file server that joins any name to the library path: `../x` reads and writes beside the library, `../../etc/passwd` anywhere",
        main: server::follows_dotdot,
    },
    Program {
        name: "mutant-file-server-drops-last-chunk",
        about: "BUG: file server whose download loop drops the last full 1024-byte chunk: a file of exactly 1024 bytes (or any multiple) comes back short",
        main: server::drops_last_full_chunk,
    },
    Program {
        name: "mutant-file-server-one-at-a-time",
        about: "BUG: file server that serves one client at a time: a second client is not answered while the first stays connected",
        main: server::one_at_a_time,
    },
    Program {
        name: "mutant-file-server-writes-in-place",
        about: "BUG: file server that writes an upload straight into its name: a reader sees half a file, a client that leaves midway leaves one behind",
        main: server::writes_in_place,
    },
    Program {
        name: "mutant-file-server-lists-everything",
        about: "BUG: file server that lists the folder as it is: folders and hidden files are offered for download",
        main: server::lists_everything,
    },
    Program {
        name: "mutant-file-server-keeps-end-mark",
        about: "BUG: file server that writes the `##` ending an upload into the file",
        main: server::keeps_end_mark,
    },
    Program {
        name: "mutant-file-server-opens-folders",
        about: "BUG: file server that takes a folder for a file: `OK`, then nothing, for a folder's name",
        main: server::opens_folders,
    },
    Program {
        name: "mutant-file-server-list-no-end-mark",
        about: "BUG: file server whose v2 list (--version 2) ends without `##`: a course v2 client waits for it forever",
        main: server::list_without_end_mark,
    },
    Program {
        name: "mutant-file-client-menu-once",
        about: "BUG: file client that prints its menu once, before the first command only",
        main: client::menu_once,
    },
    Program {
        name: "mutant-file-client-keeps-end-mark",
        about: "BUG: file client that saves the `##` ending a download as the file's last two bytes",
        main: client::keeps_end_mark,
    },
];
