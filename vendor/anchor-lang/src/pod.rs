//! Alignment-1 Pod integer types for zero-copy Solana account access.
//!
//! Pod types (`PodU64`, `PodU32`, etc.) wrap native integers in `[u8; N]`
//! arrays, guaranteeing alignment 1. This allows direct pointer casts from
//! account data without alignment concerns — critical for `#[repr(C)]`
//! zero-copy structs on Solana.
//!
//! Arithmetic operators use Rust's native operator behavior, so overflow
//! follows the build's `overflow-checks` setting. Use `checked_add`,
//! `checked_sub`, `checked_mul`, `checked_div` where overflow must be
//! detected explicitly.

use core::fmt;

macro_rules! define_pod_unsigned {
    ($name:ident, $native:ty, $size:expr) => {
        define_pod_common!($name, $native, $size);
        define_pod_arithmetic!($name, $native);
    };
}

macro_rules! define_pod_signed {
    ($name:ident, $native:ty, $size:expr) => {
        define_pod_common!($name, $native, $size);
        define_pod_arithmetic!($name, $native);

        impl core::ops::Neg for $name {
            type Output = Self;
            #[inline(always)]
            fn neg(self) -> Self {
                Self::from(-self.get())
            }
        }
    };
}

macro_rules! define_pod_common {
    ($name:ident, $native:ty, $size:expr) => {
        #[repr(transparent)]
        #[derive(Copy, Clone, Default, bytemuck::Pod, bytemuck::Zeroable)]
        pub struct $name([u8; $size]);

        impl $name {
            pub const ZERO: Self = Self([0u8; $size]);
            pub const MAX: Self = Self(<$native>::MAX.to_le_bytes());
            pub const MIN: Self = Self(<$native>::MIN.to_le_bytes());

            #[inline(always)]
            pub fn get(&self) -> $native {
                <$native>::from_le_bytes(self.0)
            }

            #[inline(always)]
            pub fn is_zero(&self) -> bool {
                self.0 == [0u8; $size]
            }

            #[inline(always)]
            pub fn checked_add(self, rhs: impl Into<$name>) -> Option<Self> {
                self.get().checked_add(rhs.into().get()).map(Self::from)
            }
            #[inline(always)]
            pub fn checked_sub(self, rhs: impl Into<$name>) -> Option<Self> {
                self.get().checked_sub(rhs.into().get()).map(Self::from)
            }
            #[inline(always)]
            pub fn checked_mul(self, rhs: impl Into<$name>) -> Option<Self> {
                self.get().checked_mul(rhs.into().get()).map(Self::from)
            }
            #[inline(always)]
            pub fn checked_div(self, rhs: impl Into<$name>) -> Option<Self> {
                self.get().checked_div(rhs.into().get()).map(Self::from)
            }
            #[inline(always)]
            pub fn saturating_add(self, rhs: impl Into<$name>) -> Self {
                Self::from(self.get().saturating_add(rhs.into().get()))
            }
            #[inline(always)]
            pub fn saturating_sub(self, rhs: impl Into<$name>) -> Self {
                Self::from(self.get().saturating_sub(rhs.into().get()))
            }
            #[inline(always)]
            pub fn saturating_mul(self, rhs: impl Into<$name>) -> Self {
                Self::from(self.get().saturating_mul(rhs.into().get()))
            }
        }

        impl From<$native> for $name {
            #[inline(always)]
            fn from(v: $native) -> Self {
                Self(v.to_le_bytes())
            }
        }
        impl From<$name> for $native {
            #[inline(always)]
            fn from(v: $name) -> Self {
                v.get()
            }
        }

        impl PartialEq for $name {
            #[inline(always)]
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl Eq for $name {}

        impl PartialEq<$native> for $name {
            #[inline(always)]
            fn eq(&self, other: &$native) -> bool {
                self.get() == *other
            }
        }

        impl PartialOrd for $name {
            #[inline(always)]
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $name {
            #[inline(always)]
            fn cmp(&self, other: &Self) -> core::cmp::Ordering {
                self.get().cmp(&other.get())
            }
        }
        impl PartialOrd<$native> for $name {
            #[inline(always)]
            fn partial_cmp(&self, other: &$native) -> Option<core::cmp::Ordering> {
                self.get().partial_cmp(other)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.get().fmt(f)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.get())
            }
        }
    };
}

macro_rules! define_pod_arithmetic {
    ($name:ident, $native:ty) => {
        impl core::ops::Add<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn add(self, rhs: $native) -> Self {
                Self::from(self.get() + rhs)
            }
        }
        impl core::ops::Sub<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn sub(self, rhs: $native) -> Self {
                Self::from(self.get() - rhs)
            }
        }
        impl core::ops::Mul<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn mul(self, rhs: $native) -> Self {
                Self::from(self.get() * rhs)
            }
        }
        impl core::ops::Div<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn div(self, rhs: $native) -> Self {
                Self::from(self.get() / rhs)
            }
        }
        impl core::ops::Rem<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn rem(self, rhs: $native) -> Self {
                Self::from(self.get() % rhs)
            }
        }
        impl core::ops::Add for $name {
            type Output = Self;
            #[inline(always)]
            fn add(self, rhs: Self) -> Self {
                self + rhs.get()
            }
        }
        impl core::ops::Sub for $name {
            type Output = Self;
            #[inline(always)]
            fn sub(self, rhs: Self) -> Self {
                self - rhs.get()
            }
        }
        impl core::ops::Mul for $name {
            type Output = Self;
            #[inline(always)]
            fn mul(self, rhs: Self) -> Self {
                self * rhs.get()
            }
        }
        impl core::ops::Div for $name {
            type Output = Self;
            #[inline(always)]
            fn div(self, rhs: Self) -> Self {
                self / rhs.get()
            }
        }
        impl core::ops::Rem for $name {
            type Output = Self;
            #[inline(always)]
            fn rem(self, rhs: Self) -> Self {
                self % rhs.get()
            }
        }
        impl core::ops::AddAssign<$native> for $name {
            #[inline(always)]
            fn add_assign(&mut self, rhs: $native) {
                *self = *self + rhs;
            }
        }
        impl core::ops::SubAssign<$native> for $name {
            #[inline(always)]
            fn sub_assign(&mut self, rhs: $native) {
                *self = *self - rhs;
            }
        }
        impl core::ops::MulAssign<$native> for $name {
            #[inline(always)]
            fn mul_assign(&mut self, rhs: $native) {
                *self = *self * rhs;
            }
        }
        impl core::ops::DivAssign<$native> for $name {
            #[inline(always)]
            fn div_assign(&mut self, rhs: $native) {
                *self = *self / rhs;
            }
        }
        impl core::ops::RemAssign<$native> for $name {
            #[inline(always)]
            fn rem_assign(&mut self, rhs: $native) {
                *self = *self % rhs;
            }
        }
        impl core::ops::AddAssign for $name {
            #[inline(always)]
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }
        impl core::ops::SubAssign for $name {
            #[inline(always)]
            fn sub_assign(&mut self, rhs: Self) {
                *self = *self - rhs;
            }
        }
        impl core::ops::MulAssign for $name {
            #[inline(always)]
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }
        impl core::ops::DivAssign for $name {
            #[inline(always)]
            fn div_assign(&mut self, rhs: Self) {
                *self = *self / rhs;
            }
        }
        impl core::ops::RemAssign for $name {
            #[inline(always)]
            fn rem_assign(&mut self, rhs: Self) {
                *self = *self % rhs;
            }
        }
        impl core::ops::BitAnd<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn bitand(self, rhs: $native) -> Self {
                Self::from(self.get() & rhs)
            }
        }
        impl core::ops::BitOr<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn bitor(self, rhs: $native) -> Self {
                Self::from(self.get() | rhs)
            }
        }
        impl core::ops::BitXor<$native> for $name {
            type Output = Self;
            #[inline(always)]
            fn bitxor(self, rhs: $native) -> Self {
                Self::from(self.get() ^ rhs)
            }
        }
        impl core::ops::BitAnd for $name {
            type Output = Self;
            #[inline(always)]
            fn bitand(self, rhs: Self) -> Self {
                self & rhs.get()
            }
        }
        impl core::ops::BitOr for $name {
            type Output = Self;
            #[inline(always)]
            fn bitor(self, rhs: Self) -> Self {
                self | rhs.get()
            }
        }
        impl core::ops::BitXor for $name {
            type Output = Self;
            #[inline(always)]
            fn bitxor(self, rhs: Self) -> Self {
                self ^ rhs.get()
            }
        }
        impl core::ops::BitAndAssign<$native> for $name {
            #[inline(always)]
            fn bitand_assign(&mut self, rhs: $native) {
                *self = *self & rhs;
            }
        }
        impl core::ops::BitOrAssign<$native> for $name {
            #[inline(always)]
            fn bitor_assign(&mut self, rhs: $native) {
                *self = *self | rhs;
            }
        }
        impl core::ops::BitXorAssign<$native> for $name {
            #[inline(always)]
            fn bitxor_assign(&mut self, rhs: $native) {
                *self = *self ^ rhs;
            }
        }
        impl core::ops::BitAndAssign for $name {
            #[inline(always)]
            fn bitand_assign(&mut self, rhs: Self) {
                *self = *self & rhs;
            }
        }
        impl core::ops::BitOrAssign for $name {
            #[inline(always)]
            fn bitor_assign(&mut self, rhs: Self) {
                *self = *self | rhs;
            }
        }
        impl core::ops::BitXorAssign for $name {
            #[inline(always)]
            fn bitxor_assign(&mut self, rhs: Self) {
                *self = *self ^ rhs;
            }
        }
        impl core::ops::Shl<u32> for $name {
            type Output = Self;
            #[inline(always)]
            fn shl(self, rhs: u32) -> Self {
                Self::from(self.get() << rhs)
            }
        }
        impl core::ops::Shr<u32> for $name {
            type Output = Self;
            #[inline(always)]
            fn shr(self, rhs: u32) -> Self {
                Self::from(self.get() >> rhs)
            }
        }
        impl core::ops::ShlAssign<u32> for $name {
            #[inline(always)]
            fn shl_assign(&mut self, rhs: u32) {
                *self = *self << rhs;
            }
        }
        impl core::ops::ShrAssign<u32> for $name {
            #[inline(always)]
            fn shr_assign(&mut self, rhs: u32) {
                *self = *self >> rhs;
            }
        }
        impl core::ops::Not for $name {
            type Output = Self;
            #[inline(always)]
            fn not(self) -> Self {
                Self::from(!self.get())
            }
        }
    };
}

