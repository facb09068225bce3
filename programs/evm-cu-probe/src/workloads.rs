//! The probe workloads (host side): for each measured opcode, a contract that executes it `n`
//! times (unrolled) and a baseline with the same stack shuffling but without the opcode.
//!
//! Shapes (a, b, c are 256-bit operands pushed once by a prologue; `X` the measured opcode):
//!
//! | shape | workload body (x n) | baseline body (x n) | difference per execution |
//! |---|---|---|---|
//! | unary chain | `X` (its result feeds the next) | nothing | `X` |
//! | binary | `DUP2 DUP2 X POP` | `DUP2 DUP2 POP POP` | `X - POP` |
//! | ternary | `DUP3 DUP3 DUP3 X POP` | `DUP3 DUP3 DUP3 POP POP POP` | `X - 2 POP` |
//! | store | `DUP2 DUP2 X` | `DUP2 DUP2 POP POP` | `X - 2 POP` |
//!
//! `pops` says how many POPs the difference lacks; the CU of one POP is measured too
//! (`PUSH1 x n; POP x n` against `PUSH1 x n`), so `per execution = diff / n + pops * POP`.
//! `gas` is the expected EVM gas difference per execution, checked by the tests and by
//! `tools/cu-probe` (it proves the opcode really ran n times).
//!
//! Everything that scales with the code rather than with execution must cost the same in a
//! workload and its baseline: expanding the segments on-chain (a few dozen CU per repeat), hashing
//! and copying the code, and the JUMPDEST analysis (~8 CU per byte, and cheaper over PUSH data).
//! So both run the same bytes: the workload's code is `W STOP B` and the baseline's `B STOP W`
//! (W = workload segments, B = baseline segments; what follows the STOP never runs).

use crate::message::{Message, Segment, FLAG_SKIP_EVM};
use alloc::vec;
use alloc::vec::Vec;

/// Opcode bytes, from the interpreter itself.
pub use isthmus_evm::interpreter::opcode as op;

/// Gas limit of every probe transaction (the probes use far less).
pub const GAS_LIMIT: u64 = 5_000_000;

/// Default repetitions.
pub const N: u16 = 200;

/// A full-width operand: 0xfedcba98...0123...cdef (negative as a signed word).
pub const A: [u8; 32] = [
    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
];
/// A 128-bit operand (a realistic divisor).
pub const B: [u8; 32] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x11,
];
/// A different full-width operand.
pub const C: [u8; 32] = [
    0x9a, 0x3c, 0x51, 0x0e, 0x77, 0x42, 0xd1, 0x8b, 0x06, 0xfa, 0x2e, 0x93, 0x15, 0xc8, 0x6d, 0x40,
    0xb7, 0x29, 0xe4, 0x58, 0x0c, 0x9f, 0x63, 0xa1, 0x3e, 0xd5, 0x17, 0x8a, 0x4b, 0xf0, 0x26, 0x71,
];
/// The secp256k1 field prime (a modulus for ADDMOD/MULMOD).
pub const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f,
];

/// `PUSH32 word`.
pub fn push32(word: &[u8; 32]) -> Vec<u8> {
    let mut out = vec![op::PUSH32];
    out.extend_from_slice(word);
    out
}

/// `PUSH1 byte`.
pub fn push1(byte: u8) -> Vec<u8> {
    vec![op::PUSH1, byte]
}

/// A small word with its low 8 bytes set to `value`.
pub fn word(value: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[24..].copy_from_slice(&value.to_be_bytes());
    out
}

/// Code as (repeat, bytes) segments.
pub type Code = Vec<(u16, Vec<u8>)>;

/// One measurement: `code` against `baseline`.
#[derive(Clone, Debug)]
pub struct Workload {
    pub name: &'static str,
    /// What one execution of the difference is.
    pub unit: &'static str,
    pub n: u16,
    /// POPs missing from the difference (see the module docs).
    pub pops: u8,
    /// Expected EVM gas difference per execution.
    pub gas: i64,
    pub code: Code,
    pub baseline: Code,
    pub calldata: Vec<u8>,
}

fn len(code: &Code) -> usize {
    code.iter()
        .map(|(repeat, bytes)| *repeat as usize * bytes.len())
        .sum()
}

