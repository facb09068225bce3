//! The `execute`-family instructions' common parts: their fixed accounts and `execute` itself.
//! Holder and iterative-step instructions are in [`crate::holder`].
//!
//! Anchor encoding: data = sha256("global:<name>")[..8] ++ Borsh arguments.

use crate::*;

/// The fixed accounts of an execute-like instruction, before the EVM accounts: operator (signer,
/// writable), config, blockhash registry (writable), the fee market of the transaction's `to`
/// (writable; the zero address's for a creation), SlotHashes, [holder (writable)], system program.
pub fn fixed_accounts(
    operator: &Address,
    to: Option<[u8; 20]>,
    holder: Option<&Address>,
) -> Vec<AccountMeta> {
    let mut accounts = vec![
        AccountMeta::new(*operator, true),
        AccountMeta::new_readonly(config_pda(), false),
    ];
    accounts.push(AccountMeta::new(registries::blockhashes_pda(), false));
    accounts.push(AccountMeta::new(
        registries::fee_pda(&to.unwrap_or([0; 20])).0,
        false,
    ));
    accounts.push(AccountMeta::new_readonly(registries::SLOT_HASHES, false));
    if let Some(holder) = holder {
        accounts.push(AccountMeta::new(*holder, false));
    }
    accounts.push(AccountMeta::new_readonly(SYSTEM_PROGRAM, false));
    accounts
}

/// The `to` of a raw transaction (for the fee-market account).
pub fn tx_to(raw: &[u8]) -> Option<[u8; 20]> {
    isthmus_evm::transaction::decode(raw, &HostCrypto)
        .ok()
        .and_then(|s| s.tx.to)
}

fn borsh_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

/// `execute(raw_tx)`: the raw transaction as Borsh bytes (u32 length, then the bytes).
pub fn execute_data(raw: &[u8]) -> Vec<u8> {
    let mut data = discriminator("global", "execute").to_vec();
    data.extend_from_slice(&borsh_bytes(raw));
    data
}

/// `execute(raw_tx)` with the fixed accounts, then `extra` (the EVM accounts).
pub fn execute_ix(operator: &Address, raw: &[u8], extra: &[AccountMeta]) -> Instruction {
    let mut accounts = fixed_accounts(operator, tx_to(raw), None);
    accounts.extend_from_slice(extra);
    Instruction {
        program_id: PROGRAM_ID,
        accounts,
        data: execute_data(raw),
    }
}
