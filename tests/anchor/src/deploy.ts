// Deploys (or upgrades) a program through the upgradeable loader (loader v3) the way
// `solana program deploy` does, then calls Isthmus's `initialize` through the Anchor client.
//
// The same code runs over a validator's RPC (`RpcChain`: a web3.js Connection) and in-process
// (`SvmChain` in src/harness.ts: LiteSVM), behind the `Chain` interface below.
//
// Loader v3 instructions (solana-loader-v3-interface, `UpgradeableLoaderInstruction`, bincode:
// the variant as a u32 little-endian, then its fields; `usize` as u64):
//   0 InitializeBuffer                       buffer w, authority r
//   1 Write { offset: u32, bytes: Vec<u8> }  buffer w, authority s
//   2 DeployWithMaxDataLen { max_data_len }  payer ws, programdata w, program w, buffer w,
//                                            rent, clock, system program, authority s
//   3 Upgrade                                programdata w, program w, buffer w, spill w,
//                                            rent, clock, authority s
//   6 ExtendProgram { additional: u32 }     programdata w, program w, system program, payer ws
//   9 ExtendProgramChecked { additional: u32 }  programdata w, program w, authority s,
//                                            system program, payer ws (only where the feature
//                                            enable_extend_program_checked is active; removed
//                                            from agave in 2026, ExtendProgram is the one left)
// Account layouts (UpgradeableLoaderState, bincode): Buffer = u32 1, Option<Pubkey> (37 bytes
// of header); Program = u32 2, programdata Pubkey (36 bytes); ProgramData = u32 3, slot u64,
// Option<Pubkey> (45 bytes of header), then the ELF.
import * as anchor from "@coral-xyz/anchor";
import { BN, Idl, Program } from "@coral-xyz/anchor";
import {
  Connection,
  Keypair,
  PublicKey,
  SystemProgram,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  Transaction,
  TransactionExpiredBlockheightExceededError,
  TransactionInstruction,
} from "@solana/web3.js";

export const LOADER_V3 = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
export const BUFFER_HEADER = 37;
export const PROGRAM_SIZE = 36;
export const PROGRAMDATA_HEADER = 45;
/** SIMD-0431's smallest ExtendProgram, and the largest account. */
export const MIN_EXTEND = 10 * 1024;
export const MAX_PERMITTED_DATA_LENGTH = 10 * 1024 * 1024;
/** A Solana transaction's maximum size on the wire (PACKET_DATA_SIZE). */
export const PACKET_DATA_SIZE = 1232;

export interface RawAccount {
  lamports: bigint;
  owner: PublicKey;
  data: Buffer;
  executable: boolean;
}

/** What the deployment needs of a cluster. `send` signs with `signers` (the first pays the fee)
 * and returns once the transaction is confirmed, or throws with the cluster's error. */
