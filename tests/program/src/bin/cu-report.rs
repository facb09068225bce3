//! cu-report: loads target/deploy/isthmus.so into LiteSVM and prints, per workload,
//! `<name> <compute units> <evm gas> <solana transactions>`: compute units of every Solana
//! transaction the workload took (holder create/write/resize and steps included), the EVM gas of
//! the Ethereum transaction(s), and how many Solana transactions. Every workload and every setup
//! transaction runs on chain through the relayer (`isthmus_relayer::relay`: one `execute`, else
//! a holder with `execute_from_holder`, else `step`s; a refused attempt's compute counts, as a
//! cluster charges it) and is checked against the off-chain run; a workload that cannot be measured stops
//! the report (no guessed or pending numbers).
//!
//! The storage-heavy workload writes 40 distinct slots 5 times over. Every slot is a storage-cell
//! account the Solana transaction must name and lock, and a transaction may lock at most 64
//! accounts (`MAX_TX_ACCOUNT_LOCKS` before SIMD-0268; 128 once the feature
//! `increase_tx_account_lock_limit` is active, which it is not in LiteSVM 0.16's mainnet feature
//! set): with the 9 fixed accounts of a `step` (operator, config, blockhash registry, fee market,
//! SlotHashes, holder, system program, compute-budget program, this program) and the sender's,
//! COINBASE's and the contract's account and code, 40 cells make 53. 100 distinct slots
//! (`TooManyAccountLocks`) would need the transaction split. Such a Solana transaction is also
//! larger than a 1,232-byte packet as a legacy transaction (32 bytes a key; LiteSVM does not
//! check): it is sent as a v0 transaction through an address lookup table of its accounts
//! (`isthmus_relayer::lookup`), whose creation and extension (4 Solana transactions for 44
//! accounts) are counted in the workload, though a relayer could reuse one table per contract.
//!
//! Two lines follow the workloads: `disjoint-writes <transactions> <conflicting pairs>` (eight
//! ERC-20 transfers on eight tokens from eight senders through eight operators: pairs of their
//! Solana transactions that share a writable account, which a cluster cannot run in parallel; 0
//! is the goal), `operator-net <lamports>` (what an operator's SOL changed by over a hostile
//! workload at the prices rpc-proxy quotes, its gas earnings withdrawn, on a chain whose senders
//! pay their Solana costs as a cluster deployment does: `isthmus_test_support::economics`; the
//! goal is >= 0; a comment gives the figure when the operator bears them) and the runtime
//! features the chain ran with.
//!
//! Run: `cargo run --release --manifest-path tests/program/Cargo.toml --bin cu-report [--mainnet
//! | --all-features]`: mainnet-beta's runtime features (the default, also `ISTHMUS_FEATURES`),
//! or every feature Agave knows.

use isthmus_evm::U256;
use isthmus_program_tests::contracts::*;
use isthmus_program_tests::*;
use isthmus_relayer::relay_emulated;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

struct Report {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    bob: EthWallet,
}

/// A measured workload: compute units, gas, Solana transactions.
type Measured = (u64, u64, u64);

impl Report {
    fn sign(&self, to: Option<[u8; 20]>, data: Vec<u8>, gas: u64) -> Vec<u8> {
        let chain_id = self.h.config().chain_id;
        let nonce = self.h.eth_nonce(&self.alice.address);
        self.alice.sign(&tx1559(chain_id, nonce, to, 0, data, gas))
    }

    /// Runs `raw` on chain through the relayer (`isthmus_relayer::relay`: one `execute`, else a
    /// holder with `execute_from_holder`, else `step`s), checked against the off-chain run. On
    /// failure returns why, and nothing was applied.
    fn measure(&mut self, raw: &[u8]) -> Result<(Measured, Emulation), String> {
        let operator = self.operator.insecure_clone();
        let emulation = emulate(&self.h, &operator.pubkey(), raw);
        let relayed =
            relay_emulated(&mut self.h, &operator, raw, &emulation).map_err(|e| e.to_string())?;
        assert!(
            relayed.differences.is_empty(),
            "on-chain and off-chain runs differ: {:?}",
            relayed.differences
        );
        if std::env::var_os("CU_TRACE").is_some() {
            print_trace(&relayed.logs);
        }
        let gas = relayed.receipt.gas_used;
        Ok((
            (relayed.compute_units, gas, relayed.solana_txs as u64),
            emulation,
        ))
    }

