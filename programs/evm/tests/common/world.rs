//! One transaction over one pre-state, run through isthmus-evm and through revm under the block's
//! fork (Cancun, Prague or Osaka), with both results normalised to the same shape so they can be
//! compared field by field.

use super::rng::Rng;
use isthmus_evm::env::{AccessListItem, TxKind};
use isthmus_evm::{
    AccountInfo, Address, BlockEnv, Crypto, ExecutionResult, Fork, HostCrypto, Log, Machine,
    MemoryState, RunOutcome, Status, TxEnv, B256, U256,
};
use revm::context::{BlockEnv as RBlockEnv, CfgEnv, TxEnv as RTxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::context_interface::result::{EVMError, ExecutionResult as RResult};
use revm::context_interface::transaction::{
    AccessList, AccessListItem as RAccessListItem, Authorization as RAuthorization,
    SignedAuthorization,
};
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Address as RAddress, Bytes, TxKind as RTxKind, B256 as RB256};
use revm::state::{AccountInfo as RAccountInfo, Bytecode as RBytecode, EvmState};
use revm::{Context, ExecuteEvm, MainBuilder, MainContext};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An account of the pre-state or the post-state. Storage holds non-zero slots only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    pub balance: U256,
    pub nonce: u64,
    pub code: Vec<u8>,
    pub storage: BTreeMap<U256, U256>,
}

impl Account {
    pub fn with_code(balance: U256, nonce: u64, code: Vec<u8>) -> Self {
        Self {
            balance,
            nonce,
            code,
            storage: BTreeMap::new(),
        }
    }
}

/// The world: every existing account by address.
pub type World = BTreeMap<Address, Account>;

/// One transaction to run over a pre-state.
#[derive(Clone, Debug)]
pub struct Case {
    pub pre: World,
    pub block: BlockEnv,
    pub tx: TxEnv,
}

pub fn keccak(data: &[u8]) -> B256 {
    HostCrypto.keccak256(data)
}

/// The hash both sides answer for BLOCKHASH(n): what revm's `EmptyDB` answers.
pub fn block_hash(number: u64) -> B256 {
    keccak(number.to_string().as_bytes())
}

/// The pre-state as isthmus-evm's in-memory state.
pub fn memory_state(case: &Case) -> MemoryState {
    let mut state = MemoryState::default();
    for (address, account) in &case.pre {
        let info = AccountInfo {
            balance: account.balance,
            nonce: account.nonce,
            code_hash: keccak(&account.code),
        };
        state.insert_account(*address, info, account.code.clone());
        for (slot, value) in &account.storage {
            state.set_storage(*address, *slot, *value);
        }
    }
    let number = case.block.number;
    for n in number.saturating_sub(256)..number {
        state.block_hashes.insert(n, block_hash(n));
    }
    state
}

/// The pre-state as a revm database.
pub fn revm_db(case: &Case) -> CacheDB<EmptyDB> {
    let mut db = CacheDB::new(EmptyDB::new());
    for (address, account) in &case.pre {
        let address = RAddress::from(*address);
        // `new_raw` reads a delegation designator as one (EIP-7702), anything else as legacy.
        let code = RBytecode::new_raw(Bytes::from(account.code.clone()));
        let info = RAccountInfo {
            balance: account.balance,
            nonce: account.nonce,
            code_hash: RB256::from(keccak(&account.code)),
            code: Some(code),
            ..Default::default()
        };
        db.insert_account_info(address, info);
        for (slot, value) in &account.storage {
            db.insert_account_storage(address, *slot, *value)
                .expect("in-memory database");
        }
    }
    db
}

pub fn revm_block(block: &BlockEnv) -> RBlockEnv {
    RBlockEnv {
        number: U256::from(block.number),
        beneficiary: RAddress::from(block.coinbase),
        timestamp: U256::from(block.timestamp),
        gas_limit: block.gas_limit,
        basefee: u64::try_from(block.base_fee).expect("base fee fits u64"),
        difficulty: U256::ZERO,
        prevrandao: Some(RB256::from(block.prevrandao)),
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
            block.excess_blob_gas,
            block.fork.blob_params().update_fraction,
        )),
        ..Default::default()
    }
}

