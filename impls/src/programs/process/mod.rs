//! The course's process chapters as small programs: fork, wait, zombies, orphans, Process,
//! Pool, and the kinds of IPC. One file per course example; each file's doc gives its output
//! contract (the lines a scenario matches, see docs/process-programs.md) and its claims.
//!
//! Every line is written whole, in one write(2), as soon as it is printed (`os::say`): the
//! output is a pipe shared by parent and children, read line by line while they run.

mod mp;
mod os;
mod shared;

mod child;
mod daemon;
mod exit;
mod fork;
mod fork_fail;
mod get_pid;
mod mutants;
pub mod no_stdin;
mod orphan;
mod pipe;
mod pool;
mod process_attr;
mod process_subclass;
mod queue;
mod semaphore;
mod shm;
mod sigchld_ignore;
mod signal;
mod thread_daemon;
mod wait;
mod zombie;

use super::Program;

/// The reference process programs, and the mutant ones that scenarios must catch.
pub static PROGRAMS: &[Program] = &[
    Program {
        name: "fork",
        about: "fork returns twice; the child's change to a variable is not the parent's (fork.returns, fork.no-sharing)",
        main: fork::main,
    },
    Program {
        name: "get-pid",
        about: "getpid and getppid in parent and child (proc.getpid)",
        main: get_pid::main,
    },
    Program {
        name: "exit",
        about: "exits with --status N, or prints --text T on stderr and exits 1 (proc.exit-status)",
        main: exit::main,
    },
    Program {
        name: "wait",
        about: "the child exits 3 after 300ms; the parent waits and reports it (zombie.wait)",
        main: wait::main,
    },
    Program {
        name: "zombie",
        about: "the child exits at once; the parent waits only after 800ms: a zombie meanwhile (zombie.appears)",
        main: zombie::main,
    },
    Program {
        name: "child",
        about: "double fork: the middle child exits and is reaped, the grandchild is adopted (zombie.double-fork)",
        main: child::main,
    },
    Program {
        name: "sigchld-ignore",
        about: "SIGCHLD ignored: the kernel reaps the children, wait fails with ECHILD (zombie.sigchld-ignore)",
        main: sigchld_ignore::main,
    },
    Program {
        name: "orphan",
        about: "the parent exits first; the child is adopted and says by whom (orphan.adopted)",
        main: orphan::main,
    },
    Program {
        name: "process",
        about: "a Process's name, pid, is_alive and exitcode before start, running, after join (process.attributes)",
        main: process_attr::main,
    },
    Program {
        name: "daemon",
        about: "a daemon child is terminated when the parent ends; nothing outlives it (process.daemon)",
        main: daemon::main,
    },
    Program {
        name: "process-subclass",
        about: "a process type of one's own whose run() start() runs in the child (process.subclass)",
        main: process_subclass::main,
    },
    Program {
        name: "pool",
        about: "--workers N (default: CPUs) forked once run --tasks M (default 8); apply_async, close, join (pool.reuse)",
        main: pool::main,
    },
    Program {
        name: "queue",
        about: "a queue between processes: blocking get, get with a timeout that fails Empty (queue.cross-process)",
        main: queue::main,
    },
    Program {
        name: "pipe",
        about: "the child sends three messages through a Pipe; the parent reads them, then end of file (ipc.kinds)",
        main: pipe::main,
    },
    Program {
        name: "shm",
        about: "shared memory made before fork: the child's writes are seen by the parent (ipc.kinds)",
        main: shm::main,
    },
    Program {
        name: "signal",
        about: "the child sends SIGUSR1 to the parent, whose handler prints (ipc.kinds)",
        main: signal::main,
    },
    Program {
        name: "semaphore",
        about: "--procs N processes, at most --value K inside at once (ipc.kinds)",
        main: semaphore::main,
    },
    Program {
        name: "fork-fail",
        about: "forks until fork fails (EAGAIN), reports it, reaps everything, exits 1 (fork.returns)",
        main: fork_fail::main,
    },
    Program {
        name: "no-stdin",
        about: "a child of Process.start() reads stdin: end of file; the parent reads the line (process.no-stdin)",
        main: no_stdin::main,
    },
    Program {
        name: "thread-daemon",
        about: "main done, then the non-daemon thread, then exit, without waiting for the daemon thread (thread.daemon)",
        main: thread_daemon::main,
    },
    Program {
        name: "mutant-wait-forgets",
        about: "Mutant of wait: never waits; the child is a zombie until the parent exits",
        main: mutants::wait_forgets,
    },
    Program {
        name: "mutant-wait-status-lost",
        about: "Mutant of wait: reads the wait status wrongly and prints status 0 for an exit with 3",
        main: mutants::wait_status_lost,
    },
    Program {
        name: "mutant-child-forgets-wait",
        about: "Mutant of child: the parent never waits for the middle child, a zombie for its whole life",
        main: mutants::child_forgets_wait,
    },
    Program {
        name: "mutant-pool-fork-per-task",
        about: "Mutant of pool: forks a process per task; more distinct workers than the pool's size",
        main: mutants::pool_fork_per_task,
    },
    Program {
        name: "mutant-daemon-survives",
        about: "Mutant of daemon: ends with _exit, so the daemon child outlives the parent",
        main: mutants::daemon_survives,
    },
    Program {
        name: "mutant-fork-shares-memory",
        about: "Mutant of fork: the child is a thread, so its change shows in the parent (parent a=10000)",
        main: mutants::fork_shares_memory,
    },
];

#[cfg(test)]
mod tests {
    use super::PROGRAMS;

    #[test]
    fn names_are_unique_and_mutants_say_what_they_break() {
        let mut names: Vec<&str> = PROGRAMS.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PROGRAMS.len(), "a program name is used twice");
        for p in PROGRAMS.iter().filter(|p| p.name.starts_with("mutant-")) {
            assert!(p.about.starts_with("Mutant of "), "{}: {}", p.name, p.about);
        }
    }

    #[test]
    fn a_process_state_is_read_from_proc() {
        // This process's main thread runs or waits for the tests; no such PID has no state.
        let me = nix::unistd::getpid();
        assert!(matches!(super::os::proc_state(me), Some('R' | 'S')));
        let none = nix::unistd::Pid::from_raw(i32::MAX);
        assert_eq!(super::os::proc_state(none), None);
    }
}
