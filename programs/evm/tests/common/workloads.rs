//! The benchmark workloads, each one transaction over its own pre-state.

use super::asm::Asm;
use super::contracts::{self, abi_call, selector, word};
use super::world::{keccak, Account, Case, World};
use isthmus_evm::opcode::*;
use isthmus_evm::{Address, U256};

pub const SENDER: Address = [0x5e; 20];
pub const RECIPIENT: Address = [0x7e; 20];

fn contract(n: u64) -> Address {
    let mut a = [0u8; 20];
    a[12..].copy_from_slice(&(0xc000 + n).to_be_bytes());
    a
}

fn sender_world() -> World {
    let mut world = World::new();
    world.insert(
        SENDER,
        Account::with_code(U256::from(10).pow(U256::from(24)), 0, Vec::new()),
    );
    world
}

/// A call from SENDER to the contract at `contract(0)` with code `code`, plus `extra` accounts.
fn call_case(code: Vec<u8>, extra: Vec<(Address, Vec<u8>)>, gas_limit: u64) -> Case {
    let mut world = sender_world();
    world.insert(contract(0), Account::with_code(U256::ZERO, 1, code));
    for (address, code) in extra {
        world.insert(address, Account::with_code(U256::ZERO, 1, code));
    }
    let tx = contracts::legacy_tx(SENDER, 0, Some(contract(0)), Vec::new(), gas_limit);
    Case {
        pre: world,
        block: contracts::test_block(),
        tx,
    }
}

/// `for (i = n; i != 0; i--) body` with the counter on the stack; `body` must leave it as found.
fn counted_loop(n: u64, body: impl FnOnce(&mut Asm)) -> Vec<u8> {
    let mut a = Asm::new();
    a.push_u64(n);
    let top = a.label();
    a.bind(top);
    body(&mut a);
    a.push_u64(1)
        .op(SWAP1)
        .op(SUB)
        .op(DUP1)
        .push_label(top)
        .op(JUMPI)
        .op(POP)
        .op(STOP);
    a.finish()
}

/// 1,000,000 iterations of `acc = acc * 3 + 7` with an LT/JUMPI loop test.
pub fn arithmetic_loop() -> Case {
    let mut a = Asm::new();
    a.push_u64(0).push_u64(1_000_000);
    let top = a.label();
    a.bind(top);
    // [acc, i] -> [acc * 3 + 7, i - 1]
    a.op(SWAP1)
        .push_u64(3)
        .op(MUL)
        .push_u64(7)
        .op(ADD)
        .op(SWAP1)
        .push_u64(1)
        .op(SWAP1)
        .op(SUB);
    // while 0 < i
    a.op(DUP1)
        .push_u64(0)
        .op(LT)
        .push_label(top)
        .op(JUMPI)
        .op(STOP);
    call_case(a.finish(), Vec::new(), 100_000_000)
}

/// 100,000 iterations of `mem[(i % 16384) * 32] += i`: 512 KiB of memory, grown then reused.
pub fn memory_loop() -> Case {
    let code = counted_loop(100_000, |a| {
        // [i] -> offset = (i & 0x3fff) << 5; MSTORE(offset, MLOAD(offset) + i)
        a.op(DUP1)
            .push_u64(0x3fff)
            .op(AND)
            .push_u64(5)
            .op(SHL)
            .op(DUP1)
            .op(MLOAD)
            .op(DUP3)
            .op(ADD)
            .op(SWAP1)
            .op(MSTORE);
    });
    call_case(code, Vec::new(), 100_000_000)
}

/// 100,000 iterations of `mem[0..32] = keccak256(mem[0..64])`.
pub fn keccak_loop() -> Case {
    let code = counted_loop(100_000, |a| {
        a.push_u64(64)
            .push_u64(0)
            .op(KECCAK256)
            .push_u64(0)
            .op(MSTORE);
    });
    call_case(code, Vec::new(), 100_000_000)
}

/// A contract that CALLs another 1,000 times; the callee returns one word.
pub fn call_loop() -> Case {
    let callee = contract(1);
    let code = counted_loop(1_000, |a| {
        // CALL(gas, callee, 0, 0, 0, 0, 32)
        a.push_u64(32)
            .push_u64(0)
            .push_u64(0)
            .push_u64(0)
            .push_u64(0)
            .push_address(&callee)
            .op(GAS)
            .op(CALL)
            .op(POP);
    });
    let mut b = Asm::new();
    b.push_u64(1)
        .push_u64(0)
        .op(MSTORE)
        .push_u64(32)
        .push_u64(0)
        .op(RETURN);
    call_case(code, vec![(callee, b.finish())], 100_000_000)
}

