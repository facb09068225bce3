//! The compiled test contracts (tests/contracts/build, checked in; rebuilt by
//! scripts/compile-test-contracts.sh), a little ABI encoding, and running a transaction both
//! off-chain and on-chain and comparing the two.

use crate::emulate::{differences, emulate, unhex, Emulation};
use crate::*;

/// The creation code of `tests/contracts/build/<name>.bin`.
pub fn creation_code(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/contracts/build")
        .join(format!("{name}.bin"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/compile-test-contracts.sh)",
            path.display()
        )
    });
    unhex(&text)
}

/// The 4-byte selector of a function signature such as `transfer(address,uint256)`.
pub fn selector(signature: &str) -> [u8; 4] {
    keccak(signature.as_bytes())[..4].try_into().unwrap()
}

/// An ABI argument.
pub enum Arg<'a> {
    Uint(U256),
    Address([u8; 20]),
    Word([u8; 32]),
    Bytes(&'a [u8]),
    String(&'a str),
}

pub fn uint(v: u64) -> Arg<'static> {
    Arg::Uint(U256::from(v))
}

/// ABI-encodes `args` (head/tail, dynamic `bytes` and `string`).
pub fn encode(args: &[Arg]) -> Vec<u8> {
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let head_len = 32 * args.len();
    for arg in args {
        match arg {
            Arg::Uint(v) => head.extend_from_slice(&v.to_be_bytes::<32>()),
            Arg::Address(a) => {
                head.extend_from_slice(&[0; 12]);
                head.extend_from_slice(a);
            }
            Arg::Word(w) => head.extend_from_slice(w),
            Arg::Bytes(b) => dynamic(&mut head, &mut tail, head_len, b),
            Arg::String(s) => dynamic(&mut head, &mut tail, head_len, s.as_bytes()),
        }
    }
    head.extend_from_slice(&tail);
    head
}

fn dynamic(head: &mut Vec<u8>, tail: &mut Vec<u8>, head_len: usize, b: &[u8]) {
    head.extend_from_slice(&U256::from(head_len + tail.len()).to_be_bytes::<32>());
    tail.extend_from_slice(&U256::from(b.len()).to_be_bytes::<32>());
    tail.extend_from_slice(b);
    tail.resize(tail.len().div_ceil(32) * 32, 0);
}

/// Calldata: selector then the encoded arguments.
pub fn calldata(signature: &str, args: &[Arg]) -> Vec<u8> {
    let mut data = selector(signature).to_vec();
    data.extend_from_slice(&encode(args));
    data
}

/// A 20-byte address as an ABI word.
pub fn address_word(a: &[u8; 20]) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a);
    w
}

/// The serialized size of a legacy Solana transaction (signatures, then the message), to hold
/// it to the 1,232-byte packet limit (LiteSVM does not).
pub fn transaction_size(ixs: &[Instruction], payer: &Address) -> usize {
    fn shortvec(n: usize) -> usize {
        match n {
            0..=0x7f => 1,
            0x80..=0x3fff => 2,
            _ => 3,
        }
    }
    let message = Message::new(ixs, Some(payer));
    let signatures = message.header.num_required_signatures as usize;
    let mut size = shortvec(signatures) + 64 * signatures + 3;
    size += shortvec(message.account_keys.len()) + 32 * message.account_keys.len() + 32;
    size += shortvec(message.instructions.len());
    for ix in &message.instructions {
        size += 1 + shortvec(ix.accounts.len()) + ix.accounts.len();
        size += shortvec(ix.data.len()) + ix.data.len();
    }
    size
}

/// The Solana packet limit.
pub const PACKET_DATA_SIZE: usize = 1232;

/// A transaction run both ways.
pub struct Run {
    pub emulation: Emulation,
    pub receipt: Receipt,
    pub cu: u64,
    pub logs: Vec<String>,
    /// Bytes of the Solana transaction (of `execute` with the whole transaction).
    pub size: usize,
    /// `step` transactions it took (0: one `execute` or `execute_from_holder`).
    pub steps: usize,
}

