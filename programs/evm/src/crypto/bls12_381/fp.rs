//! Fp: integers modulo BLS12-381's 381-bit prime p, in Montgomery form (a R mod p, R = 2^384).

use super::Field;
use borsh::{BorshDeserialize, BorshSerialize};
use core::ops::{Add, Mul, Neg, Sub};

const LIMBS: usize = 12;

/// p, little-endian 32-bit limbs.
const MODULUS: [u32; LIMBS] =
    limbs_from_hex("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
/// R^2 mod p: multiplying by it enters Montgomery form.
const R2: [u32; LIMBS] =
    limbs_from_hex("11988fe592cae3aa9a793e85b519952d67eb88a9939d83c08de5476c4c95b6d50a76e6a609d104f1f4df1f341c341746");
/// R mod p: one in Montgomery form.
const R: [u32; LIMBS] =
    limbs_from_hex("15f65ec3fa80e4935c071a97a256ec6d77ce5853705257455f48985753c758baebf4000bc40c0002760900000002fffd");
/// -p^-1 mod 2^32.
const INV: u32 = 0xfffc_fffd;

/// An element of Fp (Montgomery form, always fully reduced, so equal elements have equal limbs).
#[derive(Clone, Copy, PartialEq, Eq, Debug, BorshSerialize, BorshDeserialize)]
pub struct Fp([u32; LIMBS]);

/// Little-endian limbs of a big-endian hex string of at most `4 * N * 8` bits (compile time).
pub const fn limbs_from_hex<const N: usize>(hex: &str) -> [u32; N] {
    let bytes = hex.as_bytes();
    let mut out = [0u32; N];
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[bytes.len() - 1 - i];
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit"),
        };
        out[i / 8] |= (digit as u32) << (4 * (i % 8));
        i += 1;
    }
    out
}

/// `a - b` and whether it borrowed.
const fn sub_limbs(a: &[u32; LIMBS], b: &[u32; LIMBS]) -> ([u32; LIMBS], bool) {
    let mut out = [0u32; LIMBS];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < LIMBS {
        let d = (a[i] as u64).wrapping_sub(b[i] as u64).wrapping_sub(borrow);
        out[i] = d as u32;
        borrow = (d >> 63) & 1;
        i += 1;
    }
    (out, borrow != 0)
}

/// `a` reduced once: `a - p` if `a >= p`.
const fn reduce_once(a: [u32; LIMBS]) -> [u32; LIMBS] {
    let (d, borrow) = sub_limbs(&a, &MODULUS);
    if borrow {
        a
    } else {
        d
    }
}

/// `body` once per listed value of `j`, written out: LLVM's SBF backend leaves the limb loops
/// rolled otherwise, and their counters cost as much as the products.
macro_rules! unrolled {
    ($j:ident in $($value:literal),* => $body:block) => {
        $({
            let $j = $value;
            $body
        })*
    };
}

/// Montgomery product `a b / R mod p` (CIOS), for `a, b < p`.
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
const fn mont_mul(a: &[u32; LIMBS], b: &[u32; LIMBS]) -> [u32; LIMBS] {
    // t < 2p < 2^382 between rounds; within a round it needs one more limb.
    let mut t = [0u32; LIMBS + 1];
    let mut i = 0;
    while i < LIMBS {
        let bi = b[i] as u64;
        let mut carry = 0u64;
        unrolled!(j in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
            let s = t[j] as u64 + a[j] as u64 * bi + carry;
            t[j] = s as u32;
            carry = s >> 32;
        });
        let top = t[LIMBS] as u64 + carry;
        let m = t[0].wrapping_mul(INV) as u64;
        let mut carry = (t[0] as u64 + m * MODULUS[0] as u64) >> 32;
        unrolled!(j in 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
            let s = t[j] as u64 + m * MODULUS[j] as u64 + carry;
            t[j - 1] = s as u32;
            carry = s >> 32;
        });
        let s = top + carry;
        t[LIMBS - 1] = s as u32;
        t[LIMBS] = (s >> 32) as u32;
        i += 1;
    }
    let mut out = [0u32; LIMBS];
    let mut k = 0;
    while k < LIMBS {
        out[k] = t[k];
        k += 1;
    }
    reduce_once(out)
}