pub fn revm_tx(tx: &TxEnv) -> RTxEnv {
    let tx_type = match tx.kind {
        TxKind::Legacy => 0,
        TxKind::AccessList => 1,
        TxKind::DynamicFee => 2,
        TxKind::Blob => 3,
        TxKind::SetCode => 4,
    };
    let access_list = tx
        .access_list
        .iter()
        .map(|item| RAccessListItem {
            address: RAddress::from(item.address),
            storage_keys: item.storage_keys.iter().map(|k| RB256::from(*k)).collect(),
        })
        .collect::<Vec<_>>();
    let mut revm_tx = RTxEnv {
        tx_type,
        caller: RAddress::from(tx.caller),
        gas_limit: tx.gas_limit,
        gas_price: u128::try_from(tx.gas_price).expect("gas price fits u128"),
        kind: match tx.to {
            Some(to) => RTxKind::Call(RAddress::from(to)),
            None => RTxKind::Create,
        },
        value: tx.value,
        data: Bytes::from(tx.data.clone()),
        nonce: tx.nonce,
        chain_id: tx.chain_id,
        access_list: AccessList(access_list),
        gas_priority_fee: tx
            .gas_priority_fee
            .map(|fee| u128::try_from(fee).expect("fee fits u128")),
        blob_hashes: tx.blob_hashes.iter().map(|h| RB256::from(*h)).collect(),
        max_fee_per_blob_gas: u128::try_from(tx.max_fee_per_blob_gas).expect("blob fee fits u128"),
        ..Default::default()
    };
    let authorizations = tx.authorization_list.iter().map(|auth| {
        let inner = RAuthorization {
            chain_id: auth.chain_id,
            address: RAddress::from(auth.address),
            nonce: auth.nonce,
        };
        SignedAuthorization::new_unchecked(inner, auth.y_parity, auth.r, auth.s)
    });
    revm_tx.set_signed_authorization(authorizations.collect());
    revm_tx
}

/// revm's name for `fork`.
pub fn spec_id(fork: Fork) -> SpecId {
    match fork {
        Fork::Cancun => SpecId::CANCUN,
        Fork::Prague => SpecId::PRAGUE,
        Fork::Osaka => SpecId::OSAKA,
    }
}

/// A mainnet revm over `db` under the block's fork, set up for `block`.
pub fn revm_evm(
    db: CacheDB<EmptyDB>,
    block: &BlockEnv,
) -> revm::MainnetEvm<revm::handler::MainnetContext<CacheDB<EmptyDB>>> {
    let chain_id = block.chain_id;
    let fork = block.fork;
    Context::mainnet()
        .modify_cfg_chained(|cfg: &mut CfgEnv| {
            cfg.set_spec_and_mainnet_gas_params(spec_id(fork));
            cfg.chain_id = chain_id;
            // revm leaves the per-transaction blob limit to the embedder (EIP-7594 in Osaka).
            cfg.set_max_blobs_per_tx(fork.blob_params().max_per_tx);
        })
        .with_db(db)
        .with_block(revm_block(block))
        .build_mainnet()
}

/// How a transaction ended, on either side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Success,
    Revert,
    Halt,
    Invalid,
}

/// A result in the shape both sides can be compared in.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub class: Class,
    /// The halt or invalidity reason in the implementation's own words (not compared).
    pub detail: String,
    pub gas_used: u64,
    pub output: Vec<u8>,
    pub logs: Vec<Log>,
    pub post: World,
}

