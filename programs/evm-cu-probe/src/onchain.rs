//! The SBF side: entrypoint, heap allocator and panic handler. The cryptography is the program's
//! own, [`SyscallCrypto`] from `isthmus-syscalls` (programs/syscalls), so that the probe measures
//! what the program runs.

use crate::message::{
    status, Message, Report, FLAG_BLS_MAP, FLAG_P256, FLAG_P256_JOB, FLAG_SKIP_EVM, FLAG_TRACE_CU,
};
use crate::{bls_map, probe};
use core::alloc::{GlobalAlloc, Layout};
use isthmus_syscalls::SyscallCrypto;
use solana_define_syscall::definitions::{
    abort, sol_log_64_, sol_log_compute_units_, sol_panic_, sol_set_return_data,
};

/// Custom program errors (`InstructionError::Custom(n)`).
const ERROR_ACCOUNTS: u64 = 1;
const ERROR_MESSAGE: u64 = 2;
const ERROR_NOT_FINISHED: u64 = 3;

/// The program's entrypoint. The probe takes no accounts; the instruction data is a
/// [`Message`]. Input layout (loader v2/v3 serialization with zero accounts):
/// `u64 0` (account count), `u64 len`, `len` bytes of instruction data, the program id.
///
/// # Safety
/// Called by the Solana runtime with a pointer to the serialized input.
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    if *(input as *const u64) != 0 {
        return ERROR_ACCOUNTS;
    }
    let len = *(input.add(8) as *const u64) as usize;
    let data = core::slice::from_raw_parts(input.add(16), len);
    let Ok(message) = Message::decode(data) else {
        return ERROR_MESSAGE;
    };
    let trace = message.flags & FLAG_TRACE_CU != 0;
    let mut checkpoint = || {
        if trace {
            sol_log_compute_units_();
        }
    };
    checkpoint();
    if message.flags & FLAG_BLS_MAP != 0 {
        let report = bls_map::run(message.calldata, &SyscallCrypto, &mut || {
            sol_log_compute_units_()
        });
        let bytes = report.to_bytes();
        sol_set_return_data(bytes.as_ptr(), bytes.len() as u64);
        return 0;
    }
    let mut report = if message.flags & FLAG_P256 != 0 {
        let Ok(input) = <&[u8; 160]>::try_from(message.calldata) else {
            return ERROR_MESSAGE;
        };
        let m = input[..32].try_into().expect("32 bytes");
        let sig = input[32..96].try_into().expect("64 bytes");
        let key = input[96..].try_into().expect("64 bytes");
        let valid = isthmus_evm::crypto::p256::verify(m, sig, key);
        checkpoint();
        Report {
            status: status::SKIPPED,
            detail: valid as u8,
            ..Report::default()
        }
    } else if message.flags & FLAG_P256_JOB != 0 {
        use isthmus_evm::precompiles::stepped::PrecompileJob;
        if message.calldata.len() != 162 {
            return ERROR_MESSAGE;
        }
        let (input, count) = message.calldata.split_at(160);
        let pieces = u16::from_le_bytes([count[0], count[1]]);
        let Ok(mut job) = isthmus_evm::precompiles::p256_job::P256Job::start(input) else {
            return ERROR_MESSAGE;
        };
        let mut detail = 0;
        for _ in 0..pieces {
            // A budget of one step: exactly one piece.
            if let Some(Ok(output)) = job.run(&mut 1) {
                detail = if output.is_empty() { 2 } else { 1 };
                break;
            }
        }
        checkpoint();
        Report {
            status: status::SKIPPED,
            detail,
            ..Report::default()
        }
    } else if message.flags & FLAG_SKIP_EVM != 0 {
        Report {
            status: status::SKIPPED,
            ..Report::default()
        }
    } else {
        probe::run(
            &message,
            &SyscallCrypto,
            trace.then_some(&mut checkpoint as &mut dyn FnMut()),
        )
    };
    let heap = &*(HEAP_START as *const HeapState);
    report.heap_high_water = heap.high.saturating_sub(HEAP_START) as u64;
    report.heap_peak_live = heap.peak_live as u64;

    // "Program log: 0x<status|detail>, 0x<gas used>, 0x<steps>, 0x<heap high water>, 0x<peak live>"
    sol_log_64_(
        ((report.status as u64) << 8) | report.detail as u64,
        report.gas_used,
        report.steps,
        report.heap_high_water,
        report.heap_peak_live,
    );
    let bytes = report.to_bytes();
    sol_set_return_data(bytes.as_ptr(), bytes.len() as u64);
    match report.status {
        status::SUCCESS | status::REVERT | status::HALT | status::SKIPPED => 0,
        _ => ERROR_NOT_FINISHED,
    }
}

