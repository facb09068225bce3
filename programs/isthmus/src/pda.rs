//! Program-derived addresses for accounts whose seeds come from instruction data or account
//! contents (Anchor's `seeds = [...]` covers the fixed ones): re-deriving from a stored bump to
//! validate an account, and finding the canonical bump (`find_program_address`'s) only for an
//! account that does not exist yet.
//!
//! Re-deriving is one `sol_sha256` of the seeds, the bump, the program id and Solana's PDA marker
//! (~150 CU), not `create_program_address` (1,500 CU, the same hash plus a check that the result
//! is off the ed25519 curve). The check is not needed to validate an existing account: its key
//! equals the hash, and an account whose key is an on-curve hash could only have been made by
//! whoever holds that point's private key, which no one can find for a hash; and every account of
//! this program was created by this program at a bump `find_program_address` chose. A read of a
//! dozen accounts saves ~15,000 CU (`solana_address::Address::derive_address` does the same).
//!
//! Both are syscalls: host builds (the IDL, unit tests) never run this code and panic if they do.

use alloc::vec::Vec;
use anchor_lang::pinocchio::cpi::{Seed, Signer};
use anchor_lang::pinocchio::sysvars::{rent::Rent, Sysvar};
use anchor_lang::pinocchio::{AccountView, Address, Resize};
use anchor_lang::prelude::*;

/// Solana's marker at the end of a PDA's hashed seeds.
#[cfg(target_arch = "bpf")]
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";

/// The address of `seeds` (bump included) under `program_id`, to compare with an existing
/// account's key (see the module documentation for why no curve check).
#[cfg(target_arch = "bpf")]
pub fn create(seeds: &[&[u8]], program_id: &Address) -> Option<Address> {
    let mut parts: [&[u8]; 8] = [&[]; 8];
    if seeds.len() > parts.len() - 2 {
        return None;
    }
    parts[..seeds.len()].copy_from_slice(seeds);
    parts[seeds.len()] = program_id.as_ref();
    parts[seeds.len() + 1] = PDA_MARKER;
    Some(Address::new_from_array(isthmus_syscalls::sha256_parts(
        &parts[..seeds.len() + 2],
    )))
}

/// The canonical address and bump of `seeds`: the highest bump whose hash is off the curve, as
/// `find_program_address` finds it, with one sha256 and one curve check (~310 CU) a bump tried
/// instead of its 1,500 CU a bump.
#[cfg(target_arch = "bpf")]
pub fn find(seeds: &[&[u8]], program_id: &Address) -> (Address, u8) {
    for bump in (0..=u8::MAX).rev() {
        let mut with_bump: [&[u8]; 6] = [&[]; 6];
        if seeds.len() >= with_bump.len() {
            break;
        }
        with_bump[..seeds.len()].copy_from_slice(seeds);
        let bump_seed = [bump];
        with_bump[seeds.len()] = &bump_seed;
        if let Some(address) = create(&with_bump[..=seeds.len()], program_id) {
            if !isthmus_syscalls::is_on_ed25519(address.as_array()) {
                return (address, bump);
            }
        }
    }
    // No bump off the curve (a chance of 2^-256), or more seeds than this program uses.
    Address::find_program_address(seeds, program_id)
}

#[cfg(not(target_arch = "bpf"))]
pub fn create(_seeds: &[&[u8]], _program_id: &Address) -> Option<Address> {
    unimplemented!("PDA derivation is a syscall")
}

#[cfg(not(target_arch = "bpf"))]
pub fn find(_seeds: &[&[u8]], _program_id: &Address) -> (Address, u8) {
    unimplemented!("PDA derivation is a syscall")
}

/// Creates `to` as a `space`-byte account of this program at the PDA of `seeds` + `bump`, rent paid
/// by `payer`. Lamports someone sent to the address beforehand do not block it (a griefer could
/// otherwise stop an address from ever getting its account): then it is topped up, allocated and
/// assigned instead. Returns the account's rent as a transaction's Solana costs count it
/// ([`isthmus_interface::solana_costs::rent_exempt`]).
pub fn create_account(
    program_id: &Address,
    payer: &AccountView,
    to: &AccountView,
    space: usize,
    seeds: &[&[u8]],
    bump: u8,
) -> Result<u64> {
    let rent = Rent::get()?.try_minimum_balance(space)?;
    let bump = [bump];
    let mut signer_seeds: Vec<Seed> = seeds.iter().map(|s| Seed::from(*s)).collect();
    signer_seeds.push(Seed::from(&bump));
    let signer = Signer::from(&signer_seeds[..]);
    if to.lamports() == 0 {
        pinocchio_system::instructions::CreateAccount {
            from: payer,
            to,
            lamports: rent,
            space: space as u64,
            owner: program_id,
        }
        .invoke_signed(&[signer])?;
    } else {
        let top_up = rent.saturating_sub(to.lamports());
        if top_up > 0 {
            pinocchio_system::instructions::Transfer {
                from: payer,
                to,
                lamports: top_up,
            }
            .invoke()?;
        }
        pinocchio_system::instructions::Allocate {
            account: to,
            space: space as u64,
        }
        .invoke_signed(core::slice::from_ref(&signer))?;
        pinocchio_system::instructions::Assign {
            account: to,
            owner: program_id,
        }
        .invoke_signed(&[signer])?;
    }
    Ok(isthmus_interface::solana_costs::rent_exempt(space))
}

/// Resizes `view`, an account this program owns, to `len` bytes, `payer` topping up its rent when
/// it grows (a shrunk account keeps its lamports). Solana lets one instruction grow an account by
/// at most 10 KiB. Returns the rent the growth adds ([`isthmus_interface::solana_costs`]).
pub fn resize_account(view: &mut AccountView, payer: &AccountView, len: usize) -> Result<u64> {
    let growth = isthmus_interface::solana_costs::rent_growth(view.data_len(), len);
    let rent = Rent::get()?.try_minimum_balance(len)?;
    if rent > view.lamports() {
        pinocchio_system::instructions::Transfer {
            from: payer,
            to: view,
            lamports: rent - view.lamports(),
        }
        .invoke()?;
    }
    view.resize(len)?;
    Ok(growth)
}

/// Closes `view`, an account of this program at the PDA of `seeds` + `bump`, its lamports to
/// `recipient`: emptied and handed to the system program, then emptied of lamports by a system
/// transfer it signs for. (Moving the lamports directly, as `holder_delete` does, unbalances an
/// instruction that has made a system-program CPI before.)
pub fn close_account(
    view: &mut AccountView,
    recipient: &AccountView,
    seeds: &[&[u8]],
    bump: u8,
) -> Result<()> {
    let lamports = view.lamports();
    view.resize(0)?;
    // SAFETY: no borrow of the account's data or owner is alive (the caller dropped them).
    unsafe { view.assign(&anchor_lang::system_program::ID) };
    let bump = [bump];
    let mut signer_seeds: Vec<Seed> = seeds.iter().map(|s| Seed::from(*s)).collect();
    signer_seeds.push(Seed::from(&bump));
    pinocchio_system::instructions::Transfer {
        from: view,
        to: recipient,
        lamports,
    }
    .invoke_signed(&[Signer::from(&signer_seeds[..])])?;
    Ok(())
}
