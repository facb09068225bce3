//! The relayer: carries one signed Ethereum transaction into the Solana transactions that run it,
//! signed and paid by the operator, the way `Harness::run_raw` does in the tests but reporting
//! failures instead of panicking:
//!
//! 1. one `execute` (with compute-budget instructions) when the transaction fits a packet;
//! 2. else the raw transaction written into the operator's holder and one `execute_from_holder`,
//!    through an address lookup table when its accounts do not fit a legacy message;
//! 3. when one instruction's compute or heap is not enough, `step`s to the end;
//! 4. a stepped transaction that cannot finish is `cancel`led, so its nonce is used and the
//!    operator is paid for what ran: nothing accepted is left hanging.
//!
//! A refused `execute` changes nothing on chain, so each fallback is safe. The accounts come from
//! the emulator (`isthmus_client::emulate`).

pub mod cluster;

use isthmus_client::contracts::{needs_steps, transaction_size, PACKET_DATA_SIZE};
use isthmus_client::emulate::hex;
use isthmus_client::emulate::{differences, emulate, Emulation};
use isthmus_client::holder::{
    cancel_ix, execute_from_holder_ix, has_receipt, holder_pda, HolderHeader, HOLDER_HEADER,
};
use isthmus_client::{account_pda, discriminator, operator_eth_address};
use isthmus_client::{budget_ixs, execute_ix, ix, receipt, Receipt, Relaying, Solana};
use isthmus_evm::RunOutcome;
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `Holder.status` of a holder whose transaction has begun and not finished
/// (programs/isthmus/src/state/holder.rs).
const STATUS_RUNNING: u8 = 1;

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
    /// Where the on-chain run differed from the emulation (should be empty; logged if not).
    pub differences: Vec<String>,
}

/// What the relayer expects a transaction to take, from its emulation (`isthmus_emulate`).
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub path: Path,
    /// Solana transactions: holder writes, and one execute or the steps.
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
pub const CU_BASE: u64 = 58_000;
pub const CU_PER_OPCODE: u64 = 74;
pub const CU_PER_OPCODE_STEPPED: u64 = 81;
pub const CU_PER_ACCOUNT: u64 = 3_000;
pub const CU_PER_HOLDER_WRITE: u64 = 6_000;
pub const CU_PER_STEP: u64 = 1_080_000;
/// Over this, one `execute` is not expected to fit (1.4M less a margin; near it the relay tries
/// `execute` first and falls back to steps, so a wrong guess costs one refused transaction).
pub const CU_SINGLE: u64 = 1_350_000;

/// The path, Solana transactions and compute [`relay`] is expected to take for `raw`, from its
/// `emulation`.
pub fn estimate(operator: &Address, raw: &[u8], emulation: &Emulation) -> Estimate {
    let mut ixs = budget_ixs();
    ixs.push(execute_ix(operator, raw, &emulation.metas));
    let execute_bytes = transaction_size(&ixs, operator);
    let fixed = CU_BASE + CU_PER_ACCOUNT * emulation.metas.len() as u64;
    let single = fixed + CU_PER_OPCODE * emulation.opcodes;
    let writes = raw.len().div_ceil(isthmus_client::holder::CHUNK) as u64 + 1;
    let (path, solana_txs, compute_units) = if single > CU_SINGLE {
        let stepped =
            fixed + CU_PER_OPCODE_STEPPED * emulation.opcodes + CU_PER_HOLDER_WRITE * writes;
        (Path::Steps, writes + stepped.div_ceil(CU_PER_STEP), stepped)
    } else if execute_bytes > PACKET_DATA_SIZE {
        (
            Path::Holder,
            writes + 1,
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

/// Why a transaction has no receipt. Either way its nonce was not used on chain.
#[derive(Debug)]
pub enum RelayError {
    /// The emulator refuses it (nonce, balance, fee cap...): nothing was sent.
    Invalid(String),
    /// The chain refused it.
    Refused(String),
}

impl std::fmt::Display for RelayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelayError::Invalid(why) => write!(f, "invalid transaction: {why}"),
            RelayError::Refused(why) => write!(f, "refused on chain: {why}"),
        }
    }
}

/// Runs `raw` as `operator` on `h` (the embedded LiteSVM or a cluster).
pub fn relay<S: Solana>(h: &mut S, operator: &Keypair, raw: &[u8]) -> Result<Relayed, RelayError> {
    let emulation = emulate(&*h, &operator.pubkey(), raw);
    match &emulation.outcome {
        RunOutcome::Done(_) => {}
        RunOutcome::Invalid(reason) => return Err(RelayError::Invalid(format!("{reason:?}"))),
        other => return Err(RelayError::Invalid(format!("emulation: {other:?}"))),
    }
    if let Some(resumed) = settle_holder(h, operator, &emulation)? {
        return Ok(resumed);
    }
    let mut relayed = single_shot(h, operator, raw, &emulation)?;
    relayed.differences = differences(&*h, &emulation, &relayed.receipt);
    if !relayed.differences.is_empty() {
        tracing::warn!(differences = ?relayed.differences, "on-chain run differs from the emulation");
    }
    Ok(relayed)
}