export interface Chain {
  getAccount(key: PublicKey): Promise<RawAccount | null>;
  rentExempt(len: number): Promise<bigint>;
  send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string>;
  /** Sends independent transactions (buffer writes), possibly several at once. */
  sendAll(txs: { ixs: TransactionInstruction[]; signers: Keypair[] }[]): Promise<void>;
  /** An Anchor provider whose wallet is `payer`, for `initialize`. */
  provider(payer: Keypair): anchor.Provider;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const w = (pubkey: PublicKey, isSigner = false) => ({ pubkey, isSigner, isWritable: true });
const r = (pubkey: PublicKey, isSigner = false) => ({ pubkey, isSigner, isWritable: false });

export const programDataAddress = (program: PublicKey) =>
  PublicKey.findProgramAddressSync([program.toBuffer()], LOADER_V3)[0];

export const loaderIx = {
  initializeBuffer: (buffer: PublicKey, authority: PublicKey) =>
    new TransactionInstruction({ programId: LOADER_V3, keys: [w(buffer), r(authority)], data: u32(0) }),
  write: (buffer: PublicKey, authority: PublicKey, offset: number, bytes: Buffer) =>
    new TransactionInstruction({
      programId: LOADER_V3,
      keys: [w(buffer), r(authority, true)],
      data: Buffer.concat([u32(1), u32(offset), u64(bytes.length), bytes]),
    }),
  deployWithMaxDataLen: (payer: PublicKey, program: PublicKey, buffer: PublicKey, authority: PublicKey, maxDataLen: number) =>
    new TransactionInstruction({
      programId: LOADER_V3,
      keys: [
        w(payer, true),
        w(programDataAddress(program)),
        w(program),
        w(buffer),
        r(SYSVAR_RENT_PUBKEY),
        r(SYSVAR_CLOCK_PUBKEY),
        r(SystemProgram.programId),
        r(authority, true),
      ],
      data: Buffer.concat([u32(2), u64(maxDataLen)]),
    }),
  upgrade: (program: PublicKey, buffer: PublicKey, spill: PublicKey, authority: PublicKey) =>
    new TransactionInstruction({
      programId: LOADER_V3,
      keys: [
        w(programDataAddress(program)),
        w(program),
        w(buffer),
        w(spill),
        r(SYSVAR_RENT_PUBKEY),
        r(SYSVAR_CLOCK_PUBKEY),
        r(authority, true),
      ],
      data: u32(3),
    }),
  extendProgram: (program: PublicKey, payer: PublicKey, additional: number) =>
    new TransactionInstruction({
      programId: LOADER_V3,
      keys: [w(programDataAddress(program)), w(program), r(SystemProgram.programId), w(payer, true)],
      data: Buffer.concat([u32(6), u32(additional)]),
    }),
  extendProgramChecked: (program: PublicKey, authority: PublicKey, payer: PublicKey, additional: number) =>
    new TransactionInstruction({
      programId: LOADER_V3,
      keys: [w(programDataAddress(program)), w(program), r(authority, true), r(SystemProgram.programId), w(payer, true)],
      data: Buffer.concat([u32(9), u32(additional)]),
    }),
};

/** The upgrade authority named in a ProgramData account (null: immutable). */
export function programDataAuthority(data: Buffer): PublicKey | null {
  if (data.length < PROGRAMDATA_HEADER || data.readUInt32LE(0) !== 3) throw new Error("not a ProgramData account");
  return data[12] === 1 ? new PublicKey(data.subarray(13, 45)) : null;
}

/** The largest Write payload that keeps a transaction (payer = authority signing alone) within
 * PACKET_DATA_SIZE, measured on a serialized transaction as `solana program deploy` does. */
export function writeChunkSize(buffer: PublicKey, authority: PublicKey): number {
  const size = (n: number) => {
    const tx = new Transaction({ feePayer: authority, recentBlockhash: PublicKey.default.toBase58() });
    tx.add(loaderIx.write(buffer, authority, 0, Buffer.alloc(n)));
    try {
      return tx.serialize({ requireAllSignatures: false, verifySignatures: false }).length;
    } catch {
      return Infinity; // web3.js refuses to serialize more than PACKET_DATA_SIZE
    }
  };
  let n = PACKET_DATA_SIZE - size(0);
  while (size(n) > PACKET_DATA_SIZE) n--; // the instruction data's length prefix grows past 127 bytes
  return n;
}

export interface DeployOptions {
  /** Pays, signs and becomes (or must already be) the upgrade authority. */
  payer: Keypair;
  /** The program's keypair (signs only when the program is created). */
  programKeypair: Keypair;
  /** The ELF. */
  so: Buffer;
  /** ProgramData capacity for a new program (default: the ELF's length, as the CLI does). */
  maxDataLen?: number;
  /** Skip the client-side authority check before an upgrade (tests: let the loader refuse). */
  skipAuthorityCheck?: boolean;
  log?: (line: string) => void;
}

export interface Deployed {
  programId: PublicKey;
  programData: PublicKey;
  authority: PublicKey;
  action: "deployed" | "upgraded";
  buffer: PublicKey;
  writes: number;
}

/** Deploys `so` under `programKeypair`, or upgrades it when the program exists. */
export async function deployProgram(chain: Chain, o: DeployOptions): Promise<Deployed> {
  const log = o.log ?? (() => {});
  const payer = o.payer;
  const programId = o.programKeypair.publicKey;
  const programData = programDataAddress(programId);
  const existing = await chain.getAccount(programId);
  let upgrade = false;
  if (existing) {
    if (!existing.owner.equals(LOADER_V3) || existing.data.length < PROGRAM_SIZE || existing.data.readUInt32LE(0) !== 2) {
      throw new Error(`${programId.toBase58()} exists and is not a loader-v3 program (owner ${existing.owner.toBase58()})`);
    }
    upgrade = true;
    const pd = await chain.getAccount(programData);
    if (!pd) throw new Error(`program ${programId.toBase58()} has no ProgramData account ${programData.toBase58()}`);
    const authority = programDataAuthority(pd.data);
    if (!o.skipAuthorityCheck && (!authority || !authority.equals(payer.publicKey))) {
      throw new Error(
        `program ${programId.toBase58()} has upgrade authority ${authority?.toBase58() ?? "none (immutable)"}, ` +
          `not ${payer.publicKey.toBase58()}: refusing to upgrade`,
      );
    }
    // Grow ProgramData first when the new ELF does not fit (the CLI does the same).
    const capacity = pd.data.length - PROGRAMDATA_HEADER;
    if (o.so.length > capacity) {
      // SIMD-0431: at least 10 KiB at a time (or up to the 10 MiB maximum); older runtimes take any.
      const extra = Math.min(Math.max(o.so.length - capacity, MIN_EXTEND), MAX_PERMITTED_DATA_LENGTH - pd.data.length);
      log(`extending ProgramData by ${extra} bytes`);
      try {
        await chain.send([loaderIx.extendProgram(programId, payer.publicKey, extra)], [payer]);
      } catch (e) {
        // Runtimes with `enable_extend_program_checked` active refuse ExtendProgram
        // ("superseded by ExtendProgramChecked"); agave removed the checked one again in 2026.
        if (!/InvalidInstructionData|invalid instruction data/.test(String((e as any)?.message ?? e))) throw e;
        log("ExtendProgram refused as invalid: trying ExtendProgramChecked");
        await chain.send([loaderIx.extendProgramChecked(programId, payer.publicKey, payer.publicKey, extra)], [payer]);
      }
    }
  }

  // The buffer: created and initialized in one transaction (InitializeBuffer needs no signer).
  const buffer = Keypair.generate();
  const bufferLen = BUFFER_HEADER + o.so.length;
  log(`buffer ${buffer.publicKey.toBase58()} (${bufferLen} bytes)`);
  await chain.send(
    [
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: buffer.publicKey,
        lamports: Number(await chain.rentExempt(bufferLen)),
        space: bufferLen,
        programId: LOADER_V3,
      }),
      loaderIx.initializeBuffer(buffer.publicKey, payer.publicKey),
    ],
    [payer, buffer],
  );

  const chunk = writeChunkSize(buffer.publicKey, payer.publicKey);
  const writes: { ixs: TransactionInstruction[]; signers: Keypair[] }[] = [];
  for (let off = 0; off < o.so.length; off += chunk) {
    writes.push({ ixs: [loaderIx.write(buffer.publicKey, payer.publicKey, off, o.so.subarray(off, off + chunk))], signers: [payer] });
  }
  log(`writing ${o.so.length} bytes in ${writes.length} transactions of up to ${chunk} bytes`);
  await chain.sendAll(writes);
  const written = await chain.getAccount(buffer.publicKey);
  if (!written || !written.data.subarray(BUFFER_HEADER).equals(o.so)) throw new Error("the buffer does not hold the ELF after the writes");

  if (upgrade) {
    log(`upgrading ${programId.toBase58()}`);
    await chain.send([loaderIx.upgrade(programId, buffer.publicKey, payer.publicKey, payer.publicKey)], [payer]);
  } else {
    log(`deploying ${programId.toBase58()}`);
    await chain.send(
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: programId,
          lamports: Number(await chain.rentExempt(PROGRAM_SIZE)),
          space: PROGRAM_SIZE,
          programId: LOADER_V3,
        }),
        loaderIx.deployWithMaxDataLen(payer.publicKey, programId, buffer.publicKey, payer.publicKey, o.maxDataLen ?? o.so.length),
      ],
      [payer, o.programKeypair],
    );
  }
  const pd = await chain.getAccount(programData);
  if (!pd) throw new Error("no ProgramData after the deployment");
  const authority = programDataAuthority(pd.data);
  if (!authority) throw new Error("the program has no upgrade authority");
  return { programId, programData, authority, action: upgrade ? "upgraded" : "deployed", buffer: buffer.publicKey, writes: writes.length };
}

