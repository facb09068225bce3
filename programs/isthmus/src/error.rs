//! The program's errors: `InstructionError::Custom(6000 + n)`, in declaration order (Anchor's
//! numbering). The list (names, messages, order) is `isthmus_interface::for_each_error!`, stated
//! once for the program and every client; here it becomes the Anchor enum, so the IDL has it.
//! Constraint failures Anchor checks itself (owner, signer, seeds, writability, account type)
//! come back as Anchor's own codes; see the README's error table.

use anchor_lang::prelude::*;

macro_rules! anchor_error_enum {
    ($($name:ident = $message:tt,)*) => {
        #[error_code]
        pub enum IsthmusError {
            $(#[msg($message)] $name,)*
        }

        impl IsthmusError {
            /// Every error, in code order.
            pub const ALL: &'static [IsthmusError] = &[$(IsthmusError::$name,)*];
        }
    };
}

isthmus_interface::for_each_error!(anchor_error_enum);

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_interface::ProgramError;

    #[test]
    fn the_anchor_enum_is_the_interface_list() {
        // Names and messages come from the same list (and reach the IDL, which
        // `scripts/build-idl.sh --check` compares); the codes Anchor gives must be the interface's.
        assert_eq!(IsthmusError::ALL.len(), ProgramError::ALL.len());
        for (e, interface) in IsthmusError::ALL.iter().zip(ProgramError::ALL) {
            assert_eq!(Error::from(*e), Error::Custom(interface.code()));
        }
    }
}
