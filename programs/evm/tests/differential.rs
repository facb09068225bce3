//! Differential testing against revm under Cancun, Prague and Osaka (each case draws its fork):
//! random and mutated bytecode runs through both interpreters from the same pre-state, and
//! everything observable must agree: how the transaction ended (success / revert / halt /
//! invalid), gas used, output, logs, and the post-state of every account (balance, nonce, code,
//! storage).
//!
//! Each case also runs a second time through isthmus-evm with a small step budget, the machine
//! saved to bytes and restored at every pause; that run must give the identical result.
//!
//! Three generators: byte soup, structured programs (valid opcodes with interesting operands,
//! several contracts calling and creating each other, every fork's precompiles, CLZ), and
//! mutations of real contracts (OpenZeppelin ERC-20 and ERC-721). Transactions of every type,
//! EIP-7702 set-code ones included (authorities with known keys, some already delegated, valid and
//! invalid authorizations), go to contracts, accounts, precompiles and delegated accounts.
//!
//! `cargo test -p isthmus-evm --test differential` runs a bounded number of cases. The long run:
//! `ISTHMUS_DIFF_CASES=200000 ISTHMUS_DIFF_SEED=7 cargo test -p isthmus-evm --release --test
//! differential -- --ignored --nocapture`. A divergence prints its seed and case index;
//! `ISTHMUS_DIFF_SEED=<seed> ISTHMUS_DIFF_REPLAY=<kind>:<index>` replays that one case in full
//! (with `ISTHMUS_DIFF_TRACE=<lines>`, also revm's opcode trace).

mod common;

use common::asm::{deployer, Asm};
use common::contracts::{self, abi_call, selector, word};
use common::rng::Rng;
use common::world::{
    access_item, budget_picker, describe_case, describe_outcome, differences, run_isthmus,
    run_isthmus_stepped, run_revm, Account, Case, Class, World,
};
use isthmus_evm::delegation::designator;
use isthmus_evm::env::{Authorization, TxKind};
use isthmus_evm::opcode::*;
use isthmus_evm::{Address, BlockEnv, Fork, HostCrypto, TxEnv, U256};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

/// The seed of the default run, unless ISTHMUS_DIFF_SEED says otherwise.
const DEFAULT_SEED: u64 = 0x1517_4d05;

const SENDER: Address = [0x5e; 20];
const MINER: Address = [0xc0; 20];

fn addr(n: u64) -> Address {
    let mut a = [0u8; 20];
    a[12..].copy_from_slice(&n.to_be_bytes());
    a
}

/// Pre-state contracts live at 0x1000, 0x1001, ...
fn contract_address(i: usize) -> Address {
    addr(0x1000 + i as u64)
}
/// An externally owned account with a balance.
const EOA: u64 = 0x2000;
/// An existing empty account (touching it deletes it, EIP-161).
const EMPTY: u64 = 0x3000;
/// An address with no account.
const NOBODY: u64 = 0x4000;

/// The secret keys of the EIP-7702 authorities (accounts that may delegate); their accounts may
/// not exist, be plain, or be delegated already.
const AUTHORITY_KEYS: [[u8; 32]; 3] = [[0xa1; 32], [0xa2; 32], [0xa3; 32]];

/// The address of an authority key.
fn authority(index: usize) -> Address {
    static ADDRESSES: OnceLock<[Address; 3]> = OnceLock::new();
    ADDRESSES.get_or_init(|| {
        AUTHORITY_KEYS.map(|secret| {
            let key = k256::ecdsa::SigningKey::from_slice(&secret).expect("a valid key");
            let point = key.verifying_key().to_encoded_point(false);
            let hash = common::world::keccak(&point.as_bytes()[1..]);
            hash[12..].try_into().expect("20 bytes")
        })
    })[index]
}

/// Where the generated programs keep the address returned by their last CREATE.
const CREATED_SLOT: u64 = 0x3c0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Soup,
    Structured,
    Mutated,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Soup, Kind::Structured, Kind::Mutated];

    fn name(self) -> &'static str {
        match self {
            Kind::Soup => "soup",
            Kind::Structured => "structured",
            Kind::Mutated => "mutated",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values and addresses

/// Addresses a program may name: the pre-state contracts, accounts of every kind, precompiles.
struct Ctx {
    contracts: Vec<Address>,
}

impl Ctx {
    fn address(&self, rng: &mut Rng) -> Address {
        match rng.below(20) {
            0..=10 => *rng.pick(&self.contracts),
            11 | 12 => addr(rng.range(1, 10)),
            13 => SENDER,
            14 if rng.chance(50) => MINER,
            14 => authority(rng.usize(AUTHORITY_KEYS.len())),
            15 => addr(EOA),
            16 => addr(EMPTY),
            17 => addr(NOBODY),
            18 => addr(rng.range(11, 0x20)),
            _ => {
                let mut a = [0u8; 20];
                a.copy_from_slice(&rng.bytes(20));
                a
            }
        }
    }
}

/// An interesting word: edges of the signed and unsigned ranges, small numbers, addresses.
fn value(rng: &mut Rng, ctx: &Ctx) -> U256 {
    match rng.below(24) {
        0 | 1 => U256::ZERO,
        2 | 3 => U256::from(1),
        4 => U256::from(2),
        5 => U256::from(*rng.pick(&[3u64, 7, 8, 31, 32, 33, 63, 64, 255, 256, 257])),
        6 | 7 => U256::from(rng.below(256)),
        8 => U256::from(rng.below(1 << 16)),
        9 => U256::from(rng.next_u64()),
        10 => U256::from(1) << 255,
        11 => (U256::from(1) << 255) - U256::from(1),
        12 => U256::MAX,
        13 => U256::MAX - U256::from(rng.below(3) + 1),
        14 => U256::from(1) << (rng.below(256) as usize),
        15 => (U256::from(1) << 160) - U256::from(1),
        16 | 17 => word(&ctx.address(rng)),
        18 => U256::from(rng.range(1, 10)),
        19 => U256::MAX << (rng.below(256) as usize),
        _ => rng.word(),
    }
}

/// A memory offset or length: mostly small, sometimes large enough to cost, rarely absurd.
fn mem(rng: &mut Rng) -> U256 {
    match rng.below(400) {
        0..=79 => U256::ZERO,
        80..=139 => U256::from(32 * rng.below(8)),
        140..=299 => U256::from(rng.below(256)),
        300..=359 => U256::from(rng.below(1024)),
        360..=397 => U256::from(rng.below(1 << 15)),
        398 => U256::from(rng.next_u64() >> rng.below(64)),
        _ => U256::MAX - U256::from(rng.below(64)),
    }
}

/// A storage key: mostly the few slots the pre-state holds.
fn key(rng: &mut Rng) -> U256 {
    if rng.chance(85) {
        U256::from(rng.below(6))
    } else {
        rng.word()
    }
}

// ---------------------------------------------------------------------------------------------
// Structured programs

struct Gen<'a> {
    rng: &'a mut Rng,
    ctx: &'a Ctx,
    /// Creation nesting: programs inside initcode get smaller and create nothing further.
    depth: u32,
}

