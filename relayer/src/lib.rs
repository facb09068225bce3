//! The relayer: carries one signed Ethereum transaction into the Solana transactions that run it,
//! signed and paid by the operator. The one relay strategy: rpc-proxy, the program tests and
//! `cu-report` all relay through [`relay`].
//!
//! 1. one `execute` (with compute-budget instructions) when the transaction fits a packet;
//! 2. else the raw transaction written into the operator's holder and one `execute_from_holder`,
//!    through an address lookup table when its accounts do not fit a legacy message;
//! 3. when one instruction's compute or heap is not enough (by the emulator's opcode count, or
//!    because the chain refused the single instruction for it), `step`s to the end;
//! 4. a stepped transaction that cannot finish is `cancel`led, so its nonce is used and the
//!    operator is paid for what ran: nothing accepted is left hanging.
//!
//! A refused `execute` changes nothing on chain, so each fallback is safe. The accounts come from
//! the emulator (`isthmus_client::emulate`). Every failure is a [`RelayError`], never a panic.

pub mod cluster;
pub mod holder;
pub mod lookup;
pub mod pool;
pub mod steps;

pub use pool::OperatorPool;

use isthmus_client::emulate::{differences, emulate, emulate_decoded, Emulation};
use isthmus_client::interface::account::holder as holder_layout;
use isthmus_client::interface::event::Receipt;
use isthmus_client::interface::transaction::Incoming;
use isthmus_client::interface::{ProgramError, WEI_PER_LAMPORT};
use isthmus_client::solana::{transaction_size, PACKET_DATA_SIZE};
use isthmus_client::{hex, instructions, logs, operator_eth_address, pda, Failure, Solana};
use isthmus_evm::{RunOutcome, U256};
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Steps a transaction may take before the relayer gives up and cancels it (a 30M-gas
/// transaction needs ~450).
pub const MAX_STEPS: usize = 2_000;

/// How a transaction reached the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    Execute,
    Holder,
    Steps,
    Cancelled,
}

/// A transaction the chain has a receipt for.
#[derive(Debug)]
pub struct Relayed {
    pub receipt: Receipt,
    pub path: Path,
    /// Solana transactions sent for it (holder writes, lookup tables and steps included).
    pub solana_txs: usize,
    /// Compute units of the program over all of them.
    pub compute_units: u64,
    /// `step` transactions among them (0: one `execute` or `execute_from_holder`).
    pub steps: usize,
    /// The logs of the Solana transaction that carried the receipt.
    pub logs: Vec<String>,
    /// Where the on-chain run differed from the emulation (should be empty; logged if not).
    pub differences: Vec<String>,
    /// Lookup tables made for it, deactivated: to close (`lookup::close_deactivated`) once the
    /// runtime allows, which returns their rent to the operator.
    pub lookup_tables: Vec<Address>,
}

/// What the relayer expects a transaction to take, from its emulation (`isthmus_emulate`).
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub path: Path,
    /// Solana transactions: holder writes, a lookup table's when one is needed, and one execute
    /// or the steps.
    pub solana_txs: u64,
    /// The program's compute units over all of them.
    pub compute_units: u64,
    /// Bytes of the single-`execute` Solana transaction (over 1,232: through a holder).
    pub execute_bytes: usize,
}

/// Compute units of an `execute` that runs no opcode (accounts, decoding, signature recovery,
/// settling), per opcode (single-shot; stepped, with saving and restoring the machine), per
/// account passed, per holder write; and what one `step` gets done. Fitted to runs on the embedded
/// chain (ETH and ERC-20 transfers, deployments, loops of 100 to 60,000 iterations: within ~15 %;
/// README, "rpc-proxy"). An estimate, not a bound: KECCAK256 over large inputs, SSTOREs and
/// precompiles cost more than an average opcode.
pub const CU_BASE: u64 = 52_000;
pub const CU_PER_OPCODE: u64 = 70;
pub const CU_PER_OPCODE_STEPPED: u64 = 75;
pub const CU_PER_ACCOUNT: u64 = 2_000;
pub const CU_PER_HOLDER_WRITE: u64 = 6_000;
pub const CU_PER_STEP: u64 = 1_080_000;
/// Over this, one `execute` is not expected to fit (1.4M less a margin; near it the relay tries
/// `execute` first and falls back to steps, so a wrong guess costs one refused transaction).
pub const CU_SINGLE: u64 = 1_350_000;

