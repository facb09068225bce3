//! The emulator of the tests (what the relayer's emulator will be): runs a signed Ethereum
//! transaction off-chain through `isthmus_evm::Machine` over the accounts in LiteSVM, decoded
//! from the documented layouts (programs/isthmus/README.md), and records every address, code and
//! storage slot the run reads. From that it builds the accounts `execute` needs: the EthAccount,
//! EthCode and StorageCell PDAs, writable where the transaction writes, absent ones as their
//! still-empty PDA (which is how the program learns they do not exist).
//!
//! It mirrors the program's host (programs/isthmus/src/host/state.rs): a storage cell of another
//! generation than its account reads as zero, `has_storage` answers false, BLOCKHASH zero, and the
//! block values are those `execute` uses (NUMBER the slot, TIMESTAMP the clock, COINBASE the
//! operator's Ethereum address, BASEFEE the config's `min_base_fee`, PREVRANDAO zero).

use crate::*;
use isthmus_evm::primitives::KECCAK_EMPTY as EMPTY_HASH;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{
    transaction, AccountInfo, BlockEnv, ExecutionResult, Machine, RunOutcome, State, StateError,
    B256,
};
use std::collections::{BTreeMap, BTreeSet};

/// The block gas limit `execute` uses (programs/isthmus/src/instructions/execute.rs).
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;

/// What the program's host would read, over LiteSVM's accounts; records every read.
pub struct SvmState<'a> {
    svm: &'a dyn AccountSource,
    /// Addresses whose EthAccount was read.
    pub accounts: BTreeSet<[u8; 20]>,
    /// Addresses whose code was read (only those with code: the host answers empty code from
    /// the account's code hash without the code account).
    pub code: BTreeSet<[u8; 20]>,
    /// (address, slot) read.
    pub storage: BTreeSet<([u8; 20], B256)>,
}

/// An EthAccount's interpreter view and its generation, from the account's bytes.
pub fn decode_account(data: &[u8]) -> (AccountInfo, u64) {
    let a = &data[..ETH_ACCOUNT_LEN];
    assert_eq!(a[..8], discriminator("account", "EthAccount"));
    (
        AccountInfo {
            balance: U256::from_le_bytes::<32>(a[38..70].try_into().unwrap()),
            nonce: u64::from_le_bytes(a[30..38].try_into().unwrap()),
            code_hash: a[70..102].try_into().unwrap(),
        },
        u64::from_le_bytes(a[102..110].try_into().unwrap()),
    )
}

impl<'a> SvmState<'a> {
    pub fn new(svm: &'a dyn AccountSource) -> Self {
        Self {
            svm,
            accounts: BTreeSet::new(),
            code: BTreeSet::new(),
            storage: BTreeSet::new(),
        }
    }

    fn program_account(&self, key: &Address) -> Option<Vec<u8>> {
        self.svm
            .get_account(key)
            .filter(|a| a.owner == PROGRAM_ID && !a.data.is_empty())
            .map(|a| a.data)
    }

    fn load(&self, address: &[u8; 20]) -> Option<(AccountInfo, u64)> {
        self.program_account(&account_pda(address).0)
            .map(|d| decode_account(&d))
    }
}