impl Gen<'_> {
    fn program(&mut self, max_snippets: u64) -> Vec<u8> {
        let mut a = Asm::new();
        let n = self.rng.range(1, max_snippets.max(1));
        for _ in 0..n {
            self.snippet(&mut a, 0);
        }
        self.terminator(&mut a);
        a.finish()
    }

    fn push_value(&mut self, a: &mut Asm) {
        let v = value(self.rng, self.ctx);
        a.push(v);
    }

    fn push_mem(&mut self, a: &mut Asm) {
        let v = mem(self.rng);
        a.push(v);
    }

    /// Pushes an address operand: a literal, or one the program computes.
    fn push_address(&mut self, a: &mut Asm) {
        match self.rng.below(12) {
            0 => {
                a.op(ADDRESS);
            }
            1 => {
                a.op(CALLER);
            }
            2 => {
                a.push_u64(CREATED_SLOT).op(MLOAD);
            }
            _ => {
                let address = self.ctx.address(self.rng);
                if self.rng.chance(70) {
                    a.push(word(&address));
                } else {
                    a.push_address(&address);
                }
            }
        }
    }

    /// Consumes the word on top of the stack (inside loops the stack must stay balanced).
    fn sink(&mut self, a: &mut Asm, in_loop: bool) {
        match self.rng.below(10) {
            0..=3 => {
                a.op(POP);
            }
            4..=6 => {
                self.push_mem(a);
                a.op(MSTORE);
            }
            7 | 8 => {
                let k = key(self.rng);
                a.push(k).op(SSTORE);
            }
            _ if in_loop => {
                a.op(POP);
            }
            _ => {}
        }
    }

    fn snippet(&mut self, a: &mut Asm, loop_depth: u32) {
        let in_loop = loop_depth > 0;
        match self.rng.below(100) {
            0..=17 => self.arithmetic(a, in_loop),
            18..=31 => self.environment(a, in_loop),
            32..=40 => self.storage(a),
            41..=49 => self.memory(a),
            50..=53 => {
                self.push_mem(a);
                self.push_mem(a);
                a.op(KECCAK256);
                self.sink(a, in_loop);
            }
            54..=58 => self.log(a),
            59..=70 => self.call(a, in_loop),
            71..=76 if self.depth < 2 => self.create(a, in_loop),
            77..=81 => self.precompile(a, in_loop),
            82..=86 => self.branch(a, loop_depth),
            87..=89 if loop_depth < 2 => self.looped(a, loop_depth),
            90 | 91 if !in_loop => {
                // Raw bytes: random opcodes, unbalanced stacks, truncated pushes.
                for _ in 0..self.rng.range(1, 3) {
                    let op = self.rng.byte();
                    a.op(op);
                }
            }
            95 if !in_loop => {
                let target = if self.rng.chance(50) {
                    U256::from(self.rng.below(200))
                } else {
                    value(self.rng, self.ctx)
                };
                a.push(target);
                if self.rng.chance(50) {
                    a.op(JUMP);
                } else {
                    a.push_u64(1).op(SWAP1).op(JUMPI);
                }
            }
            96 if !in_loop && self.rng.chance(30) => {
                self.push_address(a);
                a.op(SELFDESTRUCT);
            }
            _ => self.arithmetic(a, in_loop),
        }
    }

    fn arithmetic(&mut self, a: &mut Asm, in_loop: bool) {
        const UNARY: [u8; 3] = [ISZERO, NOT, CLZ];
        const BINARY: [u8; 21] = [
            ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, EXP, SIGNEXTEND, LT, GT, SLT, SGT, EQ, AND, OR,
            XOR, BYTE, SHL, SHR, SAR,
        ];
        const TERNARY: [u8; 2] = [ADDMOD, MULMOD];
        let (op, args) = match self.rng.below(10) {
            0 => (*self.rng.pick(&UNARY), 1),
            1 => (*self.rng.pick(&TERNARY), 3),
            _ => (*self.rng.pick(&BINARY), 2),
        };
        for _ in 0..args {
            self.push_value(a);
        }
        a.op(op);
        // Sometimes feed the result through a DUP/SWAP dance before using it.
        if self.rng.chance(10) {
            self.push_value(a);
            a.op(SWAP1).op(DUP2).op(ADD).op(SWAP1).op(POP);
        }
        self.sink(a, in_loop);
    }

    fn environment(&mut self, a: &mut Asm, in_loop: bool) {
        const PLAIN: [u8; 20] = [
            ADDRESS,
            ORIGIN,
            CALLER,
            CALLVALUE,
            CALLDATASIZE,
            CODESIZE,
            GASPRICE,
            RETURNDATASIZE,
            COINBASE,
            TIMESTAMP,
            NUMBER,
            PREVRANDAO,
            GASLIMIT,
            CHAINID,
            SELFBALANCE,
            BASEFEE,
            BLOBBASEFEE,
            MSIZE,
            PC,
            GAS,
        ];
        match self.rng.below(12) {
            0..=4 => {
                let op = *self.rng.pick(&PLAIN);
                a.op(op);
            }
            5 | 6 => {
                let op = *self.rng.pick(&[BALANCE, EXTCODESIZE, EXTCODEHASH]);
                self.push_address(a);
                a.op(op);
            }
            7 => {
                self.push_mem(a);
                a.op(CALLDATALOAD);
            }
            8 => {
                // BLOCKHASH of the current block, the last 256, and just outside them.
                let back = *self.rng.pick(&[0u64, 1, 2, 17, 256, 257, 1000]);
                a.op(NUMBER).push_u64(back).op(SWAP1).op(SUB).op(BLOCKHASH);
            }
            9 => {
                let index = self.rng.below(4);
                a.push_u64(index).op(BLOBHASH);
            }
            10 => {
                let k = key(self.rng);
                let op = *self.rng.pick(&[SLOAD, TLOAD]);
                a.push(k).op(op);
            }
            _ => {
                self.push_mem(a);
                a.op(MLOAD);
            }
        }
        self.sink(a, in_loop);
    }

    fn storage(&mut self, a: &mut Asm) {
        let op = if self.rng.chance(70) { SSTORE } else { TSTORE };
        // Zero and the original value matter to the SSTORE gas and refund rules.
        let v = match self.rng.below(4) {
            0 => U256::ZERO,
            1 => U256::from(self.rng.below(3)),
            _ => value(self.rng, self.ctx),
        };
        a.push(v);
        let k = key(self.rng);
        a.push(k).op(op);
    }

    fn memory(&mut self, a: &mut Asm) {
        match self.rng.below(8) {
            0 | 1 => {
                self.push_value(a);
                self.push_mem(a);
                a.op(MSTORE);
            }
            2 => {
                self.push_value(a);
                self.push_mem(a);
                a.op(MSTORE8);
            }
            3 | 4 => {
                // MCOPY / CALLDATACOPY / CODECOPY / RETURNDATACOPY: (dst, src, len), dst on top.
                let op = *self
                    .rng
                    .pick(&[MCOPY, CALLDATACOPY, CODECOPY, RETURNDATACOPY]);
                let len = if op == RETURNDATACOPY {
                    U256::from(self.rng.below(40))
                } else {
                    mem(self.rng)
                };
                let src = if op == RETURNDATACOPY {
                    U256::from(self.rng.below(40))
                } else {
                    mem(self.rng)
                };
                a.push(len).push(src);
                self.push_mem(a);
                a.op(op);
            }
            5 => {
                self.push_mem(a);
                self.push_mem(a);
                self.push_mem(a);
                self.push_address(a);
                a.op(EXTCODECOPY);
            }
            _ => {
                // Copy all the return data, whatever its size.
                a.op(RETURNDATASIZE)
                    .push_u64(0)
                    .push_u64(self.rng.below(64))
                    .op(RETURNDATACOPY);
            }
        }
    }

    fn log(&mut self, a: &mut Asm) {
        let topics = self.rng.below(5);
        for _ in 0..topics {
            self.push_value(a);
        }
        self.push_mem(a);
        self.push_mem(a);
        a.op(LOG0 + topics as u8);
    }

    fn push_gas(&mut self, a: &mut Asm) {
        match self.rng.below(10) {
            0 | 1 => {
                a.op(GAS);
            }
            2..=7 => {
                let g = self.rng.below(60_000);
                a.push_u64(g);
            }
            8 => {
                a.push(U256::MAX);
            }
            _ => {
                a.push_u64(0);
            }
        }
    }

    /// Gas for a precompile call: as for any call, or enough for the pricier BLS12-381 ones.
    fn push_gas_for_precompile(&mut self, a: &mut Asm) {
        if self.rng.chance(30) {
            let g = self.rng.range(60_000, 200_000);
            a.push_u64(g);
        } else {
            self.push_gas(a);
        }
    }

    fn call(&mut self, a: &mut Asm, in_loop: bool) {
        let op = *self.rng.pick(&[
            CALL,
            CALL,
            CALL,
            CALLCODE,
            DELEGATECALL,
            STATICCALL,
            STATICCALL,
        ]);
        // Stack, top first: gas, address, [value], args offset, args len, ret offset, ret len.
        let ret_len = U256::from(self.rng.below(100));
        let ret_off = mem(self.rng);
        let args_len = mem(self.rng);
        let args_off = mem(self.rng);
        a.push(ret_len).push(ret_off).push(args_len).push(args_off);
        if op == CALL || op == CALLCODE {
            let v = match self.rng.below(10) {
                0..=5 => U256::ZERO,
                6 | 7 => U256::from(self.rng.range(1, 1000)),
                8 => U256::from(self.rng.next_u64()),
                _ => U256::from(1) << 200,
            };
            a.push(v);
        }
        self.push_address(a);
        self.push_gas(a);
        a.op(op);
        self.sink(a, in_loop);
        if self.rng.chance(25) {
            a.op(RETURNDATASIZE);
            self.sink(a, in_loop);
        }
    }

    fn create(&mut self, a: &mut Asm, in_loop: bool) {
        let child = {
            let mut g = Gen {
                rng: &mut *self.rng,
                ctx: self.ctx,
                depth: self.depth + 1,
            };
            if g.rng.chance(60) {
                let runtime = if g.rng.chance(15) {
                    Vec::new()
                } else {
                    g.program(6)
                };
                let mut code = deployer(&runtime);
                if g.rng.chance(3) {
                    // Deployed code that starts with 0xEF is refused (EIP-3541).
                    code = deployer(&[0xef, 0x00]);
                }
                code
            } else {
                g.program(8)
            }
        };
        let offset = *self.rng.pick(&[0u64, 0x40, 0x100]);
        a.mstore_bytes(offset, &child);
        let len = if self.rng.chance(5) {
            mem(self.rng)
        } else {
            U256::from(child.len())
        };
        let v = match self.rng.below(8) {
            0..=5 => U256::ZERO,
            6 => U256::from(self.rng.range(1, 100)),
            _ => U256::from(1) << 100,
        };
        if self.rng.chance(40) {
            let salt = if self.rng.chance(50) {
                U256::from(self.rng.below(3))
            } else {
                self.rng.word()
            };
            a.push(salt).push(len).push_u64(offset).push(v).op(CREATE2);
        } else {
            a.push(len).push_u64(offset).push(v).op(CREATE);
        }
        if self.rng.chance(60) {
            a.op(DUP1).push_u64(CREATED_SLOT).op(MSTORE);
        }
        self.sink(a, in_loop);
    }

    /// A call to a precompile of some fork (0x01..=0x11, 0x100) with an input shaped for it
    /// (valid or nearly).
    fn precompile(&mut self, a: &mut Asm, in_loop: bool) {
        let number = match self.rng.below(10) {
            0..=5 => self.rng.range(1, 10),
            6..=8 => self.rng.range(0x0b, 0x11),
            _ => 0x100,
        };
        let rng = &mut *self.rng;
        let mut input = match number {
            1 => {
                let mut input = rng.bytes(32);
                let mut v = [0u8; 32];
                v[31] = *rng.pick(&[27u8, 28, 27, 28, 0, 29]);
                input.extend_from_slice(&v);
                input.extend_from_slice(&rng.bytes(64));
                input
            }
            2..=4 => {
                let n = rng.usize(100);
                rng.bytes(n)
            }
            5 => {
                let exponent_max = if rng.chance(5) { 300 } else { 40 };
                let sizes = [rng.below(40), rng.below(exponent_max), rng.below(40)];
                let mut input = Vec::new();
                for size in sizes {
                    input.extend_from_slice(&U256::from(size).to_be_bytes::<32>());
                }
                let body = sizes.iter().sum::<u64>() as usize;
                input.extend(rng.bytes(body));
                input
            }
            6 | 7 => {
                let point = |rng: &mut Rng| -> Vec<u8> {
                    match rng.below(3) {
                        0 => vec![0u8; 64],
                        1 => {
                            let mut p = vec![0u8; 64];
                            p[31] = 1;
                            p[63] = 2;
                            p
                        }
                        _ => rng.bytes(64),
                    }
                };
                let mut input = point(rng);
                if number == 6 {
                    input.extend(point(rng));
                } else {
                    input.extend_from_slice(&value_for_precompile(rng).to_be_bytes::<32>());
                }
                input
            }
            8 => match rng.below(3) {
                0 => Vec::new(),
                1 => rng.bytes(192),
                _ => {
                    let n = rng.usize(200);
                    rng.bytes(n)
                }
            },
            9 => {
                let mut input = (rng.below(16) as u32).to_be_bytes().to_vec();
                input.extend(rng.bytes(64 + 128 + 16));
                input.push(*rng.pick(&[0u8, 1, 1, 2]));
                input
            }
            0x0a => rng.bytes(192),
            0x100 => p256_input(rng),
            _ => bls_input(rng, number),
        };
        if self.rng.chance(5) {
            // A truncated or overlong input.
            let n = self.rng.usize(input.len() + 1);
            input.truncate(n);
        }
        a.mstore_bytes(0, &input);
        let ret_len = self.rng.below(130);
        a.push_u64(ret_len)
            .push_u64(0x200)
            .push_u64(input.len() as u64)
            .push_u64(0);
        let op = if self.rng.chance(60) {
            CALL
        } else {
            STATICCALL
        };
        if op == CALL {
            a.push_u64(0);
        }
        a.push_u64(number);
        self.push_gas_for_precompile(a);
        a.op(op);
        self.sink(a, in_loop);
    }

    fn branch(&mut self, a: &mut Asm, loop_depth: u32) {
        let skip = a.label();
        match self.rng.below(4) {
            0 => a.push_u64(0),
            1 => a.push_u64(1),
            2 => a.op(CALLVALUE),
            _ => a.push_u64(0).op(CALLDATALOAD),
        };
        a.push_label(skip).op(JUMPI);
        for _ in 0..self.rng.range(1, 3) {
            self.snippet(a, loop_depth);
        }
        a.bind(skip);
    }

    fn looped(&mut self, a: &mut Asm, loop_depth: u32) {
        let count = if self.rng.chance(90) {
            self.rng.range(1, 6)
        } else {
            self.rng.range(10, 40)
        };
        a.push_u64(count);
        let top = a.label();
        a.bind(top);
        for _ in 0..self.rng.range(1, 3) {
            self.snippet(a, loop_depth + 1);
        }
        a.push_u64(1)
            .op(SWAP1)
            .op(SUB)
            .op(DUP1)
            .push_label(top)
            .op(JUMPI)
            .op(POP);
    }

    fn terminator(&mut self, a: &mut Asm) {
        match self.rng.below(20) {
            0..=4 => {
                a.op(STOP);
            }
            5..=10 => {
                self.push_mem(a);
                let off = U256::from(self.rng.below(128));
                a.push(off).op(RETURN);
            }
            11..=13 => {
                let len = U256::from(self.rng.below(100));
                let off = U256::from(self.rng.below(128));
                a.push(len).push(off).op(REVERT);
            }
            14 => {
                a.op(INVALID);
            }
            15 | 16 => {}
            17 | 18 => {
                self.push_address(a);
                a.op(SELFDESTRUCT);
            }
            _ => {
                let op = self.rng.byte();
                a.op(op);
            }
        }
    }
}

