//! MAP_FP2_TO_G2 (0x11) as a resumable job.

use super::constants::{
    G2_A, G2_B, G2_SQRT_C3, G2_SQRT_C6, G2_SQRT_C7, G2_X_DEN, G2_X_NUM, G2_Y_DEN, G2_Y_NUM, G2_Z,
    PSI2_X, PSI_X, PSI_Y, P_MINUS_2,
};
use super::curve::{Jacobian, ScalarMul, ADD_OPS};
use super::pow::Pow;
use super::swu::{self, Isogeny, Maps, SwuCurve, ASSEMBLE_OPS, FINISH_OPS, PREFIX_OPS};
use super::{pad, unpad};
use crate::crypto::bls12_381::{Field, Fp, Fp2};
use crate::crypto::Crypto;
use crate::precompiles::stepped::{drive, Piece, PrecompileJob};
use crate::precompiles::PrecompileFailure;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

const CURVE: SwuCurve<Fp2> = SwuCurve {
    a: G2_A,
    b: G2_B,
    z: G2_Z,
};

const MAPS: Maps<'static, Fp2> = Maps {
    polys: [&G2_X_NUM, &G2_X_DEN, &G2_Y_NUM, &G2_Y_DEN],
};

/// |x|, BLS12-381's parameter (x = -0xd201000000010000), by which clear_cofactor multiplies.
const X_ABS: u64 = 0xd201_0000_0001_0000;

/// MAP_FP2_TO_G2 in progress.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize)]
pub struct MapFp2ToG2Job {
    stage: Stage,
}

/// Read by hand, one stage per function: borsh's derived reader builds every stage's fields in
/// one frame, over SBF's 4 KiB (the layout is the derived one: the stage's index, its fields).
impl BorshDeserialize for MapFp2ToG2Job {
    #[inline(never)]
    fn deserialize_reader<R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<Self> {
        Ok(Self {
            stage: Stage::read(reader)?,
        })
    }
}

// The stages follow one another in one job (its holder boxes it), so the small ones leave no
// memory unused that boxing the large ones would save; the saved state is borsh's, not this size.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize)]
enum Stage {
    /// The input, before SWU.
    Swu {
        u: Fp2,
    },
    /// sqrt_ratio(num, den) (RFC 9380 F.2.1.1 with q = p^2, c1 = 3): its exponentiation of
    /// u v^15 by c3.
    Sqrt {
        u: Fp2,
        num: Fp2,
        den: Fp2,
        pow: Pow<Fp2>,
    },
    /// SWU's end, given sqrt_ratio's answer (its other values recomputed from `u`).
    SwuEnd {
        u: Fp2,
        is_square: bool,
        y1: Fp2,
    },
    Isogeny(Isogeny<Fp2>),
    /// clear_cofactor (RFC 9380 G.3) step 1: t1 = x P.
    TimesX1 {
        p: Jacobian<Fp2>,
        mul: ScalarMul<Fp2>,
    },
    /// Step 7: x t2, with t2 = t1 + psi(P).
    TimesX2 {
        p: Jacobian<Fp2>,
        t1: Jacobian<Fp2>,
        mul: ScalarMul<Fp2>,
    },
    /// Steps 8-10, one addition per piece: sum = x t2 - t1 - P - psi(P) + psi2(P) + psi2(P).
    Combine {
        p: Jacobian<Fp2>,
        t1: Jacobian<Fp2>,
        sum: Jacobian<Fp2>,
        next: u8,
    },
    /// Z^-1 = conj(Z) / norm(Z), the norm inverted as norm^(p - 2) in Fp.
    Affine {
        point: Jacobian<Fp2>,
        pow: Pow<Fp>,
    },
}

/// One field of a stage, read in a frame of its own.
#[inline(never)]
fn field<T: BorshDeserialize, R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<T> {
    T::deserialize_reader(reader)
}