impl State for SvmState<'_> {
    fn account(&mut self, address: &[u8; 20]) -> Result<Option<AccountInfo>, StateError> {
        self.accounts.insert(*address);
        Ok(self.load(address).map(|(info, _)| info))
    }

    fn code(&mut self, address: &[u8; 20]) -> Result<Vec<u8>, StateError> {
        self.accounts.insert(*address);
        match self.load(address) {
            Some((info, _)) if info.code_hash != EMPTY_HASH => {
                self.code.insert(*address);
                let data = self
                    .program_account(&code_pda(address))
                    .ok_or(StateError::AccountUnavailable(*address))?;
                Ok(decode_code(&data).1)
            }
            _ => Ok(Vec::new()),
        }
    }

    fn storage(&mut self, address: &[u8; 20], slot: &U256) -> Result<U256, StateError> {
        let key: B256 = slot.to_be_bytes();
        if let Some(index) = inline_index(&key) {
            // In the EthAccount itself.
            self.accounts.insert(*address);
            return Ok(self
                .program_account(&account_pda(address).0)
                .map(|d| inline_value(&d, index))
                .unwrap_or(U256::ZERO));
        }
        self.storage.insert((*address, key));
        let generation = self.load(address).map(|(_, g)| g).unwrap_or(0);
        let pda = storage_pda_key(address, &key);
        Ok(match self.program_account(&pda) {
            Some(d) => {
                let cell_generation = u64::from_le_bytes(d[61..69].try_into().unwrap());
                if cell_generation == generation {
                    U256::from_be_bytes::<32>(d[69..101].try_into().unwrap())
                } else {
                    U256::ZERO
                }
            }
            None => U256::ZERO,
        })
    }

    fn has_storage(&mut self, _address: &[u8; 20]) -> Result<bool, StateError> {
        Ok(false)
    }

    fn block_hash(&mut self, _number: u64) -> Result<B256, StateError> {
        Ok([0; 32])
    }
}

/// Inline storage slot `index` of an EthAccount's bytes.
pub fn inline_value(data: &[u8], index: usize) -> U256 {
    let at = INLINE_AT + 32 * index;
    U256::from_be_bytes::<32>(data[at..at + 32].try_into().unwrap())
}

/// The StorageCell PDA of a 32-byte big-endian slot.
pub fn storage_pda_key(address: &[u8; 20], slot: &B256) -> Address {
    Address::find_program_address(&[b"storage", address, slot], &PROGRAM_ID).0
}

/// The block `execute` sees when `operator` relays now. The one place to follow the program
/// when BASEFEE comes from the contract's fee market and PREVRANDAO/BLOCKHASH from the blockhash
/// registry (then also `SvmState::block_hash`).
pub fn block_env(svm: &dyn AccountSource, operator: &Address) -> BlockEnv {
    let config = Config::decode(&svm.get_account(&config_pda()).expect("config").data);
    let clock = svm.clock();
    BlockEnv {
        number: clock.slot,
        coinbase: operator_eth_address(operator),
        timestamp: clock.unix_timestamp as u64,
        gas_limit: BLOCK_GAS_LIMIT,
        base_fee: U256::from(config.fee_market.min_base_fee),
        prevrandao: [0; 32],
        excess_blob_gas: 0,
        chain_id: config.chain_id,
    }
}

/// One off-chain run.
pub struct Emulation {
    pub block: BlockEnv,
    pub sender: [u8; 20],
    pub tx_hash: [u8; 32],
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
}

impl Emulation {
    /// The finished result; panics if the transaction was invalid or the run failed.
    pub fn result(&self) -> &ExecutionResult {
        match &self.outcome {
            RunOutcome::Done(r) => r,
            other => panic!("the off-chain run did not finish: {other:?}"),
        }
    }

    /// The change to `address`, if the transaction wrote it.
    pub fn change(&self, address: &[u8; 20]) -> Option<&isthmus_evm::result::AccountChange> {
        self.changes.accounts.iter().find(|c| &c.address == address)
    }
}

/// Runs `raw` (a signed transaction) off-chain as `operator` would relay it now.
pub fn emulate(svm: &dyn AccountSource, operator: &Address, raw: &[u8]) -> Emulation {
    emulate_in(svm, block_env(svm, operator), raw)
}

