//! The `conform` command line, end to end: exit codes, reports, and a run that survives
//! subjects that hang or panic without leaving a process behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `conform ARGS` from the project root, marked so its descendants can be found.
fn conform(mark: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(args)
        .current_dir(root())
        .env("CONFORM_TEST_MARK", mark)
        .output()
        .expect("conform starts")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Processes still alive that inherited `mark` (workers, or anything they started).
fn survivors(mark: &str) -> Vec<String> {
    let needle = format!("CONFORM_TEST_MARK={mark}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(env) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if env.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

/// No process that inherited `mark` is still alive.
fn assert_nothing_left(mark: &str) {
    let left = survivors(mark);
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn check_accepts_the_suite() {
    let o = conform("check-suite", &["check", "scenarios"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("no errors"));
}

#[test]
fn check_rejects_every_malformed_file_with_exit_2_and_no_panic() {
    let dir = root().join("harness/tests/data/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus holds at least 20 files");
    for f in files {
        let o = conform("check-malformed", &["check", f.to_str().unwrap()]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {out}", f.display());
        assert!(
            !out.contains("panicked at") && !out.contains("RUST_BACKTRACE"),
            "{}: {out}",
            f.display()
        );
        let located = format!("{}:", f.display());
        assert!(
            out.contains(&located),
            "{} is not located: {out}",
            f.display()
        );
    }
}

#[test]
fn a_hanging_subject_is_killed_reported_and_the_run_goes_on() {
    let mark = "hang-run";
    let o = conform(
        mark,
        &[
            "run",
            "harness/tests/data/harness",
            "--subject",
            "fixture:queue-hangs",
            "--jobs",
            "2",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(
        out.matches("ERROR").count(),
        4,
        "both trials reported, then digested: {out}"
    );
    assert!(out.contains("(hung)"), "{out}");
    assert!(out.contains("killed while running main's qsize()"), "{out}");
    assert_nothing_left(mark);
}

#[test]
fn a_panicking_subject_is_reported_as_an_error() {
    let o = conform(
        "panic-run",
        &[
            "run",
            "harness/tests/data/harness",
            "--subject",
            "fixture:queue-panics",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("(panicked)"), "{out}");
    assert!(
        out.contains("fixture queue panics on every operation"),
        "{out}"
    );
}

#[test]
fn run_writes_json_and_junit_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = conform(
        "report-run",
        &["run", "scenarios/sync", "--filter", "fifo", "--report", d],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["ok"], true);
    let trials = json["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 2, "the reference and the lifo mutant");
    assert!(trials.iter().all(|t| t["met"] == true));
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuites name=\"conform\" tests=\"2\""),
        "{junit}"
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("queue.fifo::mutant:queue-lifo::threads"));
    let last = String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert!(
        last.contains(&format!("{d}/report.html")),
        "the last line names the page: {last}"
    );
}

#[test]
fn report_compare_names_what_newly_fails_passes_and_slowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = conform(
        "report-compare",
        &["run", "scenarios/sync", "--filter", "fifo", "--report", d],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let new = dir.path().join("results.json");
    // OLD: the same run, where the reference had failed and the mutant had been caught
    // in a tenth of the time.
    let mut old: serde_json::Value = serde_json::from_slice(&std::fs::read(&new).unwrap()).unwrap();
    old["trials"][0]["met"] = false.into();
    old["trials"][0]["verdict"]["outcome"] = "fail".into();
    old["trials"][1]["met"] = true.into();
    let mutant_ms = old["trials"][1]["duration_ms"].as_u64().unwrap();
    let mut faster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&new).unwrap()).unwrap();
    faster["trials"][1]["duration_ms"] = (mutant_ms + 1000).into();
    faster["trials"][1]["met"] = false.into();
    let old_path = dir.path().join("old.json");
    let new_path = dir.path().join("new.json");
    std::fs::write(&old_path, old.to_string()).unwrap();
    std::fs::write(&new_path, faster.to_string()).unwrap();
    let o = conform(
        "report-compare",
        &[
            "report",
            "--compare",
            old_path.to_str().unwrap(),
            new_path.to_str().unwrap(),
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(
            "newly failing (1):\n  MISSED sync/queue.fifo::mutant:queue-lifo::threads (was CAUGHT)"
        ),
        "{out}"
    );
    assert!(
        out.contains("newly passing (1):\n  PASS sync/queue.fifo::ref::threads (was FAIL)"),
        "{out}"
    );
    assert!(
        out.contains("slower (over 1.5x and 200ms longer) (1):\n  sync/queue.fifo::mutant:queue-lifo::threads"),
        "{out}"
    );
    let o = conform(
        "report-compare",
        &[
            "report",
            "--compare",
            old_path.to_str().unwrap(),
            "/nonexistent.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn a_mutant_judged_plainly_fails_the_run() {
    let o = conform(
        "mutant-run",
        &[
            "run",
            "scenarios/sync",
            "--filter",
            "fifo",
            "--subject",
            "mutant:queue-lifo",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("wrong-order"), "{out}");
    assert!(out.contains("expected: value \"first\""), "{out}");
}

#[test]
fn bad_command_lines_exit_2() {
    for args in [
        vec!["run", "--subject", "no-such-subject"],
        vec!["run", "--var", "no-equals-sign"],
        vec!["run", "no/such/folder"],
        vec!["run", "--filter", "matches-nothing-at-all"],
        vec!["run", "--profile", "no-such-profile"],
    ] {
        let o = conform("bad-args", &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    }
}

#[test]
fn informational_commands_work() {
    for (args, needle) in [
        (vec!["list"], "queue.fifo"),
        (vec!["claims"], "queue.fifo"),
        (vec!["subjects"], "mutant:queue-lifo"),
        (vec!["schema"], "\"title\""),
        (vec!["run", "--help"], "Examples:"),
    ] {
        let o = conform("info", &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(needle), "{args:?}: {}", text(&o));
    }
}

#[test]
fn a_fork_bomb_is_contained_and_nothing_survives() {
    let mark = "fork-bomb";
    let child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["run", "harness/tests/data/programs/fork-bomb.yaml"])
        .current_dir(root())
        .env("CONFORM_TEST_MARK", mark)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("conform starts");
    // The run's cgroups are named after the conform process.
    let ours = format!("conform-{}-", child.id());
    let o = child.wait_with_output().unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_nothing_left(mark);
    let cgroups: Vec<_> = std::fs::read_dir("/sys/fs/cgroup/pids")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&ours))
        .collect();
    assert!(cgroups.is_empty(), "cgroups left behind: {cgroups:?}");
}

#[test]
fn two_runs_of_a_hard_coded_port_server_at_once_do_not_collide() {
    if std::env::var_os("CONFORM_NO_NAMESPACES").is_some() {
        eprintln!("namespaces are off: two servers on port 8888 would collide; nothing to show");
        return;
    }
    let runs: Vec<_> = (0..2)
        .map(|i| {
            std::thread::spawn(move || {
                conform(
                    &format!("twice-{i}"),
                    &["run", "harness/tests/data/programs/two-echo-servers.yaml"],
                )
            })
        })
        .collect();
    for r in runs {
        let o = r.join().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
}

#[test]
fn a_target_that_cannot_start_is_reported() {
    // Executable, but its `#!` names no interpreter: only exec finds out.
    let dir = tempfile::tempdir().unwrap();
    let prog = dir.path().join("server");
    std::fs::write(&prog, "#!/no/such/interpreter\n").unwrap();
    std::fs::set_permissions(&prog, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let o = conform(
        "no-such-target",
        &[
            "run",
            "scenarios/servers/echo-hardcoded-port.yaml",
            "--target",
            prog.to_str().unwrap(),
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("(cannot-start)"), "{out}");
}

#[test]
fn a_target_that_is_not_found_not_executable_or_unknown_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("server.py");
    std::fs::write(&plain, "print('hi')\n").unwrap();
    let plain = plain.to_str().unwrap();
    let scenario = "scenarios/servers/echo-hardcoded-port.yaml";
    for (target, says) in [
        (
            "./no-such-program.py",
            "`./no-such-program.py` is not found",
        ),
        (
            "pyhton3 examples/echo_server.py",
            "`pyhton3` is not found on PATH",
        ),
        (plain, "is not executable: `chmod +x` it"),
        ("./examples", "is a folder"),
        (
            "python3 examples/echo_sever.py",
            "script `examples/echo_sever.py` is not found",
        ),
        (
            "python3 examples/echo_server.py {prot}",
            "unknown placeholder `{prot}`",
        ),
        ("{ref:echo-sever}", "no reference program `echo-sever`"),
    ] {
        let o = conform("bad-target", &["run", scenario, "--target", target]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{target}: {out}");
        assert!(out.contains(says), "{target}: {out}");
        assert!(
            !out.contains("PASS") && !out.contains("FAIL"),
            "nothing ran: {out}"
        );
    }
    // A variable set with --var is a placeholder like any other.
    let o = conform(
        "bad-target",
        &[
            "run",
            scenario,
            "--target",
            "python3 examples/echo_server.py {unused}",
            "--var",
            "unused=1",
        ],
    );
    assert_ne!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn a_target_that_never_listens_is_never_ready() {
    let o = conform(
        "never-listens",
        &[
            "run",
            "scenarios/servers/echo-hardcoded-port.yaml",
            "--target",
            "sleep 30",
            "--var",
            "unused=1",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("(never-ready)"), "{out}");
    assert!(survivors("never-listens").is_empty());
}

#[test]
fn a_target_that_exits_at_once_is_reported_as_crashed() {
    let o = conform(
        "exits",
        &[
            "run",
            "scenarios/servers/echo-hardcoded-port.yaml",
            "--target",
            "sh -c 'exit 3'",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("exit status 3"), "{out}");
}

/// Whether namespaces are forced off for this test run (the fallback pass).
fn no_namespaces() -> bool {
    std::env::var_os("CONFORM_NO_NAMESPACES").is_some()
}

#[test]
fn a_profile_sets_the_variables_and_decides_only_if() {
    let scenario = "harness/tests/data/profiles/greeting-v2.yaml";
    let run = |extra: &[&str]| {
        // The profile is a target's (the suite's own subjects keep theirs).
        let target = "echo '{greeting} from v{version}'";
        let mut args = vec!["run", scenario, "--no-namespaces", "--target", target];
        args.extend(extra);
        let o = conform("profile", &args);
        (o.status.code(), text(&o))
    };
    let (code, out) = run(&["--profile", "harness/tests/data/profiles/course.yaml"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("PASS"), "{out}");
    // Without it the scenario's own version (1) holds: skipped, not failed.
    let (code, out) = run(&[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("SKIP"), "{out}");
    // --var goes over the profile: the command line and the matcher both see it.
    let (code, out) = run(&[
        "--profile",
        "harness/tests/data/profiles/course.yaml",
        "--var",
        "greeting=hej",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&["--profile", "v2"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("PASS"),
        "the built-in v2 sets version 2: {out}"
    );
    assert_nothing_left("profile");
}

#[test]
fn a_fixture_is_mounted_where_the_program_hard_codes_it() {
    let o = conform("mount", &["run", "harness/tests/data/programs/mount.yaml"]);
    let out = text(&o);
    if no_namespaces() {
        // Without a mount namespace the scenario cannot be set up, and must say so.
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains("needs a mount namespace"), "{out}");
        return;
    }
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        !std::path::Path::new("/home/tarena").exists(),
        "nothing is created on the real filesystem"
    );
}

#[test]
fn a_double_forked_daemon_is_cleaned_up_too() {
    let mark = "double-fork";
    let o = conform(
        mark,
        &["run", "harness/tests/data/programs/double-fork.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_nothing_left(mark);
}

#[test]
fn bytes_one_at_a_time_a_flood_and_a_half_close_are_driven() {
    let o = conform(
        "bytewise",
        &["run", "harness/tests/data/programs/bytewise.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_program_runs_isolated_as_a_user_who_is_not_root() {
    let exe = env!("CARGO_BIN_EXE_conform");
    let as_nobody = |cmd: &str| {
        Command::new("setpriv")
            .args([
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "--reset-env",
                "sh",
                "-c",
                cmd,
            ])
            .current_dir(root())
            .output()
    };
    // Only where the machine has a `nobody` who can reach this build and a system Python.
    let usable = nix::unistd::getuid().is_root()
        && std::path::Path::new("/usr/bin/python3").exists()
        && as_nobody(&format!("test -x {exe} && test -r examples/echo_server.py"))
            .is_ok_and(|o| o.status.success());
    if !usable {
        eprintln!("no unprivileged user can run this build here; nothing to show");
        return;
    }
    let o = as_nobody(&format!("{exe} run scenarios/servers/echo-hardcoded-port.yaml --target '/usr/bin/python3 examples/echo_server.py'")).unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_program_trial_past_its_deadline_is_stopped_and_hung() {
    let started = std::time::Instant::now();
    let o = conform(
        "deadline",
        &["run", "harness/tests/data/programs/deadline.yaml"],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("(hung)") && out.contains("deadline of 2s"),
        "{out}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "stopped near its 2s deadline, not after its 40s of steps"
    );
    assert!(survivors("deadline").is_empty());
}

#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    for signal in ["-KILL", "-TERM"] {
        let mark = format!("interrupted{signal}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
            .args(["run", "harness/tests/data/programs/sleeper.yaml"])
            .current_dir(root())
            .env("CONFORM_TEST_MARK", &mark)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        // Wait until the program runs, then end the harness abruptly.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while survivors(&mark).len() < 3 && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Command::new("kill").args([signal, &pid]).status().unwrap();
        child.wait().unwrap();
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !survivors(&mark).is_empty() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(
            survivors(&mark).is_empty(),
            "{signal}: left behind: {:?}",
            survivors(&mark)
        );
        let ours = format!("conform-{pid}-");
        let cgroups: Vec<_> = std::fs::read_dir("/sys/fs/cgroup/pids")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&ours))
            .collect();
        assert!(
            cgroups.is_empty(),
            "{signal}: cgroups left behind: {cgroups:?}"
        );
    }
}

#[test]
fn a_checker_failure_shows_its_interleaving_and_replays_the_same() {
    let args = [
        "run",
        "scenarios/sync/queue-handoff.yaml",
        "--subject",
        "mutant:queue-racy-put",
        "--filter",
        "shuttle",
    ];
    let first = text(&conform("replay-1", &args));
    assert!(
        first.contains("the failing interleaving, step by step:"),
        "{first}"
    );
    assert!(
        first.contains("replay: conform run scenarios/sync/queue-handoff.yaml"),
        "{first}"
    );
    let steps = |out: &str| {
        out.split("step by step:")
            .nth(1)
            .map(|s| s.split("stderr").next().unwrap_or(s).to_owned())
    };
    let second = text(&conform("replay-2", &args));
    assert_eq!(
        steps(&first),
        steps(&second),
        "the same seed gives the same failing interleaving"
    );
    // The schedule shuttle recorded replays that one execution, and fails the same way.
    let schedule = first
        .split("--schedule ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_alphanumeric()).next())
        .unwrap_or_else(|| panic!("no --schedule in the replay command: {first}"));
    let mut replay = args.to_vec();
    replay.extend(["--schedule", schedule]);
    let third = text(&conform("replay-3", &replay));
    assert_eq!(steps(&first), steps(&third), "{third}");
}

#[test]
fn explain_tells_a_scenario_and_a_class_and_suggests_on_a_typo() {
    let out = conform("explain-1", &["explain", "servers.idle-no-spin"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("select.no-spin"), "the claim it checks: {t}");
    assert!(t.contains("mutant:select-wlist"), "what it catches: {t}");
    let out = conform("explain-2", &["explain", "zombie"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("What usually causes it"), "{t}");
    let out = conform("explain-3", &["explain", "zombi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("did you mean `zombie`?"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_manifest_grades_a_class_with_a_column_and_a_score_per_student() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("class");
    let report = report.to_str().expect("utf-8 path");
    // Without namespaces bob's server hard-codes 8888: one trial at a time then.
    let jobs = if std::env::var_os("CONFORM_NO_NAMESPACES").is_some() {
        "1"
    } else {
        "2"
    };
    let args = [
        "run",
        "--manifest",
        "examples/class/manifest.yaml",
        "--report",
        report,
        "--jobs",
        jobs,
    ];
    let out = conform("manifest", &args);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "some students fail: {t}");
    let csv = std::fs::read_to_string(dir.path().join("class/scores.csv")).expect("scores.csv");
    for (student, score) in [
        ("alice", "100.0"),
        ("bob", "66.7"),
        ("carol", "50.0"),
        ("dave", "83.3"),
        ("erin", "16.7"),
    ] {
        let line = format!("{student},all,");
        let row = csv
            .lines()
            .find(|l| l.starts_with(&line))
            .unwrap_or_default();
        assert!(
            row.ends_with(score),
            "{student} should score {score}: {csv}\n{t}"
        );
    }
    assert!(t.contains("servers/servers.idle-no-spin::bob"), "{t}");
    assert_nothing_left("manifest");
}

/// Runs `conform run ARGS --report DIR/NAME` and reads its results.json.
fn run_into(mark: &str, dir: &Path, name: &str, args: &[&str]) -> (Output, serde_json::Value) {
    let out = dir.join(name);
    let mut all = args.to_vec();
    all.extend(["--report", out.to_str().unwrap()]);
    let o = conform(mark, &all);
    let json = std::fs::read(out.join("results.json"))
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or_else(|e| panic!("{name}: no results.json ({e}): {}", text(&o)));
    (o, json)
}

fn trial_names(json: &serde_json::Value) -> Vec<String> {
    json["trials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn partitioned_shares_merge_into_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = ["run", "scenarios/sync", "--filter", "queue"];
    let (o, whole) = run_into("partition", d, "whole", &run);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut shares = Vec::new();
    for k in ["1/3", "2/3", "3/3"] {
        let mut args = run.to_vec();
        args.extend(["--partition", k]);
        let (o, json) = run_into("partition", d, &k.replace('/', "-of-"), &args);
        assert_eq!(o.status.code(), Some(0), "{k}: {}", text(&o));
        assert!(text(&o).contains(&format!("share {k}: ")), "{}", text(&o));
        let p = &json["partition"];
        assert_eq!(p["count"], 3);
        assert_eq!(p["by"], "trial");
        assert_eq!(p["planned"], whole["trials"].as_array().unwrap().len());
        assert_eq!(
            p["positions"].as_array().unwrap().len(),
            json["trials"].as_array().unwrap().len()
        );
        shares.push(json);
    }
    assert!(whole.get("partition").is_none());
    // Every trial is in exactly one share, and each share ran only its own.
    let mut together: Vec<String> = shares.iter().flat_map(trial_names).collect();
    together.sort();
    let mut all = trial_names(&whole);
    all.sort();
    assert_eq!(together, all);
    assert!(
        shares
            .iter()
            .all(|s| !s["trials"].as_array().unwrap().is_empty()),
        "42 trials in 3 shares: none is empty"
    );

    let merged = d.join("merged");
    let share_files: Vec<String> = ["1-of-3", "2-of-3", "3-of-3"]
        .iter()
        .map(|n| d.join(n).join("results.json").display().to_string())
        .collect();
    let mut args = vec!["report", "--merge", merged.to_str().unwrap()];
    // Given in any order, the trials come back in plan order.
    args.extend([&share_files[2], &share_files[0], &share_files[1]].map(String::as_str));
    let o = conform("merge", &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(merged.join("results.json")).unwrap()).unwrap();
    assert_eq!(trial_names(&m), trial_names(&whole), "plan order");
    for key in [
        "counts",
        "references",
        "mutants",
        "ok",
        "vars",
        "format_version",
    ] {
        assert_eq!(m[key], whole[key], "{key}");
    }
    let ids = |j: &serde_json::Value| -> Vec<serde_json::Value> {
        j["scenarios"].as_array().unwrap().clone()
    };
    assert_eq!(ids(&m), ids(&whole), "the scenarios, in plan order");
    assert!(m.get("partition").is_none());
    let command: Vec<&str> = m["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(!command.contains(&"--partition"), "{command:?}");
    assert!(command.contains(&merged.to_str().unwrap()), "{command:?}");
    let junit = std::fs::read_to_string(merged.join("junit.xml")).unwrap();
    let tests = format!("tests=\"{}\"", all.len());
    assert!(junit.contains(&tests), "{junit}");
    let html = std::fs::read_to_string(merged.join("report.html")).unwrap();
    assert!(html.contains("queue.fifo::mutant:queue-lifo::threads"));

    // A missing share, a share given twice and a share of another plan are refused.
    let other = [
        "run",
        "scenarios/sync",
        "--filter",
        "fifo",
        "--partition",
        "1/3",
    ];
    let (o, _) = run_into("partition", d, "other", &other);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let other = d.join("other/results.json").display().to_string();
    let out = d.join("bad").display().to_string();
    for (files, says) in [
        (vec![&share_files[0], &share_files[1]], "missing share 3/3"),
        (
            vec![
                &share_files[0],
                &share_files[1],
                &share_files[2],
                &share_files[1],
            ],
            "trials given more than once",
        ),
        (
            vec![&other, &share_files[1], &share_files[2]],
            "shares of different runs",
        ),
    ] {
        let mut args = vec!["report", "--merge", out.as_str()];
        args.extend(files.iter().map(|f| f.as_str()));
        let o = conform("merge-bad", &args);
        assert_eq!(o.status.code(), Some(2), "{says}: {}", text(&o));
        assert!(text(&o).contains(says), "{says}: {}", text(&o));
    }
    assert!(!d.join("bad").exists(), "nothing written when refused");
}

#[test]
fn a_share_without_trials_still_records_itself() {
    let dir = tempfile::tempdir().unwrap();
    let run = [
        "run",
        "scenarios/sync/queue-fifo.yaml",
        "--filter",
        "::ref::",
    ];
    let (_, a) = run_into(
        "empty-share",
        dir.path(),
        "a",
        &[&run[..], &["--partition", "1/2"]].concat(),
    );
    let (_, b) = run_into(
        "empty-share",
        dir.path(),
        "b",
        &[&run[..], &["--partition", "2/2"]].concat(),
    );
    let sizes = [&a, &b].map(|j| j["trials"].as_array().unwrap().len());
    assert_eq!(sizes.iter().sum::<usize>(), 1, "{sizes:?}");
    let (empty, full) = if sizes[0] == 0 { (&a, &b) } else { (&b, &a) };
    assert_eq!(empty["ok"], true);
    assert_eq!(empty["partition"]["planned"], 1);
    let merged = dir.path().join("m");
    let files = ["a", "b"].map(|n| {
        dir.path()
            .join(n)
            .join("results.json")
            .display()
            .to_string()
    });
    let o = conform(
        "empty-share",
        &[
            "report",
            "--merge",
            merged.to_str().unwrap(),
            &files[0],
            &files[1],
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(merged.join("results.json")).unwrap()).unwrap();
    assert_eq!(trial_names(&m), trial_names(full));
}

#[test]
fn a_class_is_partitioned_by_student() {
    let dir = tempfile::tempdir().unwrap();
    // Two scenarios per student (`s.wait` is in servers.waits-in-select and
    // process.wait-reaps), two shares. Without namespaces bob's server hard-codes 8888: one
    // trial at a time then.
    let jobs = if no_namespaces() { "1" } else { "2" };
    let run = [
        "run",
        "--manifest",
        "examples/class/manifest.yaml",
        "--filter",
        "s.wait",
        "--jobs",
        jobs,
    ];
    let mut students_in = Vec::new();
    for k in ["1/2", "2/2"] {
        let (o, json) = run_into(
            "class-share",
            dir.path(),
            &k.replace('/', "-"),
            &[&run[..], &["--partition", k]].concat(),
        );
        assert_ne!(o.status.code(), Some(2), "{}", text(&o));
        assert_eq!(json["partition"]["by"], "student");
        let students: std::collections::BTreeSet<String> = json["trials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["subject"].as_str().unwrap().to_owned())
            .collect();
        for s in &students {
            let n = trial_names(&json)
                .iter()
                .filter(|t| t.ends_with(&format!("::{s}")))
                .count();
            assert_eq!(n, 2, "both of {s}'s trials in share {k}");
        }
        students_in.push(students);
    }
    assert!(students_in[0].is_disjoint(&students_in[1]));
    assert_eq!(students_in[0].len() + students_in[1].len(), 5);
    let merged = dir.path().join("class");
    let files = ["1-2", "2-2"].map(|n| {
        dir.path()
            .join(n)
            .join("results.json")
            .display()
            .to_string()
    });
    let o = conform(
        "class-share",
        &[
            "report",
            "--merge",
            merged.to_str().unwrap(),
            &files[0],
            &files[1],
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "some students fail, as in one run: {}",
        text(&o)
    );
    let csv = std::fs::read_to_string(merged.join("scores.csv")).expect("scores.csv");
    assert_eq!(
        csv.lines().filter(|l| l.contains(",all,")).count(),
        5,
        "{csv}"
    );
    assert_nothing_left("class-share");
}

#[test]
fn bad_partitions_exit_2_and_say_why() {
    for (k, says) in [
        ("0/3", "1 to 3"),
        ("4/3", "1 to 3"),
        ("x", "is not K/N"),
        ("1/0", "at least 1"),
    ] {
        let o = conform(
            "bad-partition",
            &["run", "scenarios/sync", "--partition", k],
        );
        assert_eq!(o.status.code(), Some(2), "{k}: {}", text(&o));
        assert!(text(&o).contains(says), "{k}: {}", text(&o));
    }
}
