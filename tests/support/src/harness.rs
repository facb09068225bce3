//! [`Harness`]: the built program in LiteSVM ([`Svm`]) with its upgrade authority, and the
//! readings and set-ups tests use.

use crate::*;
use isthmus_client::interface::account::{self as layout, BlockhashRegistry};
use isthmus_evm::{Fork, U256};
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::ops::{Deref, DerefMut};

pub struct Harness {
    pub chain: Svm,
    /// The program's upgrade authority.
    pub admin: Keypair,
}

impl Deref for Harness {
    type Target = Svm;
    fn deref(&self) -> &Svm {
        &self.chain
    }
}

impl DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Svm {
        &mut self.chain
    }
}

impl AccountSource for Harness {
    fn get_account(&self, address: &Address) -> Option<Account> {
        self.chain.get_account(address)
    }

    fn clock(&self) -> solana_clock::Clock {
        self.chain.clock()
    }
}

impl Solana for Harness {
    fn send(
        &mut self,
        ixs: &[solana_instruction::Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        self.chain.send(ixs, payer, signers)
    }

    fn lookup_tables(&mut self) -> &mut Vec<solana_message::AddressLookupTableAccount> {
        self.chain.lookup_tables()
    }

    fn next_slot(&mut self) {
        self.chain.next_slot()
    }

    fn priority_fee(&self) -> u64 {
        self.chain.priority_fee()
    }
}

/// A test's view of an `EthAccount`: the interface's, with the balance as u128 (tests stay below
/// 2^128).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthAccount {
    pub address: [u8; 20],
    pub bump: u8,
    pub version: u8,
    pub nonce: u64,
    pub balance: u128,
    pub code_hash: [u8; 32],
    pub generation: u64,
    pub inline_storage: [[u8; 32]; INLINE_SLOTS],
}

impl EthAccount {
    pub fn decode(data: &[u8]) -> Self {
        let a = layout::EthAccount::decode(data).expect("an EthAccount");
        Self {
            address: a.address,
            bump: a.bump,
            version: a.version,
            nonce: a.nonce,
            balance: a.balance.to::<u128>(),
            code_hash: a.code_hash,
            generation: a.generation,
            inline_storage: a.inline_storage,
        }
    }

    /// Inline storage slot `index` (below 2^128).
    pub fn slot(&self, index: usize) -> u128 {
        U256::from_be_bytes(self.inline_storage[index]).to::<u128>()
    }

    /// The account's bytes (to plant forged accounts).
    pub fn encode(&self) -> Vec<u8> {
        layout::EthAccount {
            address: self.address,
            bump: self.bump,
            version: self.version,
            nonce: self.nonce,
            balance: U256::from(self.balance),
            code_hash: self.code_hash,
            generation: self.generation,
            inline_storage: self.inline_storage,
        }
        .encode()
    }
}

/// A test's view of the `Config`: keys as `Address`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub admin: Address,
    pub chain_id: u64,
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
    pub bump: u8,
    pub vault_bump: u8,
    pub development: bool,
    pub fork: Fork,
    pub code_size_limit: Option<u32>,
}

impl Config {
    pub fn decode(data: &[u8]) -> Self {
        let c = layout::Config::decode(data).expect("a Config");
        Self {
            admin: Address::new_from_array(c.admin),
            chain_id: c.chain_id,
            operators: c
                .operators
                .into_iter()
                .map(Address::new_from_array)
                .collect(),
            fee_market: c.fee_market,
            bump: c.bump,
            vault_bump: c.vault_bump,
            development: c.development,
            fork: c.fork,
            code_size_limit: c.code_size_limit,
        }
    }
}

/// Chain id 1337, one operator, the default fee market.
pub fn default_args() -> InitializeArgs {
    InitializeArgs {
        chain_id: 1337,
        operators: vec![Address::new_from_array([7; 32])],
        fee_market: FeeMarketParams::default(),
        development: false,
        fork: Fork::Osaka,
        code_size_limit: None,
    }
}

