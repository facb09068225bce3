//! Every `execute`-family instruction the tests and cu-report build, in one place, so that the
//! interface changes under way on other branches are a one-file fix after merge:
//!
//! - holders and iterative execution (`holder_create`, `holder_write`, `holder_delete`,
//!   `execute_from_holder`, `step`, `cancel`): coded against the agreed interface, not yet in the
//!   program on this branch;
//! - three more fixed accounts after config for execute-like instructions (blockhashes PDA
//!   `["blockhashes"]`, fee market PDA `["fee", to-or-zero-address]`, the SlotHashes sysvar):
//!   switched on by [`BLOCK_ACCOUNTS`], all in [`fixed_accounts`].
//!
//! Anchor encoding: data = sha256("global:<name>")[..8] ++ Borsh arguments.

use crate::*;

/// Whether execute-like instructions carry the blockhashes, fee-market and SlotHashes accounts
/// after config (not in the program on this branch yet).
pub const BLOCK_ACCOUNTS: bool = false;

pub const SLOT_HASHES_SYSVAR: Address =
    Address::from_str_const("SysvarS1otHashes111111111111111111111111111");

pub fn blockhashes_pda() -> Address {
    Address::find_program_address(&[b"blockhashes"], &PROGRAM_ID).0
}

/// The fee market of the contract a transaction calls (the zero address for a creation).
pub fn fee_market_pda(to: Option<[u8; 20]>) -> Address {
    Address::find_program_address(&[b"fee", &to.unwrap_or([0; 20])], &PROGRAM_ID).0
}

/// The fixed accounts of an execute-like instruction, before the EVM accounts: operator (signer,
/// writable), config, [blockhashes, fee market, SlotHashes], [holder (writable)], system program.
pub fn fixed_accounts(
    operator: &Address,
    to: Option<[u8; 20]>,
    holder: Option<&Address>,
) -> Vec<AccountMeta> {
    let mut accounts = vec![
        AccountMeta::new(*operator, true),
        AccountMeta::new_readonly(config_pda(), false),
    ];
    if BLOCK_ACCOUNTS {
        accounts.push(AccountMeta::new(blockhashes_pda(), false));
        accounts.push(AccountMeta::new(fee_market_pda(to), false));
        accounts.push(AccountMeta::new_readonly(SLOT_HASHES_SYSVAR, false));
    }
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

fn instruction(name: &str, args: &[u8], accounts: Vec<AccountMeta>) -> Instruction {
    let mut data = discriminator("global", name).to_vec();
    data.extend_from_slice(args);
    Instruction {
        program_id: PROGRAM_ID,
        accounts,
        data,
    }
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

/// The holder PDA `["holder", operator, index (u64 little-endian)]`.
pub fn holder_pda(operator: &Address, index: u64) -> Address {
    Address::find_program_address(
        &[b"holder", operator.as_ref(), &index.to_le_bytes()],
        &PROGRAM_ID,
    )
    .0
}

/// `holder_create(index: u64, size: u32)`: [operator (signer, writable), config, holder
/// (writable), system program].
pub fn holder_create_ix(operator: &Address, index: u64, size: u32) -> Instruction {
    let mut args = index.to_le_bytes().to_vec();
    args.extend_from_slice(&size.to_le_bytes());
    instruction(
        "holder_create",
        &args,
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new_readonly(config_pda(), false),
            AccountMeta::new(holder_pda(operator, index), false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
    )
}

/// `holder_write(offset: u32, data: Vec<u8>)`: [operator (signer), holder (writable)].
pub fn holder_write_ix(
    operator: &Address,
    holder: &Address,
    offset: u32,
    data: &[u8],
) -> Instruction {
    let mut args = offset.to_le_bytes().to_vec();
    args.extend_from_slice(&borsh_bytes(data));
    instruction(
        "holder_write",
        &args,
        vec![
            AccountMeta::new_readonly(*operator, true),
            AccountMeta::new(*holder, false),
        ],
    )
}

/// `holder_delete()`: [operator (signer, writable), holder (writable)].
pub fn holder_delete_ix(operator: &Address, holder: &Address) -> Instruction {
    instruction(
        "holder_delete",
        &[],
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
        ],
    )
}

/// `execute_from_holder()`: fixed accounts with the holder, then the EVM accounts.
pub fn execute_from_holder_ix(
    operator: &Address,
    holder: &Address,
    to: Option<[u8; 20]>,
    extra: &[AccountMeta],
) -> Instruction {
    let mut accounts = fixed_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(extra);
    instruction("execute_from_holder", &[], accounts)
}

/// `step(max_steps: u64)`: fixed accounts with the holder, then the EVM accounts. Sent again
/// until the `Executed` receipt appears in the logs.
pub fn step_ix(
    operator: &Address,
    holder: &Address,
    to: Option<[u8; 20]>,
    max_steps: u64,
    extra: &[AccountMeta],
) -> Instruction {
    let mut accounts = fixed_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(extra);
    instruction("step", &max_steps.to_le_bytes(), accounts)
}

/// `cancel()`: fixed accounts with the holder, then the EVM accounts.
pub fn cancel_ix(
    operator: &Address,
    holder: &Address,
    to: Option<[u8; 20]>,
    extra: &[AccountMeta],
) -> Instruction {
    let mut accounts = fixed_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(extra);
    instruction("cancel", &[], accounts)
}
