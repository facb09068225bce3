//! Instruction data: Anchor's 8-byte discriminator, sha256("global:<name>")[..8], then the
//! arguments in Borsh layout. The accounts each instruction takes, in order, are listed with its
//! encoder (the program's `#[derive(Accounts)]` structs are the authority; the client's builders
//! follow them).

use crate::fee_market::FeeMarketParams;
use alloc::vec::Vec;
use isthmus_evm::Fork;

/// sha256("global:initialize")[..8]
pub const INITIALIZE: [u8; 8] = [175, 175, 109, 31, 13, 152, 155, 237];
/// sha256("global:deposit")[..8]
pub const DEPOSIT: [u8; 8] = [242, 35, 198, 137, 82, 225, 242, 182];
/// sha256("global:execute")[..8]
pub const EXECUTE: [u8; 8] = [130, 221, 242, 154, 13, 193, 189, 29];
/// sha256("global:crank_blockhashes")[..8]
pub const CRANK_BLOCKHASHES: [u8; 8] = [154, 118, 133, 59, 5, 104, 166, 200];
/// sha256("global:link_wallet")[..8]
pub const LINK_WALLET: [u8; 8] = [86, 92, 31, 146, 228, 51, 209, 230];
/// sha256("global:withdraw")[..8]
pub const WITHDRAW: [u8; 8] = [183, 18, 70, 156, 148, 109, 161, 34];
/// sha256("global:holder_create")[..8]
pub const HOLDER_CREATE: [u8; 8] = [210, 226, 40, 50, 178, 73, 159, 114];
/// sha256("global:holder_resize")[..8]
pub const HOLDER_RESIZE: [u8; 8] = [208, 93, 237, 130, 68, 120, 217, 43];
/// sha256("global:holder_write")[..8]
pub const HOLDER_WRITE: [u8; 8] = [245, 217, 252, 170, 107, 219, 205, 121];
/// sha256("global:holder_delete")[..8]
pub const HOLDER_DELETE: [u8; 8] = [92, 119, 177, 240, 9, 114, 255, 161];
/// sha256("global:execute_from_holder")[..8]
pub const EXECUTE_FROM_HOLDER: [u8; 8] = [50, 146, 89, 41, 11, 132, 169, 110];
/// sha256("global:step")[..8]
pub const STEP: [u8; 8] = [22, 56, 254, 29, 77, 32, 191, 37];
/// sha256("global:cancel")[..8]
pub const CANCEL: [u8; 8] = [232, 219, 223, 41, 219, 236, 220, 190];
/// sha256("global:update_config")[..8]
pub const UPDATE_CONFIG: [u8; 8] = [29, 158, 252, 191, 10, 83, 219, 99];

fn with(discriminator: [u8; 8], args: &[&[u8]]) -> Vec<u8> {
    let mut data = discriminator.to_vec();
    for arg in args {
        data.extend_from_slice(arg);
    }
    data
}

/// A Borsh `Vec<u8>` / `&[u8]`: u32 length, then the bytes.
fn borsh_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + bytes.len());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
    out
}

/// `initialize(InitializeArgs { chain_id, operators, fee_market, development, fork,
/// code_size_limit })` (`code_size_limit` 0: EIP-170's). Accounts: admin (signer, writable; the
/// upgrade authority), config, vault, program data, system program.
pub fn initialize(
    chain_id: u64,
    operators: &[[u8; 32]],
    fee_market: &FeeMarketParams,
    development: bool,
    fork: Fork,
    code_size_limit: Option<u32>,
) -> Vec<u8> {
    let mut data = with(INITIALIZE, &[&chain_id.to_le_bytes()]);
    push_operators_and_fee_market(&mut data, operators, fee_market);
    data.push(development as u8);
    data.push(crate::block::fork_byte(fork));
    data.extend_from_slice(&code_size_limit.unwrap_or(0).to_le_bytes());
    data
}

/// `update_config(UpdateConfigArgs { operators, fee_market, fork })` (`fork` `None`: kept).
/// Accounts: admin (signer), config (writable).
pub fn update_config(
    operators: &[[u8; 32]],
    fee_market: &FeeMarketParams,
    fork: Option<Fork>,
) -> Vec<u8> {
    let mut data = UPDATE_CONFIG.to_vec();
    push_operators_and_fee_market(&mut data, operators, fee_market);
    match fork {
        None => data.push(0),
        Some(fork) => data.extend_from_slice(&[1, crate::block::fork_byte(fork)]),
    }
    data
}

/// Borsh `Vec<Address>` then `FeeMarketParams`.
fn push_operators_and_fee_market(
    data: &mut Vec<u8>,
    operators: &[[u8; 32]],
    fee_market: &FeeMarketParams,
) {
    data.extend_from_slice(&(operators.len() as u32).to_le_bytes());
    for operator in operators {
        data.extend_from_slice(operator);
    }
    for v in [
        fee_market.contract_compute_cap,
        fee_market.min_base_fee,
        fee_market.base_fee_change_denominator,
    ] {
        data.extend_from_slice(&v.to_le_bytes());
    }
    data.push(fee_market.charge_solana_costs as u8);
}

/// `deposit(address, lamports)`. Accounts: depositor (signer, writable), vault, the address's
/// EthAccount, system program.
pub fn deposit(address: &[u8; 20], lamports: u64) -> Vec<u8> {
    with(DEPOSIT, &[address, &lamports.to_le_bytes()])
}

