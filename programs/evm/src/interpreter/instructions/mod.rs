//! Opcode handlers, one file per family (as in revm), and the table that maps bytes to them.

mod arithmetic;
mod bitwise;
mod block_info;
mod contract;
mod control;
mod host;
mod memory;
mod stack;
mod system;
mod tx_info;

use super::Interp;
use crate::gas;
use crate::opcode::*;

/// An opcode handler and the static part of its gas.
#[derive(Clone, Copy)]
pub struct Instruction {
    pub run: fn(&mut Interp<'_>),
    pub gas: u64,
}

/// The dispatch table.
pub static TABLE: [Instruction; 256] = table();

/// Runs `op`, whose table entry is `run`. Off-chain the small handlers compiled code runs most
/// are matched and inlined (a jump table, no call through a pointer and back); the rest go
/// through the table. Measured (evm-bench): with these fourteen the arithmetic loop went from
/// 1.08x to 0.92x of revm's time and bubble sort from 1.05x to 0.95x, while matching every
/// opcode, or the larger handlers too (MUL, MLOAD, ...), made snailtracer and bubble sort
/// slower (1.15-1.23x). On SBF, which has no indirect jump (a `match` is a tree of compares,
/// measured slower there), every opcode goes through the table.
#[inline(always)]
pub fn dispatch(it: &mut Interp<'_>, op: u8, run: fn(&mut Interp<'_>)) {
    #[cfg(not(target_arch = "bpf"))]
    match op {
        PUSH0 => stack::push0(it),
        PUSH1 => stack::push::<1>(it),
        PUSH2 => stack::push::<2>(it),
        DUP1 => stack::dup::<1>(it),
        DUP2 => stack::dup::<2>(it),
        DUP3 => stack::dup::<3>(it),
        SWAP1 => stack::swap::<1>(it),
        SWAP2 => stack::swap::<2>(it),
        POP => stack::pop(it),
        JUMPDEST => {}
        JUMPI => control::jumpi(it),
        JUMP => control::jump(it),
        ISZERO => bitwise::iszero(it),
        ADD => arithmetic::add(it),
        _ => run(it),
    }
    #[cfg(target_arch = "bpf")]
    {
        let _ = op;
        run(it);
    }
}

