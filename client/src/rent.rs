//! The rent of the accounts a transaction makes the program create or grow, counted as the
//! program counts it for a chain that charges Solana costs (`SolanaHost::apply` and
//! `prepare_code`, `fee_market::open`; priced by `isthmus_interface::solana_costs`): the
//! emulator's prediction of the gas such a chain adds.

use crate::{accounts, pda, AccountSource, PROGRAM_ID};
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{CodeRun, B256};
use isthmus_interface::account::eth_account::inline_index;
use isthmus_interface::account::holder::MAX_GROWTH;
use isthmus_interface::account::{code, eth_account, fee_market, storage_cell};
use isthmus_interface::fee_market::markets_of;
use isthmus_interface::solana_costs::{rent_exempt, rent_growth};

/// Rent of what writing `changes` creates (EthAccounts, code accounts, storage cells; large code
/// grown to its length) plus the fee markets that do not exist yet of `to` (the zero address for
/// a creation) and of the contracts `code_run` names; `coinbase`'s own account is the
/// operator's, not the transaction's.
pub fn created(
    source: &dyn AccountSource,
    changes: &StateChanges,
    to: Option<[u8; 20]>,
    code_run: &CodeRun,
    coinbase: &[u8; 20],
) -> u64 {
    let fixed = to.unwrap_or([0; 20]);
    let mut markets = markets_of(&code_run.contracts, code_run.initcode);
    if !markets.contains(&fixed) {
        markets.push(fixed);
    }
    let mut rent = 0;
    for contract in &markets {
        if matches!(accounts::fee_market(source, contract), Ok(None)) {
            rent += rent_exempt(fee_market::LEN);
        }
    }
    for change in &changes.accounts {
        let Some(info) = &change.info else {
            continue; // deleted: nothing created
        };
        let address = &change.address;
        let exists = matches!(accounts::eth_account(source, address), Ok(Some(_)));
        let nothing = info.nonce == 0
            && info.balance.is_zero()
            && info.code_hash == KECCAK_EMPTY
            && change.storage.is_empty();
        if !exists {
            if nothing {
                continue;
            }
            if address != coinbase {
                rent += rent_exempt(eth_account::LEN);
            }
        }
        if let Some(code) = change.code.as_ref().filter(|c| !c.is_empty()) {
            let len = code::len(code.len());
            rent += match existing_code_len(source, address) {
                None => rent_exempt(len),
                // Only code beyond one instruction's growth is grown in place.
                Some(have) if len > MAX_GROWTH => rent_growth(have, len),
                Some(_) => 0,
            };
        }
        for (slot, value) in &change.storage {
            let key: B256 = slot.to_be_bytes();
            if value.is_zero() || inline_index(&key).is_some() {
                continue;
            }
            if matches!(accounts::storage_cell(source, address, &key), Ok(None)) {
                rent += rent_exempt(storage_cell::LEN);
            }
        }
    }
    rent
}

/// The data length of `address`'s code account, if the program has one.
fn existing_code_len(source: &dyn AccountSource, address: &[u8; 20]) -> Option<usize> {
    source
        .get_account(&pda::code(address).0)
        .filter(|a| a.owner == PROGRAM_ID && !a.data.is_empty())
        .map(|a| a.data.len())
}
