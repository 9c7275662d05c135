//! Isolation, done by the supervisor before it starts the target: namespaces (network,
//! mount, and a user namespace when not root), loopback up, fixture mounts, cgroups and
//! rlimits. Each step that cannot be done says so in a note instead of failing the run,
//! except a mount the scenario needs.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use nix::mount::{mount, MsFlags};
use nix::sched::{unshare, CloneFlags};
use nix::unistd::{getgid, getuid};

use super::spec::Limits;

/// What isolation was achieved.
#[derive(Debug, Default)]
pub struct Isolation {
    pub netns: bool,
    pub mountns: bool,
    pub notes: Vec<String>,
}

/// Enters new namespaces as asked. Must run while the process is single-threaded.
pub fn enter_namespaces(
    netns: bool,
    mounts: &[(PathBuf, PathBuf)],
    dir: &Path,
) -> Result<Isolation, String> {
    let mut iso = Isolation::default();
    if std::env::var_os("CONFORM_NO_NAMESPACES").is_some() {
        if !mounts.is_empty() {
            return Err("this scenario maps fixtures onto absolute paths, which needs a mount namespace, and CONFORM_NO_NAMESPACES is set".into());
        }
        iso.notes.push("namespaces are off (CONFORM_NO_NAMESPACES): the target shares the machine's network; a free port is passed as {port} and $PORT".into());
        return Ok(iso);
    }
    let mut flags = CloneFlags::empty();
    if netns {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    if !mounts.is_empty() {
        flags |= CloneFlags::CLONE_NEWNS;
    }
    if flags.is_empty() {
        return Ok(iso);
    }
    let root = getuid().is_root();
    let (uid, gid) = (getuid(), getgid());
    let attempt = if root {
        unshare(flags)
    } else {
        unshare(flags | CloneFlags::CLONE_NEWUSER)
    };
    match attempt {
        Ok(()) => {
            if !root {
                write_id_maps(uid.as_raw(), gid.as_raw())?;
            }
            iso.netns = netns;
            iso.mountns = !mounts.is_empty();
        }
        Err(e) if mounts.is_empty() => {
            iso.notes.push(format!("no network namespace ({e}): the target shares the machine's network; a free port is passed as {{port}} and $PORT"));
            return Ok(iso);
        }
        Err(e) => {
            return Err(format!(
                "cannot make a mount namespace for the fixture mounts: {e}"
            ))
        }
    }
    if iso.netns {
        loopback_up()
            .map_err(|e| format!("cannot bring up loopback in the new network namespace: {e}"))?;
    }
    if iso.mountns {
        mount_fixtures(mounts, dir)?;
    }
    Ok(iso)
}

/// Maps the caller's own uid and gid into its new user namespace.
fn write_id_maps(uid: u32, gid: u32) -> Result<(), String> {
    let write =
        |path: &str, text: String| fs::write(path, text).map_err(|e| format!("{path}: {e}"));
    write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/gid_map", format!("{gid} {gid} 1"))
}

/// `ip link set lo up`, with the ioctls it uses.
fn loopback_up() -> std::io::Result<()> {
    // Safety: plain socket and ioctl calls on a zeroed ifreq we own; the fd is closed below.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let mut result = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req);
        if result == 0 {
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            result = libc::ioctl(fd, libc::SIOCSIFFLAGS, &req);
        }
        let err = std::io::Error::last_os_error();
        libc::close(fd);
        if result == 0 {
            Ok(())
        } else {
            Err(err)
        }
    }
}

