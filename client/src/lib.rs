//! `isthmus-client`: a client for the Isthmus program (`target/deploy/isthmus.so`), written from
//! the program's documented layouts (programs/isthmus/README.md) rather than from its crate (which
//! cannot share a Cargo.lock with LiteSVM: README.md, "Workspaces"): PDAs, instruction encoding,
//! account decoding, receipt and event parsing, the emulator (`emulate`: the interpreter run
//! off-chain over the accounts, and the AccountMetas a transaction needs), and a LiteSVM harness
//! that deploys the program and relays signed Ethereum transactions the way a relayer does
//! (`Harness::run_raw`: `execute`, else holder + `execute_from_holder`, else `step`s, with address
//! lookup tables when there are too many accounts). Used by tests/program, cu-report and
//! rpc-proxy.

pub mod contracts;
pub mod emulate;
pub mod ix;

pub use ix::{execute_data, execute_ix};

use litesvm::LiteSVM;
use sha2::{Digest, Sha256};
pub use solana_account::Account;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use std::path::PathBuf;

pub mod holder;
pub use holder::*;
pub mod solana;
pub use solana::{AccountSource, Solana};

pub const PROGRAM_ID: Address =
    Address::from_str_const("BFk33YFp3PLZJdVfpvFTU7dmuvdNudnfADhVkniCC9cn");
pub const SYSTEM_PROGRAM: Address = Address::from_str_const("11111111111111111111111111111111");
pub const LOADER_V3: Address =
    Address::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");

pub const WEI_PER_LAMPORT: u128 = 1_000_000_000;
pub const MAX_OPERATORS: usize = 8;
/// keccak256("")
pub const KECCAK_EMPTY: [u8; 32] = [
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
    0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
];

/// Anchor's error numbering: the program's own enum starts at 6000 (programs/isthmus/src/error.rs).
pub mod code {
    pub const ZERO_CHAIN_ID: u32 = 6000;
    pub const BAD_OPERATOR_COUNT: u32 = 6001;
    pub const DUPLICATE_OPERATOR: u32 = 6002;
    pub const BAD_FEE_MARKET: u32 = 6003;
    pub const BAD_PROGRAM_DATA: u32 = 6004;
    pub const NOT_UPGRADE_AUTHORITY: u32 = 6005;
    pub const ZERO_DEPOSIT: u32 = 6006;
    /// Anchor: an account that must be writable is not (`ConstraintMut`).
    pub const CONSTRAINT_MUT: u32 = 2000;
    /// Anchor: a `Program<T>` account is not executable (`ConstraintExecutable`).
    pub const CONSTRAINT_EXECUTABLE: u32 = 2007;
    /// Anchor: an existing account has the wrong size for its type (`ConstraintSpace`).
    pub const CONSTRAINT_SPACE: u32 = 2019;
    pub const ADDRESS_MISMATCH: u32 = 6008;
    // ---- registries and fee market ----
    pub const NOT_SLOT_HASHES: u32 = 6030;
    pub const BAD_FEE_MARKET_ACCOUNT: u32 = 6031;
    pub const FEE_CAP_BELOW_BASE_FEE: u32 = 6032;
    pub const CONTRACT_COMPUTE_CAP_EXCEEDED: u32 = 6033;
    pub const BAD_LINK_SIGNATURE: u32 = 6034;
    pub const WALLET_NOT_LINKED: u32 = 6035;
    pub const ZERO_WITHDRAW: u32 = 6036;
    pub const INSUFFICIENT_BALANCE: u32 = 6037;
    pub const VAULT_BELOW_RENT: u32 = 6038;
}

pub mod registries;

// ---------------------------------------------------------------------------------------------
// Encoding

