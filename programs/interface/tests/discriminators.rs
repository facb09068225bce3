//! The discriminators are Anchor's: sha256("<namespace>:<Name>")[..8].

use isthmus_interface::{account, event, instruction};
use sha2::{Digest, Sha256};

fn anchor(namespace: &str, name: &str) -> [u8; 8] {
    Sha256::digest(format!("{namespace}:{name}").as_bytes())[..8]
        .try_into()
        .unwrap()
}

#[test]
fn accounts() {
    for (name, d) in [
        ("Config", account::CONFIG_DISCRIMINATOR),
        ("Vault", account::VAULT_DISCRIMINATOR),
        ("EthAccount", account::ETH_ACCOUNT_DISCRIMINATOR),
        ("EthCode", account::ETH_CODE_DISCRIMINATOR),
        ("StorageCell", account::STORAGE_CELL_DISCRIMINATOR),
        ("FeeMarket", account::FEE_MARKET_DISCRIMINATOR),
        (
            "BlockhashRegistry",
            account::BLOCKHASH_REGISTRY_DISCRIMINATOR,
        ),
        ("ReverseEntry", account::REVERSE_ENTRY_DISCRIMINATOR),
        ("Holder", account::HOLDER_DISCRIMINATOR),
    ] {
        assert_eq!(d, anchor("account", name), "{name}");
    }
}

#[test]
fn instructions() {
    for (name, d) in [
        ("initialize", instruction::INITIALIZE),
        ("deposit", instruction::DEPOSIT),
        ("execute", instruction::EXECUTE),
        ("crank_blockhashes", instruction::CRANK_BLOCKHASHES),
        ("link_wallet", instruction::LINK_WALLET),
        ("withdraw", instruction::WITHDRAW),
        ("holder_create", instruction::HOLDER_CREATE),
        ("holder_resize", instruction::HOLDER_RESIZE),
        ("holder_write", instruction::HOLDER_WRITE),
        ("holder_delete", instruction::HOLDER_DELETE),
        ("execute_from_holder", instruction::EXECUTE_FROM_HOLDER),
        ("step", instruction::STEP),
        ("cancel", instruction::CANCEL),
        ("update_config", instruction::UPDATE_CONFIG),
    ] {
        assert_eq!(d, anchor("global", name), "{name}");
    }
}

#[test]
fn events() {
    for (name, d) in [
        ("Initialized", event::INITIALIZED),
        ("Deposited", event::DEPOSITED),
        ("Executed", event::EXECUTED),
        ("EvmLog", event::EVM_LOG),
        ("MissingAccount", event::MISSING_ACCOUNT),
        ("StepProgress", event::STEP_PROGRESS),
        ("Dropped", event::DROPPED),
        ("WalletLinked", event::WALLET_LINKED),
        ("Withdrawn", event::WITHDRAWN),
    ] {
        assert_eq!(d, anchor("event", name), "{name}");
    }
}

#[test]
fn eth_account_round_trips() {
    use isthmus_evm::U256;
    let a = account::EthAccount {
        address: [3; 20],
        bump: 250,
        version: 1,
        nonce: 7,
        balance: U256::MAX - U256::from(5u64),
        code_hash: [9; 32],
        generation: 2,
        inline_storage: core::array::from_fn(|i| [i as u8; 32]),
    };
    let bytes = a.encode();
    assert_eq!(bytes.len(), account::eth_account::LEN);
    assert_eq!(account::EthAccount::decode(&bytes), Ok(a));
    assert_eq!(
        account::EthAccount::decode(&bytes[1..]),
        Err(isthmus_interface::DecodeError::Discriminator)
    );
}
