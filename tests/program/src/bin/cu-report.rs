//! cu-report: loads target/deploy/isthmus.so into LiteSVM and prints, per workload,
//! `<name> <compute units> <evm gas> <solana transactions>`. A workload that needs what this
//! program build does not have yet (holder deploys for large initcode, iterative steps beyond one
//! Solana transaction's 1.4M CU) is printed as `<name> pending <evm gas> - (<why>)`: never a
//! guessed number. Workloads whose setup needs such a transaction get their setup installed as a
//! fixture from the off-chain run (tests/program/src/emulate.rs).
//!
//! Run: `cargo run --release --manifest-path tests/program/Cargo.toml --bin cu-report`.

use isthmus_evm::U256;
use isthmus_program_tests::contracts::*;
use isthmus_program_tests::emulate::{emulate, install, Emulation};
use isthmus_program_tests::ix::*;
use isthmus_program_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

struct Report {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    bob: EthWallet,
    next_holder: u64,
}

/// A measured workload: compute units, gas, Solana transactions.
type Measured = (u64, u64, u64);

impl Report {
    fn sign(&self, to: Option<[u8; 20]>, data: Vec<u8>, gas: u64) -> Vec<u8> {
        let chain_id = self.h.config().chain_id;
        let nonce = self.h.eth_nonce(&self.alice.address);
        self.alice.sign(&tx1559(chain_id, nonce, to, 0, data, gas))
    }

    /// Runs `raw` on chain the cheapest way that works: one `execute` if it fits a packet and the
    /// compute budget, else a holder (+ steps). On failure returns why, and nothing was applied.
    fn measure(&mut self, raw: &[u8]) -> Result<(Measured, Emulation), String> {
        let op = self.operator.pubkey();
        let emulation = emulate(&self.h.svm, &op, raw);
        let gas = emulation.result().gas_used;
        let mut ixs = budget_ixs();
        ixs.push(execute_ix(&op, raw, &emulation.metas));
        let why;
        if transaction_size(&ixs, &op) <= PACKET_DATA_SIZE {
            let operator = self.operator.insecure_clone();
            match self.h.send(&ixs, &operator, &[]) {
                Ok(s) => {
                    let r = receipt(&s.logs);
                    assert_eq!(
                        r.gas_used, gas,
                        "on-chain gas differs from the off-chain run"
                    );
                    return Ok(((s.cu, gas, 1), emulation));
                }
                Err(f) if exceeded(&f) => why = "over 1.4M CU in one execute",
                Err(f) => return Err(format!("execute failed: {:?}", f.err)),
            }
        } else {
            why = "too large for one Solana transaction";
        }
        self.via_holder(raw, &emulation)
            .map(|(cu, txs)| ((cu, gas, txs), emulation))
            .map_err(|e| format!("{why}; {e}; gas from the off-chain run"))
    }

    /// holder_create, holder_write in chunks (and holder_resize for room), then
    /// execute_from_holder, or, when that exceeds one Solana transaction's compute, `step`s until
    /// the receipt. Counts every Solana transaction that ran, and its compute.
    fn via_holder(&mut self, raw: &[u8], emulation: &Emulation) -> Result<(u64, u64), String> {
        let operator = self.operator.insecure_clone();
        let op = operator.pubkey();
        let index = self.next_holder;
        self.next_holder += 1;
        let to = tx_to(raw).unwrap_or([0; 20]);
        let (holder, writes, write_cu) = self.h.write_holder(&operator, index, raw);
        let (mut cu, mut txs) = (write_cu, writes as u64);
        let mut ixs = budget_ixs();
        ixs.push(execute_from_holder_ix(&op, &holder, &to, &emulation.metas));
        match self.h.send(&ixs, &operator, &[]) {
            Ok(s) => {
                cu += s.cu;
                txs += 1;
            }
            Err(f) if exceeded(&f) || out_of_heap(&f) => {
                let run = self
                    .h
                    .step_to_end(&operator, &holder, 0, &emulation.metas, 10_000);
                cu += run.total_cu;
                txs += run.steps as u64;
                assert!(run.max_cu <= 1_400_000);
            }
            Err(f) => return Err(format!("execute_from_holder: {:?}", f.err)),
        }
        self.h
            .send(&[holder_delete_ix(&op, &holder)], &operator, &[])
            .map_err(|f| format!("holder_delete: {:?}", f.err))?;
        Ok((cu, txs))
    }

