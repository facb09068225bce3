//! The emulator: runs a signed Ethereum transaction off-chain through `isthmus_evm::Machine`
//! over the chain's accounts, as the program's host would (programs/isthmus/src/host/state.rs),
//! in the block the program would give it (`isthmus_interface::block`: NUMBER the slot,
//! TIMESTAMP the clock, COINBASE the operator's address, BASEFEE the highest local base fee of
//! the contracts it runs, PREVRANDAO the newest slot hash, BLOCKHASH from the blockhash registry
//! and SlotHashes). It records every address, code and storage slot the run reads, and from that
//! builds the accounts `execute` needs: the EthAccount, EthCode and StorageCell PDAs, writable
//! where the transaction writes, absent ones as their still-empty PDA (which is how the program
//! learns they do not exist), and the fee markets of the contracts it runs besides `to`.

use crate::{accounts, hex, operator_eth_address, pda, rent, AccountSource, SLOT_HASHES};
use isthmus_evm::bytecode::Bytecode;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::{AccountChange, StateChanges};
use isthmus_evm::{
    AccountInfo, BlockEnv, ExecutionResult, Machine, RunOutcome, State, StateError, Status, B256,
    U256,
};
use isthmus_interface::account::eth_account::inline_index;
use isthmus_interface::account::{BlockhashRegistry, EthAccount, StorageCell};
use isthmus_interface::block::BlockHashes;
use isthmus_interface::event::{outcome, Receipt};
use isthmus_interface::fee_market::FeeMarketParams;
use isthmus_interface::transaction::{Incoming, IncomingError};
use isthmus_interface::{block, fee_market, solana_costs, DecodeError};
use solana_address::Address;
use solana_instruction::AccountMeta;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Why a transaction cannot be emulated (nothing was run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmulateError {
    /// The raw bytes are not a transaction.
    Malformed(String),
    /// The signature recovers no sender.
    BadSignature,
    /// The program is not initialized on this chain.
    NotInitialized,
    /// A program account does not decode.
    BadAccount(String),
}

impl std::fmt::Display for EmulateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmulateError::Malformed(why) => write!(f, "the transaction does not decode: {why}"),
            EmulateError::BadSignature => f.write_str("invalid sender (bad signature)"),
            EmulateError::NotInitialized => f.write_str("the program is not initialized"),
            EmulateError::BadAccount(why) => write!(f, "a program account is malformed: {why}"),
        }
    }
}

impl std::error::Error for EmulateError {}

fn bad(what: &str) -> impl Fn(DecodeError) -> EmulateError + '_ {
    move |e| EmulateError::BadAccount(format!("{what}: {e}"))
}

/// What BLOCKHASH answers from, as the program reads it: the blockhash registry and the
/// SlotHashes sysvar ([`BlockHashes`]), copied from the chain.
#[derive(Clone, Debug, Default)]
pub struct BlockHashSource {
    pub registry: Option<BlockhashRegistry>,
    pub slot_hashes: Vec<u8>,
}

impl BlockHashSource {
    /// The chain's registry and sysvar now.
    pub fn read(source: &dyn AccountSource) -> Result<Self, EmulateError> {
        Ok(Self {
            registry: accounts::blockhash_registry(source).map_err(bad("blockhash registry"))?,
            slot_hashes: source
                .get_account(&SLOT_HASHES)
                .map(|a| a.data)
                .unwrap_or_default(),
        })
    }