/// The instruction data that runs `code` (zero-padded to `code_len`) with `calldata`.
pub fn instruction_data(code: &Code, code_len: usize, calldata: &[u8], flags: u8) -> Vec<u8> {
    let segments = code
        .iter()
        .map(|(repeat, bytes)| Segment {
            repeat: *repeat,
            bytes,
        })
        .collect();
    Message {
        flags,
        gas_limit: GAS_LIMIT,
        code_len: code_len as u32,
        segments,
        calldata,
    }
    .encode()
}

/// `first STOP second`: `first` runs, `second` is only there to be expanded, hashed and analysed.
fn then_dead(first: &Code, second: &Code) -> Code {
    let mut code = first.clone();
    code.push((1, vec![op::STOP]));
    code.extend(second.iter().cloned());
    code
}

impl Workload {
    /// Instruction data for the workload: code `W STOP B`.
    pub fn data(&self) -> Vec<u8> {
        let code = then_dead(&self.code, &self.baseline);
        instruction_data(&code, len(&code), &self.calldata, 0)
    }

    /// Instruction data for the baseline: code `B STOP W`.
    pub fn baseline_data(&self) -> Vec<u8> {
        let code = then_dead(&self.baseline, &self.code);
        instruction_data(&code, len(&code), &self.calldata, 0)
    }
}

/// A transaction that runs the one-byte code `STOP`: the fixed cost of the interpreter.
pub fn empty_transaction() -> Vec<u8> {
    instruction_data(&vec![(1, vec![op::STOP])], 1, &[], 0)
}

/// The empty transaction with [`crate::message::FLAG_TRACE_CU`]: logs the compute units left
/// between the phases.
pub fn empty_transaction_traced() -> Vec<u8> {
    instruction_data(
        &vec![(1, vec![op::STOP])],
        1,
        &[],
        crate::message::FLAG_TRACE_CU,
    )
}

/// The same message with [`FLAG_SKIP_EVM`]: the program's cost without the interpreter.
pub fn skip_evm() -> Vec<u8> {
    instruction_data(&vec![(1, vec![op::STOP])], 1, &[], FLAG_SKIP_EVM)
}

fn unary(name: &'static str, x: u8, prologue: Vec<u8>, gas: i64) -> Workload {
    Workload {
        name,
        unit: "X (chained)",
        n: N,
        pops: 0,
        gas,
        code: vec![(1, prologue.clone()), (N, vec![x])],
        baseline: vec![(1, prologue)],
        calldata: Vec::new(),
    }
}

/// `a` ends on top: X computes `a X b`.
fn binary(name: &'static str, x: u8, a: Vec<u8>, b: Vec<u8>, gas: u64) -> binary::Builder {
    binary::Builder {
        name,
        x,
        a,
        b,
        gas,
        n: N,
    }
}

mod binary {
    use super::*;

    pub struct Builder {
        pub name: &'static str,
        pub x: u8,
        pub a: Vec<u8>,
        pub b: Vec<u8>,
        pub gas: u64,
        pub n: u16,
    }

    impl Builder {
        pub fn n(mut self, n: u16) -> Self {
            self.n = n;
            self
        }

        pub fn build(self) -> Workload {
            let mut prologue = self.b;
            prologue.extend_from_slice(&self.a);
            Workload {
                name: self.name,
                unit: "DUP2 DUP2 X POP - DUP2 DUP2 POP POP",
                n: self.n,
                pops: 1,
                gas: self.gas as i64 - 2,
                code: vec![
                    (1, prologue.clone()),
                    (self.n, vec![op::DUP2, op::DUP2, self.x, op::POP]),
                ],
                baseline: vec![
                    (1, prologue),
                    (self.n, vec![op::DUP2, op::DUP2, op::POP, op::POP]),
                ],
                calldata: Vec::new(),
            }
        }
    }
}

/// `(a X b) mod c`, with `a` on top.
fn ternary(name: &'static str, x: u8, gas: i64) -> Workload {
    let mut prologue = push32(&P);
    prologue.extend(push32(&C));
    prologue.extend(push32(&A));
    Workload {
        name,
        unit: "DUP3 DUP3 DUP3 X POP - DUP3 DUP3 DUP3 POP POP POP",
        n: N,
        pops: 2,
        gas: gas - 4,
        code: vec![
            (1, prologue.clone()),
            (N, vec![op::DUP3, op::DUP3, op::DUP3, x, op::POP]),
        ],
        baseline: vec![
            (1, prologue),
            (
                N,
                vec![op::DUP3, op::DUP3, op::DUP3, op::POP, op::POP, op::POP],
            ),
        ],
        calldata: Vec::new(),
    }
}