/// Runs `case` through isthmus-evm in one go; also returns the raw outcome and the steps taken.
pub fn run_isthmus(case: &Case) -> (Outcome, RunOutcome, u64) {
    let mut state = memory_state(case);
    let mut machine = Machine::new(case.block.clone(), case.tx.clone());
    let outcome = machine.run(&mut state, &HostCrypto, u64::MAX);
    assert_ne!(
        outcome,
        RunOutcome::Paused,
        "an unlimited budget cannot pause"
    );
    (isthmus_outcome(case, &outcome), outcome, machine.steps())
}

/// Runs `case` through isthmus-evm `budget` opcodes at a time (budgets drawn from `pick_budget`),
/// saving the machine to bytes and restoring it at every pause.
pub fn run_isthmus_stepped(case: &Case, mut pick_budget: impl FnMut() -> u64) -> (RunOutcome, u64) {
    let mut state = memory_state(case);
    let mut saved = Machine::new(case.block.clone(), case.tx.clone()).to_bytes();
    let mut pauses = 0;
    loop {
        let mut machine = Machine::from_bytes(&saved).expect("a saved machine restores");
        let outcome = machine.run(&mut state, &HostCrypto, pick_budget());
        if outcome != RunOutcome::Paused {
            return (outcome, pauses);
        }
        pauses += 1;
        saved = machine.to_bytes();
    }
}

pub fn isthmus_outcome(case: &Case, outcome: &RunOutcome) -> Outcome {
    let result: &ExecutionResult = match outcome {
        RunOutcome::Done(result) => result,
        RunOutcome::Invalid(reason) => {
            return Outcome {
                class: Class::Invalid,
                detail: format!("{reason:?}"),
                gas_used: 0,
                output: Vec::new(),
                logs: Vec::new(),
                post: case.pre.clone(),
            }
        }
        RunOutcome::Paused => panic!("not finished"),
        RunOutcome::Fatal(error) => panic!("the in-memory state cannot fail: {error:?}"),
    };
    let (class, detail) = match &result.status {
        Status::Success => (Class::Success, String::new()),
        Status::Revert => (Class::Revert, String::new()),
        Status::Halt(reason) => (Class::Halt, format!("{reason:?}")),
    };
    let mut state = memory_state(case);
    state.apply(&result.changes);
    let post = state
        .accounts
        .into_iter()
        .map(|(address, account)| {
            (
                address,
                Account {
                    balance: account.info.balance,
                    nonce: account.info.nonce,
                    code: account.code,
                    storage: account
                        .storage
                        .into_iter()
                        .filter(|(_, v)| !v.is_zero())
                        .collect(),
                },
            )
        })
        .collect();
    Outcome {
        class,
        detail,
        gas_used: result.gas_used,
        output: result.output.clone(),
        logs: result.logs.clone(),
        post,
    }
}

/// Runs `case` through revm under the block's fork.
pub fn run_revm(case: &Case) -> Outcome {
    let mut evm = revm_evm(revm_db(case), &case.block);
    match evm.transact(revm_tx(&case.tx)) {
        Ok(result_and_state) => {
            revm_outcome(case, &result_and_state.result, result_and_state.state)
        }
        Err(EVMError::Transaction(reason)) => Outcome {
            class: Class::Invalid,
            detail: format!("{reason:?}"),
            gas_used: 0,
            output: Vec::new(),
            logs: Vec::new(),
            post: case.pre.clone(),
        },
        Err(error) => panic!("revm failed: {error:?}"),
    }
}