// ---------------------------------------------------------------------------------------------
// Heap

/// The SBF heap region.
const HEAP_START: usize = 0x3_0000_0000;
/// The heap this program assumes: the transaction must request it with the compute-budget
/// `request_heap_frame(256 KiB)` instruction (the default frame is 32 KiB; touching memory past the
/// frame is an access violation, so a missing request shows up as a failed transaction).
const HEAP_LEN: usize = 256 * 1024;

/// Allocator bookkeeping, kept in the first bytes of the heap itself (SBF programs have no
/// writable statics). The heap is zeroed at the start of each instruction, so `top == 0` means
/// "not yet used".
#[repr(C)]
struct HeapState {
    /// Address of the first free byte.
    top: usize,
    /// Highest `top` ever reached.
    high: usize,
    /// Bytes allocated and not freed.
    live: usize,
    /// Highest `live` ever reached.
    peak_live: usize,
}

/// A bump allocator that gives back the most recent block when it is freed or grown (so a `Vec`
/// that grows last grows in place) and otherwise never reuses memory: cheap in compute units,
/// and its high-water mark is what the heap frame must hold.
struct BumpAllocator;

impl BumpAllocator {
    #[inline]
    unsafe fn state() -> &'static mut HeapState {
        let state = &mut *(HEAP_START as *mut HeapState);
        if state.top == 0 {
            state.top = HEAP_START + core::mem::size_of::<HeapState>();
            state.high = state.top;
        }
        state
    }
}

unsafe impl GlobalAlloc for BumpAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = Self::state();
        let start = (state.top + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else {
            return core::ptr::null_mut();
        };
        if end > HEAP_START + HEAP_LEN {
            return core::ptr::null_mut();
        }
        state.top = end;
        state.high = state.high.max(end);
        state.live += layout.size();
        state.peak_live = state.peak_live.max(state.live);
        start as *mut u8
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let state = Self::state();
        state.live -= layout.size();
        if ptr as usize + layout.size() == state.top {
            state.top = ptr as usize;
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let state = Self::state();
        let old_end = ptr as usize + layout.size();
        if old_end == state.top {
            // The last block: grow or shrink it where it is.
            let Some(end) = (ptr as usize).checked_add(new_size) else {
                return core::ptr::null_mut();
            };
            if end > HEAP_START + HEAP_LEN {
                return core::ptr::null_mut();
            }
            state.top = end;
            state.high = state.high.max(end);
            state.live = state.live - layout.size() + new_size;
            state.peak_live = state.peak_live.max(state.live);
            return ptr;
        }
        if new_size <= layout.size() {
            state.live -= layout.size() - new_size;
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size());
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: BumpAllocator = BumpAllocator;

// ---------------------------------------------------------------------------------------------
// Critical sections

/// The critical section portable-atomic needs for compare-and-swap on SBF (used by `bytes`, see
/// programs/evm/Cargo.toml). A program runs on one thread with no interrupts, so a critical
/// section has nothing to exclude: acquiring and releasing do nothing.
struct SingleThreaded;
critical_section::set_impl!(SingleThreaded);

unsafe impl critical_section::Impl for SingleThreaded {
    unsafe fn acquire() -> critical_section::RawRestoreState {}
    unsafe fn release(_restore: critical_section::RawRestoreState) {}
}

// ---------------------------------------------------------------------------------------------
// Panics

/// Reports the panic location (`sol_panic_` logs file, line and column) and aborts. The message
/// is not formatted: that would pull `core::fmt` into every build.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    unsafe {
        match info.location() {
            Some(location) => {
                let file = location.file();
                sol_panic_(
                    file.as_ptr(),
                    file.len() as u64,
                    location.line() as u64,
                    location.column() as u64,
                )
            }
            None => abort(),
        }
    }
}
