//! The Solana side as the emulator and the relay helpers see it: accounts to read, transactions
//! to send, slots to wait for. LiteSVM (the tests, rpc-proxy's embedded chain) and a cluster over
//! JSON-RPC (the relayer's remote mode) implement it, so the same holder, step and lookup-table
//! code runs against both.

use crate::{Failure, Success};
use litesvm::LiteSVM;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;

/// The Clock sysvar's address.
pub const CLOCK: Address = Address::from_str_const("SysvarC1ock11111111111111111111111111111111");

/// Where Solana accounts are read from.
pub trait AccountSource {
    fn get_account(&self, address: &Address) -> Option<Account>;

    /// The Clock sysvar.
    fn clock(&self) -> solana_clock::Clock {
        let data = self.get_account(&CLOCK).map(|a| a.data).unwrap_or_default();
        bincode::deserialize(&data).unwrap_or_default()
    }
}

impl AccountSource for LiteSVM {
    fn get_account(&self, address: &Address) -> Option<Account> {
        LiteSVM::get_account(self, address)
    }

    fn clock(&self) -> solana_clock::Clock {
        self.get_sysvar()
    }
}

/// Where Solana transactions are sent.
pub trait Solana: AccountSource {
    /// Sends `ixs` paid by `payer`, also signed by `signers`: a legacy transaction, or a v0 one
    /// through [`Solana::lookup_tables`] when a legacy one would not fit a packet. A failure
    /// changed nothing.
    fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure>;

    /// The lookup tables the next sends may use.
    fn lookup_tables(&mut self) -> &mut Vec<solana_message::AddressLookupTableAccount>;

    /// Returns once the chain is at a later slot (LiteSVM: moves the clock one slot on).
    fn next_slot(&mut self);
}
