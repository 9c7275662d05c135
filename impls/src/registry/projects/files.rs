//! The file server (TCP): its program subjects. The scenarios of `scenarios/files/` run
//! `{ref:file-server} library` (the server scenarios) or `{ref:file-client}` (the client
//! ones); every twin below runs each of them too, in its version, and must pass it unless
//! caught by it. Mutants speak v1, but for the one of a v2-only scenario.

use super::super::programs::{mutant, twin, ProgramSubject};
use super::super::{catch, Catch};

/// The version each twin speaks: a v1 one gets no trial for a v2-only scenario.
const V1: Option<&str> = Some("profiles/v1.yaml");
const V2: Option<&str> = Some("profiles/v2.yaml");

/// The command line of the server scenarios: the library is the folder `library` of the
/// working directory (where the scenarios also map the course's `/home/tarena/FTP`).
const SERVER: &str = "{ref:file-server} library";

/// The command line of the client scenarios: it connects to 127.0.0.1:8888.
const CLIENT: &str = "{ref:file-client}";

/// What the course's server does not do, and so a faithful course-style server does not:
/// it follows `..` out of the library, and writes an upload straight into its name.
const COURSE_SERVER: &[Catch] = &[
    catch("files.server.traversal", "wrong-reply"),
    catch("files.server.upload-cut-off", "wrong-file"),
    catch("files.server.half-upload-unseen", "wrong-reply"),
];

pub static SUBJECTS: &[ProgramSubject] = &[
    ProgramSubject {
        about: "the reference file server in v2 (LIST/RETR/STOR/EXIT)",
        profile: V2,
        ..twin(
            "ref:file-server-v2",
            SERVER,
            "{ref:file-server} --version 2 library",
        )
    },
    ProgramSubject {
        about: "the reference file server with a process per client",
        profile: V1,
        ..twin(
            "ref:file-server-fork",
            SERVER,
            "{ref:file-server} --fork library",
        )
    },
    ProgramSubject {
        about: "the course's file server in Python (v1): a process per client, /home/tarena/FTP hard-coded, names unchecked, uploads written in place",
        caught_by: COURSE_SERVER,
        profile: V1,
        ..twin(
            "py:ftp-server",
            SERVER,
            "python3 examples/projects/ftp_server.py",
        )
    },
    ProgramSubject {
        about: "the 2020 course's file server in Python (v2): a thread per client, /home/tarena/FTP hard-coded, names unchecked, uploads written in place",
        caught_by: COURSE_SERVER,
        profile: V2,
        ..twin(
            "py:ftp-server-v2",
            SERVER,
            "python3 examples/projects/ftp_server_v2.py",
        )
    },
    ProgramSubject {
        about: "the reference file client in v2 (LIST/RETR/STOR/EXIT)",
        profile: V2,
        ..twin("ref:file-client-v2", CLIENT, "{ref:file-client} --version 2")
    },
    ProgramSubject {
        about: "the course's file client in Python (v1)",
        profile: V1,
        ..twin(
            "py:ftp-client",
            CLIENT,
            "python3 examples/projects/ftp_client.py",
        )
    },
    ProgramSubject {
        about: "the 2020 course's file client in Python (v2)",
        profile: V2,
        ..twin(
            "py:ftp-client-v2",
            CLIENT,
            "python3 examples/projects/ftp_client_v2.py",
        )
    },
    mutant(
        "mutant:file-server-follows-dotdot",
        "{ref:mutant-file-server-follows-dotdot} library",
        "a file server that joins any name to the library path: `..` leads out",
        &[catch("files.server.traversal", "wrong-file")],
    ),
    mutant(
        "mutant:file-server-drops-last-chunk",
        "{ref:mutant-file-server-drops-last-chunk} library",
        "a file server that drops a file's last full 1024-byte chunk",
        &[catch("files.server.get", "wrong-reply")],
    ),
    mutant(
        "mutant:file-server-one-at-a-time",
        "{ref:mutant-file-server-one-at-a-time} library",
        "a file server that serves one client at a time",
        &[
            catch("files.server.concurrent", "no-reply"),
            catch("files.server.long-transfer", "no-reply"),
        ],
    ),
    mutant(
        "mutant:file-server-writes-in-place",
        "{ref:mutant-file-server-writes-in-place} library",
        "a file server that writes an upload straight into its name",
        &[
            catch("files.server.upload-cut-off", "wrong-file"),
            catch("files.server.half-upload-unseen", "wrong-reply"),
        ],
    ),
    mutant(
        "mutant:file-server-lists-everything",
        "{ref:mutant-file-server-lists-everything} library",
        "a file server that lists folders and hidden files too",
        &[catch("files.server.list", "wrong-reply")],
    ),
    mutant(
        "mutant:file-server-keeps-end-mark",
        "{ref:mutant-file-server-keeps-end-mark} library",
        "a file server that writes the `##` ending an upload into the file",
        &[catch("files.server.put", "wrong-file")],
    ),
    mutant(
        "mutant:file-server-opens-folders",
        "{ref:mutant-file-server-opens-folders} library",
        "a file server that answers `OK` for a folder's name, then nothing",
        &[catch("files.server.get-missing", "wrong-reply")],
    ),
    ProgramSubject {
        profile: V2,
        ..mutant(
            "mutant:file-server-list-no-end-mark",
            "{ref:mutant-file-server-list-no-end-mark} --version 2 library",
            "a file server whose v2 list ends without `##`",
            &[catch("files.server.list-end-mark", "wrong-reply")],
        )
    },
    mutant(
        "mutant:file-client-menu-once",
        "{ref:mutant-file-client-menu-once}",
        "a file client that prints its menu before the first command only",
        &[catch("files.client.menu", "missing-output")],
    ),
    mutant(
        "mutant:file-client-keeps-end-mark",
        "{ref:mutant-file-client-keeps-end-mark}",
        "a file client that saves a download's `##` as its last two bytes",
        &[catch("files.client.transfer", "wrong-file")],
    ),
];
