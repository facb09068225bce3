//! Iterative execution: `step`s of the holder's transaction, each in a slot of its own, until
//! its receipt appears; the holder grown when the saved machine needs more room.
//!
//! How many opcodes a step runs is the relayer's choice (the program cannot read the compute it
//! has left on mainnet-beta): it starts at [`FIRST_STEP_OPCODES`], halves the number when a step
//! runs out of compute (on a cluster a refusal in the RPC node's preflight simulation, which
//! changes nothing and costs nothing; in LiteSVM a failed transaction, its fee charged), and after
//! each step scales it toward [`TARGET_STEP_CU`] by the compute that
//! step used (at most doubling it).

use crate::RelayError;
use isthmus_client::interface::event::{pause, Receipt};
use isthmus_client::interface::ProgramError;
use isthmus_client::{accounts, instructions, logs, Failure, Solana, Success};
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Opcodes the first step of a transaction runs (~1M CU at the ~80 CU an average opcode takes).
pub const FIRST_STEP_OPCODES: u64 = 12_000;
/// The compute a step aims at, of the 1.4M it requests: the margin absorbs opcodes dearer than
/// the previous step's.
pub const TARGET_STEP_CU: u64 = 1_150_000;
/// Out-of-compute refusals in a row before the relayer gives up on a transaction.
const MAX_SHRINKS: u32 = 20;
/// Steps in a row without an opcode run before the relayer gives up on a transaction.
const MAX_STALLS: u32 = 3;

/// What running one transaction through steps took.
#[derive(Debug)]
pub struct Iterated {
    pub receipt: Receipt,
    /// Solana transactions of `step` (and `holder_resize` when the saved machine outgrew the
    /// holder, and the refused step before it), not counting the holder writes.
    pub steps: usize,
    /// Compute units of every step together (refused ones included), and of the largest one.
    pub total_cu: u64,
    pub max_cu: u64,
    pub restarts: u32,
    /// The logs of the step that finished it.
    pub logs: Vec<String>,
    /// Lookup tables made for it, deactivated ([`crate::lookup::release`]).
    pub lookup_tables: Vec<Address>,
}

/// The `to` of the transaction in a holder (`None` for a creation or an undecodable one).
pub fn holder_tx_to<S: Solana + ?Sized>(chain: &S, holder: &Address) -> Option<[u8; 20]> {
    let (header, data) = accounts::holder(chain, holder).ok()??;
    let raw = isthmus_client::interface::account::holder::raw_transaction(&data, &header);
    isthmus_client::emulate::decode_incoming(raw)
        .ok()
        .and_then(|incoming| incoming.signed.tx.to)
}

/// A `step` of the holder's transaction (to `to`) with the compute-budget instructions.
fn step_instructions(
    operator: &Keypair,
    holder: &Address,
    to: Option<[u8; 20]>,
    max_steps: u64,
    evm_accounts: &[AccountMeta],
) -> Vec<Instruction> {
    let mut ixs = instructions::budget();
    ixs.push(instructions::step(
        &operator.pubkey(),
        holder,
        to,
        max_steps,
        evm_accounts,
    ));
    ixs
}

/// One `step` with the compute-budget instructions.
pub fn step<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    holder: &Address,
    max_steps: u64,
    evm_accounts: &[AccountMeta],
) -> Result<Success, Failure> {
    let to = holder_tx_to(chain, holder);
    let ixs = step_instructions(operator, holder, to, max_steps, evm_accounts);
    chain.send(&ixs, operator, &[])
}

/// Steps the holder's transaction until its receipt appears (at most `limit` steps), each step
/// running `max_steps` opcodes (0: as many as fit its compute, found as the module says).
pub fn to_end<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    holder: &Address,
    max_steps: u64,
    evm_accounts: &[AccountMeta],
    limit: usize,
) -> Result<Iterated, RelayError> {
    // The holder's transaction (and so its `to`) does not change while it runs: read it once.
    let to = holder_tx_to(chain, holder);
    let build = |budget: u64| step_instructions(operator, holder, to, budget, evm_accounts);
    // A step naming more accounts than a legacy transaction holds goes through a lookup table
    // (its transactions count as steps here).
    let (tables, table_cu) = crate::lookup::table_if_needed(chain, operator, &build(1))?;
    let run = steps_to_receipt(chain, operator, holder, &build, max_steps, limit);
    let (released, releases, release_cu) = crate::lookup::release(chain, operator);
    let mut run = run?;
    run.steps += tables + releases;
    run.total_cu += table_cu + release_cu;
    run.lookup_tables = released;
    Ok(run)
}