/// X pops (key/offset on top, value) and pushes nothing: `DUP2 DUP2 X` against `DUP2 DUP2 POP POP`.
fn store(name: &'static str, x: u8, prologue: Vec<u8>, gas: i64) -> Workload {
    Workload {
        name,
        unit: "DUP2 DUP2 X - DUP2 DUP2 POP POP",
        n: N,
        pops: 2,
        gas: gas - 4,
        code: vec![(1, prologue.clone()), (N, vec![op::DUP2, op::DUP2, x])],
        baseline: vec![
            (1, prologue),
            (N, vec![op::DUP2, op::DUP2, op::POP, op::POP]),
        ],
        calldata: Vec::new(),
    }
}

/// A counted loop: `PUSH2 count; loop: JUMPDEST <body...>` run `n + 1` times against once.
fn counted_loop(
    name: &'static str,
    unit: &'static str,
    body: fn(u8) -> Vec<u8>,
    gas: i64,
) -> Workload {
    let make = |count: u16| -> Code {
        let mut code = vec![op::PUSH2];
        code.extend_from_slice(&count.to_be_bytes());
        code.extend(body(3)); // the loop starts at offset 3
        vec![(1, code)]
    };
    Workload {
        name,
        unit,
        n: N,
        pops: 0,
        gas,
        code: make(N + 1),
        baseline: make(1),
        calldata: Vec::new(),
    }
}

/// A call to `target` (pushed by one opcode) with no value, input or output, `CALL POP` against
/// seven POPs: what a call costs beyond pushing its arguments. Every frame of the contract starts
/// `CALLER ADDRESS EQ ISZERO PUSH1 8 JUMPI STOP JUMPDEST`, so the contract calling itself runs
/// those seven opcodes and stops (23 gas).
fn call(name: &'static str, unit: &'static str, target: u8, gas: i64) -> Workload {
    const N_CALLS: u16 = 50;
    let prologue = vec![
        op::CALLER,
        op::ADDRESS,
        op::EQ,
        op::ISZERO,
        op::PUSH1,
        8,
        op::JUMPI,
        op::STOP,
        op::JUMPDEST,
    ];
    let arguments = [[op::PUSH1, 0].repeat(5), vec![target, op::GAS]].concat();
    Workload {
        name,
        unit,
        n: N_CALLS,
        pops: 6,
        gas,
        code: vec![
            (1, prologue.clone()),
            (
                N_CALLS,
                [arguments.clone(), vec![op::CALL, op::POP]].concat(),
            ),
        ],
        baseline: vec![
            (1, prologue),
            (N_CALLS, [arguments, vec![op::POP; 7]].concat()),
        ],
        calldata: Vec::new(),
    }
}

