//! `conform bench` end to end at tiny sizes: it runs, says where server and load ran, and
//! writes bench.json and bench.html of the documented shape. No speed is asserted: a slow
//! machine gives slow figures, never a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn bench_at_tiny_sizes_writes_every_part() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_conform"))
        .current_dir(root())
        .args(["bench", "models", "idle", "http", "procs"])
        .args(["--duration", "100ms", "--warmup", "20ms"])
        .args([
            "--models",
            "select,epoll",
            "--clients",
            "1,3",
            "--many",
            "20",
        ])
        .args([
            "--idle",
            "0,5",
            "--http-clients",
            "4",
            "--http-file-size",
            "100",
            "--no-wrk",
        ])
        .args(["--spawn", "5", "--runs", "1", "--workers", "2"])
        .args([
            "--cpu-iterations",
            "10000",
            "--io-waits",
            "4",
            "--io-wait",
            "1ms",
        ])
        .args([
            "--cmd",
            "python3 examples/bench/cpu_threads.py {workers} 2000",
        ])
        .args([
            "--cmd",
            "python3 examples/bench/cpu_procs.py {workers} 2000",
        ])
        .args([
            "--cmd",
            "python3 examples/bench/io_threads.py {workers} 4 1",
        ])
        .args(["--cmd", "python3 examples/bench/spawn.py thread 3"])
        .args(["--cmd", "python3 examples/bench/spawn.py process 3"])
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(text.contains("placement: server"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("bench.json")).unwrap())
            .unwrap();
    // select and epoll at 1 and 3 clients, epoll also at --many.
    let models = json["models"].as_array().unwrap();
    assert_eq!(models.len(), 5, "{json:#}");
    for p in models {
        for key in [
            "server",
            "clients",
            "throughput",
            "p50_us",
            "p99_us",
            "placement",
            "command",
        ] {
            assert!(!p[key].is_null(), "{key} missing in {p}");
        }
        assert!(p["error"].is_null(), "{p}");
    }
    // select at 0 and 5 idle connections; epoll also at --many.
    assert_eq!(json["idle"].as_array().unwrap().len(), 5, "{json:#}");
    let procs = &json["procs"];
    assert_eq!(procs["creation"].as_array().unwrap().len(), 2);
    // cpu over threads and processes, io over threads, each at 1 and 2 workers.
    assert_eq!(procs["split"].as_array().unwrap().len(), 6);
    let commands = procs["commands"].as_array().unwrap();
    // Three commands at 1 and 2 workers, two without {workers}.
    assert_eq!(commands.len(), 8, "{procs:#}");
    for c in commands {
        assert!(c["error"].is_null(), "{c}");
    }
    assert!(json["commands"]["procs"]
        .as_str()
        .unwrap()
        .starts_with("conform bench procs"));
    let html = std::fs::read_to_string(out.path().join("bench.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Processes against threads"));
}

#[test]
fn bench_refuses_an_unknown_model() {
    let o = Command::new(env!("CARGO_BIN_EXE_conform"))
        .current_dir(root())
        .args(["bench", "models", "--models", "nope"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no reference server for the model `nope`"));
}
