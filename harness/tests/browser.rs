//! The HTML report in a real browser: two runs (the suite on two queue scenarios, and a
//! mutant judged as a subject that must pass, so a failure has evidence), rendered as one
//! page, opened in headless Chromium. Checks that the page parses without errors, that
//! the matrix is there, that a failure's evidence is one click away, and that the filter's
//! script works. A screenshot stays in target/tmp/browser/.
//!
//! A libtest-mimic harness so the test can be *ignored* where Chromium is missing (a plain
//! #[test] cannot decide that at run time); `--include-ignored` runs it anyway, and it then
//! fails, saying Chromium is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};
use scraper::{Html, Selector};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Debian's chromium, or the browser `CONFORM_CHROMIUM` names (a path that does not exist
/// shows what happens where Chromium is missing).
fn find_chromium() -> Option<PathBuf> {
    let candidates = match std::env::var_os("CONFORM_CHROMIUM") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![
            PathBuf::from("/usr/bin/chromium"),
            PathBuf::from("/usr/bin/chromium-browser"),
        ],
    };
    candidates.into_iter().find(|p| p.exists())
}

fn main() {
    let args = Arguments::from_args();
    let browser = find_chromium();
    let missing = browser.is_none();
    let trial = Trial::test("browser/report-in-chromium", move || match &browser {
        Some(b) => report_in_chromium(b),
        None => Err("chromium is not installed (apt-get install chromium)".into()),
    })
    .with_ignored_flag(missing);
    libtest_mimic::run(&args, vec![trial]).exit();
}

