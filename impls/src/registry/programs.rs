//! Every program subject: the reference servers of each model (ours in Rust, and the course's
//! in Python under `examples/`), which must pass every scenario of their model, and the
//! broken programs that named scenarios must catch. Commands run from the project root;
//! `{ref:NAME}` is a reference program of this crate (`conform ref NAME`).

use super::{catch, Catch};

/// A program a scenario runs.
#[derive(Debug, Clone, Copy)]
pub struct ProgramSubject {
    pub name: &'static str,
    pub about: &'static str,
    pub command: &'static str,
    /// A reference passes every scenario of its `model`; a mutant is only run where caught.
    pub mutant: bool,
    /// The server model it implements (`loop`, `fork`, `thread`, `select`, `poll`, `epoll`,
    /// `epoll-et`), if it is a server.
    pub model: Option<&'static str>,
    /// A second implementation of a reference program (the course's Python beside our
    /// Rust): it must pass every scenario whose program is this command.
    pub twin_of: Option<&'static str>,
    /// Scenarios that must fail it, and how: a mutant's bug, or, for a reference, a
    /// scenario of another model that its own model does not promise.
    pub caught_by: &'static [Catch],
    /// A course profile (a file under `profiles/`, e.g. `profiles/v2.yaml`) whose variables
    /// the scenarios are run with for this subject: the protocol version it speaks.
    pub profile: Option<&'static str>,
}

pub(super) const fn server(
    name: &'static str,
    model: &'static str,
    command: &'static str,
    about: &'static str,
    caught_by: &'static [Catch],
) -> ProgramSubject {
    ProgramSubject {
        name,
        about,
        command,
        mutant: false,
        model: Some(model),
        twin_of: None,
        caught_by,
        profile: None,
    }
}

pub(super) const fn twin(
    name: &'static str,
    of: &'static str,
    command: &'static str,
) -> ProgramSubject {
    ProgramSubject {
        name,
        about: "the course's Python version of the program",
        command,
        mutant: false,
        model: None,
        twin_of: Some(of),
        caught_by: &[],
        profile: None,
    }
}

pub(super) const fn mutant(
    name: &'static str,
    command: &'static str,
    about: &'static str,
    caught_by: &'static [Catch],
) -> ProgramSubject {
    ProgramSubject {
        name,
        about,
        command,
        mutant: true,
        model: None,
        twin_of: None,
        caught_by,
        profile: None,
    }
}

/// What a concurrent model promises and the loop server does not: a second client served
/// while the first stays connected.
const NOT_CONCURRENT: &[Catch] = &[
    catch("servers.two-clients-at-once", "no-reply"),
    catch("servers.slow-client", "no-reply"),
];

