//! The embedded chain: LiteSVM with the program, the operator that relays, the development
//! accounts, and the receipts of the transactions relayed (kept in memory in this slice).

use alloy_signer_local::coins_bip39::English;
use alloy_signer_local::MnemonicBuilder;
use isthmus_client::emulate::{block_env, emulate, SvmState};
use isthmus_client::*;
use isthmus_evm::env::TxKind;
use isthmus_evm::state::State;
use isthmus_evm::{transaction, BlockEnv, HostCrypto, Machine, RunOutcome, TxEnv, U256};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, HashMap};

pub const CHAIN_ID: u64 = 1337;
pub const MNEMONIC: &str = "test test test test test test test test test test test junk";
pub const DEV_ACCOUNTS: u32 = 10;
/// 10,000 ether each, as anvil (1 lamport = 10^9 wei: 10^13 lamports).
pub const DEV_LAMPORTS: u64 = 10_000_000_000_000;

/// A relayed transaction and where it landed.
pub struct Stored {
    pub receipt: Receipt,
    pub block: u64,
    pub from: [u8; 20],
    pub to: Option<[u8; 20]>,
    pub kind: u8,
    /// Compute units of the program, and `step` transactions (0: one execute).
    pub cu: u64,
    pub steps: usize,
}

pub struct Node {
    pub h: Harness,
    pub operator: Keypair,
    pub chain_id: u64,
    pub dev: Vec<([u8; 20], [u8; 32])>,
    pub receipts: HashMap<[u8; 32], Stored>,
    /// Slot -> the transactions executed in it.
    pub blocks: BTreeMap<u64, Vec<[u8; 32]>>,
}

/// The outcome of an off-chain run for eth_call / eth_estimateGas.
pub enum CallOutcome {
    Success { output: Vec<u8>, gas_used: u64 },
    Revert { output: Vec<u8> },
    Halt(String),
    Invalid(String),
}

/// An eth_call request, decoded.
#[derive(Clone, Default)]
pub struct Call {
    pub from: [u8; 20],
    pub to: Option<[u8; 20]>,
    pub gas: Option<u64>,
    pub value: U256,
    pub data: Vec<u8>,
}

impl Node {
    /// Deploys and initializes the program, funds the operator and the development accounts.
    pub fn start(chain_id: u64) -> Result<Self, String> {
        let mut h = Harness::new();
        let operator = Keypair::new();
        h.svm
            .airdrop(&operator.pubkey(), 10_000 * 1_000_000_000)
            .map_err(|e| format!("airdrop: {e:?}"))?;
        let args = InitializeArgs {
            chain_id,
            operators: vec![operator.pubkey()],
            fee_market: FeeMarketParams::default(),
        };
        let admin = h.admin.insecure_clone();
        h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
            .map_err(|f| format!("initialize: {:?}\n{}", f.err, f.logs.join("\n")))?;
        let mut dev = Vec::new();
        for i in 0..DEV_ACCOUNTS {
            let signer = MnemonicBuilder::<English>::default()
                .phrase(MNEMONIC)
                .index(i)
                .map_err(|e| e.to_string())?
                .build()
                .map_err(|e| e.to_string())?;
            let address: [u8; 20] = signer.address().into_array();
            let key: [u8; 32] = signer.credential().to_bytes().into();
            let depositor = h.wallet(DEV_LAMPORTS + 1_000_000_000);
            h.send(
                &[deposit_ix(&depositor.pubkey(), &address, DEV_LAMPORTS)],
                &depositor,
                &[],
            )
            .map_err(|f| format!("deposit: {:?}\n{}", f.err, f.logs.join("\n")))?;
            dev.push((address, key));
        }
        let mut node = Self {
            h,
            operator,
            chain_id,
            dev,
            receipts: HashMap::new(),
            blocks: BTreeMap::new(),
        };
        node.advance();
        tracing::info!(
            program = %PROGRAM_ID,
            operator = %node.operator.pubkey(),
            chain_id,
            "embedded LiteSVM: program deployed and initialized"
        );
        Ok(node)
    }

    pub fn print_accounts(&self) {
        println!(
            "Isthmus rpc-proxy (embedded LiteSVM, chain id {})",
            self.chain_id
        );
        println!("\nAvailable Accounts\n==================");
        for (i, (a, _)) in self.dev.iter().enumerate() {
            println!("({i}) {} (10000 ETH)", crate::rpc::hex(a));
        }
        println!("\nPrivate Keys\n==================");
        for (i, (_, k)) in self.dev.iter().enumerate() {
            println!("({i}) {}", crate::rpc::hex(k));
        }
        println!("\nMnemonic: {MNEMONIC}\nDerivation path: m/44'/60'/0'/0/<index>\n");
    }

    /// The current block number: the slot.
    pub fn slot(&self) -> u64 {
        let clock: solana_clock::Clock = self.h.svm.get_sysvar();
        clock.slot
    }

    pub fn timestamp(&self) -> u64 {
        let clock: solana_clock::Clock = self.h.svm.get_sysvar();
        clock.unix_timestamp as u64
    }

