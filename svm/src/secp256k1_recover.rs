//! `sol_secp256k1_recover` over libsecp256k1 (C) in place of the runtime's own, which runs the
//! pure-Rust `libsecp256k1` crate: the program recovers every Ethereum sender with it, and in the
//! embedded chain's block producer that one syscall was a fifth of all CPU time.
//!
//! Same contract as Agave's (`solana-syscalls`, `SyscallSecp256k1Recover`): the same compute
//! units charged first, the same memory translation (the result buffer touched and mapped for
//! writing, then the hash and the signature mapped for reading), the same answers: 1 for a hash
//! that is not 32 bytes (never, as the hash is read as 32), 2 for a recovery id over 3, 3 for a
//! signature whose r or s is zero or not below the group order, or that recovers no key; else 0
//! and the 64-byte public key. `tests` checks it against the crate the runtime uses. A key this
//! process recovered moments before (accepting the transaction) is looked up, not recomputed
//! (`isthmus_client::recovery_memo`).

use solana_program_runtime::invoke_context::InvokeContext;
use solana_program_runtime::memory::translate_slice;
use solana_program_runtime::solana_sbpf::declare_builtin_function;
use solana_program_runtime::solana_sbpf::elf::ElfError;
use solana_program_runtime::solana_sbpf::memory_region::{AccessType, MemoryMapping};
use solana_program_runtime::solana_sbpf::program::{BuiltinFunctionDefinition, BuiltinProgram};

/// The syscall's name, as programs import it.
pub const NAME: &str = "sol_secp256k1_recover";

/// The runtime's answers other than success (`solana_secp256k1_recover::Secp256k1RecoverError`).
const INVALID_RECOVERY_ID: u64 = 2;
const INVALID_SIGNATURE: u64 = 3;

/// Replaces the runtime's `sol_secp256k1_recover` in `program` with [`Secp256k1Recover`]: a
/// `litesvm::LiteSVM::with_custom_syscall` registerer (which adds to a copy of the runtime's
/// syscalls, so the old entry goes first).
pub fn register(
    program: &mut BuiltinProgram<InvokeContext<'static, 'static>>,
    name: &str,
) -> Result<(), ElfError> {
    program.unregister_function(name);
    Secp256k1Recover::register(program, name)
}

/// The key `signature` (r ‖ s) with `recovery_id` recovers for `hash`, uncompressed without the
/// 0x04 prefix; `Err` with the runtime's error code otherwise.
pub fn recover(hash: &[u8; 32], recovery_id: u64, signature: &[u8; 64]) -> Result<[u8; 64], u64> {
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
    let id = u8::try_from(recovery_id)
        .ok()
        .and_then(|id| RecoveryId::try_from(i32::from(id)).ok())
        .ok_or(INVALID_RECOVERY_ID)?;
    let signature =
        RecoverableSignature::from_compact(signature, id).map_err(|_| INVALID_SIGNATURE)?;
    let key = secp256k1::SECP256K1
        .recover_ecdsa(&secp256k1::Message::from_digest(*hash), &signature)
        .map_err(|_| INVALID_SIGNATURE)?;
    let mut out = [0u8; 64];
    out.copy_from_slice(&key.serialize_uncompressed()[1..]);
    Ok(out)
}

declare_builtin_function!(
    /// `sol_secp256k1_recover(hash, recovery_id, signature, result)`.
    Secp256k1Recover,
    fn rust(
        invoke_context: &mut InvokeContext<'_, '_>,
        hash_addr: u64,
        recovery_id: u64,
        signature_addr: u64,
        result_addr: u64,
        _arg5: u64,
    ) -> Result<u64, Box<dyn std::error::Error>> {
        let cost = invoke_context.get_execution_cost().secp256k1_recover_cost;
        invoke_context.compute_meter.consume_checked(cost)?;
        let check_aligned = invoke_context.get_check_aligned();
        let memory_mapping = invoke_context.memory_contexts.memory_mapping_mut()?;
        let result = writable(memory_mapping, result_addr)?;
        let hash: [u8; 32] = translate_slice::<u8>(memory_mapping, hash_addr, 32, check_aligned)?
            .try_into()?;
        let signature: [u8; 64] =
            translate_slice::<u8>(memory_mapping, signature_addr, 64, check_aligned)?
                .try_into()?;
        // A sender this process recovered when it accepted the transaction: the same key
        // (isthmus_client::recovery_memo), without computing it again.
        let remembered = u8::try_from(recovery_id)
            .ok()
            .and_then(|id| isthmus_client::recovery_memo::recall(&hash, &signature, id));
        match remembered.map_or_else(|| recover(&hash, recovery_id, &signature), Ok) {
            Ok(key) => {
                // SAFETY: `writable` mapped these 64 bytes for writing, and no translation since
                // then could have moved them (loads never call the access violation handler).
                unsafe { std::ptr::copy_nonoverlapping(key.as_ptr(), result as *mut u8, 64) };
                Ok(0)
            }
            Err(code) => Ok(code),
        }
    }
);