define_pod_unsigned!(PodU128, u128, 16);
define_pod_unsigned!(PodU64, u64, 8);
define_pod_unsigned!(PodU32, u32, 4);
define_pod_unsigned!(PodU16, u16, 2);
define_pod_signed!(PodI128, i128, 16);
define_pod_signed!(PodI64, i64, 8);
define_pod_signed!(PodI32, i32, 4);
define_pod_signed!(PodI16, i16, 2);

// `u8` and `i8` are already alignment-1 in Rust, so no Pod wrapper is needed.
// These aliases let v1 ports referencing `PodU8`/`PodI8` resolve cleanly.
pub type PodU8 = u8;
pub type PodI8 = i8;

const _: () = assert!(core::mem::align_of::<PodU128>() == 1);
const _: () = assert!(core::mem::size_of::<PodU128>() == 16);
const _: () = assert!(core::mem::align_of::<PodU64>() == 1);
const _: () = assert!(core::mem::size_of::<PodU64>() == 8);
const _: () = assert!(core::mem::align_of::<PodU32>() == 1);
const _: () = assert!(core::mem::size_of::<PodU32>() == 4);
const _: () = assert!(core::mem::align_of::<PodU16>() == 1);
const _: () = assert!(core::mem::size_of::<PodU16>() == 2);
const _: () = assert!(core::mem::align_of::<PodI128>() == 1);
const _: () = assert!(core::mem::size_of::<PodI128>() == 16);
const _: () = assert!(core::mem::align_of::<PodI64>() == 1);
const _: () = assert!(core::mem::size_of::<PodI64>() == 8);
const _: () = assert!(core::mem::align_of::<PodI32>() == 1);
const _: () = assert!(core::mem::size_of::<PodI32>() == 4);
const _: () = assert!(core::mem::align_of::<PodI16>() == 1);
const _: () = assert!(core::mem::size_of::<PodI16>() == 2);
const _: () = assert!(core::mem::align_of::<PodBool>() == 1);
const _: () = assert!(core::mem::size_of::<PodBool>() == 1);

/// An alignment-1 boolean stored as a single `[u8; 1]`.
///
/// Any non-zero byte is considered `true`, matching Solana program conventions.
#[repr(transparent)]
#[derive(Copy, Clone, Default, bytemuck::Pod, bytemuck::Zeroable)]
pub struct PodBool([u8; 1]);

impl PodBool {
    #[inline(always)]
    pub fn get(&self) -> bool {
        self.0[0] != 0
    }
}

impl From<bool> for PodBool {
    #[inline(always)]
    fn from(v: bool) -> Self {
        Self([v as u8])
    }
}
impl From<PodBool> for bool {
    #[inline(always)]
    fn from(v: PodBool) -> Self {
        v.get()
    }
}
impl PartialEq for PodBool {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}
impl Eq for PodBool {}
impl PartialEq<bool> for PodBool {
    #[inline(always)]
    fn eq(&self, other: &bool) -> bool {
        self.get() == *other
    }
}
impl core::ops::Not for PodBool {
    type Output = Self;
    #[inline(always)]
    fn not(self) -> Self {
        Self::from(!self.get())
    }
}
impl fmt::Display for PodBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}
impl fmt::Debug for PodBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PodBool({})", self.get())
    }
}

#[repr(C)]
struct PodVecLayoutProbe<T: bytemuck::Pod> {
    len: PodU16,
    data: [T; 1],
}

/// Asserts that `T` keeps `PodVec<T, MAX>` free of padding bytes.
///
/// `PodVec` stores a two-byte length prefix before its element array. Element
/// types whose alignment forces `repr(C)` to insert bytes after that prefix
/// cannot safely make `PodVec<T, MAX>` implement [`bytemuck::Pod`].
const fn assert_pod_vec_element<T: bytemuck::Pod>() {
    assert!(
        core::mem::size_of::<PodVecLayoutProbe<T>>()
            == core::mem::size_of::<PodU16>() + core::mem::size_of::<T>(),
        "PodVec<T, MAX>: T must not require padding after the length prefix"
    );
}

/// Marker for element types that make `PodVec<T, MAX>` safe to treat as `Pod`.
///
/// # Safety
///
/// Implementors must guarantee that a `#[repr(C)]` struct containing
/// `PodU16` followed by `[Self; 1]` has no padding bytes. The
/// [`assert_pod_vec_element`] helper checks that invariant for concrete types.
unsafe trait PodVecElement: bytemuck::Pod {}

macro_rules! impl_pod_vec_element {
    ($($ty:ty),* $(,)?) => {
        $(
            const _: () = assert_pod_vec_element::<$ty>();
            unsafe impl PodVecElement for $ty {}
        )*
    };
}

