//! The embedded chain: LiteSVM with the program deployed and initialized, the operator that
//! relays, the development accounts, and the Solana accounts kept in the store so that a restart
//! on the same data directory continues the same chain.

use crate::clock::{now, BlockClock};
use crate::store::{Store, SvmAccount};
use alloy_signer_local::coins_bip39::English;
use alloy_signer_local::MnemonicBuilder;
use isthmus_client::instructions::{self, InitializeArgs};
use isthmus_client::interface::account::config::MAX_OPERATORS;
use isthmus_client::interface::account::{Config, EthAccount, FeeMarket};
use isthmus_client::interface::block::ChainRules;
use isthmus_client::interface::event::Receipt;
use isthmus_client::interface::fee_market::{base_fee_at, FeeMarketParams};
use isthmus_client::interface::transaction::Incoming;
use isthmus_client::{accounts, operator_eth_address, Account, AccountSource, Solana};
use isthmus_client::{PROGRAM_ID, SYSTEM_PROGRAM};
use isthmus_evm::U256;
use isthmus_relayer::cluster::{Cluster, PriorityFee};
use isthmus_relayer::lookup::close_deactivated;
use isthmus_relayer::{relay, relay_decoded, OperatorPool, RelayError, Relayed};
use isthmus_svm::{slot_hash, so_path, Svm};
use solana_account::ReadableAccount;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

pub const MNEMONIC: &str = "test test test test test test test test test test test junk";
pub const DEV_ACCOUNTS: u32 = 10;
/// 10,000 ether each, as anvil (1 lamport = 10^9 wei: 10^13 lamports).
pub const DEV_LAMPORTS: u64 = 10_000_000_000_000;
/// The operator's SOL for fees and rent in the embedded chain.
const OPERATOR_LAMPORTS: u64 = 100_000 * 1_000_000_000;
/// SlotHashes entries kept (the program's BLOCKHASH window is 256).
const SLOT_HASHES_KEPT: u64 = 300;

const ALT_PROGRAM: Address = Address::from_str_const("AddressLookupTab1e1111111111111111111111111");

/// The outcome of an off-chain run for eth_call / eth_estimateGas.
pub enum CallOutcome {
    Success {
        output: Vec<u8>,
        gas_used: u64,
        /// A digest of what the call did (its state changes and logs): eth_estimateGas looks
        /// for the least gas that does the same as the unlimited run.
        effects: u64,
        /// On a chain that charges Solana costs, their gas at the chain's floor price (the
        /// lowest a transaction pays, so the most gas they can take): what eth_estimateGas adds
        /// to the EVM's. 0 unless asked for ([`Chain::call_in`]).
        solana_gas: u64,
    },
    Revert {
        output: Vec<u8>,
    },
    Halt(String),
    Invalid(String),
    /// Still running at its deadline.
    Timeout,
}

/// An eth_call request, decoded.
#[derive(Clone, Default)]
pub struct Call {
    pub from: [u8; 20],
    pub to: Option<[u8; 20]>,
    pub gas: Option<u64>,
    pub value: U256,
    pub data: Vec<u8>,
    /// EIP-2930 access list: its addresses and keys cost intrinsic gas and start warm.
    pub access_list: Vec<isthmus_evm::env::AccessListItem>,
    /// EIP-7702 authorizations: the call is a set-code transaction's.
    pub authorization_list: Vec<isthmus_evm::Authorization>,
    /// When to give up running it (`--rpc-evmtimeout`): [`CallOutcome::Timeout`].
    pub deadline: Option<std::time::Instant>,
}

/// Where the chain runs.
pub enum Backend {
    /// LiteSVM in this process, its accounts kept in the store.
    Embedded(Box<Svm>),
    /// A Solana cluster or local validator over JSON-RPC.
    Remote(Cluster),
}

