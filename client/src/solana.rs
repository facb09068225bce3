//! The Solana side as the emulator and the relayer see it: accounts to read, transactions to
//! send, slots to wait for. An in-process LiteSVM (`isthmus-svm`: rpc-proxy's embedded chain and
//! the tests) and a cluster over JSON-RPC (`isthmus_relayer::cluster`) implement it, so the same
//! relay code runs against both.

use crate::CLOCK;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_transaction_error::TransactionError;

/// Where Solana accounts are read from.
pub trait AccountSource {
    fn get_account(&self, address: &Address) -> Option<Account>;

    /// The Clock sysvar.
    fn clock(&self) -> solana_clock::Clock {
        let data = self.get_account(&CLOCK).map(|a| a.data).unwrap_or_default();
        bincode::deserialize(&data).unwrap_or_default()
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

    /// Micro-lamports a compute unit the sends pay as priority fee (0: none): a fixed figure,
    /// or on a cluster what recent slots' transactions paid (`getRecentPrioritizationFees`).
    fn priority_fee(&self) -> u64 {
        0
    }
}

/// A transaction that landed.
#[derive(Debug)]
pub struct Success {
    /// Compute units the program itself consumed (its "consumed" log lines).
    pub cu: u64,
    /// Compute units of the whole Solana transaction (every instruction).
    pub tx_cu: u64,
    pub logs: Vec<String>,
}

/// A transaction that failed (or could not be sent): it changed nothing.
#[derive(Debug)]
pub struct Failure {
    pub err: TransactionError,
    pub logs: Vec<String>,
}

impl Failure {
    /// The failing instruction's error, if an instruction failed.
    pub fn instruction_error(&self) -> Option<&InstructionError> {
        match &self.err {
            TransactionError::InstructionError(_, e) => Some(e),
            _ => None,
        }
    }

    /// The custom error code (`InstructionError::Custom`), if that is how it failed.
    pub fn custom_code(&self) -> Option<u32> {
        match self.instruction_error()? {
            InstructionError::Custom(code) => Some(*code),
            _ => None,
        }
    }

    /// The program's error, if it failed with one.
    pub fn program_error(&self) -> Option<isthmus_interface::ProgramError> {
        isthmus_interface::ProgramError::from_code(self.custom_code()?)
    }

    /// Whether it ran out of compute units.
    pub fn out_of_compute(&self) -> bool {
        self.logs.iter().any(|l| l.contains("exceeded CUs meter"))
            || matches!(
                self.instruction_error(),
                Some(InstructionError::ComputationalBudgetExceeded)
            )
    }

    /// The error and the log lines that say why, on one line.
    pub fn describe(&self) -> String {
        let why: Vec<&str> = self
            .logs
            .iter()
            .filter(|l| l.contains("Error") || l.contains("failed"))
            .map(String::as_str)
            .collect();
        match self.program_error() {
            Some(e) => format!("{e}; {}", why.join("; ")),
            None => format!("{:?}; {}", self.err, why.join("; ")),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The Solana packet limit: a transaction's serialized size.
pub const PACKET_DATA_SIZE: usize = 1232;

/// The serialized size of a legacy Solana transaction of `ixs` paid by `payer` (signatures,
/// then the message), to hold it to the packet limit (LiteSVM does not).
pub fn transaction_size(ixs: &[Instruction], payer: &Address) -> usize {
    fn shortvec(n: usize) -> usize {
        match n {
            0..=0x7f => 1,
            0x80..=0x3fff => 2,
            _ => 3,
        }
    }
    let message = Message::new(ixs, Some(payer));
    let signatures = message.header.num_required_signatures as usize;
    let mut size = shortvec(signatures) + 64 * signatures + 3;
    size += shortvec(message.account_keys.len()) + 32 * message.account_keys.len() + 32;
    size += shortvec(message.instructions.len());
    for ix in &message.instructions {
        size += 1 + shortvec(ix.accounts.len()) + ix.accounts.len();
        size += shortvec(ix.data.len()) + ix.data.len();
    }
    size
}