/// Anchor's 8-byte discriminator: sha256("<namespace>:<name>")[..8].
pub fn discriminator(namespace: &str, name: &str) -> [u8; 8] {
    let hash = Sha256::digest(format!("{namespace}:{name}").as_bytes());
    hash[..8].try_into().unwrap()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeMarketParams {
    pub contract_compute_cap: u64,
    pub min_base_fee: u64,
    pub base_fee_change_denominator: u64,
}

impl Default for FeeMarketParams {
    fn default() -> Self {
        Self {
            contract_compute_cap: 12_000_000,
            min_base_fee: 1_000_000_000,
            base_fee_change_denominator: 8,
        }
    }
}

#[derive(Clone, Debug)]
pub struct InitializeArgs {
    pub chain_id: u64,
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
}

/// `initialize(args)`: Borsh layout of the argument after the discriminator.
pub fn initialize_data(args: &InitializeArgs) -> Vec<u8> {
    let mut data = discriminator("global", "initialize").to_vec();
    data.extend_from_slice(&args.chain_id.to_le_bytes());
    data.extend_from_slice(&(args.operators.len() as u32).to_le_bytes());
    for op in &args.operators {
        data.extend_from_slice(op.as_ref());
    }
    let fm = &args.fee_market;
    for v in [
        fm.contract_compute_cap,
        fm.min_base_fee,
        fm.base_fee_change_denominator,
    ] {
        data.extend_from_slice(&v.to_le_bytes());
    }
    data
}

/// `deposit(address, lamports)`.
pub fn deposit_data(address: &[u8; 20], lamports: u64) -> Vec<u8> {
    let mut data = discriminator("global", "deposit").to_vec();
    data.extend_from_slice(address);
    data.extend_from_slice(&lamports.to_le_bytes());
    data
}

// ---------------------------------------------------------------------------------------------
// Addresses

pub fn config_pda() -> Address {
    Address::find_program_address(&[b"config"], &PROGRAM_ID).0
}

pub fn vault_pda() -> Address {
    Address::find_program_address(&[b"vault"], &PROGRAM_ID).0
}

pub fn account_pda(address: &[u8; 20]) -> (Address, u8) {
    Address::find_program_address(&[b"account", address], &PROGRAM_ID)
}

pub fn program_data_address() -> Address {
    Address::find_program_address(&[PROGRAM_ID.as_ref()], &LOADER_V3).0
}

/// The accounts of `initialize`, in order: admin (signer, writable), config, vault, program data,
/// system program.
pub fn initialize_ix(admin: &Address, args: &InitializeArgs) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(*admin, true),
            AccountMeta::new(config_pda(), false),
            AccountMeta::new(vault_pda(), false),
            AccountMeta::new_readonly(program_data_address(), false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data: initialize_data(args),
    }
}

/// The accounts of `deposit`, in order: depositor (signer, writable), vault, the address's
/// account, system program.
pub fn deposit_ix(depositor: &Address, address: &[u8; 20], lamports: u64) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(*depositor, true),
            AccountMeta::new(vault_pda(), false),
            AccountMeta::new(account_pda(address).0, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data: deposit_data(address, lamports),
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub admin: Address,
    pub chain_id: u64,
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
    pub bump: u8,
    pub vault_bump: u8,
}

pub const CONFIG_LEN: usize = 8 + 32 + 8 + (2 + 32 * MAX_OPERATORS) + 3 * 8 + 2;

fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().unwrap())
}

