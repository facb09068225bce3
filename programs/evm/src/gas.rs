//! Gas constants and formulas (Cancun to Osaka), in one place as the Yellow Paper and the EIPs
//! state them.

use crate::env::{AccessListItem, TxEnv};
use crate::primitives::{is_zero, words_eq};

pub const ZERO: u64 = 0;
pub const BASE: u64 = 2;
pub const VERYLOW: u64 = 3;
pub const LOW: u64 = 5;
pub const MID: u64 = 8;
pub const HIGH: u64 = 10;
pub const JUMPDEST: u64 = 1;
pub const EXP: u64 = 10;
pub const EXP_BYTE: u64 = 50;
pub const KECCAK256: u64 = 30;
pub const KECCAK256_WORD: u64 = 6;
pub const COPY_WORD: u64 = 3;
pub const LOG: u64 = 375;
pub const LOG_TOPIC: u64 = 375;
pub const LOG_DATA_BYTE: u64 = 8;
pub const BLOCKHASH: u64 = 20;
pub const WARM_STORAGE_READ: u64 = 100;
pub const COLD_SLOAD: u64 = 2100;
pub const COLD_ACCOUNT_ACCESS: u64 = 2600;
pub const SSTORE_SET: u64 = 20_000;
pub const SSTORE_RESET: u64 = 5_000 - COLD_SLOAD;
/// EIP-3529: SSTORE clearing refund.
pub const SSTORE_CLEARS_REFUND: i64 = 4_800;
/// EIP-2200: SSTORE fails when gas left is at or below the call stipend.
pub const SSTORE_SENTRY: u64 = 2_300;
pub const CALL_VALUE: u64 = 9_000;
pub const CALL_STIPEND: u64 = 2_300;
pub const NEW_ACCOUNT: u64 = 25_000;
pub const CREATE: u64 = 32_000;
pub const CODE_DEPOSIT_BYTE: u64 = 200;
pub const SELFDESTRUCT: u64 = 5_000;
pub const TRANSIENT: u64 = 100;
pub const INITCODE_WORD: u64 = 2;
pub const TX: u64 = 21_000;
pub const TX_CREATE: u64 = 32_000;
pub const TX_DATA_ZERO: u64 = 4;
pub const TX_DATA_NONZERO: u64 = 16;
pub const ACCESS_LIST_ADDRESS: u64 = 2_400;
pub const ACCESS_LIST_STORAGE_KEY: u64 = 1_900;
/// EIP-7702: intrinsic gas per authorization (what setting code on a new account costs).
pub const PER_EMPTY_ACCOUNT_COST: u64 = 25_000;
/// EIP-7702: what an authorization costs when its authority already exists; the difference to
/// [`PER_EMPTY_ACCOUNT_COST`] is refunded.
pub const PER_AUTH_BASE_COST: u64 = 12_500;
/// EIP-7623: the floor price of a calldata token (a zero byte is one token, another byte four).
pub const TOTAL_COST_FLOOR_PER_TOKEN: u64 = 10;
/// EIP-7623: tokens per non-zero calldata byte (`TX_DATA_NONZERO / TX_DATA_ZERO`).
const TOKENS_PER_NONZERO_BYTE: u64 = 4;
/// EIP-7939: CLZ costs what MUL does.
pub const CLZ: u64 = LOW;
/// EIP-3529: at most a fifth of the gas used is refunded.
pub const MAX_REFUND_QUOTIENT: u64 = 5;

/// EIP-170.
pub const MAX_CODE_SIZE: usize = 24_576;
/// EIP-3860.
pub const MAX_INITCODE_SIZE: usize = 2 * MAX_CODE_SIZE;
pub const CALL_DEPTH_LIMIT: usize = 1024;
pub const STACK_LIMIT: usize = 1024;

/// Words needed to hold `bytes` bytes.
#[inline]
pub const fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

/// Total cost of a memory of `words` words: `3w + w^2/512`.
#[inline]
pub const fn memory_cost(words: u64) -> u64 {
    VERYLOW
        .saturating_mul(words)
        .saturating_add(words.saturating_mul(words) / 512)
}

/// Cost of copying `len` bytes (CALLDATACOPY, CODECOPY, MCOPY, ...), without the base.
#[inline]
pub fn copy_cost(len: u64) -> u64 {
    COPY_WORD.saturating_mul(words(len))
}

/// Cost of KECCAK256 over `len` bytes.
#[inline]
pub fn keccak256_cost(len: u64) -> u64 {
    KECCAK256.saturating_add(KECCAK256_WORD.saturating_mul(words(len)))
}

/// Cost of LOGn with `len` data bytes.
#[inline]
pub fn log_cost(topics: u64, len: u64) -> u64 {
    LOG.saturating_add(LOG_TOPIC * topics)
        .saturating_add(LOG_DATA_BYTE.saturating_mul(len))
}

/// Dynamic cost of EXP for an exponent of `exponent_bytes` significant bytes.
#[inline]
pub fn exp_cost(exponent_bytes: u64) -> u64 {
    EXP + EXP_BYTE * exponent_bytes
}

/// EIP-3860: initcode cost per word, charged by CREATE/CREATE2 and creation transactions.
#[inline]
pub fn initcode_cost(len: u64) -> u64 {
    INITCODE_WORD.saturating_mul(words(len))
}

/// Warm or cold account access (EIP-2929).
#[inline]
pub fn account_access_cost(is_cold: bool) -> u64 {
    if is_cold {
        COLD_ACCOUNT_ACCESS
    } else {
        WARM_STORAGE_READ
    }
}

