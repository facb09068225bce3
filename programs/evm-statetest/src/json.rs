//! The GeneralStateTests JSON format, as serde types.
//!
//! Every number, hash, address and byte string in the files is a `0x`-prefixed hex string; the
//! newtypes below parse them once, at load time, so the rest of the runner works on plain values.

use isthmus_evm::{Address, B256, U256};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One JSON file: test name -> test.
pub type TestFile = BTreeMap<String, StateTest>;

/// One named test: a pre-state, a transaction template, and the expected results per fork.
#[derive(Debug, Deserialize)]
pub struct StateTest {
    pub env: Env,
    pub pre: BTreeMap<Hex<Address>, PreAccount>,
    pub transaction: Transaction,
    /// Fork name -> expected results (the runner runs the forks `isthmus_evm::Fork` knows).
    pub post: BTreeMap<String, Vec<PostEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    pub current_coinbase: Hex<Address>,
    pub current_number: Hex<u64>,
    pub current_timestamp: Hex<u64>,
    pub current_gas_limit: Hex<u64>,
    pub current_base_fee: Option<Hex<U256>>,
    pub current_random: Option<Hex<B256>>,
    pub current_difficulty: Option<Hex<U256>>,
    pub current_excess_blob_gas: Option<Hex<u64>>,
}

#[derive(Debug, Deserialize)]
pub struct PreAccount {
    pub balance: Hex<U256>,
    pub nonce: Hex<u64>,
    pub code: Hex<Vec<u8>>,
    pub storage: BTreeMap<Hex<U256>, Hex<U256>>,
}

/// The transaction template: `data`, `gasLimit` and `value` are lists indexed by a post entry.
///
/// Numbers a transaction carries are read as [`Wide`]: a value no transaction can encode (over
/// 256 bits, or over 64 for a nonce or gas limit) makes that vector an invalid transaction,
/// not an unreadable file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub data: Vec<Hex<Vec<u8>>>,
    pub gas_limit: Vec<Hex<Wide>>,
    pub value: Vec<Hex<Wide>>,
    pub nonce: Hex<Wide>,
    /// Empty for a contract creation.
    pub to: Hex<Vec<u8>>,
    pub sender: Option<Hex<Address>>,
    pub secret_key: Option<Hex<B256>>,
    pub gas_price: Option<Hex<Wide>>,
    pub max_fee_per_gas: Option<Hex<Wide>>,
    pub max_priority_fee_per_gas: Option<Hex<Wide>>,
    /// One access list per `data` entry; a `null` entry means a transaction without one.
    pub access_lists: Option<Vec<Option<Vec<AccessListEntry>>>>,
    pub blob_versioned_hashes: Option<Vec<Hex<B256>>>,
    pub max_fee_per_blob_gas: Option<Hex<Wide>>,
    /// EIP-7702 authorizations: present (possibly empty) for a set-code transaction.
    pub authorization_list: Option<Vec<AuthorizationEntry>>,
}

/// One EIP-7702 authorization of the template; `signer` is what the signature recovers to (the
/// runner recovers it itself).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationEntry {
    pub chain_id: Hex<Wide>,
    pub address: Hex<Address>,
    pub nonce: Hex<Wide>,
    /// The parity; older fillers call it `v`.
    pub y_parity: Option<Hex<Wide>>,
    pub v: Option<Hex<Wide>>,
    pub r: Hex<Wide>,
    pub s: Hex<Wide>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessListEntry {
    pub address: Hex<Address>,
    pub storage_keys: Vec<Hex<B256>>,
}

/// One vector: which template entries to use and what must come out.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostEntry {
    pub indexes: Indexes,
    pub hash: Hex<B256>,
    pub logs: Hex<B256>,
    pub txbytes: Option<Hex<Vec<u8>>>,
    pub expect_exception: Option<String>,
    /// The expected post-state itself (newer fixtures): names the accounts behind a root mismatch.
    pub state: Option<BTreeMap<Hex<Address>, PreAccount>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Indexes {
    pub data: usize,
    pub gas: usize,
    pub value: usize,
}

/// A value written as a `0x` hex string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String", bound = "")]
pub struct Hex<T: FromHex>(pub T);

/// How a value is read from the hex digits after `0x`.
pub trait FromHex: Sized {
    fn from_hex(digits: &str) -> Result<Self, String>;
}

impl<T: FromHex> TryFrom<String> for Hex<T> {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        // `to` is "" for a contract creation.
        let digits = match s.strip_prefix("0x") {
            Some(digits) => digits,
            None if s.is_empty() => "",
            None => return Err(format!("{s:?} is not 0x-prefixed")),
        };
        T::from_hex(digits)
            .map(Hex)
            .map_err(|e| format!("{s:?}: {e}"))
    }
}

impl FromHex for Vec<u8> {
    fn from_hex(digits: &str) -> Result<Self, String> {
        if digits.len() % 2 != 0 {
            return Err("odd number of hex digits".into());
        }
        (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|e| e.to_string()))
            .collect()
    }
}

impl<const N: usize> FromHex for [u8; N] {
    fn from_hex(digits: &str) -> Result<Self, String> {
        let bytes = Vec::<u8>::from_hex(digits)?;
        bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("{} bytes, want {N}", b.len()))
    }
}

impl FromHex for U256 {
    fn from_hex(digits: &str) -> Result<Self, String> {
        if digits.is_empty() {
            return Ok(U256::ZERO);
        }
        U256::from_str_radix(digits, 16).map_err(|e| e.to_string())
    }
}

/// A number of any size: its value when it fits 256 bits, else `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Wide(pub Option<U256>);

impl FromHex for Wide {
    fn from_hex(digits: &str) -> Result<Self, String> {
        let significant = digits.trim_start_matches('0');
        if significant.len() > 64 {
            if !significant.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err("not hex".into());
            }
            return Ok(Wide(None));
        }
        U256::from_hex(significant).map(|v| Wide(Some(v)))
    }
}

impl Wide {
    /// The value if it fits 256 bits.
    pub fn u256(self) -> Option<U256> {
        self.0
    }

    /// The value if it fits 64 bits.
    pub fn u64(self) -> Option<u64> {
        self.0.and_then(|v| u64::try_from(v).ok())
    }
}

impl FromHex for u64 {
    fn from_hex(digits: &str) -> Result<Self, String> {
        if digits.is_empty() {
            return Ok(0);
        }
        u64::from_str_radix(digits, 16).map_err(|e| e.to_string())
    }
}

/// `0x`-prefixed lowercase hex, for messages.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