/// BLS12-381 generators, padded as EIP-2537 takes them: G1 (x, y), G2 (x.c0, x.c1, y.c0, y.c1).
const BLS_G1: [&str; 2] = [
    "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
    "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1",
];
const BLS_G2: [&str; 4] = [
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
    "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be",
];

/// Field elements as EIP-2537 takes them: 16 zero bytes and 48 of value.
fn padded_fps(elements: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for element in elements {
        out.extend_from_slice(&[0u8; 16]);
        out.extend(hex::decode(element).expect("hex"));
    }
    out
}

/// A field element: canonical (below p, whose first byte is 0x1a) or not, or a bad padding.
fn bls_fp(rng: &mut Rng) -> Vec<u8> {
    let mut element = vec![0u8; 16];
    let mut value = rng.bytes(48);
    match rng.below(10) {
        0 => value[0] = 0xff,
        1 => element[rng.usize(16)] = 1,
        _ => value[0] %= 0x1a,
    }
    element.extend(value);
    element
}

/// A G1 or G2 point: the generator, infinity, or field elements that are rarely on the curve.
fn bls_point(rng: &mut Rng, g2: bool) -> Vec<u8> {
    let elements = if g2 { 4 } else { 2 };
    match rng.below(10) {
        0..=4 if g2 => padded_fps(&BLS_G2),
        0..=4 => padded_fps(&BLS_G1),
        5 | 6 => vec![0u8; 64 * elements],
        _ => (0..elements).flat_map(|_| bls_fp(rng)).collect(),
    }
}

