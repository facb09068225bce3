//! P256VERIFY (EIP-7951) as a [`PrecompileJob`]: ECDSA verification over P-256 in pieces
//! ([`crate::crypto::p256_arith`]), so that the program, which has no P-256 syscall and cannot
//! afford a verification in one Solana transaction, spreads it over several.
//!
//! u1 = z/s and u2 = r/s (s^-1 by Fermat, 16 exponent bits a piece), then R = u1 G + u2 Q by
//! Shamir's trick from the top bit (one bit a piece: a doubling and at most one addition of G, Q
//! or G + Q), kept projective so that no piece inverts; valid iff R is finite and R.x mod n = r
//! ([`Point::x_matches`]). Input checks are EIP-7951's (as revm's): exactly 160 bytes, r and s in
//! [1, n-1], Q on the curve (so not infinity), else the answer is "invalid" (empty output).

use super::stepped::PrecompileJob;
use super::PrecompileFailure;
use crate::crypto::p256_arith::{
    from_be_const, is_zero, less, one, reduce_once, Fe, Limbs, Point, N,
};
use crate::crypto::Crypto;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Exponent bits of the inversion done per piece.
const INVERT_BITS: u16 = 16;

/// Step units charged per piece: the SBF cost measured by tools/cu-probe (`CU_PROBE_P256_ONLY=1
/// scripts/cu-probe.sh`, the "P256VERIFY job" table) over 70 CU a step (the relayer's
/// per-opcode estimate), a few percent above the average piece. They must be deterministic (the
/// emulator and the chain count the same steps); a piece dearer than its charge (a ladder bit
/// that adds as well as doubles: up to ~50k CU) overruns a step by less than the relayer's margin
/// (it aims at 1.15M of the 1.4M CU), and the relayer sizes its steps by the CU they used.
pub mod cost {
    /// The input checks (15.3k CU), charged with the first piece.
    pub const CHECKS: u64 = 230;
    /// One piece of the inversion ([`super::INVERT_BITS`] squarings and up to as many
    /// multiplications mod n: 51.5k CU at most, 45k on average).
    pub const INVERT_PIECE: u64 = 740;
    /// u1, u2 and G + Q, when the inversion ends (~25k CU).
    pub const SETUP: u64 = 360;
    /// One bit of Shamir's trick (a doubling and at most one addition: 36.7k CU on average over
    /// 256 bits, at most ~50k), and the final check on the last.
    pub const LADDER_PIECE: u64 = 560;
}

/// Where the verification is.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
enum Stage {
    /// The input is not a key and a signature: the answer is "invalid".
    Rejected,
    /// `acc = s^e`, e the bits of n - 2 above `bit` (Montgomery form mod n).
    Invert { z: Limbs, s: Fe, acc: Fe, bit: u16 },
    /// `acc = (u1 >> bit) G + (u2 >> bit) Q`.
    Ladder {
        u1: Limbs,
        u2: Limbs,
        gq: Point,
        acc: Point,
        bit: u16,
    },
}

/// A P256VERIFY in progress.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct P256Job {
    r: Limbs,
    q: Point,
    stage: Stage,
}

/// The 32-byte word of `input` at `offset`, as limbs.
fn word(input: &[u8; 160], offset: usize) -> Limbs {
    from_be_const(input[offset..offset + 32].try_into().expect("32 bytes"))
}

fn bit(limbs: &Limbs, i: u16) -> bool {
    (limbs[i as usize / 32] >> (i % 32)) & 1 == 1
}

impl P256Job {
    /// The job for `input`; `Rejected` when EIP-7951's checks fail.
    fn new(input: &[u8]) -> Self {
        let rejected = Self {
            r: [0; 8],
            q: Point::infinity(),
            stage: Stage::Rejected,
        };
        let Ok(input) = <&[u8; 160]>::try_from(input) else {
            return rejected;
        };
        let (r, s) = (word(input, 32), word(input, 64));
        let in_range = |v: &Limbs| !is_zero(v) && less(v, &N.m);
        if !in_range(&r) || !in_range(&s) {
            return rejected;
        }
        let Some(q) = Point::from_affine(&word(input, 96), &word(input, 128)) else {
            return rejected;
        };
        Self {
            r,
            q,
            stage: Stage::Invert {
                z: reduce_once(&word(input, 0), &N),
                s: Fe::new(&s, &N),
                acc: Fe::new(&one(), &N),
                bit: 256,
            },
        }
    }

