//! The servers a benchmark loads: a reference (`conform ref NAME --port P`), a command given
//! with `--target`, or nginx; each started in its own process group, pinned to one core
//! (sched_setaffinity, inherited by its threads and children), and killed with its whole
//! group when dropped. The load pins itself to another core, so the two never share one.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sched::{sched_setaffinity, CpuSet};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// The cores this process may run on.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Where the server and the load run: different cores when there are two.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    pub server: Option<usize>,
    pub load: Option<usize>,
}

impl Placement {
    pub fn new(server: usize, load: usize) -> Placement {
        if cores() >= 2 && server != load {
            Placement {
                server: Some(server),
                load: Some(load),
            }
        } else {
            // One core: pinning would change nothing but the scheduler's freedom.
            Placement {
                server: None,
                load: None,
            }
        }
    }

    /// The line printed before each measurement.
    pub fn describe(&self, server: &str, pid: u32, load: &str) -> String {
        let core = |c: Option<usize>| c.map_or("any core".to_owned(), |c| format!("core {c}"));
        format!(
            "placement: server {server} (pid {pid}) on {}; load {load} on {}",
            core(self.server),
            core(self.load)
        )
    }
}

/// Pins the calling thread (and what it later starts) to `core`. Allocates nothing: it
/// also runs in a child between fork and exec.
pub fn pin(core: usize) -> nix::Result<()> {
    let mut set = CpuSet::new();
    set.set(core)?;
    sched_setaffinity(Pid::from_raw(0), &set)
}

/// [`pin`], a failure only a note.
pub fn pin_self(core: usize) {
    if let Err(e) = pin(core) {
        eprintln!("note: cannot pin to core {core}: {e}");
    }
}

/// Lifts the soft limit on open files to the hard one: 10,000 clients need as many
/// descriptors here, and the servers inherit the limit.
pub fn raise_fd_limit() -> u64 {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((_, hard)) => {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
            hard
        }
        Err(_) => 1024,
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Finds a program on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
        // Debian puts nginx in /usr/sbin, which an ordinary user's PATH may lack.
        .or_else(|| {
            let sbin = Path::new("/usr/sbin").join(name);
            sbin.is_file().then_some(sbin)
        })
}

/// A running server.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The command line, as a reader would type it.
    pub command: String,
}

impl Server {
    /// Starts `argv` in `cwd`, pinned to `core`, and waits until it accepts connections on
    /// `port` (at most 10 s).
    pub fn start(
        argv: &[String],
        cwd: Option<&Path>,
        port: u16,
        core: Option<usize>,
    ) -> io::Result<Server> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::other("empty command"))?;
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env("PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        if let Some(core) = core {
            // SAFETY: sched_setaffinity is async-signal-safe; nothing else runs in the child.
            unsafe {
                cmd.pre_exec(move || pin(core).map_err(io::Error::from));
            }
        }
        let child = cmd
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start `{program}`: {e}")))?;
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            command: shlex::try_join(argv.iter().map(String::as_str))
                .unwrap_or_else(|_| argv.join(" ")),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect_timeout(&server.addr, Duration::from_millis(200)).is_ok() {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(io::Error::other(format!(
                    "`{}` ended before it listened ({status})",
                    server.command
                )));
            }
            if Instant::now() > deadline {
                return Err(io::Error::other(format!(
                    "`{}` does not accept connections on port {port} after 10s (a program \
                     that takes its port as an argument needs {{port}} in its command)",
                    server.command
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `conform ref NAME --port PORT`.
    pub fn reference(
        exe: &Path,
        name: &str,
        cwd: Option<&Path>,
        core: Option<usize>,
    ) -> io::Result<Server> {
        let port = free_port()?;
        let argv = [
            exe.display().to_string(),
            "ref".into(),
            name.into(),
            "--port".into(),
            port.to_string(),
        ];
        Server::start(&argv, cwd, port, core)
    }

    /// A command line given by the user; `{port}` in it (or `$PORT`) is the port.
    pub fn target(cmd: &str, core: Option<usize>) -> io::Result<Server> {
        let port = free_port()?;
        let line = cmd.replace("{port}", &port.to_string());
        let argv = shlex::split(&line)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| io::Error::other(format!("cannot split `{cmd}`")))?;
        Server::start(&argv, None, port, core)
    }

    /// nginx with one worker process serving `dir/static`, its configuration, logs and
    /// temporary files in `dir`.
    pub fn nginx(nginx: &Path, dir: &Path, core: Option<usize>) -> io::Result<Server> {
        let port = free_port()?;
        let d = dir.display();
        let conf = format!(
            "worker_processes 1;\n\
             daemon off;\n\
             pid {d}/nginx.pid;\n\
             error_log {d}/error.log;\n\
             events {{ worker_connections 20000; }}\n\
             http {{\n\
               access_log off;\n\
               sendfile on;\n\
               tcp_nodelay on;\n\
               keepalive_requests 100000000;\n\
               keepalive_timeout 120s;\n\
               client_body_temp_path {d}/body;\n\
               proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n\
               uwsgi_temp_path {d}/uwsgi;\n\
               scgi_temp_path {d}/scgi;\n\
               types {{ text/html html; }}\n\
               default_type application/octet-stream;\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 root {d}/static;\n\
               }}\n\
             }}\n"
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf)?;
        let argv = [
            nginx.display().to_string(),
            "-c".into(),
            path.display().to_string(),
            "-e".into(),
            format!("{d}/error.log"),
        ];
        Server::start(&argv, Some(dir), port, core)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The group: a fork server's children, nginx's worker.
        let _ = killpg(Pid::from_raw(self.child.id() as i32), Signal::SIGKILL);
        let _ = self.child.wait();
    }
}
