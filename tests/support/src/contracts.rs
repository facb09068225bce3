//! The compiled test contracts (tests/contracts/build, checked in; rebuilt by
//! scripts/compile-test-contracts.sh), a little ABI encoding, and running a transaction both
//! off-chain and on-chain and comparing the two.

use crate::*;
use isthmus_evm::U256;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::PathBuf;

/// The creation code of `tests/contracts/build/<name>.bin`.
pub fn creation_code(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../contracts/build")
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

/// A transaction run both ways.
pub struct Run {
    pub emulation: Emulation,
    pub receipt: Receipt,
    /// Compute units of every Solana transaction it took (holder writes, lookup tables, steps).
    pub cu: u64,
    /// The logs of the Solana transaction that carried the receipt.
    pub logs: Vec<String>,
    /// Bytes of the Solana transaction (of `execute` with the whole transaction).
    pub size: usize,
    /// `step` transactions it took (0: one `execute` or `execute_from_holder`).
    pub steps: usize,
}

impl Harness {
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

    /// [`Harness::run`] of an already signed transaction, relayed the one way there is
    /// ([`isthmus_relayer::relay`]: `execute`, else a holder and `execute_from_holder`, else
    /// `step`s), and checked: the chain must agree with the emulation.
    pub fn run_raw(&mut self, operator: &Keypair, raw: &[u8]) -> Run {
        let emulation = emulate(self, &operator.pubkey(), raw);
        let mut ixs = budget_ixs();
        ixs.push(execute_ix(&operator.pubkey(), raw, &emulation.metas));
        let size = transaction_size(&ixs, &operator.pubkey());
        let relayed = isthmus_relayer::relay_emulated(self, operator, raw, &emulation)
            .unwrap_or_else(|e| panic!("relay: {e}"));
        assert!(
            relayed.differences.is_empty(),
            "on-chain and off-chain runs differ:\n{}",
            relayed.differences.join("\n")
        );
        Run {
            emulation,
            receipt: relayed.receipt,
            cu: relayed.compute_units,
            logs: relayed.logs,
            size,
            steps: relayed.steps,
        }
    }
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