/// The path, Solana transactions and compute [`relay`] is expected to take for `raw`, from its
/// `emulation`.
pub fn estimate(operator: &Address, raw: &[u8], emulation: &Emulation) -> Estimate {
    let budgeted = |ix| {
        let mut ixs = instructions::budget();
        ixs.push(ix);
        ixs
    };
    let execute = budgeted(instructions::execute(
        operator,
        raw,
        emulation.to,
        &emulation.metas,
    ));
    let execute_bytes = transaction_size(&execute, operator);
    let fixed = CU_BASE + CU_PER_ACCOUNT * emulation.metas.len() as u64;
    let single = fixed + CU_PER_OPCODE * emulation.opcodes;
    // Through a holder: its writes, and a lookup table's transactions when the holder's
    // instruction does not fit a legacy transaction (its accounts are the same as `execute`'s).
    let through_holder = || {
        let writes = raw.len().div_ceil(holder_layout::WRITE_CHUNK) as u64 + 1;
        let from_holder = budgeted(instructions::execute_from_holder(
            operator,
            operator,
            emulation.to,
            &emulation.metas,
        ));
        let tables = if transaction_size(&from_holder, operator) > PACKET_DATA_SIZE {
            lookup::transactions_for(from_holder.last().map_or(0, |ix| ix.accounts.len()))
        } else {
            0
        };
        (writes, tables)
    };
    let (path, solana_txs, compute_units) = if single > CU_SINGLE {
        let (writes, tables) = through_holder();
        let stepped =
            fixed + CU_PER_OPCODE_STEPPED * emulation.opcodes + CU_PER_HOLDER_WRITE * writes;
        (
            Path::Steps,
            writes + tables + stepped.div_ceil(CU_PER_STEP),
            stepped,
        )
    } else if execute_bytes > PACKET_DATA_SIZE {
        let (writes, tables) = through_holder();
        (
            Path::Holder,
            writes + tables + 1,
            single + CU_PER_HOLDER_WRITE * writes,
        )
    } else {
        (Path::Execute, 1, single)
    };
    Estimate {
        path,
        solana_txs,
        compute_units,
        execute_bytes,
    }
}

/// On a chain whose senders pay their Solana costs, refuses a transaction whose payment (its gas
/// at its price, Solana costs included) would not cover what relaying it costs the operator: the
/// rent of what it creates and the fees of the Solana transactions `plan` expects, each paying
/// `priority_fee` micro-lamports a compute unit. Checked before anything is sent, so an operator
/// never pays for an underpriced transaction; `Err` says why, for the sender.
pub fn check_fees(plan: &Estimate, emulation: &Emulation, priority_fee: u64) -> Result<(), String> {
    if !emulation.fee_market.charge_solana_costs {
        return Ok(());
    }
    let Some(result) = emulation.finished() else {
        return Ok(());
    };
    let wei = U256::from(result.gas_used) * emulation.gas_price;
    let paid = wei / U256::from(WEI_PER_LAMPORT);
    let per_transaction = instructions::fee_per_transaction(priority_fee);
    let costs = plan
        .solana_txs
        .saturating_mul(per_transaction)
        .saturating_add(emulation.rent);
    if paid < U256::from(costs) {
        return Err(format!(
            "transaction underpriced: its gas pays {paid} lamports and relaying it costs {costs} \
             ({} rent, {} Solana transactions at {per_transaction} lamports with a priority fee of \
             {priority_fee} micro-lamports a compute unit); raise its gas price",
            emulation.rent, plan.solana_txs
        ));
    }
    Ok(())
}

/// Why a transaction has no receipt. Either way its nonce was not used on chain.
#[derive(Debug)]
pub enum RelayError {
    /// The emulator refuses it (nonce, balance, fee cap...): nothing was sent.
    Invalid(String),
    /// The chain refused it.
    Refused(String),
    /// Not now: a contract it runs is at its compute cap for this slot (the program would refuse
    /// it after running it, the operator paying the fee). Nothing was sent; a later slot takes it.
    Busy(String),
}

impl std::fmt::Display for RelayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelayError::Invalid(why) => write!(f, "invalid transaction: {why}"),
            RelayError::Refused(why) => write!(f, "refused on chain: {why}"),
            RelayError::Busy(why) => write!(f, "not in this slot: {why}"),
        }
    }
}

impl std::error::Error for RelayError {}

/// Runs `raw` as `operator` on `chain` (the embedded LiteSVM or a cluster), emulating it first.
pub fn relay<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    raw: &[u8],
) -> Result<Relayed, RelayError> {
    let emulation = emulate(&*chain, &operator.pubkey(), raw)
        .map_err(|e| RelayError::Invalid(e.to_string()))?;
    relay_emulated(chain, operator, raw, &emulation)
}

/// [`relay`] of a transaction already decoded ([`isthmus_client::emulate::decode_incoming`]):
/// its signature is not recovered again.
pub fn relay_decoded<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    raw: &[u8],
    incoming: Incoming,
) -> Result<Relayed, RelayError> {
    let emulation = emulate_decoded(&*chain, &operator.pubkey(), incoming)
        .map_err(|e| RelayError::Invalid(e.to_string()))?;
    relay_emulated(chain, operator, raw, &emulation)
}