/// SLOAD (EIP-2929).
#[inline]
pub fn sload_cost(is_cold: bool) -> u64 {
    if is_cold {
        COLD_SLOAD
    } else {
        WARM_STORAGE_READ
    }
}

/// SSTORE cost (EIP-2200 with EIP-2929 cold surcharge). Words compare limb by limb
/// ([`crate::primitives::words_eq`]): `==` would be a `memcmp` syscall on SBF.
pub fn sstore_cost(
    original: &crate::U256,
    current: &crate::U256,
    new: &crate::U256,
    is_cold: bool,
) -> u64 {
    let base = if words_eq(new, current) || !words_eq(original, current) {
        WARM_STORAGE_READ
    } else if is_zero(original) {
        SSTORE_SET
    } else {
        SSTORE_RESET
    };
    if is_cold {
        base + COLD_SLOAD
    } else {
        base
    }
}

/// SSTORE refund change (EIP-2200 as amended by EIP-3529); may be negative.
pub fn sstore_refund(original: &crate::U256, current: &crate::U256, new: &crate::U256) -> i64 {
    if words_eq(new, current) {
        return 0;
    }
    if words_eq(original, current) {
        return if !is_zero(original) && is_zero(new) {
            SSTORE_CLEARS_REFUND
        } else {
            0
        };
    }
    let mut refund = 0;
    if !is_zero(original) {
        if is_zero(current) {
            refund -= SSTORE_CLEARS_REFUND;
        } else if is_zero(new) {
            refund += SSTORE_CLEARS_REFUND;
        }
    }
    if words_eq(original, new) {
        refund += if is_zero(original) {
            (SSTORE_SET - WARM_STORAGE_READ) as i64
        } else {
            (SSTORE_RESET - WARM_STORAGE_READ) as i64
        };
    }
    refund
}

/// Intrinsic gas of a transaction: base, calldata, creation, access list, initcode words, and
/// EIP-7702 authorizations.
pub fn intrinsic_gas(tx: &TxEnv) -> u64 {
    let zeros = zero_bytes(&tx.data);
    let non_zeros = tx.data.len() as u64 - zeros;
    let mut gas = TX + zeros * TX_DATA_ZERO + non_zeros * TX_DATA_NONZERO;
    if tx.to.is_none() {
        gas += TX_CREATE + initcode_cost(tx.data.len() as u64);
    }
    let authorizations = PER_EMPTY_ACCOUNT_COST.saturating_mul(tx.authorization_list.len() as u64);
    gas + access_list_cost(&tx.access_list) + authorizations
}

/// EIP-7623 (Prague on): the least gas a transaction is charged, `21000 + 10 * tokens` with a
/// token per zero byte and four per other byte of calldata, so that data-heavy transactions pay
/// for data even when their execution is cheap.
pub fn floor_gas(tx: &TxEnv) -> u64 {
    let zeros = zero_bytes(&tx.data);
    let tokens = zeros + (tx.data.len() as u64 - zeros) * TOKENS_PER_NONZERO_BYTE;
    TX + TOTAL_COST_FLOOR_PER_TOKEN * tokens
}

/// The zero bytes in `data`, eight at a time (on-chain a byte-at-a-time count of a 24 KB
/// creation costs ~100k CU).
fn zero_bytes(data: &[u8]) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut chunks = data.chunks_exact(8);
    let mut zeros = 0u64;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap());
        // The high bit of each byte of `nonzero` is set iff that byte of `word` is not zero.
        let nonzero = ((word & LOW7) + LOW7) | word;
        zeros += 8 - (nonzero & !LOW7).count_ones() as u64;
    }
    zeros + chunks.remainder().iter().filter(|b| **b == 0).count() as u64
}

fn access_list_cost(list: &[AccessListItem]) -> u64 {
    list.iter()
        .map(|item| ACCESS_LIST_ADDRESS + ACCESS_LIST_STORAGE_KEY * item.storage_keys.len() as u64)
        .sum()
}

/// EIP-150: all but one 64th of `gas`.
#[inline]
pub const fn all_but_one_64th(gas: u64) -> u64 {
    gas - gas / 64
}

#[cfg(test)]
mod tests {
    use super::{floor_gas, intrinsic_gas, zero_bytes};
    use crate::env::{Authorization, TxEnv};

    #[test]
    fn floor_counts_four_tokens_per_nonzero_byte() {
        let tx = TxEnv {
            data: alloc::vec![0, 1, 0, 2],
            to: Some([1; 20]),
            ..TxEnv::default()
        };
        // Tokens: 2 zeros + 2 * 4 = 10; intrinsic: 21000 + 2 * 4 + 2 * 16.
        assert_eq!(floor_gas(&tx), 21_000 + 100);
        assert_eq!(intrinsic_gas(&tx), 21_040);
    }

    #[test]
    fn authorizations_cost_per_empty_account() {
        let tx = TxEnv {
            to: Some([1; 20]),
            authorization_list: alloc::vec![Authorization::default(); 3],
            ..TxEnv::default()
        };
        assert_eq!(intrinsic_gas(&tx), 21_000 + 3 * 25_000);
    }

    #[test]
    fn zero_bytes_counts_like_a_byte_loop() {
        let mut data = alloc::vec::Vec::new();
        for i in 0..300u32 {
            data.push(if i % 3 == 0 || i % 7 == 0 {
                0
            } else {
                (i * 37 % 255 + 1) as u8
            });
            let naive = data.iter().filter(|b| **b == 0).count() as u64;
            assert_eq!(zero_bytes(&data), naive, "{} bytes", data.len());
        }
        assert_eq!(zero_bytes(&[0x80; 16]), 0);
        assert_eq!(zero_bytes(&[0; 17]), 17);
    }
}