    pub fn view(&self) -> BlockHashes<'_> {
        BlockHashes {
            registry: self
                .registry
                .as_ref()
                .map(|r| (r.newest_slot, &r.valid, &*r.hashes)),
            slot_hashes: &self.slot_hashes,
        }
    }

    /// BLOCKHASH(`slot`).
    pub fn hash(&self, slot: u64) -> [u8; 32] {
        self.view().hash(slot)
    }

    /// What a transaction in block `number` read: the sysvar's entries of the slots before it
    /// (eth_call at `latest` runs in the newest block, while the chain's sysvar already holds
    /// that block's own hash: kept, the 256-block window would end a block early).
    pub fn as_of(&self, number: u64) -> Self {
        let entries: Vec<(u64, [u8; 32])> = block::slot_hashes(&self.slot_hashes)
            .filter(|(slot, _)| *slot < number)
            .collect();
        Self {
            registry: self.registry.clone(),
            slot_hashes: block::encode_slot_hashes(&entries),
        }
    }
}

/// The block a transaction to `to` relayed by `operator` now would run in, and what BLOCKHASH
/// answers from. Its base fee is `to`'s; [`emulate_in`] raises it to the highest of the
/// contracts the transaction runs, as the program does from the fee markets the relayer passes.
#[derive(Clone, Debug)]
pub struct NextBlock {
    pub env: BlockEnv,
    pub block_hashes: BlockHashSource,
    pub fee_market: FeeMarketParams,
}

/// The block `execute` would give a transaction to `to` (`None`: a creation) relayed by
/// `operator` now ([`isthmus_interface::block`]).
pub fn next_block(
    source: &dyn AccountSource,
    operator: &Address,
    to: Option<[u8; 20]>,
) -> Result<NextBlock, EmulateError> {
    let config = accounts::config(source)
        .map_err(bad("config"))?
        .ok_or(EmulateError::NotInitialized)?;
    let clock = source.clock();
    let block_hashes = BlockHashSource::read(source)?;
    let base_fee = base_fee_of(
        source,
        &config.fee_market,
        &to.unwrap_or([0; 20]),
        clock.slot,
    )?;
    Ok(NextBlock {
        env: block::block_env(
            clock.slot,
            clock.unix_timestamp,
            operator_eth_address(operator),
            config.rules(),
            base_fee,
            block_hashes.view().prevrandao(),
        ),
        block_hashes,
        fee_market: config.fee_market,
    })
}

/// The base fee of `contract`'s fee market in `slot`.
fn base_fee_of(
    source: &dyn AccountSource,
    params: &FeeMarketParams,
    contract: &[u8; 20],
    slot: u64,
) -> Result<u64, EmulateError> {
    let market = accounts::fee_market(source, contract).map_err(bad("fee market"))?;
    Ok(fee_market::base_fee_at(market.as_ref(), params, slot))
}

/// What the program's host would read, over a chain's accounts; records every read.
pub struct SvmState<'a> {
    source: &'a dyn AccountSource,
    block_hashes: BlockHashSource,
    /// Addresses whose EthAccount was read.
    pub accounts: BTreeSet<[u8; 20]>,
    /// Addresses whose code was read (only those with code: the host answers empty code from
    /// the account's code hash without the code account).
    pub code: BTreeSet<[u8; 20]>,
    /// (address, slot) read.
    pub storage: BTreeSet<([u8; 20], B256)>,
}

impl<'a> SvmState<'a> {
    /// Whether `address` has code, noting that the transaction reads its account and (then) its
    /// code account.
    fn has_code(&mut self, address: &[u8; 20]) -> Result<bool, StateError> {
        self.accounts.insert(*address);
        let has = matches!(self.load(address)?, Some(a) if a.code_hash != KECCAK_EMPTY);
        if has {
            self.code.insert(*address);
        }
        Ok(has)
    }

    /// The state of `source`, BLOCKHASH answered from `block_hashes` ([`NextBlock`]).
    pub fn new(source: &'a dyn AccountSource, block_hashes: BlockHashSource) -> Self {
        Self {
            source,
            block_hashes,
            accounts: BTreeSet::new(),
            code: BTreeSet::new(),
            storage: BTreeSet::new(),
        }
    }

    fn load(&self, address: &[u8; 20]) -> Result<Option<EthAccount>, StateError> {
        accounts::eth_account(self.source, address)
            .map_err(|_| StateError::AccountUnavailable(*address))
    }