/// [`relay`] of a transaction already emulated on the chain as it is now.
pub fn relay_emulated<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    raw: &[u8],
    emulation: &Emulation,
) -> Result<Relayed, RelayError> {
    match &emulation.outcome {
        RunOutcome::Done(_) => {}
        RunOutcome::Invalid(reason) => return Err(RelayError::Invalid(format!("{reason:?}"))),
        other => return Err(RelayError::Invalid(format!("emulation: {other:?}"))),
    }
    if let Some(resumed) = settle_holder(chain, operator, emulation)? {
        return Ok(resumed);
    }
    let plan = estimate(&operator.pubkey(), raw, emulation);
    check_fees(&plan, emulation, chain.priority_fee()).map_err(RelayError::Invalid)?;
    let mut relayed = single_shot(chain, operator, raw, emulation, &plan)?;
    relayed.differences = differences(&*chain, emulation, &relayed.receipt);
    if !relayed.differences.is_empty() {
        tracing::warn!(differences = ?relayed.differences, "on-chain run differs from the emulation");
    }
    Ok(relayed)
}

/// Whether a refused `execute`/`execute_from_holder` would run through `step`s: it ran out of
/// compute or of its 256 KiB heap, or created code too large to store in one instruction.
pub fn needs_steps(f: &Failure) -> bool {
    f.out_of_compute()
        || f.logs
            .iter()
            .any(|l| l.contains("Panicked") && l.contains("alloc"))
        || f.program_error() == Some(ProgramError::CodeNeedsSteps)
}

/// Relays along `plan` ([`estimate`]): steps straight away, or `execute` (through a holder when
/// it does not fit a packet), falling back to steps when that runs out of compute or heap.
fn single_shot<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    raw: &[u8],
    emulation: &Emulation,
    plan: &Estimate,
) -> Result<Relayed, RelayError> {
    let payer = operator.pubkey();
    // Far over one instruction's compute by the emulator's count: straight to steps, rather than
    // paying for an `execute` that would run out of compute.
    if plan.path == Path::Steps {
        return stepped(chain, operator, raw, emulation, 0, 0);
    }
    check_caps(&*chain, emulation)?;
    let mut lookup_tables = Vec::new();
    let (first, path, solana_txs, setup_cu) = if plan.execute_bytes <= PACKET_DATA_SIZE {
        let mut ixs = instructions::budget();
        ixs.push(instructions::execute(
            &payer,
            raw,
            emulation.to,
            &emulation.metas,
        ));
        (chain.send(&ixs, operator, &[]), Path::Execute, 1, 0)
    } else {
        let written = holder::write(chain, operator, 0, raw)?;
        let mut ixs = instructions::budget();
        ixs.push(instructions::execute_from_holder(
            &payer,
            &written.holder,
            emulation.to,
            &emulation.metas,
        ));
        // A table is added to the chain's lookup tables only once it is complete.
        let (tables, table_cu) = lookup::table_if_needed(chain, operator, &ixs)?;
        let sent = chain.send(&ixs, operator, &[]);
        let (released, releases, release_cu) = lookup::release(chain, operator);
        lookup_tables = released;
        let setup_cu = written.compute_units + table_cu + release_cu;
        (
            sent,
            Path::Holder,
            written.solana_txs + tables + releases + 1,
            setup_cu,
        )
    };
    match first {
        Ok(done) => Ok(Relayed {
            receipt: receipt_of(&done.logs)?,
            path,
            solana_txs,
            compute_units: setup_cu + done.cu,
            steps: 0,
            logs: done.logs,
            differences: Vec::new(),
            lookup_tables,
        }),
        Err(f) if needs_steps(&f) => {
            // The refused attempt's compute is charged on a cluster too.
            let spent = setup_cu + logs::program_cu(&f.logs);
            let mut relayed = stepped(chain, operator, raw, emulation, solana_txs, spent)?;
            relayed.lookup_tables.extend(lookup_tables);
            Ok(relayed)
        }
        Err(f) => Err(RelayError::Refused(f.describe())),
    }
}

/// The accounts `cancel` needs: the sender's EthAccount and the operator's (its COINBASE), both
/// writable; few enough for any legacy transaction.
fn cancel_accounts(operator: &Keypair, sender: Option<[u8; 20]>) -> Vec<AccountMeta> {
    let operator_eth = operator_eth_address(&operator.pubkey());
    let mut accounts: Vec<AccountMeta> = Vec::new();
    if let Some(sender) = sender {
        accounts.push(AccountMeta::new(pda::account(&sender).0, false));
    }
    if sender != Some(operator_eth) {
        accounts.push(AccountMeta::new(pda::account(&operator_eth).0, false));
    }
    accounts
}