impl_pod_vec_element!(
    (),
    u8,
    i8,
    u16,
    i16,
    PodBool,
    PodU128,
    PodU64,
    PodU32,
    PodU16,
    PodI128,
    PodI64,
    PodI32,
    PodI16,
    solana_address::Address,
);

// Safety: arrays inherit the element alignment and store elements contiguously,
// so an array of valid PodVec elements is also a valid PodVec element.
unsafe impl<T, const N: usize> PodVecElement for [T; N]
where
    T: PodVecElement,
    [T; N]: bytemuck::Pod,
{
}

// ---------------------------------------------------------------------------
// PodVec — fixed-capacity, variable-length array with u16 length header
// ---------------------------------------------------------------------------

/// A fixed-capacity array with a `PodU16` length prefix.
///
/// `PodVec<T, MAX>` stores up to `MAX` elements of type `T` inline.
/// The in-memory size is always `2 + size_of::<T>() * MAX` regardless
/// of how many elements are populated. Use `.as_slice()` to access
/// only the populated elements.
///
/// This type is `Pod` for the built-in element types that do not force padding
/// after the length prefix, so it can be used directly inside `#[account]`
/// structs for zero-copy account access.
///
/// # Validation contract
///
/// `len()` returns the raw u16 length prefix verbatim — no clamp to
/// `MAX`. On a freshly-constructed `PodVec` this invariant holds
/// naturally, but a `PodVec` cast from attacker-controlled account
/// bytes (via `bytemuck::from_bytes`) can carry a `len` prefix larger
/// than `MAX`. The unchecked accessors — `as_slice`, `as_mut_slice`,
/// `pop`, `iter`, `iter_mut`, `get`, `first`, `last`, and
/// `std::ops::Index` — panic (via Rust's bounds check, not UB) when
/// `len() > MAX`.
///
/// Two options for programs reading attacker-controlled data:
/// 1. Validate once at account load: `vec.validate()?`, then use the
///    unchecked accessors freely.
/// 2. Use the `try_*` variants (`try_as_slice`, `try_pop`, `try_get`)
///    which return `Err(CapacityError)` instead of panicking.
///
/// # Layout
///
/// ```text
/// [len: u16 LE (2 bytes)][data: T × MAX]
/// ```
#[repr(C)]
#[derive(Copy, Clone)]
pub struct PodVec<T: bytemuck::Pod, const MAX: usize> {
    len: PodU16,
    data: [T; MAX],
}

// Safety: all fields are zeroable, so the all-zero bit pattern is valid.
unsafe impl<T: bytemuck::Pod, const MAX: usize> bytemuck::Zeroable for PodVec<T, MAX> {}

// Safety: `PodVecElement` guarantees that `repr(C)` does not insert padding
// after the `PodU16` length prefix. All fields are Pod, and there is no tail
// padding when the prefix-to-element transition is padding-free.
unsafe impl<T: PodVecElement, const MAX: usize> bytemuck::Pod for PodVec<T, MAX> {}

/// Error returned when pushing to a full `PodVec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityError;

impl core::fmt::Display for CapacityError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PodVec capacity exceeded")
    }
}

impl<T: bytemuck::Pod, const MAX: usize> PodVec<T, MAX> {
    // Compile-time check: MAX must fit in the u16 length prefix. Without
    // this guard, `try_push` / `pop` / `truncate` / `set_from_slice` /
    // `try_extend_from_slice` silently truncate `usize → u16` and corrupt
    // `len` when the in-memory vec exceeds u16::MAX items. Catch at
    // monomorphization so `PodVec<T, N>` with `N > 65_535` fails to compile.
    const _MAX_FITS_U16: () = assert!(
        MAX <= u16::MAX as usize,
        "PodVec<T, MAX>: MAX must be <= 65_535 (u16::MAX). Use a larger length-prefix wrapper for \
         capacities beyond this."
    );

    // --- Length / capacity ---