fn report_in_chromium(browser: &Path) -> Result<(), Failed> {
    let started = Instant::now();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    let scenarios = [
        "scenarios/sync/queue-fifo.yaml",
        "scenarios/sync/queue-get-blocks-until-put.yaml",
    ];
    let suite = out.join("suite");
    let failing = out.join("failing");
    conform(
        &[&scenarios[..], &["--report", s(&suite)]].concat(),
        Some(0),
    )?;
    conform(
        &[
            &scenarios[..],
            &[
                "--subject",
                "mutant:queue-lost-wakeup",
                "--report",
                s(&failing),
            ],
        ]
        .concat(),
        Some(1),
    )?;
    // `conform run` writes its page; check it is valid HTML too.
    for dir in [&suite, &failing] {
        valid(&std::fs::read_to_string(dir.join("report.html"))?)?;
    }
    let page = out.join("report.html");
    let o = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["report", "--html", s(&page)])
        .arg(suite.join("results.json"))
        .arg(failing.join("results.json"))
        .current_dir(root())
        .output()?;
    ensure(o.status.success(), || {
        format!(
            "conform report --html: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    })?;
    valid(&std::fs::read_to_string(&page)?)?;
    let url = format!("file://{}", page.display());

    // The page as the browser built it, script run.
    let dom = dump_dom(browser, &url, &out)?;
    let marks = attrs(&dom, "table.matrix a.mark", "href");
    ensure(marks.len() >= 8, || {
        format!("the matrix has {} marks", marks.len())
    })?;
    let heads = texts(&dom, "table.matrix thead th");
    ensure(
        heads.iter().any(|h| h == "references (run 1)")
            && heads.iter().any(|h| h == "mutants (run 1)")
            && heads.iter().any(|h| h == "mutant:queue-lost-wakeup"),
        || format!("the matrix's columns: {heads:?}"),
    )?;
    ensure(
        texts(&dom, "#shown")
            .first()
            .is_some_and(|t| t.ends_with("trials")),
        || "the script did not run: #shown is empty".into(),
    )?;

    // A failure's evidence: the failing mark in the matrix leads to an open section with
    // the broken check and the actors' timeline.
    let failing_mark = attrs(&dom, "table.matrix a.mark.s-fail", "href");
    let target = failing_mark
        .first()
        .ok_or("no failing mark in the matrix")?;
    let dom = dump_dom(browser, &format!("{url}{target}"), &out)?;
    let section = format!("details.trial[id='{}']", &target[1..]);
    ensure(count(&dom, &format!("{section}[open]")) == 1, || {
        format!("{section} is not open")
    })?;
    for evidence in ["table.checks tr.broke", "svg.timeline rect"] {
        ensure(count(&dom, &format!("{section} {evidence}")) >= 1, || {
            format!("{section} has no {evidence}")
        })?;
    }
    // A trial that showed what it must is folded, and the script opens it when a link
    // points at it.
    let passing = attrs(&dom, "table.matrix a.mark.s-pass", "href");
    let closed = passing.first().ok_or("no passing mark in the matrix")?;
    let folded = format!("details.trial[id='{}'][open]", &closed[1..]);
    ensure(count(&dom, &folded) == 0, || {
        format!("{closed} is open without being asked")
    })?;
    let dom = dump_dom(browser, &format!("{url}{closed}"), &out)?;
    ensure(count(&dom, &folded) == 1, || {
        format!("following a link to {closed} did not open it")
    })?;

    // The filter, from the address: text, then outcome.
    let dom = dump_dom(browser, &format!("{url}?q=queue.fifo"), &out)?;
    let shown = visible_rows(&dom);
    ensure(shown == ["queue.fifo"], || {
        format!("?q=queue.fifo shows the rows {shown:?}")
    })?;
    ensure(
        count(
            &dom,
            "section.scenario[id='s-queue.get-blocks-until-put'][hidden]",
        ) == 1,
        || "the filtered-out scenario's section is still shown".into(),
    )?;
    let dom = dump_dom(browser, &format!("{url}?outcome=unmet"), &out)?;
    let shown = visible_rows(&dom);
    ensure(shown == ["queue.get-blocks-until-put"], || {
        format!("?outcome=unmet shows the rows {shown:?}")
    })?;
    let trials = count(&dom, "details.trial:not([hidden])");
    ensure(trials == 3, || {
        format!("?outcome=unmet shows {trials} trials, not the 3 that failed")
    })?;

    let shot = out.join("report.png");
    chromium(
        browser,
        &out,
        &[
            "--window-size=1400,2400",
            &format!("--screenshot={}", shot.display()),
            &format!("{url}?outcome=unmet"),
        ],
    )?;
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    ensure(size > 10_000, || format!("the screenshot has {size} bytes"))?;
    println!(
        "screenshot: {} (the whole test took {:.1}s)",
        shot.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(why().into())
    }
}

/// `conform run ARGS`, which must exit with `code`.
fn conform(args: &[&str], code: Option<i32>) -> Result<(), Failed> {
    let o = Command::new(env!("CARGO_BIN_EXE_conform"))
        .arg("run")
        .args(args)
        .current_dir(root())
        .output()?;
    ensure(o.status.code() == code, || {
        format!(
            "conform run {}: exit {:?}\n{}{}",
            args.join(" "),
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// No parse error in `html` (html5ever's, as a browser would meet them).
fn valid(html: &str) -> Result<(), Failed> {
    let doc = Html::parse_document(html);
    ensure(doc.errors.is_empty(), || {
        format!("the HTML has parse errors: {:?}", doc.errors)
    })
}

/// Runs headless Chromium with `args`, without the network; gives up after a minute.
fn chromium(browser: &Path, out: &Path, args: &[&str]) -> Result<String, Failed> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-background-networking",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", out.join("profile").display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(60);
    // Read stdout on a thread: a large DOM would fill the pipe before the browser exits.
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    loop {
        if let Some(status) = child.try_wait()? {
            let text = reader.join().unwrap_or_default();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            return if status.success() {
                Ok(text)
            } else {
                Err(format!("chromium {args:?}: {status}\n{err}").into())
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("chromium {args:?} took over a minute").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn dump_dom(browser: &Path, url: &str, out: &Path) -> Result<Html, Failed> {
    let text = chromium(browser, out, &["--dump-dom", url])?;
    ensure(text.contains("</html>"), || {
        format!("chromium dumped no page for {url}")
    })?;
    Ok(Html::parse_document(&text))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("a valid selector"))
        .collect()
}

fn count(doc: &Html, css: &str) -> usize {
    select(doc, css).len()
}

fn attrs(doc: &Html, css: &str, name: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The scenarios of the matrix rows the filter left visible.
fn visible_rows(doc: &Html) -> Vec<String> {
    texts(
        doc,
        "table.matrix tbody:not([hidden]) tr.row:not([hidden]) th.scenario a",
    )
}