impl Config {
    pub fn decode(data: &[u8]) -> Self {
        assert_eq!(data.len(), CONFIG_LEN, "config length");
        assert_eq!(
            data[..8],
            discriminator("account", "Config"),
            "config discriminator"
        );
        let admin = Address::new_from_array(data[8..40].try_into().unwrap());
        let chain_id = u64_at(data, 40);
        let n = u16::from_le_bytes([data[48], data[49]]) as usize;
        let operators = (0..n)
            .map(|i| Address::new_from_array(data[50 + 32 * i..82 + 32 * i].try_into().unwrap()))
            .collect();
        let at = 50 + 32 * MAX_OPERATORS;
        Self {
            admin,
            chain_id,
            operators,
            fee_market: FeeMarketParams {
                contract_compute_cap: u64_at(data, at),
                min_base_fee: u64_at(data, at + 8),
                base_fee_change_denominator: u64_at(data, at + 16),
            },
            bump: data[at + 24],
            vault_bump: data[at + 25],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthAccount {
    pub address: [u8; 20],
    pub bump: u8,
    pub version: u8,
    pub nonce: u64,
    /// Balance in wei (the account stores 32 bytes little-endian; these tests stay below 2^128).
    pub balance: u128,
    pub code_hash: [u8; 32],
    pub generation: u64,
    /// Storage slots 0..8, big-endian values.
    pub inline_storage: [[u8; 32]; INLINE_SLOTS],
}

/// Storage slots kept in the EthAccount itself, from byte [`INLINE_AT`].
pub const INLINE_SLOTS: usize = 8;
pub const INLINE_AT: usize = 110;
pub const ETH_ACCOUNT_LEN: usize = INLINE_AT + INLINE_SLOTS * 32;

/// The inline index of a 32-byte big-endian storage slot, if the EthAccount holds it.
pub fn inline_index(slot: &[u8; 32]) -> Option<usize> {
    (slot[..31].iter().all(|b| *b == 0) && (slot[31] as usize) < INLINE_SLOTS)
        .then_some(slot[31] as usize)
}

impl EthAccount {
    pub fn decode(data: &[u8]) -> Self {
        assert_eq!(data.len(), ETH_ACCOUNT_LEN, "account length");
        assert_eq!(
            data[..8],
            discriminator("account", "EthAccount"),
            "account discriminator"
        );
        let balance = &data[38..70];
        assert!(balance[16..].iter().all(|&b| b == 0), "balance above 2^128");
        Self {
            address: data[8..28].try_into().unwrap(),
            bump: data[28],
            version: data[29],
            nonce: u64_at(data, 30),
            balance: u128::from_le_bytes(balance[..16].try_into().unwrap()),
            code_hash: data[70..102].try_into().unwrap(),
            generation: u64_at(data, 102),
            inline_storage: core::array::from_fn(|i| {
                data[INLINE_AT + 32 * i..INLINE_AT + 32 * i + 32]
                    .try_into()
                    .unwrap()
            }),
        }
    }

    /// Inline storage slot `index` as u128 (these tests stay below 2^128).
    pub fn slot(&self, index: usize) -> u128 {
        let value = &self.inline_storage[index];
        assert!(value[..16].iter().all(|&b| b == 0));
        u128::from_be_bytes(value[16..].try_into().unwrap())
    }

    /// The account's bytes (for planting forged accounts in hostile tests).
    pub fn encode(&self) -> Vec<u8> {
        let mut data = discriminator("account", "EthAccount").to_vec();
        data.extend_from_slice(&self.address);
        data.push(self.bump);
        data.push(self.version);
        data.extend_from_slice(&self.nonce.to_le_bytes());
        data.extend_from_slice(&self.balance.to_le_bytes());
        data.extend_from_slice(&[0u8; 16]);
        data.extend_from_slice(&self.code_hash);
        data.extend_from_slice(&self.generation.to_le_bytes());
        for value in &self.inline_storage {
            data.extend_from_slice(value);
        }
        data
    }
}

pub const VAULT_LEN: usize = 8 + 1;

// ---------------------------------------------------------------------------------------------
// Harness

/// Where the program is: `$ISTHMUS_SO`, else `<repo>/target/deploy/isthmus.so`.
pub fn so_path() -> PathBuf {
    if let Some(path) = std::env::var_os("ISTHMUS_SO") {
        return path.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/isthmus.so")
}

/// A successful transaction.
#[derive(Debug)]
pub struct Success {
    /// Compute units the program itself consumed (its "consumed" log line).
    pub cu: u64,
    /// Compute units of the whole Solana transaction (every instruction).
    pub tx_cu: u64,
    pub logs: Vec<String>,
}

/// A failed transaction.
#[derive(Debug)]
pub struct Failure {
    pub err: TransactionError,
    pub logs: Vec<String>,
}

impl Failure {
    /// The instruction error of the failing instruction.
    pub fn instruction_error(&self) -> &InstructionError {
        match &self.err {
            TransactionError::InstructionError(_, e) => e,
            other => panic!(
                "not an instruction error: {other:?}\n{}",
                self.logs.join("\n")
            ),
        }
    }

    /// The custom error code (`InstructionError::Custom`).
    pub fn custom(&self) -> u32 {
        match self.instruction_error() {
            InstructionError::Custom(code) => *code,
            other => panic!("not a custom error: {other:?}\n{}", self.logs.join("\n")),
        }
    }
}

pub struct Harness {
    pub svm: LiteSVM,
    /// The program's upgrade authority.
    pub admin: Keypair,
    /// Address lookup tables [`Harness::send`] compiles a v0 transaction with when a legacy one
    /// would exceed the 1,232-byte packet (see [`Harness::create_lookup_table`]).
    pub lookup_tables: Vec<solana_message::AddressLookupTableAccount>,
}

impl Harness {
    /// LiteSVM with the program deployed under the upgradeable loader and `admin` as its
    /// upgrade authority; `admin` funded.
    pub fn new() -> Self {
        let mut svm = registries::new_svm();
        let so = so_path();
        svm.add_program_from_file(PROGRAM_ID, &so)
            .unwrap_or_else(|e| {
                panic!(
                    "loading {}: {e:?} (build it with scripts/build-program.sh)",
                    so.display()
                )
            });
        let admin = Keypair::new();
        // LiteSVM deploys without an upgrade authority: name one in the ProgramData header
        // (u32 tag 3, u64 slot, Option<Pubkey> at byte 12).
        let pd = program_data_address();
        let mut account = svm.get_account(&pd).expect("program data");
        account.data[12] = 1;
        account.data[13..45].copy_from_slice(admin.pubkey().as_ref());
        svm.set_account(pd, account).unwrap();
        svm.airdrop(&admin.pubkey(), 100_000_000_000).unwrap();
        Self {
            svm,
            admin,
            lookup_tables: Vec::new(),
        }
    }

    /// A harness whose program is already initialized with [`default_args`].
    pub fn initialized() -> Self {
        let mut h = Self::new();
        let ix = initialize_ix(&h.admin.pubkey(), &default_args());
        let admin = h.admin.insecure_clone();
        h.send(&[ix], &admin, &[])
            .unwrap_or_else(|f| panic!("initialize: {:?}\n{}", f.err, f.logs.join("\n")));
        h
    }

    /// Deposits `lamports` to the Ethereum `address` (10^9 wei each), paid by a fresh wallet.
    pub fn deposit_to(&mut self, address: &[u8; 20], lamports: u64) -> Result<Success, Failure> {
        let depositor = self.wallet(lamports + 1_000_000_000);
        self.send(
            &[deposit_ix(&depositor.pubkey(), address, lamports)],
            &depositor,
            &[],
        )
    }

    /// A new funded wallet.
    pub fn wallet(&mut self, lamports: u64) -> Keypair {
        let k = Keypair::new();
        self.svm.airdrop(&k.pubkey(), lamports).unwrap();
        k
    }

    /// Sends `ixs` paid by `payer`, also signed by `signers`: a legacy transaction, or, when that
    /// would exceed the 1,232-byte packet and lookup tables are set ([`Harness::lookup_tables`]),
    /// a v0 transaction through them, which must then fit the packet.
    pub fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        self.svm.expire_blockhash(); // identical transactions must not be rejected as replays
        let message = Message::new(ixs, Some(&payer.pubkey()));
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend_from_slice(signers);
        let blockhash = self.svm.latest_blockhash();
        let oversized =
            contracts::transaction_size(ixs, &payer.pubkey()) > contracts::PACKET_DATA_SIZE;
        let sent = if oversized && !self.lookup_tables.is_empty() {
            use solana_message::{v0, VersionedMessage};
            use solana_transaction::versioned::VersionedTransaction;
            let message =
                v0::Message::try_compile(&payer.pubkey(), ixs, &self.lookup_tables, blockhash)
                    .expect("a v0 message");
            let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &all)
                .expect("a signed v0 transaction");
            let size = bincode::serialized_size(&tx).unwrap() as usize;
            assert!(
                size <= contracts::PACKET_DATA_SIZE,
                "a v0 transaction of {size} bytes, over the packet"
            );
            self.svm.send_transaction(tx)
        } else {
            self.svm
                .send_transaction(Transaction::new(&all, message, blockhash))
        };
        match sent {
            Ok(meta) => Ok(Success {
                cu: program_cu(&meta.logs),
                tx_cu: meta.compute_units_consumed,
                logs: meta.logs,
            }),
            Err(failed) => Err(Failure {
                err: failed.err,
                logs: failed.meta.logs,
            }),
        }
    }

    pub fn account(&self, address: &Address) -> Option<Account> {
        self.svm.get_account(address)
    }

    pub fn lamports(&self, address: &Address) -> u64 {
        self.svm.get_balance(address).unwrap_or(0)
    }

    pub fn config(&self) -> Config {
        Config::decode(&self.account(&config_pda()).expect("config").data)
    }

    pub fn eth_account(&self, address: &[u8; 20]) -> Option<EthAccount> {
        self.account(&account_pda(address).0)
            .filter(|a| a.owner == PROGRAM_ID)
            .map(|a| EthAccount::decode(&a.data))
    }

    /// Every account the program may touch, for "state unchanged" checks.
    pub fn snapshot(&self, extra: &[Address]) -> Vec<Option<Account>> {
        [config_pda(), vault_pda()]
            .iter()
            .chain(extra)
            .map(|a| self.account(a))
            .collect()
    }
}

impl AccountSource for Harness {
    fn get_account(&self, address: &Address) -> Option<Account> {
        self.svm.get_account(address)
    }

    fn clock(&self) -> solana_clock::Clock {
        self.svm.get_sysvar()
    }
}

impl Solana for Harness {
    fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        Harness::send(self, ixs, payer, signers)
    }

    fn lookup_tables(&mut self) -> &mut Vec<solana_message::AddressLookupTableAccount> {
        &mut self.lookup_tables
    }

    fn next_slot(&mut self) {
        let slot = self.svm.get_sysvar::<solana_clock::Clock>().slot;
        self.svm.warp_to_slot(slot + 1);
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

/// Chain id 1337, one operator, the default fee market.
pub fn default_args() -> InitializeArgs {
    InitializeArgs {
        chain_id: 1337,
        operators: vec![Address::new_from_array([7; 32])],
        fee_market: FeeMarketParams::default(),
    }
}

/// Compute units the program consumed in a transaction, from its "Program <id> consumed N of M
/// compute units" log lines (CPIs it made included, other top-level instructions not).
pub fn program_cu(logs: &[String]) -> u64 {
    let prefix = format!("Program {PROGRAM_ID} consumed ");
    logs.iter()
        .filter_map(|line| {
            line.strip_prefix(&prefix)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// Program-data lines ("Program data: <base64>") of a transaction's logs, base64-decoded.
pub fn events(logs: &[String]) -> Vec<Vec<u8>> {
    use base64::Engine;
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .map(|b| base64::engine::general_purpose::STANDARD.decode(b).unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// execute

pub use isthmus_evm::env::{TxEnv, TxKind};
use isthmus_evm::{Crypto, HostCrypto, U256};

pub mod exec_code {
    pub const BALANCE_OVERFLOW: u32 = 6007;
    pub const NOT_OPERATOR: u32 = 6009;
    pub const MALFORMED_TRANSACTION: u32 = 6010;
    pub const BAD_SIGNATURE: u32 = 6011;
    pub const WRONG_CHAIN_ID: u32 = 6012;
    pub const UNPROTECTED_TRANSACTION: u32 = 6013;
    pub const NONCE_MISMATCH: u32 = 6014;
    pub const INSUFFICIENT_FUNDS: u32 = 6015;
    pub const INVALID_TRANSACTION: u32 = 6016;
    pub const ACCOUNT_NOT_PROVIDED: u32 = 6017;
    pub const BAD_EVM_ACCOUNT: u32 = 6018;
    pub const ACCOUNT_NOT_WRITABLE: u32 = 6019;
    pub const CODE_ACCOUNT_EXISTS: u32 = 6020;
    pub const NOT_FINISHED: u32 = 6021;
    pub const BAD_HOLDER: u32 = 6022;
    pub const NOT_HOLDER_OPERATOR: u32 = 6023;
    pub const HOLDER_EXISTS: u32 = 6024;
    pub const HOLDER_TOO_SMALL: u32 = 6025;
    pub const HOLDER_BUSY: u32 = 6026;
    pub const HOLDER_IDLE: u32 = 6027;
    pub const HOLDER_EMPTY: u32 = 6028;
    pub const CODE_NEEDS_STEPS: u32 = 6029;
}

pub fn keccak(data: &[u8]) -> [u8; 32] {
    HostCrypto.keccak256(data)
}

/// An operator's Ethereum address: keccak256(Solana key)[12..] (the block's COINBASE).
pub fn operator_eth_address(key: &Address) -> [u8; 20] {
    keccak(key.as_ref())[12..].try_into().unwrap()
}

pub fn code_pda(address: &[u8; 20]) -> Address {
    Address::find_program_address(&[b"code", address], &PROGRAM_ID).0
}

pub fn storage_pda(address: &[u8; 20], slot: u64) -> Address {
    Address::find_program_address(&[b"storage", address, &slot_key(slot)], &PROGRAM_ID).0
}

pub fn slot_key(slot: u64) -> [u8; 32] {
    U256::from(slot).to_be_bytes::<32>()
}

/// The compute-budget instructions every execute needs: the 256 KiB heap the program's allocator
/// assumes and the full 1.4M CU.
pub fn budget_ixs() -> Vec<Instruction> {
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    vec![
        ComputeBudgetInstruction::request_heap_frame(256 * 1024),
        ComputeBudgetInstruction::set_compute_unit_limit(1_400_000),
    ]
}

/// An Ethereum key.
pub struct EthWallet {
    pub key: k256::ecdsa::SigningKey,
    pub address: [u8; 20],
}

impl EthWallet {
    pub fn new(seed: u8) -> Self {
        let key = k256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
        let point = key.verifying_key().to_encoded_point(false);
        let address = keccak(&point.as_bytes()[1..])[12..].try_into().unwrap();
        Self { key, address }
    }

    /// Signs `tx` (its `caller` is ignored) and returns the raw envelope.
    pub fn sign(&self, tx: &TxEnv) -> Vec<u8> {
        let hash = isthmus_evm::transaction::signing_hash(tx, &HostCrypto);
        let (sig, recid) = self.key.sign_prehash_recoverable(&hash).unwrap();
        let bytes = sig.to_bytes();
        let signature = isthmus_evm::transaction::Signature {
            y_parity: recid.is_y_odd(),
            r: U256::from_be_slice(&bytes[..32]),
            s: U256::from_be_slice(&bytes[32..]),
            v: 0,
        };
        isthmus_evm::transaction::encode(tx, &signature)
    }
}

/// An EIP-1559 transaction on chain `chain_id`.
pub fn tx1559(
    chain_id: u64,
    nonce: u64,
    to: Option<[u8; 20]>,
    value: u128,
    data: Vec<u8>,
    gas_limit: u64,
) -> TxEnv {
    TxEnv {
        kind: TxKind::DynamicFee,
        chain_id: Some(chain_id),
        nonce,
        gas_price: U256::from(2_000_000_000u64),
        gas_priority_fee: Some(U256::from(1_000_000_000u64)),
        gas_limit,
        to,
        value: U256::from(value),
        data,
        ..TxEnv::default()
    }
}

/// The `Executed` receipt event (programs/isthmus/README.md, "Receipts").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub tx_hash: [u8; 32],
    pub sender: [u8; 20],
    pub nonce: u64,
    pub status: u8,
    pub outcome: u8,
    pub gas_used: u64,
    pub effective_gas_price: u128,
    pub created_address: Option<[u8; 20]>,
    pub log_count: u32,
    pub revert_data: Vec<u8>,
    pub logs: Vec<ReceiptLog>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptLog {
    pub tx_hash: [u8; 32],
    pub index: u32,
    pub address: [u8; 20],
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

struct Reader<'a>(&'a [u8]);
impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    fn arr<const N: usize>(&mut self) -> [u8; N] {
        self.take(N).try_into().unwrap()
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.arr())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.arr())
    }
}

/// The receipt (and its logs) a successful `execute` wrote to the log.
pub fn receipt(logs: &[String]) -> Receipt {
    let events = events(logs);
    let exec = events
        .iter()
        .find(|e| e[..8] == discriminator("event", "Executed"))
        .expect("an Executed event");
    let mut r = Reader(&exec[8..]);
    let tx_hash = r.arr();
    let sender = r.arr();
    let nonce = r.u64();
    let status = r.take(1)[0];
    let outcome = r.take(1)[0];
    let gas_used = r.u64();
    let price: [u8; 32] = r.arr();
    assert!(price[16..].iter().all(|&b| b == 0));
    let created_address = match r.take(1)[0] {
        0 => None,
        1 => Some(r.arr()),
        t => panic!("option tag {t}"),
    };
    let log_count = r.u32();
    let n = r.u32() as usize;
    let revert_data = r.take(n).to_vec();
    assert!(r.0.is_empty(), "trailing bytes in Executed");
    let logs = events
        .iter()
        .filter(|e| e[..8] == discriminator("event", "EvmLog"))
        .map(|e| {
            let mut r = Reader(&e[8..]);
            let tx_hash = r.arr();
            let index = r.u32();
            let address = r.arr();
            let n = r.u32() as usize;
            let topics = (0..n).map(|_| r.arr()).collect();
            let n = r.u32() as usize;
            let data = r.take(n).to_vec();
            assert!(r.0.is_empty(), "trailing bytes in EvmLog");
            ReceiptLog {
                tx_hash,
                index,
                address,
                topics,
                data,
            }
        })
        .collect();
    Receipt {
        tx_hash,
        sender,
        nonce,
        status,
        outcome,
        gas_used,
        effective_gas_price: u128::from_le_bytes(price[..16].try_into().unwrap()),
        created_address,
        log_count,
        revert_data,
        logs,
    }
}

/// A `StorageCell` account: (address, slot, bump, generation, value), value as u128 (big-endian
/// 32 bytes in the account; these tests stay below 2^128).
pub fn decode_storage_cell(data: &[u8]) -> ([u8; 20], [u8; 32], u8, u64, u128) {
    assert_eq!(data.len(), 101);
    assert_eq!(data[..8], discriminator("account", "StorageCell"));
    let value: [u8; 32] = data[69..101].try_into().unwrap();
    assert!(value[..16].iter().all(|&b| b == 0));
    (
        data[8..28].try_into().unwrap(),
        data[28..60].try_into().unwrap(),
        data[60],
        u64_at(data, 61),
        u128::from_be_bytes(value[16..].try_into().unwrap()),
    )
}

/// An `EthCode` account's code.
pub fn decode_code(data: &[u8]) -> ([u8; 20], Vec<u8>) {
    assert_eq!(data[..8], discriminator("account", "EthCode"));
    let len = u32::from_le_bytes(data[29..33].try_into().unwrap()) as usize;
    assert_eq!(data.len(), 33 + len);
    (data[8..28].try_into().unwrap(), data[33..].to_vec())
}

impl Harness {
    /// A harness initialized with one real operator key (returned, funded), chain id 1337.
    pub fn with_operator() -> (Self, Keypair) {
        let mut h = Self::new();
        let operator = h.wallet(100_000_000_000);
        let mut args = default_args();
        args.operators = vec![operator.pubkey()];
        let admin = h.admin.insecure_clone();
        h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
            .unwrap_or_else(|f| panic!("initialize: {:?}\n{}", f.err, f.logs.join("\n")));
        (h, operator)
    }

    /// Sends `execute(raw)` with the compute-budget instructions, signed and paid by `operator`.
    pub fn execute(
        &mut self,
        operator: &Keypair,
        raw: &[u8],
        extra: &[AccountMeta],
    ) -> Result<Success, Failure> {
        let mut ixs = budget_ixs();
        ixs.push(execute_ix(&operator.pubkey(), raw, extra));
        self.send(&ixs, operator, &[])
    }
}

/// The heap an `execute` used, from its `Program log: 0x68656170, 0x<bytes>, ...` line.
pub fn heap_used(logs: &[String]) -> u64 {
    logs.iter()
        .find_map(|l| l.strip_prefix("Program log: 0x68656170, 0x"))
        .and_then(|rest| u64::from_str_radix(rest.split(',').next()?, 16).ok())
        .expect("a heap line")
}