    fn cell(&self, address: &[u8; 20], slot: &B256) -> Result<Option<StorageCell>, StateError> {
        accounts::storage_cell(self.source, address, slot)
            .map_err(|_| StateError::StorageUnavailable(*address, U256::from_be_bytes(*slot)))
    }

    /// The value the host reads for `slot` of `address` (whose account is `account`).
    fn value(
        &self,
        address: &[u8; 20],
        account: Option<&EthAccount>,
        key: &B256,
    ) -> Result<U256, StateError> {
        if let Some(index) = inline_index(key) {
            return Ok(account.map(|a| a.slot(index)).unwrap_or(U256::ZERO));
        }
        let generation = account.map(|a| a.generation).unwrap_or(0);
        Ok(self
            .cell(address, key)?
            .map(|c| c.value_at(generation))
            .unwrap_or(U256::ZERO))
    }
}

impl State for SvmState<'_> {
    fn account(&mut self, address: &[u8; 20]) -> Result<Option<AccountInfo>, StateError> {
        self.accounts.insert(*address);
        Ok(self.load(address)?.map(|a| a.info()))
    }

    fn code(&mut self, address: &[u8; 20]) -> Result<Vec<u8>, StateError> {
        if !self.has_code(address)? {
            return Ok(Vec::new());
        }
        accounts::code(self.source, address)
            .ok()
            .flatten()
            .map(|c| c.code)
            .ok_or(StateError::AccountUnavailable(*address))
    }

    /// The code with the analysis the program stored beside it (no scan of the code).
    fn bytecode(&mut self, address: &[u8; 20]) -> Result<Rc<Bytecode>, StateError> {
        if !self.has_code(address)? {
            return Ok(Rc::default());
        }
        accounts::bytecode(self.source, address)
            .ok()
            .flatten()
            .map(Rc::new)
            .ok_or(StateError::AccountUnavailable(*address))
    }

    fn storage(&mut self, address: &[u8; 20], slot: &U256) -> Result<U256, StateError> {
        let key: B256 = slot.to_be_bytes();
        if inline_index(&key).is_some() {
            // In the EthAccount itself.
            self.accounts.insert(*address);
        } else {
            self.storage.insert((*address, key));
        }
        let account = self.load(address)?;
        self.value(address, account.as_ref(), &key)
    }

    fn has_storage(&mut self, _address: &[u8; 20]) -> Result<bool, StateError> {
        Ok(false)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        Ok(self.block_hashes.hash(number))
    }
}

/// One off-chain run.
pub struct Emulation {
    pub block: BlockEnv,
    pub sender: [u8; 20],
    pub tx_hash: [u8; 32],
    /// The transaction's `to` (`None`: a creation): its contract's fee market is passed.
    pub to: Option<[u8; 20]>,
    /// The other contracts whose code it runs (the zero address: initcode), whose fee markets
    /// come with [`Emulation::metas`].
    pub fee_markets: Vec<[u8; 20]>,
    /// The config's fee-market parameters it ran under.
    pub fee_market: FeeMarketParams,
    pub outcome: RunOutcome,
    /// The state changes as `execute` applies them: the interpreter's, plus the base-fee part of
    /// the gas credited to COINBASE (which Ethereum burns and Isthmus pays the operator).
    pub changes: StateChanges,
    pub accounts: BTreeSet<[u8; 20]>,
    pub code: BTreeSet<[u8; 20]>,
    pub storage: BTreeSet<([u8; 20], B256)>,
    /// The EVM accounts to pass to `execute`, after its fixed accounts.
    pub metas: Vec<AccountMeta>,
    /// Opcodes the run executed (what on-chain compute grows with).
    pub opcodes: u64,
    /// The gas of the transaction's Solana costs within `gas_used` (a charging chain's, else 0):
    /// not compute, so not counted in the fee markets.
    pub solana_costs_gas: u64,
    /// Rent of the accounts it creates, as a charging chain counts it (else 0).
    pub rent: u64,
    /// Wei a gas it pays (its effective gas price in this block).
    pub gas_price: U256,
}