/// The host address of the 64-byte result buffer at `vm_addr`, made writable the way the runtime
/// does it: touched through the access violation handler (copy-on-write account data), then
/// mapped for a store.
fn writable(
    memory_mapping: &mut MemoryMapping,
    vm_addr: u64,
) -> Result<u64, Box<dyn std::error::Error>> {
    Result::from(memory_mapping.map_with_access_violation_handler(AccessType::Store, vm_addr, 64))
        .map_err(Box::<dyn std::error::Error>::from)?;
    Result::from(memory_mapping.map(AccessType::Store, vm_addr, 64))
        .map_err(Box::<dyn std::error::Error>::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the runtime's own syscall answers (`solana-syscalls`, `libsecp256k1`).
    fn runtime(hash: &[u8; 32], recovery_id: u64, signature: &[u8; 64]) -> Result<[u8; 64], u64> {
        let message = libsecp256k1::Message::parse_slice(hash).map_err(|_| 1u64)?;
        let id: u8 = recovery_id.try_into().map_err(|_| INVALID_RECOVERY_ID)?;
        let id = libsecp256k1::RecoveryId::parse(id).map_err(|_| INVALID_RECOVERY_ID)?;
        let signature = libsecp256k1::Signature::parse_standard_slice(signature)
            .map_err(|_| INVALID_SIGNATURE)?;
        let key = libsecp256k1::recover(&message, &signature, &id)
            .map_err(|_| INVALID_SIGNATURE)?
            .serialize();
        Ok(key[1..].try_into().unwrap())
    }

    /// secp256k1's group order n, big-endian.
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ];

    /// A deterministic byte stream (splitmix64), for inputs no one chose.
    fn bytes<const L: usize>(seed: &mut u64) -> [u8; L] {
        let mut out = [0u8; L];
        for chunk in out.chunks_mut(8) {
            *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = *seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes()[..chunk.len()]);
        }
        out
    }

    fn signed(key: &[u8; 32], hash: &[u8; 32]) -> ([u8; 64], u64) {
        let key = secp256k1::SecretKey::from_slice(key).unwrap();
        let (id, rs) = secp256k1::SECP256K1
            .sign_ecdsa_recoverable(&secp256k1::Message::from_digest(*hash), &key)
            .serialize_compact();
        (rs, i32::from(id) as u64)
    }

    #[test]
    fn answers_as_the_runtime_does() {
        let mut seed = 7u64;
        let mut recovered = 0;
        for round in 0..300 {
            let hash = bytes::<32>(&mut seed);
            let (mut signature, id) = signed(&bytes::<32>(&mut seed), &hash);
            // Valid, then bent: another id (2 and 3 name x = r + n), a high s (n - s), r or s
            // zero or at/over the order, random bytes, ids past 3 and past a byte.
            let mut cases = vec![(signature, id), (signature, id ^ 1), (signature, id | 2)];
            let mut high_s = signature;
            high_s[32..].copy_from_slice(&sub(&N, &signature[32..].try_into().unwrap()));
            cases.push((high_s, id ^ 1));
            let mut zero_r = signature;
            zero_r[..32].fill(0);
            cases.push((zero_r, id));
            let mut zero_s = signature;
            zero_s[32..].fill(0);
            cases.push((zero_s, id));
            let mut order_s = signature;
            order_s[32..].copy_from_slice(&N);
            cases.push((order_s, id));
            let mut over_r = signature;
            over_r[..32].fill(0xff);
            cases.push((over_r, id));
            cases.push((bytes::<64>(&mut seed), round % 4));
            cases.push((signature, 4));
            cases.push((signature, 256 + id));
            // A small r (x = r + n exists on the curve for some) with ids 2 and 3.
            signature[..31].fill(0);
            cases.push((signature, 2));
            cases.push((signature, 3));
            for (signature, id) in cases {
                let ours = recover(&hash, id, &signature);
                assert_eq!(ours, runtime(&hash, id, &signature), "id {id}");
                recovered += ours.is_ok() as u32;
            }
        }
        assert!(recovered > 900, "{recovered} keys recovered");
    }

    /// a - b for 256-bit big-endian numbers, a >= b.
    fn sub(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = a[i] as i16 - b[i] as i16 - borrow;
            borrow = (d < 0) as i16;
            out[i] = d.rem_euclid(256) as u8;
        }
        out
    }
}