/// A scalar for the MSMs: small, zero, the group order's neighbourhood, or random.
fn bls_scalar(rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => vec![0u8; 32],
        1 => U256::from(rng.below(5)).to_be_bytes::<32>().to_vec(),
        _ => rng.bytes(32),
    }
}

/// An input for the EIP-2537 precompile `number` (0x0b..=0x11).
fn bls_input(rng: &mut Rng, number: u64) -> Vec<u8> {
    match number {
        0x0b => [bls_point(rng, false), bls_point(rng, false)].concat(),
        0x0d => [bls_point(rng, true), bls_point(rng, true)].concat(),
        0x0c | 0x0e => (0..rng.range(1, 3))
            .flat_map(|_| [bls_point(rng, number == 0x0e), bls_scalar(rng)].concat())
            .collect(),
        0x0f => (0..rng.range(1, 2))
            .flat_map(|_| [bls_point(rng, false), bls_point(rng, true)].concat())
            .collect(),
        0x10 => bls_fp(rng),
        _ => [bls_fp(rng), bls_fp(rng)].concat(),
    }
}

/// A P256VERIFY input: a valid signature (revm's test vector), one with a flipped bit, or noise.
fn p256_input(rng: &mut Rng) -> Vec<u8> {
    const VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";
    let mut input = hex::decode(VALID).expect("hex");
    match rng.below(4) {
        0 | 1 => {}
        2 => {
            let i = rng.usize(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        _ => input = rng.bytes(160),
    }
    input
}

fn value_for_precompile(rng: &mut Rng) -> U256 {
    match rng.below(4) {
        0 => U256::ZERO,
        1 => U256::from(rng.below(5)),
        _ => rng.word(),
    }
}

// ---------------------------------------------------------------------------------------------
// Cases

/// Code that is not refused on sight: Ethereum holds no code starting with 0xEF (EIP-3541).
fn storable(mut code: Vec<u8>) -> Vec<u8> {
    if code.first() == Some(&0xef) {
        code[0] = JUMPDEST;
    }
    code
}

fn random_block(rng: &mut Rng) -> BlockEnv {
    BlockEnv {
        number: if rng.chance(80) {
            1_000
        } else {
            rng.range(1, 1 << 40)
        },
        coinbase: MINER,
        timestamp: rng.range(1, 1 << 40),
        gas_limit: 30_000_000,
        base_fee: U256::from(*rng.pick(&[0u64, 1, 7, 7, 1000])),
        prevrandao: {
            let mut r = [0u8; 32];
            r.copy_from_slice(&rng.bytes(32));
            r
        },
        excess_blob_gas: if rng.chance(80) {
            0
        } else {
            rng.below(20_000_000)
        },
        chain_id: 1,
        fork: *rng.pick(&Fork::ALL),
        code_size_limit: None,
        serve_history: false,
    }
}

/// Before Prague no account can hold a delegation designator (0xEF code cannot be deployed):
/// such a pre-state account keeps its balance and nonce but loses the code.
fn fit_to_fork(world: &mut World, block: &BlockEnv) {
    if block.fork.is_enabled(Fork::Prague) {
        return;
    }
    for account in world.values_mut() {
        if isthmus_evm::delegation::target(&account.code).is_some() {
            account.code.clear();
        }
    }
}

/// The pre-state around the given contract codes: the sender, the coinbase (sometimes), an EOA,
/// an empty account and the contracts with balances and storage.
fn world_with(rng: &mut Rng, codes: Vec<Vec<u8>>) -> World {
    let mut world = World::new();
    world.insert(
        SENDER,
        Account::with_code(U256::from(10).pow(U256::from(24)), rng.below(3), Vec::new()),
    );
    world.insert(
        addr(EOA),
        Account::with_code(U256::from(rng.range(1, 1 << 40)), rng.below(2), Vec::new()),
    );
    world.insert(addr(EMPTY), Account::default());
    if rng.chance(30) {
        world.insert(
            MINER,
            Account::with_code(U256::from(rng.below(1000)), 0, Vec::new()),
        );
    }
    for index in 0..AUTHORITY_KEYS.len() {
        let account = match rng.below(5) {
            0 | 1 => continue,
            2 | 3 => {
                Account::with_code(U256::from(rng.range(1, 1 << 40)), rng.below(3), Vec::new())
            }
            _ => {
                // Already delegated, to a pre-state contract or a precompile.
                let delegate = if rng.chance(80) {
                    contract_address(rng.usize(2))
                } else {
                    addr(rng.range(1, 0x11))
                };
                Account::with_code(
                    U256::from(rng.below(1000)),
                    rng.range(1, 3),
                    designator(&delegate),
                )
            }
        };
        world.insert(authority(index), account);
    }
    if rng.chance(10) {
        // A precompile that exists as an account with a balance.
        world.insert(
            addr(rng.range(1, 10)),
            Account::with_code(U256::from(rng.range(1, 1000)), 0, Vec::new()),
        );
    }
    for (i, code) in codes.into_iter().enumerate() {
        let balance = if rng.chance(50) {
            U256::ZERO
        } else {
            U256::from(rng.next_u64() >> rng.below(64))
        };
        let mut account =
            Account::with_code(balance, if rng.chance(80) { 1 } else { 0 }, storable(code));
        if rng.chance(60) {
            for _ in 0..rng.range(1, 5) {
                let k = U256::from(rng.below(6));
                let v = if rng.chance(70) {
                    U256::from(rng.range(1, 3))
                } else {
                    rng.word()
                };
                account.storage.insert(k, v);
            }
        }
        world.insert(contract_address(i), account);
    }
    if rng.chance(5) {
        // Something already where the next CREATE of the first contract or of the sender lands:
        // a collision (code or nonce) or only a balance (no collision). Not storage alone: that
        // is a collision under EIP-7610, which isthmus-evm follows (as geth and the Ethereum
        // tests do) and revm 43 does not (its CREATE checks only code and nonce).
        let creator = if rng.chance(50) && world.contains_key(&contract_address(0)) {
            contract_address(0)
        } else {
            SENDER
        };
        let nonce = world[&creator].nonce;
        let target = isthmus_evm::machine::create_address(&HostCrypto, &creator, nonce);
        let mut account = Account::default();
        match rng.below(3) {
            0 => account.nonce = 1,
            1 => account.code = vec![STOP],
            _ => account.balance = U256::from(5),
        }
        world.insert(target, account);
    }
    world
}

/// A transaction from SENDER of a random type, fees and value, to `to` (None: create).
fn random_tx(
    rng: &mut Rng,
    world: &World,
    block: &BlockEnv,
    to: Option<Address>,
    data: Vec<u8>,
) -> TxEnv {
    let kind = match rng.below(12) {
        0..=4 => TxKind::Legacy,
        5 => TxKind::AccessList,
        6..=8 => TxKind::DynamicFee,
        9 if to.is_some() => TxKind::Blob,
        10 | 11 if to.is_some() => TxKind::SetCode,
        _ => TxKind::DynamicFee,
    };
    // A set-code transaction often calls one of the accounts it delegates.
    let to = match (kind, to) {
        (TxKind::SetCode, Some(_)) if rng.chance(40) => {
            Some(authority(rng.usize(AUTHORITY_KEYS.len())))
        }
        _ => to,
    };
    let authorization_list = if kind == TxKind::SetCode {
        (0..rng.range(1, 3))
            .map(|_| random_authorization(rng, world, block))
            .collect()
    } else {
        Vec::new()
    };
    let base_fee = block.base_fee;
    let gas_price = base_fee + U256::from(*rng.pick(&[0u64, 1, 3, 100]));
    let gas_priority_fee = match kind {
        TxKind::Legacy | TxKind::AccessList => None,
        _ => Some(U256::from(rng.below(5)).min(gas_price)),
    };
    let mut access_list = Vec::new();
    if kind != TxKind::Legacy && rng.chance(50) {
        for _ in 0..rng.range(1, 3) {
            let address = if rng.chance(70) {
                contract_address(rng.usize(3))
            } else {
                addr(rng.range(1, 0x20))
            };
            let keys: Vec<U256> = (0..rng.below(3)).map(|_| key(rng)).collect();
            access_list.push(access_item(address, &keys));
        }
    }
    let (blob_hashes, max_fee_per_blob_gas) = if kind == TxKind::Blob {
        let hashes = (0..rng.range(1, 3))
            .map(|_| {
                let mut h = [0u8; 32];
                h.copy_from_slice(&rng.bytes(32));
                h[0] = 1;
                h
            })
            .collect();
        (
            hashes,
            U256::from(block.blob_base_fee()) + U256::from(rng.below(3)),
        )
    } else {
        (Vec::new(), U256::ZERO)
    };
    let value = match rng.below(10) {
        0..=5 => U256::ZERO,
        6..=8 => U256::from(rng.range(1, 1_000_000)),
        _ => U256::from(10).pow(U256::from(20)),
    };
    let intrinsic = {
        let probe = TxEnv {
            to,
            data: data.clone(),
            access_list: access_list.clone(),
            authorization_list: authorization_list.clone(),
            ..Default::default()
        };
        isthmus_evm::gas::intrinsic_gas(&probe)
    };
    let gas = match rng.below(10) {
        0 => rng.below(3_000),
        1 | 2 => rng.range(20_000, 150_000),
        3..=6 => rng.range(150_000, 1_000_000),
        _ => rng.range(1_000_000, 5_000_000),
    };
    let mut tx = TxEnv {
        kind,
        caller: SENDER,
        gas_limit: intrinsic + gas,
        gas_price,
        gas_priority_fee,
        to,
        value,
        data,
        nonce: world[&SENDER].nonce,
        chain_id: if kind == TxKind::Legacy && rng.chance(20) {
            None
        } else {
            Some(block.chain_id)
        },
        access_list,
        blob_hashes,
        max_fee_per_blob_gas,
        authorization_list,
    };
    if rng.chance(3) {
        make_invalid(rng, &mut tx, world, block);
    }
    tx
}

/// One EIP-7702 authorization by an authority key: mostly valid for the authority's next nonce,
/// sometimes for another chain, a stale nonce, a parity of 2 or a malleable (high) s.
fn random_authorization(rng: &mut Rng, world: &World, block: &BlockEnv) -> Authorization {
    let index = rng.usize(AUTHORITY_KEYS.len());
    let nonce = world.get(&authority(index)).map_or(0, |a| a.nonce);
    let address = match rng.below(10) {
        0..=5 => contract_address(rng.usize(2)),
        6 => [0u8; 20],
        7 => addr(rng.range(1, 0x11)),
        8 => authority(rng.usize(AUTHORITY_KEYS.len())),
        _ => addr(EOA),
    };
    let mut auth = Authorization {
        chain_id: U256::from(*rng.pick(&[0, block.chain_id, block.chain_id, block.chain_id + 1])),
        address,
        nonce: if rng.chance(85) { nonce } else { nonce + 1 },
        ..Authorization::default()
    };
    let key = k256::ecdsa::SigningKey::from_slice(&AUTHORITY_KEYS[index]).expect("a valid key");
    let hash = isthmus_evm::transaction::authorization_signing_hash(&auth, &HostCrypto);
    let (signature, recovery_id) = key.sign_prehash_recoverable(&hash).expect("signs");
    auth.y_parity = recovery_id.is_y_odd() as u8;
    auth.r = U256::from_be_slice(&signature.r().to_bytes());
    auth.s = U256::from_be_slice(&signature.s().to_bytes());
    match rng.below(20) {
        0 => auth.y_parity = 2,
        1 => {
            // The same signature with s mirrored (and the parity flipped): valid ECDSA, refused
            // since EIP-2.
            let order: U256 =
                "115792089237316195423570985008687907852837564279074904382605163141518161494337"
                    .parse()
                    .expect("the secp256k1 order");
            auth.s = order - auth.s;
            auth.y_parity ^= 1;
        }
        _ => {}
    }
    auth
}

/// Breaks one validity rule; both sides must refuse the transaction.
fn make_invalid(rng: &mut Rng, tx: &mut TxEnv, world: &World, block: &BlockEnv) {
    if tx.kind == TxKind::SetCode && rng.chance(20) {
        tx.authorization_list.clear();
        return;
    }
    if block.fork == Fork::Osaka && rng.chance(10) {
        // EIP-7825: one gas above the cap (the test blocks allow 30M).
        tx.gas_limit = (1 << 24) + 1;
        return;
    }
    match rng.below(8) {
        0 => tx.nonce += 1,
        1 => tx.nonce = tx.nonce.wrapping_sub(1),
        2 => tx.gas_limit = isthmus_evm::gas::intrinsic_gas(tx) - 1,
        3 => tx.gas_limit = block.gas_limit + 1,
        4 => tx.value = world[&SENDER].balance,
        5 => tx.chain_id = Some(block.chain_id + 1),
        6 if !block.base_fee.is_zero() => {
            tx.gas_price = block.base_fee - U256::from(1);
            if let Some(priority) = &mut tx.gas_priority_fee {
                *priority = (*priority).min(tx.gas_price);
            }
        }
        _ => match tx.kind {
            TxKind::DynamicFee | TxKind::Blob | TxKind::SetCode => {
                tx.gas_priority_fee = Some(tx.gas_price + U256::from(1))
            }
            _ => tx.nonce += 2,
        },
    }
}

fn random_calldata(rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => Vec::new(),
        1 => {
            let mut data = vec![0u8; 32];
            data[31] = rng.below(2) as u8;
            data
        }
        _ => {
            let n = rng.usize(100);
            rng.bytes(n)
        }
    }
}

/// Where the transaction goes: mostly the first contract, sometimes elsewhere or a creation.
fn random_target(rng: &mut Rng, contracts: usize) -> Option<Address> {
    match rng.below(20) {
        0..=13 => Some(contract_address(0)),
        14 | 15 => Some(contract_address(rng.usize(contracts))),
        16 => {
            let low = rng.range(1, 0x11);
            let precompile = addr(*rng.pick(&[low, 0x100]));
            Some(*rng.pick(&[addr(EOA), addr(EMPTY), addr(NOBODY), precompile]))
        }
        17 => Some(authority(rng.usize(AUTHORITY_KEYS.len()))),
        _ => None,
    }
}

/// Whether `op` is an Osaka opcode (CLZ, 0x1e, is undefined before: both sides must agree).
fn defined(op: u8) -> bool {
    matches!(op, 0x00..=0x0b | 0x10..=0x1e | 0x20 | 0x30..=0x4a | 0x50..=0xa4 | 0xf0..=0xf5 | 0xfa | 0xfd..=0xff)
}

fn soup(rng: &mut Rng) -> Vec<u8> {
    let max_len = if rng.chance(80) { 128 } else { 600 };
    let len = rng.usize(max_len);
    if rng.chance(30) {
        return rng.bytes(len);
    }
    // Defined opcodes only, after a few pushes and then about half pushes (mostly of small
    // numbers) to feed the rest.
    let mut code = Vec::with_capacity(len);
    let mut lead = rng.below(10);
    while code.len() < len {
        if lead > 0 || rng.chance(50) {
            lead = lead.saturating_sub(1);
            let n = if rng.chance(85) {
                1
            } else {
                rng.range(2, 32) as usize
            };
            code.push(PUSH1 + n as u8 - 1);
            if rng.chance(70) {
                code.extend(std::iter::repeat_n(0u8, n - 1));
                code.push(rng.byte() % 64);
            } else {
                code.extend(rng.bytes(n));
            }
            continue;
        }
        let op = loop {
            let op = rng.byte();
            if defined(op) {
                break op;
            }
        };
        code.push(op);
        if (PUSH1..=PUSH32).contains(&op) {
            code.extend(rng.bytes((op - PUSH1 + 1) as usize));
        }
    }
    code
}

fn soup_case(rng: &mut Rng) -> Case {
    let n = rng.range(1, 4) as usize;
    let codes = (0..n).map(|_| soup(rng)).collect();
    let mut world = world_with(rng, codes);
    let block = random_block(rng);
    fit_to_fork(&mut world, &block);
    let to = random_target(rng, n);
    let data = if to.is_none() {
        soup(rng)
    } else {
        random_calldata(rng)
    };
    let tx = random_tx(rng, &world, &block, to, data);
    Case {
        pre: world,
        block,
        tx,
    }
}

fn structured_case(rng: &mut Rng) -> Case {
    let n = rng.range(2, 5) as usize;
    let ctx = Ctx {
        contracts: (0..n).map(contract_address).collect(),
    };
    let mut codes = Vec::new();
    for i in 0..n {
        let mut g = Gen {
            rng: &mut *rng,
            ctx: &ctx,
            depth: 0,
        };
        codes.push(g.program(if i == 0 { 30 } else { 12 }));
    }
    let mut world = world_with(rng, codes);
    let block = random_block(rng);
    fit_to_fork(&mut world, &block);
    let to = random_target(rng, n);
    let data = if to.is_none() {
        let mut g = Gen {
            rng: &mut *rng,
            ctx: &ctx,
            depth: 0,
        };
        if g.rng.chance(50) {
            let runtime = g.program(12);
            deployer(&runtime)
        } else {
            g.program(20)
        }
    } else {
        random_calldata(rng)
    };
    let tx = random_tx(rng, &world, &block, to, data);
    Case {
        pre: world,
        block,
        tx,
    }
}

/// A real contract deployed by SENDER: the world after deployment, its address and code.
struct Deployed {
    world: World,
    address: Address,
    creation: Vec<u8>,
}

fn deployed() -> &'static [Deployed; 2] {
    static DEPLOYED: OnceLock<[Deployed; 2]> = OnceLock::new();
    DEPLOYED.get_or_init(|| {
        let mut pre = World::new();
        pre.insert(
            SENDER,
            Account::with_code(U256::from(10).pow(U256::from(24)), 0, Vec::new()),
        );
        [contracts::erc20_creation(), contracts::erc721_creation()].map(|creation| {
            let (world, address) = contracts::deploy(&pre, SENDER, creation.clone());
            Deployed {
                world,
                address,
                creation,
            }
        })
    })
}

