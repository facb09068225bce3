//! Address lookup tables, for an `execute_from_holder` or `step` whose accounts do not fit a
//! legacy transaction: [`Solana::send`] then compiles v0 transactions through them.
//!
//! A table belongs to the operator that made it (its authority), lives for one transaction, and
//! costs rent (~0.01 SOL for 40 addresses): [`release`] deactivates the tables once the
//! transaction is done, and [`close_deactivated`] closes them (rent back to the operator) once the
//! runtime lets it, when the deactivation slot has left SlotHashes (~513 slots on a cluster). The
//! relayer keeps no state: it hands the deactivated tables back in `Relayed::lookup_tables` for
//! its caller to close later.

use crate::RelayError;
use isthmus_client::solana::{transaction_size, PACKET_DATA_SIZE};
use isthmus_client::{Solana, SLOT_HASHES};
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Addresses one `extend_lookup_table` carries (a packet's worth).
const EXTEND_CHUNK: usize = 20;

/// Solana transactions a lookup table of `accounts` addresses takes over its life: its creation,
/// its extensions, its deactivation and its closing.
pub fn transactions_for(accounts: usize) -> u64 {
    3 + accounts.div_ceil(EXTEND_CHUNK) as u64
}

/// When `ixs` do not fit a legacy transaction's 1,232 bytes, creates a lookup table of every
/// account of the last instruction but its signers. Returns the Solana transactions and compute
/// units that took (none when not needed).
pub fn table_if_needed<S: Solana + ?Sized>(
    chain: &mut S,
    payer: &Keypair,
    ixs: &[Instruction],
) -> Result<(usize, u64), RelayError> {
    if transaction_size(ixs, &payer.pubkey()) <= PACKET_DATA_SIZE {
        return Ok((0, 0));
    }
    let addresses: Vec<Address> = ixs
        .last()
        .map(|ix| {
            ix.accounts
                .iter()
                .filter(|m| !m.is_signer)
                .map(|m| m.pubkey)
                .collect()
        })
        .unwrap_or_default();
    create_table(chain, payer, &addresses)
}

/// Creates a lookup table of `addresses` (`payer` its authority; it pays and signs), extends it
/// [`EXTEND_CHUNK`] addresses a transaction, moves one slot on so they are active, and adds it to
/// [`Solana::lookup_tables`]. Returns the Solana transactions and compute units it took.
pub fn create_table<S: Solana + ?Sized>(
    chain: &mut S,
    payer: &Keypair,
    addresses: &[Address],
) -> Result<(usize, u64), RelayError> {
    use solana_address_lookup_table_interface::instruction as alt;
    let refused = |what: &str, f: isthmus_client::Failure| {
        RelayError::Refused(format!("{what}: {}", f.describe()))
    };
    let authority = payer;
    // The table's address comes from a recent slot, one SlotHashes holds.
    let sysvar = chain
        .get_account(&SLOT_HASHES)
        .map(|a| a.data)
        .unwrap_or_default();
    // The table's address comes from (authority, slot): an operator making several tables in
    // one slot takes the newest slot none of its tables was made at.
    let recent_slot = isthmus_client::interface::block::slot_hashes(&sysvar)
        .map(|(slot, _)| slot)
        .find(|slot| {
            let (address, _) = alt::derive_lookup_table_address(&authority.pubkey(), *slot);
            chain.get_account(&address).is_none()
        })
        .ok_or_else(|| RelayError::Refused("no recent slot free for a lookup table".into()))?;
    let (create, table) = alt::create_lookup_table(authority.pubkey(), payer.pubkey(), recent_slot);
    let done = chain
        .send(&[create], payer, &[])
        .map_err(|f| refused("create_lookup_table", f))?;
    let (mut sent, mut cu) = (1, done.tx_cu);
    for chunk in addresses.chunks(EXTEND_CHUNK) {
        let extend = alt::extend_lookup_table(
            table,
            authority.pubkey(),
            Some(payer.pubkey()),
            chunk.to_vec(),
        );
        let done = chain
            .send(&[extend], payer, &[])
            .map_err(|f| refused("extend_lookup_table", f))?;
        sent += 1;
        cu += done.tx_cu;
    }
    chain.next_slot();
    chain
        .lookup_tables()
        .push(solana_message::AddressLookupTableAccount {
            key: table,
            addresses: addresses.to_vec(),
        });
    Ok((sent, cu))
}

/// Deactivates every table in [`Solana::lookup_tables`] (made by `operator` for the transaction
/// just done) and empties that list. Returns the tables (to [`close_deactivated`] later), the
/// Solana transactions and the compute units it took. A table that cannot be deactivated is only
/// logged: its transaction is done either way.
pub fn release<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
) -> (Vec<Address>, usize, u64) {
    use solana_address_lookup_table_interface::instruction as alt;
    let tables: Vec<Address> = chain.lookup_tables().drain(..).map(|t| t.key).collect();
    let (mut sent, mut cu) = (0, 0);
    for table in &tables {
        let deactivate = alt::deactivate_lookup_table(*table, operator.pubkey());
        match chain.send(&[deactivate], operator, &[]) {
            Ok(done) => {
                sent += 1;
                cu += done.tx_cu;
            }
            Err(f) => tracing::warn!(%table, why = %f.describe(), "deactivating a lookup table"),
        }
    }
    (tables, sent, cu)
}

/// Closes those of `tables` (deactivated by `operator`) that the runtime lets close now, their
/// rent to `operator`, and removes them from the list; the others (still deactivating, by the
/// runtime's rule, checked before sending) stay.
/// Returns the lamports recovered.
pub fn close_deactivated<S: Solana + ?Sized>(
    chain: &mut S,
    operator: &Keypair,
    tables: &mut Vec<Address>,
) -> u64 {
    use solana_address_lookup_table_interface::instruction as alt;
    let mut recovered = 0;
    let sysvar = chain
        .get_account(&SLOT_HASHES)
        .map(|a| a.data)
        .unwrap_or_default();
    let slot = chain.clock().slot;
    tables.retain(|table| {
        let Some(account) = chain.get_account(table) else {
            return false; // closed already
        };
        // The runtime's rule (a failed attempt would still cost its fee): deactivated in an
        // earlier slot that SlotHashes no longer holds.
        let deactivated = account
            .data
            .get(4..12)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .unwrap_or(u64::MAX);
        let closable = deactivated < slot
            && isthmus_client::interface::block::slot_hash_of(&sysvar, deactivated).is_none();
        if !closable {
            return true;
        }
        let close = alt::close_lookup_table(*table, operator.pubkey(), operator.pubkey());
        match chain.send(&[close], operator, &[]) {
            Ok(_) => {
                recovered += account.lamports;
                false
            }
            Err(_) => true,
        }
    });
    recovered
}
