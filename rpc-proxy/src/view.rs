//! What a read needs of the chain besides its accounts: the chain id, the operator eth_call
//! runs as, the newest block; and running a call. Built from a published [`Snapshot`] (the
//! embedded chain: no lock) or, on a cluster, from the chain under its lock.
//!
//! [`Snapshot`]: crate::snapshot::Snapshot

use crate::chain::{Call, CallOutcome, Chain};
use isthmus_client::crypto::ProgramCrypto;
use isthmus_client::interface::fee_market::FeeMarketParams;
use isthmus_client::interface::solana_costs;
use isthmus_client::{accounts, operator_eth_address, AccountSource};
use isthmus_evm::env::TxKind;
use isthmus_evm::state::State;
use isthmus_evm::{BlockEnv, Machine, RunOutcome, TxEnv, U256};
use solana_address::Address;
use solana_signer::Signer;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Opcodes a call runs between two looks at its deadline (a few milliseconds' worth).
const CALL_CHUNK: u64 = 100_000;

/// The chain's figures that do not live in its accounts, as of one state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainInfo {
    pub chain_id: u64,
    /// The first operator: the COINBASE eth_call and eth_estimateGas run with.
    pub operator: Address,
}

impl ChainInfo {
    pub fn of(chain: &Chain) -> Self {
        Self {
            chain_id: chain.chain_id,
            operator: chain.operator().pubkey(),
        }
    }
}

/// One state as reads see it: its accounts (`current`), the chain's figures, the newest block.
pub struct View<'a> {
    pub info: &'a ChainInfo,
    /// The newest state (a past block's reads still take the config and the runtime's accounts
    /// from it, as before).
    pub current: &'a dyn AccountSource,
    /// The newest block.
    pub latest: u64,
    /// Its timestamp, if indexed.
    pub latest_timestamp: Option<u64>,
}

impl View<'_> {
    pub fn operator(&self) -> Address {
        self.info.operator
    }

    /// eth_coinbase and the blocks' miner.
    pub fn coinbase(&self) -> [u8; 20] {
        operator_eth_address(&self.info.operator)
    }

    /// The current slot's clock.
    pub fn timestamp(&self) -> u64 {
        self.current.clock().unix_timestamp as u64
    }

    pub fn fee_params(&self) -> FeeMarketParams {
        accounts::config(self.current)
            .ok()
            .flatten()
            .map(|c| c.fee_market)
            .unwrap_or_default()
    }

    pub fn min_base_fee(&self) -> u64 {
        self.fee_params().min_base_fee
    }

    pub fn nonce(&self, address: &[u8; 20]) -> u64 {
        accounts::eth_account(self.current, address)
            .ok()
            .flatten()
            .map(|a| a.nonce)
            .unwrap_or(0)
    }

    /// Runs `call` off-chain over `state` in `block`, with no gas price (geth's eth_call). With
    /// `costs_from` (the chain's accounts), a success reports the Solana costs' gas too
    /// ([`CallOutcome::Success::solana_gas`], what gas figures add; plain calls skip the lookups).
    pub fn call_in(
        &self,
        state: &mut impl State,
        block: BlockEnv,
        call: &Call,
        gas_limit: u64,
        costs_from: Option<&dyn AccountSource>,
    ) -> CallOutcome {
        let coinbase = block.coinbase;
        let mut machine = self.call_machine(state, block, call, gas_limit);
        let outcome = loop {
            match machine.run(state, &ProgramCrypto, CALL_CHUNK) {
                RunOutcome::Paused => {
                    if call
                        .deadline
                        .is_some_and(|d| std::time::Instant::now() >= d)
                    {
                        return CallOutcome::Timeout;
                    }
                }
                done => break done,
            }
        };
        match outcome {
            RunOutcome::Done(r) => match r.status {
                isthmus_evm::Status::Success => CallOutcome::Success {
                    effects: effects_digest(&r),
                    solana_gas: costs_from.map_or(0, |src| {
                        self.solana_gas(src, &r, &machine, call.to, coinbase)
                    }),
                    output: r.output,
                    gas_used: r.gas_used,
                },
                isthmus_evm::Status::Revert => CallOutcome::Revert { output: r.output },
                isthmus_evm::Status::Halt(reason) => CallOutcome::Halt(format!("{reason:?}")),
            },
            RunOutcome::Invalid(reason) => CallOutcome::Invalid(crate::geth::invalid(&reason)),
            RunOutcome::Fatal(e) => CallOutcome::Invalid(e.to_string()),
            RunOutcome::Paused => CallOutcome::Invalid("paused".into()),
        }
    }

    /// The gas a charging chain adds for what `result` creates (the accounts, `to`'s and the
    /// code run's fee markets, [`isthmus_client::rent`]) and the signature, at the floor price;
    /// 0 on a chain whose operator bears them.
    fn solana_gas(
        &self,
        src: &dyn AccountSource,
        result: &isthmus_evm::ExecutionResult,
        machine: &Machine,
        to: Option<[u8; 20]>,
        coinbase: [u8; 20],
    ) -> u64 {
        let params = self.fee_params();
        if !params.charge_solana_costs {
            return 0;
        }
        let rent =
            isthmus_client::rent::created(src, &result.changes, to, machine.code_run(), &coinbase);
        solana_costs::gas_for(
            solana_costs::lamports(rent),
            U256::from(params.min_base_fee),
        )
    }

    /// The machine [`View::call_in`] runs (debug_traceCall traces it).
    pub fn call_machine(
        &self,
        state: &mut impl State,
        mut block: BlockEnv,
        call: &Call,
        gas_limit: u64,
    ) -> Machine {
        block.base_fee = U256::ZERO;
        let nonce = state
            .account(&call.from)
            .ok()
            .flatten()
            .map(|a| a.nonce)
            .unwrap_or(0);
        let kind = if !call.authorization_list.is_empty() {
            TxKind::SetCode
        } else if !call.access_list.is_empty() {
            TxKind::AccessList
        } else {
            TxKind::Legacy
        };
        let tx = TxEnv {
            kind,
            caller: call.from,
            gas_limit,
            gas_price: U256::ZERO,
            gas_priority_fee: (kind == TxKind::SetCode).then_some(U256::ZERO),
            to: call.to,
            value: call.value,
            data: call.data.clone(),
            nonce,
            chain_id: Some(self.info.chain_id),
            access_list: call.access_list.clone(),
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: U256::ZERO,
            authorization_list: call.authorization_list.clone(),
        };
        let mut machine = Machine::new(block, tx);
        // As geth's eth_call: any address may call, one with code too.
        machine.allow_sender_code();
        machine
    }
}

/// A digest of a successful call's state changes and logs (a call's price is zero, so they do
/// not depend on its gas limit unless its code does).
fn effects_digest(result: &isthmus_evm::ExecutionResult) -> u64 {
    let mut hasher = DefaultHasher::new();
    borsh::to_vec(&(&result.changes, &result.logs))
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}