/// Every workload, in table order.
pub fn all() -> Vec<Workload> {
    let a = || push32(&A);
    let b = || push32(&B);
    let c = || push32(&C);
    let small = |v: u8| push1(v);
    vec![
        // Stack.
        Workload {
            name: "PUSH1",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(N, small(1))],
            baseline: vec![],
            calldata: Vec::new(),
        },
        Workload {
            name: "PUSH32",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(N, push32(&A))],
            baseline: vec![],
            calldata: Vec::new(),
        },
        Workload {
            name: "POP",
            unit: "X (after n PUSH1)",
            n: N,
            pops: 0,
            gas: 2,
            code: vec![(N, small(1)), (N, vec![op::POP])],
            baseline: vec![(N, small(1))],
            calldata: Vec::new(),
        },
        Workload {
            name: "DUP1",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(1, small(1)), (N, vec![op::DUP1])],
            baseline: vec![(1, small(1))],
            calldata: Vec::new(),
        },
        Workload {
            name: "DUP16",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(16, small(1)), (N, vec![op::DUP16])],
            baseline: vec![(16, small(1))],
            calldata: Vec::new(),
        },
        Workload {
            name: "SWAP1",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(2, small(1)), (N, vec![op::SWAP1])],
            baseline: vec![(2, small(1))],
            calldata: Vec::new(),
        },
        Workload {
            name: "SWAP16",
            unit: "X",
            n: N,
            pops: 0,
            gas: 3,
            code: vec![(17, small(1)), (N, vec![op::SWAP16])],
            baseline: vec![(17, small(1))],
            calldata: Vec::new(),
        },
        // Arithmetic (256-bit operands unless the name says otherwise).
        binary("ADD", op::ADD, a(), c(), 3).build(),
        binary("SUB", op::SUB, a(), c(), 3).build(),
        binary("MUL", op::MUL, a(), c(), 5).build(),
        binary("DIV 256/128-bit", op::DIV, a(), b(), 5).build(),
        binary(
            "DIV 64/8-bit",
            op::DIV,
            push32(&word(0x0123_4567_89ab_cdef)),
            small(7),
            5,
        )
        .build(),
        binary(
            "DIV 256/64-bit",
            op::DIV,
            a(),
            push32(&word(0x9a3c_510e_7742_d18b)),
            5,
        )
        .build(),
        binary("DIV 256/256-bit", op::DIV, a(), c(), 5).build(),
        binary("SDIV 256/128-bit", op::SDIV, a(), b(), 5).build(),
        binary("MOD 256/128-bit", op::MOD, a(), b(), 5).build(),
        binary("SMOD 256/128-bit", op::SMOD, a(), b(), 5).build(),
        ternary("ADDMOD mod p", op::ADDMOD, 8),
        ternary("MULMOD mod p", op::MULMOD, 8),
        binary("EXP 1-byte exponent", op::EXP, a(), small(0xff), 10 + 50).build(),
        binary("EXP 32-byte exponent", op::EXP, a(), c(), 10 + 50 * 32)
            .n(10)
            .build(),
        // Comparison and bitwise.
        binary("LT", op::LT, a(), c(), 3).build(),
        binary("SLT", op::SLT, a(), c(), 3).build(),
        binary("EQ", op::EQ, a(), c(), 3).build(),
        binary("AND", op::AND, a(), c(), 3).build(),
        binary("SHL by 100", op::SHL, small(100), a(), 3).build(),
        binary("SHR by 100", op::SHR, small(100), a(), 3).build(),
        binary("SAR by 100 (negative)", op::SAR, small(100), a(), 3).build(),
        binary("BYTE 5", op::BYTE, small(5), a(), 3).build(),
        binary("SIGNEXTEND byte 10", op::SIGNEXTEND, small(10), a(), 5).build(),
        unary("ISZERO", op::ISZERO, small(0), 3),
        unary("NOT", op::NOT, small(0), 3),
        // Memory (memory expanded by the prologue).
        unary("MLOAD", op::MLOAD, vec![op::PUSH1, 0, op::MLOAD], 3),
        // MSTORE of `a` at offset 0, memory already one word long.
        store(
            "MSTORE",
            op::MSTORE,
            [small(0), vec![op::DUP1, op::MSTORE], a(), small(0)].concat(),
            3,
        ),
        // KECCAK256 of the 32 bytes at offset 0 (stored by the prologue): size under offset.
        binary(
            "KECCAK256 32 bytes",
            op::KECCAK256,
            small(0),
            [a(), small(0), vec![op::MSTORE], small(32)].concat(),
            30 + 6,
        )
        .build(),
        // Storage: the prologue touches the slot first, so every measured access is warm.
        unary("SLOAD warm", op::SLOAD, vec![op::PUSH1, 0, op::SLOAD], 100),
        store(
            "SSTORE warm (dirty slot)",
            op::SSTORE,
            [small(1), small(0), vec![op::SSTORE], small(2), small(0)].concat(),
            100,
        ),
        unary("TLOAD", op::TLOAD, vec![op::PUSH1, 0, op::TLOAD], 100),
        store("TSTORE", op::TSTORE, [small(2), small(0)].concat(), 100),
        // Calldata: CALLDATALOAD(0) of 32 zero bytes feeds the next one.
        Workload {
            calldata: vec![0; 32],
            ..unary("CALLDATALOAD", op::CALLDATALOAD, small(0), 3)
        },
        // Control flow.
        Workload {
            name: "JUMPDEST",
            unit: "X",
            n: N,
            pops: 0,
            gas: 1,
            code: vec![(N, vec![op::JUMPDEST])],
            baseline: vec![],
            calldata: Vec::new(),
        },
        store(
            "JUMPI not taken",
            op::JUMPI,
            [small(0), small(0)].concat(),
            10,
        ),
        // Calls: to a contract (the probe's own, whose frame stops at once) and to an account
        // without code (the sender). Both warm, no value.
        call(
            "CALL (a contract that stops)",
            "CALL POP - 7 POP, and the callee's 7 opcodes",
            op::ADDRESS,
            100 + 23 + 2 - 14,
        ),
        call(
            "CALL (an account without code)",
            "CALL POP - 7 POP",
            op::ORIGIN,
            100 + 2 - 14,
        ),
        counted_loop(
            "JUMPI loop iteration",
            "JUMPDEST PUSH1 SWAP1 SUB DUP1 PUSH1 JUMPI(taken)",
            |start| {
                vec![
                    op::JUMPDEST,
                    op::PUSH1,
                    1,
                    op::SWAP1,
                    op::SUB,
                    op::DUP1,
                    op::PUSH1,
                    start,
                    op::JUMPI,
                ]
            },
            1 + 3 + 3 + 3 + 3 + 3 + 10,
        ),
        counted_loop(
            "JUMP loop iteration",
            "JUMPDEST PUSH1 SWAP1 SUB DUP1 ISZERO PUSH1 JUMPI(not taken) PUSH1 JUMP",
            |start| {
                // start: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 ISZERO PUSH1 exit JUMPI PUSH1 start JUMP
                // exit:  JUMPDEST (then STOP padding)
                let exit = start + 14;
                vec![
                    op::JUMPDEST,
                    op::PUSH1,
                    1,
                    op::SWAP1,
                    op::SUB,
                    op::DUP1,
                    op::ISZERO,
                    op::PUSH1,
                    exit,
                    op::JUMPI,
                    op::PUSH1,
                    start,
                    op::JUMP,
                    op::STOP,
                    op::JUMPDEST,
                ]
            },
            1 + 3 + 3 + 3 + 3 + 3 + 3 + 10 + 3 + 8,
        ),
    ]
}