fn mutate(rng: &mut Rng, code: &mut Vec<u8>) {
    let count = if rng.chance(60) { 1 } else { rng.range(2, 4) };
    for _ in 0..count {
        if code.is_empty() {
            code.push(rng.byte());
            continue;
        }
        let at = rng.usize(code.len());
        // In-place changes keep the jump targets; inserts and deletes move them.
        match rng.below(10) {
            0..=2 => code[at] ^= 1 << rng.below(8),
            3 => code.insert(at, rng.byte()),
            4 => {
                code.remove(at);
            }
            5 | 6 => code[at] = rng.byte(),
            7 => {
                let end = (at + rng.usize(16) + 1).min(code.len());
                let run = code[at..end].to_vec();
                let to = rng.usize(code.len());
                code.splice(to..to, run);
            }
            _ => {
                // Change a PUSH's immediate: jump targets, selectors, constants.
                if let Some(pos) = (at..code.len()).find(|&i| (PUSH1..=PUSH4).contains(&code[i])) {
                    let n = (code[pos] - PUSH1 + 1) as usize;
                    if pos + n < code.len() {
                        code[pos + n] = code[pos + n].wrapping_add(rng.range(1, 8) as u8);
                    }
                }
            }
        }
    }
}

fn token_calldata(rng: &mut Rng, nft: bool, ctx: &Ctx) -> Vec<u8> {
    let who = |rng: &mut Rng| -> U256 {
        match rng.below(5) {
            0 | 1 => word(&SENDER),
            2 => word(&contract_address(1 + rng.usize(2))),
            _ => word(&ctx.address(rng)),
        }
    };
    let amount = |rng: &mut Rng| -> U256 {
        match rng.below(6) {
            0 => U256::ZERO,
            1 => U256::from(rng.below(1000)),
            2 => U256::from(10).pow(U256::from(18)),
            3 => U256::from(10).pow(U256::from(27)),
            4 => U256::MAX,
            _ => rng.word(),
        }
    };
    if rng.chance(5) {
        return random_calldata(rng);
    }
    if nft {
        match rng.below(8) {
            0..=2 => abi_call(selector::MINT, &[who(rng), U256::from(rng.below(4))]),
            3 => abi_call(selector::OWNER_OF, &[U256::from(rng.below(4))]),
            4 => abi_call(
                selector::SAFE_TRANSFER_FROM,
                &[who(rng), who(rng), U256::from(rng.below(4))],
            ),
            5 => abi_call(selector::BALANCE_OF, &[who(rng)]),
            6 => abi_call(selector::TOKEN_URI, &[U256::from(rng.below(4))]),
            _ => abi_call(
                selector::SUPPORTS_INTERFACE,
                &[U256::from(rng.next_u64() as u32) << 224],
            ),
        }
    } else {
        match rng.below(10) {
            0..=3 => abi_call(selector::TRANSFER, &[who(rng), amount(rng)]),
            4 => abi_call(selector::APPROVE, &[who(rng), amount(rng)]),
            5 => abi_call(selector::TRANSFER_FROM, &[who(rng), who(rng), amount(rng)]),
            6 => abi_call(selector::BALANCE_OF, &[who(rng)]),
            7 => abi_call(selector::ALLOWANCE, &[who(rng), who(rng)]),
            8 => abi_call(
                *rng.pick(&[selector::NAME, selector::SYMBOL, selector::DECIMALS]),
                &[],
            ),
            _ => abi_call(selector::TOTAL_SUPPLY, &[]),
        }
    }
}