impl Stage {
    /// Borsh's layout (the variant's index, then its fields), each variant read by a function of
    /// its own so that no frame holds more than one stage.
    #[inline(never)]
    fn read<R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<Self> {
        match u8::deserialize_reader(reader)? {
            0 => Self::read_swu(reader),
            1 => Self::read_sqrt(reader),
            2 => Self::read_swu_end(reader),
            3 => Self::read_isogeny(reader),
            4 => Self::read_times_x1(reader),
            5 => Self::read_times_x2(reader),
            6 => Self::read_combine(reader),
            7 => Self::read_affine(reader),
            _ => Err(borsh::io::ErrorKind::InvalidData.into()),
        }
    }

    #[inline(never)]
    fn read_swu<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::Swu { u: field(r)? })
    }

    #[inline(never)]
    fn read_sqrt<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::Sqrt {
            u: field(r)?,
            num: field(r)?,
            den: field(r)?,
            pow: field(r)?,
        })
    }

    #[inline(never)]
    fn read_swu_end<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::SwuEnd {
            u: field(r)?,
            is_square: field(r)?,
            y1: field(r)?,
        })
    }

    #[inline(never)]
    fn read_isogeny<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::Isogeny(field(r)?))
    }

    #[inline(never)]
    fn read_times_x1<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::TimesX1 {
            p: field(r)?,
            mul: field(r)?,
        })
    }

    #[inline(never)]
    fn read_times_x2<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::TimesX2 {
            p: field(r)?,
            t1: field(r)?,
            mul: field(r)?,
        })
    }

    #[inline(never)]
    fn read_combine<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::Combine {
            p: field(r)?,
            t1: field(r)?,
            sum: field(r)?,
            next: field(r)?,
        })
    }

    #[inline(never)]
    fn read_affine<R: borsh::io::Read>(r: &mut R) -> borsh::io::Result<Self> {
        Ok(Self::Affine {
            point: field(r)?,
            pow: field(r)?,
        })
    }
}

/// The stages' names, in order (for measurements: [`MapFp2ToG2Job::stage`]).
pub const STAGES: [&str; 8] = [
    "swu",
    "sqrt",
    "swu end",
    "isogeny",
    "times x (1)",
    "times x (2)",
    "combine",
    "affine",
];

/// psi (RFC 9380 G.3) in Jacobian coordinates: (c1 conj X, c2 conj Y, conj Z).
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
fn psi(p: &Jacobian<Fp2>) -> Jacobian<Fp2> {
    Jacobian {
        x: p.x.conjugate() * PSI_X,
        y: p.y.conjugate() * PSI_Y,
        z: p.z.conjugate(),
    }
}

/// psi^2: (c X, -Y, Z) with c in Fp.
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
fn psi2(p: &Jacobian<Fp2>) -> Jacobian<Fp2> {
    Jacobian {
        x: p.x.mul_fp(PSI2_X),
        y: -p.y,
        z: p.z,
    }
}

/// In Fp2 multiplications: psi's two products, psi2's (two Fp products: half of one).
const PSI_OPS: u64 = 2;
const PSI2_OPS: u64 = 1;

impl PrecompileJob for MapFp2ToG2Job {
    /// Checks the input (128 bytes: two padded field elements, c0 then c1, each below p).
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure> {
        let [c0, c1] = unpad(input)?;
        let c0 = Fp::from_bytes(&c0).ok_or(PrecompileFailure::InvalidInput)?;
        let c1 = Fp::from_bytes(&c1).ok_or(PrecompileFailure::InvalidInput)?;
        let u = Fp2::new(c0, c1);
        Ok(MapFp2ToG2Job {
            stage: Stage::Swu { u },
        })
    }

    /// Works until done or until `budget` (machine steps) is spent.
    fn advance(
        &mut self,
        budget: &mut u64,
        _: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        drive(budget, |_| self.piece())
    }
}

