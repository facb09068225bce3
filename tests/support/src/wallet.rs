//! Ethereum keys that sign test transactions.

use crate::keccak;
use isthmus_client::interface::instruction::link_message as link_text;
use isthmus_evm::env::{Authorization, TxEnv, TxKind};
use isthmus_evm::{HostCrypto, U256};
use solana_address::Address;

/// An Ethereum key.
pub struct EthWallet {
    pub key: k256::ecdsa::SigningKey,
    pub address: [u8; 20],
}

impl EthWallet {
    /// The key `[seed; 32]`.
    pub fn new(seed: u8) -> Self {
        Self::from_key(&[seed; 32])
    }

    /// The wallet of a 32-byte private key.
    pub fn from_key(secret: &[u8]) -> Self {
        let key = k256::ecdsa::SigningKey::from_slice(secret).expect("a secp256k1 key");
        let point = key.verifying_key().to_encoded_point(false);
        let address = keccak(&point.as_bytes()[1..])[12..].try_into().unwrap();
        Self { key, address }
    }

    /// Signs `tx` (its `caller` is ignored) and returns the raw envelope.
    pub fn sign(&self, tx: &TxEnv) -> Vec<u8> {
        let hash = isthmus_evm::transaction::signing_hash(tx, &HostCrypto);
        let (sig, recid) = self.key.sign_prehash_recoverable(&hash).unwrap();
        let bytes = sig.to_bytes();
        let signature = isthmus_evm::transaction::Signature {
            y_parity: recid.is_y_odd(),
            r: U256::from_be_slice(&bytes[..32]),
            s: U256::from_be_slice(&bytes[32..]),
            v: 0,
        };
        isthmus_evm::transaction::encode(tx, &signature)
    }

    /// An EIP-7702 authorization: "my account runs the code at `address`" on chain `chain_id`
    /// while its nonce is `nonce`.
    pub fn authorize(&self, chain_id: u64, address: [u8; 20], nonce: u64) -> Authorization {
        let mut auth = Authorization {
            chain_id: U256::from(chain_id),
            address,
            nonce,
            ..Authorization::default()
        };
        let hash = isthmus_evm::transaction::authorization_signing_hash(&auth, &HostCrypto);
        let (sig, recid) = self.key.sign_prehash_recoverable(&hash).unwrap();
        let bytes = sig.to_bytes();
        auth.y_parity = recid.is_y_odd() as u8;
        auth.r = U256::from_be_slice(&bytes[..32]);
        auth.s = U256::from_be_slice(&bytes[32..]);
        auth
    }

    /// EIP-191 `personal_sign` of `message`: r || s || v (27/28).
    pub fn personal_sign(&self, message: &[u8]) -> [u8; 65] {
        let mut data = format!("\x19Ethereum Signed Message:\n{}", message.len()).into_bytes();
        data.extend_from_slice(message);
        let hash = keccak(&data);
        let (sig, recid) = self.key.sign_prehash_recoverable(&hash).unwrap();
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&sig.to_bytes());
        out[64] = 27 + recid.to_byte();
        out
    }

    /// The signature `link_wallet` needs to link `wallet` on chain `chain_id`.
    pub fn sign_link(&self, wallet: &Address, chain_id: u64) -> [u8; 65] {
        self.personal_sign(&link_message(wallet, chain_id, &crate::PROGRAM_ID))
    }
}

/// The text an Ethereum address signs to link `wallet` (`isthmus_interface`'s).
pub fn link_message(wallet: &Address, chain_id: u64, program_id: &Address) -> Vec<u8> {
    link_text(wallet.as_array(), chain_id, program_id.as_array())
}

/// An EIP-1559 transaction on chain `chain_id` (2 gwei cap, 1 gwei tip).
pub fn tx1559(
    chain_id: u64,
    nonce: u64,
    to: Option<[u8; 20]>,
    value: u128,
    data: Vec<u8>,
    gas_limit: u64,
) -> TxEnv {
    TxEnv {
        kind: TxKind::DynamicFee,
        chain_id: Some(chain_id),
        nonce,
        gas_price: U256::from(2_000_000_000u64),
        gas_priority_fee: Some(U256::from(1_000_000_000u64)),
        gas_limit,
        to,
        value: U256::from(value),
        data,
        ..TxEnv::default()
    }
}