    /// Moves to the next slot (SlotHashes filled as a cluster would) with a fresh blockhash.
    pub fn advance(&mut self) {
        let next = self.slot() + 1;
        self.h.warp_to(next, next.min(150), &[]);
        self.h.svm.expire_blockhash();
    }

    pub fn block(&self) -> BlockEnv {
        block_env(&self.h.svm, &self.operator.pubkey())
    }

    pub fn base_fee(&self) -> u64 {
        self.h.config().fee_market.min_base_fee
    }

    pub fn state(&self) -> SvmState<'_> {
        SvmState::new(&self.h.svm)
    }

    pub fn balance(&self, address: &[u8; 20]) -> U256 {
        let mut s = self.state();
        s.account(address)
            .ok()
            .flatten()
            .map(|a| a.balance)
            .unwrap_or(U256::ZERO)
    }

    pub fn nonce(&self, address: &[u8; 20]) -> u64 {
        let mut s = self.state();
        s.account(address)
            .ok()
            .flatten()
            .map(|a| a.nonce)
            .unwrap_or(0)
    }

    pub fn code(&self, address: &[u8; 20]) -> Vec<u8> {
        self.state().code(address).unwrap_or_default()
    }

    pub fn storage(&self, address: &[u8; 20], slot: U256) -> U256 {
        self.state().storage(address, &slot).unwrap_or(U256::ZERO)
    }

    /// Runs `call` off-chain over the current state, with no gas price (geth's eth_call).
    pub fn call(&self, call: &Call, gas_limit: u64) -> CallOutcome {
        let mut block = self.block();
        block.base_fee = U256::ZERO;
        let tx = TxEnv {
            kind: TxKind::Legacy,
            caller: call.from,
            gas_limit,
            gas_price: U256::ZERO,
            gas_priority_fee: None,
            to: call.to,
            value: call.value,
            data: call.data.clone(),
            nonce: self.nonce(&call.from),
            chain_id: Some(self.chain_id),
            access_list: Vec::new(),
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: U256::ZERO,
        };
        let mut state = self.state();
        let mut machine = Machine::new(block, tx);
        match machine.run(&mut state, &HostCrypto, u64::MAX) {
            RunOutcome::Done(r) => match r.status {
                isthmus_evm::Status::Success => CallOutcome::Success {
                    output: r.output,
                    gas_used: r.gas_used,
                },
                isthmus_evm::Status::Revert => CallOutcome::Revert { output: r.output },
                isthmus_evm::Status::Halt(reason) => CallOutcome::Halt(format!("{reason:?}")),
            },
            RunOutcome::Invalid(reason) => CallOutcome::Invalid(format!("{reason:?}")),
            RunOutcome::Fatal(e) => CallOutcome::Invalid(format!("state: {e:?}")),
            RunOutcome::Paused => CallOutcome::Invalid("paused".into()),
        }
    }

    /// Validates `raw`, runs it off-chain, relays it (execute / holder / steps, as
    /// `Harness::run_raw`), stores the receipt and moves to the next slot. Returns the hash.
    pub fn send_raw(&mut self, raw: &[u8]) -> Result<[u8; 32], String> {
        let crypto = HostCrypto;
        let mut signed =
            transaction::decode(raw, &crypto).map_err(|e| format!("invalid transaction: {e:?}"))?;
        let from = signed
            .recover_sender(&crypto)
            .map_err(|e| format!("invalid signature: {e:?}"))?;
        let hash = signed.hash;
        if self.receipts.contains_key(&hash) {
            return Err("already known".into());
        }
        if let Some(id) = signed.tx.chain_id {
            if id != self.chain_id {
                return Err(format!(
                    "invalid chain id: have {id}, want {}",
                    self.chain_id
                ));
            }
        }
        let emulation = emulate(&self.h.svm, &self.operator.pubkey(), raw);
        if let RunOutcome::Invalid(reason) = &emulation.outcome {
            return Err(format!("invalid transaction: {reason:?}"));
        }
        if !matches!(emulation.outcome, RunOutcome::Done(_)) {
            return Err(format!("emulation failed: {:?}", emulation.outcome));
        }
        let kind = match signed.tx.kind {
            TxKind::Legacy => 0,
            TxKind::AccessList => 1,
            TxKind::DynamicFee => 2,
            TxKind::Blob => 3,
        };
        let to = signed.tx.to;
        let operator = self.operator.insecure_clone();
        let h = &mut self.h;
        let run =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.run_raw(&operator, raw)))
                .map_err(|p| {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    format!("relay failed: {msg}")
                })?;
        let block = self.slot();
        tracing::info!(
            hash = %crate::rpc::hex(&hash),
            block,
            status = run.receipt.status,
            gas_used = run.receipt.gas_used,
            cu = run.cu,
            steps = run.steps,
            "relayed"
        );
        self.receipts.insert(
            hash,
            Stored {
                receipt: run.receipt,
                block,
                from,
                to,
                kind,
                cu: run.cu,
                steps: run.steps,
            },
        );
        self.blocks.entry(block).or_default().push(hash);
        self.advance();
        Ok(hash)
    }
}