pub struct Chain {
    pub backend: Backend,
    /// The operator keys relaying in turn (`isthmus_relayer::OperatorPool`): independent
    /// transactions go through different fee payers and COINBASEs, so a cluster can run them in
    /// parallel.
    pub operators: OperatorPool,
    pub chain_id: u64,
    /// A hash of each Solana account as last written to the store.
    persisted: HashMap<Address, u64>,
    /// Lookup tables the relayer made and deactivated: (table, slot deactivated, its operator),
    /// closed once the runtime allows ([`TABLE_CLOSE_AFTER`]), their rent back to the operator.
    /// Kept in memory: a restart leaves the pending ones open (their rent stays claimable by the
    /// operator key).
    closing_tables: Vec<(Address, u64, Address)>,
    /// When the next blocks are (`evm_increaseTime`, `evm_setNextBlockTimestamp`).
    pub clock: BlockClock,
    /// The timestamp of the newest sealed block (the current slot's may not be earlier).
    pub last_block_time: u64,
    /// Whether a transaction has run in the current slot: its clock is then fixed; until then
    /// `evm_increaseTime` and `evm_setNextBlockTimestamp` re-time it. (Set when the slot
    /// starts, so that eth_estimateGas runs with the timestamp the block will have.)
    /// transaction (or an empty mined block) opens it.
    block_open: bool,
}

/// The embedded VM's accounts that make up the chain's state (the program's, wallets, lookup
/// tables), as [`Chain::tracked_accounts`] copies them.
pub type TrackedAccounts = Vec<(Address, Account)>;

/// Slots after its deactivation before a lookup table is closed: the deactivation slot must have
/// left SlotHashes (512 entries on a cluster; the embedded chain keeps [`SLOT_HASHES_KEPT`]).
const TABLE_CLOSE_AFTER: u64 = 520;

/// A development account: its address and private key.
pub type DevAccount = ([u8; 20], [u8; 32]);

/// The ten development accounts of [`MNEMONIC`].
pub fn dev_accounts() -> Result<Vec<DevAccount>, String> {
    (0..DEV_ACCOUNTS)
        .map(|i| {
            let signer = MnemonicBuilder::<English>::default()
                .phrase(MNEMONIC)
                .index(i)
                .map_err(|e| e.to_string())?
                .build()
                .map_err(|e| e.to_string())?;
            Ok((
                signer.address().into_array(),
                signer.credential().to_bytes().into(),
            ))
        })
        .collect()
}

impl Chain {
    /// The chain in `store`, or, on an empty store, a new one: the program initialized with
    /// `rules` (chain id, fork, code size limit), `fee_market` and `operators` new operator keys
    /// (1 to 8), the development accounts funded.
    pub fn open(
        store: &Store,
        rules: ChainRules,
        fee_market: FeeMarketParams,
        operators: usize,
    ) -> Result<Self, String> {
        let db = |e: rusqlite::Error| format!("database: {e}");
        // "operator": one key, as stores written before the operator pool have it.
        if let Some(keys) = store.meta("operators").map_err(db)? {
            return Self::restore(store, &keys);
        }
        match store.meta("operator").map_err(db)? {
            Some(key) => Self::restore(store, &key),
            None => Self::genesis(store, rules, fee_market, operators),
        }
    }

