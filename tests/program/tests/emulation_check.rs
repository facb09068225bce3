//! The relayer checks every on-chain run against the emulation it relayed from
//! (`isthmus_client::emulate::differences`, a warning in rpc-proxy's log when they differ): it
//! must name each field that differs, and nothing when they agree.

use isthmus_program_tests::emulate::differences;
use isthmus_program_tests::*;
use solana_signer::Signer;

#[test]
fn names_what_differs_between_the_chain_and_the_emulation() {
    let (mut h, op) = Harness::with_fee_market(FeeMarketParams::default());
    let alice = EthWallet::new(0x72);
    h.deposit_to(&alice.address, 50_000_000_000).unwrap();
    let to = [0x5f; 20];
    let raw = alice.sign(&tx1559(
        h.config().chain_id,
        0,
        Some(to),
        7,
        vec![],
        100_000,
    ));
    let emulation = emulate(&h, &op.pubkey(), &raw);
    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed.receipt.status, 1);
    assert!(relayed.differences.is_empty(), "{:?}", relayed.differences);
    assert!(differences(&h, &emulation, &relayed.receipt).is_empty());

    // The receipt as if the chain had run it otherwise.
    let mut receipt = relayed.receipt.clone();
    receipt.status = 0;
    receipt.gas_used += 1;
    receipt.created_address = Some([1; 20]);
    let found = differences(&h, &emulation, &receipt);
    assert_eq!(
        found,
        [
            "status: on-chain 0, off-chain 1".to_string(),
            format!(
                "gas used: on-chain {}, off-chain {}",
                relayed.receipt.gas_used + 1,
                relayed.receipt.gas_used
            ),
            format!(
                "created address: on-chain Some(\"{}\"), off-chain None",
                "01".repeat(20)
            ),
        ]
    );

    // The emulation as if it had predicted another balance for the recipient and a storage slot.
    let mut predicted = emulation;
    let change = predicted
        .changes
        .accounts
        .iter_mut()
        .find(|c| c.address == to)
        .expect("the recipient changed");
    let info = change.info.as_mut().expect("the recipient exists");
    info.balance += isthmus_evm::U256::from(1);
    change
        .storage
        .push((isthmus_evm::U256::from(3), isthmus_evm::U256::from(9)));
    let found = differences(&h, &predicted, &relayed.receipt);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with(&format!("account {}: on-chain Some(", "5f".repeat(20))));
    assert_eq!(
        found[1],
        format!(
            "storage {}[0x3]: on-chain 0x0, off-chain 0x9",
            "5f".repeat(20)
        )
    );
}
