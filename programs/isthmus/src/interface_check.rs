//! The program's Anchor declarations agree with `isthmus_interface`, which every client reads:
//! discriminators, account sizes and event encodings.

use crate::{events, instruction, state};
use anchor_lang::{Discriminator, Event};
use isthmus_interface::account as layout;
use isthmus_interface::event as ev;
use isthmus_interface::instruction as ix;

fn size<T>() -> usize {
    8 + core::mem::size_of::<T>()
}

#[test]
fn accounts() {
    let cases: [(&[u8], [u8; 8], usize, usize); 6] = [
        (
            state::Config::DISCRIMINATOR,
            layout::CONFIG_DISCRIMINATOR,
            size::<state::Config>(),
            layout::config::LEN,
        ),
        (
            state::Vault::DISCRIMINATOR,
            layout::VAULT_DISCRIMINATOR,
            size::<state::Vault>(),
            layout::vault::LEN,
        ),
        (
            state::EthAccount::DISCRIMINATOR,
            layout::ETH_ACCOUNT_DISCRIMINATOR,
            size::<state::EthAccount>(),
            layout::eth_account::LEN,
        ),
        (
            state::FeeMarket::DISCRIMINATOR,
            layout::FEE_MARKET_DISCRIMINATOR,
            size::<state::FeeMarket>(),
            layout::fee_market::LEN,
        ),
        (
            state::BlockhashRegistry::DISCRIMINATOR,
            layout::BLOCKHASH_REGISTRY_DISCRIMINATOR,
            size::<state::BlockhashRegistry>(),
            layout::blockhashes::LEN,
        ),
        (
            state::ReverseEntry::DISCRIMINATOR,
            layout::REVERSE_ENTRY_DISCRIMINATOR,
            size::<state::ReverseEntry>(),
            layout::reverse::LEN,
        ),
    ];
    for (anchor, interface, anchor_len, interface_len) in cases {
        assert_eq!(anchor, interface);
        assert_eq!(anchor_len, interface_len);
    }
}

#[test]
fn instructions() {
    let cases: [(&[u8], [u8; 8]); 14] = [
        (instruction::Initialize::DISCRIMINATOR, ix::INITIALIZE),
        (instruction::Deposit::DISCRIMINATOR, ix::DEPOSIT),
        (instruction::Execute::DISCRIMINATOR, ix::EXECUTE),
        (
            instruction::CrankBlockhashes::DISCRIMINATOR,
            ix::CRANK_BLOCKHASHES,
        ),
        (instruction::LinkWallet::DISCRIMINATOR, ix::LINK_WALLET),
        (instruction::Withdraw::DISCRIMINATOR, ix::WITHDRAW),
        (instruction::HolderCreate::DISCRIMINATOR, ix::HOLDER_CREATE),
        (instruction::HolderResize::DISCRIMINATOR, ix::HOLDER_RESIZE),
        (instruction::HolderWrite::DISCRIMINATOR, ix::HOLDER_WRITE),
        (instruction::HolderDelete::DISCRIMINATOR, ix::HOLDER_DELETE),
        (
            instruction::ExecuteFromHolder::DISCRIMINATOR,
            ix::EXECUTE_FROM_HOLDER,
        ),
        (instruction::Step::DISCRIMINATOR, ix::STEP),
        (instruction::Cancel::DISCRIMINATOR, ix::CANCEL),
        (instruction::UpdateConfig::DISCRIMINATOR, ix::UPDATE_CONFIG),
    ];
    for (anchor, interface) in cases {
        assert_eq!(anchor, interface);
    }
}

#[test]
fn events_decode_as_the_interface_reads_them() {
    let executed = events::Executed {
        tx_hash: [1; 32],
        sender: [2; 20],
        nonce: 3,
        status: 0,
        outcome: 1,
        gas_used: 21_000,
        effective_gas_price: isthmus_evm::U256::from(7u64).to_le_bytes::<32>(),
        created_address: Some([4; 20]),
        log_count: 1,
        revert_data: alloc::vec![5, 6],
    };
    let log = events::EvmLog {
        tx_hash: [1; 32],
        index: 0,
        address: [8; 20],
        topics: alloc::vec![[9; 32]],
        data: alloc::vec![10],
    };
    let bytes = [executed.data(), log.data()];
    let receipt = ev::Receipt::find(bytes.iter().map(|b| b.as_slice()))
        .unwrap()
        .unwrap();
    assert_eq!(receipt.nonce, 3);
    assert_eq!(receipt.outcome, 1);
    assert_eq!(receipt.effective_gas_price, isthmus_evm::U256::from(7u64));
    assert_eq!(receipt.created_address, Some([4; 20]));
    assert_eq!(receipt.revert_data, [5, 6]);
    assert_eq!(receipt.logs[0].topics, [[9; 32]]);
    let progress = events::StepProgress {
        tx_hash: [1; 32],
        steps: 10,
        gas_spent: 20,
        restarts: 2,
        pause: 3,
    };
    assert_eq!(
        ev::Event::decode(&progress.data()),
        Ok(ev::Event::StepProgress(ev::StepProgress {
            tx_hash: [1; 32],
            steps: 10,
            gas_spent: 20,
            restarts: 2,
            pause: ev::pause::HOLDER_FULL,
        }))
    );
    let dropped = events::Dropped {
        tx_hash: [1; 32],
        reason: 6014,
    };
    assert!(
        matches!(ev::Event::decode(&dropped.data()), Ok(ev::Event::Dropped(d)) if d.reason == 6014)
    );
}