    fn genesis(
        store: &Store,
        rules: ChainRules,
        fee_market: FeeMarketParams,
        operators: usize,
    ) -> Result<Self, String> {
        let chain_id = rules.chain_id;
        if !(1..=MAX_OPERATORS).contains(&operators) {
            return Err(format!(
                "{operators} operators: the program takes 1 to {MAX_OPERATORS}"
            ));
        }
        // The program's upgrade authority only initializes; it is not kept.
        let admin = Keypair::new();
        let mut h = Svm::new(&so_path(), &admin.pubkey())?;
        // Every Solana transaction of this chain is one its relayer signs in this process.
        h.trust_own_signatures();
        // Block numbers are slots: start at 1, as a new development chain does (LiteSVM's clock
        // starts at a mainnet-like slot, which would put eth_getLogs from block 0 past its range).
        h.warp_to(1, 1, &[]);
        let keys: Vec<Keypair> = (0..operators).map(|_| Keypair::new()).collect();
        // The admin funds the development accounts' deposits (and pays the initialization).
        let dev_total = DEV_LAMPORTS * DEV_ACCOUNTS as u64;
        h.airdrop(&admin.pubkey(), dev_total + 1_000_000_000)?;
        for key in &keys {
            h.airdrop(&key.pubkey(), OPERATOR_LAMPORTS)?;
        }
        let args = InitializeArgs {
            chain_id,
            operators: keys.iter().map(|k| k.pubkey()).collect(),
            fee_market,
            // The embedded chain is a development chain: anvil_impersonateAccount works.
            development: true,
            fork: rules.fork,
            code_size_limit: rules.code_size_limit,
        };
        h.send(
            &[instructions::initialize(&admin.pubkey(), &args)],
            &admin,
            &[],
        )
        .map_err(|f| format!("initialize: {f}"))?;
        for (address, _) in dev_accounts()? {
            h.send(
                &[instructions::deposit(
                    &admin.pubkey(),
                    &address,
                    DEV_LAMPORTS,
                )],
                &admin,
                &[],
            )
            .map_err(|f| format!("deposit: {f}"))?;
        }
        let mut chain = Self {
            backend: Backend::Embedded(Box::new(h)),
            operators: OperatorPool::new(keys),
            chain_id,
            persisted: HashMap::new(),
            closing_tables: Vec::new(),
            clock: BlockClock::default(),
            last_block_time: 0,
            block_open: false,
        };
        chain.set_time(now());
        chain.advance();
        let (accounts, deleted) = chain.changed_accounts();
        store
            .commit(&crate::store::BlockWrite {
                accounts,
                deleted_accounts: deleted,
                history_block: Some(0),
                meta: vec![
                    ("operators", chain.operator_key_bytes()),
                    ("chain_id", chain_id.to_le_bytes().to_vec()),
                    ("slot", chain.slot().to_le_bytes().to_vec()),
                    ("timestamp", chain.timestamp().to_le_bytes().to_vec()),
                ],
                ..Default::default()
            })
            .map_err(|e| format!("database: {e}"))?;
        tracing::info!(program = %PROGRAM_ID, operators, chain_id, "new embedded chain");
        Ok(chain)
    }

    /// The operator keypairs, 64 bytes each, as the store keeps them.
    fn operator_key_bytes(&self) -> Vec<u8> {
        self.operators
            .keys()
            .iter()
            .flat_map(|k| k.to_bytes())
            .collect()
    }