impl Harness {
    /// LiteSVM with the program deployed under the upgradeable loader and a new funded `admin`
    /// as its upgrade authority.
    pub fn new() -> Self {
        let admin = Keypair::new();
        let mut chain = Svm::new(&so_path(), &admin.pubkey()).unwrap_or_else(|e| panic!("{e}"));
        chain.airdrop(&admin.pubkey(), 100_000_000_000).unwrap();
        Self { chain, admin }
    }

    /// A harness whose program is initialized with `args`.
    pub fn initialized_with(args: &InitializeArgs) -> Self {
        let mut h = Self::new();
        let admin = h.admin.insecure_clone();
        h.send(&[initialize_ix(&admin.pubkey(), args)], &admin, &[])
            .unwrap_or_else(|f| panic!("initialize: {:?}\n{}", f.err, f.logs.join("\n")));
        h
    }

    /// A harness whose program is already initialized with [`default_args`].
    pub fn initialized() -> Self {
        Self::initialized_with(&default_args())
    }

    /// A harness initialized with the fee market `fee_market` and one real operator key
    /// (returned, funded), chain id 1337.
    pub fn with_fee_market(fee_market: FeeMarketParams) -> (Self, Keypair) {
        let operator = Keypair::new();
        let mut args = default_args();
        args.operators = vec![operator.pubkey()];
        args.fee_market = fee_market;
        let mut h = Self::initialized_with(&args);
        h.chain
            .airdrop(&operator.pubkey(), 100_000_000_000)
            .unwrap();
        (h, operator)
    }

    /// A harness initialized with one real operator key (returned, funded), chain id 1337.
    pub fn with_operator() -> (Self, Keypair) {
        Self::with_fee_market(FeeMarketParams::default())
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
        self.chain.airdrop(&k.pubkey(), lamports).unwrap();
        k
    }

    /// Sends `ixs` paid by `payer`, also signed by `signers` ([`Svm`]'s send).
    pub fn send(
        &mut self,
        ixs: &[solana_instruction::Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        self.chain.send(ixs, payer, signers)
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

    /// The nonce of `address` on chain (0 without an account).
    pub fn eth_nonce(&self, address: &[u8; 20]) -> u64 {
        self.eth_account(address).map(|a| a.nonce).unwrap_or(0)
    }

    /// Every account the program may touch, for "state unchanged" checks.
    pub fn snapshot(&self, extra: &[Address]) -> Vec<Option<Account>> {
        [config_pda(), vault_pda()]
            .iter()
            .chain(extra)
            .map(|a| self.account(a))
            .collect()
    }

    pub fn fee_market(&self, address: &[u8; 20]) -> Option<FeeMarket> {
        accounts::fee_market(self, address).expect("a fee market")
    }

    pub fn registry(&self) -> Option<BlockhashRegistry> {
        accounts::blockhash_registry(self).expect("a blockhash registry")
    }

    /// Writes a contract at `address` directly (its EthAccount with nonce 1 and its EthCode), as
    /// if deployed earlier.
    pub fn plant_contract(&mut self, address: &[u8; 20], code: &[u8]) {
        let (pda, bump) = account_pda(address);
        let account = EthAccount {
            address: *address,
            bump,
            version: 1,
            nonce: 1,
            balance: 0,
            code_hash: keccak(code),
            generation: 0,
            inline_storage: [[0; 32]; INLINE_SLOTS],
        };
        self.plant(pda, account.encode());
        let (code_pda, code_bump) = pda::code(address);
        let code = layout::EthCode {
            address: *address,
            bump: code_bump,
            code: code.to_vec(),
        };
        self.plant(code_pda, code.encode());
    }

    /// A rent-exempt account of this program with `data` at `address`.
    pub fn plant(&mut self, address: Address, data: Vec<u8>) {
        self.chain
            .plant(address, data)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}