fn mutated_case(rng: &mut Rng) -> Case {
    let nft = rng.chance(40);
    let token = &deployed()[nft as usize];
    let ctx = Ctx {
        contracts: (0..3).map(contract_address).collect(),
    };
    // The token (moved to 0x1000) and two structured contracts that receive tokens and calls.
    let mut world = world_with(rng, Vec::new());
    let mut token_account = token.world[&token.address].clone();
    if rng.chance(85) {
        mutate(rng, &mut token_account.code);
        token_account.code = storable(token_account.code);
    }
    world.insert(contract_address(0), token_account);
    for i in 1..3 {
        let mut g = Gen {
            rng: &mut *rng,
            ctx: &ctx,
            depth: 0,
        };
        let code = g.program(10);
        world.insert(
            contract_address(i),
            Account::with_code(U256::ZERO, 1, storable(code)),
        );
    }
    world.get_mut(&SENDER).expect("sender").nonce = token.world[&SENDER].nonce;
    let block = random_block(rng);
    fit_to_fork(&mut world, &block);
    let (to, data) = if rng.chance(15) {
        let mut creation = token.creation.clone();
        mutate(rng, &mut creation);
        (None, creation)
    } else {
        (Some(contract_address(0)), token_calldata(rng, nft, &ctx))
    };
    let mut tx = random_tx(rng, &world, &block, to, data);
    tx.gas_limit = tx
        .gas_limit
        .max(isthmus_evm::gas::intrinsic_gas(&tx) + 200_000);
    Case {
        pre: world,
        block,
        tx,
    }
}

