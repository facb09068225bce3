//! Runs vectors: one post entry of one test, then whole files, then many files on all cores.

use crate::json::{hex, Indexes, PostEntry, StateTest, TestFile};
use crate::setup::SetupError;
use crate::{root, setup};
use alloy_primitives::keccak256;
use isthmus_evm::crypto::Stepped;
use isthmus_evm::env::TxKind;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{
    AccountInfo, Address, ExecutionResult, Fork, HostCrypto, Machine, MemoryState, RunOutcome,
    State, StateError, TxEnv, B256, U256,
};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How to run the machine.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Run with this step budget and, at every pause, save the machine to bytes, drop it and
    /// resume from the bytes; precompiles the program runs as jobs (P256VERIFY, the BLS12-381 maps) run as jobs,
    /// pausing too. `None`: one uninterrupted run.
    pub pause_every: Option<u64>,
    /// Run only this fork's post entries. `None`: every fork the interpreter runs (post entries
    /// of older forks are left out).
    pub fork: Option<Fork>,
}

/// What running a vector produced, comparable between runs (with and without pauses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The transaction was refused: by the machine, or its `txbytes` do not decode.
    Invalid(String),
    /// The transaction ran.
    Executed {
        result: Box<ExecutionResult>,
        state_root: B256,
        logs_hash: B256,
    },
    /// A host error, a panic, or a malformed test.
    Error(String),
}

/// The result of one vector.
#[derive(Clone, Debug)]
pub struct VectorReport {
    pub test: String,
    /// The fork the vector ran under (its key in `post`).
    pub fork: Fork,
    /// Position in the fork's `post` array.
    pub index: usize,
    pub indexes: Indexes,
    pub outcome: Outcome,
    /// Why the vector failed; `None` when it passed.
    pub failure: Option<String>,
}

impl VectorReport {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}

/// The state tests' world: the pre-state, and BLOCKHASH(n) = keccak256(decimal string of n), as
/// geth's and revm's state-test runners answer it.
pub struct TestState(pub MemoryState);

impl State for TestState {
    fn account(&mut self, address: &Address) -> Result<Option<AccountInfo>, StateError> {
        self.0.account(address)
    }
    fn code(&mut self, address: &Address) -> Result<Vec<u8>, StateError> {
        self.0.code(address)
    }
    fn storage(&mut self, address: &Address, slot: &U256) -> Result<U256, StateError> {
        self.0.storage(address, slot)
    }
    fn has_storage(&mut self, address: &Address) -> Result<bool, StateError> {
        self.0.has_storage(address)
    }
    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        Ok(keccak256(number.to_string()).0)
    }
}

/// Runs one vector: `test` with the post entry `entry` (the `index`-th of `fork`).
pub fn run_vector(
    test: &StateTest,
    fork: Fork,
    index: usize,
    entry: &PostEntry,
    options: Options,
) -> VectorReport {
    let judged = catch_unwind(AssertUnwindSafe(|| judge(test, fork, entry, options)));
    let (outcome, failure) = match judged {
        Ok(judged) => judged,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string payload".into());
            let reason = format!("panic: {message}");
            (Outcome::Error(reason.clone()), Some(reason))
        }
    };
    VectorReport {
        test: String::new(),
        fork,
        index,
        indexes: entry.indexes,
        outcome,
        failure,
    }
}