impl Emulation {
    /// The finished result, if the transaction was valid and ran to the end.
    pub fn finished(&self) -> Option<&ExecutionResult> {
        match &self.outcome {
            RunOutcome::Done(r) => Some(r),
            _ => None,
        }
    }

    /// The gas of the EVM's execution alone: what the fee markets count.
    pub fn evm_gas(&self) -> Option<u64> {
        self.finished()
            .map(|r| r.gas_used.saturating_sub(self.solana_costs_gas))
    }

    /// The change to `address`, if the transaction wrote it.
    pub fn change(&self, address: &[u8; 20]) -> Option<&AccountChange> {
        self.changes.accounts.iter().find(|c| &c.address == address)
    }
}

/// Runs `raw` (a signed transaction) off-chain as `operator` would relay it now.
pub fn emulate(
    source: &dyn AccountSource,
    operator: &Address,
    raw: &[u8],
) -> Result<Emulation, EmulateError> {
    emulate_decoded(source, operator, decode_incoming(raw)?)
}

/// [`emulate`] of a transaction already decoded (its signature recovered once, by whoever
/// decoded it: the recovery costs more than the run of a simple transfer).
pub fn emulate_decoded(
    source: &dyn AccountSource,
    operator: &Address,
    incoming: Incoming,
) -> Result<Emulation, EmulateError> {
    let block = next_block(source, operator, incoming.signed.tx.to)?;
    emulate_in(source, block, incoming)
}

/// The interpreter for `raw` in the block `operator` would relay it in now (what `source`
/// says), not yet run: for hosts that run a transaction again (traces, the pending state).
pub fn transaction_machine(
    source: &dyn AccountSource,
    operator: &Address,
    raw: &[u8],
) -> Result<Machine, EmulateError> {
    let incoming = decode_incoming(raw)?;
    let block = next_block(source, operator, incoming.signed.tx.to)?;
    Ok(incoming.into_machine(block.env))
}

/// `raw` decoded as the program takes it ([`isthmus_interface::transaction::decode`]): signed,
/// or impersonated; the sender recovered over libsecp256k1 ([`crate::crypto::ProgramCrypto`]),
/// the costliest step of accepting a transaction.
pub fn decode_incoming(raw: &[u8]) -> Result<Incoming, EmulateError> {
    isthmus_interface::transaction::decode(raw, &crate::crypto::ProgramCrypto).map_err(
        |e| match e {
            IncomingError::Malformed => {
                EmulateError::Malformed("transaction could not be decoded".into())
            }
            IncomingError::BadSignature => EmulateError::BadSignature,
        },
    )
}

