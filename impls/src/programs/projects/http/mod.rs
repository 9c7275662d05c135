//! The course's HTTP server ("HTTPServer v2.0", docs/protocols.md#http-server): static files
//! over HTTP/1.1 (RFC 9112) from one thread, by IO multiplexing. One file per step of the
//! course's list: [`request`] parses, [`files`] finds the content, [`response`] shapes the
//! answer; [`server`] is the event loop that serves every client at once.
//!
//! `conform ref http-server [--port 8000] [--root ./static]`: GET and HEAD of the files
//! under the root (`/` is `/index.html`), 200 with `Content-Type` and `Content-Length`, 404,
//! 405 with `Allow`, 400 for what is not HTTP, 414 and 431 for a request line or head too
//! long, 403 for a path that leaves the root; keep-alive unless `Connection: close` (HTTP/1.1)
//! or HTTP/1.0. Claims `http.serve`, `http.io-concurrency`, `http.dispatch`.

pub mod files;
pub mod request;
pub mod response;
pub mod server;

use super::super::Program;
use server::Bug;

pub static PROGRAMS: &[Program] = &[
    Program {
        name: "http-server",
        about: "HTTP/1.1 static file server from ./static (--root), port 8000 (--port), one thread with mio (claims http.serve, http.io-concurrency, http.dispatch)",
        main: |argv| server::run(argv, Bug::None),
    },
    Program {
        name: "mutant-http-first-packet",
        about: "BUG: HTTP server judging a request on its first packet: a request split over several packets gets a 400",
        main: |argv| server::run(argv, Bug::FirstPacket),
    },
    Program {
        name: "mutant-http-text-files",
        about: "BUG: HTTP server reading every file as UTF-8 text: a binary file ends the server",
        main: |argv| server::run(argv, Bug::TextFiles),
    },
    Program {
        name: "mutant-http-newest-only",
        about: "BUG: HTTP server keeping only its newest connection: a new client drops the one being served",
        main: |argv| server::run(argv, Bug::NewestOnly),
    },
    Program {
        name: "mutant-http-course-style",
        about: "BUG: HTTP server as the course's: no Content-Length, and a close after every response (no keep-alive)",
        main: |argv| server::run(argv, Bug::CourseStyle),
    },
    Program {
        name: "mutant-http-any-method",
        about: "BUG: HTTP server answering every method as GET: DELETE gets the page, HEAD gets a body",
        main: |argv| server::run(argv, Bug::AnyMethod),
    },
    Program {
        name: "mutant-http-no-limit",
        about: "BUG: HTTP server with no bound on a request's head: an endless request line is buffered and waited for, for ever",
        main: |argv| server::run(argv, Bug::NoLimit),
    },
    Program {
        name: "mutant-http-bare-newlines",
        about: "BUG: HTTP server ending the lines of its head in \\n instead of \\r\\n",
        main: |argv| server::run(argv, Bug::BareNewlines),
    },
];

#[cfg(test)]
mod tests {
    #[test]
    fn mutants_say_their_bug() {
        for p in super::PROGRAMS {
            assert_eq!(
                p.name.starts_with("mutant-"),
                p.about.starts_with("BUG:"),
                "{}",
                p.name
            );
        }
    }
}