    /// Does one piece; `Some(valid)` when the verification is over. Returns its cost.
    fn piece(&mut self) -> (u64, Option<bool>) {
        match &mut self.stage {
            Stage::Rejected => (0, Some(false)),
            Stage::Invert { z, s, acc, bit } => {
                let mut exponent = N.m;
                exponent[0] -= 2; // n - 2; n's low limb is above 2
                let checks = if *bit == 256 { cost::CHECKS } else { 0 };
                let end = bit.saturating_sub(INVERT_BITS);
                while *bit > end {
                    *bit -= 1;
                    *acc = acc.mul(acc, &N);
                    if self::bit(&exponent, *bit) {
                        *acc = acc.mul(s, &N);
                    }
                }
                if *bit > 0 {
                    return (checks + cost::INVERT_PIECE, None);
                }
                let s_inv = *acc;
                let u1 = Fe::new(z, &N).mul(&s_inv, &N).value(&N);
                let u2 = Fe::new(&self.r, &N).mul(&s_inv, &N).value(&N);
                self.stage = Stage::Ladder {
                    u1,
                    u2,
                    gq: Point::generator().add(&self.q),
                    acc: Point::infinity(),
                    bit: 256,
                };
                (checks + cost::INVERT_PIECE + cost::SETUP, None)
            }
            Stage::Ladder {
                u1,
                u2,
                gq,
                acc,
                bit,
            } => {
                *bit -= 1;
                *acc = acc.double();
                let addend = match (self::bit(u1, *bit), self::bit(u2, *bit)) {
                    (false, false) => None,
                    (true, false) => Some(Point::generator()),
                    (false, true) => Some(self.q),
                    (true, true) => Some(*gq),
                };
                if let Some(addend) = addend {
                    *acc = acc.add(&addend);
                }
                if *bit > 0 {
                    return (cost::LADDER_PIECE, None);
                }
                let valid = !acc.is_infinity() && acc.x_matches(&self.r);
                (cost::LADDER_PIECE, Some(valid))
            }
        }
    }
}

impl PrecompileJob for P256Job {
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure> {
        Ok(Self::new(input))
    }

    /// [`P256Job::run`]: all Rust, nothing of the host's.
    fn advance(
        &mut self,
        budget: &mut u64,
        _: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        self.run(budget)
    }
}

impl P256Job {
    /// Works until done or until `budget` (in step units) is spent. A piece runs while any
    /// budget is left (so a budget of one step still progresses); the last may overrun it by at
    /// most one piece.
    pub fn run(&mut self, budget: &mut u64) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        loop {
            if *budget == 0 && self.stage != Stage::Rejected {
                return None;
            }
            let (spent, done) = self.piece();
            *budget = budget.saturating_sub(spent);
            if let Some(valid) = done {
                return Some(Ok(output(valid)));
            }
        }
    }
}

/// P256VERIFY's output: 32 bytes ending in 1 when valid, nothing otherwise.
pub fn output(valid: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if valid {
        out.resize(32, 0);
        out[31] = 1;
    }
    out
}