/// Refuses, before anything is sent, a transaction run whole (one instruction) that would take a
/// contract it runs over its compute cap in this slot: `Busy` while the slot's usage is what
/// stands in the way, `Invalid` when its gas alone is over the cap. The emulator's gas is the
/// program's, so the program's own check would refuse exactly these after running them.
fn check_caps<S: Solana>(chain: &S, emulation: &Emulation) -> Result<(), RelayError> {
    use isthmus_client::interface::fee_market::compute_of_gas;
    // The EVM's gas: a charging chain's Solana costs are not compute.
    let Some(gas) = emulation.evm_gas() else {
        return Ok(());
    };
    let cap = emulation.fee_market.contract_compute_cap;
    let charge = compute_of_gas(gas);
    if charge > cap {
        return Err(RelayError::Invalid(format!(
            "{gas} gas counts {charge} compute units, over a contract's cap of {cap} a slot"
        )));
    }
    let slot = chain.clock().slot;
    let to = emulation.to.unwrap_or([0; 20]);
    for contract in std::iter::once(&to).chain(&emulation.fee_markets) {
        let market = isthmus_client::accounts::fee_market(chain, contract)
            .map_err(|e| RelayError::Invalid(format!("a fee market does not decode: {e}")))?;
        if let Some(m) = market.filter(|m| m.last_slot == slot) {
            if m.used + charge > cap {
                return Err(RelayError::Busy(format!(
                    "contract {} has used {} of its {cap} compute units in slot {slot}",
                    hex(contract),
                    m.used
                )));
            }
        }
    }
    Ok(())
}

fn receipt_of(logs: &[String]) -> Result<Receipt, RelayError> {
    logs::receipt(logs)
        .map_err(|e| RelayError::Refused(format!("the receipt does not decode: {e}")))?
        .ok_or_else(|| RelayError::Refused("no receipt in the logs".into()))
}

/// Holder + `step`s to the end; `cancel` when the steps cannot finish.
fn stepped<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    raw: &[u8],
    emulation: &Emulation,
    already: usize,
    spent: u64,
) -> Result<Relayed, RelayError> {
    let written = holder::write(chain, operator, 0, raw)?;
    let run = steps::to_end(
        chain,
        operator,
        &written.holder,
        0,
        &emulation.metas,
        MAX_STEPS,
    );
    match run {
        Ok(run) => Ok(Relayed {
            receipt: run.receipt,
            path: Path::Steps,
            solana_txs: already + written.solana_txs + run.steps,
            compute_units: spent + written.compute_units + run.total_cu,
            steps: run.steps,
            logs: run.logs,
            differences: Vec::new(),
            lookup_tables: run.lookup_tables,
        }),
        Err(why) => {
            tracing::warn!(%why, "steps could not finish: cancelling");
            let accounts = cancel_accounts(operator, Some(emulation.sender));
            holder::cancel(chain, operator, &accounts, already + written.solana_txs)
        }
    }
}

/// The operator's holder 0 may still hold a stepped transaction from before (the relayer
/// stopped mid-way, or a `cancel` failed). The same transaction is stepped on to its end (that is
/// how a restarted relayer resumes it); another one is cancelled, so the holder is free again.
fn settle_holder<S: Solana>(
    chain: &mut S,
    operator: &Keypair,
    emulation: &Emulation,
) -> Result<Option<Relayed>, RelayError> {
    let Some((header, data)) = holder::busy(&*chain, &operator.pubkey(), 0) else {
        return Ok(None);
    };
    let holder_key = pda::holder(&operator.pubkey(), 0);
    if header.tx_hash == emulation.tx_hash {
        tracing::info!("resuming the transaction in the holder");
        let run = steps::to_end(chain, operator, &holder_key, 0, &emulation.metas, MAX_STEPS);
        return match run {
            Ok(run) => Ok(Some(Relayed {
                receipt: run.receipt,
                path: Path::Steps,
                solana_txs: run.steps,
                compute_units: run.total_cu,
                steps: run.steps,
                logs: run.logs,
                differences: Vec::new(),
                lookup_tables: run.lookup_tables,
            })),
            Err(_) => holder::cancel(
                chain,
                operator,
                &cancel_accounts(operator, Some(emulation.sender)),
                0,
            )
            .map(Some),
        };
    }
    // Another transaction: cancel it with its sender's and the operator's accounts.
    let stale = holder_layout::raw_transaction(&data, &header);
    let sender = isthmus_client::emulate::decode_incoming(stale)
        .ok()
        .map(|incoming| incoming.sender);
    let accounts = cancel_accounts(operator, sender);
    tracing::warn!(stale = %hex(&header.tx_hash), "the holder holds another transaction: cancelling it");
    holder::cancel(chain, operator, &accounts, 0)?;
    Ok(None)
}
