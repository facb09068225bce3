//! `initialize`: creates the config (`["config"]`), the vault (`["vault"]`) and the blockhash
//! registry (`["blockhashes"]`, which executions read and only its crank writes).
//!
//! Once only: both accounts are `init`, so a second call fails when the system program refuses to
//! allocate an account that already exists. Only the program's upgrade authority may call it (it
//! becomes the admin), so nobody can take over a freshly deployed program by initializing it
//! first; the program must therefore be deployed with the upgradeable loader (v3) and an
//! authority.

use crate::error::IsthmusError;
use crate::events::Initialized;
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::prelude::*;

/// The upgradeable BPF loader (loader v3), owner of every program's ProgramData account.
pub const LOADER_V3: Address = anchor_lang::address!("BPFLoaderUpgradeab1e11111111111111111111111");

/// `initialize`'s argument.
#[derive(Clone, Debug, AnchorSerialize, AnchorDeserialize, IdlType)]
pub struct InitializeArgs {
    /// EIP-155 chain id; not zero.
    pub chain_id: u64,
    /// 1 to [`MAX_OPERATORS`] distinct operator keys.
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
    /// A development chain (rpc-proxy's embedded one): transactions impersonating any sender
    /// run (anvil's `impersonateAccount`). Fixed here for good; never for a cluster deployment.
    pub development: bool,
    /// The Ethereum fork the chain runs (0 Cancun, 1 Prague, 2 Osaka; rpc-proxy and
    /// `scripts/deploy-local.sh` pick Osaka, what Ethereum mainnet runs).
    pub fork: u8,
    /// The largest code a creation may deploy (0: EIP-170's 24,576 bytes; at most
    /// [`MAX_CODE_SIZE_LIMIT`]): development chains raise it for test contracts, as anvil's
    /// `--code-size-limit` does.
    pub code_size_limit: u32,
}

#[derive(Accounts)]
pub struct Initialize {
    /// The program's upgrade authority; pays for the accounts and becomes the admin.
    #[account(mut)]
    pub admin: Signer,
    #[account(init, payer = admin, seeds = [b"config"], bump)]
    pub config: Account<Config>,
    #[account(init, payer = admin, seeds = [b"vault"], bump)]
    pub vault: Account<Vault>,
    #[account(init, payer = admin, seeds = [b"blockhashes"], bump)]
    pub blockhashes: Account<BlockhashRegistry>,
    /// This program's ProgramData account (loader v3), which names its upgrade authority.
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = LOADER_V3,
        owner = LOADER_V3 @ IsthmusError::BadProgramData
    )]
    pub program_data: UncheckedAccount,
    pub system_program: Program<System>,
}

/// Loader v3's `UpgradeableLoaderState::ProgramData` header (bincode): `u32` variant tag 3,
/// `u64` deployment slot, `Option<Pubkey>` upgrade authority (`u8` tag, then 32 bytes).
const PROGRAM_DATA_TAG: u32 = 3;
const AUTHORITY_OFFSET: usize = 4 + 8;

/// The upgrade authority named by ProgramData account `data`, if it is one and has one.
pub fn upgrade_authority(data: &[u8]) -> core::result::Result<Option<Address>, IsthmusError> {
    let header = data
        .get(..AUTHORITY_OFFSET + 1 + 32)
        .ok_or(IsthmusError::BadProgramData)?;
    if u32::from_le_bytes(header[..4].try_into().unwrap()) != PROGRAM_DATA_TAG {
        return Err(IsthmusError::BadProgramData);
    }
    match header[AUTHORITY_OFFSET] {
        0 => Ok(None),
        1 => {
            let key: [u8; 32] = header[AUTHORITY_OFFSET + 1..].try_into().unwrap();
            Ok(Some(Address::new_from_array(key)))
        }
        _ => Err(IsthmusError::BadProgramData),
    }
}

impl Initialize {
    pub fn initialize(&mut self, args: InitializeArgs, bumps: &InitializeBumps) -> Result<()> {
        let authority = {
            let data = self.program_data.account().try_borrow()?;
            upgrade_authority(&data)?
        };
        require!(
            authority.as_ref() == Some(self.admin.address()),
            IsthmusError::NotUpgradeAuthority
        );
        require!(args.chain_id != 0, IsthmusError::ZeroChainId);
        check_operators(&args.operators)?;
        require!(args.fee_market.is_valid(), IsthmusError::BadFeeMarket);
        require!(
            isthmus_interface::block::fork_from_byte(args.fork).is_some(),
            IsthmusError::UnknownFork
        );
        require!(
            args.code_size_limit <= isthmus_interface::account::config::MAX_CODE_SIZE_LIMIT,
            IsthmusError::BadCodeSizeLimit
        );

        let config = &mut self.config;
        config.admin = *self.admin.address();
        config.chain_id = args.chain_id.into();
        config.operators.set_from_slice(&args.operators);
        config.set_fee_market(&args.fee_market);
        config.bump = bumps.config;
        config.vault_bump = bumps.vault;
        config.development = args.development as u8;
        config.fork = args.fork;
        config.code_size_limit = args.code_size_limit.into();
        self.vault.bump = bumps.vault;
        self.blockhashes.bump = bumps.blockhashes;

        emit!(Initialized {
            admin: *self.admin.address(),
            chain_id: args.chain_id,
        });
        Ok(())
    }
}