impl Harness {
    /// The nonce of `address` on chain (0 without an account).
    pub fn eth_nonce(&self, address: &[u8; 20]) -> u64 {
        self.eth_account(address).map(|a| a.nonce).unwrap_or(0)
    }

    /// Signs a transaction from `wallet` (its current nonce), runs it off-chain, sends it with
    /// the accounts the run found, and asserts that the chain agrees with the off-chain run and
    /// that the Solana transaction fits a packet.
    pub fn run(
        &mut self,
        operator: &Keypair,
        wallet: &EthWallet,
        to: Option<[u8; 20]>,
        value: u128,
        data: Vec<u8>,
        gas_limit: u64,
    ) -> Run {
        let chain_id = self.config().chain_id;
        let nonce = self.eth_nonce(&wallet.address);
        let raw = wallet.sign(&tx1559(chain_id, nonce, to, value, data, gas_limit));
        self.run_raw(operator, &raw)
    }

    /// [`Harness::run`] of an already signed transaction, the way a relayer would send it: one
    /// `execute` when it fits a packet; else written into the operator's holder 0 and run with
    /// `execute_from_holder`; and when one instruction's compute or heap is not enough (or the
    /// code it creates is too large for one instruction to store), `step`ped to the end. A
    /// refused attempt changes nothing, so falling back is safe.
    pub fn run_raw(&mut self, operator: &Keypair, raw: &[u8]) -> Run {
        let emulation = emulate(&self.svm, &operator.pubkey(), raw);
        let mut ixs = budget_ixs();
        ixs.push(execute_ix(&operator.pubkey(), raw, &emulation.metas));
        let size = transaction_size(&ixs, &operator.pubkey());
        let first = if size <= PACKET_DATA_SIZE {
            self.send(&ixs, operator, &[])
        } else {
            // Too large for one Solana transaction: through the operator's holder.
            let (holder, _, _) = self.write_holder(operator, 0, raw);
            let to = ix::tx_to(raw).unwrap_or([0; 20]);
            let mut ixs = budget_ixs();
            ixs.push(execute_from_holder_ix(
                &operator.pubkey(),
                &holder,
                &to,
                &emulation.metas,
            ));
            self.lookup_table_if_needed(operator, &ixs);
            self.send(&ixs, operator, &[])
        };
        let (receipt, cu, logs, steps) = match first {
            Ok(success) => (receipt(&success.logs), success.cu, success.logs, 0),
            Err(f) if needs_steps(&f) => {
                let (holder, _, _) = self.write_holder(operator, 0, raw);
                let run = self.step_to_end(operator, &holder, 0, &emulation.metas, 1_000);
                (run.receipt, run.total_cu, Vec::new(), run.steps)
            }
            Err(f) => panic!("execute: {:?}\n{}", f.err, f.logs.join("\n")),
        };
        self.lookup_tables.clear();
        let diffs = differences(&self.svm, &emulation, &receipt);
        assert!(
            diffs.is_empty(),
            "on-chain and off-chain runs differ:\n{}",
            diffs.join("\n")
        );
        Run {
            emulation,
            receipt,
            cu,
            logs,
            size,
            steps,
        }
    }
}

/// Whether a refused `execute`/`execute_from_holder` would run through `step`s: it ran out of
/// compute or of its 256 KiB heap, or created code too large to store in one instruction.
pub fn needs_steps(f: &Failure) -> bool {
    out_of_compute(f)
        || format!("{:?}", f.err).contains("ComputationalBudgetExceeded")
        || f.logs
            .iter()
            .any(|l| l.contains("Panicked") && l.contains("alloc"))
        || matches!(
            f.err,
            solana_transaction_error::TransactionError::InstructionError(
                _,
                solana_instruction_error::InstructionError::Custom(exec_code::CODE_NEEDS_STEPS)
            )
        )
}

/// Creation code with ABI-encoded constructor arguments.
pub fn with_args(name: &str, args: &[Arg]) -> Vec<u8> {
    let mut code = creation_code(name);
    code.extend(encode(args));
    code
}

