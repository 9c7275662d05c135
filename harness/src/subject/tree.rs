//! Processes and their parents, read from /proc: the descendants of a process, and the
//! sockets a tree listens on.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One process as /proc shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    /// `R`, `S`, `D`, `Z`, `T`, ...
    pub state: char,
    pub threads: i64,
    /// utime + stime, in clock ticks.
    pub cpu_ticks: u64,
    pub comm: String,
    /// Open file descriptors (0 when they cannot be read).
    #[serde(default)]
    pub fds: usize,
    /// The kernel function the process sleeps in (`/proc/PID/wchan`), if it sleeps.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub wchan: String,
    /// For each thread, where it waits: its wchan and the system call it is in
    /// (`/proc/PID/task/TID/syscall`: a number, or `running`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskWait>,
    /// What its epoll instances watch (read only while it has few descriptors: scanning
    /// thousands of them every sample would cost more than it tells).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub epoll: Vec<EpollWatch>,
}

/// Where one thread waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskWait {
    pub tid: i32,
    pub wchan: String,
    pub syscall: String,
}

/// Every process on the machine, by pid (those that vanish while being read are skipped).
pub fn all() -> BTreeMap<i32, Proc> {
    let Ok(procs) = procfs::process::all_processes() else {
        return BTreeMap::new();
    };
    procs
        .flatten()
        .filter_map(|p| p.stat().ok())
        .map(|s| {
            (
                s.pid,
                Proc {
                    pid: s.pid,
                    ppid: s.ppid,
                    state: s.state,
                    threads: s.num_threads,
                    cpu_ticks: s.utime + s.stime,
                    comm: s.comm,
                    fds: 0,
                    wchan: String::new(),
                    tasks: Vec::new(),
                    epoll: Vec::new(),
                },
            )
        })
        .collect()
}

/// Fills in what is costly to read for every process on the machine (fds, wchan), for the
/// few of one tree.
pub fn detail(mut p: Proc) -> Proc {
    p.fds = std::fs::read_dir(format!("/proc/{}/fd", p.pid)).map_or(0, |d| d.count());
    p.wchan = std::fs::read_to_string(format!("/proc/{}/wchan", p.pid)).unwrap_or_default();
    if p.wchan == "0" {
        p.wchan.clear();
    }
    let tasks = std::fs::read_dir(format!("/proc/{}/task", p.pid))
        .into_iter()
        .flatten()
        .flatten();
    p.tasks = tasks
        .filter_map(|t| {
            let tid = t.file_name().to_str()?.parse().ok()?;
            let read = |f: &str| std::fs::read_to_string(t.path().join(f)).unwrap_or_default();
            let wchan = read("wchan").trim().trim_start_matches('0').to_owned();
            let syscall = read("syscall")
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            Some(TaskWait {
                tid,
                wchan,
                syscall,
            })
        })
        .collect();
    if p.fds <= 256 {
        p.epoll = epoll_watches(p.pid);
    }
    p
}

/// What one epoll instance watches: the watched fd, its event mask, and whether it is
/// edge-triggered (EPOLLET), from `/proc/PID/fdinfo/FD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpollWatch {
    pub epoll_fd: i32,
    pub target_fd: i32,
    pub events: u32,
    pub edge: bool,
}

/// Every epoll watch of process `pid`.
pub fn epoll_watches(pid: i32) -> Vec<EpollWatch> {
    const EPOLLET: u32 = 1 << 31;
    let mut found = Vec::new();
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return found;
    };
    for fd in fds.flatten() {
        let is_epoll = std::fs::read_link(fd.path())
            .is_ok_and(|l| l.to_string_lossy() == "anon_inode:[eventpoll]");
        let Some(epoll_fd) = fd
            .file_name()
            .to_str()
            .and_then(|n| n.parse().ok())
            .filter(|_| is_epoll)
        else {
            continue;
        };
        let info =
            std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{epoll_fd}")).unwrap_or_default();
        for line in info.lines().filter(|l| l.starts_with("tfd:")) {
            let field = |name: &str| {
                line.split_whitespace()
                    .skip_while(|w| *w != name)
                    .nth(1)
                    .map(str::to_owned)
            };
            let target_fd = field("tfd:").and_then(|v| v.parse().ok()).unwrap_or(-1);
            let events = field("events:")
                .and_then(|v| u32::from_str_radix(&v, 16).ok())
                .unwrap_or(0);
            found.push(EpollWatch {
                epoll_fd,
                target_fd,
                events,
                edge: events & EPOLLET != 0,
            });
        }
    }
    found
}