fn judge(
    test: &StateTest,
    fork: Fork,
    entry: &PostEntry,
    options: Options,
) -> (Outcome, Option<String>) {
    let expected_exception = entry.expect_exception.as_deref();
    let mut state = TestState(setup::pre_state(&test.pre));
    let tx = match setup::tx_env(&test.transaction, entry.indexes) {
        Ok(tx) => tx,
        Err(SetupError::BadTest(e)) => {
            let reason = format!("bad test: {e}");
            return (Outcome::Error(reason.clone()), Some(reason));
        }
        // A transaction no encoding can carry: refused, so the state must be unchanged.
        Err(SetupError::Unencodable(e)) => {
            let failure = match expected_exception {
                Some(_) => check_hashes(&state.0, &[], entry).err(),
                None => Some(format!("unexpected invalid transaction: {e}")),
            };
            return (Outcome::Invalid(e), failure);
        }
    };
    let mut failures = Vec::new();

    // The signed bytes must say what the JSON fields say.
    if let Some(bytes) = &entry.txbytes {
        match (check_txbytes(&bytes.0, &tx), expected_exception) {
            (Ok(()), _) => {}
            // Refused before it reaches the machine: the expected rejection.
            (Err(TxBytesError::Invalid(e)), Some(_)) => {
                let failure = check_hashes(&state.0, &[], entry).err();
                return (Outcome::Invalid(e), failure);
            }
            (Err(TxBytesError::Invalid(e) | TxBytesError::Mismatch(e)), None) => failures.push(e),
            (Err(TxBytesError::Mismatch(_)), Some(_)) => {}
        }
    }

    let outcome = match execute(setup::block_env(&test.env, fork), tx, &mut state, options) {
        Ok(RunOutcome::Done(result)) => {
            if let Err(e) = check_changes(&result.changes) {
                failures.push(e);
            }
            state.0.apply(&result.changes);
            let state_root = root::state_root(&state.0);
            let logs_hash = root::logs_hash(&result.logs);
            Outcome::Executed {
                result: Box::new(result),
                state_root,
                logs_hash,
            }
        }
        Ok(RunOutcome::Invalid(invalid)) => Outcome::Invalid(format!("{invalid:?}")),
        Ok(RunOutcome::Fatal(e)) => Outcome::Error(format!("fatal state error: {e:?}")),
        Ok(RunOutcome::Paused) => unreachable!("execute runs to the end"),
        Err(e) => Outcome::Error(e),
    };

    match (&outcome, expected_exception) {
        (Outcome::Executed { result, .. }, Some(exception)) => failures.push(format!(
            "expected exception {exception} but transaction ran ({:?}, gas used {})",
            result.status, result.gas_used
        )),
        (
            Outcome::Executed {
                result,
                state_root,
                logs_hash,
            },
            None,
        ) => {
            let ran = format!("({:?}, gas used {})", result.status, result.gas_used);
            if *state_root != entry.hash.0 {
                let accounts = entry
                    .state
                    .as_ref()
                    .map(|want| state_diff(&state.0, want))
                    .unwrap_or_default();
                failures.push(format!(
                    "state root mismatch: got {} want {} {ran}{accounts}",
                    hex(state_root),
                    hex(&entry.hash.0)
                ));
            }
            if *logs_hash != entry.logs.0 {
                failures.push(format!(
                    "logs hash mismatch: got {} want {} ({} logs) {ran}",
                    hex(logs_hash),
                    hex(&entry.logs.0),
                    result.logs.len()
                ));
            }
        }
        (Outcome::Invalid(invalid), None) => {
            failures.push(format!("unexpected invalid transaction: {invalid}"))
        }
        (Outcome::Invalid(_), Some(_)) => {
            if let Err(e) = check_hashes(&state.0, &[], entry) {
                failures.push(e);
            }
        }
        (Outcome::Error(e), _) => failures.push(e.clone()),
    }
    let failure = (!failures.is_empty()).then(|| failures.join("; "));
    (outcome, failure)
}

/// Runs the machine to the end, saving and restoring it at every pause if asked to.
fn execute(
    block: isthmus_evm::BlockEnv,
    tx: TxEnv,
    state: &mut TestState,
    options: Options,
) -> Result<RunOutcome, String> {
    // Paused runs also take the stepped path of the precompiles the program runs as jobs
    // (P256VERIFY, the BLS12-381 maps), pausing inside them too; their answers must not change.
    let crypto: &dyn isthmus_evm::Crypto = match options.pause_every {
        Some(_) => &Stepped(HostCrypto),
        None => &HostCrypto,
    };
    let mut machine = Machine::new(block, tx);
    let budget = options.pause_every.unwrap_or(u64::MAX);
    loop {
        match machine.run(state, crypto, budget) {
            RunOutcome::Paused => {
                if options.pause_every.is_some() {
                    let bytes = machine.to_bytes();
                    drop(machine);
                    machine = Machine::from_bytes(&bytes)
                        .map_err(|e| format!("Machine::from_bytes failed on its own bytes: {e}"))?;
                }
            }
            finished => return Ok(finished),
        }
    }
}

