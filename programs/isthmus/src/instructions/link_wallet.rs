//! `link_wallet`: a Solana wallet proves it acts for an Ethereum address and records that in its
//! reverse entry, PDA `["reverse", wallet]` (which `withdraw` reads).
//!
//! The proof is an EIP-191 `personal_sign` signature, what MetaMask and every Ethereum wallet
//! produce, by the address over `isthmus_interface::instruction::link_message`, which names the wallet, the chain id and this
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

/// EIP-191 version 0x45 (`personal_sign`): keccak256("\x19Ethereum Signed Message:\n" + decimal
/// length + message).
pub fn personal_sign_hash(message: &[u8]) -> [u8; 32] {
    let mut length = Vec::with_capacity(20);
    isthmus_interface::instruction::decimal(message.len() as u64, &mut length);
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

impl LinkWallet {
    pub fn link(
        &mut self,
        program_id: &Address,
        address: [u8; 20],
        signature: [u8; 65],
        bumps: &LinkWalletBumps,
    ) -> Result<()> {
        let message = isthmus_interface::instruction::link_message(
            self.wallet.address().as_array(),
            self.config.chain_id.get(),
            program_id.as_array(),
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
