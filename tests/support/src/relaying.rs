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

/// A chain that records the writable accounts (fee payer included) of every Solana transaction
/// sent through it: how a test sees which transactions a cluster could run in parallel.
pub struct WriteRecorder<'a, S: Solana> {
    pub chain: &'a mut S,
    /// Per transaction sent (landed or not), its writable accounts.
    pub writable: Vec<std::collections::BTreeSet<Address>>,
}

impl<'a, S: Solana> WriteRecorder<'a, S> {
    pub fn new(chain: &'a mut S) -> Self {
        Self {
            chain,
            writable: Vec::new(),
        }
    }
}

impl<S: Solana> AccountSource for WriteRecorder<'_, S> {
    fn get_account(&self, address: &Address) -> Option<Account> {
        self.chain.get_account(address)
    }

    fn clock(&self) -> solana_clock::Clock {
        self.chain.clock()
    }
}

impl<S: Solana> Solana for WriteRecorder<'_, S> {
    fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        use solana_signer::Signer;
        let mut set = std::collections::BTreeSet::from([payer.pubkey()]);
        for ix in ixs {
            set.extend(
                ix.accounts
                    .iter()
                    .filter(|m| m.is_writable)
                    .map(|m| m.pubkey),
            );
        }
        self.writable.push(set);
        self.chain.send(ixs, payer, signers)
    }

    fn lookup_tables(&mut self) -> &mut Vec<solana_message::AddressLookupTableAccount> {
        self.chain.lookup_tables()
    }

    fn next_slot(&mut self) {
        self.chain.next_slot()
    }
}

/// Pairs of transactions in `sets` that share a writable account (a cluster runs them one after
/// the other).
pub fn conflicting_pairs(sets: &[std::collections::BTreeSet<Address>]) -> usize {
    let mut pairs = 0;
    for (i, a) in sets.iter().enumerate() {
        for b in &sets[i + 1..] {
            pairs += usize::from(!a.is_disjoint(b));
        }
    }
    pairs
}