/// Runs a decoded transaction in the given block. Its BASEFEE is the highest base fee among the
/// contracts it runs; when that is not the block's, it runs again at that base fee (a few times
/// at most: the set of contracts can change with BASEFEE only through code that reads it).
pub fn emulate_in(
    source: &dyn AccountSource,
    block: NextBlock,
    incoming: Incoming,
) -> Result<Emulation, EmulateError> {
    let crypto = crate::crypto::ProgramCrypto;
    let sender = incoming.sender;
    let tx_hash = incoming.signed.hash;
    let to = incoming.signed.tx.to;
    let NextBlock {
        mut env,
        block_hashes,
        fee_market: params,
    } = block;
    let fixed = to.unwrap_or([0; 20]);
    let (mut state, mut machine, mut outcome, mut others);
    let mut runs = 0;
    loop {
        state = SvmState::new(source, block_hashes.clone());
        // The program reads the sender and COINBASE whatever happens.
        state.accounts.insert(sender);
        state.accounts.insert(env.coinbase);
        machine = incoming.clone().into_machine(env.clone());
        outcome = machine.run(&mut state, &crypto, u64::MAX);
        let code_run = machine.code_run();
        others = fee_market::markets_of(&code_run.contracts, code_run.initcode);
        others.retain(|c| *c != fixed);
        let mut base_fee = base_fee_of(source, &params, &fixed, env.number)?;
        for contract in &others {
            base_fee = base_fee.max(base_fee_of(source, &params, contract, env.number)?);
        }
        runs += 1;
        if U256::from(base_fee) == env.base_fee || runs == 4 {
            break;
        }
        env.base_fee = U256::from(base_fee);
    }
    let opcodes = machine.steps();
    let base_fee = env.base_fee;
    let coinbase = env.coinbase;
    let mut changes = StateChanges::default();
    if let RunOutcome::Done(result) = &outcome {
        changes = result.changes.clone();
        let base_part = base_fee * U256::from(result.gas_used);
        if !base_part.is_zero() {
            let current = state.load(&coinbase).ok().flatten().map(|a| a.info());
            credit(&mut changes, coinbase, current, base_part);
        }
    }
    let gas_price = machine.tx().effective_gas_price(base_fee);
    let (mut solana_costs_gas, mut rent) = (0, 0);
    if params.charge_solana_costs {
        rent = rent::created(source, &changes, to, machine.code_run(), &coinbase);
        solana_costs_gas = charge_solana_costs(
            machine.tx(),
            gas_price,
            coinbase,
            rent,
            &mut outcome,
            &mut changes,
        );
    }
    let mut metas = account_metas(&state, &changes);
    metas.extend(
        others
            .iter()
            .map(|c| AccountMeta::new(pda::fee_market(c).0, false)),
    );
    Ok(Emulation {
        block: env,
        sender,
        tx_hash,
        to,
        fee_markets: others,
        fee_market: params,
        outcome,
        changes,
        accounts: state.accounts,
        code: state.code,
        storage: state.storage,
        metas,
        opcodes,
        solana_costs_gas,
        rent,
        gas_price,
    })
}

/// On a chain that charges Solana costs, adds them (`rent` of what it creates, the signature)
/// at `price` to a finished run as the program's settlement does
/// (`isthmus_interface::solana_costs`): their gas to `gas_used`, their wei from the sender to
/// COINBASE; a gas limit that does not cover them makes the run invalid. Returns the gas added.
fn charge_solana_costs(
    tx: &isthmus_evm::TxEnv,
    price: U256,
    coinbase: [u8; 20],
    rent: u64,
    outcome: &mut RunOutcome,
    changes: &mut StateChanges,
) -> u64 {
    let RunOutcome::Done(result) = outcome else {
        return 0;
    };
    let lamports = solana_costs::lamports(rent);
    match solana_costs::charge(lamports, result.gas_used, tx.gas_limit, price) {
        Ok(charge) => {
            result.gas_used += charge.gas;
            // The sender's account is among the changes (its nonce moved).
            if let Some(info) = changes
                .accounts
                .iter_mut()
                .find(|c| c.address == tx.caller)
                .and_then(|c| c.info.as_mut())
            {
                info.balance = info.balance.saturating_sub(charge.wei);
            }
            credit(changes, coinbase, None, charge.wei);
            charge.gas
        }
        Err(needed) => {
            *outcome = RunOutcome::Invalid(isthmus_evm::InvalidTransaction::HostCostsNotCovered {
                gas_limit: tx.gas_limit,
                needed,
            });
            *changes = StateChanges::default();
            0
        }
    }
}

fn empty_info() -> AccountInfo {
    AccountInfo {
        balance: U256::ZERO,
        nonce: 0,
        code_hash: KECCAK_EMPTY,
    }
}