    fn restore(store: &Store, keys: &[u8]) -> Result<Self, String> {
        let db = |e: rusqlite::Error| format!("database: {e}");
        if keys.is_empty() || !keys.len().is_multiple_of(64) {
            return Err("the stored operator keys are malformed".into());
        }
        let keys = keys
            .chunks(64)
            .map(|k| Keypair::try_from(k).map_err(|e| format!("operator key: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let read_u64 = |k: &str| -> Result<u64, String> {
            let v = store.meta(k).map_err(db)?.ok_or(format!("{k} missing"))?;
            Ok(u64::from_le_bytes(
                v.try_into().map_err(|_| format!("{k} malformed"))?,
            ))
        };
        let chain_id = read_u64("chain_id")?;
        let slot = read_u64("slot")?;
        let timestamp = read_u64("timestamp")?;
        // The program is loaded from the .so; its ProgramData (with the upgrade authority
        // genesis named) comes back from the store below.
        let mut h = Svm::new(&so_path(), &Address::new_unique())?;
        h.trust_own_signatures();
        let mut persisted = HashMap::new();
        let accounts = store.svm_accounts().map_err(db)?;
        for a in &accounts {
            let address = Address::new_from_array(a.address);
            persisted.insert(address, hash_account(a.lamports, &a.owner, &a.data));
            h.svm
                .set_account(
                    address,
                    Account {
                        lamports: a.lamports,
                        data: a.data.clone(),
                        owner: Address::new_from_array(a.owner),
                        executable: a.executable,
                        rent_epoch: a.rent_epoch,
                    },
                )
                .map_err(|e| format!("restoring {address}: {e:?}"))?;
        }
        h.warp_to(slot, slot.min(SLOT_HASHES_KEPT), &[]);
        let mut chain = Self {
            backend: Backend::Embedded(Box::new(h)),
            operators: OperatorPool::new(keys),
            chain_id,
            persisted,
            closing_tables: Vec::new(),
            clock: store
                .meta("clock")
                .map_err(db)?
                .map(|b| BlockClock::from_bytes(&b))
                .unwrap_or_default(),
            last_block_time: timestamp,
            block_open: false,
        };
        chain.set_time(timestamp);
        tracing::info!(
            slot,
            accounts = accounts.len(),
            chain_id,
            "embedded chain restored"
        );
        Ok(chain)
    }

    /// A cluster's chain: the program at `url` must be deployed and initialized (its id this
    /// build's), each of `operators` one of its operators (relaying in turn). With `fund_dev`,
    /// the development accounts without a balance get one (a `deposit` paid by the first
    /// operator), for local validators.
    pub fn remote(
        url: &str,
        operators: Vec<Keypair>,
        fund_dev: bool,
        priority: PriorityFee,
    ) -> Result<Self, String> {
        let Some(operator) = operators.first() else {
            return Err("no operator keypair".into());
        };
        let mut cluster = Cluster::new(url).with_priority_fee(priority);
        cluster
            .slot()
            .map_err(|e| format!("{url} does not answer: {e}"))?;
        let program = cluster
            .account(&PROGRAM_ID)
            .map_err(|e| format!("reading the program at {url}: {e}"))?
            .ok_or(format!(
                "program {PROGRAM_ID} is not deployed at {url} (scripts/deploy-local.sh)"
            ))?;
        if !program.executable {
            return Err(format!("{PROGRAM_ID} at {url} is not a program"));
        }
        let config = accounts::config(&cluster)
            .map_err(|e| format!("the program's config does not decode: {e}"))?
            .ok_or(
                "the program's config is missing: initialize it (scripts/deploy-local.sh does)",
            )?;
        for key in &operators {
            if !config.is_operator(key.pubkey().as_array()) {
                let listed: Vec<String> = config
                    .operators
                    .iter()
                    .map(|o| Address::new_from_array(*o).to_string())
                    .collect();
                return Err(format!(
                    "{} is not an operator of the program (operators: {listed:?})",
                    key.pubkey(),
                ));
            }
        }
        if fund_dev {
            for (address, _) in dev_accounts()? {
                let has = accounts::eth_account(&cluster, &address)
                    .ok()
                    .flatten()
                    .is_some_and(|a: EthAccount| !a.balance.is_zero());
                if !has {
                    cluster
                        .send(
                            &[instructions::deposit(
                                &operator.pubkey(),
                                &address,
                                DEV_LAMPORTS,
                            )],
                            operator,
                            &[],
                        )
                        .map_err(|f| {
                            format!("funding {address:02x?}: {:?} {}", f.err, f.logs.join("; "))
                        })?;
                }
            }
        }
        tracing::info!(%url, program = %PROGRAM_ID, operators = operators.len(), chain_id = config.chain_id, "remote chain");
        Ok(Self {
            backend: Backend::Remote(cluster),
            operators: OperatorPool::new(operators),
            chain_id: config.chain_id,
            persisted: HashMap::new(),
            closing_tables: Vec::new(),
            clock: BlockClock::default(),
            last_block_time: 0,
            block_open: false,
        })
    }

    /// The current slot: the block being produced.
    pub fn slot(&self) -> u64 {
        match &self.backend {
            Backend::Embedded(h) => h.clock().slot,
            Backend::Remote(c) => c.slot().unwrap_or_else(|_| c.clock().slot),
        }
    }

    pub fn timestamp(&self) -> u64 {
        self.source().clock().unix_timestamp as u64
    }

    /// Where accounts are read: the embedded VM or the cluster.
    pub fn source(&self) -> &dyn AccountSource {
        match &self.backend {
            Backend::Embedded(h) => h.as_ref(),
            Backend::Remote(c) => c,
        }
    }

    /// The tip eth_maxPriorityFeePerGas suggests (and eth_gasPrice adds to the floor): on a
    /// chain charging Solana costs whose relays pay a priority fee, what makes a 21,000-gas
    /// transaction's gas pay its Solana transaction's priority fee (the rent and the signature
    /// are charged as gas anyway); else 0.
    pub fn suggested_tip(&self) -> u64 {
        let params = self.fee_params();
        let priority = self.priority_fee();
        if !params.charge_solana_costs || priority == 0 {
            return 0;
        }
        let lamports = isthmus_client::instructions::priority_fee_lamports(priority);
        let price = (lamports as u128 * isthmus_client::interface::WEI_PER_LAMPORT as u128)
            .div_ceil(isthmus_evm::gas::TX as u128);
        u64::try_from(price)
            .unwrap_or(u64::MAX)
            .saturating_sub(params.min_base_fee)
    }

    /// Micro-lamports a compute unit the relayed Solana transactions pay as priority fee.
    pub fn priority_fee(&self) -> u64 {
        match &self.backend {
            Backend::Embedded(h) => h.priority_fee(),
            Backend::Remote(c) => c.priority_fee(),
        }
    }

    /// Makes the embedded chain's sends pay `micro_lamports` a compute unit (as a congested
    /// cluster would); nothing on a cluster, whose fee is the backend's.
    pub fn set_embedded_priority_fee(&mut self, micro_lamports: u64) {
        if let Backend::Embedded(h) = &mut self.backend {
            h.priority_fee = micro_lamports;
        }
    }

    pub fn is_embedded(&self) -> bool {
        matches!(self.backend, Backend::Embedded(_))
    }

    /// On a cluster, a client of it of its own: reads and relays through it need not hold the
    /// chain's lock.
    pub fn cluster_handle(&self) -> Option<Cluster> {
        match &self.backend {
            Backend::Embedded(_) => None,
            Backend::Remote(c) => Some(c.handle()),
        }
    }

    /// On a cluster, the first account read that failed since the last call (it read as an
    /// absent account): what was decided on it is not to be trusted.
    pub fn take_read_error(&self) -> Option<String> {
        match &self.backend {
            Backend::Embedded(_) => None,
            Backend::Remote(c) => c.take_read_error(),
        }
    }

    /// Lookup tables a relay made (through another client, [`Chain::cluster_handle`]) and
    /// deactivated in `slot`, to close later.
    pub fn note_tables(&mut self, tables: &[Address], slot: u64, operator: Address) {
        self.closing_tables
            .extend(tables.iter().map(|t| (*t, slot, operator)));
    }

    /// The first operator: the COINBASE eth_call and eth_estimateGas run with, and
    /// eth_coinbase.
    pub fn operator(&self) -> &Keypair {
        &self.operators.keys()[0]
    }

    /// Relays `raw` through the next operator of the pool (closing first the lookup tables of
    /// earlier transactions that may be closed by now).
    pub fn relay(&mut self, raw: &[u8]) -> Result<Relayed, RelayError> {
        self.relay_with(raw, None)
    }

    /// [`Chain::relay`] of a transaction decoded when it was accepted: its signature is not
    /// recovered again.
    pub fn relay_decoded(&mut self, raw: &[u8], incoming: Incoming) -> Result<Relayed, RelayError> {
        self.relay_with(raw, Some(incoming))
    }

    fn relay_with(
        &mut self,
        raw: &[u8],
        incoming: Option<Incoming>,
    ) -> Result<Relayed, RelayError> {
        self.open_block();
        self.close_old_tables();
        let operator = self.operators.next().insecure_clone();
        let relayed = match (&mut self.backend, incoming) {
            (Backend::Embedded(h), Some(i)) => relay_decoded(h.as_mut(), &operator, raw, i),
            (Backend::Embedded(h), None) => relay(h.as_mut(), &operator, raw),
            (Backend::Remote(c), Some(i)) => relay_decoded(c, &operator, raw, i),
            (Backend::Remote(c), None) => relay(c, &operator, raw),
        }?;
        let slot = self.slot();
        self.closing_tables.extend(
            relayed
                .lookup_tables
                .iter()
                .map(|t| (*t, slot, operator.pubkey())),
        );
        Ok(relayed)
    }

    /// Closes the deactivated lookup tables old enough to close.
    fn close_old_tables(&mut self) {
        let slot = self.slot();
        for (table, operator) in self.due_tables(slot) {
            let mut one = vec![table];
            let recovered = match &mut self.backend {
                Backend::Embedded(h) => close_deactivated(h.as_mut(), &operator, &mut one),
                Backend::Remote(c) => close_deactivated(c, &operator, &mut one),
            };
            self.table_closed(table, one.is_empty(), recovered, slot, &operator);
        }
    }

    /// The deactivated lookup tables old enough to close at `slot`, taken off the list, each
    /// with its operator's key ([`Chain::table_closed`] says how it went).
    pub fn due_tables(&mut self, slot: u64) -> Vec<(Address, Keypair)> {
        let (due, waiting): (Vec<_>, Vec<_>) = self
            .closing_tables
            .drain(..)
            .partition(|(_, at, _)| slot >= at + TABLE_CLOSE_AFTER);
        self.closing_tables = waiting;
        due.into_iter()
            .filter_map(|(table, _, owner)| {
                let key = self.operators.keys().iter().find(|k| k.pubkey() == owner)?;
                Some((table, key.insecure_clone()))
            })
            .collect()
    }

    /// Logs a table closed (`recovered` lamports back), or puts it back on the list to try
    /// again a while after `slot`.
    pub fn table_closed(
        &mut self,
        table: Address,
        closed: bool,
        recovered: u64,
        slot: u64,
        operator: &Keypair,
    ) {
        if closed {
            tracing::info!(%table, recovered, "lookup table closed");
        } else {
            self.closing_tables.push((table, slot, operator.pubkey()));
        }
    }

    /// On a cluster, the receipt and slot of a transaction sent before a restart (searched in the
    /// operator's recent Solana transactions); `None` embedded, where a restart rolls back to the
    /// last committed block and the transaction simply runs again.
    pub fn find_landed(&self, tx_hash: &[u8; 32]) -> Option<(Receipt, u64)> {
        match &self.backend {
            Backend::Embedded(_) => None,
            Backend::Remote(c) => self
                .operators
                .keys()
                .iter()
                .find_map(|k| c.find_receipt(&k.pubkey(), tx_hash, 1000)),
        }
    }

    /// Sets the clock of the current slot (a snapshot's, when reverting to it).
    pub fn set_time(&mut self, timestamp: u64) {
        if let Backend::Embedded(h) = &mut self.backend {
            h.set_time(timestamp as i64);
        }
    }

    /// Fixes the current slot's clock: a transaction runs in it.
    pub fn open_block(&mut self) {
        self.block_open = true;
    }

    /// Times the current slot by [`BlockClock`] (unless a transaction already ran in it): what
    /// `evm_increaseTime` and `evm_setNextBlockTimestamp` change.
    pub fn retime(&mut self) {
        if self.block_open || !self.is_embedded() {
            return;
        }
        let timestamp = self.clock.next_block(self.last_block_time, now());
        self.set_time(timestamp);
    }

    /// Moves to the next slot, SlotHashes filled as a cluster would (the hash of slot `n` is the
    /// block hash of Ethereum block `n`), timed by [`BlockClock`] from the wall clock.
    pub fn advance(&mut self) {
        self.last_block_time = self.timestamp();
        self.warp(self.slot() + 1);
        self.retime();
    }

    /// Moves the embedded chain to `slot` (forwards, or back to a snapshot's), its clock not yet
    /// set.
    pub fn warp(&mut self, slot: u64) {
        if let Backend::Embedded(h) = &mut self.backend {
            h.warp_to(slot, slot.min(SLOT_HASHES_KEPT), &[]);
            h.svm.expire_blockhash();
        }
        self.block_open = false;
    }

    /// The embedded VM, for the development methods that write state directly.
    pub fn embedded(&mut self) -> Result<&mut Svm, String> {
        match &mut self.backend {
            Backend::Embedded(h) => Ok(h.as_mut()),
            Backend::Remote(_) => Err(ONLY_EMBEDDED.into()),
        }
    }

    /// A copy of the accounts that make up the chain's state.
    pub fn tracked_accounts(&self) -> TrackedAccounts {
        let Backend::Embedded(h) = &self.backend else {
            return Vec::new();
        };
        h.svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, a)| is_tracked(a.owner()) && a.lamports() > 0)
            .map(|(address, a)| (*address, a.clone().into()))
            .collect()
    }