impl MapFp2ToG2Job {
    /// The index in [`STAGES`] of the stage the next piece works in.
    pub fn stage(&self) -> usize {
        match self.stage {
            Stage::Swu { .. } => 0,
            Stage::Sqrt { .. } => 1,
            Stage::SwuEnd { .. } => 2,
            Stage::Isogeny(_) => 3,
            Stage::TimesX1 { .. } => 4,
            Stage::TimesX2 { .. } => 5,
            Stage::Combine { .. } => 6,
            Stage::Affine { .. } => 7,
        }
    }

    /// One piece: each stage's work is a function of its own, so that no SBF stack frame
    /// holds more than a few points (4 KiB each).
    fn piece(&mut self) -> Piece {
        let (next, piece) = match &mut self.stage {
            Stage::Swu { u } => swu_start(*u),
            Stage::Sqrt { u, num, den, pow } => sqrt(*u, *num, *den, pow),
            Stage::SwuEnd { u, is_square, y1 } => swu_end(*u, *is_square, *y1),
            Stage::Isogeny(isogeny) => isogeny_piece(isogeny),
            Stage::TimesX1 { p, mul } => times_x1(p, mul),
            Stage::TimesX2 { p, t1, mul } => times_x2(p, t1, mul),
            Stage::Combine { p, t1, sum, next } => combine(p, t1, sum, next),
            Stage::Affine { point, pow } => affine(point, pow),
        };
        if let Some(next) = next {
            self.stage = next;
        }
        piece
    }
}

/// A piece's next stage (if it changes) and its cost or answer.
type Next = (Option<Stage>, Piece);

/// A piece of `ops` Fp2 multiplications.
fn fp2_ops(ops: u64) -> Piece {
    Piece::Worked(ops * Fp2::MUL_CU)
}

#[inline(never)]
fn swu_start(u: Fp2) -> Next {
    let prefix = swu::prefix(&CURVE, u);
    let (num, den) = (prefix.gx_num, prefix.gx_den);
    // u v^15 (steps 2-5 of sqrt_ratio).
    let v7 = den.square() * den;
    let v7 = v7.square() * den;
    let base = num * (v7.square() * den);
    let pow = Pow::new(base, &G2_SQRT_C3);
    (
        Some(Stage::Sqrt { u, num, den, pow }),
        fp2_ops(PREFIX_OPS + 7),
    )
}

#[inline(never)]
fn sqrt(u: Fp2, num: Fp2, den: Fp2, pow: &mut Pow<Fp2>) -> Next {
    let Some(power) = pow.result() else {
        return (None, fp2_ops(pow.step(&G2_SQRT_C3)));
    };
    let (is_square, y1) = sqrt_ratio_end(num, den, power);
    (
        Some(Stage::SwuEnd { u, is_square, y1 }),
        fp2_ops(SQRT_END_OPS),
    )
}

#[inline(never)]
fn swu_end(u: Fp2, is_square: bool, y1: Fp2) -> Next {
    let prefix = swu::prefix(&CURVE, u);
    let isogeny = swu::finish(u, &prefix, is_square, y1);
    (
        Some(Stage::Isogeny(isogeny)),
        fp2_ops(PREFIX_OPS + FINISH_OPS),
    )
}

#[inline(never)]
fn isogeny_piece(isogeny: &mut Isogeny<Fp2>) -> Next {
    let Some(p) = isogeny.result() else {
        return (None, fp2_ops(isogeny.step(&MAPS)));
    };
    let mul = ScalarMul::new(p, X_ABS);
    (Some(Stage::TimesX1 { p, mul }), fp2_ops(ASSEMBLE_OPS))
}

#[inline(never)]
fn times_x1(p: &Jacobian<Fp2>, mul: &mut ScalarMul<Fp2>) -> Next {
    let Some(t) = mul.result() else {
        return (None, fp2_ops(mul.step(X_ABS)));
    };
    // x is negative: t1 = -(|x| P).
    let t1 = t.neg();
    let t2 = t1.add(&psi(p));
    let next = Stage::TimesX2 {
        p: *p,
        t1,
        mul: ScalarMul::new(t2, X_ABS),
    };
    (Some(next), fp2_ops(PSI_OPS + ADD_OPS))
}