fn generate(kind: Kind, rng: &mut Rng) -> Case {
    match kind {
        Kind::Soup => soup_case(rng),
        Kind::Structured => structured_case(rng),
        Kind::Mutated => mutated_case(rng),
    }
}

// ---------------------------------------------------------------------------------------------
// Running

#[derive(Default)]
struct Stats {
    cases: u64,
    classes: BTreeMap<String, u64>,
    /// Cases per fork and transaction type ("Osaka/SetCode").
    kinds: BTreeMap<String, u64>,
    steps: u64,
    pauses: u64,
    divergent: Vec<String>,
}

/// Runs one case through both interpreters and the stepped isthmus run; `Err` describes a
/// divergence.
fn check(seed: u64, kind: Kind, index: u64, stats: &mut Stats) -> Result<(), String> {
    let mut rng = Rng::for_case(seed ^ kind as u64, index);
    let case = generate(kind, &mut rng);
    let (ours, raw, steps) = run_isthmus(&case);
    let theirs = run_revm(&case);
    let mut diffs = differences(&ours, &theirs);
    let (stepped, pauses) = run_isthmus_stepped(&case, budget_picker(&mut rng, steps));
    if stepped != raw {
        diffs.push(format!("the stepped run (save/restore at {pauses} pauses) differs:\n  {stepped:?}\n  vs {raw:?}"));
    }
    stats.cases += 1;
    stats.steps += steps;
    stats.pauses += pauses;
    let class = match ours.class {
        Class::Halt => format!("Halt({})", ours.detail),
        class => format!("{class:?}"),
    };
    *stats.classes.entry(class).or_default() += 1;
    let fork_and_type = format!("{}/{:?}", case.block.fork.name(), case.tx.kind);
    *stats.kinds.entry(fork_and_type).or_default() += 1;
    if diffs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "DIVERGENCE seed {seed} case {}:{index}\n{}\nisthmus: {}\nrevm:    {}\n{}",
        kind.name(),
        diffs.join("\n"),
        describe_outcome(&ours),
        describe_outcome(&theirs),
        describe_case(&case)
    ))
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        let v = v.trim();
        match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => v.parse(),
        }
        .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