fn single_shot<S: Solana>(
    h: &mut S,
    operator: &Keypair,
    raw: &[u8],
    emulation: &Emulation,
) -> Result<Relayed, RelayError> {
    let payer = operator.pubkey();
    let mut ixs = budget_ixs();
    ixs.push(execute_ix(&payer, raw, &emulation.metas));
    let (first, path, solana_txs) = if transaction_size(&ixs, &payer) <= PACKET_DATA_SIZE {
        (h.send(&ixs, operator, &[]), Path::Execute, 1)
    } else {
        let (holder, writes, _) = guarded("holder write", || h.write_holder(operator, 0, raw))?;
        let to = ix::tx_to(raw).unwrap_or([0; 20]);
        let mut ixs = budget_ixs();
        ixs.push(execute_from_holder_ix(
            &payer,
            &holder,
            &to,
            &emulation.metas,
        ));
        let (tables, _) = guarded("lookup table", || h.lookup_table_if_needed(operator, &ixs))?;
        let sent = h.send(&ixs, operator, &[]);
        h.lookup_tables().clear();
        (sent, Path::Holder, writes + tables + 1)
    };
    match first {
        Ok(done) => Ok(Relayed {
            receipt: receipt(&done.logs),
            path,
            solana_txs,
            compute_units: done.cu,
            differences: Vec::new(),
        }),
        Err(f) if needs_steps(&f) => steps(h, operator, raw, emulation, solana_txs),
        Err(f) => Err(RelayError::Refused(format!(
            "{:?}: {}",
            f.err,
            f.logs
                .iter()
                .filter(|l| l.contains("Error") || l.contains("failed"))
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// Holder + `step`s to the end; `cancel` when the steps cannot finish.
fn steps<S: Solana>(
    h: &mut S,
    operator: &Keypair,
    raw: &[u8],
    emulation: &Emulation,
    already: usize,
) -> Result<Relayed, RelayError> {
    let (holder, writes, _) = guarded("holder write", || h.write_holder(operator, 0, raw))?;
    let run = guarded("steps", || {
        h.step_to_end(operator, &holder, 0, &emulation.metas, MAX_STEPS)
    });
    match run {
        Ok(run) => Ok(Relayed {
            receipt: run.receipt,
            path: Path::Steps,
            solana_txs: already + writes + run.steps,
            compute_units: run.total_cu,
            differences: Vec::new(),
        }),
        Err(why) => {
            tracing::warn!(%why, "steps could not finish: cancelling");
            cancel(h, operator, emulation, already + writes)
        }
    }
}

/// The operator's holder 0 may still hold a stepped transaction from before (the relayer
/// stopped mid-way, or a `cancel` failed). The same transaction is stepped on to its end (that is
/// how a restarted relayer resumes it); another one is cancelled, so the holder is free again.
fn settle_holder<S: Solana>(
    h: &mut S,
    operator: &Keypair,
    emulation: &Emulation,
) -> Result<Option<Relayed>, RelayError> {
    let holder = holder_pda(&operator.pubkey(), 0);
    let Some(account) = h.get_account(&holder) else {
        return Ok(None);
    };
    if account.data.len() < HOLDER_HEADER || account.data[..8] != discriminator("account", "Holder")
    {
        return Ok(None);
    }
    let header = HolderHeader::decode(&account.data);
    if header.status != STATUS_RUNNING {
        return Ok(None);
    }
    if header.tx_hash == emulation.tx_hash {
        tracing::info!("resuming the transaction in the holder");
        let run = guarded("steps", || {
            h.step_to_end(operator, &holder, 0, &emulation.metas, MAX_STEPS)
        });
        return match run {
            Ok(run) => Ok(Some(Relayed {
                receipt: run.receipt,
                path: Path::Steps,
                solana_txs: run.steps,
                compute_units: run.total_cu,
                differences: Vec::new(),
            })),
            Err(_) => cancel(h, operator, emulation, 0).map(Some),
        };
    }
    // Another transaction: cancel it with its sender's and the operator's accounts.
    let tx_end = HOLDER_HEADER + header.tx_len as usize;
    let stale = account.data.get(HOLDER_HEADER..tx_end).unwrap_or_default();
    let sender = isthmus_evm::transaction::decode(stale, &isthmus_evm::HostCrypto)
        .ok()
        .and_then(|mut t| t.recover_sender(&isthmus_evm::HostCrypto).ok());
    let operator_eth = operator_eth_address(&operator.pubkey());
    let mut extra = Vec::new();
    if let Some(sender) = sender {
        extra.push(AccountMeta::new(account_pda(&sender).0, false));
    }
    if sender != Some(operator_eth) {
        extra.push(AccountMeta::new(account_pda(&operator_eth).0, false));
    }
    tracing::warn!(stale = %hex(&header.tx_hash), "the holder holds another transaction: cancelling it");
    h.send(
        &[cancel_ix(&operator.pubkey(), &holder, &extra)],
        operator,
        &[],
    )
    .map_err(|f| {
        RelayError::Refused(format!("cancelling the holder's transaction: {:?}", f.err))
    })?;
    Ok(None)
}

/// `cancel`s the operator's holder 0: the nonce is used and the gas so far charged.
fn cancel<S: Solana>(
    h: &mut S,
    operator: &Keypair,
    emulation: &Emulation,
    already: usize,
) -> Result<Relayed, RelayError> {
    let holder = holder_pda(&operator.pubkey(), 0);
    let done = h
        .send(
            &[cancel_ix(&operator.pubkey(), &holder, &emulation.metas)],
            operator,
            &[],
        )
        .map_err(|f| RelayError::Refused(format!("cancel: {:?}", f.err)))?;
    if !has_receipt(&done.logs) {
        return Err(RelayError::Refused("cancel left no receipt".into()));
    }
    Ok(Relayed {
        receipt: receipt(&done.logs),
        path: Path::Cancelled,
        solana_txs: already + 1,
        compute_units: done.cu,
        differences: Vec::new(),
    })
}

/// The harness's holder and step helpers panic on a refused Solana transaction; here that is an
/// error the relayer handles.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, RelayError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        RelayError::Refused(format!("{what}: {msg}"))
    })
}
