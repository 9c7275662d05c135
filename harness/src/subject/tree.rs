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
                },
            )
        })
        .collect()
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
    let mut found = BTreeSet::new();
    // Every process of the tree shares one network namespace: read its tables once.
    let Some(p) = pids
        .iter()
        .find_map(|&pid| procfs::process::Process::new(pid).ok())
    else {
        return Vec::new();
    };
    let tcp = p
        .tcp()
        .unwrap_or_default()
        .into_iter()
        .chain(p.tcp6().unwrap_or_default());
    for e in tcp {
        if e.state == procfs::net::TcpState::Listen && inodes.contains(&e.inode) {
            found.insert(Listening {
                udp: false,
                port: e.local_address.port(),
            });
        }
    }
    let udp = p
        .udp()
        .unwrap_or_default()
        .into_iter()
        .chain(p.udp6().unwrap_or_default());
    for e in udp {
        if inodes.contains(&e.inode) && e.local_address.port() != 0 {
            found.insert(Listening {
                udp: true,
                port: e.local_address.port(),
            });
        }
    }
    found.into_iter().collect()
}