/// Adds `amount` to `address`'s final balance in `changes` (`current`: its balance before), as
/// the program's settlement does.
fn credit(
    changes: &mut StateChanges,
    address: [u8; 20],
    current: Option<AccountInfo>,
    amount: U256,
) {
    let index = match changes.accounts.iter().position(|c| c.address == address) {
        Some(i) => i,
        None => {
            changes.accounts.push(AccountChange {
                address,
                info: current,
                code: None,
                storage_cleared: false,
                storage: Vec::new(),
            });
            changes.accounts.len() - 1
        }
    };
    let info = changes.accounts[index].info.get_or_insert_with(empty_info);
    info.balance += amount;
}

/// The PDAs of everything read or written; writable exactly where `execute` writes (mirroring
/// `SolanaHost::apply`: an account touched but unchanged, a slot written with the value it has,
/// or a zero written where there is no cell, is not written, so it may be passed read-only).
fn account_metas(state: &SvmState, changes: &StateChanges) -> Vec<AccountMeta> {
    // key -> writable, in a stable order.
    let mut keys: BTreeMap<Address, bool> = BTreeMap::new();
    let mut add = |key: Address, writable: bool| {
        *keys.entry(key).or_insert(false) |= writable;
    };
    for a in &state.accounts {
        add(pda::account(a).0, false);
    }
    for a in &state.code {
        add(pda::code(a).0, false);
    }
    for (a, slot) in &state.storage {
        add(pda::storage(a, slot), false);
    }
    let empty = empty_info();
    for c in &changes.accounts {
        let original = state.load(&c.address).ok().flatten();
        let old_generation = original.as_ref().map(|a| a.generation).unwrap_or(0);
        let (account_written, generation) = match (&original, &c.info) {
            (Some(a), None) => (a.info() != empty, old_generation + 1),
            (None, None) => (false, 0),
            (Some(a), Some(info)) => (
                a.info() != *info || c.storage_cleared,
                old_generation + c.storage_cleared as u64,
            ),
            (None, Some(info)) => (*info != empty || !c.storage.is_empty(), 0),
        };
        add(pda::account(&c.address).0, account_written);
        if c.info.is_none() {
            continue;
        }
        if c.code.as_ref().is_some_and(|code| !code.is_empty()) {
            add(pda::code(&c.address).0, true);
        }
        for (slot, value) in &c.storage {
            let key: B256 = slot.to_be_bytes();
            if let Some(index) = inline_index(&key) {
                // In the account: written when it changes (a new generation starts from zero).
                let current = original
                    .as_ref()
                    .filter(|_| generation == old_generation)
                    .map(|a| a.slot(index))
                    .unwrap_or(U256::ZERO);
                if current != *value {
                    add(pda::account(&c.address).0, true);
                }
                continue;
            }
            let written = match state.cell(&c.address, &key).ok().flatten() {
                Some(cell) => {
                    !(cell.generation == generation && U256::from_be_bytes(cell.value) == *value)
                }
                None => !value.is_zero(),
            };
            add(pda::storage(&c.address, &key), written);
        }
    }
    keys.into_iter()
        .map(|(key, writable)| {
            if writable {
                AccountMeta::new(key, false)
            } else {
                AccountMeta::new_readonly(key, false)
            }
        })
        .collect()
}

/// Notes in `out` that `what` differs between the chain and the off-chain run, formatting the two
/// sides only then: [`differences`] runs after every relayed transaction, and they mostly agree.
fn note<T: PartialEq + ?Sized>(
    out: &mut Vec<String>,
    what: impl FnOnce() -> String,
    chain: &T,
    off: &T,
    show: impl Fn(&T) -> String,
) {
    if chain != off {
        out.push(format!(
            "{}: on-chain {}, off-chain {}",
            what(),
            show(chain),
            show(off)
        ));
    }
}

