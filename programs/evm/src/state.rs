//! What the interpreter needs to read from the world.
//!
//! The on-chain program implements [`State`] over Solana accounts; the emulator over data fetched
//! from a cluster; tests over [`crate::MemoryState`]. Reads only: writes are collected in the
//! journal and handed back as one [`crate::result::StateChanges`] when the transaction ends.

use crate::bytecode::Bytecode;
use crate::primitives::{Address, B256, U256};
use alloc::rc::Rc;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// The parts of an account the interpreter reads before it needs the code itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AccountInfo {
    pub balance: U256,
    pub nonce: u64,
    /// keccak256 of the code; [`crate::primitives::KECCAK_EMPTY`] when there is none.
    pub code_hash: B256,
}

/// Why a host could not answer: the transaction cannot go on (for example, on-chain, an account
/// the relayer did not pass in). Execution stops with [`crate::result::Status::Fatal`].
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum StateError {
    /// The account's data is not available to this host.
    AccountUnavailable(Address),
    /// The storage slot's data is not available to this host.
    StorageUnavailable(Address, U256),
    /// The block hash source failed.
    BlockHashUnavailable(u64),
}

impl core::fmt::Display for StateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let hex = |bytes: &[u8], f: &mut core::fmt::Formatter<'_>| {
            f.write_str("0x")?;
            bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
        };
        match self {
            StateError::AccountUnavailable(address) => {
                f.write_str("account ")?;
                hex(address, f)?;
                f.write_str(" is not available")
            }
            StateError::StorageUnavailable(address, slot) => {
                write!(f, "storage slot {slot:#x} of ")?;
                hex(address, f)?;
                f.write_str(" is not available")
            }
            StateError::BlockHashUnavailable(number) => {
                write!(f, "the hash of block {number} is not available")
            }
        }
    }
}

/// Read access to accounts, code, storage and recent block hashes.
pub trait State {
    /// The account at `address`, or `None` if it does not exist.
    fn account(&mut self, address: &Address) -> Result<Option<AccountInfo>, StateError>;
    /// The code of the account at `address` (empty if none).
    fn code(&mut self, address: &Address) -> Result<Vec<u8>, StateError>;
    /// The code as the interpreter runs it: a host that keeps the JUMPDEST analysis with the code
    /// (the program, in the code account) returns it here, so the code is not scanned again; one
    /// that keeps the code itself in memory shares it rather than copying it for every call.
    fn bytecode(&mut self, address: &Address) -> Result<Rc<Bytecode>, StateError> {
        Ok(Rc::new(Bytecode::new(self.code(address)?)))
    }
    /// The committed value of a storage slot (zero if never written).
    fn storage(&mut self, address: &Address, slot: &U256) -> Result<U256, StateError>;
    /// Whether the account has any non-zero storage (EIP-7610: CREATE must not land on it).
    fn has_storage(&mut self, address: &Address) -> Result<bool, StateError>;
    /// The hash of block `number`; only asked for the 256 blocks before the current one.
    fn block_hash(&mut self, number: u64) -> Result<B256, StateError>;
}

/// A borrowed state is a state: a wrapper (overrides, recording) can sit on one the caller
/// reads again afterwards.
impl<T: State + ?Sized> State for &mut T {
    fn account(&mut self, address: &Address) -> Result<Option<AccountInfo>, StateError> {
        (**self).account(address)
    }

    fn code(&mut self, address: &Address) -> Result<Vec<u8>, StateError> {
        (**self).code(address)
    }

    fn bytecode(&mut self, address: &Address) -> Result<Rc<Bytecode>, StateError> {
        (**self).bytecode(address)
    }

    fn storage(&mut self, address: &Address, slot: &U256) -> Result<U256, StateError> {
        (**self).storage(address, slot)
    }

    fn has_storage(&mut self, address: &Address) -> Result<bool, StateError> {
        (**self).has_storage(address)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        (**self).block_hash(number)
    }
}