    /// Puts back the state [`Chain::tracked_accounts`] copied: tracked accounts made since are
    /// removed. Lookup tables no longer there are no longer waited on.
    pub fn restore_tracked(&mut self, accounts: &TrackedAccounts) -> Result<(), String> {
        let h = self.embedded()?;
        let now: Vec<Address> = h
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, a)| is_tracked(a.owner()))
            .map(|(address, _)| *address)
            .collect();
        for address in now {
            h.svm
                .set_account(address, Account::default())
                .map_err(|e| format!("removing {address}: {e:?}"))?;
        }
        for (address, account) in accounts {
            h.svm
                .set_account(*address, account.clone())
                .map_err(|e| format!("restoring {address}: {e:?}"))?;
        }
        if let Backend::Embedded(h) = &self.backend {
            self.closing_tables
                .retain(|(table, _, _)| h.svm.get_account(table).is_some());
        }
        Ok(())
    }

    /// The Solana accounts changed since the last call (those of the program, wallets and
    /// lookup tables: the runtime's own are rebuilt at start), and those that disappeared.
    pub fn changed_accounts(&mut self) -> (Vec<SvmAccount>, Vec<[u8; 32]>) {
        let Backend::Embedded(h) = &self.backend else {
            return (Vec::new(), Vec::new());
        };
        let mut changed = Vec::new();
        let mut seen = HashMap::with_capacity(self.persisted.len());
        for (address, account) in h.svm.accounts_db().inner.iter() {
            let owner = *account.owner();
            if !is_tracked(&owner) {
                continue;
            }
            if account.lamports() == 0 {
                continue;
            }
            let hash = hash_account(account.lamports(), owner.as_array(), account.data());
            seen.insert(*address, hash);
            if self.persisted.get(address) != Some(&hash) {
                changed.push(SvmAccount {
                    address: address.to_bytes(),
                    lamports: account.lamports(),
                    owner: owner.to_bytes(),
                    executable: account.executable(),
                    rent_epoch: account.rent_epoch(),
                    data: account.data().to_vec(),
                });
            }
        }
        let deleted = self
            .persisted
            .keys()
            .filter(|a| !seen.contains_key(*a))
            .map(|a| a.to_bytes())
            .collect();
        self.persisted = seen;
        (changed, deleted)
    }

    /// The hash of block `number`: the slot's hash in SlotHashes (what BLOCKHASH answers).
    pub fn block_hash(number: u64) -> [u8; 32] {
        slot_hash(number)
    }

    /// The first operator's Ethereum address: eth_coinbase and the blocks' miner (each
    /// transaction's COINBASE is the address of the operator that relayed it).
    pub fn coinbase(&self) -> [u8; 20] {
        operator_eth_address(&self.operator().pubkey())
    }

    pub fn config(&self) -> Option<Config> {
        accounts::config(self.source()).ok().flatten()
    }

    pub fn min_base_fee(&self) -> u64 {
        self.fee_params().min_base_fee
    }

    pub fn fee_params(&self) -> FeeMarketParams {
        self.config().map(|c| c.fee_market).unwrap_or_default()
    }

    /// The contract's fee market as stored, if it has one.
    pub fn fee_market(&self, contract: &[u8; 20]) -> Option<FeeMarket> {
        accounts::fee_market(self.source(), contract).ok().flatten()
    }

    /// The base fee a transaction to `contract` (the zero address for creations) pays in the
    /// current slot: the program's rule (`isthmus_interface::fee_market::base_fee_at`).
    pub fn local_base_fee(&self, contract: &[u8; 20]) -> u64 {
        base_fee_at(
            self.fee_market(contract).as_ref(),
            &self.fee_params(),
            self.slot(),
        )
    }

    fn eth_account(&self, address: &[u8; 20]) -> Option<EthAccount> {
        accounts::eth_account(self.source(), address).ok().flatten()
    }

    pub fn balance(&self, address: &[u8; 20]) -> U256 {
        self.eth_account(address)
            .map(|a| a.balance)
            .unwrap_or(U256::ZERO)
    }

    pub fn nonce(&self, address: &[u8; 20]) -> u64 {
        self.eth_account(address).map(|a| a.nonce).unwrap_or(0)
    }
}

