//! Isthmus: an EVM that runs inside a Solana program.
//!
//! This crate is the on-chain program (Anchor 2, `no_std` on SBF). Accounts are declared in
//! [`state`], instructions in [`instructions`] (one file each, its accounts struct beside its
//! handler), errors in [`error`], events in [`events`]. Built to `target/deploy/isthmus.so` by
//! `scripts/build-program.sh`.

#![cfg_attr(target_arch = "bpf", no_std)]

extern crate alloc;

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

use anchor_lang::prelude::*;

pub mod allocator;
pub mod blockhashes;
pub mod error;
pub mod events;
pub mod execution;
pub mod fee_market;
pub mod host;
pub mod instructions;
#[cfg(test)]
mod interface_check;
pub mod pda;
pub mod state;

use instructions::*;

declare_id!("BFk33YFp3PLZJdVfpvFTU7dmuvdNudnfADhVkniCC9cn");

// `#[program]` installs pinocchio's bump allocator and a std-style panic hook; a `no_std` SBF
// build also needs a `#[panic_handler]`.
#[cfg(not(feature = "no-entrypoint"))]
anchor_lang::pinocchio::nostd_panic_handler!();

#[program]
pub mod isthmus {
    use super::*;

    /// Creates the config and the vault. Once only; signed by the program's upgrade authority,
    /// who becomes the admin.
    pub fn initialize(ctx: &mut Context<Initialize>, args: InitializeArgs) -> Result<()> {
        ctx.accounts.initialize(args, &ctx.bumps)
    }

    /// Moves `lamports` from the signer into the vault and credits `lamports * 10^9` wei to the
    /// Ethereum `address`, creating its account on the first deposit.
    pub fn deposit(ctx: &mut Context<Deposit>, address: [u8; 20], lamports: u64) -> Result<()> {
        ctx.accounts.deposit(address, lamports, &ctx.bumps)
    }

    /// Runs one signed Ethereum transaction (`raw_tx`, the EIP-2718 envelope wallets sign) to
    /// completion, relayed by an operator; the accounts it touches come as remaining accounts.
    pub fn execute(ctx: &mut Context<Execute>, raw_tx: &[u8]) -> Result<()> {
        let remaining = ctx.remaining_accounts()?;
        let program_id = ctx.program_id;
        ctx.accounts.execute(program_id, remaining, raw_tx)
    }

    /// Refreshes the blockhash registry from the SlotHashes sysvar (creating it on first use,
    /// paid by the signer). Permissionless.
    pub fn crank_blockhashes(ctx: &mut Context<CrankBlockhashes>) -> Result<()> {
        ctx.accounts.crank(&ctx.bumps)
    }

    /// Links the signing Solana wallet to the Ethereum `address` that signed (EIP-191
    /// personal_sign) the link message naming this chain, this program and the wallet.
    pub fn link_wallet(
        ctx: &mut Context<LinkWallet>,
        address: [u8; 20],
        signature: [u8; 65],
    ) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts
            .link(program_id, address, signature, &ctx.bumps)
    }

    /// Pays `lamports` from the vault to a linked wallet, debiting `lamports * 10^9` wei from its
    /// Ethereum address.
    pub fn withdraw(ctx: &mut Context<Withdraw>, lamports: u64) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts.withdraw(program_id, lamports)
    }

    /// Creates the operator's holder number `index` with `size` bytes (at most 10 KiB).
    pub fn holder_create(ctx: &mut Context<HolderCreate>, index: u64, size: u32) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts.holder_create(program_id, index, size)
    }

    /// Grows a holder (at most 10 KiB at a time) or shrinks an idle one to `size` bytes.
    pub fn holder_resize(ctx: &mut Context<HolderResize>, size: u32) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts.holder_resize(program_id, size)
    }

    /// Writes `data` at `offset` of the raw transaction in an idle holder.
    pub fn holder_write(ctx: &mut Context<HolderWrite>, offset: u32, data: &[u8]) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts.holder_write(program_id, offset, data)
    }

    /// Closes an idle holder; its rent returns to the operator.
    pub fn holder_delete(ctx: &mut Context<HolderDelete>) -> Result<()> {
        let program_id = ctx.program_id;
        ctx.accounts.holder_delete(program_id)
    }

    /// Runs the transaction in the holder to completion in this instruction, like `execute`.
    pub fn execute_from_holder(ctx: &mut Context<ExecuteFromHolder>) -> Result<()> {
        let remaining = ctx.remaining_accounts()?;
        let program_id = ctx.program_id;
        ctx.accounts.execute_from_holder(program_id, remaining)
    }

    /// Begins, continues or finishes the transaction in the holder, running at most `max_steps`
    /// opcodes (0: no limit but the heap and the holder), which the operator picks to fit the
    /// compute budget.
    pub fn step(ctx: &mut Context<Step>, max_steps: u64) -> Result<()> {
        let remaining = ctx.remaining_accounts()?;
        let program_id = ctx.program_id;
        ctx.accounts.step(program_id, remaining, max_steps)
    }

    /// The admin replaces the operators and the fee market's parameters.
    pub fn update_config(ctx: &mut Context<UpdateConfig>, args: UpdateConfigArgs) -> Result<()> {
        ctx.accounts.update_config(args)
    }

    /// Gives up the iterative transaction in the holder, charging the gas spent so far.
    pub fn cancel(ctx: &mut Context<Cancel>) -> Result<()> {
        let remaining = ctx.remaining_accounts()?;
        let program_id = ctx.program_id;
        ctx.accounts.cancel(program_id, remaining)
    }
}