/// How the post-state differs from the fixture's expected accounts, for the failure line.
fn state_diff(
    got: &MemoryState,
    want: &std::collections::BTreeMap<crate::json::Hex<Address>, crate::json::PreAccount>,
) -> String {
    let expected = setup::pre_state(want);
    let mut diffs = Vec::new();
    let addresses: std::collections::BTreeSet<&Address> = got
        .accounts
        .keys()
        .chain(expected.accounts.keys())
        .collect();
    for address in addresses {
        match (got.accounts.get(address), expected.accounts.get(address)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => {
                let mut what = Vec::new();
                if a.info.balance != b.info.balance {
                    what.push(format!(
                        "balance {} want {}",
                        a.info.balance, b.info.balance
                    ));
                }
                if a.info.nonce != b.info.nonce {
                    what.push(format!("nonce {} want {}", a.info.nonce, b.info.nonce));
                }
                if a.code != b.code {
                    what.push(format!("code {} want {}", hex(&a.code), hex(&b.code)));
                }
                if a.storage != b.storage {
                    what.push(format!("storage {:?} want {:?}", a.storage, b.storage));
                }
                diffs.push(format!("{}: {}", hex(address), what.join(", ")));
            }
            (Some(_), None) => diffs.push(format!("{}: should not exist", hex(address))),
            (None, _) => diffs.push(format!("{}: missing", hex(address))),
        }
    }
    format!("; accounts: {}", diffs.join("; "))
}

/// For an unchanged state: the pre-state root and no logs.
fn check_hashes(
    state: &MemoryState,
    logs: &[isthmus_evm::Log],
    entry: &PostEntry,
) -> Result<(), String> {
    let state_root = root::state_root(state);
    if state_root != entry.hash.0 {
        return Err(format!(
            "state root mismatch: got {} want {}",
            hex(&state_root),
            hex(&entry.hash.0)
        ));
    }
    let logs_hash = root::logs_hash(logs);
    if logs_hash != entry.logs.0 {
        return Err(format!(
            "logs hash mismatch: got {} want {}",
            hex(&logs_hash),
            hex(&entry.logs.0)
        ));
    }
    Ok(())
}

/// Internal consistency of what the machine hands back: new code matches its code hash.
fn check_changes(changes: &StateChanges) -> Result<(), String> {
    for change in &changes.accounts {
        if let (Some(info), Some(code)) = (&change.info, &change.code) {
            let hash = if code.is_empty() {
                KECCAK_EMPTY
            } else {
                keccak256(code).0
            };
            if hash != info.code_hash {
                return Err(format!(
                    "inconsistent change for {}: code hash {} but keccak256(code) = {}",
                    hex(&change.address),
                    hex(&info.code_hash),
                    hex(&hash)
                ));
            }
        }
    }
    Ok(())
}

enum TxBytesError {
    /// The bytes do not decode or their signature does not recover.
    Invalid(String),
    /// They decode to another transaction than the JSON fields describe.
    Mismatch(String),
}

/// Decodes `txbytes`, recovers the sender and compares the result with the transaction built
/// from the JSON fields.
fn check_txbytes(bytes: &[u8], built: &TxEnv) -> Result<(), TxBytesError> {
    let crypto = HostCrypto;
    let mut signed = isthmus_evm::transaction::decode(bytes, &crypto)
        .map_err(|e| TxBytesError::Invalid(format!("txbytes do not decode: {e:?}")))?;
    let sender = signed
        .recover_sender(&crypto)
        .map_err(|e| TxBytesError::Invalid(format!("txbytes signature does not recover: {e:?}")))?;
    let mut decoded = signed.tx.clone();
    decoded.caller = sender;
    let mut built = built.clone();
    // Pre-EIP-155 legacy signatures name no chain.
    if decoded.kind == TxKind::Legacy && decoded.chain_id.is_none() {
        built.chain_id = None;
    }
    if decoded == built {
        return Ok(());
    }
    let mut diffs = Vec::new();
    macro_rules! diff {
        ($($field:ident),*) => {$(
            if decoded.$field != built.$field {
                let show = |v: String| if v.len() > 80 { format!("{}..", &v[..80]) } else { v };
                diffs.push(format!(
                    "{} {} (json {})",
                    stringify!($field),
                    show(format!("{:?}", decoded.$field)),
                    show(format!("{:?}", built.$field))
                ));
            }
        )*};
    }
    diff!(
        kind,
        caller,
        gas_limit,
        gas_price,
        gas_priority_fee,
        to,
        value,
        data,
        nonce,
        chain_id,
        access_list,
        blob_hashes,
        max_fee_per_blob_gas,
        authorization_list
    );
    Err(TxBytesError::Mismatch(format!(
        "txbytes decode to another transaction: {}",
        diffs.join(", ")
    )))
}