/// `execute(raw_tx)`. Accounts (`execute`, `execute_from_holder` and `step` share them; the
/// holder only for the latter two): operator (signer, writable), config, blockhash registry
/// (writable), the fee market of the transaction's `to` (writable; the zero address's for a
/// creation), SlotHashes, [holder (writable)], system program; then the EVM accounts: the
/// EthAccount, EthCode and StorageCell PDAs the transaction touches, writable where it writes.
pub fn execute(raw_tx: &[u8]) -> Vec<u8> {
    with(EXECUTE, &[&borsh_bytes(raw_tx)])
}

/// `crank_blockhashes()`. Accounts: payer (signer, writable), registry, SlotHashes, system
/// program.
pub fn crank_blockhashes() -> Vec<u8> {
    CRANK_BLOCKHASHES.to_vec()
}

/// `link_wallet(address, signature)`. Accounts: wallet (signer, writable), config, the wallet's
/// ReverseEntry (writable), system program.
pub fn link_wallet(address: &[u8; 20], signature: &[u8; 65]) -> Vec<u8> {
    with(LINK_WALLET, &[address, signature])
}

/// The text an Ethereum address signs (EIP-191 `personal_sign`) to link a Solana wallet: UTF-8,
/// `\n` line ends, keys in base58, the chain id in decimal:
///
/// ```text
/// Isthmus: link Solana wallet <wallet> to this Ethereum address.
/// Chain id: <chain id>
/// Program: <program id>
/// ```
///
/// It names the wallet, the chain and the deployment, so a signature cannot be replayed for
/// another.
pub fn link_message(wallet: &[u8; 32], chain_id: u64, program_id: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(200);
    m.extend_from_slice(b"Isthmus: link Solana wallet ");
    base58(wallet, &mut m);
    m.extend_from_slice(b" to this Ethereum address.\nChain id: ");
    decimal(chain_id, &mut m);
    m.extend_from_slice(b"\nProgram: ");
    base58(program_id, &mut m);
    m
}

/// Appends `n` in decimal.
pub fn decimal(mut n: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Appends `bytes` (a big-endian number) in base58, Bitcoin's alphabet, as Solana prints keys.
pub fn base58(bytes: &[u8], out: &mut Vec<u8>) {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    // Little-endian base-58 digits of the number `bytes` (big-endian).
    let mut digits = [0u8; 64];
    let mut len = 0;
    for &byte in bytes {
        let mut carry = byte as u32;
        for digit in digits[..len].iter_mut() {
            carry += (*digit as u32) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits[len] = (carry % 58) as u8;
            len += 1;
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    out.extend(core::iter::repeat_n(b'1', zeros));
    out.extend(digits[..len].iter().rev().map(|&d| ALPHABET[d as usize]));
}

/// `withdraw(lamports)`. Accounts: wallet (signer, writable), ReverseEntry, the linked address's
/// EthAccount (writable), vault (writable).
pub fn withdraw(lamports: u64) -> Vec<u8> {
    with(WITHDRAW, &[&lamports.to_le_bytes()])
}

/// `holder_create(index, size)`. Accounts: operator (signer, writable), config, holder, system
/// program.
pub fn holder_create(index: u64, size: u32) -> Vec<u8> {
    with(HOLDER_CREATE, &[&index.to_le_bytes(), &size.to_le_bytes()])
}

/// `holder_resize(size)`. Accounts: operator (signer, writable), holder, system program.
pub fn holder_resize(size: u32) -> Vec<u8> {
    with(HOLDER_RESIZE, &[&size.to_le_bytes()])
}

/// `holder_write(offset, data)`. Accounts: operator (signer, writable), holder, system program.
pub fn holder_write(offset: u32, chunk: &[u8]) -> Vec<u8> {
    with(HOLDER_WRITE, &[&offset.to_le_bytes(), &borsh_bytes(chunk)])
}

/// `holder_delete()`. Accounts: operator (signer, writable), holder.
pub fn holder_delete() -> Vec<u8> {
    HOLDER_DELETE.to_vec()
}

/// `execute_from_holder()`. Accounts: those of [`execute`] with the holder, then the EVM
/// accounts.
pub fn execute_from_holder() -> Vec<u8> {
    EXECUTE_FROM_HOLDER.to_vec()
}

/// `step(max_steps)` (0: as many opcodes as the compute budget allows). Accounts: as
/// [`execute_from_holder`].
pub fn step(max_steps: u64) -> Vec<u8> {
    with(STEP, &[&max_steps.to_le_bytes()])
}

/// `cancel()`. Accounts: operator (signer, writable), config, holder, system program, then the
/// sender's and the operator's EthAccounts.
pub fn cancel() -> Vec<u8> {
    CANCEL.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_and_decimal() {
        let mut out = Vec::new();
        base58(&[0; 32], &mut out);
        assert_eq!(out, b"11111111111111111111111111111111");
        let mut out = Vec::new();
        base58(&[0, 0, 1, 2], &mut out);
        // 0x0102 = 258 = 4*58 + 26 -> "5T"
        assert_eq!(out, b"115T");
        let mut out = Vec::new();
        decimal(1337, &mut out);
        decimal(0, &mut out);
        assert_eq!(out, b"13370");
    }
}
