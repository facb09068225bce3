//! `link_wallet`: a Solana wallet proves it acts for an Ethereum address and records that in its
//! reverse entry, PDA `["reverse", wallet]` (which `withdraw` reads).
//!
//! The proof is an EIP-191 `personal_sign` signature, what MetaMask and every Ethereum wallet
//! produce, by the address over [`link_message`], which names the wallet, the chain id and this
//! program: it cannot be replayed for another wallet, chain or deployment. Recovered with the
//! `secp256k1_recover` syscall. Linking again (to another address) overwrites the entry: both the
//! wallet and the new address must sign.

// anchor-lang 2.0.0-rc.2's generated exit hook decodes the `#[instruction]` arguments again and
// leaves them unused.
#![allow(unused_variables)]

use crate::error::IsthmusError;
use crate::events::WalletLinked;
use crate::host::crypto::{keccak256, keccak256_parts, SyscallCrypto};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::prelude::*;
use isthmus_evm::{Crypto, U256};

#[derive(Accounts)]
pub struct LinkWallet {
    /// The Solana wallet; pays the reverse entry's rent.
    #[account(mut)]
    pub wallet: Signer,
    /// Names the chain id the message must carry.
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    #[account(
        init_if_needed,
        payer = wallet,
        seeds = [b"reverse", wallet.address().as_ref()],
        bump
    )]
    pub reverse: Account<ReverseEntry>,
    pub system_program: Program<System>,
}

/// secp256k1's group order n.
const N: U256 = U256::from_be_bytes([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
]);

/// The text the Ethereum address signs (UTF-8, `\n` line ends; keys in base58, the chain id in
/// decimal):
///
/// ```text
/// Isthmus: link Solana wallet <wallet> to this Ethereum address.
/// Chain id: <chain id>
/// Program: <program id>
/// ```
pub fn link_message(wallet: &Address, chain_id: u64, program_id: &Address) -> Vec<u8> {
    let mut m = Vec::with_capacity(200);
    m.extend_from_slice(b"Isthmus: link Solana wallet ");
    base58(wallet.as_ref(), &mut m);
    m.extend_from_slice(b" to this Ethereum address.\nChain id: ");
    decimal(chain_id, &mut m);
    m.extend_from_slice(b"\nProgram: ");
    base58(program_id.as_ref(), &mut m);
    m
}

/// EIP-191 version 0x45 (`personal_sign`): keccak256("\x19Ethereum Signed Message:\n" + decimal
/// length + message).
pub fn personal_sign_hash(message: &[u8]) -> [u8; 32] {
    let mut length = Vec::with_capacity(20);
    decimal(message.len() as u64, &mut length);
    keccak256_parts(&[b"\x19Ethereum Signed Message:\n", &length, message])
}

/// The address that signed `hash` with `signature` (r, s, v; v 27/28 or 0/1), with r and s in
/// [1, n-1] and s at most n/2; `None` if invalid.
pub fn recover_address(hash: &[u8; 32], signature: &[u8; 65]) -> Option<[u8; 20]> {
    let r = U256::from_be_slice(&signature[..32]);
    let s = U256::from_be_slice(&signature[32..64]);
    if r.is_zero() || r >= N || s.is_zero() || s > N >> 1 {
        return None;
    }
    let recovery_id = match signature[64] {
        0 | 27 => 0,
        1 | 28 => 1,
        _ => return None,
    };
    let key =
        SyscallCrypto.secp256k1_recover(hash, signature[..64].try_into().unwrap(), recovery_id)?;
    let mut address = [0u8; 20];
    address.copy_from_slice(&keccak256(&key)[12..]);
    Some(address)
}

fn decimal(mut n: u64, out: &mut Vec<u8>) {
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

/// Bitcoin-alphabet base58, as Solana prints keys.
fn base58(bytes: &[u8], out: &mut Vec<u8>) {
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

impl LinkWallet {
    pub fn link(
        &mut self,
        program_id: &Address,
        address: [u8; 20],
        signature: [u8; 65],
        bumps: &LinkWalletBumps,
    ) -> Result<()> {
        let message = link_message(
            self.wallet.address(),
            self.config.chain_id.get(),
            program_id,
        );
        let signer = recover_address(&personal_sign_hash(&message), &signature)
            .ok_or(IsthmusError::BadLinkSignature)?;
        require!(signer == address, IsthmusError::BadLinkSignature);

        let reverse = &mut self.reverse;
        reverse.wallet = *self.wallet.address();
        reverse.address = address;
        reverse.bump = bumps.reverse;
        emit!(WalletLinked {
            wallet: *self.wallet.address(),
            address,
        });
        Ok(())
    }
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
