//! The relayer's holder, step and lookup-table calls as tests use them: on any [`Solana`], and
//! panicking where the relayer returns an error.

use crate::*;
use isthmus_relayer::{holder, lookup, steps};
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;

pub trait Relaying: Solana + Sized {
    /// Writes `raw` into the operator's holder `index` (created and grown as needed): the holder,
    /// the Solana transactions and their compute units.
    fn write_holder(
        &mut self,
        operator: &Keypair,
        index: u64,
        raw: &[u8],
    ) -> (Address, usize, u64) {
        let w = holder::write(self, operator, index, raw).unwrap_or_else(|e| panic!("{e}"));
        (w.holder, w.solana_txs, w.compute_units)
    }

    /// One `step` with the compute-budget instructions.
    fn step(
        &mut self,
        operator: &Keypair,
        holder: &Address,
        max_steps: u64,
        extra: &[AccountMeta],
    ) -> Result<Success, Failure> {
        steps::step(self, operator, holder, max_steps, extra)
    }

    /// Grows the holder by 10 KiB; the compute it took.
    fn grow_holder(&mut self, operator: &Keypair, holder: &Address) -> u64 {
        holder::grow(self, operator, holder, usize::MAX).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Steps the holder's transaction until its receipt appears (at most `limit` steps).
    fn step_to_end(
        &mut self,
        operator: &Keypair,
        holder: &Address,
        max_steps: u64,
        extra: &[AccountMeta],
        limit: usize,
    ) -> Iterated {
        steps::to_end(self, operator, holder, max_steps, extra, limit)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A lookup table of the last instruction's accounts when `ixs` exceed a packet.
    fn lookup_table_if_needed(&mut self, payer: &Keypair, ixs: &[Instruction]) -> (usize, u64) {
        lookup::table_if_needed(self, payer, ixs).unwrap_or_else(|e| panic!("{e}"))
    }

    fn create_lookup_table(&mut self, payer: &Keypair, addresses: &[Address]) -> (usize, u64) {
        lookup::create_table(self, payer, addresses).unwrap_or_else(|e| panic!("{e}"))
    }
}

impl<T: Solana + Sized> Relaying for T {}