/// What differs between the chain after a transaction and its off-chain run: the receipt
/// (status, outcome, gas, created address, revert data, logs) and every account, code and slot
/// the run changed. Empty when they agree.
pub fn differences(
    source: &dyn AccountSource,
    emulation: &Emulation,
    receipt: &Receipt,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(result) = emulation.finished() else {
        return vec![format!(
            "the off-chain run did not finish: {:?}",
            emulation.outcome
        )];
    };
    let (status, outcome) = match result.status {
        Status::Success => (1, outcome::SUCCESS),
        Status::Revert => (0, outcome::REVERT),
        Status::Halt(_) => (0, outcome::HALT),
    };
    let executed = receipt;
    note(
        &mut out,
        || "tx hash".into(),
        &executed.tx_hash,
        &emulation.tx_hash,
        |h| hex(h),
    );
    note(
        &mut out,
        || "sender".into(),
        &executed.sender,
        &emulation.sender,
        |a| hex(a),
    );
    note(
        &mut out,
        || "status".into(),
        &executed.status,
        &status,
        u8::to_string,
    );
    note(
        &mut out,
        || "outcome".into(),
        &executed.outcome,
        &outcome,
        u8::to_string,
    );
    note(
        &mut out,
        || "gas used".into(),
        &executed.gas_used,
        &result.gas_used,
        u64::to_string,
    );
    note(
        &mut out,
        || "created address".into(),
        &executed.created_address,
        &result.created_address,
        |a| format!("{:?}", a.map(|a| hex(&a))),
    );
    let revert: &[u8] = if outcome == outcome::REVERT {
        &result.output
    } else {
        &[]
    };
    note(
        &mut out,
        || "revert data".into(),
        &executed.revert_data[..],
        revert,
        hex,
    );
    note(
        &mut out,
        || "log count".into(),
        &receipt.logs.len(),
        &result.logs.len(),
        usize::to_string,
    );
    for (i, (a, b)) in receipt.logs.iter().zip(&result.logs).enumerate() {
        note(
            &mut out,
            || format!("log {i} index"),
            &(a.index as usize),
            &i,
            usize::to_string,
        );
        note(
            &mut out,
            || format!("log {i} address"),
            &a.address,
            &b.address,
            |a| hex(a),
        );
        note(
            &mut out,
            || format!("log {i} topics"),
            &a.topics[..],
            &b.topics[..],
            |topics| format!("{:?}", topics.iter().map(|t| hex(t)).collect::<Vec<_>>()),
        );
        note(
            &mut out,
            || format!("log {i} data"),
            &a.data[..],
            &b.data[..],
            hex,
        );
    }
    let state = SvmState::new(source, BlockHashSource::default());
    let is_empty =
        |i: &AccountInfo| i.nonce == 0 && i.balance.is_zero() && i.code_hash == KECCAK_EMPTY;
    for c in &emulation.changes.accounts {
        let a = || hex(&c.address);
        let chain = state.load(&c.address).ok().flatten();
        let chain_info = chain.as_ref().map(|a| a.info()).filter(|i| !is_empty(i));
        let off_info = c.info.clone().filter(|i| !is_empty(i));
        note(
            &mut out,
            || format!("account {}", a()),
            &chain_info,
            &off_info,
            |i| format!("{i:?}"),
        );
        if let Some(code) = c.code.as_ref().filter(|c| !c.is_empty()) {
            let chain_code = accounts::code(source, &c.address)
                .ok()
                .flatten()
                .map(|c| c.code)
                .unwrap_or_default();
            // (a missing code reads as empty, shown as "")
            let shown = |c: &[u8]| if c.is_empty() { String::new() } else { hex(c) };
            note(
                &mut out,
                || format!("code of {}", a()),
                &chain_code[..],
                &code[..],
                shown,
            );
        }
        for (slot, value) in &c.storage {
            let key: B256 = slot.to_be_bytes();
            let chain_value = state
                .value(&c.address, chain.as_ref(), &key)
                .unwrap_or(U256::ZERO);
            note(
                &mut out,
                || format!("storage {}[{slot:#x}]", a()),
                &chain_value,
                value,
                |v| format!("{v:#x}"),
            );
        }
    }
    out
}