    /// Measures and prints one workload; on failure installs its state from the off-chain run
    /// (so later workloads can build on it) and prints it as pending.
    fn workload(&mut self, name: &str, raw: &[u8]) -> Emulation {
        match self.measure(raw) {
            Ok(((cu, gas, txs), emulation)) => {
                let status = &emulation.result().status;
                assert_eq!(*status, isthmus_evm::Status::Success, "{name}: {status:?}");
                println!("{name} {cu} {gas} {txs}");
                emulation
            }
            Err(why) => {
                let emulation = emulate(&self.h.svm, &self.operator.pubkey(), raw);
                println!("{name} pending {} - ({why})", emulation.result().gas_used);
                install(&mut self.h.svm, &emulation.changes);
                emulation
            }
        }
    }

    /// A setup transaction: on chain if it fits one `execute`, else installed from the
    /// off-chain run. Returns the created address, if any.
    fn setup(&mut self, to: Option<[u8; 20]>, data: Vec<u8>) -> Option<[u8; 20]> {
        let raw = self.sign(to, data, 10_000_000);
        let op = self.operator.pubkey();
        let emulation = emulate(&self.h.svm, &op, &raw);
        let result = emulation.result().clone();
        assert_eq!(
            result.status,
            isthmus_evm::Status::Success,
            "setup: {result:?}"
        );
        let mut ixs = budget_ixs();
        ixs.push(execute_ix(&op, &raw, &emulation.metas));
        let operator = self.operator.insecure_clone();
        let on_chain = transaction_size(&ixs, &op) <= PACKET_DATA_SIZE
            && self.h.send(&ixs, &operator, &[]).is_ok();
        if !on_chain {
            install(&mut self.h.svm, &emulation.changes);
        }
        result.created_address
    }
}

fn exceeded(f: &Failure) -> bool {
    f.logs
        .iter()
        .any(|l| l.contains("exceeded CUs meter") || l.contains("computational budget exceeded"))
        || format!("{:?}", f.err).contains("ComputationalBudgetExceeded")
}

/// The program ran out of its 256 KiB heap (a large transaction in one instruction).
fn out_of_heap(f: &Failure) -> bool {
    f.logs
        .iter()
        .any(|l| l.contains("Panicked") && l.contains("alloc"))
}

fn main() {
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
        next_holder: 0,
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

    // ERC-20 transfer to a new holder of the token.
    let bob_addr = r.bob.address;
    let raw = r.sign(
        Some(token_a),
        calldata(
            "transfer(address,uint256)",
            &[Arg::Address(bob_addr), uint(1_000)],
        ),
        200_000,
    );
    r.workload("erc20-transfer", &raw);

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

    // Uniswap v2: a second token, the factory and a pair with liquidity (fixtures), then a swap
    // without the router: the input transfer to the pair and pair.swap, two transactions.
    let token_b = r.setup(None, token_args("Token B", "TKB")).unwrap();
    let reserves = U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let op = r.operator.pubkey();
    let operator = r.operator.insecure_clone();
    let uni = uniswap_pair(&mut r.h, &operator, &r.alice, token_a, token_b, reserves);
    let amount_in = U256::from(10u64).pow(U256::from(18));
    let (mut cu, mut gas, mut txs, mut pending) = (0, 0, 0, None);
    for (to, data) in uni.swap_calls(token_a, amount_in, reserves, alice_addr) {
        let raw = r.sign(Some(to), data, 300_000);
        match r.measure(&raw) {
            Ok(((c, g, t), e)) => {
                assert_eq!(e.result().status, isthmus_evm::Status::Success);
                (cu, gas, txs) = (cu + c, gas + g, txs + t);
            }
            Err(why) => {
                let e = emulate(&r.h.svm, &op, &raw);
                gas += e.result().gas_used;
                install(&mut r.h.svm, &e.changes);
                pending = Some(why);
            }
        }
    }
    match pending {
        None => println!("uniswap-v2-swap {cu} {gas} {txs}"),
        Some(why) => println!("uniswap-v2-swap pending {gas} - ({why})"),
    }

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
    let mut start = 0;
    for n in [10u64, 100] {
        let raw = r.sign(
            Some(storage_loop),
            calldata("run(uint256,uint256)", &[uint(start), uint(n)]),
            5_000_000,
        );
        start += n;
        r.workload(&format!("storage-loop-{n}"), &raw);
    }
    let burner = r.setup(None, creation_code("Burner")).unwrap();
    let raw = r.sign(
        Some(burner),
        calldata("burn(uint256)", &[uint(100_000)]),
        10_000_000,
    );
    r.workload("burn-loop-100000", &raw);
}
