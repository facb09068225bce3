//! Shorthands for the checks every opcode handler makes: stack depth, gas, memory.

/// Pops words (top first) into the named locals, or halts with a stack underflow.
macro_rules! pop {
    ($it:expr; $($x:ident),+) => {
        let Some([$($x),+]) = $it.stack.popn() else {
            return $it.halt($crate::result::HaltReason::StackUnderflow);
        };
    };
}

/// Pops words into locals and binds `$top` to the new top of the stack, for in-place results.
macro_rules! pop_top {
    ($it:expr; $($x:ident),* ; $top:ident) => {
        let Some(([$($x),*], $top)) = $it.stack.popn_top() else {
            return $it.halt($crate::result::HaltReason::StackUnderflow);
        };
    };
}

/// Pushes a word, or halts with a stack overflow.
macro_rules! push {
    ($it:expr, $value:expr) => {
        if !$it.stack.push($value) {
            return $it.halt($crate::result::HaltReason::StackOverflow);
        }
    };
}

/// Charges gas, or halts out of gas.
macro_rules! gas {
    ($it:expr, $cost:expr) => {
        if !$it.gas.charge($cost) {
            return $it.halt($crate::result::HaltReason::OutOfGas);
        }
    };
}

/// Pays for a memory range given as stack words; evaluates to `(offset, len)` as `usize`.
macro_rules! memory_range {
    ($it:expr, $offset:expr, $len:expr) => {
        match $it.memory_range(&$offset, &$len) {
            Some(range) => range,
            None => return $it.halt($crate::result::HaltReason::OutOfGas),
        }
    };
}

/// Unwraps a host answer, or ends the transaction with the host's error.
macro_rules! host {
    ($it:expr, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return $it.fatal(error),
        }
    };
}

/// Halts if the frame is static (a state change in STATICCALL).
macro_rules! require_non_static {
    ($it:expr) => {
        if $it.frame.is_static {
            return $it.halt($crate::result::HaltReason::StaticStateChange);
        }
    };
}