/// Workloads whose peak heap is worth reporting, as (name, instruction data).
pub fn heap_workloads() -> Vec<(&'static str, Vec<u8>)> {
    let stack_1024 = vec![(1024u16, push1(1))];
    // MSTORE of one word at offset 65,504: 64 KiB of EVM memory.
    let memory_64k = vec![(
        1,
        [push1(1), vec![op::PUSH2, 0xff, 0xe0, op::MSTORE]].concat(),
    )];
    let sstore_100: Code = vec![(
        100,
        [op::DUP1, op::DUP1, op::SSTORE, op::PUSH1, 1, op::ADD].to_vec(),
    )];
    let sstore_100 = [vec![(1, push1(1))], sstore_100].concat();
    let keccak = all()
        .into_iter()
        .find(|w| w.name == "KECCAK256 32 bytes")
        .expect("keccak workload");
    vec![
        ("empty transaction (STOP)", empty_transaction()),
        ("KECCAK256 x200", keccak.data()),
        (
            "stack of 1,024 words (PUSH1 x1024)",
            instruction_data(&stack_1024, len(&stack_1024) + 1, &[], 0),
        ),
        (
            "64 KiB of EVM memory (one MSTORE)",
            instruction_data(&memory_64k, len(&memory_64k) + 1, &[], 0),
        ),
        (
            "100 distinct storage slots (SSTORE)",
            instruction_data(&sstore_100, len(&sstore_100) + 1, &[], 0),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{status, Message};
    use crate::probe;
    use isthmus_evm::HostCrypto;

    fn run(data: &[u8]) -> crate::message::Report {
        let message = Message::decode(data).expect("a valid message");
        probe::run(&message, &HostCrypto, None)
    }

    /// Every workload and baseline succeeds, and the gas difference shows the measured opcode ran
    /// exactly `n` times.
    #[test]
    fn workloads_run_the_opcode_n_times() {
        let list = all();
        assert!(list.len() >= 30);
        for w in &list {
            let code = run(&w.data());
            let base = run(&w.baseline_data());
            assert_eq!(code.status, status::SUCCESS, "{}: {code:?}", w.name);
            assert_eq!(
                base.status,
                status::SUCCESS,
                "{} baseline: {base:?}",
                w.name
            );
            let diff = code.gas_used as i64 - base.gas_used as i64;
            assert_eq!(
                diff,
                w.gas * w.n as i64,
                "{}: gas {} vs {}",
                w.name,
                code.gas_used,
                base.gas_used
            );
            // Instruction data must fit a Solana transaction (1,232 bytes) with room to spare.
            assert!(
                w.data().len() < 700 && w.baseline_data().len() < 700,
                "{}: too big",
                w.name
            );
        }
    }

    #[test]
    fn fixed_workloads_succeed() {
        assert_eq!(run(&empty_transaction()).status, status::SUCCESS);
        assert_eq!(run(&empty_transaction()).gas_used, 21_000);
        for (name, data) in heap_workloads() {
            assert_eq!(run(&data).status, status::SUCCESS, "{name}");
        }
    }
}
