//! The program's accounts read from a chain: an account counts only when the program owns it
//! and it decodes as what its address says it is.

use crate::{pda, AccountSource, PROGRAM_ID};
use isthmus_evm::bytecode::Bytecode;
use isthmus_interface::account::{
    BlockhashRegistry, Config, EthAccount, EthCode, FeeMarket, HolderHeader, ReverseEntry,
    StorageCell,
};
use isthmus_interface::DecodeError;
use solana_address::Address;

/// The program-owned account at `key`, decoded; `Ok(None)` when absent or not the program's.
pub fn read<T>(
    source: &(impl AccountSource + ?Sized),
    key: &Address,
    decode: impl FnOnce(&[u8]) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    match source.get_account(key) {
        Some(a) if a.owner == PROGRAM_ID && !a.data.is_empty() => decode(&a.data).map(Some),
        _ => Ok(None),
    }
}

pub fn config(source: &(impl AccountSource + ?Sized)) -> Result<Option<Config>, DecodeError> {
    read(source, &pda::config(), Config::decode)
}

pub fn eth_account(
    source: &(impl AccountSource + ?Sized),
    address: &[u8; 20],
) -> Result<Option<EthAccount>, DecodeError> {
    read(source, &pda::account(address).0, EthAccount::decode)
}

pub fn code(
    source: &(impl AccountSource + ?Sized),
    address: &[u8; 20],
) -> Result<Option<EthCode>, DecodeError> {
    read(source, &pda::code(address).0, EthCode::decode)
}

/// The code at `address` with its stored analysis, as the interpreter runs it.
pub fn bytecode(
    source: &(impl AccountSource + ?Sized),
    address: &[u8; 20],
) -> Result<Option<Bytecode>, DecodeError> {
    read(source, &pda::code(address).0, EthCode::bytecode)
}

/// The StorageCell of a 32-byte big-endian slot.
pub fn storage_cell(
    source: &(impl AccountSource + ?Sized),
    address: &[u8; 20],
    slot: &[u8; 32],
) -> Result<Option<StorageCell>, DecodeError> {
    read(source, &pda::storage(address, slot), StorageCell::decode)
}

pub fn fee_market(
    source: &(impl AccountSource + ?Sized),
    contract: &[u8; 20],
) -> Result<Option<FeeMarket>, DecodeError> {
    read(source, &pda::fee_market(contract).0, FeeMarket::decode)
}

pub fn blockhash_registry(
    source: &(impl AccountSource + ?Sized),
) -> Result<Option<BlockhashRegistry>, DecodeError> {
    read(source, &pda::blockhashes(), BlockhashRegistry::decode)
}

pub fn reverse_entry(
    source: &(impl AccountSource + ?Sized),
    wallet: &Address,
) -> Result<Option<ReverseEntry>, DecodeError> {
    read(source, &pda::reverse(wallet).0, ReverseEntry::decode)
}

/// A holder's header and its bytes.
pub fn holder(
    source: &(impl AccountSource + ?Sized),
    holder: &Address,
) -> Result<Option<(HolderHeader, Vec<u8>)>, DecodeError> {
    read(source, holder, |data| {
        Ok((HolderHeader::decode(data)?, data.to_vec()))
    })
}