/// An OpenZeppelin ERC-20 deployment (`Token(name, symbol, supply)`, supply to the deployer).
pub fn token_deployment(name: &str, symbol: &str, supply: U256) -> Vec<u8> {
    with_args(
        "Token",
        &[Arg::String(name), Arg::String(symbol), Arg::Uint(supply)],
    )
}

/// A Uniswap v2 pair of two tokens with liquidity.
pub struct UniswapPair {
    pub factory: [u8; 20],
    pub pair: [u8; 20],
    /// The pair's token0 (the lower address).
    pub token0: [u8; 20],
}

/// Deploys the Uniswap v2 factory, creates the (a, b) pair and adds `liquidity` of both tokens
/// (held by `wallet`), every transaction on chain and compared with the off-chain run
/// ([`Harness::run`]): the factory's 14 KB of initcode goes through a holder and `step`s, and
/// `createPair` (which CREATE2s an 11 KB pair) through `step`s.
pub fn uniswap_pair(
    h: &mut Harness,
    operator: &Keypair,
    wallet: &EthWallet,
    a: [u8; 20],
    b: [u8; 20],
    liquidity: U256,
) -> UniswapPair {
    let gas = 10_000_000;
    let run = h.run(
        operator,
        wallet,
        None,
        0,
        with_args("UniswapV2Factory", &[Arg::Address(wallet.address)]),
        gas,
    );
    assert_eq!(run.receipt.status, 1, "factory deploy");
    assert!(run.steps > 0, "the factory's deploy needs steps");
    eprintln!(
        "uniswap: factory deploy, {} steps, {} CU",
        run.steps, run.cu
    );
    let factory = run.receipt.created_address.unwrap();
    let pair_call = calldata(
        "createPair(address,address)",
        &[Arg::Address(a), Arg::Address(b)],
    );
    let created = h.run(operator, wallet, Some(factory), 0, pair_call, gas);
    assert_eq!(created.receipt.status, 1, "createPair");
    eprintln!(
        "uniswap: createPair, {} steps, {} CU",
        created.steps, created.cu
    );
    let pair: [u8; 20] = created.emulation.result().output[12..32]
        .try_into()
        .unwrap();
    for token in [a, b] {
        let transfer = calldata(
            "transfer(address,uint256)",
            &[Arg::Address(pair), Arg::Uint(liquidity)],
        );
        let run = h.run(operator, wallet, Some(token), 0, transfer, gas);
        assert_eq!(run.receipt.status, 1, "liquidity transfer");
    }
    let mint = calldata("mint(address)", &[Arg::Address(wallet.address)]);
    let run = h.run(operator, wallet, Some(pair), 0, mint, gas);
    assert_eq!(run.receipt.status, 1, "pair mint");
    UniswapPair {
        factory,
        pair,
        token0: a.min(b),
    }
}

impl UniswapPair {
    /// The two calls of a swap of `amount_in` of `token_in` without the router: the input
    /// transfer to the pair, then `pair.swap` for the output the constant-product formula (with
    /// the 0.3% fee) allows at equal `reserves`, to `to`.
    pub fn swap_calls(
        &self,
        token_in: [u8; 20],
        amount_in: U256,
        reserves: U256,
        to: [u8; 20],
    ) -> [([u8; 20], Vec<u8>); 2] {
        let out = amount_in * U256::from(997u64) * reserves
            / (reserves * U256::from(1000u64) + amount_in * U256::from(997u64));
        let (out0, out1) = if token_in == self.token0 {
            (U256::ZERO, out)
        } else {
            (out, U256::ZERO)
        };
        [
            (
                token_in,
                calldata(
                    "transfer(address,uint256)",
                    &[Arg::Address(self.pair), Arg::Uint(amount_in)],
                ),
            ),
            (
                self.pair,
                calldata(
                    "swap(uint256,uint256,address,bytes)",
                    &[
                        Arg::Uint(out0),
                        Arg::Uint(out1),
                        Arg::Address(to),
                        Arg::Bytes(&[]),
                    ],
                ),
            ),
        ]
    }
}