/// The job's answer with no budget limit (tests and tools).
pub fn verify(input: &[u8]) -> bool {
    let mut job = P256Job::new(input);
    let mut budget = u64::MAX;
    !job.run(&mut budget)
        .expect("an unlimited budget finishes")
        .expect("P256VERIFY does not fail")
        .is_empty()
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::p256_arith::to_be;
    use crate::crypto::{Crypto, HostCrypto};
    use crate::precompiles::test_util::Rng;
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    use p256::ecdsa::{Signature, SigningKey};

    /// HostCrypto's (the p256 crate's) answer.
    fn host(input: &[u8]) -> bool {
        let Ok(input) = <&[u8; 160]>::try_from(input) else {
            return false;
        };
        HostCrypto
            .p256_verify(
                input[..32].try_into().unwrap(),
                input[32..96].try_into().unwrap(),
                input[96..].try_into().unwrap(),
            )
            .unwrap()
    }

    /// A valid input: hash, r, s, x, y.
    fn signed(rng: &mut Rng) -> [u8; 160] {
        let key = loop {
            if let Ok(key) = SigningKey::from_bytes(&rng.bytes().into()) {
                break key;
            }
        };
        let hash = rng.bytes();
        let signature: Signature = key.sign_prehash(&hash).unwrap();
        let point = key.verifying_key().to_encoded_point(false);
        let mut input = [0u8; 160];
        input[..32].copy_from_slice(&hash);
        input[32..96].copy_from_slice(&signature.to_bytes());
        input[96..].copy_from_slice(&point.as_bytes()[1..]);
        input
    }

    fn check(input: &[u8]) -> bool {
        let ours = verify(input);
        assert_eq!(ours, host(input), "input {input:02x?}");
        ours
    }

    #[test]
    fn agrees_with_the_p256_crate_on_valid_and_tampered_signatures() {
        let mut rng = Rng(0x5eed);
        for i in 0..24 {
            let input = signed(&mut rng);
            assert!(check(&input));
            let mut tampered = input;
            tampered[(i * 7) % 160] ^= 1 << (i % 8);
            assert!(!check(&tampered));
            // High s (n - s) is accepted, as by revm.
            let s = from_be_const(input[64..96].try_into().unwrap());
            let mut high = input;
            high[64..96].copy_from_slice(&to_be(
                &Fe::new(&s, &N)
                    .sub(&Fe::new(&s, &N).add(&Fe::new(&s, &N), &N), &N)
                    .value(&N),
            ));
            assert!(check(&high));
        }
    }

    #[test]
    fn agrees_on_edge_and_garbage_inputs() {
        let mut rng = Rng(99);
        let valid = signed(&mut rng);
        let n = to_be(&N.m);
        let p = to_be(&crate::crypto::p256_arith::P.m);
        let mut n_minus_1 = N.m;
        n_minus_1[0] -= 1;
        let set = |at: usize, word: [u8; 32]| {
            let mut input = valid;
            input[at..at + 32].copy_from_slice(&word);
            input
        };
        for (at, word) in [
            (32, [0u8; 32]),
            (64, [0u8; 32]),
            (32, n),
            (64, n),
            (32, to_be(&n_minus_1)),
            (64, to_be(&n_minus_1)),
            (96, p),
            (128, p),
            (96, [0u8; 32]),
            (0, [0xff; 32]),
            (0, n),
        ] {
            check(&set(at, word));
        }
        let mut infinity = valid;
        infinity[96..].fill(0);
        assert!(!check(&infinity));
        assert!(!check(&valid[..159]));
        assert!(!check(&[valid.as_slice(), &[0]].concat()));
        assert!(!check(&[]));
        for _ in 0..8 {
            let mut garbage = [0u8; 160];
            for chunk in garbage.chunks_mut(32) {
                chunk.copy_from_slice(&rng.bytes());
            }
            check(&garbage);
        }
    }

    /// A hash equal to n (reduced to zero) or above it: u1 = 0, R = u2 Q.
    #[test]
    fn hashes_at_or_above_the_order_are_reduced() {
        let mut rng = Rng(3);
        let key = SigningKey::from_bytes(&rng.bytes().into()).unwrap();
        let mut n_plus_5 = N.m;
        n_plus_5[0] += 5;
        for hash in [to_be(&N.m), to_be(&n_plus_5)] {
            let signature: Signature = key.sign_prehash(&hash).unwrap();
            let point = key.verifying_key().to_encoded_point(false);
            let input = [
                hash.as_slice(),
                &signature.to_bytes(),
                &point.as_bytes()[1..],
            ]
            .concat();
            assert!(check(&input));
        }
    }

    /// Any budget gives the same answer; an unlimited one spends every piece's cost.
    #[test]
    fn any_budget_gives_the_same_answer_and_steps() {
        let mut rng = Rng(42);
        let input = signed(&mut rng);
        let total = |chunk: u64| {
            let mut job = P256Job::start(&input).unwrap();
            let (mut spent, mut calls) = (0, 0);
            loop {
                let mut budget = chunk;
                let done = job.run(&mut budget);
                spent += chunk - budget;
                calls += 1;
                if let Some(output) = done {
                    return (output.unwrap(), spent, calls);
                }
                assert_eq!(budget, 0, "a job stops only when its budget is spent");
            }
        };
        let (output, steps, _) = total(u64::MAX);
        assert_eq!(output, super::output(true));
        let pieces =
            cost::CHECKS + 16 * cost::INVERT_PIECE + cost::SETUP + 256 * cost::LADDER_PIECE;
        assert_eq!(steps, pieces);
        // A budget of one step still does a piece per call (a tracer's single steps).
        assert_eq!(total(1), (output.clone(), 256 + 16, 256 + 16));
        // A piece may overrun the budget it started in; the budget then ends spent.
        let (out, spent, calls) = total(1_000);
        assert_eq!(out, output);
        assert!(spent <= steps && calls <= steps / 1_000 + 1);
        let mut zero = P256Job::start(&input).unwrap();
        assert_eq!(zero.run(&mut 0), None);
        assert_eq!(
            P256Job::start(&input[..10]).unwrap().run(&mut 0),
            Some(Ok(Vec::new()))
        );
    }
}
