//! Seeds of the program-derived addresses (the bump comes last, as always).

/// `["config"]`: the one `Config`.
pub const CONFIG: &[u8] = b"config";
/// `["vault"]`: the one `Vault`, which holds every deposited lamport.
pub const VAULT: &[u8] = b"vault";
/// `["account", address (20 bytes)]`: an Ethereum address's `EthAccount`.
pub const ACCOUNT: &[u8] = b"account";
/// `["code", address]`: its `EthCode`.
pub const CODE: &[u8] = b"code";
/// `["storage", address, slot (32 bytes, big-endian)]`: one `StorageCell`.
pub const STORAGE: &[u8] = b"storage";
/// `["blockhashes"]`: the one `BlockhashRegistry`.
pub const BLOCKHASHES: &[u8] = b"blockhashes";
/// `["fee", address]`: a contract's `FeeMarket` (the zero address's for creations).
pub const FEE: &[u8] = b"fee";
/// `["reverse", wallet (32 bytes)]`: a Solana wallet's `ReverseEntry`.
pub const REVERSE: &[u8] = b"reverse";
/// `["holder", operator (32 bytes), index (u64 little-endian)]`: an operator's `Holder`.
pub const HOLDER: &[u8] = b"holder";
