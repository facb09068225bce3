//! Test conveniences over the production crates (`isthmus-client`, `isthmus-relayer`,
//! `isthmus-svm`): [`Harness`] (the built program in LiteSVM), [`EthWallet`] and [`tx1559`],
//! the compiled test contracts ([`contracts`]), and shorthands that panic where a test wants
//! the happy path ([`shorthand`], [`Relaying`]). Nothing here runs in production.

pub mod contracts;
pub mod economics;
pub mod harness;
pub mod parallel;
pub mod relaying;
pub mod shorthand;
pub mod wallet;

pub use harness::*;
pub use relaying::Relaying;
pub use shorthand::*;
pub use wallet::*;

pub use isthmus_client::emulate::{self, Emulation};
pub use isthmus_client::instructions::{fee_per_transaction, InitializeArgs};
pub use isthmus_client::interface::account::eth_account::{
    inline_index, INLINE as INLINE_AT, INLINE_SLOTS, LEN as ETH_ACCOUNT_LEN,
};
pub use isthmus_client::interface::account::{FeeMarket, HolderHeader};
pub use isthmus_client::interface::error::anchor as anchor_error;
pub use isthmus_client::interface::event::{EvmLog as ReceiptLog, Receipt};
pub use isthmus_client::interface::fee_market::FeeMarketParams;
pub use isthmus_client::interface::transaction::impersonate;
pub use isthmus_client::solana::{transaction_size, PACKET_DATA_SIZE};
pub use isthmus_client::{
    accounts, hex, instructions, interface, keccak, logs, operator_eth_address, pda, Account,
    AccountSource, Failure, ProgramError, Solana, Success, LOADER_V3, PROGRAM_ID, SLOT_HASHES,
    SYSTEM_PROGRAM, SYSVAR_OWNER, WEI_PER_LAMPORT,
};
pub use isthmus_evm::env::{TxEnv, TxKind};
pub use isthmus_evm::primitives::KECCAK_EMPTY;
pub use isthmus_evm::Fork;
pub use isthmus_relayer::{needs_steps, relay, steps::Iterated};
pub use isthmus_svm::{
    new_litesvm as new_svm, slot_hash as test_slot_hash, slot_hashes_data, so_path, Features, Svm,
    SLOT_HASHES_LEN,
};