/// Runs `raw` in the given block.
pub fn emulate_in(svm: &dyn AccountSource, block: BlockEnv, raw: &[u8]) -> Emulation {
    let crypto = HostCrypto;
    let mut signed = transaction::decode(raw, &crypto).expect("a transaction that decodes");
    let sender = signed.recover_sender(&crypto).expect("a valid signature");
    let tx_hash = signed.hash;
    let base_fee = block.base_fee;
    let coinbase = block.coinbase;
    let mut state = SvmState::new(svm);
    // The program reads the sender and COINBASE whatever happens.
    state.accounts.insert(sender);
    state.accounts.insert(coinbase);
    let mut machine = Machine::new(block.clone(), signed.tx);
    let outcome = machine.run(&mut state, &crypto, u64::MAX);
    let opcodes = machine.steps();
    let mut changes = StateChanges::default();
    if let RunOutcome::Done(result) = &outcome {
        changes = result.changes.clone();
        let base_part = base_fee * U256::from(result.gas_used);
        if !base_part.is_zero() {
            let current = state.load(&coinbase).map(|(i, _)| i);
            let change = match changes.accounts.iter_mut().find(|c| c.address == coinbase) {
                Some(c) => c,
                None => {
                    changes.accounts.push(isthmus_evm::result::AccountChange {
                        address: coinbase,
                        info: current,
                        code: None,
                        storage_cleared: false,
                        storage: Vec::new(),
                    });
                    changes.accounts.last_mut().unwrap()
                }
            };
            let info = change.info.get_or_insert(AccountInfo {
                balance: U256::ZERO,
                nonce: 0,
                code_hash: EMPTY_HASH,
            });
            info.balance += base_part;
        }
    }
    let metas = account_metas(&state, &changes);
    Emulation {
        block,
        sender,
        tx_hash,
        outcome,
        changes,
        accounts: state.accounts,
        code: state.code,
        storage: state.storage,
        metas,
        opcodes,
    }
}

