//! `evm-statetest [--fork NAME] [--pause-every N] [--skip NAME]... [PATH]...`: runs every
//! state-test vector of the forks the interpreter knows (Cancun, Prague, Osaka; `--fork` picks
//! one) in the given files and folders and prints one line per failing vector, the counts per
//! fork, then `N passed, N failed`.
//! Without PATH: the folder `$ISTHMUS_STATE_TESTS` names, else the Cancun corpus bundled in
//! `fixtures/`, unpacked once into `evm-statetest-fixtures/` beside the executable.

use clap::Parser;
use evm_statetest::runner::failure_line;
use evm_statetest::{bundled, collect_files, run_files, FileReport, Options};
use isthmus_evm::Fork;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Runs Ethereum GeneralStateTests (Cancun, Prague, Osaka) against isthmus-evm")]
struct Args {
    /// Run only this fork's post entries (Cancun, Prague or Osaka).
    #[arg(long, value_name = "NAME", value_parser = parse_fork)]
    fork: Option<Fork>,
    /// Run with a step budget of N; at every pause save the machine to bytes, drop it and resume
    /// from the bytes. Precompiles the program runs as jobs (P256VERIFY, the BLS12-381 maps) then run as jobs too.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pause_every: Option<u64>,
    /// Leave out files with a path component (folder or file name) equal to NAME.
    #[arg(long, value_name = "NAME")]
    skip: Vec<String>,
    /// JSON test files or folders (searched recursively). None: the folder $ISTHMUS_STATE_TESTS
    /// names, else the bundled Cancun corpus (unpacked once beside this executable).
    paths: Vec<PathBuf>,
}

fn parse_fork(name: &str) -> Result<Fork, String> {
    Fork::from_name(name).ok_or_else(|| format!("unknown fork {name:?}: Cancun, Prague or Osaka"))
}

/// The corpus run when no PATH is given.
fn default_corpus() -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let beside = exe.parent().unwrap_or(std::path::Path::new("."));
    bundled::corpus(&beside.join("evm-statetest-fixtures"))
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    if args.paths.is_empty() {
        match default_corpus() {
            Ok(corpus) => {
                eprintln!("corpus: {}", corpus.display());
                args.paths.push(corpus);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let files = match collect_files(&args.paths, &args.skip) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let print_failures = |file: &FileReport| match &file.vectors {
        Ok(vectors) => {
            for vector in vectors.iter().filter(|v| !v.passed()) {
                println!("{}", failure_line(&file.name, vector));
            }
        }
        Err(e) => println!("{}: {e}", file.name),
    };
    let reports = run_files(
        &files,
        Options {
            pause_every: args.pause_every,
            fork: args.fork,
        },
        &print_failures,
    );

    let (mut passed, mut failed) = (0usize, 0usize);
    let mut per_fork: BTreeMap<Fork, (usize, usize)> = BTreeMap::new();
    for file in &reports {
        match &file.vectors {
            Ok(vectors) => {
                for vector in vectors {
                    let counts = per_fork.entry(vector.fork).or_default();
                    if vector.passed() {
                        counts.0 += 1;
                        passed += 1;
                    } else {
                        counts.1 += 1;
                        failed += 1;
                    }
                }
            }
            Err(_) => failed += 1,
        }
    }
    for (fork, (ok, bad)) in &per_fork {
        println!("{}: {ok} passed, {bad} failed", fork.name());
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
