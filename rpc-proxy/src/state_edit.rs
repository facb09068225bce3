//! Ethereum state written straight into the embedded VM's accounts, as anvil's and Hardhat's
//! `setBalance`, `setNonce`, `setCode` and `setStorageAt` do: the program's own account layouts
//! (`isthmus_interface::account`), rent-exempt, and the vault kept holding at least every
//! balance (so a later `withdraw` is paid). Only the embedded chain can do this: on a cluster
//! the program owns these accounts and nobody else writes them.

use isthmus_client::interface::account::eth_account::{self, EthAccount, CURRENT_VERSION};
use isthmus_client::interface::account::{config, fee_market, EthCode, StorageCell};
use isthmus_client::interface::WEI_PER_LAMPORT;
use isthmus_client::{accounts, keccak, pda, Account, PROGRAM_ID};
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::U256;
use isthmus_svm::Svm;
use solana_address::Address;

/// `address`'s account as stored, or a new empty one.
fn account_or_new(svm: &Svm, address: &[u8; 20]) -> EthAccount {
    accounts::eth_account(svm, address)
        .ok()
        .flatten()
        .unwrap_or_else(|| EthAccount {
            address: *address,
            bump: pda::account(address).1,
            version: CURRENT_VERSION,
            nonce: 0,
            balance: U256::ZERO,
            code_hash: KECCAK_EMPTY,
            generation: 0,
            inline_storage: [[0; 32]; eth_account::INLINE_SLOTS],
        })
}

fn put_account(svm: &mut Svm, account: &EthAccount) -> Result<(), String> {
    svm.plant(pda::account(&account.address).0, account.encode())
}

/// Sets `address`'s balance in wei; the vault gains or loses the lamports it backs.
pub fn set_balance(svm: &mut Svm, address: &[u8; 20], wei: U256) -> Result<(), String> {
    let mut account = account_or_new(svm, address);
    let backed = |wei: U256| -> u64 {
        // Rounded up: the vault never holds less than the balances need.
        let lamports = wei.div_ceil(U256::from(WEI_PER_LAMPORT));
        lamports.saturating_to::<u64>()
    };
    let (before, after) = (backed(account.balance), backed(wei));
    let vault = pda::vault();
    let mut held = svm
        .svm
        .get_account(&vault)
        .ok_or("the program has no vault: is it initialized?")?;
    held.lamports = if after >= before {
        held.lamports
            .checked_add(after - before)
            .ok_or("a balance beyond the lamports that exist")?
    } else {
        held.lamports.saturating_sub(before - after)
    };
    svm.svm
        .set_account(vault, held)
        .map_err(|e| format!("writing the vault: {e:?}"))?;
    account.balance = wei;
    put_account(svm, &account)
}

pub fn set_nonce(svm: &mut Svm, address: &[u8; 20], nonce: u64) -> Result<(), String> {
    let mut account = account_or_new(svm, address);
    account.nonce = nonce;
    put_account(svm, &account)
}

/// Sets `address`'s code (empty: none).
pub fn set_code(svm: &mut Svm, address: &[u8; 20], code: &[u8]) -> Result<(), String> {
    let mut account = account_or_new(svm, address);
    let (key, bump) = pda::code(address);
    if code.is_empty() {
        account.code_hash = KECCAK_EMPTY;
        svm.plant(key, Vec::new())?;
    } else {
        account.code_hash = keccak(code);
        let stored = EthCode {
            address: *address,
            bump,
            code: code.to_vec(),
        };
        svm.plant(key, stored.encode())?;
    }
    put_account(svm, &account)
}

/// Sets storage slot `slot` (big-endian) of `address` to `value`: in the account itself for
/// the first slots, else in its storage cell (removed when the value is zero, as the program
/// closes cells written to zero).
pub fn set_storage(
    svm: &mut Svm,
    address: &[u8; 20],
    slot: &[u8; 32],
    value: &[u8; 32],
) -> Result<(), String> {
    let mut account = account_or_new(svm, address);
    if let Some(index) = eth_account::inline_index(slot) {
        account.inline_storage[index] = *value;
        return put_account(svm, &account);
    }
    let (key, bump) = pda::storage_and_bump(address, slot);
    if value.iter().all(|b| *b == 0) {
        svm.plant(key, Vec::new())?;
    } else {
        let cell = StorageCell {
            address: *address,
            slot: *slot,
            bump,
            generation: account.generation,
            value: *value,
        };
        svm.plant(key, cell.encode())?;
    }
    // The account must exist for its storage to be read.
    put_account(svm, &account)
}

/// Sets the base fee every contract's fee market starts from and falls back to: the config's
/// floor and each fee market's current base fee (anvil's `setNextBlockBaseFeePerGas`; with local
/// fee markets, a hot contract's fee climbs again from there).
pub fn set_base_fee(svm: &mut Svm, base_fee: u64) -> Result<(), String> {
    let config_key = pda::config();
    let mut held = svm
        .svm
        .get_account(&config_key)
        .ok_or("the program's config is missing")?;
    if held.data.len() != config::LEN {
        return Err("the program's config does not decode".into());
    }
    let at = config::MIN_BASE_FEE;
    held.data[at..at + 8].copy_from_slice(&base_fee.to_le_bytes());
    svm.svm
        .set_account(config_key, held)
        .map_err(|e| format!("writing the config: {e:?}"))?;
    let markets: Vec<(Address, Account)> = svm
        .svm
        .accounts_db()
        .inner
        .iter()
        .filter(|(_, a)| {
            use solana_account::ReadableAccount;
            *a.owner() == PROGRAM_ID
                && a.data().len() == fee_market::LEN
                && a.data()[..8] == isthmus_client::interface::account::FEE_MARKET_DISCRIMINATOR
        })
        .map(|(key, a)| (*key, a.clone().into()))
        .collect();
    for (key, mut market) in markets {
        let at = fee_market::BASE_FEE;
        market.data[at..at + 8].copy_from_slice(&base_fee.to_le_bytes());
        svm.svm
            .set_account(key, market)
            .map_err(|e| format!("writing fee market {key}: {e:?}"))?;
    }
    Ok(())
}
