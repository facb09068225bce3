use anchor_lang::prelude::*;

/// The reverse registry entry of a Solana wallet, PDA `["reverse", wallet]`: the Ethereum address
/// the wallet proved it acts for (`link_wallet`). `withdraw` pays that address's wei to the wallet.
#[account]
pub struct ReverseEntry {
    /// The Solana wallet (also in the seeds; kept so the account describes itself).
    pub wallet: Address,
    /// The Ethereum address that signed the link.
    pub address: [u8; 20],
    /// Canonical bump of this PDA.
    pub bump: u8,
}