static PROGRAMS: &[ProgramSubject] = &[
    server(
        "ref:loop",
        "loop",
        "{ref:echo-loop-server}",
        "the loop server: one client at a time",
        NOT_CONCURRENT,
    ),
    server(
        "ref:fork",
        "fork",
        "{ref:echo-fork-server}",
        "a process per client, reaped when it leaves",
        &[],
    ),
    server(
        "ref:thread",
        "thread",
        "{ref:echo-thread-server}",
        "a thread per client",
        &[
            // A thread per client is not one thread serving everyone, nor one at a time.
            catch("servers.multiplexing-one-thread", "wrong-tree"),
            catch("servers.loop-one-at-a-time", "replied-too-soon"),
        ],
    ),
    server(
        "ref:select",
        "select",
        "{ref:echo-select-server}",
        "IO multiplexing with select",
        &[catch("servers.loop-one-at-a-time", "replied-too-soon")],
    ),
    server(
        "ref:poll",
        "poll",
        "{ref:echo-poll-server}",
        "IO multiplexing with poll",
        &[],
    ),
    server(
        "ref:epoll",
        "epoll",
        "{ref:echo-epoll-server}",
        "IO multiplexing with epoll, level-triggered",
        &[catch("servers.epoll-edge-triggered", "wrong-mechanism")],
    ),
    server(
        "ref:epoll-et",
        "epoll-et",
        "{ref:echo-epoll-et-server}",
        "IO multiplexing with epoll, edge-triggered, draining until would-block",
        &[],
    ),
    server(
        "py:loop",
        "loop",
        "python3 examples/servers/loop_server.py {port}",
        "the course's loop server in Python",
        NOT_CONCURRENT,
    ),
    server(
        "py:fork",
        "fork",
        "python3 examples/servers/fork_server.py {port}",
        "the course's fork server in Python (SIGCHLD ignored)",
        &[],
    ),
    server(
        "py:thread",
        "thread",
        "python3 examples/servers/thread_server.py {port}",
        "the course's thread server in Python",
        &[],
    ),
    server(
        "py:select",
        "select",
        "python3 examples/servers/select_server.py {port}",
        "the course's select server in Python",
        // As the course's: select() raises ValueError at the 1025th descriptor.
        &[catch("servers.select-fd-setsize", "crashed")],
    ),
    server(
        "py:poll",
        "poll",
        "python3 examples/servers/poll_server.py {port}",
        "the course's poll server in Python",
        &[],
    ),
    server(
        "py:epoll",
        "epoll",
        "python3 examples/servers/epoll_server.py {port}",
        "the course's epoll server in Python",
        &[],
    ),
    twin("py:io-blocking", "{ref:io-modes} --mode blocking", "python3 examples/io/io_modes.py --mode blocking"),
    twin("py:io-nonblocking", "{ref:io-modes} --mode nonblocking", "python3 examples/io/io_modes.py --mode nonblocking"),
    twin("py:io-timeout", "{ref:io-modes} --mode timeout", "python3 examples/io/io_modes.py --mode timeout"),
    mutant("mutant:io-timeout-as-blocking", "{ref:io-modes} --mode timeout", "a socket given a timeout where it should block: accept gives up", &[
        catch("io.blocking-accept", "missing-output"),
    ]),
    mutant("mutant:py-io-forgot-setblocking", "python3 examples/mutants/io/forgot_setblocking.py --mode nonblocking", "setblocking(False) forgotten: accept blocks", &[
        catch("io.nonblocking-accept", "missing-output"),
    ]),
    mutant("mutant:py-io-timeout-in-ms", "python3 examples/mutants/io/timeout_in_ms.py --mode timeout", "settimeout given milliseconds: it waits a thousand times too long", &[
        catch("io.timeout-accept", "missing-output"),
    ]),
    mutant("mutant:py-get-pid-saved", "python3 examples/mutants/process/get_pid_saved.py", "a pid saved before fork and printed by both branches", &[catch("process.get-pid", "missing-output")]),
    mutant("mutant:py-dead-lock", "python3 examples/deadlock/dead_lock.py", "the course's dead_lock.py: each transfer locks the payer's account first; the two threads deadlock", &[catch("deadlock.program-dead-lock", "deadlock")]),
    mutant("mutant:py-zombie-waits-first", "python3 examples/mutants/process/zombie_waits_first.py", "a zombie demo whose parent waits at once: no zombie appears", &[catch("process.zombie-persists", "missing-output")]),
    mutant("mutant:py-sigchld-default", "python3 examples/mutants/process/sigchld_default.py", "SIGCHLD set to SIG_DFL in the belief that the default ignores: zombies appear", &[catch("process.sigchld-ignore", "missing-output")]),
    mutant("mutant:py-orphan-waits-for-init", "python3 examples/mutants/process/orphan_waits_for_init.py", "an orphan that waits to be adopted by pid 1, while a subreaper adopts it", &[catch("process.orphan-adopted", "missing-output")]),
    mutant("mutant:py-process-no-join", "python3 examples/mutants/process/process_no_join.py", "join forgotten: the process still runs when its exit code is read", &[catch("process.attributes", "missing-output")]),
    mutant("mutant:py-process-subclass-run", "python3 examples/mutants/process/process_subclass_run.py", "run() called instead of start(): the body runs in the parent", &[catch("process.subclass", "missing-output")]),
    mutant("mutant:py-queue-timeout-ignored", "python3 examples/mutants/process/queue_timeout_ignored.py", "get(block=False, timeout=0.3): the timeout is ignored", &[catch("process.queue-between-processes", "missing-output")]),
    mutant("mutant:py-pipe-end-kept", "python3 examples/mutants/process/pipe_end_kept.py", "the parent keeps the child's end of the pipe open: no end of file ever", &[catch("process.pipe", "missing-output")]),
    mutant("mutant:py-shm-plain-variables", "python3 examples/mutants/process/shm_plain_variables.py", "plain variables instead of Value/Array: the child's writes stay in its copy", &[catch("process.shared-memory", "missing-output")]),
    mutant("mutant:py-signal-handler-in-child", "python3 examples/mutants/process/signal_handler_in_child.py", "the handler installed in the child only: SIGUSR1 kills the parent", &[catch("process.signal", "missing-output")]),
    mutant("mutant:py-semaphore-per-child", "python3 examples/mutants/process/semaphore_per_child.py", "a semaphore made in each child: everyone is inside at once", &[catch("process.semaphore", "missing-output")]),
    mutant("mutant:py-thread-server-one-message", "python3 examples/mutants/servers/thread_server_one_message.py {port}", "a handler without its loop: one answer per client", &[catch("servers.echo-in-order", "no-reply")]),
    mutant("mutant:py-loop-server-accepts-once", "python3 examples/mutants/servers/loop_server_accepts_once.py {port}", "no loop around accept: one client, then the server exits", &[catch("servers.taking-turns", "no-reply")]),
    mutant("mutant:py-select-half-close", "python3 examples/mutants/servers/select_server_half_close.py {port}", "a select server that drops the answer owed to a client whose end of file came with its message", &[catch("servers.half-close", "no-reply")]),
    mutant("mutant:py-select-decodes", "python3 examples/mutants/servers/select_server_decodes.py {port}", "a select server that prints each message with data.decode(): bytes that are not UTF-8 end it", &[catch("servers.binary-bytes", "crashed")]),
    twin("py:bits", "{ref:bits}", "python3 examples/io/bits.py"),
    mutant("mutant:py-bits-logical", "python3 examples/mutants/io/bits_logical.py", "`and`/`or` written for `&`/`|`", &[
        catch("io.bit-operations", "missing-output"),
    ]),
    twin("py:no-stdin", "{ref:no-stdin}", "python3 examples/process/no_stdin.py"),
    mutant("mutant:py-no-stdin-os-fork", "python3 examples/mutants/process/no_stdin_os_fork.py", "a child made with a bare fork reads the parent's input", &[
        catch("process.no-stdin", "missing-output"),
    ]),
    twin("py:pool-default", "{ref:pool} --tasks 16", "python3 examples/process/pool.py --tasks 16"),
    mutant("mutant:pool-fork-per-task-default", "{ref:mutant-pool-fork-per-task} --tasks 16", "a default-sized pool that forks a process per task", &[
        catch("process.pool-default-size", "wrong-result"),
    ]),
    twin("py:fork-fail", "{ref:fork-fail}", "python3 examples/process/fork_fail.py"),
    mutant("mutant:py-fork-fail-unhandled", "python3 examples/mutants/process/fork_fail_unhandled.py", "fork called as if it could not fail: a traceback at the first EAGAIN", &[
        catch("process.fork-fails", "missing-output"),
    ]),
    mutant("mutant:py-child-forgets-wait", "python3 examples/mutants/process/child_forgets_wait.py", "a double fork whose parent never waits for the middle child", &[
        catch("process.double-fork", "zombie"),
    ]),
    mutant("mutant:py-daemon-survives", "python3 examples/mutants/process/daemon_survives.py", "a daemon child that outlives its parent", &[
        catch("process.daemon-dies-with-parent", "wrong-tree"),
    ]),
    mutant("mutant:py-fork-shares-memory", "python3 examples/mutants/process/fork_shares_memory.py", "a child that is really a thread: its write shows in the parent", &[
        catch("process.fork-copies-memory", "missing-output"),
    ]),
    twin("py:fork-demo", "{ref:fork}", "python3 examples/process/fork.py"),
    twin(
        "py:get-pid",
        "{ref:get-pid}",
        "python3 examples/process/get_pid.py",
    ),
    twin("py:wait", "{ref:wait}", "python3 examples/process/wait.py"),
    twin(
        "py:zombie",
        "{ref:zombie}",
        "python3 examples/process/zombie.py",
    ),
    twin(
        "py:child",
        "{ref:child}",
        "python3 examples/process/child.py",
    ),
    twin(
        "py:sigchld-ignore",
        "{ref:sigchld-ignore}",
        "python3 examples/process/sigchld_ignore.py",
    ),
    twin(
        "py:orphan",
        "{ref:orphan}",
        "python3 examples/process/orphan.py",
    ),
    twin(
        "py:process",
        "{ref:process}",
        "python3 examples/process/process.py",
    ),
    twin(
        "py:daemon",
        "{ref:daemon}",
        "python3 examples/process/daemon.py",
    ),
    twin(
        "py:process-subclass",
        "{ref:process-subclass}",
        "python3 examples/process/process_subclass.py",
    ),
    twin(
        "py:pool",
        "{ref:pool} --workers 2",
        "python3 examples/process/pool.py --workers 2",
    ),
    twin(
        "py:queue",
        "{ref:queue}",
        "python3 examples/process/queue_0.py",
    ),
    twin("py:pipe", "{ref:pipe}", "python3 examples/process/pipe.py"),
    twin("py:shm", "{ref:shm}", "python3 examples/process/shm.py"),
    twin(
        "py:signal",
        "{ref:signal}",
        "python3 examples/process/signal_0.py",
    ),
    twin(
        "py:semaphore",
        "{ref:semaphore}",
        "python3 examples/process/semaphore.py",
    ),
    twin(
        "py:exit-text",
        "{ref:exit} --text bye",
        "python3 examples/process/exit.py --text bye",
    ),
    twin(
        "py:thread-daemon",
        "{ref:thread-daemon}",
        "python3 examples/process/thread_daemon.py",
    ),
    mutant(
        "mutant:wait-forgets",
        "{ref:mutant-wait-forgets}",
        "a parent that never waits for its child",
        &[catch("process.wait-reaps", "zombie")],
    ),
    mutant(
        "mutant:py-wait-forgets",
        "python3 examples/mutants/process/wait_forgets.py",
        "a parent that never waits for its child",
        &[
            catch("process.wait-reaps", "zombie"),
            catch("process.no-lasting-zombie", "zombie"),
        ],
    ),
    mutant(
        "mutant:wait-status-lost",
        "{ref:mutant-wait-status-lost}",
        "a parent that reads the child's status wrongly (status & 0x7f)",
        &[catch("process.wait-reaps", "missing-output")],
    ),
    mutant(
        "mutant:child-forgets-wait",
        "{ref:mutant-child-forgets-wait}",
        "a double fork whose parent never waits for the middle child",
        &[catch("process.double-fork", "zombie")],
    ),
    mutant(
        "mutant:pool-fork-per-task",
        "{ref:mutant-pool-fork-per-task} --workers 2",
        "a pool that forks a process per task",
        &[catch("process.pool-reuses-workers", "wrong-result")],
    ),
    mutant(
        "mutant:py-pool-fork-per-task",
        "python3 examples/mutants/process/pool_fork_per_task.py --workers 2",
        "a pool that forks a process per task",
        &[catch("process.pool-reuses-workers", "wrong-result")],
    ),
    mutant(
        "mutant:daemon-survives",
        "{ref:mutant-daemon-survives}",
        "a daemon child that outlives its parent",
        &[catch("process.daemon-dies-with-parent", "wrong-tree")],
    ),
    mutant(
        "mutant:fork-shares-memory",
        "{ref:mutant-fork-shares-memory}",
        "a child that is really a thread: its write shows in the parent",
        &[catch("process.fork-copies-memory", "missing-output")],
    ),
    mutant(
        "mutant:py-exit-text-status-0",
        "python3 examples/mutants/process/exit_text_status_0.py --text bye",
        "exit(\"text\") written as print(text) and a normal exit",
        &[catch("process.exit-text", "wrong-status")],
    ),
    mutant(
        "mutant:py-thread-daemon-all",
        "python3 examples/mutants/process/thread_daemon_all.py",
        "every thread made a daemon: the program ends before its worker is done",
        &[catch("threads.daemon-thread", "missing-output")],
    ),
    mutant(
        "mutant:select-wlist",
        "{ref:mutant-select-wlist}",
        "a select server that keeps every client in the write list: it spins",
        &[catch("servers.idle-no-spin", "busy-loop")],
    ),
    mutant(
        "mutant:poll-keeps-closed",
        "{ref:mutant-poll-keeps-closed}",
        "a poll server that never unregisters a closed descriptor: it spins",
        &[catch("servers.idle-no-spin", "busy-loop")],
    ),
    mutant(
        "mutant:fork-never-reaps",
        "{ref:mutant-fork-never-reaps}",
        "a fork server that never waits for its children",
        &[catch("servers.fork-per-client", "zombie")],
    ),
    mutant(
        "mutant:thread-never-ends",
        "{ref:mutant-thread-never-ends}",
        "a thread server whose threads outlive their clients",
        &[catch("servers.thread-per-client", "wrong-tree")],
    ),
    mutant(
        "mutant:epoll-et-reads-once",
        "{ref:mutant-epoll-et-reads-once}",
        "an edge-triggered server that reads once per event: the rest of a large message stalls",
        &[catch("servers.large-message", "wrong-reply")],
    ),
    mutant(
        "mutant:select-dies-on-reset",
        "{ref:mutant-select-dies-on-reset}",
        "a select server that dies when a client resets its connection",
        &[catch("servers.client-resets", "crashed")],
    ),
    mutant(
        "mutant:newest-only",
        "{ref:mutant-newest-only}",
        "a server that only ever serves its newest client",
        &[catch("servers.two-clients-at-once", "no-reply")],
    ),
    mutant(
        "mutant:thread-as-select",
        "{ref:echo-thread-server}",
        "a thread-per-client server presented as a select server",
        &[catch("servers.waits-in-select", "wrong-mechanism")],
    ),
    mutant(
        "mutant:select-as-poll",
        "{ref:echo-select-server}",
        "a select server presented as a poll server",
        &[catch("servers.waits-in-poll", "wrong-mechanism")],
    ),
    mutant(
        "mutant:epoll-drops-on-wouldblock",
        "{ref:mutant-epoll-drops-on-wouldblock}",
        "an epoll server that drops the rest of an answer the socket would not take",
        &[catch("servers.large-reply-unread", "wrong-reply")],
    ),
    mutant(
        "mutant:select-as-epoll",
        "{ref:echo-select-server}",
        "a select server presented as an epoll server: it cannot hold more than FD_SETSIZE",
        &[catch("servers.epoll-ten-thousand", "no-reply")],
    ),
    mutant(
        "mutant:poll-as-epoll",
        "{ref:echo-poll-server}",
        "a poll server presented as an epoll server",
        &[catch("servers.waits-in-epoll", "wrong-mechanism")],
    ),
    mutant(
        "mutant:py-echo-no-reply",
        "python3 examples/mutants/echo_server_no_reply.py",
        "an echo server that reads but never answers",
        &[catch("servers.echo-hardcoded-port", "no-reply")],
    ),
    mutant(
        "mutant:py-echo-spins",
        "python3 examples/mutants/echo_server_spins.py",
        "a select server that leaves every socket in the write list and spins",
        &[catch("servers.idle-no-spin", "busy-loop")],
    ),
    mutant(
        "mutant:py-fork-never-waits",
        "python3 examples/mutants/fork_never_waits.py",
        "a parent that never waits for its child (a zombie until it exits)",
        &[catch("process.fork-wait-reaps", "zombie")],
    ),
    mutant(
        "mutant:py-chat-client-wrong-login",
        "python3 examples/mutants/chat_client_wrong_login.py",
        "a chat client that logs in without the `L` command",
        &[catch("chat.client-login-and-chat", "wrong-reply")],
    ),
];

/// Every program subject: those listed above, then the course projects' (chat room, file
/// server, HTTP server, in `projects/`).
pub fn program_subjects() -> &'static [ProgramSubject] {
    static ALL: std::sync::LazyLock<Vec<ProgramSubject>> = std::sync::LazyLock::new(|| {
        PROGRAMS
            .iter()
            .chain(super::projects::chat::SUBJECTS)
            .chain(super::projects::files::SUBJECTS)
            .chain(super::projects::http::SUBJECTS)
            .copied()
            .collect()
    });
    &ALL
}