/// Montgomery square `a^2 / R mod p`: the cross products once and doubled (66 products
/// instead of 144), then a separate Montgomery reduction.
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
const fn mont_square(a: &[u32; LIMBS]) -> [u32; LIMBS] {
    let mut t = [0u32; 2 * LIMBS];
    // a_i a_j for i < j (the `if` folds away: i and j are constants in each copy).
    unrolled!(i in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 => {
        let ai = a[i] as u64;
        let mut carry = 0u64;
        unrolled!(j in 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
            if j > i {
                let s = t[i + j] as u64 + ai * a[j] as u64 + carry;
                t[i + j] = s as u32;
                carry = s >> 32;
            }
        });
        t[i + LIMBS] = carry as u32;
    });
    // Doubled, plus the squares a_i^2.
    let mut k = 2 * LIMBS - 1;
    while k > 0 {
        t[k] = t[k] << 1 | t[k - 1] >> 31;
        k -= 1;
    }
    t[0] <<= 1;
    let mut carry = 0u64;
    unrolled!(i in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
        let s = t[2 * i] as u64 + a[i] as u64 * a[i] as u64 + carry;
        t[2 * i] = s as u32;
        let s = t[2 * i + 1] as u64 + (s >> 32);
        t[2 * i + 1] = s as u32;
        carry = s >> 32;
    });
    // Montgomery reduction of the 768-bit square: (t + m p) / R < 2p.
    let mut extra = 0u64;
    unrolled!(i in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
        let m = t[i].wrapping_mul(INV) as u64;
        let mut carry = 0u64;
        unrolled!(j in 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 => {
            let s = t[i + j] as u64 + m * MODULUS[j] as u64 + carry;
            t[i + j] = s as u32;
            carry = s >> 32;
        });
        let s = t[i + LIMBS] as u64 + carry + extra;
        t[i + LIMBS] = s as u32;
        extra = s >> 32;
    });
    let mut out = [0u32; LIMBS];
    let mut k = 0;
    while k < LIMBS {
        out[k] = t[LIMBS + k];
        k += 1;
    }
    debug_assert!(carry == 0 && extra == 0, "a^2 < 2^768 and the result < 2p");
    reduce_once(out)
}

impl Fp {
    pub const ZERO: Fp = Fp([0; LIMBS]);
    pub const ONE: Fp = Fp(R);

    /// The element a big-endian hex string (below p) names, at compile time.
    pub const fn from_hex(hex: &str) -> Fp {
        let value = limbs_from_hex::<LIMBS>(hex);
        assert!(sub_limbs(&value, &MODULUS).1, "not below p");
        Fp(mont_mul(&value, &R2))
    }

    /// The element of a 48-byte big-endian encoding, `None` if it is not below p.
    pub fn from_bytes(bytes: &[u8; 48]) -> Option<Fp> {
        let mut value = [0u32; LIMBS];
        for (i, chunk) in bytes.rchunks_exact(4).enumerate() {
            value[i] = u32::from_be_bytes(chunk.try_into().expect("4 bytes"));
        }
        if !sub_limbs(&value, &MODULUS).1 {
            return None;
        }
        Some(Fp(mont_mul(&value, &R2)))
    }

    /// The canonical value (out of Montgomery form), little-endian limbs.
    fn canonical(&self) -> [u32; LIMBS] {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        mont_mul(&self.0, &one)
    }

    /// The 48-byte big-endian encoding.
    pub fn to_bytes(&self) -> [u8; 48] {
        let value = self.canonical();
        let mut out = [0u8; 48];
        for (i, chunk) in out.rchunks_exact_mut(4).enumerate() {
            chunk.copy_from_slice(&value[i].to_be_bytes());
        }
        out
    }

    /// RFC 9380's sgn0: the parity of the canonical value.
    pub fn sgn0(&self) -> bool {
        self.canonical()[0] & 1 == 1
    }

    pub fn square(&self) -> Fp {
        Fp(mont_square(&self.0))
    }
}

