//! Holders: writing a transaction too large for one Solana transaction into the operator's
//! holder, growing it for the saved machine, and settling a holder a stopped relayer left busy.

use crate::{RelayError, Relayed};
use isthmus_client::interface::account::holder::{self, HolderHeader};
use isthmus_client::{accounts, instructions, logs, pda, Solana};
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Bytes a new holder starts with (what one instruction may create).
pub const INITIAL_LEN: u32 = holder::MAX_GROWTH as u32;

/// What writing a holder took.
#[derive(Debug)]
pub struct Written {
    pub holder: Address,
    /// Solana transactions sent and the program's compute units over them.
    pub solana_txs: usize,
    pub compute_units: u64,
}

fn refused(what: &str) -> impl Fn(isthmus_client::Failure) -> RelayError + '_ {
    move |f| RelayError::Refused(format!("{what}: {}", f.describe()))
}

/// Creates the operator's holder `index` if needed, writes `raw` into it in chunks and grows it
/// to leave room for the saved machine.
pub fn write<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    index: u64,
    raw: &[u8],
) -> Result<Written, RelayError> {
    let key = operator.pubkey();
    let holder = pda::holder(&key, index);
    let mut written = Written {
        holder,
        solana_txs: 0,
        compute_units: 0,
    };
    if chain.get_account(&holder).is_none() {
        let done = chain
            .send(
                &[instructions::holder_create(
                    &key,
                    &holder,
                    index,
                    INITIAL_LEN,
                )],
                operator,
                &[],
            )
            .map_err(refused("holder_create"))?;
        written.solana_txs += 1;
        written.compute_units += done.cu;
    }
    for (i, chunk) in raw.chunks(holder::WRITE_CHUNK).enumerate() {
        let offset = (i * holder::WRITE_CHUNK) as u32;
        let done = chain
            .send(
                &[instructions::holder_write(&key, &holder, offset, chunk)],
                operator,
                &[],
            )
            .map_err(refused("holder_write"))?;
        written.solana_txs += 1;
        written.compute_units += done.cu;
    }
    // Room for the saved machine beside the transaction (a holder grows by at most 10 KiB an
    // instruction).
    let want = holder::HEADER + 3 * raw.len() + 16 * 1024;
    while len(chain, &holder)? < want {
        written.compute_units += grow(chain, operator, &holder, want)?;
        written.solana_txs += 1;
    }
    Ok(written)
}

fn len<S: Solana + ?Sized>(chain: &S, holder: &Address) -> Result<usize, RelayError> {
    chain
        .get_account(holder)
        .map(|a| a.data.len())
        .ok_or_else(|| RelayError::Refused("the holder disappeared".into()))
}

/// `holder_resize` instructions in one growing transaction: a machine that outgrew its holder
/// once usually goes on growing (its memory), and each further pause costs a step and a
/// transaction; the extra 10 KiB's rent stays the operator's (back at `holder_delete`).
pub const RESIZES_PER_GROWTH: usize = 2;

/// Grows the holder by [`RESIZES_PER_GROWTH`] times the 10 KiB one instruction may add (at most to
/// `limit` bytes), in one Solana transaction; returns the compute it took.
pub fn grow<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    holder: &Address,
    limit: usize,
) -> Result<u64, RelayError> {
    let now = len(chain, holder)?;
    // Each target at most `limit` (and the holder's maximum): equal ones collapse to one.
    let mut sizes: Vec<usize> = (1..=RESIZES_PER_GROWTH)
        .map(|n| {
            (now + n * holder::MAX_GROWTH)
                .min(limit)
                .min(holder::MAX_LEN)
        })
        .filter(|&size| size > now)
        .collect();
    sizes.dedup();
    let resizes: Vec<_> = sizes
        .into_iter()
        .map(|size| instructions::holder_resize(&operator.pubkey(), holder, size as u32))
        .collect();
    if resizes.is_empty() {
        return Err(RelayError::Refused(
            "the holder is as large as it may be".into(),
        ));
    }
    chain
        .send(&resizes, operator, &[])
        .map(|done| done.cu)
        .map_err(refused("holder_resize"))
}

/// The operator's holder `index` if it runs an iterative transaction: its header and bytes.
pub fn busy<S: Solana + ?Sized>(
    chain: &S,
    operator: &Address,
    index: u64,
) -> Option<(HolderHeader, Vec<u8>)> {
    accounts::holder(chain, &pda::holder(operator, index))
        .ok()
        .flatten()
        .filter(|(header, _)| header.is_running())
}

/// `cancel`s the operator's holder 0 with `evm_accounts` (the sender's and the operator's
/// EthAccounts): the nonce is used and the gas so far charged.
pub fn cancel<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    evm_accounts: &[solana_instruction::AccountMeta],
    already: usize,
) -> Result<Relayed, RelayError> {
    let holder = pda::holder(&operator.pubkey(), 0);
    // The 256 KiB heap too: cancel decodes the paused machine, which can hold as much memory as
    // a step does (the default 32 KiB heap cannot).
    let mut ixs = instructions::budget();
    ixs.push(instructions::cancel(
        &operator.pubkey(),
        &holder,
        evm_accounts,
    ));
    let done = chain.send(&ixs, operator, &[]).map_err(refused("cancel"))?;
    let receipt = logs::receipt(&done.logs)
        .map_err(|e| RelayError::Refused(format!("cancel's receipt: {e}")))?
        .ok_or_else(|| RelayError::Refused("cancel left no receipt".into()))?;
    Ok(Relayed {
        receipt,
        path: crate::Path::Cancelled,
        solana_txs: already + 1,
        compute_units: done.cu,
        steps: 0,
        logs: done.logs,
        differences: Vec::new(),
        lookup_tables: Vec::new(),
    })
}