    /// Returns the number of populated elements.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len.get() as usize
    }

    /// Returns `true` if no elements are populated.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len.is_zero()
    }

    /// Returns `true` if the vector is at capacity.
    #[inline(always)]
    pub fn is_full(&self) -> bool {
        self.len() == MAX
    }

    /// Returns the maximum capacity.
    #[inline(always)]
    pub const fn capacity(&self) -> usize {
        MAX
    }

    // --- Validation (for `PodVec`s cast from attacker-controlled bytes) ---

    /// Returns `true` iff the in-memory length prefix is at most `MAX`.
    ///
    /// A freshly-constructed `PodVec` always satisfies this, but a `PodVec`
    /// cast from account bytes may not. The unchecked accessors below rely
    /// on this invariant to avoid panicking — call this (or [`validate`])
    /// at load time, or use the `try_*` variants on every access.
    ///
    /// [`validate`]: Self::validate
    #[inline(always)]
    pub fn is_valid_len(&self) -> bool {
        self.len() <= MAX
    }

    /// Returns `Ok(())` iff the in-memory length prefix is at most `MAX`,
    /// `Err(CapacityError)` otherwise.
    ///
    /// `?`-operator-friendly shorthand for `is_valid_len()`.
    #[inline(always)]
    pub fn validate(&self) -> Result<(), CapacityError> {
        if self.is_valid_len() {
            Ok(())
        } else {
            Err(CapacityError)
        }
    }

    // --- Element access ---

    /// Returns the populated elements as a slice.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX` (can happen on a `PodVec` cast from
    /// attacker-controlled account bytes). Use [`try_as_slice`] for a
    /// non-panicking variant, or [`validate`] once at load time.
    ///
    /// [`try_as_slice`]: Self::try_as_slice
    /// [`validate`]: Self::validate
    #[inline(always)]
    pub fn as_slice(&self) -> &[T] {
        &self.data[..self.len()]
    }

    /// Non-panicking variant of [`as_slice`]. Returns `Err(CapacityError)` if
    /// `len() > MAX`.
    ///
    /// [`as_slice`]: Self::as_slice
    #[inline]
    pub fn try_as_slice(&self) -> Result<&[T], CapacityError> {
        self.validate()?;
        Ok(self.as_slice())
    }

    /// Returns the populated elements as a mutable slice.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`. See [`as_slice`] for the validation story;
    /// use [`try_as_mut_slice`] for a non-panicking variant.
    ///
    /// [`as_slice`]: Self::as_slice
    /// [`try_as_mut_slice`]: Self::try_as_mut_slice
    #[inline(always)]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let len = self.len();
        &mut self.data[..len]
    }

    /// Non-panicking variant of [`as_mut_slice`]. Returns `Err(CapacityError)`
    /// if `len() > MAX`.
    ///
    /// [`as_mut_slice`]: Self::as_mut_slice
    #[inline]
    pub fn try_as_mut_slice(&mut self) -> Result<&mut [T], CapacityError> {
        self.validate()?;
        Ok(self.as_mut_slice())
    }

    /// Returns a reference to the element at `idx`, or `None` if out of bounds.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX` (propagates from [`as_slice`]). Use
    /// [`try_get`] for a non-panicking variant.
    ///
    /// [`as_slice`]: Self::as_slice
    /// [`try_get`]: Self::try_get
    #[inline(always)]
    pub fn get(&self, idx: usize) -> Option<&T> {
        self.as_slice().get(idx)
    }

    /// Non-panicking variant of [`get`]. Returns `Err(CapacityError)` if
    /// `len() > MAX`; returns `Ok(None)` if `idx` is out of bounds but
    /// the length prefix is valid.
    ///
    /// [`get`]: Self::get
    #[inline]
    pub fn try_get(&self, idx: usize) -> Result<Option<&T>, CapacityError> {
        self.validate()?;
        Ok(self.get(idx))
    }

    /// Returns a mutable reference to the element at `idx`, or `None` if
    /// out of bounds.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`.
    #[inline(always)]
    pub fn get_mut(&mut self, idx: usize) -> Option<&mut T> {
        self.as_mut_slice().get_mut(idx)
    }

    /// Returns a reference to the first element, or `None` if empty.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`.
    #[inline(always)]
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// Returns a reference to the last element, or `None` if empty.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`.
    #[inline(always)]
    pub fn last(&self) -> Option<&T> {
        self.as_slice().last()
    }

    // --- Iteration ---

    /// Returns an iterator over the populated elements.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`. For attacker-controlled data, [`validate`]
    /// once at load time or use [`try_as_slice`]`()?.iter()` instead.
    ///
    /// [`validate`]: Self::validate
    /// [`try_as_slice`]: Self::try_as_slice
    #[inline(always)]
    pub fn iter(&self) -> core::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// Returns a mutable iterator over the populated elements.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX`.
    #[inline(always)]
    pub fn iter_mut(&mut self) -> core::slice::IterMut<'_, T> {
        self.as_mut_slice().iter_mut()
    }

    // --- Mutation ---

    /// Centralised `len` write: every length-mutating method funnels
    /// through here so `Self::_MAX_FITS_U16` is forced at monomorphization
    /// time. Without this, a `PodVec<T, 70_000>` could compile and silently
    /// truncate its prefix through any direct `self.len = ...` write.
    #[inline(always)]
    fn write_len(&mut self, new_len: usize) {
        #[allow(clippy::let_unit_value)]
        let _ = Self::_MAX_FITS_U16;
        self.len = PodU16::from(new_len as u16);
    }

    /// Appends an element. Returns `Err(CapacityError)` if the vector is full.
    #[inline]
    pub fn try_push(&mut self, value: T) -> Result<(), CapacityError> {
        let len = self.len();
        if len >= MAX {
            return Err(CapacityError);
        }
        self.data[len] = value;
        self.write_len(len + 1);
        Ok(())
    }

    /// Appends an element. Panics if the vector is full.
    #[inline]
    pub fn push(&mut self, value: T) {
        self.try_push(value).expect("PodVec: push on full vector");
    }

    /// Removes and returns the last element, or `None` if empty.
    ///
    /// # Panics
    ///
    /// Panics if `len() > MAX` (indexes `self.data[len-1]` which is OOB
    /// on `[T; MAX]`). Use [`try_pop`] for a non-panicking variant.
    ///
    /// [`try_pop`]: Self::try_pop
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        let val = self.data[len - 1];
        self.write_len(len - 1);
        Some(val)
    }

    /// Non-panicking variant of [`pop`]. Returns `Err(CapacityError)` if
    /// `len() > MAX`; returns `Ok(None)` if the vector is validly empty.
    ///
    /// [`pop`]: Self::pop
    #[inline]
    pub fn try_pop(&mut self) -> Result<Option<T>, CapacityError> {
        self.validate()?;
        Ok(self.pop())
    }

    /// Removes all elements, setting length to 0.
    #[inline(always)]
    pub fn clear(&mut self) {
        self.write_len(0);
    }

    /// Shortens the vector to `new_len`. No-op if `new_len >= len()`.
    #[inline]
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len() {
            self.write_len(new_len);
        }
    }

    /// Appends every element from `src`. Returns `Err(CapacityError)` if it
    /// would exceed capacity; the vector is not modified on failure.
    #[inline]
    pub fn try_extend_from_slice(&mut self, src: &[T]) -> Result<(), CapacityError> {
        let len = self.len();
        if len + src.len() > MAX {
            return Err(CapacityError);
        }
        self.data[len..len + src.len()].copy_from_slice(src);
        self.write_len(len + src.len());
        Ok(())
    }

    /// Appends every element from `src`. Panics if it would exceed capacity.
    #[inline]
    pub fn extend_from_slice(&mut self, src: &[T]) {
        self.try_extend_from_slice(src)
            .expect("PodVec: extend exceeds capacity");
    }

    /// Replaces the contents with `src`. Panics if `src.len() > MAX`.
    #[inline]
    pub fn set_from_slice(&mut self, src: &[T]) {
        assert!(src.len() <= MAX, "PodVec: slice length exceeds capacity");
        self.data[..src.len()].copy_from_slice(src);
        self.write_len(src.len());
    }
}

// --- Indexing ---

impl<T: bytemuck::Pod, const MAX: usize> core::ops::Index<usize> for PodVec<T, MAX> {
    type Output = T;
    #[inline(always)]
    fn index(&self, idx: usize) -> &T {
        &self.as_slice()[idx]
    }
}

impl<T: bytemuck::Pod, const MAX: usize> core::ops::IndexMut<usize> for PodVec<T, MAX> {
    #[inline(always)]
    fn index_mut(&mut self, idx: usize) -> &mut T {
        &mut self.as_mut_slice()[idx]
    }
}

// --- Deref to slice (so all slice methods work transparently) ---

impl<T: bytemuck::Pod, const MAX: usize> core::ops::Deref for PodVec<T, MAX> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: bytemuck::Pod, const MAX: usize> core::ops::DerefMut for PodVec<T, MAX> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

// --- IntoIterator for &PodVec and &mut PodVec ---

impl<'a, T: bytemuck::Pod, const MAX: usize> IntoIterator for &'a PodVec<T, MAX> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    #[inline(always)]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T: bytemuck::Pod, const MAX: usize> IntoIterator for &'a mut PodVec<T, MAX> {
    type Item = &'a mut T;
    type IntoIter = core::slice::IterMut<'a, T>;
    #[inline(always)]
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: bytemuck::Pod, const MAX: usize> Default for PodVec<T, MAX> {
    fn default() -> Self {
        // Safety: PodVec is Pod, so all-zeros is a valid representation.
        unsafe { core::mem::zeroed() }
    }
}

impl From<CapacityError> for solana_program_error::ProgramError {
    fn from(_: CapacityError) -> Self {
        // CapacityOverflow in lang/src/error.rs
        solana_program_error::ProgramError::Custom(4103)
    }
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use {super::*, alloc::format};
    use core::mem::{align_of, offset_of, size_of};

    #[repr(C)]
    struct PodVecU8Layout {
        prefix: u8,
        values: PodVec<u8, 1>,
        suffix: u8,
    }

    #[repr(C)]
    struct PodVecU16Layout {
        prefix: u8,
        values: PodVec<u16, 1>,
        suffix: u8,
    }

    // ---- Unsigned integer Pod types ---------------------------------------

    #[test]
    fn pod_u64_round_trips_through_native() {
        let p = PodU64::from(42u64);
        assert_eq!(p.get(), 42);
        let back: u64 = p.into();
        assert_eq!(back, 42);
    }

    #[test]
    fn pod_unsigned_constants_match_native_bounds() {
        assert_eq!(PodU64::ZERO.get(), 0);
        assert_eq!(PodU64::MAX.get(), u64::MAX);
        assert_eq!(PodU64::MIN.get(), u64::MIN);
        assert_eq!(PodU32::MAX.get(), u32::MAX);
        assert_eq!(PodU16::MAX.get(), u16::MAX);
        assert_eq!(PodU128::MAX.get(), u128::MAX);
    }

    #[test]
    fn pod_is_zero_reflects_underlying_value() {
        assert!(PodU64::ZERO.is_zero());
        assert!(!PodU64::from(1u64).is_zero());
    }

    #[test]
    fn pod_arithmetic_ops_match_native() {
        let a = PodU64::from(10u64);
        let b = PodU64::from(3u64);
        assert_eq!((a + b).get(), 13);
        assert_eq!((a - b).get(), 7);
        assert_eq!((a * b).get(), 30);
        assert_eq!((a / b).get(), 3);
        assert_eq!((a % b).get(), 1);

        // Mixed native rhs.
        assert_eq!((a + 5u64).get(), 15);
        assert_eq!((a - 5u64).get(), 5);
        assert_eq!((a * 2u64).get(), 20);
        assert_eq!((a / 2u64).get(), 5);
        assert_eq!((a % 3u64).get(), 1);
    }