/// A chain of `depth` contracts, each calling the next (Solidity-like: free memory pointer,
/// 36 bytes of calldata, a 32-byte return); the last one writes a storage slot.
pub fn call_chain(depth: u64) -> Case {
    let mut extra = Vec::new();
    for i in 0..depth {
        let mut a = Asm::new();
        a.push_u64(0x80).push_u64(0x40).op(MSTORE);
        if i + 1 < depth {
            a.push_u64(32)
                .push_u64(0x80)
                .push_u64(36)
                .push_u64(0x80)
                .push_u64(0)
                .push_address(&contract(i + 1))
                .op(GAS)
                .op(CALL)
                .op(POP)
                .push_u64(32)
                .push_u64(0x80)
                .op(RETURN);
        } else {
            a.push_u64(1).push_u64(0).op(SSTORE).op(STOP);
        }
        extra.push((contract(i), a.finish()));
    }
    let first = extra.remove(0);
    call_case(first.1, extra, 10_000_000)
}

/// The pre-state with the OpenZeppelin ERC-20 deployed by SENDER (who holds the supply).
pub fn erc20_world() -> (World, Address) {
    contracts::deploy(&sender_world(), SENDER, contracts::erc20_creation())
}

/// `transfer(RECIPIENT, 1000)` on the deployed ERC-20.
pub fn erc20_transfer() -> Case {
    let (world, token) = erc20_world();
    let data = abi_call(selector::TRANSFER, &[word(&RECIPIENT), U256::from(1000)]);
    let tx = contracts::legacy_tx(SENDER, world[&SENDER].nonce, Some(token), data, 200_000);
    Case {
        pre: world,
        block: contracts::test_block(),
        tx,
    }
}

/// Deploying the OpenZeppelin ERC-20.
pub fn erc20_deploy() -> Case {
    let world = sender_world();
    let tx = contracts::legacy_tx(SENDER, 0, None, contracts::erc20_creation(), 5_000_000);
    Case {
        pre: world,
        block: contracts::test_block(),
        tx,
    }
}

/// A call of `data` to the contract `creation` deploys (from SENDER).
fn deployed_call(creation: Vec<u8>, data: Vec<u8>, gas_limit: u64) -> Case {
    let (world, contract) = contracts::deploy(&sender_world(), SENDER, creation);
    let tx = contracts::legacy_tx(
        SENDER,
        world[&SENDER].nonce,
        Some(contract),
        data,
        gas_limit,
    );
    Case {
        pre: world,
        block: contracts::test_block(),
        tx,
    }
}

/// The first four bytes of keccak256 of a function's signature.
fn selector_of(signature: &str) -> [u8; 4] {
    keccak(signature.as_bytes())[..4].try_into().unwrap()
}

/// revm's "ten thousand hashes": `BenchHashes.run()`.
pub fn ten_thousand_hashes() -> Case {
    let data = abi_call(selector_of("run()"), &[]);
    deployed_call(contracts::creation(contracts::HASHES_HEX), data, 10_000_000)
}

/// A BubbleSort-style loop: `BenchSort.run(n)`.
pub fn bubble_sort(n: u64) -> Case {
    let data = abi_call(selector_of("run(uint256)"), &[U256::from(n)]);
    deployed_call(contracts::creation(contracts::SORT_HEX), data, 30_000_000)
}

/// A SnailTracer-style ray tracer (revm's snailtracer, our contract): `BenchSnail.run(w, h, spp)`,
/// the checksum of a w x h image.
pub fn snailtracer(w: u64, h: u64, spp: u64) -> Case {
    snail_call("run(uint256,uint256,uint256)", w, h, spp)
}

/// `BenchSnail.render(w, h, spp)`: the image itself (ABI `uint256[]`, one 0xRRGGBB per pixel).
pub fn snailtracer_image(w: u64, h: u64, spp: u64) -> Case {
    snail_call("render(uint256,uint256,uint256)", w, h, spp)
}

fn snail_call(signature: &str, w: u64, h: u64, spp: u64) -> Case {
    let args = [U256::from(w), U256::from(h), U256::from(spp)];
    let data = abi_call(selector_of(signature), &args);
    deployed_call(contracts::creation(contracts::SNAIL_HEX), data, 30_000_000)
}

/// A plain value transfer to an account that exists: what a transaction costs beyond its code
/// (validation, the sender's nonce and fee, the two accounts, the result).
pub fn eth_transfer() -> Case {
    let mut world = sender_world();
    world.insert(RECIPIENT, Account::with_code(U256::from(1), 0, Vec::new()));
    let mut tx = contracts::legacy_tx(SENDER, 0, Some(RECIPIENT), Vec::new(), 21_000);
    tx.value = U256::from(1000);
    Case {
        pre: world,
        block: contracts::test_block(),
        tx,
    }
}

/// Every timed workload, by name.
pub fn all() -> Vec<(&'static str, Case)> {
    vec![
        ("eth transfer", eth_transfer()),
        ("arithmetic loop (1M)", arithmetic_loop()),
        ("memory loop (100k)", memory_loop()),
        ("keccak loop (100k)", keccak_loop()),
        ("erc20 transfer", erc20_transfer()),
        ("erc20 deploy", erc20_deploy()),
        ("call loop (1000 calls)", call_loop()),
        ("call chain (10 deep)", call_chain(10)),
        ("ten thousand hashes", ten_thousand_hashes()),
        ("bubble sort (100)", bubble_sort(100)),
        ("snailtracer (8x8, 1 spp)", snailtracer(8, 8, 1)),
    ]
}
