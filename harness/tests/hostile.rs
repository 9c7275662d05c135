//! Hostile targets (issue #11): programs that hog memory or CPU, ignore SIGTERM, flood or
//! close their output, crash midway, never answer, answer garbage or fill their disk. Each
//! must get the verdict that says what it did, the run must go on, and nothing of it may
//! remain. (Fork bombs, daemons, programs that never listen or exit at once: tests/cli.rs.)

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Scenario id → the outcome and class it must get, and words its summary must hold.
const EXPECTED: &[(&str, &str, Option<&str>, &str)] = &[
    ("hostile.closes-stdio", "pass", None, ""),
    ("hostile.floods-stdout", "pass", None, ""),
    ("hostile.ignores-sigterm", "pass", None, ""),
    (
        "hostile.crashes-midway",
        "fail",
        Some("crashed"),
        "the program ended (exit status 3)",
    ),
    (
        "hostile.fills-disk",
        "error",
        Some("crashed"),
        "`limits.disk_mib`",
    ),
    (
        "hostile.memory-hog",
        "fail",
        Some("crashed"),
        "killed by SIGKILL",
    ),
    (
        "hostile.never-answers",
        "fail",
        Some("no-reply"),
        "nothing within",
    ),
    (
        "hostile.sends-garbage",
        "fail",
        Some("wrong-reply"),
        "step 3 recv on a",
    ),
    ("hostile.spinner", "fail", Some("busy-loop"), "cpu"),
];

#[test]
#[ignore = "full tier: runs nine hostile programs (about 10 s)"]
fn hostile_targets_get_their_verdicts_and_leave_nothing_behind() {
    let mark = "hostile";
    let tmp = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args([
            "run",
            "harness/tests/data/hostile",
            "--format",
            "json",
            "--jobs",
            "2",
        ])
        .current_dir(root())
        .env("CONFORM_TEST_MARK", mark)
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("conform starts");
    let ours = format!("conform-{}-", child.id());
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A flood of output is capped, not carried into the report.
    assert!(
        out.len() < 4 << 20,
        "the JSON report is {} bytes",
        out.len()
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    let trials = report["trials"].as_array().expect("trials");
    assert_eq!(
        trials.len(),
        EXPECTED.len(),
        "every hostile program got a verdict"
    );
    for (id, outcome, class, words) in EXPECTED {
        let t = trials
            .iter()
            .find(|t| t["scenario"] == *id)
            .unwrap_or_else(|| panic!("no trial of {id}"));
        let v = &t["verdict"];
        let shown = serde_json::to_string_pretty(v).unwrap();
        assert_eq!(v["outcome"], *outcome, "{id}: {shown}");
        assert_eq!(v["class"].as_str(), *class, "{id}: {shown}");
        assert!(shown.contains(words), "{id}: no `{words}` in {shown}");
    }
    // Nothing remains: no process, no cgroup, no temp dir.
    let left: Vec<String> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("environ")).is_ok_and(|env| {
                env.split(|b| *b == 0)
                    .any(|v| v == format!("CONFORM_TEST_MARK={mark}").as_bytes())
            })
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "processes left: {left:?}");
    for hierarchy in [
        "/sys/fs/cgroup/pids",
        "/sys/fs/cgroup/memory",
        "/sys/fs/cgroup",
    ] {
        let cgroups: Vec<_> = std::fs::read_dir(hierarchy)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&ours))
            .collect();
        assert!(
            cgroups.is_empty(),
            "cgroups left in {hierarchy}: {cgroups:?}"
        );
    }
    let temp: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    assert!(temp.is_empty(), "temp files left: {temp:?}");
}