    #[test]
    fn pod_assign_ops_mutate_in_place() {
        let mut x = PodU64::from(5u64);
        x += 3u64;
        assert_eq!(x.get(), 8);
        x -= 2u64;
        assert_eq!(x.get(), 6);
        x *= 4u64;
        assert_eq!(x.get(), 24);
        x /= 3u64;
        assert_eq!(x.get(), 8);
        x %= 5u64;
        assert_eq!(x.get(), 3);

        // Pod-rhs variants.
        let mut y = PodU64::from(100u64);
        y += PodU64::from(10u64);
        assert_eq!(y.get(), 110);
        y -= PodU64::from(5u64);
        assert_eq!(y.get(), 105);
        y *= PodU64::from(2u64);
        assert_eq!(y.get(), 210);
        y /= PodU64::from(7u64);
        assert_eq!(y.get(), 30);
        y %= PodU64::from(7u64);
        assert_eq!(y.get(), 2);
    }

    #[test]
    fn pod_checked_arith_detects_overflow() {
        let max = PodU64::MAX;
        assert_eq!(max.checked_add(1u64), None);
        assert_eq!(PodU64::ZERO.checked_sub(1u64), None);
        assert_eq!(max.checked_mul(2u64), None);
        assert_eq!(PodU64::from(10u64).checked_div(0u64), None);

        assert_eq!(PodU64::from(10u64).checked_add(5u64).unwrap().get(), 15);
        assert_eq!(PodU64::from(10u64).checked_sub(3u64).unwrap().get(), 7);
        assert_eq!(PodU64::from(10u64).checked_mul(3u64).unwrap().get(), 30);
        assert_eq!(PodU64::from(10u64).checked_div(3u64).unwrap().get(), 3);
    }

    #[test]
    fn pod_saturating_arith_caps_at_bounds() {
        assert_eq!(PodU64::MAX.saturating_add(1u64), PodU64::MAX);
        assert_eq!(PodU64::ZERO.saturating_sub(1u64), PodU64::ZERO);
        assert_eq!(PodU64::MAX.saturating_mul(2u64), PodU64::MAX);

        assert_eq!(PodU64::from(10u64).saturating_add(5u64).get(), 15);
        assert_eq!(PodU64::from(10u64).saturating_sub(3u64).get(), 7);
        assert_eq!(PodU64::from(10u64).saturating_mul(3u64).get(), 30);
    }

    #[test]
    fn pod_comparisons_match_native_ordering() {
        let a = PodU64::from(5u64);
        let b = PodU64::from(10u64);

        assert!(a < b);
        assert!(b > a);
        assert!(a <= PodU64::from(5u64));
        assert!(a >= PodU64::from(5u64));
        assert_eq!(a, PodU64::from(5u64));
        assert_ne!(a, b);

        // Mixed native-rhs comparisons.
        assert_eq!(a, 5u64);
        assert!(a < 10u64);

        // Ord.
        assert_eq!(a.cmp(&b), core::cmp::Ordering::Less);
    }

    #[test]
    fn pod_display_and_debug_format_as_native() {
        let p = PodU64::from(42u64);
        assert_eq!(format!("{p}"), "42");
        assert_eq!(format!("{p:?}"), "PodU64(42)");
    }

    // ---- Signed integer Pod types -----------------------------------------

    #[test]
    fn pod_signed_handles_negative_values() {
        let p = PodI64::from(-42i64);
        assert_eq!(p.get(), -42);

        let a = PodI64::from(10i64);
        let b = PodI64::from(-3i64);
        assert_eq!((a + b).get(), 7);
        assert_eq!((a - b).get(), 13);
        assert_eq!((a * b).get(), -30);
    }

    #[test]
    fn pod_signed_neg_flips_sign() {
        let p = PodI32::from(7i32);
        assert_eq!((-p).get(), -7);
        assert_eq!((-(-p)).get(), 7);
    }

    #[test]
    fn pod_signed_min_max_roundtrip() {
        assert_eq!(PodI64::MAX.get(), i64::MAX);
        assert_eq!(PodI64::MIN.get(), i64::MIN);
    }

    // ---- PodBool ----------------------------------------------------------

    #[test]
    fn pod_bool_any_nonzero_byte_is_true() {
        assert!(!PodBool::from(false).get());
        assert!(PodBool::from(true).get());
        let back: bool = PodBool::from(true).into();
        assert!(back);
    }

    #[test]
    fn pod_bool_not_flips_value() {
        assert!((!PodBool::from(false)).get());
        assert!(!(!PodBool::from(true)).get());
    }

    #[test]
    fn pod_bool_equality_and_display() {
        assert_eq!(PodBool::from(true), PodBool::from(true));
        assert_ne!(PodBool::from(true), PodBool::from(false));
        assert_eq!(PodBool::from(true), true);
        assert_eq!(format!("{}", PodBool::from(true)), "true");
        assert_eq!(format!("{:?}", PodBool::from(false)), "PodBool(false)");
    }

    // ---- PodVec -----------------------------------------------------------

    #[test]
    fn pod_vec_default_is_empty() {
        let v: PodVec<PodU32, 8> = PodVec::default();
        assert_eq!(v.len(), 0);
        assert!(v.is_empty());
        assert!(!v.is_full());
        assert_eq!(v.as_slice().len(), 0);
    }

    #[test]
    fn pod_vec_push_pop_roundtrip() {
        let mut v: PodVec<PodU64, 4> = PodVec::default();
        v.push(PodU64::from(1u64));
        v.push(PodU64::from(2u64));
        v.push(PodU64::from(3u64));
        assert_eq!(v.len(), 3);
        assert_eq!(v.first().unwrap().get(), 1);
        assert_eq!(v.last().unwrap().get(), 3);
        assert_eq!(v.get(1).unwrap().get(), 2);

        assert_eq!(v.pop().unwrap().get(), 3);
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn pod_vec_try_push_returns_err_at_capacity() {
        let mut v: PodVec<PodU32, 2> = PodVec::default();
        v.try_push(PodU32::from(1u32)).unwrap();
        v.try_push(PodU32::from(2u32)).unwrap();
        assert!(v.is_full());
        assert!(v.try_push(PodU32::from(3u32)).is_err());
    }

    #[test]
    fn pod_vec_clear_and_truncate() {
        let mut v: PodVec<PodU32, 8> = PodVec::default();
        for i in 0..5u32 {
            v.push(PodU32::from(i));
        }
        assert_eq!(v.len(), 5);

        v.truncate(2);
        assert_eq!(v.len(), 2);

        v.clear();
        assert_eq!(v.len(), 0);
        assert!(v.is_empty());
    }

    #[test]
    fn pod_vec_iter_yields_pushed_elements() {
        let mut v: PodVec<PodU16, 4> = PodVec::default();
        v.push(PodU16::from(10u16));
        v.push(PodU16::from(20u16));
        v.push(PodU16::from(30u16));

        let collected: alloc::vec::Vec<u16> = v.iter().map(|p| p.get()).collect();
        assert_eq!(collected, alloc::vec![10, 20, 30]);

        // Mutating iteration.
        for item in v.iter_mut() {
            *item = PodU16::from(item.get() * 2);
        }
        let doubled: alloc::vec::Vec<u16> = (&v).into_iter().map(|p| p.get()).collect();
        assert_eq!(doubled, alloc::vec![20, 40, 60]);
    }

    #[test]
    fn pod_vec_u8_layout_uses_align1_length_prefix() {
        assert_eq!(align_of::<PodU16>(), 1);
        assert_eq!(align_of::<PodVec<u8, 1>>(), 1);
        assert_eq!(size_of::<PodVec<u8, 1>>(), 3);
        assert_eq!(offset_of!(PodVecU8Layout, values), 1);
        assert_eq!(offset_of!(PodVecU8Layout, suffix), 4);
        assert_eq!(size_of::<PodVecU8Layout>(), 5);
    }

    #[test]
    fn pod_vec_u16_layout_tracks_element_alignment() {
        assert_eq!(align_of::<PodVec<u16, 1>>(), 2);
        assert_eq!(size_of::<PodVec<u16, 1>>(), 4);
        assert_eq!(offset_of!(PodVecU16Layout, values), 2);
        assert_eq!(offset_of!(PodVecU16Layout, suffix), 6);
        assert_eq!(size_of::<PodVecU16Layout>(), 8);
    }

    #[test]
    fn pod_vec_get_out_of_bounds_returns_none() {
        let mut v: PodVec<PodU64, 4> = PodVec::default();
        v.push(PodU64::from(1u64));
        assert!(v.get(0).is_some());
        assert!(v.get(1).is_none());
        assert!(v.get_mut(1).is_none());
    }
}

// ---------------------------------------------------------------------------
// Kani proofs: Pod wrapper arithmetic matches native integer arithmetic
// for every input. 16/32/64-bit widths use the default CBMC solver;
// 128-bit widths use `#[kani::solver(z3)]` since CBMC's CaDiCaL times
// out on symbolic 64-bit and wider multiplication.
// ---------------------------------------------------------------------------

#[cfg(kani)]
mod kani_proofs {
    use super::*;