impl Add for Fp {
    type Output = Fp;
    fn add(self, rhs: Fp) -> Fp {
        // p < 2^381: the sum fits in 384 bits.
        let mut out = [0u32; LIMBS];
        let mut carry = 0u64;
        for (i, limb) in out.iter_mut().enumerate() {
            let s = self.0[i] as u64 + rhs.0[i] as u64 + carry;
            *limb = s as u32;
            carry = s >> 32;
        }
        Fp(reduce_once(out))
    }
}

impl Sub for Fp {
    type Output = Fp;
    fn sub(self, rhs: Fp) -> Fp {
        let (d, borrow) = sub_limbs(&self.0, &rhs.0);
        if !borrow {
            return Fp(d);
        }
        // d + p (wrapping): the true difference plus p.
        let mut out = [0u32; LIMBS];
        let mut carry = 0u64;
        for (i, limb) in out.iter_mut().enumerate() {
            let s = d[i] as u64 + MODULUS[i] as u64 + carry;
            *limb = s as u32;
            carry = s >> 32;
        }
        Fp(out)
    }
}

impl Neg for Fp {
    type Output = Fp;
    fn neg(self) -> Fp {
        Fp::ZERO - self
    }
}

impl Mul for Fp {
    type Output = Fp;
    fn mul(self, rhs: Fp) -> Fp {
        Fp(mont_mul(&self.0, &rhs.0))
    }
}

impl Field for Fp {
    const ZERO: Fp = Fp::ZERO;
    const ONE: Fp = Fp::ONE;
    // Squares cost ~15% less; priced as products.
    const MUL_CU: u64 = 3_100;
    fn square(&self) -> Fp {
        Fp::square(self)
    }
    fn sgn0(&self) -> bool {
        Fp::sgn0(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruint::aliases::U384;

    const P: U384 = U384::from_limbs([
        0xb9fe_ffff_ffff_aaab,
        0x1eab_fffe_b153_ffff,
        0x6730_d2a0_f6b0_f624,
        0x6477_4b84_f385_12bf,
        0x4b1b_a7b6_434b_acd7,
        0x1a01_11ea_397f_e69a,
    ]);

    fn to_u384(x: &Fp) -> U384 {
        U384::from_be_slice(&x.to_bytes())
    }

    fn from_u384(x: U384) -> Fp {
        Fp::from_bytes(&x.to_be_bytes::<48>()).unwrap()
    }

    /// A deterministic stream of field elements (xorshift), with the edges mixed in.
    fn samples() -> impl Iterator<Item = U384> {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let edges = [
            U384::ZERO,
            U384::from(1),
            P - U384::from(1),
            P - U384::from(2),
        ];
        edges.into_iter().chain((0..300).map(move |_| {
            let mut limbs = [0u64; 6];
            for l in &mut limbs {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                *l = s;
            }
            U384::from_limbs(limbs) % P
        }))
    }

    #[test]
    fn arithmetic_matches_big_integers() {
        let all: Vec<U384> = samples().collect();
        for (i, &a) in all.iter().enumerate() {
            let b = all[(i * 7 + 3) % all.len()];
            let (x, y) = (from_u384(a), from_u384(b));
            assert_eq!(to_u384(&x), a);
            assert_eq!(to_u384(&(x + y)), a.add_mod(b, P));
            assert_eq!(to_u384(&(x - y)), a.add_mod(P - b, P));
            assert_eq!(to_u384(&(x * y)), a.mul_mod(b, P));
            assert_eq!(to_u384(&x.square()), a.mul_mod(a, P));
            assert_eq!(to_u384(&(-x)), (P - a) % P);
            assert_eq!(x.sgn0(), a.bit(0));
        }
    }

    #[test]
    fn decoding_refuses_values_not_below_p() {
        assert!(Fp::from_bytes(&P.to_be_bytes::<48>()).is_none());
        assert!(Fp::from_bytes(&[0xff; 48]).is_none());
        let below = P - U384::from(1);
        assert_eq!(to_u384(&from_u384(below)), below);
        assert_eq!(Fp::from_hex("1"), Fp::ONE);
        assert_eq!(Fp::from_bytes(&[0; 48]), Some(Fp::ZERO));
    }
}
