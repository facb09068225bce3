//! The operand stack: grows on demand (at most 1024 words) instead of reserving 32 KiB a frame.
//!
//! Every operation checks its depth once and then works on raw pointers: the interpreter runs
//! an opcode in tens of SBF instructions, and a bounds check per word read is a good part of that.
//! The capacity never exceeds [`STACK_LIMIT`] words, so `push` has one check on its fast path:
//! a full buffer is either grown (cold) or the stack overflows.

use crate::gas::STACK_LIMIT;
use crate::primitives::U256;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Words a frame's stack first holds. With [`crate::ONCHAIN_HEAP`] 8, grown as needed.
/// Off-chain 32 (1 KiB, within the allocator's per-thread cache): a frame that grows 8 -> 16 ->
/// 32 pays two reallocations and copies, a good part of a short call.
const FIRST_CAPACITY: usize = if crate::ONCHAIN_HEAP { 8 } else { 32 };

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Stack {
    data: Vec<U256>,
}

impl Stack {
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Restores the capacity bound `push` relies on (a stack read back from bytes may come with
    /// any capacity).
    pub fn bound_capacity(&mut self) {
        if self.data.capacity() > STACK_LIMIT {
            self.data.shrink_to(STACK_LIMIT);
        }
    }

    /// Pushes `value`; `false` on overflow.
    #[inline(always)]
    #[must_use]
    pub fn push(&mut self, value: U256) -> bool {
        let len = self.data.len();
        if len == self.data.capacity() && !self.grow() {
            return false;
        }
        // SAFETY: len < capacity (checked or just grown).
        unsafe {
            self.data.as_mut_ptr().add(len).write(value);
            self.data.set_len(len + 1);
        }
        true
    }

    /// Makes room for one more word: doubles the buffer up to [`STACK_LIMIT`] words; `false` when
    /// the stack is full.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) -> bool {
        let len = self.data.len();
        if len >= STACK_LIMIT {
            return false;
        }
        let target = (len.max(FIRST_CAPACITY / 2) * 2).min(STACK_LIMIT);
        self.data.reserve_exact(target - len);
        if self.data.capacity() > STACK_LIMIT {
            self.data.shrink_to(STACK_LIMIT);
        }
        true
    }

    /// Pops the top `N` words, top first; `None` on underflow.
    #[inline(always)]
    pub fn popn<const N: usize>(&mut self) -> Option<[U256; N]> {
        let len = self.data.len();
        if len < N {
            return None;
        }
        // SAFETY: the top N words exist.
        unsafe {
            let top = self.data.as_ptr().add(len);
            let out = core::array::from_fn(|i| *top.sub(1 + i));
            self.data.set_len(len - N);
            Some(out)
        }
    }

    /// Pops `N` words (top first) and returns them with a mutable reference to the new top:
    /// binary operators write their result in place.
    #[inline(always)]
    pub fn popn_top<const N: usize>(&mut self) -> Option<([U256; N], &mut U256)> {
        let len = self.data.len();
        if len < N + 1 {
            return None;
        }
        // SAFETY: the top N + 1 words exist.
        unsafe {
            let top = self.data.as_mut_ptr().add(len);
            let out = core::array::from_fn(|i| *top.sub(1 + i));
            self.data.set_len(len - N);
            Some((out, &mut *top.sub(N + 1)))
        }
    }

    /// The top word, in place.
    #[inline]
    pub fn top(&mut self) -> Option<&mut U256> {
        self.data.last_mut()
    }

    /// DUPn: `n` is 1-based. Room is made before the word is read, so it is copied straight
    /// across rather than through a temporary that the call to grow would force onto the stack.
    #[inline(always)]
    #[must_use]
    pub fn dup(&mut self, n: usize) -> Option<bool> {
        let len = self.data.len();
        if len < n {
            return None;
        }
        if len == self.data.capacity() && !self.grow() {
            return Some(false);
        }
        // SAFETY: len >= n >= 1 and len < capacity (checked or just grown).
        unsafe {
            let base = self.data.as_mut_ptr();
            base.add(len).write(base.add(len - n).read());
            self.data.set_len(len + 1);
        }
        Some(true)
    }

    /// SWAPn: swaps the top with the `n`th word below it, limb by limb (`ptr::swap` of two
    /// words goes through a 32-byte temporary on the stack).
    #[inline(always)]
    #[must_use]
    pub fn swap(&mut self, n: usize) -> bool {
        let len = self.data.len();
        if len <= n {
            return false;
        }
        // SAFETY: both indexes are below len; a U256 is four u64 limbs.
        unsafe {
            let base = self.data.as_mut_ptr();
            let a = base.add(len - 1) as *mut u64;
            let b = base.add(len - 1 - n) as *mut u64;
            for i in 0..4 {
                let (x, y) = (a.add(i).read(), b.add(i).read());
                a.add(i).write(y);
                b.add(i).write(x);
            }
        }
        true
    }

    /// Pushes up to 32 big-endian bytes as a word (PUSHn).
    #[inline]
    #[must_use]
    pub fn push_slice(&mut self, bytes: &[u8]) -> bool {
        let mut word = [0u8; 32];
        word[32 - bytes.len()..].copy_from_slice(bytes);
        self.push(U256::from_be_bytes(word))
    }

    pub fn as_slice(&self) -> &[U256] {
        &self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflows_at_the_limit_whatever_the_capacity() {
        let mut stack = Stack::default();
        for i in 0..STACK_LIMIT {
            assert!(stack.push(U256::from(i)));
        }
        assert!(!stack.push(U256::ZERO));
        assert!(stack.data.capacity() <= STACK_LIMIT);
        // A stack read back with spare capacity beyond the limit is bounded again.
        let mut data = Vec::with_capacity(2 * STACK_LIMIT);
        data.extend((0..STACK_LIMIT - 1).map(U256::from));
        let mut stack = Stack { data };
        stack.bound_capacity();
        assert!(stack.push(U256::ZERO));
        assert!(!stack.push(U256::ZERO));
    }

    #[test]
    fn pops_dups_and_swaps_in_order() {
        let mut stack = Stack::default();
        for i in 1..=4u64 {
            assert!(stack.push(U256::from(i)));
        }
        assert_eq!(stack.dup(4), Some(true));
        assert!(stack.swap(2));
        assert_eq!(stack.as_slice(), &[1, 2, 1, 4, 3].map(U256::from));
        let ([a, b], top) = stack.popn_top::<2>().unwrap();
        assert_eq!((a, b, *top), (U256::from(3), U256::from(4), U256::from(1)));
        *top = U256::from(7);
        assert_eq!(stack.popn::<4>(), None);
        assert_eq!(stack.popn::<3>(), Some([7, 2, 1].map(U256::from)));
        assert_eq!(stack.popn::<1>(), None);
        assert_eq!(stack.dup(1), None);
        assert!(!stack.swap(1));
    }
}
