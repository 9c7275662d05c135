//! What the supervisor is asked to start, and within which limits.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Limits of a target's tree, every one set (the defaults filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub processes: u32,
    pub memory_mib: u32,
    pub open_files: u32,
    pub file_mib: u32,
    pub cpu_seconds: u32,
    /// What the working directory may hold, in MiB (watched by the harness, not the kernel).
    pub disk_mib: u32,
}

impl Default for Limits {
    /// Enough for any course program (a pool of a few workers, a thread per client), small
    /// enough that a fork bomb or a leak stops quickly. docs/limits.md states them.
    fn default() -> Self {
        Limits {
            processes: 64,
            memory_mib: 512,
            open_files: 1024,
            file_mib: 64,
            cpu_seconds: 120,
            disk_mib: 256,
        }
    }
}

impl Limits {
    /// The defaults with what a scenario overrides.
    pub fn with(over: &crate::load::model::Limits) -> Limits {
        let d = Limits::default();
        Limits {
            processes: over.processes.unwrap_or(d.processes),
            memory_mib: over.memory_mib.unwrap_or(d.memory_mib),
            open_files: over.open_files.unwrap_or(d.open_files),
            file_mib: over.file_mib.unwrap_or(d.file_mib),
            cpu_seconds: over.cpu_seconds.unwrap_or(d.cpu_seconds),
            disk_mib: over.disk_mib.unwrap_or(d.disk_mib),
        }
    }
}

/// Everything the supervisor needs; sent as JSON on its command line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spec {
    /// The target's command line, already split and filled in.
    pub argv: Vec<String>,
    /// Its working directory (a fresh temp dir holding the fixtures).
    pub dir: PathBuf,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Run it in its own network namespace (falls back, with a note, where not allowed).
    pub netns: bool,
    /// Absolute path the target sees → folder of the working directory (mount namespace).
    pub mounts: Vec<(PathBuf, PathBuf)>,
    pub limits: Limits,
    /// Use cgroups for the process and memory limits where available.
    pub cgroups: bool,
    /// A name unique to this run, for the cgroup folders.
    pub tag: String,
}