const fn table() -> [Instruction; 256] {
    let mut t = [Instruction {
        run: control::invalid,
        gas: 0,
    }; 256];
    macro_rules! set {
        ($op:expr, $run:expr, $gas:expr) => {
            t[$op as usize] = Instruction {
                run: $run,
                gas: $gas,
            };
        };
    }
    set!(STOP, control::stop, 0);
    set!(ADD, arithmetic::add, gas::VERYLOW);
    set!(MUL, arithmetic::mul, gas::LOW);
    set!(SUB, arithmetic::sub, gas::VERYLOW);
    set!(DIV, arithmetic::div, gas::LOW);
    set!(SDIV, arithmetic::sdiv, gas::LOW);
    set!(MOD, arithmetic::rem, gas::LOW);
    set!(SMOD, arithmetic::smod, gas::LOW);
    set!(ADDMOD, arithmetic::addmod, gas::MID);
    set!(MULMOD, arithmetic::mulmod, gas::MID);
    set!(EXP, arithmetic::exp, gas::HIGH);
    set!(SIGNEXTEND, arithmetic::signextend, gas::LOW);

    set!(LT, bitwise::lt, gas::VERYLOW);
    set!(GT, bitwise::gt, gas::VERYLOW);
    set!(SLT, bitwise::slt, gas::VERYLOW);
    set!(SGT, bitwise::sgt, gas::VERYLOW);
    set!(EQ, bitwise::eq, gas::VERYLOW);
    set!(ISZERO, bitwise::iszero, gas::VERYLOW);
    set!(AND, bitwise::and, gas::VERYLOW);
    set!(OR, bitwise::or, gas::VERYLOW);
    set!(XOR, bitwise::xor, gas::VERYLOW);
    set!(NOT, bitwise::not, gas::VERYLOW);
    set!(BYTE, bitwise::byte, gas::VERYLOW);
    set!(SHL, bitwise::shl, gas::VERYLOW);
    set!(SHR, bitwise::shr, gas::VERYLOW);
    set!(SAR, bitwise::sar, gas::VERYLOW);
    set!(CLZ, bitwise::clz, gas::CLZ);

    set!(KECCAK256, system::keccak256, gas::KECCAK256);
    set!(ADDRESS, system::address, gas::BASE);
    set!(BALANCE, host::balance, 0);
    set!(ORIGIN, tx_info::origin, gas::BASE);
    set!(CALLER, system::caller, gas::BASE);
    set!(CALLVALUE, system::callvalue, gas::BASE);
    set!(CALLDATALOAD, system::calldataload, gas::VERYLOW);
    set!(CALLDATASIZE, system::calldatasize, gas::BASE);
    set!(CALLDATACOPY, system::calldatacopy, gas::VERYLOW);
    set!(CODESIZE, system::codesize, gas::BASE);
    set!(CODECOPY, system::codecopy, gas::VERYLOW);
    set!(GASPRICE, tx_info::gasprice, gas::BASE);
    set!(EXTCODESIZE, host::extcodesize, 0);
    set!(EXTCODECOPY, host::extcodecopy, 0);
    set!(RETURNDATASIZE, system::returndatasize, gas::BASE);
    set!(RETURNDATACOPY, system::returndatacopy, gas::VERYLOW);
    set!(EXTCODEHASH, host::extcodehash, 0);

    set!(BLOCKHASH, host::blockhash, gas::BLOCKHASH);
    set!(COINBASE, block_info::coinbase, gas::BASE);
    set!(TIMESTAMP, block_info::timestamp, gas::BASE);
    set!(NUMBER, block_info::number, gas::BASE);
    set!(PREVRANDAO, block_info::prevrandao, gas::BASE);
    set!(GASLIMIT, block_info::gaslimit, gas::BASE);
    set!(CHAINID, block_info::chainid, gas::BASE);
    set!(SELFBALANCE, host::selfbalance, gas::LOW);
    set!(BASEFEE, block_info::basefee, gas::BASE);
    set!(BLOBHASH, tx_info::blobhash, gas::VERYLOW);
    set!(BLOBBASEFEE, block_info::blobbasefee, gas::BASE);

    set!(POP, stack::pop, gas::BASE);
    set!(MLOAD, memory::mload, gas::VERYLOW);
    set!(MSTORE, memory::mstore, gas::VERYLOW);
    set!(MSTORE8, memory::mstore8, gas::VERYLOW);
    set!(SLOAD, host::sload, 0);
    set!(SSTORE, host::sstore, 0);
    set!(JUMP, control::jump, gas::MID);
    set!(JUMPI, control::jumpi, gas::HIGH);
    set!(PC, control::pc, gas::BASE);
    set!(MSIZE, memory::msize, gas::BASE);
    set!(GAS, system::gas, gas::BASE);
    set!(JUMPDEST, control::jumpdest, gas::JUMPDEST);
    set!(TLOAD, host::tload, gas::TRANSIENT);
    set!(TSTORE, host::tstore, gas::TRANSIENT);
    set!(MCOPY, memory::mcopy, gas::VERYLOW);
    set!(PUSH0, stack::push0, gas::BASE);

    set!(PUSH1, stack::push::<1>, gas::VERYLOW);
    set!(PUSH2, stack::push::<2>, gas::VERYLOW);
    set!(PUSH3, stack::push::<3>, gas::VERYLOW);
    set!(PUSH4, stack::push::<4>, gas::VERYLOW);
    set!(PUSH5, stack::push::<5>, gas::VERYLOW);
    set!(PUSH6, stack::push::<6>, gas::VERYLOW);
    set!(PUSH7, stack::push::<7>, gas::VERYLOW);
    set!(PUSH8, stack::push::<8>, gas::VERYLOW);
    set!(PUSH9, stack::push::<9>, gas::VERYLOW);
    set!(PUSH10, stack::push::<10>, gas::VERYLOW);
    set!(PUSH11, stack::push::<11>, gas::VERYLOW);
    set!(PUSH12, stack::push::<12>, gas::VERYLOW);
    set!(PUSH13, stack::push::<13>, gas::VERYLOW);
    set!(PUSH14, stack::push::<14>, gas::VERYLOW);
    set!(PUSH15, stack::push::<15>, gas::VERYLOW);
    set!(PUSH16, stack::push::<16>, gas::VERYLOW);
    set!(PUSH17, stack::push::<17>, gas::VERYLOW);
    set!(PUSH18, stack::push::<18>, gas::VERYLOW);
    set!(PUSH19, stack::push::<19>, gas::VERYLOW);
    set!(PUSH20, stack::push::<20>, gas::VERYLOW);
    set!(PUSH21, stack::push::<21>, gas::VERYLOW);
    set!(PUSH22, stack::push::<22>, gas::VERYLOW);
    set!(PUSH23, stack::push::<23>, gas::VERYLOW);
    set!(PUSH24, stack::push::<24>, gas::VERYLOW);
    set!(PUSH25, stack::push::<25>, gas::VERYLOW);
    set!(PUSH26, stack::push::<26>, gas::VERYLOW);
    set!(PUSH27, stack::push::<27>, gas::VERYLOW);
    set!(PUSH28, stack::push::<28>, gas::VERYLOW);
    set!(PUSH29, stack::push::<29>, gas::VERYLOW);
    set!(PUSH30, stack::push::<30>, gas::VERYLOW);
    set!(PUSH31, stack::push::<31>, gas::VERYLOW);
    set!(PUSH32, stack::push::<32>, gas::VERYLOW);
    set!(DUP1, stack::dup::<1>, gas::VERYLOW);
    set!(DUP2, stack::dup::<2>, gas::VERYLOW);
    set!(DUP3, stack::dup::<3>, gas::VERYLOW);
    set!(DUP4, stack::dup::<4>, gas::VERYLOW);
    set!(DUP5, stack::dup::<5>, gas::VERYLOW);
    set!(DUP6, stack::dup::<6>, gas::VERYLOW);
    set!(DUP7, stack::dup::<7>, gas::VERYLOW);
    set!(DUP8, stack::dup::<8>, gas::VERYLOW);
    set!(DUP9, stack::dup::<9>, gas::VERYLOW);
    set!(DUP10, stack::dup::<10>, gas::VERYLOW);
    set!(DUP11, stack::dup::<11>, gas::VERYLOW);
    set!(DUP12, stack::dup::<12>, gas::VERYLOW);
    set!(DUP13, stack::dup::<13>, gas::VERYLOW);
    set!(DUP14, stack::dup::<14>, gas::VERYLOW);
    set!(DUP15, stack::dup::<15>, gas::VERYLOW);
    set!(DUP16, stack::dup::<16>, gas::VERYLOW);
    set!(SWAP1, stack::swap::<1>, gas::VERYLOW);
    set!(SWAP2, stack::swap::<2>, gas::VERYLOW);
    set!(SWAP3, stack::swap::<3>, gas::VERYLOW);
    set!(SWAP4, stack::swap::<4>, gas::VERYLOW);
    set!(SWAP5, stack::swap::<5>, gas::VERYLOW);
    set!(SWAP6, stack::swap::<6>, gas::VERYLOW);
    set!(SWAP7, stack::swap::<7>, gas::VERYLOW);
    set!(SWAP8, stack::swap::<8>, gas::VERYLOW);
    set!(SWAP9, stack::swap::<9>, gas::VERYLOW);
    set!(SWAP10, stack::swap::<10>, gas::VERYLOW);
    set!(SWAP11, stack::swap::<11>, gas::VERYLOW);
    set!(SWAP12, stack::swap::<12>, gas::VERYLOW);
    set!(SWAP13, stack::swap::<13>, gas::VERYLOW);
    set!(SWAP14, stack::swap::<14>, gas::VERYLOW);
    set!(SWAP15, stack::swap::<15>, gas::VERYLOW);
    set!(SWAP16, stack::swap::<16>, gas::VERYLOW);
    let mut i = 0;
    while i < 5 {
        set!(LOG0 + i, host::log, 0);
        i += 1;
    }

    set!(CREATE, contract::create, gas::CREATE);
    set!(CALL, contract::call, 0);
    set!(CALLCODE, contract::callcode, 0);
    set!(RETURN, control::ret, 0);
    set!(DELEGATECALL, contract::delegatecall, 0);
    set!(CREATE2, contract::create2, gas::CREATE);
    set!(STATICCALL, contract::staticcall, 0);
    set!(REVERT, control::revert, 0);
    set!(INVALID, control::invalid, 0);
    set!(SELFDESTRUCT, host::selfdestruct, gas::SELFDESTRUCT);
    t
}