/// The vectors of one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    /// How the file is named in reports (relative to the folder it was found in).
    pub name: String,
    /// The vectors, or why the file could not be read.
    pub vectors: Result<Vec<VectorReport>, String>,
}

/// Runs the vectors of every test in one file: those of the forks the interpreter runs, or of
/// `options.fork` alone.
pub fn run_file(path: &Path, options: Options) -> Result<Vec<VectorReport>, String> {
    let text = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let file: TestFile = serde_json::from_slice(&text).map_err(|e| format!("cannot parse: {e}"))?;
    let mut reports = Vec::new();
    for (name, test) in &file {
        for (fork_name, entries) in &test.post {
            let Some(fork) = Fork::from_name(fork_name) else {
                continue;
            };
            if options.fork.is_some_and(|only| only != fork) {
                continue;
            }
            for (index, entry) in entries.iter().enumerate() {
                let mut report = run_vector(test, fork, index, entry, options);
                report.test = name.clone();
                reports.push(report);
            }
        }
    }
    Ok(reports)
}

/// The JSON files under `paths` (files or folders, recursively), in path order, with the names
/// to report them by. Files with a path component in `skip` are left out.
pub fn collect_files(
    paths: &[PathBuf],
    skip: &[String],
) -> std::io::Result<Vec<(PathBuf, String)>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for root in paths {
        let mut found = Vec::new();
        if root.is_dir() {
            walk(root, &mut found)?;
        } else {
            found.push(root.clone());
        }
        found.sort();
        for path in found {
            let name = match path.strip_prefix(root) {
                Ok(relative) if !relative.as_os_str().is_empty() => relative,
                _ => &path,
            };
            let skipped = name.components().any(|c| {
                let c = Path::new(c.as_os_str());
                skip.iter().any(|s| {
                    c == Path::new(s) || c.file_stem().is_some_and(|stem| stem == s.as_str())
                })
            });
            if !skipped {
                let name = name.to_string_lossy().into_owned();
                files.push((path, name));
            }
        }
    }
    Ok(files)
}

/// Runs `files` on all cores, one file at a time per thread; reports come back in input order.
/// `on_file` sees each file as it finishes (for progress output).
pub fn run_files(
    files: &[(PathBuf, String)],
    options: Options,
    on_file: &(dyn Fn(&FileReport) + Sync),
) -> Vec<FileReport> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<FileReport>>> = Mutex::new(files.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, name)) = files.get(i) else {
                    break;
                };
                let report = FileReport {
                    path: path.clone(),
                    name: name.clone(),
                    vectors: run_file(path, options),
                };
                on_file(&report);
                done.lock().unwrap()[i] = Some(report);
            });
        }
    });
    done.into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every file ran"))
        .collect()
}

/// `file:test:fork:index`, the name of a vector in `known-failures.txt`.
pub fn vector_id(file: &str, vector: &VectorReport) -> String {
    format!(
        "{file}:{}:{}:{}",
        vector.test,
        vector.fork.name(),
        vector.index
    )
}

/// One report line for a failing vector.
pub fn failure_line(file: &str, vector: &VectorReport) -> String {
    let Indexes { data, gas, value } = vector.indexes;
    format!(
        "{} (data {data}, gas {gas}, value {value}): {}",
        vector_id(file, vector),
        vector.failure.as_deref().unwrap_or("passed")
    )
}