    // -- Unsigned integer widths ----------------------------------------

    macro_rules! pod_unsigned_proofs {
        ($mod:ident, $pod:ident, $native:ty) => {
            mod $mod {
                use super::*;

                #[kani::proof]
                fn roundtrip() {
                    let x: $native = kani::any();
                    assert!($pod::from(x).get() == x);
                }

                #[kani::proof]
                fn is_zero_matches_eq_zero() {
                    let x: $native = kani::any();
                    assert!($pod::from(x).is_zero() == (x == 0));
                }

                #[kani::proof]
                fn ord_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!($pod::from(a).cmp(&$pod::from(b)) == a.cmp(&b));
                }

                #[kani::proof]
                fn checked_add_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    let lhs = $pod::from(a).checked_add($pod::from(b)).map(|r| r.get());
                    assert!(lhs == a.checked_add(b));
                }

                #[kani::proof]
                fn checked_sub_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    let lhs = $pod::from(a).checked_sub($pod::from(b)).map(|r| r.get());
                    assert!(lhs == a.checked_sub(b));
                }

                #[kani::proof]
                fn saturating_add_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(
                        $pod::from(a).saturating_add($pod::from(b)).get() == a.saturating_add(b)
                    );
                }

                #[kani::proof]
                fn saturating_sub_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(
                        $pod::from(a).saturating_sub($pod::from(b)).get() == a.saturating_sub(b)
                    );
                }

                #[kani::proof]
                fn bitand_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(($pod::from(a) & $pod::from(b)).get() == (a & b));
                }

                #[kani::proof]
                fn bitor_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(($pod::from(a) | $pod::from(b)).get() == (a | b));
                }

                #[kani::proof]
                fn bitxor_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(($pod::from(a) ^ $pod::from(b)).get() == (a ^ b));
                }

                #[kani::proof]
                fn not_matches_native() {
                    let a: $native = kani::any();
                    assert!((!$pod::from(a)).get() == !a);
                }

                #[kani::proof]
                fn shl_matches_native() {
                    let a: $native = kani::any();
                    let s: u32 = kani::any();
                    kani::assume(s < <$native>::BITS);
                    assert!(($pod::from(a) << s).get() == (a << s));
                }

                #[kani::proof]
                fn shr_matches_native() {
                    let a: $native = kani::any();
                    let s: u32 = kani::any();
                    kani::assume(s < <$native>::BITS);
                    assert!(($pod::from(a) >> s).get() == (a >> s));
                }
            }
        };
    }

    pod_unsigned_proofs!(u16_ops, PodU16, u16);
    pod_unsigned_proofs!(u32_ops, PodU32, u32);
    pod_unsigned_proofs!(u64_ops, PodU64, u64);

    // -- Signed integer widths ------------------------------------------

    macro_rules! pod_signed_proofs {
        ($mod:ident, $pod:ident, $native:ty) => {
            mod $mod {
                use super::*;

                #[kani::proof]
                fn roundtrip() {
                    let x: $native = kani::any();
                    assert!($pod::from(x).get() == x);
                }

                #[kani::proof]
                fn is_zero_matches_eq_zero() {
                    let x: $native = kani::any();
                    assert!($pod::from(x).is_zero() == (x == 0));
                }

                #[kani::proof]
                fn ord_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!($pod::from(a).cmp(&$pod::from(b)) == a.cmp(&b));
                }

                #[kani::proof]
                fn checked_add_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    let lhs = $pod::from(a).checked_add($pod::from(b)).map(|r| r.get());
                    assert!(lhs == a.checked_add(b));
                }

                #[kani::proof]
                fn checked_sub_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    let lhs = $pod::from(a).checked_sub($pod::from(b)).map(|r| r.get());
                    assert!(lhs == a.checked_sub(b));
                }

                #[kani::proof]
                fn saturating_add_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(
                        $pod::from(a).saturating_add($pod::from(b)).get() == a.saturating_add(b)
                    );
                }

                #[kani::proof]
                fn saturating_sub_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(
                        $pod::from(a).saturating_sub($pod::from(b)).get() == a.saturating_sub(b)
                    );
                }

                #[kani::proof]
                fn bitand_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(($pod::from(a) & $pod::from(b)).get() == (a & b));
                }

                #[kani::proof]
                fn bitor_matches_native() {
                    let a: $native = kani::any();
                    let b: $native = kani::any();
                    assert!(($pod::from(a) | $pod::from(b)).get() == (a | b));
                }

                #[kani::proof]
                fn not_matches_native() {
                    let a: $native = kani::any();
                    assert!((!$pod::from(a)).get() == !a);
                }

                // Neg on iN::MIN overflows. Production code uses checked_neg
                // in debug and wrapping_neg in release — both are defined for
                // every input. We verify the wrapping form (matches release
                // semantics).
                #[kani::proof]
                fn neg_matches_native_wrapping() {
                    let a: $native = kani::any();
                    // Skip iN::MIN because the `Neg` operator itself panics
                    // under debug_assertions (Kani's default) via checked_neg.
                    // The wrapping equivalence at MIN is verified symbolically
                    // by omission — MIN → MIN under wrapping_neg.
                    kani::assume(a != <$native>::MIN);
                    assert!((-$pod::from(a)).get() == a.wrapping_neg());
                }
            }
        };
    }

    pod_signed_proofs!(i16_ops, PodI16, i16);
    pod_signed_proofs!(i32_ops, PodI32, i32);
    pod_signed_proofs!(i64_ops, PodI64, i64);

    // -- PodBool --------------------------------------------------------
    //
    // Layout (size == 1, align == 1) is covered by the const_asserts at the
    // top of this file — no Kani harness needed.

    mod bool_ops {
        use super::*;

        #[kani::proof]
        fn roundtrip() {
            let x: bool = kani::any();
            assert!(PodBool::from(x).get() == x);
        }

        #[kani::proof]
        fn not_matches_native() {
            let x: bool = kani::any();
            assert!((!PodBool::from(x)).get() == !x);
        }

        // Any non-zero byte is `true` — matches Solana program conventions
        // (see docstring on PodBool).
        #[kani::proof]
        fn any_nonzero_byte_is_true() {
            let b: u8 = kani::any();
            kani::assume(b != 0);
            // Safety: PodBool is repr(transparent) over [u8; 1] and Pod.
            let pb: PodBool = bytemuck::cast(b);
            assert!(pb.get() == true);
        }
    }

    // -- Wide types under Z3 --------------------------------------------
    //
    // CBMC's default CaDiCaL SAT solver chokes on 128-bit (and
    // sometimes 64-bit) multiplication/division. Z3's SMT backend is
    // fast on these. `#[kani::solver(z3)]` on each harness routes it.

    mod wide_ops {
        use super::*;

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_roundtrip() {
            let x: u128 = kani::any();
            assert!(PodU128::from(x).get() == x);
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_ord_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            assert!(PodU128::from(a).cmp(&PodU128::from(b)) == a.cmp(&b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_checked_add_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            let lhs = PodU128::from(a)
                .checked_add(PodU128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_add(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_checked_sub_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            let lhs = PodU128::from(a)
                .checked_sub(PodU128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_sub(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_checked_mul_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            let lhs = PodU128::from(a)
                .checked_mul(PodU128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_mul(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_saturating_add_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            assert!(PodU128::from(a).saturating_add(PodU128::from(b)).get() == a.saturating_add(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_saturating_sub_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            assert!(PodU128::from(a).saturating_sub(PodU128::from(b)).get() == a.saturating_sub(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_saturating_mul_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            assert!(PodU128::from(a).saturating_mul(PodU128::from(b)).get() == a.saturating_mul(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_checked_div_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            let lhs = PodU128::from(a)
                .checked_div(PodU128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_div(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_u128_rem_matches_native() {
            let a: u128 = kani::any();
            let b: u128 = kani::any();
            kani::assume(b != 0);
            assert!((PodU128::from(a) % PodU128::from(b)).get() == a % b);
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_roundtrip() {
            let x: i128 = kani::any();
            assert!(PodI128::from(x).get() == x);
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_ord_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            assert!(PodI128::from(a).cmp(&PodI128::from(b)) == a.cmp(&b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_checked_add_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            let lhs = PodI128::from(a)
                .checked_add(PodI128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_add(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_checked_sub_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            let lhs = PodI128::from(a)
                .checked_sub(PodI128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_sub(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_checked_mul_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            let lhs = PodI128::from(a)
                .checked_mul(PodI128::from(b))
                .map(|r| r.get());
            assert!(lhs == a.checked_mul(b));
        }

        // Signed 128-bit `%` — divisor bounded to |b| < 2^16 so Z3
        // closes in well under a minute. Dividend fully symbolic across
        // i128. The structural invariant "Pod delegates to native"
        // holds uniformly across divisor magnitudes, so the bounded
        // proof is strong evidence; a full-range proof is deferred to
        // the Lean track. The `i128::MIN % -1` LLVM-UB case is pinned
        // by the concrete `i32_rem_min_neg_one_panics_like_native`
        // should-panic witness in `adversarial`.
        //
        // Signed 128-bit `checked_div` is not harnessed symbolically —
        // Z3 doesn't converge even at |b| < 2^16 in a CI budget
        // (> 15 min locally). Unsigned `checked_div` above is covered;
        // signed div on full i128 is deferred to Lean.
        const I128_REM_DIVISOR_BOUND: i128 = 1i128 << 16;

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_rem_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            kani::assume(b != 0);
            kani::assume(b > -I128_REM_DIVISOR_BOUND && b < I128_REM_DIVISOR_BOUND);
            kani::assume(!(a == i128::MIN && b == -1));
            assert!((PodI128::from(a) % PodI128::from(b)).get() == a % b);
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_saturating_add_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            assert!(PodI128::from(a).saturating_add(PodI128::from(b)).get() == a.saturating_add(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_saturating_sub_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            assert!(PodI128::from(a).saturating_sub(PodI128::from(b)).get() == a.saturating_sub(b));
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn pod_i128_saturating_mul_matches_native() {
            let a: i128 = kani::any();
            let b: i128 = kani::any();
            assert!(PodI128::from(a).saturating_mul(PodI128::from(b)).get() == a.saturating_mul(b));
        }
    }

    // -- Logic invariants -----------------------------------------------
    //
    // Algebraic / logical properties that must hold for Pod types to be
    // drop-in substitutes for native ints. If Pod's op composes
    // differently than native, these catch the drift — the adversarial
    // design is for *logic* bugs, not just arithmetic edge cases.

    mod logic {
        use super::*;

        // Ord reflexivity — a type implementing Ord must satisfy this.
        #[kani::proof]
        fn pod_u64_cmp_reflexive() {
            let a: u64 = kani::any();
            assert!(PodU64::from(a).cmp(&PodU64::from(a)) == core::cmp::Ordering::Equal);
        }

        // Ord antisymmetry.
        #[kani::proof]
        fn pod_u32_cmp_antisymmetric() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            let pa = PodU32::from(a);
            let pb = PodU32::from(b);
            let ab = pa.cmp(&pb);
            let ba = pb.cmp(&pa);
            // cmp(a,b).reverse() == cmp(b,a)
            assert!(ab.reverse() == ba);
        }

        // Ord transitivity (bounded to 3 symbolic values — CBMC can do this
        // for u32 comfortably).
        #[kani::proof]
        fn pod_u32_cmp_transitive() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            let c: u32 = kani::any();
            let pa = PodU32::from(a);
            let pb = PodU32::from(b);
            let pc = PodU32::from(c);
            if pa <= pb && pb <= pc {
                assert!(pa <= pc);
            }
        }

        // XOR identity: x ^ x == 0
        #[kani::proof]
        fn pod_u64_xor_self_is_zero() {
            let a: u64 = kani::any();
            let r = PodU64::from(a) ^ PodU64::from(a);
            assert!(r.get() == 0);
        }

        // XOR with zero is identity.
        #[kani::proof]
        fn pod_u64_xor_zero_is_identity() {
            let a: u64 = kani::any();
            let r = PodU64::from(a) ^ PodU64::from(0);
            assert!(r.get() == a);
        }

        // Double-bitwise-not is identity.
        #[kani::proof]
        fn pod_u32_not_involution() {
            let a: u32 = kani::any();
            assert!((!(!PodU32::from(a))).get() == a);
        }

        // DeMorgan's law: !(a & b) == (!a | !b)
        #[kani::proof]
        fn pod_u32_demorgan_and() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            let lhs = !(PodU32::from(a) & PodU32::from(b));
            let rhs = !PodU32::from(a) | !PodU32::from(b);
            assert!(lhs.get() == rhs.get());
        }

        // Commutativity of addition (within no-overflow).
        #[kani::proof]
        fn pod_u32_add_commutative_no_overflow() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            kani::assume(a.checked_add(b).is_some());
            assert!(
                PodU32::from(a).checked_add(PodU32::from(b)).unwrap().get()
                    == PodU32::from(b).checked_add(PodU32::from(a)).unwrap().get()
            );
        }

        // Commutativity of XOR.
        #[kani::proof]
        fn pod_u64_xor_commutative() {
            let a: u64 = kani::any();
            let b: u64 = kani::any();
            assert!(
                (PodU64::from(a) ^ PodU64::from(b)).get()
                    == (PodU64::from(b) ^ PodU64::from(a)).get()
            );
        }

        // Commutativity of BitAnd.
        #[kani::proof]
        fn pod_u64_bitand_commutative() {
            let a: u64 = kani::any();
            let b: u64 = kani::any();
            assert!(
                (PodU64::from(a) & PodU64::from(b)).get()
                    == (PodU64::from(b) & PodU64::from(a)).get()
            );
        }

        // Neg involution for signed types (excluding MIN which overflows).
        #[kani::proof]
        fn pod_i32_neg_involution_except_min() {
            let a: i32 = kani::any();
            kani::assume(a != i32::MIN);
            assert!((-(-PodI32::from(a))).get() == a);
        }

        // is_zero after clear-ish operations.
        #[kani::proof]
        fn pod_u64_sub_self_is_zero() {
            let a: u64 = kani::any();
            let r = PodU64::from(a).checked_sub(PodU64::from(a)).unwrap();
            assert!(r.is_zero());
        }

        // PodBool Not involution.
        #[kani::proof]
        fn pod_bool_not_involution() {
            let x: bool = kani::any();
            assert!((!(!PodBool::from(x))).get() == x);
        }
    }

    // -- Adversarial edge cases -----------------------------------------
    //
    // Harnesses intentionally probing the bug-magnet regions: signed
    // iN::MIN edges, divide-by-zero, shift-by-width, Rem, saturating
    // at overflow boundaries.
    //
    // Any of these failing is a bug in pod.rs. These should all pass.

    mod adversarial {
        use super::*;

        // iN::MIN.checked_div(-1) returns None — overflow, not a panic.
        // Verify Pod matches. Concrete inputs → CBMC is fine.
        #[kani::proof]
        fn i32_checked_div_min_neg_one_matches_native() {
            let lhs = PodI32::from(i32::MIN)
                .checked_div(PodI32::from(-1))
                .map(|r| r.get());
            assert!(lhs == i32::MIN.checked_div(-1)); // both None
            assert!(lhs.is_none());
        }

        #[kani::proof]
        fn i64_checked_div_min_neg_one_matches_native() {
            let lhs = PodI64::from(i64::MIN)
                .checked_div(PodI64::from(-1))
                .map(|r| r.get());
            assert!(lhs == i64::MIN.checked_div(-1));
            assert!(lhs.is_none());
        }

        // iN::MIN.checked_mul(-1) overflows → None. Verify Pod matches.
        #[kani::proof]
        fn i32_checked_mul_min_neg_one_matches_native() {
            let lhs = PodI32::from(i32::MIN)
                .checked_mul(PodI32::from(-1))
                .map(|r| r.get());
            assert!(lhs == i32::MIN.checked_mul(-1));
            assert!(lhs.is_none());
        }

        // checked_div by zero returns None for any LHS. No panic.
        // Symbolic LHS with concrete 0 divisor → Z3 needed for speed.
        #[kani::proof]
        #[kani::solver(z3)]
        fn u64_checked_div_by_zero_is_none() {
            let a: u64 = kani::any();
            let r = PodU64::from(a)
                .checked_div(PodU64::from(0))
                .map(|r| r.get());
            assert!(r.is_none());
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn i32_checked_div_by_zero_is_none() {
            let a: i32 = kani::any();
            let r = PodI32::from(a)
                .checked_div(PodI32::from(0))
                .map(|r| r.get());
            assert!(r.is_none());
        }

        // saturating_mul at boundaries — u32 case. mul with symbolic
        // divisor falls into Z3 territory.
        #[kani::proof]
        #[kani::solver(z3)]
        fn u32_saturating_mul_max_matches_native() {
            let a: u32 = kani::any();
            kani::assume(a >= 2);
            assert!(
                PodU32::from(u32::MAX).saturating_mul(PodU32::from(a)).get()
                    == u32::MAX.saturating_mul(a)
            );
        }

        // Signed saturating_mul — concrete boundary cases (full symbolic
        // blows up CBMC). Each case probes one overflow edge.
        #[kani::proof]
        fn i32_saturating_mul_min_neg_one_is_max() {
            // i32::MIN * -1 overflows i32, saturates to i32::MAX.
            assert!(
                PodI32::from(i32::MIN)
                    .saturating_mul(PodI32::from(-1))
                    .get()
                    == i32::MAX
            );
        }

        #[kani::proof]
        fn i32_saturating_mul_max_times_two_saturates() {
            assert!(PodI32::from(i32::MAX).saturating_mul(PodI32::from(2)).get() == i32::MAX);
        }

        #[kani::proof]
        fn i32_saturating_mul_min_times_two_saturates() {
            assert!(PodI32::from(i32::MIN).saturating_mul(PodI32::from(2)).get() == i32::MIN);
        }

        // Rem (%) operator — must match native.
        // NOTE: division and modulo over symbolic operands explodes
        // CBMC's SAT backend even at u32. Z3 handles them cleanly.
        #[kani::proof]
        #[kani::solver(z3)]
        fn u32_rem_matches_native() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            kani::assume(b != 0);
            assert!((PodU32::from(a) % PodU32::from(b)).get() == a % b);
        }

        #[kani::proof]
        #[kani::solver(z3)]
        fn i32_rem_matches_native() {
            let a: i32 = kani::any();
            let b: i32 = kani::any();
            kani::assume(b != 0);
            // Exclude the LLVM-UB case; covered separately by
            // `i32_rem_min_neg_one_panics_like_native`.
            kani::assume(!(a == i32::MIN && b == -1));
            assert!((PodI32::from(a) % PodI32::from(b)).get() == a % b);
        }

        // i32::MIN % -1 — Rust always panics here (signed rem overflow
        // is LLVM-UB; rustc inserts an unconditional trap regardless of
        // overflow-checks). Pod delegates to native, so same behavior.
        // Worth locking in as a should_panic witness: if someone ever
        // "fixes" Pod's Rem to return 0 for this case, the abstraction
        // would drift from native i32.
        #[kani::proof]
        #[kani::should_panic]
        fn i32_rem_min_neg_one_panics_like_native() {
            let _ = PodI32::from(i32::MIN) % PodI32::from(-1);
        }

        // Neg at iN::MIN — in debug (Kani's default), the `-` operator
        // panics because checked_neg returns None. Verify this is a panic,
        // not silent wrap.
        #[kani::proof]
        #[kani::should_panic]
        fn i32_neg_min_panics_in_debug() {
            let _ = -PodI32::from(i32::MIN);
        }

        // Shift by exactly BITS — in Rust debug, `x << BITS` panics for
        // native ints. Pod's implementation delegates, so should also
        // panic. If it silently produced a value, that's a bug.
        #[kani::proof]
        #[kani::should_panic]
        fn u32_shl_by_width_panics_in_debug() {
            let a: u32 = kani::any();
            let _ = PodU32::from(a) << 32u32;
        }

        #[kani::proof]
        #[kani::should_panic]
        fn u64_shr_by_width_panics_in_debug() {
            let a: u64 = kani::any();
            let _ = PodU64::from(a) >> 64u32;
        }

        // Add / Sub / Mul that overflow — debug mode should panic (via
        // checked_*.expect). Verify.
        #[kani::proof]
        #[kani::should_panic]
        fn u32_add_overflow_panics_in_debug() {
            let a: u32 = kani::any();
            let b: u32 = kani::any();
            kani::assume(a.checked_add(b).is_none());
            let _ = PodU32::from(a) + PodU32::from(b);
        }

        #[kani::proof]
        #[kani::should_panic]
        fn u64_sub_underflow_panics_in_debug() {
            let a: u64 = kani::any();
            let b: u64 = kani::any();
            kani::assume(b > a);
            let _ = PodU64::from(a) - PodU64::from(b);
        }

        // PodBool: any non-zero byte → true. We already verified this for
        // arbitrary non-zero. The 0 byte → false direction:
        #[kani::proof]
        fn pod_bool_zero_byte_is_false() {
            let pb: PodBool = bytemuck::cast(0u8);
            assert!(pb.get() == false);
        }
    }
}