/** `initialize`'s arguments (defaults: chain id 1337, the payer as the only operator, the fee
 * market of programs/isthmus/README.md's tests: 12M CU a contract, 1 gwei, denominator 8). */
export interface InitOptions {
  chainId?: bigint;
  operators?: PublicKey[];
  contractComputeCap?: bigint;
  minBaseFee?: bigint;
  baseFeeChangeDenominator?: bigint;
  /** Senders pay their transactions' Solana costs as gas (rent of what they create, the
   * signature); a cluster deployment does by default, so operators never pay for users. */
  chargeSolanaCosts?: boolean;
}

/** The floor (wei a gas, 1 lamport = 1 gwei a gas) when none is given: 1 gwei, or 20 gwei on a
 * chain whose senders pay the rent of what they create as gas. At 1 gwei a new storage slot's
 * rent is 1.59M gas and a 24 KiB contract's code 172M, over EIP-7825's 16.7M cap; at 20 gwei
 * they are 80K and 8.6M, so every contract Ethereum accepts deploys. */
export function defaultMinBaseFee(chargeSolanaCosts: boolean): bigint {
  return chargeSolanaCosts ? 20_000_000_000n : 1_000_000_000n;
}

/** Calls `initialize` through the Anchor client when the Config PDA does not exist yet; returns
 * the Config address and whether it was created now. */
