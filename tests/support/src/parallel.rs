//! The parallel-writes workload (issue 11): eight ERC-20 transfers on eight different tokens by
//! eight different senders to eight new recipients, relayed through a pool of eight operators.
//! Ethereum-wise they are independent, so a cluster must be able to run their Solana
//! transactions at once: their writable account sets (fee payer included) must be pairwise
//! disjoint. The program test asserts it; `cu-report` prints it as `disjoint-writes`.

use crate::contracts::*;
use crate::relaying::{conflicting_pairs, WriteRecorder};
use crate::*;
use isthmus_evm::U256;
use isthmus_relayer::OperatorPool;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeSet;

/// Transfers in the workload (and operators in its pool: the config's maximum).
pub const TRANSFERS: usize = 8;

/// What relaying the transfers took.
pub struct DisjointWrites {
    /// The writable accounts of each transfer's Solana transactions.
    pub writable: Vec<BTreeSet<Address>>,
    /// Solana transactions sent for the transfers.
    pub transactions: usize,
    /// Pairs of them that share a writable account.
    pub conflicting_pairs: usize,
    /// The transfers' receipts succeeded.
    pub all_succeeded: bool,
}

/// Sets up the tokens (each deployed by its sender, who gets the supply) on a harness with an
/// eight-operator pool, then relays the eight transfers, recording their writable accounts.
pub fn disjoint_writes() -> DisjointWrites {
    let keys: Vec<Keypair> = (0..TRANSFERS).map(|_| Keypair::new()).collect();
    let mut args = default_args();
    args.operators = keys.iter().map(|k| k.pubkey()).collect();
    let mut h = Harness::initialized_with(&args);
    for k in &keys {
        h.chain.airdrop(&k.pubkey(), 100_000_000_000).unwrap();
    }
    let pool = OperatorPool::new(keys);
    let chain_id = h.config().chain_id;
    let supply = U256::from(1_000_000u64);
    let senders: Vec<EthWallet> = (0..TRANSFERS)
        .map(|i| EthWallet::new(0x40 + i as u8))
        .collect();
    let mut tokens = Vec::new();
    for (i, sender) in senders.iter().enumerate() {
        h.deposit_to(&sender.address, 10_000_000_000).unwrap();
        let name = format!("Token {i}");
        let raw = sender.sign(&tx1559(
            chain_id,
            0,
            None,
            0,
            token_deployment(&name, &name, supply),
            3_000_000,
        ));
        h.next_slot();
        let run = h.run_raw(pool.next(), &raw);
        tokens.push(run.receipt.created_address.expect("the token deploys"));
    }
    let transfers: Vec<Vec<u8>> = senders
        .iter()
        .zip(&tokens)
        .enumerate()
        .map(|(i, (sender, token))| {
            let recipient = [0xd0 + i as u8; 20];
            let data = calldata(
                "transfer(address,uint256)",
                &[Arg::Address(recipient), uint(1_000)],
            );
            sender.sign(&tx1559(chain_id, 1, Some(*token), 0, data, 200_000))
        })
        .collect();
    let mut writable = Vec::new();
    let mut transactions = 0;
    let mut all_succeeded = true;
    for raw in &transfers {
        let mut recorder = WriteRecorder::new(&mut h);
        let relayed = pool
            .relay(&mut recorder, raw)
            .unwrap_or_else(|e| panic!("relay: {e}"));
        all_succeeded &= relayed.receipt.status == 1;
        transactions += recorder.writable.len();
        writable.push(recorder.writable.into_iter().flatten().collect());
    }
    DisjointWrites {
        conflicting_pairs: conflicting_pairs(&writable),
        writable,
        transactions,
        all_succeeded,
    }
}