/// Binds each fixture folder onto the absolute path the program hard-codes. A path that does
/// not exist is made inside a tmpfs laid over its nearest existing ancestor (below `/`), so
/// nothing is created on the real filesystem.
fn mount_fixtures(mounts: &[(PathBuf, PathBuf)], dir: &Path) -> Result<(), String> {
    let none: Option<&str> = None;
    mount(none, "/", none, MsFlags::MS_REC | MsFlags::MS_PRIVATE, none)
        .map_err(|e| format!("cannot make mounts private: {e}"))?;
    for (target, source) in mounts {
        let source = dir.join(source);
        fs::create_dir_all(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        if !target.exists() {
            let ancestor = target
                .ancestors()
                .find(|a| a.exists())
                .unwrap_or(Path::new("/"));
            if ancestor == Path::new("/") {
                return Err(format!(
                    "cannot map {}: no folder of it exists below `/` to hide under a tmpfs",
                    target.display()
                ));
            }
            mount(
                Some("tmpfs"),
                ancestor,
                Some("tmpfs"),
                MsFlags::empty(),
                Some("size=16m,mode=0755"),
            )
            .map_err(|e| format!("tmpfs on {}: {e}", ancestor.display()))?;
            fs::create_dir_all(target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        mount(
            Some(&source),
            target.as_path(),
            none,
            MsFlags::MS_BIND | MsFlags::MS_REC,
            none,
        )
        .map_err(|e| format!("bind {} on {}: {e}", source.display(), target.display()))?;
    }
    Ok(())
}

/// The cgroups holding a target's tree: created before it starts, emptied and removed at
/// the end.
#[derive(Debug, Default)]
pub struct Cgroups {
    pub dirs: Vec<PathBuf>,
    /// `cgroup.procs` of each, opened for the target to join itself (in `pre_exec`).
    pub procs: Vec<File>,
}

const V1: &str = "/sys/fs/cgroup";

impl Cgroups {
    /// Makes the pids and memory cgroups (v1, or v2 where delegated). Returns what it could
    /// make and a note about what it could not.
    pub fn create(tag: &str, limits: &Limits) -> (Cgroups, Option<String>) {
        let mut groups = Cgroups::default();
        let v2 = Path::new(V1).join("cgroup.controllers").exists();
        let result = if v2 {
            groups.create_v2(tag, limits)
        } else {
            groups.create_v1(tag, limits)
        };
        match result {
            Ok(()) => (groups, None),
            Err(e) => {
                groups.remove();
                // Said once per run: no per-trial detail (paths) in the text.
                let why = e.rsplit(": ").next().unwrap_or(&e).to_owned();
                (Cgroups::default(), Some(format!("no cgroups ({why}): no memory limit, and the process limit falls back to RLIMIT_NPROC, which binds other users but not root")))
            }
        }
    }

    fn create_v1(&mut self, tag: &str, limits: &Limits) -> Result<(), String> {
        let pids = Path::new(V1).join("pids").join(format!("conform-{tag}"));
        self.make(&pids, &[("pids.max", limits.processes.to_string())])?;
        // Memory: below the cgroup the supervisor is in, so an outer limit still applies.
        let own = own_v1_path("memory").unwrap_or_default();
        let memory = Path::new(V1)
            .join("memory")
            .join(own.trim_start_matches('/'))
            .join(format!("conform-{tag}"));
        let bytes = u64::from(limits.memory_mib) * 1024 * 1024;
        self.make(&memory, &[("memory.limit_in_bytes", bytes.to_string())])
    }

    fn create_v2(&mut self, tag: &str, limits: &Limits) -> Result<(), String> {
        let own = fs::read_to_string("/proc/self/cgroup")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("0::").map(str::to_owned))
            })
            .ok_or("no cgroup v2 path")?;
        let dir = Path::new(V1)
            .join(own.trim_start_matches('/'))
            .join(format!("conform-{tag}"));
        let bytes = u64::from(limits.memory_mib) * 1024 * 1024;
        self.make(
            &dir,
            &[
                ("pids.max", limits.processes.to_string()),
                ("memory.max", bytes.to_string()),
            ],
        )
    }

    fn make(&mut self, dir: &Path, settings: &[(&str, String)]) -> Result<(), String> {
        fs::create_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        self.dirs.push(dir.to_owned());
        for (file, value) in settings {
            let path = dir.join(file);
            fs::write(&path, value).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let procs = OpenOptions::new()
            .write(true)
            .open(dir.join("cgroup.procs"))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        self.procs.push(procs);
        Ok(())
    }

    /// Moves the calling process into every group. Called in the child between fork and
    /// exec, so it only writes to descriptors opened before.
    pub fn join_self(&self) -> std::io::Result<()> {
        for mut f in &self.procs {
            f.write_all(b"0")?;
        }
        Ok(())
    }

    /// The pids in the groups now.
    pub fn members(&self) -> Vec<i32> {
        let mut pids: Vec<i32> = self
            .dirs
            .iter()
            .filter_map(|d| fs::read_to_string(d.join("cgroup.procs")).ok())
            .flat_map(|t| {
                t.lines()
                    .filter_map(|l| l.trim().parse().ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// Removes the (empty) groups.
    pub fn remove(&mut self) {
        self.procs.clear();
        for d in self.dirs.drain(..).rev() {
            // A group still holding a zombie cannot go yet; retry briefly.
            for _ in 0..50 {
                if fs::remove_dir(&d).is_ok() || !d.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

/// The calling process's path in a v1 hierarchy (`4:memory:/a/b` → `/a/b`).
fn own_v1_path(controller: &str) -> Option<String> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|l| {
        let mut parts = l.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        names
            .split(',')
            .any(|n| n == controller)
            .then(|| path.to_owned())
    })
}

/// Sets the rlimits of the calling process (in the child before exec; async-signal-safe).
/// `nproc` is RLIMIT_NPROC, set only where no pids cgroup limits the tree: it counts every
/// process of the user, and does not bind root at all.
pub fn set_rlimits(limits: &Limits, nproc: Option<u64>) -> std::io::Result<()> {
    use nix::sys::resource::{setrlimit, Resource};
    let mib = |m: u32| u64::from(m) * 1024 * 1024;
    for (resource, value) in [
        (Resource::RLIMIT_NOFILE, u64::from(limits.open_files)),
        (Resource::RLIMIT_FSIZE, mib(limits.file_mib)),
        (Resource::RLIMIT_CPU, u64::from(limits.cpu_seconds)),
    ] {
        setrlimit(resource, value, value).map_err(std::io::Error::from)?;
    }
    if let Some(n) = nproc {
        setrlimit(Resource::RLIMIT_NPROC, n, n).map_err(std::io::Error::from)?;
    }
    Ok(())
}