export async function initializeIfNeeded(
  chain: Chain,
  idl: Idl,
  programId: PublicKey,
  admin: Keypair,
  o: InitOptions = {},
): Promise<{ config: PublicKey; created: boolean; signature?: string }> {
  const charging = o.chargeSolanaCosts ?? true;
  const pda = (seed: string) => PublicKey.findProgramAddressSync([Buffer.from(seed)], programId)[0];
  const config = pda("config");
  if (await chain.getAccount(config)) return { config, created: false };
  const program: any = new Program({ ...idl, address: programId.toBase58() }, chain.provider(admin));
  // A validator runs a program deployed in slot N from slot N + 1 on ("Program is not
  // deployed" until then): retry for a few seconds.
  const initialize = (): Promise<string> => program.methods
    .initialize({
      chainId: new BN((o.chainId ?? 1337n).toString()),
      operators: o.operators ?? [admin.publicKey],
      feeMarket: {
        contractComputeCap: new BN((o.contractComputeCap ?? 12_000_000n).toString()),
        minBaseFee: new BN((o.minBaseFee ?? defaultMinBaseFee(charging)).toString()),
        baseFeeChangeDenominator: new BN((o.baseFeeChangeDenominator ?? 8n).toString()),
        chargeSolanaCosts: charging,
      },
      // A deployment to a cluster is never a development chain: no impersonated transactions.
      development: false,
      // Osaka (0 Cancun, 1 Prague, 2 Osaka): what Ethereum mainnet runs.
      fork: 2,
      // EIP-170's code size limit.
      codeSizeLimit: 0,
    })
    // Every account named, so a program id other than the IDL's (whose ProgramData seed is
    // fixed in the IDL) resolves too.
    .accountsPartial({
      admin: admin.publicKey,
      config,
      vault: pda("vault"),
      programData: programDataAddress(programId),
      systemProgram: SystemProgram.programId,
    })
    .signers([admin])
    .rpc();
  let signature = "";
  for (let attempt = 0; ; attempt++) {
    try {
      signature = await initialize();
      break;
    } catch (e) {
      if (attempt >= 50 || !String(e).includes("Program is not deployed")) throw e;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { config, created: true, signature };
}

/** A validator over JSON-RPC: confirms at `commitment`, re-signs with a fresh blockhash when one
 * expires, and keeps up to `concurrency` buffer writes in flight. */
export class RpcChain implements Chain {
  constructor(
    readonly connection: Connection,
    readonly commitment: "processed" | "confirmed" | "finalized" = "confirmed",
    readonly concurrency = 32,
    readonly attempts = 5,
  ) {}

  async getAccount(key: PublicKey): Promise<RawAccount | null> {
    const a = await this.connection.getAccountInfo(key, this.commitment);
    return a ? { lamports: BigInt(a.lamports), owner: a.owner, data: a.data, executable: a.executable } : null;
  }

  async rentExempt(len: number): Promise<bigint> {
    return BigInt(await this.connection.getMinimumBalanceForRentExemption(len, this.commitment));
  }

  async send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const { blockhash, lastValidBlockHeight } = await this.connection.getLatestBlockhash(this.commitment);
      const tx = new Transaction({ feePayer: signers[0].publicKey, blockhash, lastValidBlockHeight }).add(...ixs);
      tx.sign(...signers);
      const signature = await this.connection.sendRawTransaction(tx.serialize(), { preflightCommitment: this.commitment });
      try {
        const res = await this.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, this.commitment);
        if (res.value.err) {
          const full = await this.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
          throw new Error(`transaction ${signature} failed: ${JSON.stringify(res.value.err)}\n${(full?.meta?.logMessages ?? []).join("\n")}`);
        }
        return signature;
      } catch (e) {
        // An expired blockhash means the transaction can no longer land: sign it again.
        if (e instanceof TransactionExpiredBlockheightExceededError && attempt < this.attempts) continue;
        throw e;
      }
    }
  }

  async sendAll(txs: { ixs: TransactionInstruction[]; signers: Keypair[] }[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < txs.length) {
        const t = txs[next++];
        await this.send(t.ixs, t.signers);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, txs.length) }, worker));
  }

  provider(payer: Keypair): anchor.Provider {
    return new anchor.AnchorProvider(this.connection, new anchor.Wallet(payer), {
      commitment: this.commitment,
      preflightCommitment: this.commitment,
    });
  }
}