fn revm_outcome(case: &Case, result: &RResult, state: EvmState) -> Outcome {
    let (class, detail) = match result {
        RResult::Success { .. } => (Class::Success, String::new()),
        RResult::Revert { .. } => (Class::Revert, String::new()),
        RResult::Halt { reason, .. } => (Class::Halt, format!("{reason:?}")),
    };
    let logs = result
        .logs()
        .iter()
        .map(|log| Log {
            address: log.address.into_array(),
            topics: log.data.topics().iter().map(|t| t.0).collect(),
            data: log.data.data.to_vec(),
        })
        .collect();
    let mut post = case.pre.clone();
    for (address, account) in state {
        let address = address.into_array();
        // Untouched accounts were only read; touched empty ones are deleted (EIP-161), and
        // accounts destroyed by a SELFDESTRUCT in the transaction that created them (EIP-6780).
        if !account.is_touched() {
            continue;
        }
        if account.is_selfdestructed() || account.is_empty() {
            post.remove(&address);
            continue;
        }
        let entry = post.entry(address).or_default();
        if account.is_created() {
            entry.storage.clear();
        }
        entry.balance = account.info.balance;
        entry.nonce = account.info.nonce;
        if let Some(code) = &account.info.code {
            entry.code = code.original_bytes().to_vec();
        }
        for (slot, value) in &account.storage {
            if value.present_value.is_zero() {
                entry.storage.remove(slot);
            } else {
                entry.storage.insert(*slot, value.present_value);
            }
        }
    }
    Outcome {
        class,
        detail,
        gas_used: result.tx_gas_used(),
        output: result.output().map(|o| o.to_vec()).unwrap_or_default(),
        logs,
        post,
    }
}

/// Every way `a` (isthmus) and `b` (revm) differ; empty when they agree.
pub fn differences(a: &Outcome, b: &Outcome) -> Vec<String> {
    let mut diffs = Vec::new();
    if a.class != b.class {
        diffs.push(format!(
            "class: isthmus {:?} {} / revm {:?} {}",
            a.class, a.detail, b.class, b.detail
        ));
        return diffs;
    }
    if a.class == Class::Invalid {
        return diffs;
    }
    if a.gas_used != b.gas_used {
        diffs.push(format!(
            "gas used: isthmus {} / revm {} (diff {})",
            a.gas_used,
            b.gas_used,
            a.gas_used as i64 - b.gas_used as i64
        ));
    }
    if a.output != b.output {
        diffs.push(format!(
            "output: isthmus 0x{} / revm 0x{}",
            hex::encode(&a.output),
            hex::encode(&b.output)
        ));
    }
    if a.logs != b.logs {
        diffs.push(format!("logs: isthmus {:?} / revm {:?}", a.logs, b.logs));
    }
    let addresses: std::collections::BTreeSet<&Address> =
        a.post.keys().chain(b.post.keys()).collect();
    for address in addresses {
        let name = hex::encode(address);
        match (a.post.get(address), b.post.get(address)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                if x.balance != y.balance {
                    diffs.push(format!(
                        "{name} balance: isthmus {} / revm {}",
                        x.balance, y.balance
                    ));
                }
                if x.nonce != y.nonce {
                    diffs.push(format!(
                        "{name} nonce: isthmus {} / revm {}",
                        x.nonce, y.nonce
                    ));
                }
                if x.code != y.code {
                    diffs.push(format!(
                        "{name} code: isthmus 0x{} / revm 0x{}",
                        hex::encode(&x.code),
                        hex::encode(&y.code)
                    ));
                }
                if x.storage != y.storage {
                    diffs.push(format!(
                        "{name} storage: isthmus {:?} / revm {:?}",
                        x.storage, y.storage
                    ));
                }
            }
            (Some(x), None) => diffs.push(format!("{name} exists only in isthmus: {x:?}")),
            (None, Some(y)) => diffs.push(format!("{name} exists only in revm: {y:?}")),
            (None, None) => unreachable!(),
        }
    }
    diffs
}

