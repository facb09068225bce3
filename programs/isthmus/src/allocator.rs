//! The program's heap allocator: free lists over a bump region — power-of-two classes for small
//! blocks, first fit with splitting for large ones.
//!
//! pinocchio's default bump allocator never frees, so within one instruction every vector that
//! grows, every frame of a nested call and every copy is paid for again: 1,000 calls allocate
//! ~344 KB, more than the 256 KiB heap. Here a freed small block (up to 2 KiB) goes on the free
//! list of its power-of-two class and is reused by the next allocation of that class; a freed
//! large block (EVM memory, code, calldata) goes on one list that is searched first-fit, and a
//! block found there is split when the rest is worth keeping. Large blocks are sized exactly (to
//! 64 bytes), since rounding a 40 KB EVM memory up to 64 KiB would waste what the heap lacks. The
//! most recent block returns to the bump region directly, and grows in place. A program runs single-threaded and has no writable static
//! data, so the state lives at the start of the heap, like pinocchio's allocator keeps its
//! position there: the bump position, its peak (what `execution::log_heap_used` reports), then
//! one free-list head per class.
//!
//! The transaction must request the 256 KiB heap frame (`ComputeBudget::request_heap_frame`),
//! as with pinocchio's allocator.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::null_mut;

const HEAP_START: usize = 0x3_0000_0000;
const HEAP_LEN: usize = 256 * 1024;
const HEAP_END: usize = HEAP_START + HEAP_LEN;
/// Smallest block: 16 bytes (2^4), so a free block holds its next pointer and size.
const MIN_SHIFT: u32 = 4;
/// Small classes 2^4 ..= 2^11; larger blocks are "large".
const SMALL_CLASSES: usize = 8;
const LARGE_MIN: usize = 1 << (MIN_SHIFT as usize + SMALL_CLASSES - 1);
/// Large blocks are multiples of this.
const LARGE_GRAIN: usize = 64;
/// A large free block is split when what is left is at least this.
const SPLIT_MIN: usize = 1024;
/// Bump position, its highest value so far, the large list's head, the small lists' heads.
const STATE_LEN: usize = 24 + SMALL_CLASSES * 8;
/// Every block is aligned to this (the largest alignment SBF types need).
const ALIGN: usize = 8;

pub struct HeapAllocator;

/// The block size of an allocation of `size` bytes, and its small class (`None`: large).
#[inline]
fn block_of(size: usize) -> (usize, Option<usize>) {
    if size <= LARGE_MIN {
        let block = size.max(1 << MIN_SHIFT).next_power_of_two();
        (block, Some((block.trailing_zeros() - MIN_SHIFT) as usize))
    } else {
        (size.div_ceil(LARGE_GRAIN) * LARGE_GRAIN, None)
    }
}

#[inline]
fn word(offset: usize) -> *mut usize {
    (HEAP_START + offset) as *mut usize
}

#[inline]
fn position() -> *mut usize {
    word(0)
}

#[inline]
fn peak() -> *mut usize {
    word(8)
}

#[inline]
fn large_head() -> *mut usize {
    word(16)
}

#[inline]
fn small_head(class: usize) -> *mut usize {
    word(24 + class * 8)
}

/// Bytes of heap the bump region has reached at most in this instruction (the peak heap use).
pub fn peak_used() -> usize {
    unsafe { (*peak()).saturating_sub(HEAP_START) }
}

/// Records a new bump position.
#[inline]
unsafe fn bump_to(pos: usize) {
    unsafe {
        *position() = pos;
        if pos > *peak() {
            *peak() = pos;
        }
    }
}

/// Takes a large free block of at least `size` bytes (first fit), splitting off the rest.
unsafe fn take_large(size: usize) -> *mut u8 {
    unsafe {
        let mut link = large_head();
        while *link != 0 {
            let block = *link;
            let next = *(block as *const usize);
            let have = *((block + 8) as *const usize);
            if have >= size {
                if have - size >= SPLIT_MIN {
                    let rest = block + size;
                    *(rest as *mut usize) = next;
                    *((rest + 8) as *mut usize) = have - size;
                    *link = rest;
                } else {
                    // Handed out whole: the slack is lost until the instruction ends.
                    *link = next;
                }
                return block as *mut u8;
            }
            link = block as *mut usize;
        }
        null_mut()
    }
}

unsafe impl GlobalAlloc for HeapAllocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, class) = block_of(layout.size());
        unsafe {
            if layout.align() <= ALIGN {
                match class {
                    Some(class) => {
                        let free = *small_head(class);
                        if free != 0 {
                            *small_head(class) = *(free as *const usize);
                            return free as *mut u8;
                        }
                    }
                    None => {
                        let block = take_large(size);
                        if !block.is_null() {
                            return block;
                        }
                    }
                }
            }
            let mut pos = *position();
            if pos == 0 {
                pos = HEAP_START + STATE_LEN;
            }
            let align = layout.align().max(ALIGN);
            let start = (pos + align - 1) & !(align - 1);
            if size > HEAP_LEN || start + size > HEAP_END {
                return null_mut();
            }
            bump_to(start + size);
            start as *mut u8
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let (size, class) = block_of(layout.size());
        let block = ptr as usize;
        unsafe {
            if block + size == *position() {
                // The last block: back to the bump region.
                *position() = block;
                return;
            }
            match class {
                Some(class) => {
                    *(block as *mut usize) = *small_head(class);
                    *small_head(class) = block;
                }
                None => {
                    *(block as *mut usize) = *large_head();
                    *((block + 8) as *mut usize) = size;
                    *large_head() = block;
                }
            }
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (size, _) = block_of(layout.size());
        let (new_block, _) = block_of(new_size);
        let block = ptr as usize;
        if new_block == size {
            return ptr;
        }
        unsafe {
            if block + size == *position() && block + new_block <= HEAP_END {
                // The last block grows (or shrinks) in place.
                bump_to(block + new_block);
                if new_block < size {
                    *position() = block + new_block;
                }
                return ptr;
            }
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(all(
    target_arch = "bpf",
    feature = "custom-heap",
    not(feature = "no-entrypoint")
))]
#[global_allocator]
static ALLOCATOR: HeapAllocator = HeapAllocator;

#[cfg(test)]
mod tests {
    use super::block_of;

    #[test]
    fn small_blocks_are_powers_of_two_and_large_ones_exact_to_64_bytes() {
        assert_eq!(block_of(0), (16, Some(0)));
        assert_eq!(block_of(17), (32, Some(1)));
        assert_eq!(block_of(2048), (2048, Some(7)));
        assert_eq!(block_of(2049), (2112, None));
        assert_eq!(block_of(24_609), (24_640, None));
    }
}