fn seed() -> u64 {
    env_u64("ISTHMUS_DIFF_SEED").unwrap_or(DEFAULT_SEED)
}

/// Runs `cases` cases of each kind in `kinds` and fails with the divergences found.
fn run(kinds: &[Kind], cases: u64) {
    let seed = seed();
    let started = Instant::now();
    let mut stats = Stats::default();
    for index in 0..cases {
        for &kind in kinds {
            if let Err(report) = check(seed, kind, index, &mut stats) {
                eprintln!("{report}");
                stats.divergent.push(format!("{}:{index}", kind.name()));
            }
        }
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    println!(
        "differential {names:?}: seed {seed}, {} cases in {:.1?}: {:?}, {:?}, {} opcodes, {} save/restore pauses, {} divergent",
        stats.cases,
        started.elapsed(),
        stats.classes,
        stats.kinds,
        stats.steps,
        stats.pauses,
        stats.divergent.len()
    );
    assert!(
        stats.divergent.is_empty(),
        "{} of {} cases diverge from revm (seed {seed}): {:?}",
        stats.divergent.len(),
        stats.cases,
        &stats.divergent[..stats.divergent.len().min(50)]
    );
}

#[test]
fn byte_soup_matches_revm() {
    run(&[Kind::Soup], 3_000);
}

#[test]
fn structured_programs_match_revm() {
    run(&[Kind::Structured], 1_500);
}

#[test]
fn mutated_real_contracts_match_revm() {
    run(&[Kind::Mutated], 1_500);
}

/// The unmutated contracts must work: a transfer moves tokens, a mint mints.
#[test]
fn real_contracts_work_and_match_revm() {
    let tokens = deployed();
    for (nft, token) in tokens.iter().enumerate() {
        let mut world = token.world.clone();
        let account = world.remove(&token.address).expect("deployed");
        world.insert(contract_address(0), account);
        let data = if nft == 1 {
            abi_call(selector::MINT, &[word(&addr(EOA)), U256::from(7)])
        } else {
            abi_call(selector::TRANSFER, &[word(&addr(EOA)), U256::from(1000)])
        };
        let tx = contracts::legacy_tx(
            SENDER,
            world[&SENDER].nonce,
            Some(contract_address(0)),
            data,
            200_000,
        );
        let case = Case {
            pre: world,
            block: contracts::test_block(),
            tx,
        };
        let (ours, _, _) = run_isthmus(&case);
        let theirs = run_revm(&case);
        assert_eq!(ours.class, Class::Success, "{}", describe_outcome(&ours));
        assert_eq!(ours.logs.len(), 1, "one Transfer event");
        let diffs = differences(&ours, &theirs);
        assert!(diffs.is_empty(), "{diffs:#?}");
    }
}

/// The long run: ISTHMUS_DIFF_CASES cases (default 200,000) over all generators, from
/// ISTHMUS_DIFF_SEED. With ISTHMUS_DIFF_REPLAY=<kind>:<index>, only that case, printed in full.
#[test]
#[ignore = "long: run on demand with --ignored (and preferably --release)"]
fn differential_long() {
    if let Ok(replay) = std::env::var("ISTHMUS_DIFF_REPLAY") {
        let (name, index) = replay
            .split_once(':')
            .expect("ISTHMUS_DIFF_REPLAY=<kind>:<index>");
        let kind = *Kind::ALL
            .iter()
            .find(|k| k.name() == name)
            .expect("kind: soup, structured or mutated");
        let index: u64 = index.parse().expect("case index");
        let mut rng = Rng::for_case(seed() ^ kind as u64, index);
        let case = generate(kind, &mut rng);
        println!("{}", describe_case(&case));
        if let Some(limit) = env_u64("ISTHMUS_DIFF_TRACE") {
            println!(
                "revm trace:\n{}",
                common::world::revm_trace(&case, limit as usize)
            );
        }
        let mut stats = Stats::default();
        match check(seed(), kind, index, &mut stats) {
            Ok(()) => println!("case {replay} agrees: {:?}", stats.classes),
            Err(report) => panic!("{report}"),
        }
        return;
    }
    let cases = env_u64("ISTHMUS_DIFF_CASES").unwrap_or(200_000);
    run(&Kind::ALL, cases.div_ceil(Kind::ALL.len() as u64));
}