#[inline(never)]
fn times_x2(p: &Jacobian<Fp2>, t1: &Jacobian<Fp2>, mul: &mut ScalarMul<Fp2>) -> Next {
    let Some(t) = mul.result() else {
        return (None, fp2_ops(mul.step(X_ABS)));
    };
    let next = Stage::Combine {
        p: *p,
        t1: *t1,
        sum: t.neg(),
        next: 0,
    };
    (Some(next), Piece::Worked(0))
}

#[inline(never)]
fn combine(p: &Jacobian<Fp2>, t1: &Jacobian<Fp2>, sum: &mut Jacobian<Fp2>, next: &mut u8) -> Next {
    // psi2(2P) as psi2(P) added twice: an addition per piece, no doubling on top.
    let (term, ops) = match next {
        0 => (t1.neg(), 0),
        1 => (p.neg(), 0),
        2 => (psi(p).neg(), PSI_OPS),
        _ => (psi2(p), PSI2_OPS),
    };
    *sum = sum.add(&term);
    *next += 1;
    let cost = fp2_ops(ops + ADD_OPS);
    if *next < 5 {
        return (None, cost);
    }
    if sum.is_infinity() {
        return (
            None,
            Piece::Done {
                cu: 0,
                output: pad(&[[0; 48]; 4]),
            },
        );
    }
    let pow = Pow::new(sum.z.norm(), &P_MINUS_2);
    (Some(Stage::Affine { point: *sum, pow }), cost)
}

#[inline(never)]
fn affine(point: &Jacobian<Fp2>, pow: &mut Pow<Fp>) -> Next {
    let Some(norm_inv) = pow.result() else {
        return (None, Piece::Worked(pow.step(&P_MINUS_2) * Fp::MUL_CU));
    };
    let z_inv = point.z.conjugate().mul_fp(norm_inv);
    let z_inv2 = z_inv.square();
    let x = point.x * z_inv2;
    let y = point.y * z_inv2 * z_inv;
    let coordinates = [x.c0, x.c1, y.c0, y.c1].map(|c| c.to_bytes());
    (
        None,
        Piece::Done {
            cu: 0,
            output: pad(&coordinates),
        },
    )
}

/// Fp2 multiplications of [`sqrt_ratio_end`].
const SQRT_END_OPS: u64 = 19;

/// sqrt_ratio (RFC 9380 F.2.1.1, c1 = 3) after its exponentiation: `power` = (u v^15)^c3 with
/// u = `num`, v = `den`. Returns (is u / v a square, sqrt(u / v) or sqrt(Z u / v)).
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
pub(super) fn sqrt_ratio_end(num: Fp2, den: Fp2, power: Fp2) -> (bool, Fp2) {
    let v7 = den.square() * den;
    let v7 = v7.square() * den;
    let tv5 = power * v7;
    let tv2 = tv5 * den;
    let mut tv3 = tv5 * num;
    let mut tv4 = tv3 * tv2;
    let is_square = tv4.square().square() == Fp2::ONE;
    let mut tv1 = G2_SQRT_C6;
    if !is_square {
        tv3 = tv3 * G2_SQRT_C7;
        tv4 = tv4 * tv1;
    }
    for i in (2..=3u32).rev() {
        let mut tv5 = tv4;
        for _ in 0..i - 2 {
            tv5 = tv5.square();
        }
        let e1 = tv5 == Fp2::ONE;
        let tv2 = tv3 * tv1;
        tv1 = tv1.square();
        if !e1 {
            tv3 = tv2;
            tv4 = tv4 * tv1;
        }
    }
    (is_square, tv3)
}