/// Sends steps (`build(opcodes)` makes one) until the receipt appears, growing `holder` when
/// asked; `fixed` opcodes a step, or (0) as many as fit.
fn steps_to_receipt<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    holder: &Address,
    build: &dyn Fn(u64) -> Vec<Instruction>,
    fixed: u64,
    limit: usize,
) -> Result<Iterated, RelayError> {
    let (mut total_cu, mut max_cu, mut restarts, mut resizes) = (0, 0, 0, 0);
    let mut budget = if fixed > 0 { fixed } else { FIRST_STEP_OPCODES };
    let mut shrinks = 0;
    // Steps in a row that ran no opcode (the same count, no restart): a machine that cannot
    // move in a step's heap never will, and each step costs the operator a fee.
    let (mut last_opcodes, mut stalls) = (None, 0);
    let mut n = 0;
    while n < limit {
        n += 1;
        // Each step in a slot of its own, as on a cluster, where a contract may use a quarter
        // of a slot's compute.
        chain.next_slot();
        let done = match chain.send(&build(budget), operator, &[]) {
            Ok(done) => done,
            // Too many opcodes for one step's compute: fewer, and the same step again.
            Err(f) if fixed == 0 && f.out_of_compute() && budget > 1 && shrinks < MAX_SHRINKS => {
                budget = (budget / 2).max(1);
                shrinks += 1;
                n -= 1;
                continue;
            }
            // The saved machine outgrew the holder by more than an instruction may grow it:
            // grow it (10 KiB at a time) and step again.
            Err(f) if f.program_error() == Some(ProgramError::HolderTooSmall) => {
                // The failed step's compute counts too: a cluster charges it.
                let failed_cu = logs::program_cu(&f.logs);
                total_cu += failed_cu;
                max_cu = max_cu.max(failed_cu);
                total_cu += crate::holder::grow(chain, operator, holder, usize::MAX)?;
                resizes += 1;
                continue;
            }
            Err(f) => return Err(RelayError::Refused(format!("step {n}: {}", f.describe()))),
        };
        shrinks = 0;
        total_cu += done.cu;
        max_cu = max_cu.max(done.cu);
        let progress = logs::step_progress(&done.logs);
        if let Some(p) = &progress {
            restarts = p.restarts;
            if fixed == 0 && p.pause == pause::MAX_STEPS && done.tx_cu > 0 {
                let scaled = budget as u128 * TARGET_STEP_CU as u128 / done.tx_cu as u128;
                budget = (scaled as u64).clamp(budget / 2, budget * 2).max(1);
            }
        }
        if let Some(p) = progress.as_ref().filter(|p| p.pause != pause::HOLDER_FULL) {
            let now = (p.steps, p.restarts);
            stalls = if last_opcodes == Some(now) {
                stalls + 1
            } else {
                0
            };
            last_opcodes = Some(now);
            if stalls >= MAX_STALLS {
                return Err(RelayError::Refused(format!(
                    "step {n}: no opcode ran in {MAX_STALLS} steps in a row (pause {}: the \
                     transaction needs more than a step's 256 KiB heap holds)",
                    p.pause
                )));
            }
        }
        if progress.is_some_and(|p| p.pause == pause::HOLDER_FULL) {
            // The step paused before its machine outgrew the holder: grow it.
            total_cu += crate::holder::grow(chain, operator, holder, usize::MAX)?;
            resizes += 1;
        }
        let receipt = logs::receipt(&done.logs)
            .map_err(|e| RelayError::Refused(format!("step {n}'s receipt: {e}")))?;
        if let Some(receipt) = receipt {
            return Ok(Iterated {
                receipt,
                steps: n + resizes,
                total_cu,
                max_cu,
                restarts,
                logs: done.logs,
                lookup_tables: Vec::new(),
            });
        }
    }
    Err(RelayError::Refused(format!(
        "no receipt after {limit} steps ({restarts} restarts, budget {budget} opcodes)"
    )))
}