/// The whole case, enough to rebuild it by hand.
pub fn describe_case(case: &Case) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "block: {:?}", case.block);
    let tx = &case.tx;
    let _ = writeln!(
        s,
        "tx: kind {:?} caller {} to {:?} value {} gas_limit {} gas_price {} priority {:?} nonce {} access_list {:?} blobs {}",
        tx.kind,
        hex::encode(tx.caller),
        tx.to.map(hex::encode),
        tx.value,
        tx.gas_limit,
        tx.gas_price,
        tx.gas_priority_fee,
        tx.nonce,
        tx.access_list.iter().map(|i| (hex::encode(i.address), i.storage_keys.len())).collect::<Vec<_>>(),
        tx.blob_hashes.len(),
    );
    let _ = writeln!(s, "tx data: 0x{}", hex::encode(&tx.data));
    for auth in &tx.authorization_list {
        let _ = writeln!(
            s,
            "authorization: chain {} address {} nonce {} parity {} r {} s {} (authority {:?})",
            auth.chain_id,
            hex::encode(auth.address),
            auth.nonce,
            auth.y_parity,
            auth.r,
            auth.s,
            isthmus_evm::transaction::authority(auth, &HostCrypto).map(hex::encode)
        );
    }
    for (address, account) in &case.pre {
        let _ = writeln!(
            s,
            "pre {}: balance {} nonce {} storage {:?}\n    code 0x{}",
            hex::encode(address),
            account.balance,
            account.nonce,
            account.storage,
            hex::encode(&account.code)
        );
    }
    s
}

pub fn describe_outcome(o: &Outcome) -> String {
    format!(
        "{:?} {} gas_used {} output 0x{} logs {}",
        o.class,
        o.detail,
        o.gas_used,
        hex::encode(&o.output),
        o.logs.len()
    )
}

/// A random step budget for a run of about `steps` opcodes: a few dozen pauses on average, and
/// single steps now and then.
pub fn budget_picker(rng: &mut Rng, steps: u64) -> impl FnMut() -> u64 {
    let mut rng = Rng::new(rng.next_u64());
    let scale = (steps / 24).max(1);
    let single_steps = steps < 3_000 && rng.chance(20);
    move || {
        if single_steps {
            1
        } else {
            1 + rng.below(scale)
        }
    }
}

/// An access-list item, for generators.
pub fn access_item(address: Address, keys: &[U256]) -> AccessListItem {
    AccessListItem {
        address,
        storage_keys: keys.iter().map(|k| k.to_be_bytes::<32>()).collect(),
    }
}

/// Records each opcode revm executes: depth, pc, name and gas left before it.
struct StepTrace {
    lines: Vec<String>,
    limit: usize,
}

impl<CTX: revm::context_interface::ContextTr> revm::Inspector<CTX> for StepTrace {
    fn step(&mut self, interp: &mut revm::interpreter::Interpreter, context: &mut CTX) {
        use revm::context_interface::JournalTr;
        use revm::interpreter::interpreter_types::Jumps;
        if self.lines.len() >= self.limit {
            return;
        }
        let op = interp.bytecode.opcode();
        let name = revm::bytecode::opcode::OpCode::new(op)
            .map(|o| o.as_str())
            .unwrap_or("?");
        self.lines.push(format!(
            "depth {} pc {:>5} {:<14} gas {}",
            context.journal_mut().depth(),
            interp.bytecode.pc(),
            name,
            interp.gas.remaining()
        ));
    }
}

/// revm's opcode trace of `case` (at most `limit` lines): for reading a divergence.
pub fn revm_trace(case: &Case, limit: usize) -> String {
    use revm::InspectEvm;
    let chain_id = case.block.chain_id;
    let mut evm = Context::mainnet()
        .modify_cfg_chained(|cfg: &mut CfgEnv| {
            cfg.set_spec_and_mainnet_gas_params(SpecId::CANCUN);
            cfg.chain_id = chain_id;
        })
        .with_db(revm_db(case))
        .with_block(revm_block(&case.block))
        .build_mainnet_with_inspector(StepTrace {
            lines: Vec::new(),
            limit,
        });
    let result = evm.inspect_one_tx(revm_tx(&case.tx));
    let mut out = evm.inspector.lines.join("\n");
    let _ = write!(out, "\nresult: {result:?}");
    out
}
