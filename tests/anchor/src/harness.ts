// An in-process Solana (LiteSVM, npm `litesvm`) with target/deploy/isthmus.so loaded under the
// upgradeable loader, and an Anchor `Program` over idl/isthmus.json whose provider sends to it.
// No validator, no RPC: the provider signs web3.js transactions and hands their bytes to LiteSVM.
import * as anchor from "@coral-xyz/anchor";
import { BN, Program, Idl } from "@coral-xyz/anchor";
import {
  AccountInfo,
  ComputeBudgetProgram,
  Keypair,
  PublicKey,
  Signer,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";
import { getTransactionDecoder, address as kitAddress, lamports as kitLamports } from "@solana/kit";
import { FeatureSet, LiteSVM, FailedTransactionMetadata, TransactionMetadata } from "litesvm";
import { keccak256 } from "ethers";
import * as fs from "fs";
import * as path from "path";
import { Chain, RawAccount } from "./deploy";

export const ROOT = path.resolve(__dirname, "../../..");
export const IDL: Idl = JSON.parse(fs.readFileSync(path.join(ROOT, "idl/isthmus.json"), "utf8"));
export const SO = process.env.ISTHMUS_SO ?? path.join(ROOT, "target/deploy/isthmus.so");
export const PROGRAM_ID = new PublicKey(IDL.address);
export const LOADER_V3 = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
export const SLOT_HASHES = new PublicKey("SysvarS1otHashes111111111111111111111111111");
/** `sol_remaining_compute_units` (SIMD-0049): the fee market and `step` measure compute with it. */
export const REMAINING_COMPUTE_UNITS = new PublicKey("5TuppMutoyzhUSfuYdhgzD47F92GL1g89KpCZQKqedxP");
export const WEI_PER_LAMPORT = 1_000_000_000n;

export const pda = (seeds: (Buffer | Uint8Array)[]) =>
  PublicKey.findProgramAddressSync(seeds.map((s) => Buffer.from(s)), PROGRAM_ID)[0];
export const configPda = () => pda([Buffer.from("config")]);
export const vaultPda = () => pda([Buffer.from("vault")]);
export const blockhashesPda = () => pda([Buffer.from("blockhashes")]);
export const accountPda = (addr: Uint8Array) => pda([Buffer.from("account"), addr]);
export const codePda = (addr: Uint8Array) => pda([Buffer.from("code"), addr]);
export const storagePda = (addr: Uint8Array, slot: bigint) =>
  pda([Buffer.from("storage"), addr, Buffer.from(slot.toString(16).padStart(64, "0"), "hex")]);
export const feePda = (addr: Uint8Array) => pda([Buffer.from("fee"), addr]);
export const reversePda = (wallet: PublicKey) => pda([Buffer.from("reverse"), wallet.toBuffer()]);
export const holderPda = (operator: PublicKey, index: bigint) => {
  const i = Buffer.alloc(8);
  i.writeBigUInt64LE(index);
  return pda([Buffer.from("holder"), operator.toBuffer(), i]);
};
export const programDataAddress = () =>
  PublicKey.findProgramAddressSync([PROGRAM_ID.toBuffer()], LOADER_V3)[0];

export const hex = (b: Uint8Array) => "0x" + Buffer.from(b).toString("hex");
export const bytes = (h: string) => Buffer.from(h.replace(/^0x/, ""), "hex");
/** An operator's Ethereum address (its COINBASE): keccak256(Solana key)[12..]. */
export const operatorEthAddress = (key: PublicKey) => bytes(keccak256(key.toBuffer())).subarray(12);

/** The compute-budget instructions every executing instruction needs: the 256 KiB heap frame the
 * program's allocator assumes, and 1.4M CU. */
export const budget = () => [
  ComputeBudgetProgram.requestHeapFrame({ bytes: 256 * 1024 }),
  ComputeBudgetProgram.setComputeUnitLimit({ units: 1_400_000 }),
];

/** A transaction LiteSVM refused, with its logs. `code` is the custom error code, `name` the
 * instruction error's name otherwise (e.g. "InvalidSeeds", "MissingRequiredSignature"). */
export class SvmError extends Error {
  constructor(
    public readonly detail: string,
    public readonly logs: string[],
    public readonly code: number | undefined,
    public readonly name_: string,
  ) {
    super(`transaction failed: ${detail}\n${logs.join("\n")}`);
  }
}

export interface Sent {
  signature: string;
  logs: string[];
  /** Compute units of the whole transaction (compute-budget instructions included). */
  cu: bigint;
  /** Compute units of this program's top-level instructions, from their "consumed" log lines. */
  programCu: number;
}

export function programCu(logs: string[]): number {
  const prefix = `Program ${PROGRAM_ID.toBase58()} consumed `;
  return logs
    .filter((l) => l.startsWith(prefix))
    .map((l) => parseInt(l.slice(prefix.length).split(" ")[0], 10))
    .reduce((a, b) => a + b, 0);
}

function describeError(failed: FailedTransactionMetadata): { detail: string; code?: number; name: string } {
  const detail = failed.toString();
  const err: any = failed.err();
  let code: number | undefined;
  let name = detail;
  if (err && typeof err.err === "function") {
    const inner: any = err.err();
    if (inner && typeof inner.code === "number") code = inner.code;
  }
  // toString() of the metadata names the error, e.g. "InstructionError(2, InvalidSeeds)" or
  // "InstructionError(2, Custom(6009))".
  const m = detail.match(/InstructionError\(\s*\d+,\s*([A-Za-z]+)/);
  if (m) name = m[1];
  if (code === undefined) {
    const c = detail.match(/Custom\((\d+)\)/);
    if (c) code = parseInt(c[1], 10);
  }
  return { detail, code, name };
}

/** The part of `Connection` that Anchor's `Program` uses, answered from LiteSVM. */
class SvmConnection {
  constructor(private readonly svm: LiteSVM) {}
  private info(key: PublicKey): AccountInfo<Buffer> | null {
    const a = this.svm.getAccount(kitAddress(key.toBase58()));
    if (!a.exists) return null;
    return {
      data: Buffer.from(a.data),
      executable: a.executable,
      lamports: Number(a.lamports),
      owner: new PublicKey(a.programAddress),
      rentEpoch: 0,
    };
  }
  async getAccountInfo(key: PublicKey) {
    return this.info(key);
  }
  async getAccountInfoAndContext(key: PublicKey) {
    return { context: { slot: Number(this.svm.getClock().slot) }, value: this.info(key) };
  }
  async getMultipleAccountsInfo(keys: PublicKey[]) {
    return keys.map((k) => this.info(k));
  }
  async getMultipleAccountsInfoAndContext(keys: PublicKey[]) {
    return { context: { slot: Number(this.svm.getClock().slot) }, value: keys.map((k) => this.info(k)) };
  }
  async getLatestBlockhash() {
    return { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: 0 };
  }
  async getMinimumBalanceForRentExemption(len: number) {
    return Number(this.svm.minimumBalanceForRentExemption(BigInt(len)));
  }
}

/** An Anchor provider that sends to LiteSVM: `.rpc()` of the methods builder lands here. */
export class SvmProvider implements anchor.Provider {
  readonly connection: any;
  readonly publicKey: PublicKey;
  /** The last transaction sent (successful or not), and the last refusal. */
  last?: Sent;
  lastError?: SvmError;
  constructor(readonly svm: LiteSVM, readonly wallet: anchor.Wallet) {
    this.connection = new SvmConnection(svm);
    this.publicKey = wallet.publicKey;
  }

  async sendAndConfirm(tx: Transaction | VersionedTransaction, signers?: Signer[]): Promise<string> {
    return this.sendSync(tx as Transaction, signers ?? []).signature;
  }

  /** Signs (payer: the provider's wallet) and sends; throws [`SvmError`] when refused. */
  sendSync(tx: Transaction, signers: Signer[]): Sent {
    // A fresh blockhash each time: identical transactions are not refused as duplicates.
    this.svm.expireBlockhash();
    tx.feePayer = tx.feePayer ?? this.wallet.publicKey;
    tx.recentBlockhash = this.svm.latestBlockhash();
    const all = [this.wallet.payer, ...signers].filter(
      (s, i, a) => a.findIndex((t) => t.publicKey.equals(s.publicKey)) === i,
    );
    tx.sign(...all);
    const wire = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    const result = this.svm.sendTransaction(getTransactionDecoder().decode(wire) as any);
    if (result instanceof FailedTransactionMetadata) {
      const logs = result.meta().logs();
      const { detail, code, name } = describeError(result);
      this.last = { signature: "", logs, cu: result.meta().computeUnitsConsumed(), programCu: programCu(logs) };
      this.lastError = new SvmError(detail, logs, code, name);
      throw this.lastError;
    }
    const meta = result as TransactionMetadata;
    const logs = meta.logs();
    this.last = {
      signature: anchor.utils.bytes.bs58.encode(Buffer.from(meta.signature())),
      logs,
      cu: meta.computeUnitsConsumed(),
      programCu: programCu(logs),
    };
    return this.last;
  }
}

/** `initialize`'s arguments other than the operators (defaults: chain id 1337, the default market). */
export interface Options {
  chainId?: number;
  contractComputeCap?: number;
  minBaseFee?: bigint;
}

/** LiteSVM's standard set-up, with every feature active (so `sol_remaining_compute_units`,
 * which mainnet-beta lacks and the fee market needs: programs/isthmus/README.md), without the
 * Isthmus program. */
export function newSvm(): LiteSVM {
  const features = FeatureSet.allEnabled();
  if (!features.isActive(REMAINING_COMPUTE_UNITS.toBytes())) throw new Error("feature missing");
  return LiteSVM.default()
    .withFeatureSet(features)
    .withBuiltins()
    .withLamports(1_000_000_000_000_000_000n)
    .withSysvars()
    .withDefaultPrograms()
    .withSigverify(true)
    .withBlockhashCheck(true);
}

/** A fresh SVM with the program, its upgrade authority (`admin`) and an Anchor `Program`. */
export class Harness {
  readonly svm: LiteSVM;
  readonly admin: Keypair;
  readonly payer = Keypair.generate();
  readonly provider: SvmProvider;
  // Untyped: the IDL is loaded at run time (no generated TypeScript type).
  readonly program: any; // an anchor `Program`; its namespaces (methods, account) come from the IDL
  readonly events: anchor.EventParser;

  /** `svm`: an SVM where the program is already deployed with `admin` as its upgrade authority
   * (e.g. by src/deploy.ts); without it, a fresh one with target/deploy/isthmus.so loaded. */
  constructor(opts: { svm?: LiteSVM; admin?: Keypair } = {}) {
    this.admin = opts.admin ?? Keypair.generate();
    if (opts.svm) {
      this.svm = opts.svm;
    } else {
      this.svm = newSvm();
      if (!fs.existsSync(SO)) throw new Error(`${SO} missing: build it with scripts/build-program.sh`);
      this.svm.addProgramFromFile(kitAddress(PROGRAM_ID.toBase58()), SO);
      // LiteSVM deploys without an upgrade authority; `initialize` accepts only that authority:
      // name `admin` in the ProgramData header (u32 tag 3, u64 slot, Option<Pubkey> at byte 12).
      const pd = this.svm.getAccount(kitAddress(programDataAddress().toBase58()));
      if (!pd.exists) throw new Error("no ProgramData account");
      const data = Buffer.from(pd.data);
      data[12] = 1;
      this.admin.publicKey.toBuffer().copy(data, 13);
      this.svm.setAccount({ ...pd, data });
    }
    this.airdrop(this.admin.publicKey, 100_000_000_000n);
    this.airdrop(this.payer.publicKey, 100_000_000_000n);
    this.provider = new SvmProvider(this.svm, new anchor.Wallet(this.payer));
    this.program = new Program(IDL, this.provider);
    this.events = new anchor.EventParser(PROGRAM_ID, this.program.coder);
  }

  airdrop(key: PublicKey, lamports: bigint) {
    const r = this.svm.airdrop(kitAddress(key.toBase58()), kitLamports(lamports));
    if (r instanceof FailedTransactionMetadata) throw new Error(`airdrop: ${r.toString()}`);
  }

  wallet(lamports = 10_000_000_000n): Keypair {
    const k = Keypair.generate();
    this.airdrop(k.publicKey, lamports);
    return k;
  }

  lamports(key: PublicKey): bigint {
    return BigInt(this.svm.getBalance(kitAddress(key.toBase58())) ?? 0n);
  }

  exists(key: PublicKey): boolean {
    return this.svm.getAccount(kitAddress(key.toBase58())).exists;
  }

  rawAccount(key: PublicKey): Buffer | null {
    const a = this.svm.getAccount(kitAddress(key.toBase58()));
    return a.exists ? Buffer.from(a.data) : null;
  }

  slot(): bigint {
    return this.svm.getClock().slot;
  }

  /** Runs a methods builder through `.rpc()` and returns what the transaction logged. */
  async rpc(builder: any, signers: Signer[] = []): Promise<Sent> {
    await builder.signers(signers).rpc();
    return this.provider.last!;
  }

  /** Sends plain instructions (for hand-altered ones, e.g. a signer flag removed). */
  send(ixs: TransactionInstruction[], signers: Signer[] = []): Sent {
    return this.provider.sendSync(new Transaction().add(...ixs), signers);
  }

  /** The Anchor events a transaction logged, decoded through the IDL. */
  eventsOf(sent: Sent): { name: string; data: any }[] {
    return [...this.events.parseLogs(sent.logs)];
  }

  /** `initialize` with one operator (or `operators`), chain id 1337, the given fee market. */
  async initialize(operators: PublicKey[], opts: Options = {}): Promise<Sent> {
    return this.rpc(
      this.program.methods
        .initialize({
          chainId: new BN(opts.chainId ?? 1337),
          operators,
          feeMarket: {
            contractComputeCap: new BN(opts.contractComputeCap ?? 12_000_000),
            minBaseFee: new BN((opts.minBaseFee ?? 1_000_000_000n).toString()),
            baseFeeChangeDenominator: new BN(8),
          },
        })
        .accounts({ admin: this.admin.publicKey }),
      [this.admin],
    );
  }

  /** Sets the SlotHashes sysvar (newest first) and moves the clock to `slot`. */
  warp(slot: bigint, slotHashes: { slot: bigint; hash: Uint8Array }[] = []) {
    this.svm.warpToSlot(slot);
    if (slotHashes.length) {
      this.svm.setSlotHashes(
        slotHashes.map((e) => ({ slot: e.slot, hash: anchor.utils.bytes.bs58.encode(Buffer.from(e.hash)) }) as any),
      );
    }
  }
}

/** Runs `p`, which must be refused by the SVM; returns the refusal as the SVM reported it
 * (`code`: the custom error code) and what Anchor's client made of it (`anchor`: an `AnchorError`
 * when the program logged one, else a `ProgramError` or the original error). */
export async function refused(h: Harness, p: Promise<unknown> | (() => unknown)): Promise<SvmError & { anchor: any }> {
  h.provider.lastError = undefined;
  try {
    if (typeof p === "function") await p();
    else await p;
  } catch (e: any) {
    const svm = h.provider.lastError;
    if (!svm) throw e; // not refused by the SVM: a client-side failure, a real error
    return Object.assign(svm, { anchor: e });
  }
  throw new Error("expected the transaction to be refused, but it succeeded");
}

/** The code of the IDL error named `name` (so the tests check the program's documented codes). */
export function errorCode(name: string): number {
  const e = (IDL.errors ?? []).find((x) => x.name === name);
  if (!e) throw new Error(`no error ${name} in the IDL`);
  return e.code;
}

/** src/deploy.ts's `Chain` over LiteSVM: the deployment code that talks to a validator runs
 * in-process unchanged (each transaction signed with a fresh blockhash, run synchronously). */
export class SvmChain implements Chain {
  /** `slotPerTransaction`: move the clock one slot after each transaction, as a validator's
   * slots pass while a deployment's ~900 transactions land (the loader refuses an Upgrade in the
   * slot a program was deployed or extended in: "Program was deployed in this block already"). */
  constructor(readonly svm: LiteSVM, readonly slotPerTransaction = true) {}
  async getAccount(key: PublicKey): Promise<RawAccount | null> {
    const a = this.svm.getAccount(kitAddress(key.toBase58()));
    if (!a.exists) return null;
    return { lamports: BigInt(a.lamports), owner: new PublicKey(a.programAddress), data: Buffer.from(a.data), executable: a.executable };
  }
  async rentExempt(len: number): Promise<bigint> {
    return BigInt(this.svm.minimumBalanceForRentExemption(BigInt(len)));
  }
  async send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
    const provider = new SvmProvider(this.svm, new anchor.Wallet(signers[0]));
    try {
      return provider.sendSync(new Transaction().add(...ixs), signers.slice(1)).signature;
    } finally {
      if (this.slotPerTransaction) this.svm.warpToSlot(this.svm.getClock().slot + 1n);
    }
  }
  async sendAll(txs: { ixs: TransactionInstruction[]; signers: Keypair[] }[]): Promise<void> {
    for (const t of txs) await this.send(t.ixs, t.signers);
  }
  provider(payer: Keypair): anchor.Provider {
    return new SvmProvider(this.svm, new anchor.Wallet(payer));
  }
}
