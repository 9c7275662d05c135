//! The loop server of the course ("循环服务器模型"): one process, one thread, one client at a
//! time. The next client is accepted only when the current one has left; meanwhile it waits
//! in the listen queue (its `connect` succeeds, its messages go unanswered).
//!
//! Protocol: echo-ack (docs/protocols.md): the bytes back, or `--reply TEXT` for each
//! message. Claims: `server.loop`, `io.blocking`.

use super::common::{self, Reply};

pub fn main(argv: &[String]) -> i32 {
    let reply = Reply::from_args(argv);
    let Some(listener) = common::listen("echo-loop-server", argv) else {
        return 1;
    };
    loop {
        match listener.accept() {
            // Served to the end before the next `accept`: that is the whole model. The
            // socket is closed when `stream` goes out of scope.
            Ok((mut stream, _)) => common::serve_blocking(&mut stream, &reply),
            Err(e) => common::accept_failed("echo-loop-server", &e),
        }
    }
}
