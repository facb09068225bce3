//! The node's own accounts, which sign for clients that send no signature (Hardhat's
//! `getSigners()`, `cast send --unlocked`, MetaMask-less scripts): on the embedded chain the ten
//! development accounts of [`crate::chain::MNEMONIC`], as anvil and the Hardhat node have them; on
//! a cluster none unless the operator asks for them (`--unlock-dev-accounts`).

use alloy_primitives::Address;
use alloy_signer_local::PrivateKeySigner;

/// The key that signs the envelopes of impersonated transactions: the program and the node take
/// the sender those name, never this key's address.
pub fn impersonation_signer() -> &'static PrivateKeySigner {
    static SIGNER: std::sync::OnceLock<PrivateKeySigner> = std::sync::OnceLock::new();
    SIGNER.get_or_init(|| {
        let key = alloy_primitives::keccak256(b"isthmus: impersonated transaction envelope");
        PrivateKeySigner::from_bytes(&key).expect("a hash is a valid key")
    })
}

#[derive(Default)]
pub struct NodeAccounts {
    signers: Vec<PrivateKeySigner>,
}

impl NodeAccounts {
    /// The ten development accounts.
    pub fn dev() -> Result<Self, String> {
        let signers = crate::chain::dev_accounts()?
            .into_iter()
            .map(|(_, key)| {
                PrivateKeySigner::from_bytes(&key.into()).map_err(|e| format!("dev key: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { signers })
    }

    /// Their addresses, in order (eth_accounts).
    pub fn addresses(&self) -> Vec<Address> {
        self.signers.iter().map(|s| s.address()).collect()
    }

    /// The signer of `address`, if the node holds its key.
    pub fn signer(&self, address: &Address) -> Option<&PrivateKeySigner> {
        self.signers.iter().find(|s| s.address() == *address)
    }
}
