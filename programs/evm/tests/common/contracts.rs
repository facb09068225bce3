//! The real contracts (solc 0.8.24 + OpenZeppelin 5, compiled by scripts/compile-bench-contracts.sh)
//! and small helpers to deploy them and to call them.

use super::world::{keccak, Account, Case, World};
use isthmus_evm::env::TxKind;
use isthmus_evm::{
    Address, BlockEnv, HostCrypto, Machine, MemoryState, RunOutcome, Status, TxEnv, U256,
};

/// OpenZeppelin ERC-20 (`BenchToken`): creation code; the deployer receives 10^27 units.
pub const ERC20_HEX: &str = include_str!("../../benches/contracts/ERC20.bin");
/// OpenZeppelin ERC-721 (`BenchNft`, with an open `mint(address,uint256)`): creation code.
pub const ERC721_HEX: &str = include_str!("../../benches/contracts/ERC721.bin");

/// `BenchHashes`: `run()` chains keccak256 ten thousand times (revm's "ten thousand hashes").
pub const HASHES_HEX: &str = include_str!("../../benches/contracts/Hashes.bin");
/// `BenchSort`: `run(n)` bubble-sorts `n` pseudo-random words in memory.
pub const SORT_HEX: &str = include_str!("../../benches/contracts/Sort.bin");
/// `BenchSnail`: `run(w, h, spp)` path-traces a w x h image (our SnailTracer-style contract).
pub const SNAIL_HEX: &str = include_str!("../../benches/contracts/Snail.bin");

/// The creation code in one of the checked-in `.bin` files.
pub fn creation(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.trim()).expect("a .bin file is hex")
}

pub fn erc20_creation() -> Vec<u8> {
    hex::decode(ERC20_HEX.trim()).expect("ERC20.bin is hex")
}

pub fn erc721_creation() -> Vec<u8> {
    hex::decode(ERC721_HEX.trim()).expect("ERC721.bin is hex")
}

/// ABI selectors.
pub mod selector {
    pub const TRANSFER: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];
    pub const APPROVE: [u8; 4] = [0x09, 0x5e, 0xa7, 0xb3];
    pub const TRANSFER_FROM: [u8; 4] = [0x23, 0xb8, 0x72, 0xdd];
    pub const BALANCE_OF: [u8; 4] = [0x70, 0xa0, 0x82, 0x31];
    pub const TOTAL_SUPPLY: [u8; 4] = [0x18, 0x16, 0x0d, 0xdd];
    pub const ALLOWANCE: [u8; 4] = [0xdd, 0x62, 0xed, 0x3e];
    pub const NAME: [u8; 4] = [0x06, 0xfd, 0xde, 0x03];
    pub const SYMBOL: [u8; 4] = [0x95, 0xd8, 0x9b, 0x41];
    pub const DECIMALS: [u8; 4] = [0x31, 0x3c, 0xe5, 0x67];
    pub const MINT: [u8; 4] = [0x40, 0xc1, 0x0f, 0x19];
    pub const OWNER_OF: [u8; 4] = [0x63, 0x52, 0x21, 0x1e];
    pub const SAFE_TRANSFER_FROM: [u8; 4] = [0x42, 0x84, 0x2e, 0x0e];
    pub const SET_APPROVAL_FOR_ALL: [u8; 4] = [0xa2, 0x2c, 0xb4, 0x65];
    pub const GET_APPROVED: [u8; 4] = [0x08, 0x18, 0x12, 0xfc];
    pub const TOKEN_URI: [u8; 4] = [0xc8, 0x7b, 0x56, 0xdd];
    pub const SUPPORTS_INTERFACE: [u8; 4] = [0x01, 0xff, 0xc9, 0xa7];
}

/// ABI-encodes a call: the selector, then each argument as one word.
pub fn abi_call(selector: [u8; 4], args: &[U256]) -> Vec<u8> {
    let mut data = selector.to_vec();
    for arg in args {
        data.extend_from_slice(&arg.to_be_bytes::<32>());
    }
    data
}

pub fn word(address: &Address) -> U256 {
    isthmus_evm::primitives::address_to_word(address)
}

/// A block both sides accept, for tests and benchmarks.
pub fn test_block() -> BlockEnv {
    BlockEnv {
        number: 1_000,
        coinbase: [0xc0; 20],
        timestamp: 1_700_000_000,
        gas_limit: 1_000_000_000,
        base_fee: U256::from(7),
        prevrandao: [0x5a; 32],
        excess_blob_gas: 0,
        chain_id: 1,
        fork: isthmus_evm::Fork::Cancun,
        code_size_limit: None,
        serve_history: false,
    }
}

/// A legacy transaction from `caller` (nonce `nonce`).
pub fn legacy_tx(
    caller: Address,
    nonce: u64,
    to: Option<Address>,
    data: Vec<u8>,
    gas_limit: u64,
) -> TxEnv {
    TxEnv {
        kind: TxKind::Legacy,
        caller,
        gas_limit,
        gas_price: U256::from(10),
        to,
        data,
        nonce,
        chain_id: Some(1),
        ..Default::default()
    }
}

/// Deploys `creation` from `deployer` (nonce 0) with isthmus-evm over `pre`, and returns the world
/// after the deployment and the new contract's address. Panics if the creation fails.
pub fn deploy(pre: &World, deployer: Address, creation: Vec<u8>) -> (World, Address) {
    let case = Case {
        pre: pre.clone(),
        block: test_block(),
        tx: legacy_tx(deployer, pre[&deployer].nonce, None, creation, 30_000_000),
    };
    let mut state: MemoryState = super::world::memory_state(&case);
    let RunOutcome::Done(result) =
        Machine::transact(case.block.clone(), case.tx.clone(), &mut state, &HostCrypto)
    else {
        panic!("deployment did not finish");
    };
    assert_eq!(result.status, Status::Success, "deployment failed");
    state.apply(&result.changes);
    let world = state
        .accounts
        .into_iter()
        .map(|(address, a)| {
            let account = Account {
                balance: a.info.balance,
                nonce: a.info.nonce,
                code: a.code,
                storage: a.storage,
            };
            debug_assert_eq!(keccak(&account.code), a.info.code_hash);
            (address, account)
        })
        .collect();
    (
        world,
        result.created_address.expect("a creation has an address"),
    )
}
