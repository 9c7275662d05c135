//! The HTTP server: its program subjects. The reference is `{ref:http-server}`, the program of
//! the scenarios of `scenarios/http`; its twin is the course-style Python server, run with the
//! course profile (what a complete HTTP/1.1 server does beyond the course's is a SHOULD
//! there); the mutants are the reference with one bug, and the course's own bugs in Python.

use super::super::{
    catch,
    programs::{mutant, twin, ProgramSubject},
};

pub static SUBJECTS: &[ProgramSubject] = &[
    ProgramSubject {
        profile: Some("profiles/course-http.yaml"),
        ..twin(
            "py:http-server",
            "{ref:http-server}",
            "python3 examples/projects/http_server.py",
        )
    },
    mutant(
        "mutant:http-first-packet",
        "{ref:mutant-http-first-packet}",
        "an HTTP server that judges a request on its first packet",
        &[catch("http.slow-request", "wrong-reply")],
    ),
    mutant(
        "mutant:http-text-files",
        "{ref:mutant-http-text-files}",
        "an HTTP server that reads every file as text: a binary file ends it",
        &[catch("http.binary-file", "crashed")],
    ),
    mutant(
        "mutant:http-newest-only",
        "{ref:mutant-http-newest-only}",
        "an HTTP server that keeps only its newest connection",
        &[
            catch("http.many-clients", "no-reply"),
            catch("http.io-concurrency", "no-reply"),
        ],
    ),
    mutant(
        "mutant:http-course-style",
        "{ref:mutant-http-course-style}",
        "an HTTP server as the course's: no Content-Length, a close after every response",
        &[
            catch("http.headers", "wrong-reply"),
            catch("http.keep-alive", "no-reply"),
            catch("http.browser", "no-reply"),
        ],
    ),
    mutant(
        "mutant:http-any-method",
        "{ref:mutant-http-any-method}",
        "an HTTP server that answers every method as GET",
        &[
            catch("http.method-not-allowed", "wrong-reply"),
            catch("http.head", "wrong-reply"),
        ],
    ),
    mutant(
        "mutant:http-no-limit",
        "{ref:mutant-http-no-limit}",
        "an HTTP server with no bound on a request's head",
        &[catch("http.oversized-request-line", "no-reply")],
    ),
    mutant(
        "mutant:http-bare-newlines",
        "{ref:mutant-http-bare-newlines}",
        "an HTTP server whose head lines end in \\n, not \\r\\n",
        &[
            catch("http.serve", "wrong-reply"),
            catch("http.curl", "wrong-reply"),
        ],
    ),
    ProgramSubject {
        profile: Some("profiles/course-http.yaml"),
        ..mutant(
            "mutant:py-http-joins-path",
            "python3 examples/mutants/projects/http_server_joins_path.py",
            "the course's `self.dir + info`: a path out of ./static is served",
            &[catch("http.traversal", "wrong-reply")],
        )
    },
    ProgramSubject {
        profile: Some("profiles/course-http.yaml"),
        ..mutant(
            "mutant:py-http-dies-on-garbage",
            "python3 examples/mutants/projects/http_server_dies_on_garbage.py",
            "the course's unchecked parse: a request that is not HTTP ends the server",
            &[catch("http.bad-request", "crashed")],
        )
    },
    ProgramSubject {
        profile: Some("profiles/course-http.yaml"),
        ..mutant(
            "mutant:py-http-data-placeholder",
            "python3 examples/mutants/projects/http_server_data_placeholder.py",
            "the course's get_data: 200 and a placeholder for whatever is not a page",
            &[
                catch("http.not-found", "wrong-reply"),
                catch("http.dispatch", "wrong-reply"),
            ],
        )
    },
    ProgramSubject {
        profile: Some("profiles/course-http.yaml"),
        ..mutant(
            "mutant:py-http-broken-pipe",
            "python3 examples/mutants/projects/http_server_broken_pipe.py",
            "the course's blocking, unguarded send: a slow reader stops everyone, one that leaves ends the server",
            &[
                catch("http.leaves-mid-response", "crashed"),
                catch("http.slow-reader", "no-reply"),
            ],
        )
    },
];