/// The descendants of `root` (not `root` itself), in pid order.
pub fn descendants(root: i32, procs: &BTreeMap<i32, Proc>) -> Vec<Proc> {
    let mut children: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for p in procs.values() {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    let mut found = BTreeSet::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        for &c in children.get(&pid).into_iter().flatten() {
            if found.insert(c) {
                todo.push(c);
            }
        }
    }
    found
        .into_iter()
        .filter_map(|p| procs.get(&p).cloned())
        .collect()
}

/// A socket a tree listens on (TCP) or is bound to (UDP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Listening {
    pub udp: bool,
    pub port: u16,
}

/// The TCP ports `pids` listen on and the UDP ports they are bound to, found by matching the
/// socket inodes of their descriptors with their network namespace's tables.
pub fn listening(pids: &[i32]) -> Vec<Listening> {
    let mut inodes = BTreeSet::new();
    for &pid in pids {
        let Ok(p) = procfs::process::Process::new(pid) else {
            continue;
        };
        let Ok(fds) = p.fd() else { continue };
        for fd in fds.flatten() {
            if let procfs::process::FDTarget::Socket(inode) = fd.target {
                inodes.insert(inode);
            }
        }
    }
    // Each table read walks the kernel's whole socket hash (all namespaces' sockets): read
    // none for a tree with no socket, and stop once every socket of the tree is found (a
    // server's listener is in the first, TCP over IPv4).
    if inodes.is_empty() {
        return Vec::new();
    }
    let mut found = BTreeSet::new();
    // Every process of the tree shares one network namespace: read its tables once.
    let Some(p) = pids
        .iter()
        .find_map(|&pid| procfs::process::Process::new(pid).ok())
    else {
        return Vec::new();
    };
    // (inode, listening or bound, port) of one table's entry.
    let tcp = |e: procfs::net::TcpNetEntry| {
        let listens = e.state == procfs::net::TcpState::Listen;
        (e.inode, listens, e.local_address.port())
    };
    let udp = |e: procfs::net::UdpNetEntry| {
        let port = e.local_address.port();
        (e.inode, port != 0, port)
    };
    for table in 0..4 {
        if inodes.is_empty() {
            break;
        }
        let entries: Vec<(u64, bool, u16)> = match table {
            0 => p.tcp().unwrap_or_default().into_iter().map(tcp).collect(),
            1 => p.tcp6().unwrap_or_default().into_iter().map(tcp).collect(),
            2 => p.udp().unwrap_or_default().into_iter().map(udp).collect(),
            _ => p.udp6().unwrap_or_default().into_iter().map(udp).collect(),
        };
        for (inode, serves, port) in entries {
            if inodes.remove(&inode) && serves {
                found.insert(Listening {
                    udp: table >= 2,
                    port,
                });
            }
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags};
    use std::os::fd::AsRawFd;

    #[test]
    fn reads_epoll_watches_and_the_edge_bit() {
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC).unwrap();
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let flags = EpollFlags::EPOLLIN | EpollFlags::EPOLLET;
        epoll.add(&sock, EpollEvent::new(flags, 7)).unwrap();
        let watches = epoll_watches(std::process::id() as i32);
        let w = watches
            .iter()
            .find(|w| w.target_fd == sock.as_raw_fd())
            .expect("the watch is listed");
        assert!(w.edge, "{w:?}");
        assert_eq!(w.events & 1, 1, "EPOLLIN");
    }

    #[test]
    fn finds_descendants_not_the_root() {
        let mk = |pid, ppid| Proc {
            pid,
            ppid,
            state: 'S',
            threads: 1,
            cpu_ticks: 0,
            comm: String::new(),
            fds: 0,
            wchan: String::new(),
            tasks: Vec::new(),
            epoll: Vec::new(),
        };
        let procs: BTreeMap<i32, Proc> = [mk(1, 0), mk(10, 1), mk(11, 10), mk(12, 11), mk(20, 1)]
            .into_iter()
            .map(|p| (p.pid, p))
            .collect();
        let pids: Vec<i32> = descendants(10, &procs).into_iter().map(|p| p.pid).collect();
        assert_eq!(pids, vec![11, 12]);
    }
}
