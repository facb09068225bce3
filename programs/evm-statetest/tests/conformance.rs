//! The Ethereum state tests as a `cargo test`: every vector must pass except those listed in
//! `known-failures.txt`, and at least 99.5% must pass.
//!
//! The corpus is the folder named by `ISTHMUS_STATE_TESTS`, else the Cancun corpus bundled in
//! `fixtures/state-tests-cancun.tar.zst`, unpacked once under the cargo target directory
//! (`CARGO_TARGET_TMPDIR`). `stTimeConsuming` runs only on request:
//! `cargo test -p evm-statetest --release -- --ignored`. So do the Prague and Osaka fixtures
//! (execution-spec-tests, not bundled), from the folder `ISTHMUS_STATE_TESTS_OSAKA` names.

use evm_statetest::runner::{failure_line, vector_id};
use evm_statetest::{bundled, collect_files, run_files, FileReport, Options};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const TIME_CONSUMING: &str = "stTimeConsuming";
const MIN_PASS_RATE: f64 = 0.995;

/// Found (and unpacked, for the bundled one) once for all the tests of this binary.
fn corpus() -> PathBuf {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let corpus = bundled::corpus(Path::new(env!("CARGO_TARGET_TMPDIR")))
                .unwrap_or_else(|e| panic!("state tests: {e}"));
            println!("corpus: {}", corpus.display());
            corpus
        })
        .clone()
}

/// `file:test:index` lines; `#` starts a comment.
fn known_failures() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("known-failures.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs `files` and checks them against `known-failures.txt`.
fn check_corpus(files: &[(PathBuf, String)]) {
    assert!(!files.is_empty(), "no test files");
    let known = known_failures();
    let reports = run_files(files, Options::default(), &|_| {});

    let (mut passed, mut total) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut failing = BTreeSet::new();
    let mut known_failing = 0usize;
    for file in &reports {
        let vectors = match &file.vectors {
            Ok(vectors) => vectors,
            Err(e) => {
                total += 1;
                unexpected.push(format!("{}: {e}", file.name));
                continue;
            }
        };
        for vector in vectors {
            total += 1;
            if vector.passed() {
                passed += 1;
                continue;
            }
            let id = vector_id(&file.name, vector);
            if known.contains(&id) {
                known_failing += 1;
            } else {
                unexpected.push(failure_line(&file.name, vector));
            }
            failing.insert(id);
        }
    }
    // A listed vector of a file that ran, which now passes: the list must shrink with the bugs.
    let ran: BTreeSet<&str> = files.iter().map(|(_, name)| name.as_str()).collect();
    let fixed: Vec<&String> = known
        .iter()
        .filter(|id| id.split(':').next().is_some_and(|file| ran.contains(file)))
        .filter(|id| !failing.contains(*id))
        .collect();

    let rate = passed as f64 / total as f64;
    println!(
        "{passed} passed, {} failed ({known_failing} known), pass rate {:.3}%",
        total - passed,
        rate * 100.0
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now passing, remove from known-failures.txt:\n{:#?}",
        fixed
    );
    assert!(
        rate >= MIN_PASS_RATE,
        "pass rate {:.3}% below {}%",
        rate * 100.0,
        MIN_PASS_RATE * 100.0
    );
}

#[test]
fn conformance() {
    let files = collect_files(&[corpus()], &[TIME_CONSUMING.to_string()]).unwrap();
    check_corpus(&files);
}

#[test]
#[ignore = "slow by design; run with --release -- --ignored"]
fn time_consuming() {
    let files = collect_files(&[corpus()], &[]).unwrap();
    let files: Vec<_> = files
        .into_iter()
        .filter(|(_, name)| name.starts_with(TIME_CONSUMING))
        .collect();
    check_corpus(&files);
}

/// The execution-spec-tests fixtures for Prague and Osaka (every fork's entries the runner
/// knows), when `ISTHMUS_STATE_TESTS_OSAKA` names their folder; skipped otherwise.
#[test]
#[ignore = "needs the Prague/Osaka fixtures: ISTHMUS_STATE_TESTS_OSAKA=<folder> ... -- --ignored"]
fn prague_and_osaka() {
    let Some(folder) = std::env::var_os("ISTHMUS_STATE_TESTS_OSAKA") else {
        println!("ISTHMUS_STATE_TESTS_OSAKA is not set: skipped");
        return;
    };
    let files = collect_files(&[PathBuf::from(folder)], &[]).unwrap();
    check_corpus(&files);
}

/// Saving the machine to bytes at every pause and resuming from them changes nothing.
#[test]
fn pause_and_resume() {
    let corpus = corpus();
    let folders = ["Cancun", "stCreate2", "stCallCodes"].map(|f| corpus.join(f));
    // Left out: vectors whose machine is large for many steps, so that saving it at every step
    // writes gigabytes (the tstoreCannotBeDosd pair: 3M steps over a 13 MB machine).
    let heavy = [
        "15_tstoreCannotBeDosd",
        "21_tstoreCannotBeDosdOOO",
        "Create2Recursive",
        "Create2OnDepth1023",
        "Create2OnDepth1024",
    ]
    .map(String::from);
    let files = collect_files(&folders, &heavy).unwrap();
    let outcomes = |options: Options| -> BTreeMap<String, evm_statetest::Outcome> {
        let reports: Vec<FileReport> = run_files(&files, options, &|_| {});
        let mut outcomes = BTreeMap::new();
        for file in reports {
            let name = file.path.display().to_string();
            for vector in file.vectors.unwrap_or_else(|e| panic!("{name}: {e}")) {
                outcomes.insert(vector_id(&name, &vector), vector.outcome);
            }
        }
        outcomes
    };
    let straight = outcomes(Options::default());
    assert!(straight.len() > 400, "only {} vectors", straight.len());
    for pause_every in [1, 97] {
        let paused = outcomes(Options {
            pause_every: Some(pause_every),
            ..Options::default()
        });
        let differing: Vec<&String> = straight
            .keys()
            .filter(|id| straight.get(*id) != paused.get(*id))
            .collect();
        assert!(
            differing.is_empty(),
            "pausing every {pause_every} steps changed {} outcomes: {differing:#?}",
            differing.len()
        );
    }
}