/// The message the development methods answer on a cluster.
pub const ONLY_EMBEDDED: &str =
    "only the embedded chain supports this method (rpc-proxy runs against a Solana cluster)";

/// Whether an account of `owner` is part of the chain's state: the program's, wallets, lookup
/// tables (the runtime's own are rebuilt at start).
fn is_tracked(owner: &Address) -> bool {
    *owner == PROGRAM_ID || *owner == SYSTEM_PROGRAM || *owner == ALT_PROGRAM
}

fn hash_account(lamports: u64, owner: &[u8; 32], data: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    lamports.hash(&mut h);
    owner.hash(&mut h);
    data.hash(&mut h);
    h.finish()
}

/// The development accounts as wallets that sign (for tests).
#[cfg(test)]
pub(crate) fn dev_wallets() -> Vec<isthmus_test_support::EthWallet> {
    dev_accounts()
        .unwrap()
        .iter()
        .map(|(address, key)| isthmus_test_support::EthWallet {
            key: k256::ecdsa::SigningKey::from_slice(key).unwrap(),
            address: *address,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_test_support::tx1559;

    /// The embedded chain's operators relay in turn: three transfers from three development
    /// accounts go through three fee payers, each credited its transaction's gas at its own
    /// COINBASE; and the pool survives a restore from the store.
    #[test]
    fn transactions_are_relayed_through_the_operators_in_turn() {
        let store = Store::open(None).unwrap();
        let mut chain = Chain::open(
            &store,
            ChainRules {
                chain_id: 1337,
                ..ChainRules::default()
            },
            FeeMarketParams::default(),
            3,
        )
        .unwrap();
        let coinbases: Vec<[u8; 20]> = chain
            .operators
            .keys()
            .iter()
            .map(|k| operator_eth_address(&k.pubkey()))
            .collect();
        assert_eq!(coinbases.len(), 3);
        for (i, wallet) in dev_wallets().iter().take(3).enumerate() {
            let raw = wallet.sign(&tx1559(1337, 0, Some([0x99; 20]), 1, vec![], 21_000));
            let relayed = chain.relay(&raw).unwrap();
            assert_eq!(relayed.receipt.status, 1, "transfer {i}");
        }
        for coinbase in &coinbases {
            let paid = accounts::eth_account(chain.source(), coinbase)
                .unwrap()
                .map(|a| a.balance)
                .unwrap_or_default();
            assert_eq!(
                paid,
                U256::from(21_000u64 * 2_000_000_000),
                "{coinbase:02x?}"
            );
        }
        // A chain restored from the store relays through the same keys.
        let restored = Chain::restore(&store, &chain.operator_key_bytes()).unwrap();
        let keys =
            |c: &Chain| -> Vec<Address> { c.operators.keys().iter().map(|k| k.pubkey()).collect() };
        assert_eq!(keys(&restored), keys(&chain));
    }
}