    /// Measures and prints one workload; panics if it cannot run on chain.
    fn workload(&mut self, name: &str, raw: &[u8]) -> Emulation {
        match self.measure(raw) {
            Ok(((cu, gas, txs), emulation)) => {
                let status = &emulation.result().status;
                assert_eq!(*status, isthmus_evm::Status::Success, "{name}: {status:?}");
                println!("{name} {cu} {gas} {txs}");
                emulation
            }
            Err(why) => panic!("{name}: not measured: {why}"),
        }
    }

    /// A setup transaction, on chain (one `execute`, a holder or steps) and checked against the
    /// off-chain run. Returns the created address, if any.
    fn setup(&mut self, to: Option<[u8; 20]>, data: Vec<u8>) -> Option<[u8; 20]> {
        let raw = self.sign(to, data, 10_000_000);
        let operator = self.operator.insecure_clone();
        let run = self.h.run_raw(&operator, &raw);
        assert_eq!(run.receipt.status, 1, "setup: {:?}", run.receipt);
        run.receipt.created_address
    }
}

fn main() {
    for arg in std::env::args().skip(1) {
        let features = match arg.as_str() {
            "--mainnet" => "mainnet",
            "--all-features" => "all",
            other => panic!("cu-report: unknown argument {other} (--mainnet, --all-features)"),
        };
        // Read by `isthmus_svm::Features::from_env` when the harness builds its chain.
        std::env::set_var("ISTHMUS_FEATURES", features);
    }
    let features = Features::from_env();
    let (mut h, operator) = Harness::with_operator();
    let alice = EthWallet::new(0xa1);
    let bob = EthWallet::new(0xb0);
    let depositor = h.wallet(200 * SOL);
    h.send(
        &[deposit_ix(&depositor.pubkey(), &alice.address, 100 * SOL)],
        &depositor,
        &[],
    )
    .unwrap();
    let mut r = Report {
        h,
        operator,
        alice,
        bob,
    };
    println!("# workload compute-units evm-gas solana-transactions");
    let supply = U256::from(1_000_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let token_args = |name: &str, symbol: &str| token_deployment(name, symbol, supply);

    // ERC-20 deploy (OpenZeppelin, ~3 KB of initcode: a holder).
    let raw = r.sign(None, token_args("Token A", "TKA"), 3_000_000);
    let token_a = r
        .workload("erc20-deploy", &raw)
        .result()
        .created_address
        .unwrap();

    // ERC-20 transfer to a new holder of the token (the first call to the token: it creates the
    // token's fee market and the holder's balance cell), then the same transfer again (no account
    // created: what a token's everyday transfer costs).
    let bob_addr = r.bob.address;
    let transfer = calldata(
        "transfer(address,uint256)",
        &[Arg::Address(bob_addr), uint(1_000)],
    );
    let raw = r.sign(Some(token_a), transfer.clone(), 200_000);
    r.workload("erc20-transfer", &raw);
    let raw = r.sign(Some(token_a), transfer, 200_000);
    r.workload("erc20-transfer-again", &raw);

    // ERC-721 mint (OpenZeppelin; the deploy is setup).
    let nft = r.setup(None, creation_code("Nft")).unwrap();
    let alice_addr = r.alice.address;
    let raw = r.sign(
        Some(nft),
        calldata(
            "mint(address,uint256)",
            &[Arg::Address(alice_addr), uint(1)],
        ),
        200_000,
    );
    r.workload("erc721-mint", &raw);

    // Uniswap v2: a second token, the factory and a pair with liquidity (setup), then a swap
    // without the router: the input transfer to the pair and pair.swap, two transactions.
    let token_b = r.setup(None, token_args("Token B", "TKB")).unwrap();
    let reserves = U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let operator = r.operator.insecure_clone();
    let uni = uniswap_pair(&mut r.h, &operator, &r.alice, token_a, token_b, reserves);
    let amount_in = U256::from(10u64).pow(U256::from(18));
    let (mut cu, mut gas, mut txs) = (0, 0, 0);
    for (to, data) in uni.swap_calls(token_a, amount_in, reserves, alice_addr) {
        let raw = r.sign(Some(to), data, 300_000);
        let ((c, g, t), e) = r
            .measure(&raw)
            .unwrap_or_else(|why| panic!("uniswap-v2-swap: not measured: {why}"));
        assert_eq!(e.result().status, isthmus_evm::Status::Success);
        (cu, gas, txs) = (cu + c, gas + g, txs + t);
    }
    println!("uniswap-v2-swap {cu} {gas} {txs}");

    // Loops: deployed on chain (small), then run.
    let keccak_loop = r.setup(None, creation_code("KeccakLoop")).unwrap();
    for n in [100u64, 1_000] {
        let raw = r.sign(
            Some(keccak_loop),
            calldata("run(uint256)", &[uint(n)]),
            5_000_000,
        );
        r.workload(&format!("keccak-loop-{n}"), &raw);
    }
    let storage_loop = r.setup(None, creation_code("StorageLoop")).unwrap();
    let raw = r.sign(
        Some(storage_loop),
        calldata("run(uint256,uint256)", &[uint(0), uint(10)]),
        5_000_000,
    );
    r.workload("storage-loop-10", &raw);
    // Storage-heavy: 40 distinct slots (40 storage cells, within the account-lock limit: see the
    // module comment), each read and written 5 times.
    let rounds = r.setup(None, creation_code("StorageRounds")).unwrap();
    let raw = r.sign(
        Some(rounds),
        calldata(
            "run(uint256,uint256,uint256)",
            &[uint(0), uint(40), uint(5)],
        ),
        5_000_000,
    );
    r.workload("storage-loop-40x5", &raw);
    let burner = r.setup(None, creation_code("Burner")).unwrap();
    let raw = r.sign(
        Some(burner),
        calldata("burn(uint256)", &[uint(100_000)]),
        10_000_000,
    );
    r.workload("burn-loop-100000", &raw);

    let parallel = isthmus_program_tests::parallel::disjoint_writes();
    assert!(parallel.all_succeeded, "disjoint-writes: a transfer failed");
    println!(
        "disjoint-writes {} {}",
        parallel.transactions, parallel.conflicting_pairs
    );
    use isthmus_program_tests::economics::{charging_chain, hostile_workload};
    let economics = hostile_workload(charging_chain());
    println!("operator-net {}", economics.net);
    println!(
        "# operator-net: {} Solana transactions, {} wei of gas earned, senders paying their Solana \
         costs at a 10 gwei floor",
        economics.transactions, economics.earned_wei
    );
    let bearing = hostile_workload(FeeMarketParams::default());
    println!(
        "# operator-net when the operator bears the Solana costs (1 gwei, a development chain): {}",
        bearing.net
    );
    println!("# features: {features:?}");
}

/// With a program built with the `cu-trace` feature: the compute units between its traces
/// (`Program log: 0x6375, <phase>, ...` then `Program consumption: <remaining> units remaining`),
/// on stderr, each including the trace's own 200 CU; the first is what the Solana transaction
/// used before the instruction's run began.
fn print_trace(logs: &[String]) {
    const PHASES: [&str; 7] = [
        "before execute (Anchor accounts, config, operator check)",
        "check_transaction (decode, sender recovery)",
        "SolanaHost::load (remaining accounts)",
        "open_block, block hashes, into_machine",
        "machine.run",
        "prepare_code, fee markets",
        "settle (write accounts, events)",
    ];
    let mut last: Option<u64> = None;
    let mut phase = None;
    for line in logs {
        if let Some(rest) = line.strip_prefix("Program log: 0x6375, ") {
            phase = rest
                .split(',')
                .next()
                .and_then(|p| u64::from_str_radix(p.trim_start_matches("0x"), 16).ok());
        } else if let (Some(p), Some(rest)) = (phase, line.strip_prefix("Program consumption: ")) {
            let remaining: u64 = rest
                .split(' ')
                .next()
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            let name = PHASES.get(p as usize).copied().unwrap_or("?");
            match last {
                // (every relayed transaction asks for the whole limit)
                None => eprintln!(
                    "  cu-trace {name}: {}",
                    instructions::COMPUTE_UNIT_LIMIT as u64 - remaining
                ),
                Some(before) => eprintln!("  cu-trace {name}: {}", before - remaining),
            }
            last = Some(remaining);
            phase = None;
        }
    }
}
