//! What an operator earns or loses relaying a hostile workload at the prices rpc-proxy quotes
//! (`eth_gasPrice`: the fee market's floor; `eth_maxPriorityFeePerGas`: 0), issue 11: 1-wei
//! transfers to 20 new addresses, a contract deployed and writing 20 new storage slots, an
//! iterative transaction cancelled after three steps, and a transaction written into the holder
//! whose execution is refused (a nonce gap). The operator then withdraws the gas it was paid and
//! deletes its holder; `cu-report` prints the difference in its SOL as `operator-net`, on a chain
//! whose senders pay their Solana costs ([`charging_chain`]) and, for comparison, on one whose
//! operator bears them (the Ethereum gas figures of a development chain).

use crate::contracts::*;
use crate::relaying::Relaying;
use crate::*;
use isthmus_evm::U256;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The operator's lamports after the workload and its withdrawal, less before (negative: it
/// paid for its users).
pub struct OperatorNet {
    pub net: i128,
    /// Wei the operator was paid in gas (withdrawn as lamports).
    pub earned_wei: U256,
    /// Solana transactions it sent.
    pub transactions: usize,
}

/// A transaction from `wallet` (its next nonce) at the quoted price: max fee the floor, no tip.
fn quoted(
    h: &Harness,
    wallet: &EthWallet,
    to: Option<[u8; 20]>,
    data: Vec<u8>,
    gas: u64,
    value: u128,
) -> TxEnv {
    let nonce = h.eth_nonce(&wallet.address);
    let mut tx = tx1559(h.config().chain_id, nonce, to, value, data, gas);
    tx.gas_price = U256::from(h.config().fee_market.min_base_fee);
    tx.gas_priority_fee = Some(U256::ZERO);
    tx
}

/// [`quoted`], signed.
fn sign_quoted(
    h: &Harness,
    wallet: &EthWallet,
    to: Option<[u8; 20]>,
    data: Vec<u8>,
    gas: u64,
    value: u128,
) -> Vec<u8> {
    wallet.sign(&quoted(h, wallet, to, data, gas, value))
}

/// The fee market of a chain deployed to a cluster: senders pay their Solana costs, at a
/// 10 gwei floor (10 lamports a gas). At 1 gwei a new storage slot's rent (1.59M lamports) is
/// 1.59M gas, so EIP-7825's 16.7M cap would admit about ten new slots per transaction; at 10
/// gwei a slot is 159K gas and a new account 340K.
pub fn charging_chain() -> FeeMarketParams {
    FeeMarketParams {
        min_base_fee: 10_000_000_000,
        charge_solana_costs: true,
        ..FeeMarketParams::default()
    }
}

/// The workload on a chain with `fee_market`. Gas limits are generous: a transaction pays for
/// the gas it uses, and on a charging chain that includes the rent of what it creates.
pub fn hostile_workload(fee_market: FeeMarketParams) -> OperatorNet {
    let (mut h, op) = Harness::with_fee_market(fee_market);
    let alice = EthWallet::new(0xe1);
    h.deposit_to(&alice.address, 100_000_000_000).unwrap();
    let before = h.lamports(&op.pubkey());
    let mut transactions = 0;
    let mut run = |h: &mut Harness, op: &Keypair, raw: Vec<u8>| {
        let relayed = isthmus_relayer::relay(h, op, &raw).unwrap_or_else(|e| panic!("{e}"));
        transactions += relayed.solana_txs;
        relayed.receipt
    };

    // 1-wei transfers to 20 addresses that have no account yet.
    for i in 0..20u8 {
        let raw = sign_quoted(
            &h,
            &alice,
            Some([
                0xf0, i, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
                0xdd, 0xee, 0x12, 0x34, 0x56, i,
            ]),
            vec![],
            2_000_000,
            1,
        );
        assert_eq!(run(&mut h, &op, raw).status, 1);
    }
    // A contract writing 20 new slots (cells), deployed for it.
    let raw = sign_quoted(&h, &alice, None, creation_code("StorageLoop"), 3_000_000, 0);
    let store = run(&mut h, &op, raw).created_address.expect("deployed");
    let raw = sign_quoted(
        &h,
        &alice,
        Some(store),
        calldata("run(uint256,uint256)", &[uint(100), uint(20)]),
        8_000_000,
        0,
    );
    assert_eq!(run(&mut h, &op, raw).status, 1);

    // An iterative transaction cancelled after three steps.
    let raw = sign_quoted(&h, &alice, None, creation_code("Burner"), 3_000_000, 0);
    let burner = run(&mut h, &op, raw).created_address.expect("deployed");
    let raw = sign_quoted(
        &h,
        &alice,
        Some(burner),
        calldata("burn(uint256)", &[uint(100_000)]),
        10_000_000,
        0,
    );
    let emulation = emulate(&h, &op.pubkey(), &raw);
    let (holder, writes, _) = h.write_holder(&op, 0, &raw);
    transactions += writes;
    for _ in 0..3 {
        h.next_slot();
        h.step(&op, &holder, 10_000, &emulation.metas).unwrap();
        transactions += 1;
    }
    let cancelled = isthmus_relayer::holder::cancel(&mut h, &op, &emulation.metas, 0).unwrap();
    assert_eq!(cancelled.receipt.outcome, 3);
    transactions += 1;

    // A large transaction written into the holder, refused when executed (its nonce is ahead).
    let mut tx = quoted(&h, &alice, None, creation_code("Token"), 3_000_000, 0);
    tx.nonce += 5;
    let gapped = alice.sign(&tx);
    let (holder, writes, _) = h.write_holder(&op, 0, &gapped);
    transactions += writes;
    let mut ixs = budget_ixs();
    let metas = emulate(&h, &op.pubkey(), &gapped).metas;
    ixs.push(execute_from_holder_ix(
        &op.pubkey(),
        &holder,
        &[0; 20],
        &metas,
    ));
    let refused = h.send(&ixs, &op, &[]).unwrap_err();
    assert_eq!(refused.program_error(), Some(ProgramError::NonceMismatch));
    transactions += 1;

    // The operator takes its gas out and closes its holder.
    let op_eth = operator_eth_address(&op.pubkey());
    let earned_wei = h
        .eth_account(&op_eth)
        .map(|a| U256::from(a.balance))
        .unwrap_or_default();
    let lamports = (earned_wei / U256::from(WEI_PER_LAMPORT)).to::<u64>();
    h.send(&[withdraw_ix(&op.pubkey(), &op_eth, lamports)], &op, &[])
        .unwrap();
    h.send(&[holder_delete_ix(&op.pubkey(), &holder)], &op, &[])
        .unwrap();
    transactions += 2;
    OperatorNet {
        net: h.lamports(&op.pubkey()) as i128 - before as i128,
        earned_wei,
        transactions,
    }
}