/// The PDAs of everything read or written; writable exactly where `execute` writes (mirroring
/// `SolanaHost::apply`: an account touched but unchanged, a slot written with the value it has,
/// or a zero written where there is no cell, is not written, so it may be passed read-only).
fn account_metas(state: &SvmState, changes: &StateChanges) -> Vec<AccountMeta> {
    // key -> writable, in a stable order.
    let mut keys: BTreeMap<Address, bool> = BTreeMap::new();
    let mut add = |key: Address, writable: bool| {
        let w = keys.entry(key).or_insert(false);
        *w |= writable;
    };
    for a in &state.accounts {
        add(account_pda(a).0, false);
    }
    for a in &state.code {
        add(code_pda(a), false);
    }
    for (a, slot) in &state.storage {
        add(storage_pda_key(a, slot), false);
    }
    let empty = AccountInfo {
        balance: U256::ZERO,
        nonce: 0,
        code_hash: EMPTY_HASH,
    };
    for c in &changes.accounts {
        let original = state.load(&c.address);
        let old_generation = original.as_ref().map(|(_, g)| *g).unwrap_or(0);
        let (account_written, generation) = match (&original, &c.info) {
            (Some((info, _)), None) => (*info != empty, old_generation + 1),
            (None, None) => (false, 0),
            (Some((old, _)), Some(info)) => (
                old != info || c.storage_cleared,
                old_generation + c.storage_cleared as u64,
            ),
            (None, Some(info)) => (*info != empty || !c.storage.is_empty(), 0),
        };
        if c.info.is_none() {
            add(account_pda(&c.address).0, account_written);
            continue;
        }
        add(account_pda(&c.address).0, account_written);
        if c.code.as_ref().is_some_and(|code| !code.is_empty()) {
            add(code_pda(&c.address), true);
        }
        for (slot, value) in &c.storage {
            let key: B256 = slot.to_be_bytes();
            if let Some(index) = inline_index(&key) {
                // In the account: written when it changes (a new generation starts from zero).
                let current = state
                    .program_account(&account_pda(&c.address).0)
                    .filter(|_| generation == old_generation)
                    .map(|d| inline_value(&d, index))
                    .unwrap_or(U256::ZERO);
                if current != *value {
                    add(account_pda(&c.address).0, true);
                }
                continue;
            }
            let pda = storage_pda_key(&c.address, &key);
            let cell = state.program_account(&pda).map(|d| {
                (
                    u64::from_le_bytes(d[61..69].try_into().unwrap()),
                    U256::from_be_bytes::<32>(d[69..101].try_into().unwrap()),
                )
            });
            let written = match cell {
                Some((g, v)) => !(g == generation && v == *value),
                None => !value.is_zero(),
            };
            add(pda, written);
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

// ---------------------------------------------------------------------------------------------
// Comparison

/// What differs between the chain after `execute` and the off-chain run: the receipt (status,
/// outcome, gas, created address, revert data, logs) and every account, code and slot the run
/// changed. Empty when they agree.
pub fn differences(
    svm: &dyn AccountSource,
    emulation: &Emulation,
    receipt: &Receipt,
) -> Vec<String> {
    let mut out = Vec::new();
    let result = emulation.result();
    let (status, outcome) = match result.status {
        isthmus_evm::Status::Success => (1, 0),
        isthmus_evm::Status::Revert => (0, 1),
        isthmus_evm::Status::Halt(_) => (0, 2),
    };
    let mut check = |what: &str, chain: String, off: String| {
        if chain != off {
            out.push(format!("{what}: on-chain {chain}, off-chain {off}"));
        }
    };
    check("tx hash", hex(&receipt.tx_hash), hex(&emulation.tx_hash));
    check("sender", hex(&receipt.sender), hex(&emulation.sender));
    check("status", receipt.status.to_string(), status.to_string());
    check("outcome", receipt.outcome.to_string(), outcome.to_string());
    check(
        "gas used",
        receipt.gas_used.to_string(),
        result.gas_used.to_string(),
    );
    check(
        "created address",
        format!("{:?}", receipt.created_address.map(|a| hex(&a))),
        format!("{:?}", result.created_address.map(|a| hex(&a))),
    );
    let revert = if outcome == 1 {
        result.output.clone()
    } else {
        Vec::new()
    };
    check("revert data", hex(&receipt.revert_data), hex(&revert));
    check(
        "log count",
        receipt.logs.len().to_string(),
        result.logs.len().to_string(),
    );
    for (i, (a, b)) in receipt.logs.iter().zip(&result.logs).enumerate() {
        check(
            &format!("log {i} index"),
            a.index.to_string(),
            i.to_string(),
        );
        check(
            &format!("log {i} address"),
            hex(&a.address),
            hex(&b.address),
        );
        check(
            &format!("log {i} topics"),
            format!("{:?}", a.topics.iter().map(|t| hex(t)).collect::<Vec<_>>()),
            format!("{:?}", b.topics.iter().map(|t| hex(t)).collect::<Vec<_>>()),
        );
        check(&format!("log {i} data"), hex(&a.data), hex(&b.data));
    }
    let state = SvmState::new(svm);
    for c in &emulation.changes.accounts {
        let a = hex(&c.address);
        let chain = state.load(&c.address);
        let generation = chain.as_ref().map(|(_, g)| *g).unwrap_or(0);
        let chain_info = chain
            .map(|(i, _)| i)
            .filter(|i| !(i.nonce == 0 && i.balance.is_zero() && i.code_hash == EMPTY_HASH));
        let off_info = c
            .info
            .clone()
            .filter(|i| !(i.nonce == 0 && i.balance.is_zero() && i.code_hash == EMPTY_HASH));
        check(
            &format!("account {a}"),
            format!("{chain_info:?}"),
            format!("{off_info:?}"),
        );
        if let Some(code) = c.code.as_ref().filter(|c| !c.is_empty()) {
            let chain_code = state
                .program_account(&code_pda(&c.address))
                .map(|d| decode_code(&d).1);
            check(
                &format!("code of {a}"),
                chain_code.map(|c| hex(&c)).unwrap_or_default(),
                hex(code),
            );
        }
        for (slot, value) in &c.storage {
            let key: B256 = slot.to_be_bytes();
            let chain_value = match inline_index(&key) {
                Some(index) => state
                    .program_account(&account_pda(&c.address).0)
                    .map(|d| inline_value(&d, index))
                    .unwrap_or(U256::ZERO),
                None => state
                    .program_account(&storage_pda_key(&c.address, &key))
                    .filter(|d| u64::from_le_bytes(d[61..69].try_into().unwrap()) == generation)
                    .map(|d| U256::from_be_bytes::<32>(d[69..101].try_into().unwrap()))
                    .unwrap_or(U256::ZERO),
            };
            check(
                &format!("storage {a}[{slot:#x}]"),
                format!("{chain_value:#x}"),
                format!("{value:#x}"),
            );
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim().trim_start_matches("0x");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
