//! Test support: edge-heavy pseudo-random words, and checks of each function against ruint.

use super::Limbs;
use crate::primitives::U256;

/// Cases per function (`ISTHMUS_ARITH_CASES` overrides).
fn cases() -> usize {
    std::env::var("ISTHMUS_ARITH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000)
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub(crate) struct Gen(u64);

impl Gen {
    pub(crate) fn new(seed: u64) -> Self {
        Gen(seed | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A 64-bit limb value that is often an edge.
    fn limb(&mut self) -> u64 {
        match self.below(10) {
            0 => 0,
            1 => u64::MAX,
            2 => 1,
            3 => 1 << self.below(64),
            4 => (1u64 << self.below(64)).wrapping_sub(1),
            5 => u64::MAX - self.below(3),
            6 => self.next() >> self.below(64),
            7 => 1u64 << 63 | self.below(4),
            _ => self.next(),
        }
    }

    /// A word: an edge value, a power of two plus or minus a little, a word with some limbs
    /// zero (every pattern), or random limbs.
    pub(crate) fn word(&mut self) -> U256 {
        match self.below(8) {
            0 => EDGES[self.below(EDGES.len() as u64) as usize](),
            1 => {
                let p = U256::from(1) << self.below(256) as usize;
                match self.below(3) {
                    0 => p,
                    1 => p.wrapping_add(U256::from(self.below(3))),
                    _ => p.wrapping_sub(U256::from(self.below(3))),
                }
            }
            2 | 3 => {
                let pattern = self.below(16);
                let mut limbs = [0u64; 4];
                for (i, limb) in limbs.iter_mut().enumerate() {
                    if pattern >> i & 1 == 1 {
                        *limb = self.limb();
                    }
                }
                U256::from_limbs(limbs)
            }
            4 => U256::from_limbs([self.limb(), self.limb(), self.limb(), self.limb()]),
            5 => U256::from(self.next()) >> self.below(64) as usize,
            _ => {
                U256::from_limbs([self.next(), self.next(), self.next(), self.next()])
                    >> self.below(256) as usize
            }
        }
    }

    /// A pair, sometimes related (equal, one close to the other, one a shift of the other), so
    /// that divisions hit their corrections.
    pub(crate) fn pair(&mut self) -> (U256, U256) {
        let a = self.word();
        let b = match self.below(8) {
            0 => a,
            1 => a.wrapping_add(U256::from(self.below(3))),
            2 => a.wrapping_sub(U256::from(self.below(3))),
            3 => a >> self.below(256) as usize,
            _ => self.word(),
        };
        if self.below(2) == 0 {
            (a, b)
        } else {
            (b, a)
        }
    }
}

const EDGES: [fn() -> U256; 16] = [
    || U256::ZERO,
    || U256::from(1),
    || U256::from(2),
    || U256::MAX,
    || U256::MAX - U256::from(1),
    || U256::from(1u64 << 63),
    || U256::from(u64::MAX),
    || U256::from(1) << 64,
    || (U256::from(1) << 64) + U256::from(1),
    || (U256::from(1) << 128) - U256::from(1),
    || (U256::from(1) << 128) + U256::from(1),
    || U256::from(1) << 128,
    || U256::from(1) << 255,
    || (U256::from(1) << 255) - U256::from(1),
    || U256::from(u32::MAX),
    || U256::from(1) << 32,
];

/// Every edge pair once, then `cases()` random pairs.
fn pairs(seed: u64, mut f: impl FnMut(U256, U256)) {
    for x in EDGES {
        for y in EDGES {
            f(x(), y());
        }
    }
    let mut g = Gen::new(seed);
    for _ in 0..cases() {
        let (a, b) = g.pair();
        f(a, b);
    }
}

fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Checks `f(a, b)` against `reference(a, b)`.
/// A generated word as an index or shift amount: half of them (the even ones) folded below
/// `bound`, so the in-range cases are as common as the out-of-range ones.
pub(crate) fn fold_below(x: U256, bound: u64) -> U256 {
    if x.as_limbs()[0] & 1 == 0 {
        x % U256::from(bound)
    } else {
        x
    }
}

pub(crate) fn check_binary(
    name: &str,
    reference: impl Fn(U256, U256) -> U256,
    f: impl Fn(&Limbs, &Limbs) -> Limbs,
) {
    pairs(seed(name), |a, b| {
        let got = U256::from_limbs(f(a.as_limbs(), b.as_limbs()));
        assert_eq!(got, reference(a, b), "{name}({a:#x}, {b:#x})");
    });
}

/// Checks a predicate against `reference`.
pub(crate) fn check_binary_bool(
    name: &str,
    reference: impl Fn(U256, U256) -> bool,
    f: impl Fn(&Limbs, &Limbs) -> bool,
) {
    pairs(seed(name), |a, b| {
        assert_eq!(
            f(a.as_limbs(), b.as_limbs()),
            reference(a, b),
            "{name}({a:#x}, {b:#x})"
        );
    });
}

/// Checks `f(a, b, n)` against `reference`, `n` drawn like the others.
pub(crate) fn check_ternary(
    name: &str,
    reference: impl Fn(U256, U256, U256) -> U256,
    f: impl Fn(&Limbs, &Limbs, &Limbs) -> Limbs,
) {
    let mut g = Gen::new(seed(name) ^ 0x9e37_79b9_7f4a_7c15);
    pairs(seed(name), |a, b| {
        let n = if g.below(4) == 0 {
            a >> g.below(256) as usize
        } else {
            g.word()
        };
        let got = U256::from_limbs(f(a.as_limbs(), b.as_limbs(), n.as_limbs()));
        assert_eq!(got, reference(a, b, n), "{name}({a:#x}, {b:#x}, {n:#x})");
    });
}
