// The Anchor suite's harness: an Anchor `Program` over idl/isthmus.json whose provider sends to a
// `TestChain`. By default an in-process Solana (LiteSVM, npm `litesvm`) with
// target/deploy/isthmus.so loaded under the upgradeable loader (no validator, no RPC: the
// provider signs web3.js transactions and hands their bytes to LiteSVM); with
// ISTHMUS_TARGET=validator the program deployed on a validator (JSON-RPC), with
// ISTHMUS_TARGET=shim the same RPC path against src/rpc-shim.ts.
import * as anchor from "@coral-xyz/anchor";
import { BN, Program, Idl } from "@coral-xyz/anchor";
import {
  AccountInfo,
  ComputeBudgetProgram,
  Connection,
  SystemProgram,
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
import * as os from "os";
import * as path from "path";
import { Chain, RawAccount } from "./deploy";

export const ROOT = path.resolve(__dirname, "../../..");
export const IDL: Idl = JSON.parse(fs.readFileSync(path.join(ROOT, "idl/isthmus.json"), "utf8"));
export const SO = process.env.ISTHMUS_SO ?? path.join(ROOT, "target/deploy/isthmus.so");
export const PROGRAM_ID = new PublicKey(IDL.address);
export const LOADER_V3 = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
export const SLOT_HASHES = new PublicKey("SysvarS1otHashes111111111111111111111111111");
/** `sol_remaining_compute_units` (SIMD-0049): the fee market and `step` measure compute with it. */
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
  /** The slot it landed in. */
  slot?: bigint;
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
      slot: this.svm.getClock().slot,
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

/** The runtime features the suite runs with: `ISTHMUS_FEATURES=mainnet` (the default) activates
 * those active on mainnet-beta, listed by the Rust `mainnet-features` binary into
 * `$ISTHMUS_MAINNET_FEATURES` (scripts/test-anchor.sh writes it; npm `litesvm` has no such list);
 * `all` activates every feature. CI runs the suite under both. */
export function featureSet(): FeatureSet {
  const which = process.env.ISTHMUS_FEATURES ?? "mainnet";
  if (which === "all") return FeatureSet.allEnabled();
  if (which !== "mainnet") throw new Error(`ISTHMUS_FEATURES=${which}: expected mainnet or all`);
  const file = process.env.ISTHMUS_MAINNET_FEATURES;
  if (!file || !fs.existsSync(file)) {
    throw new Error("ISTHMUS_MAINNET_FEATURES must name the mainnet feature list (scripts/test-anchor.sh writes it)");
  }
  const ids: string[] = JSON.parse(fs.readFileSync(file, "utf8"));
  const features = new FeatureSet();
  for (const id of ids) features.activate(new PublicKey(id).toBytes(), 0n);
  return features;
}

/** LiteSVM's standard set-up with [`featureSet`], without the Isthmus program. */
export function newSvm(): LiteSVM {
  return LiteSVM.default()
    .withFeatureSet(featureSet())
    .withBuiltins()
    .withLamports(1_000_000_000_000_000_000n)
    .withSysvars()
    .withDefaultPrograms()
    .withSigverify(true)
    .withBlockhashCheck(true);
}

/** `newSvm()` with target/deploy/isthmus.so loaded and `admin` written into the ProgramData
 * header as the upgrade authority (LiteSVM deploys without one; `initialize` accepts only it). */
export function svmWithProgram(admin: PublicKey, svm = newSvm()): LiteSVM {
  if (!fs.existsSync(SO)) throw new Error(`${SO} missing: build it with scripts/build-program.sh`);
  svm.addProgramFromFile(kitAddress(PROGRAM_ID.toBase58()), SO);
  // u32 tag 3, u64 slot, Option<Pubkey> at byte 12.
  const pd = svm.getAccount(kitAddress(programDataAddress().toBase58()));
  if (!pd.exists) throw new Error("no ProgramData account");
  const data = Buffer.from(pd.data);
  data[12] = 1;
  admin.toBuffer().copy(data, 13);
  svm.setAccount({ ...pd, data });
  return svm;
}

// ---------------------------------------------------------------------------------------------
// Where the suite runs: `ISTHMUS_TARGET` = `litesvm` (the default: `npm test`, CI), `validator`
// (a deployed program behind JSON-RPC: ANCHOR_PROVIDER_URL, default http://127.0.0.1:8899, and
// ANCHOR_WALLET, default ~/.config/solana/id.json, an operator of the existing config) or `shim`
// (the same RPC code against src/rpc-shim.ts, a LiteSVM behind HTTP, initialized in-process as
// scripts/deploy-local.sh does: chain id 1337, the wallet as the only operator).

export type Target = "litesvm" | "validator" | "shim";
export const TARGET: Target = ((): Target => {
  const t = (process.env.ISTHMUS_TARGET ?? "litesvm").toLowerCase();
  if (t !== "litesvm" && t !== "validator" && t !== "shim") throw new Error(`ISTHMUS_TARGET=${t}: litesvm, validator or shim`);
  return t;
})();
/** Behind JSON-RPC, on a program whose config already exists and persists across runs. */
export const OVER_RPC = TARGET !== "litesvm";

/** What the Anchor suite needs of a cluster (as src/deploy.ts's `Chain` is what the deployment
 * needs): LiteSVM in-process (`SvmTestChain`) or a validator over JSON-RPC (`RpcTestChain`). */
export interface TestChain {
  readonly kind: "litesvm" | "rpc";
  /** What Anchor's `Program` fetches accounts through (a web3.js `Connection` over RPC). */
  readonly connection: any;
  getAccount(key: PublicKey): Promise<RawAccount | null>;
  /** Signs with `payer` (the fee payer) and `signers`, sends, waits for confirmation; returns what
   * the transaction logged. Throws [`SvmError`] when the cluster refuses it (at preflight or
   * landed with an error). */
  send(tx: Transaction, payer: Keypair, signers: Signer[]): Promise<Sent>;
  /** Sends independent transactions at once (`intervalMs` apart), without preflight, so several
   * land in one slot; each result is what it logged or its refusal. */
  sendBatch(txs: Transaction[], payer: Keypair, signers: Signer[], intervalMs?: number): Promise<(Sent | SvmError)[]>;
  /** Gives `key` `lamports` (LiteSVM: an airdrop; a validator: a transfer from the wallet). */
  fund(key: PublicKey, lamports: bigint): Promise<void>;
  slot(): Promise<bigint>;
  /** Returns once the cluster is at `slot` or later (LiteSVM: moves the clock there). */
  waitForSlot(slot: bigint): Promise<void>;
}

export class SvmTestChain implements TestChain {
  readonly kind = "litesvm";
  readonly connection: any;
  constructor(readonly svm: LiteSVM) {
    this.connection = new SvmConnection(svm);
  }
  async getAccount(key: PublicKey): Promise<RawAccount | null> {
    const a = this.svm.getAccount(kitAddress(key.toBase58()));
    if (!a.exists) return null;
    return { lamports: BigInt(a.lamports), owner: new PublicKey(a.programAddress), data: Buffer.from(a.data), executable: a.executable };
  }
  async send(tx: Transaction, payer: Keypair, signers: Signer[]): Promise<Sent> {
    return new SvmProvider(this.svm, new anchor.Wallet(payer)).sendSync(tx, signers);
  }
  async sendBatch(txs: Transaction[], payer: Keypair, signers: Signer[]): Promise<(Sent | SvmError)[]> {
    const out: (Sent | SvmError)[] = [];
    for (const tx of txs) {
      try {
        out.push(await this.send(tx, payer, signers));
      } catch (e) {
        if (!(e instanceof SvmError)) throw e;
        out.push(e);
      }
    }
    return out;
  }
  async fund(key: PublicKey, lamports: bigint) {
    const r = this.svm.airdrop(kitAddress(key.toBase58()), kitLamports(lamports));
    if (r instanceof FailedTransactionMetadata) throw new Error(`airdrop: ${r.toString()}`);
  }
  async slot() {
    return this.svm.getClock().slot;
  }
  async waitForSlot(slot: bigint) {
    if (this.svm.getClock().slot < slot) this.svm.warpToSlot(slot);
  }
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A transaction error as a validator reports it (`{"InstructionError":[2,{"Custom":6009}]}`,
 * `{"InstructionError":[0,"MissingRequiredSignature"]}`, "BlockhashNotFound") or as the RPC shim
 * does (LiteSVM's text, e.g. "InstructionError(2, Custom(6009))"): its custom code and name. */
export function parseTransactionError(err: any): { detail: string; code?: number; name: string } {
  if (typeof err === "string") {
    const m = err.match(/InstructionError\(\s*\d+,\s*([A-Za-z]+)/);
    const c = err.match(/Custom\((\d+)\)/);
    return { detail: err, code: c ? parseInt(c[1], 10) : undefined, name: m ? m[1] : err.match(/^[A-Za-z]+/)?.[0] ?? err };
  }
  const detail = JSON.stringify(err);
  if (err && Array.isArray(err.InstructionError)) {
    const inner = err.InstructionError[1];
    if (typeof inner === "string") return { detail, name: inner };
    if (inner && typeof inner.Custom === "number") return { detail, code: inner.Custom, name: "Custom" };
    return { detail, name: Object.keys(inner ?? {})[0] ?? detail };
  }
  if (err && typeof err === "object") return { detail, name: Object.keys(err)[0] ?? detail };
  return { detail, name: String(err) };
}

/** A validator (or the RPC shim) over JSON-RPC. Sends through `sendTransaction` with preflight
 * (a refusal comes back with the simulation's error and logs), polls `getSignatureStatuses` until
 * `confirmed`, reads the logs and compute units back with `getTransaction`. Signs again with a
 * newer blockhash when the blockhash expired or when the same message was already sent under it
 * (a validator would drop the duplicate). */
export class RpcTestChain implements TestChain {
  readonly kind = "rpc";
  readonly connection: Connection;
  private readonly sentSignatures = new Set<string>();
  private id = 0;
  constructor(readonly url: string, readonly funder: Keypair) {
    this.connection = new Connection(url, "confirmed");
  }

  async call(method: string, params: any[]): Promise<any> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.id, method, params }),
    });
    const body: any = await res.json();
    if (body.error) throw Object.assign(new Error(`${method}: ${body.error.message}`), { rpc: body.error });
    return body.result;
  }

  async getAccount(key: PublicKey): Promise<RawAccount | null> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: ++this.id,
        method: "getAccountInfo",
        params: [key.toBase58(), { encoding: "base64", commitment: "confirmed" }],
      }),
    });
    const text = await res.text();
    const body: any = JSON.parse(text);
    if (body.error) throw new Error(`getAccountInfo: ${body.error.message}`);
    const a = body.result?.value;
    if (!a) return null;
    // Balances above 2^53 lamports (a validator's mint holds 5 * 10^17) lose precision as JSON
    // numbers (web3.js reads them so too): the digits are taken from the text.
    const lamports = BigInt(/"lamports":\s*(\d+)/.exec(text)![1]);
    return { lamports, owner: new PublicKey(a.owner), data: Buffer.from(a.data[0], "base64"), executable: a.executable };
  }

  private async sign(tx: Transaction, payer: Keypair, signers: Signer[], blockhash: string) {
    tx.feePayer = payer.publicKey;
    tx.recentBlockhash = blockhash;
    tx.signatures = [];
    const all = [payer, ...signers].filter((s, i, a) => a.findIndex((t) => t.publicKey.equals(s.publicKey)) === i);
    tx.sign(...all);
    return anchor.utils.bytes.bs58.encode(tx.signature!);
  }

  /** `sendTransaction`; returns the signature, or the refusal (an SvmError), or "retry". */
  private async submit(tx: Transaction, signature: string, skipPreflight: boolean): Promise<SvmError | "retry" | null> {
    try {
      await this.call("sendTransaction", [
        tx.serialize().toString("base64"),
        { encoding: "base64", skipPreflight, preflightCommitment: "confirmed", maxRetries: 5 },
      ]);
      this.sentSignatures.add(signature);
      return null;
    } catch (e: any) {
      const data = e?.rpc?.data;
      const err = data?.err ?? e?.rpc?.message ?? String(e);
      const text = typeof err === "string" ? err : JSON.stringify(err);
      if (/BlockhashNotFound|Blockhash not found|AlreadyProcessed|already been processed/.test(text + (e?.rpc?.message ?? ""))) return "retry";
      if (data?.err === undefined && !/simulation failed/i.test(e?.rpc?.message ?? "")) throw e;
      const { detail, code, name } = parseTransactionError(err);
      const logs: string[] = data?.logs ?? [];
      return new SvmError(detail, logs, code, name);
    }
  }

  /** Waits until `signature` is confirmed; "expired" when its blockhash no longer can land. */
  private async confirm(signature: string, lastValidBlockHeight: number): Promise<"ok" | "expired"> {
    for (;;) {
      const st = (await this.call("getSignatureStatuses", [[signature], { searchTransactionHistory: false }])).value[0];
      if (st && (st.confirmationStatus === "confirmed" || st.confirmationStatus === "finalized")) return "ok";
      if (!st && (await this.call("getBlockHeight", [{ commitment: "confirmed" }])) > lastValidBlockHeight) return "expired";
      await sleep(150);
    }
  }

  /** The logs and compute units of a confirmed transaction; throws its error if it failed. */
  private async landed(signature: string): Promise<Sent> {
    for (let n = 0; ; n++) {
      const t = await this.call("getTransaction", [
        signature,
        { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
      ]);
      if (t) {
        const logs: string[] = t.meta?.logMessages ?? [];
        if (t.meta?.err) {
          const { detail, code, name } = parseTransactionError(t.meta.err);
          throw new SvmError(detail, logs, code, name);
        }
        return { signature, logs, cu: BigInt(t.meta?.computeUnitsConsumed ?? 0), programCu: programCu(logs), slot: BigInt(t.slot) };
      }
      if (n > 100) throw new Error(`getTransaction ${signature}: not found after confirmation`);
      await sleep(100);
    }
  }

  async send(tx: Transaction, payer: Keypair, signers: Signer[]): Promise<Sent> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { blockhash, lastValidBlockHeight } = await this.connection.getLatestBlockhash("confirmed");
      const signature = await this.sign(tx, payer, signers, blockhash);
      if (this.sentSignatures.has(signature)) {
        await sleep(100); // the same message under the same blockhash: wait for a newer one
        continue;
      }
      const r = await this.submit(tx, signature, false);
      if (r === "retry") {
        await sleep(100);
        continue;
      }
      if (r) throw r;
      if ((await this.confirm(signature, lastValidBlockHeight)) === "expired") continue;
      return this.landed(signature);
    }
    throw new Error("could not land the transaction (100 attempts)");
  }

  async sendBatch(txs: Transaction[], payer: Keypair, signers: Signer[], intervalMs = 0): Promise<(Sent | SvmError)[]> {
    const { blockhash, lastValidBlockHeight } = await this.connection.getLatestBlockhash("confirmed");
    const pending: Promise<Sent | SvmError>[] = [];
    for (const tx of txs) {
      const signature = await this.sign(tx, payer, signers, blockhash);
      pending.push(
        (async () => {
          const r = await this.submit(tx, signature, true);
          if (r === "retry") return new SvmError("not sent (blockhash)", [], undefined, "BlockhashNotFound");
          if (r) return r;
          if ((await this.confirm(signature, lastValidBlockHeight)) === "expired") return new SvmError("expired", [], undefined, "Expired");
          try {
            return await this.landed(signature);
          } catch (e) {
            if (e instanceof SvmError) return e;
            throw e;
          }
        })(),
      );
      if (intervalMs) await sleep(intervalMs);
    }
    return Promise.all(pending);
  }

  async fund(key: PublicKey, lamports: bigint) {
    await this.send(
      new Transaction().add(SystemProgram.transfer({ fromPubkey: this.funder.publicKey, toPubkey: key, lamports })),
      this.funder,
      [],
    );
  }

  async slot() {
    return BigInt(await this.call("getSlot", [{ commitment: "confirmed" }]));
  }

  async waitForSlot(slot: bigint) {
    while ((await this.slot()) < slot) await sleep(100);
  }
}

/** The program's config as the suite reads it (over RPC it exists before the suite runs). */
export interface ConfigView {
  admin: PublicKey;
  chainId: number;
  operators: PublicKey[];
  contractComputeCap: bigint;
  minBaseFee: bigint;
  baseFeeChangeDenominator: bigint;
}

/** The shared connection of an RPC run: the chain, the wallet and the config read once. */
interface Shared {
  chain: RpcTestChain;
  wallet: Keypair;
  config: ConfigView;
  stop?: () => Promise<void>;
}
let shared: Promise<Shared> | undefined;
let sharedNow: Shared | undefined;

function readKeypair(file: string): Keypair {
  const expanded = file.replace(/^~(?=\/|$)/, os.homedir());
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(expanded, "utf8"))));
}

async function readConfig(chain: TestChain): Promise<ConfigView | null> {
  const program: any = new Program(IDL, { connection: chain.connection } as any);
  const c = await program.account.config.fetchNullable(configPda());
  if (!c) return null;
  return {
    admin: c.admin,
    chainId: c.chainId.toNumber(),
    operators: c.operators.data.slice(0, c.operators.len),
    contractComputeCap: BigInt(c.contractComputeCap.toString()),
    minBaseFee: BigInt(c.minBaseFee.toString()),
    baseFeeChangeDenominator: BigInt(c.baseFeeChangeDenominator.toString()),
  };
}

/** Connects an RPC run (starting the shim for `shim`); the suite's root `before` hook calls it. */
export function connectShared(): Promise<Shared> {
  if (!OVER_RPC) throw new Error("connectShared: the suite runs in-process");
  shared ??= (async (): Promise<Shared> => {
    let url: string;
    let wallet: Keypair;
    let stop: (() => Promise<void>) | undefined;
    if (TARGET === "shim") {
      // As scripts/deploy-local.sh leaves a validator: the program deployed with the wallet as
      // upgrade authority, the config initialized (chain id 1337, the wallet the only operator).
      wallet = Keypair.generate();
      const svm = svmWithProgram(wallet.publicKey, newSvm().withBlockhashCheck(false));
      svm.airdrop(kitAddress(wallet.publicKey.toBase58()), kitLamports(1_000_000_000_000_000n));
      const h = new Harness({ svm, admin: wallet });
      await h.initialize([wallet.publicKey]);
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { RpcShim } = require("./rpc-shim");
      const shim = new RpcShim(svm, { slotMs: Number(process.env.ISTHMUS_SHIM_SLOT_MS ?? 400) });
      url = await shim.start();
      stop = () => shim.stop();
    } else {
      url = process.env.ANCHOR_PROVIDER_URL ?? "http://127.0.0.1:8899";
      wallet = readKeypair(process.env.ANCHOR_WALLET ?? "~/.config/solana/id.json");
    }
    const chain = new RpcTestChain(url, wallet);
    const pd = await chain.getAccount(programDataAddress());
    if (!pd) throw new Error(`${url}: program ${PROGRAM_ID.toBase58()} is not deployed (scripts/deploy-local.sh)`);
    const config = await readConfig(chain);
    if (!config) throw new Error(`${url}: no config (scripts/deploy-local.sh initializes it)`);
    if (!config.operators.some((o) => o.equals(wallet.publicKey))) {
      throw new Error(`the wallet ${wallet.publicKey.toBase58()} is not an operator of the config: the suite signs as an operator`);
    }
    setChainParams(config.chainId);
    const balance = await chain.connection.getBalance(wallet.publicKey, "confirmed");
    console.log(
      `  ${TARGET} ${url}: program ${PROGRAM_ID.toBase58()}, config chain id ${config.chainId}, ` +
        `${config.operators.length} operator(s), cap ${config.contractComputeCap} CU, min base fee ${config.minBaseFee} wei; ` +
        `wallet ${wallet.publicKey.toBase58()} (${balance / 1e9} SOL)`,
    );
    sharedNow = { chain, wallet, config, stop };
    return sharedNow;
  })();
  return shared;
}

export async function disconnectShared() {
  if (shared) await (await shared).stop?.();
}

/** The chain id transactions are signed for (the config's, over RPC). */
export let CHAIN_ID = 1337;
function setChainParams(chainId: number) {
  CHAIN_ID = chainId;
}

/** An Anchor provider over a [`TestChain`]: `.rpc()` of the methods builder lands here; the
 * wallet pays the fees. */
export class ChainProvider implements anchor.Provider {
  readonly publicKey: PublicKey;
  last?: Sent;
  lastError?: SvmError;
  constructor(private readonly chainOf: () => TestChain, readonly wallet: anchor.Wallet) {
    this.publicKey = wallet.publicKey;
  }
  get connection(): any {
    return this.chainOf().connection;
  }
  async sendAndConfirm(tx: Transaction | VersionedTransaction, signers?: Signer[]): Promise<string> {
    return (await this.sendTx(tx as Transaction, signers ?? [])).signature;
  }
  async sendTx(tx: Transaction, signers: Signer[]): Promise<Sent> {
    try {
      this.last = await this.chainOf().send(tx, this.wallet.payer, signers);
      return this.last;
    } catch (e) {
      if (e instanceof SvmError) {
        this.last = { signature: "", logs: e.logs, cu: 0n, programCu: programCu(e.logs) };
        this.lastError = e;
      }
      throw e;
    }
  }
}

/** The suite's view of the program on one cluster: in-process, a fresh LiteSVM per `Harness`
 * (the program loaded, no config); over RPC, the shared deployed program and its config. */
export class Harness {
  private readonly svmChain?: SvmTestChain;
  /** The upgrade authority (in-process: a fresh key; over RPC: the wallet). */
  readonly admin: Keypair;
  /** Pays the fees of `rpc`/`send` and the deposits: a fresh key, funded. */
  readonly payer = Keypair.generate();
  readonly provider: ChainProvider;
  // Untyped: the IDL is loaded at run time (no generated TypeScript type).
  readonly program: any; // an anchor `Program`; its namespaces (methods, account) come from the IDL
  readonly events: anchor.EventParser;
  private ready?: Promise<void>;

  /** `svm`: an SVM where the program is already deployed with `admin` as its upgrade authority
   * (e.g. by src/deploy.ts); without it, a fresh one with target/deploy/isthmus.so loaded, or
   * (ISTHMUS_TARGET=validator|shim) the shared RPC cluster. */
  constructor(opts: { svm?: LiteSVM; admin?: Keypair } = {}) {
    if (opts.svm || !OVER_RPC) {
      this.admin = opts.admin ?? Keypair.generate();
      const svm = opts.svm ?? svmWithProgram(this.admin.publicKey);
      this.svmChain = new SvmTestChain(svm);
      this.airdropSync(this.admin.publicKey, 100_000_000_000n);
      this.airdropSync(this.payer.publicKey, 100_000_000_000n);
      this.ready = Promise.resolve();
    } else {
      // The wallet is known once connected (the root `before` hook): a placeholder until then.
      this.admin = Keypair.generate();
    }
    this.provider = new ChainProvider(() => this.chain, new anchor.Wallet(this.payer));
    this.program = new Program(IDL, this.provider);
    this.events = new anchor.EventParser(PROGRAM_ID, this.program.coder);
  }

  get overRpc(): boolean {
    return !this.svmChain;
  }
  get chain(): TestChain {
    if (this.svmChain) return this.svmChain;
    if (!sharedNow) throw new Error("not connected: the suite's root before hook calls connectShared()");
    return sharedNow.chain;
  }
  /** The LiteSVM (in-process only). */
  get svm(): LiteSVM {
    if (!this.svmChain) throw new Error("no LiteSVM over RPC");
    return this.svmChain.svm;
  }
  /** The wallet (over RPC): the config's operator and the upgrade authority. */
  get rpcWallet(): Keypair {
    if (!sharedNow) throw new Error("not connected");
    return sharedNow.wallet;
  }
  get config(): ConfigView | undefined {
    return this.svmChain ? undefined : sharedNow?.config;
  }

  private airdropSync(key: PublicKey, lamports: bigint) {
    const r = this.svmChain!.svm.airdrop(kitAddress(key.toBase58()), kitLamports(lamports));
    if (r instanceof FailedTransactionMetadata) throw new Error(`airdrop: ${r.toString()}`);
  }

  /** Over RPC: connects and funds the payer (once). */
  async setup(): Promise<void> {
    this.ready ??= (async () => {
      const s = await connectShared();
      (this as any).admin = s.wallet;
      await s.chain.fund(this.payer.publicKey, 50_000_000_000n);
    })();
    return this.ready;
  }

  /** The operators a test signs with: in-process, `n` fresh keys (funded) that `initialize`
   * (with `opts`) names; over RPC, the wallet (the config's operator), then fresh funded keys
   * that are operators only if the config happens to name them (it does not). */
  async operators(n: number, opts: Options = {}): Promise<Keypair[]> {
    await this.setup();
    if (this.svmChain) {
      const ops = Array.from({ length: n }, () => Keypair.generate());
      for (const o of ops) await this.airdrop(o.publicKey, 100_000_000_000n);
      await this.initialize(ops.map((o) => o.publicKey), opts);
      return ops;
    }
    const ops = [this.rpcWallet];
    for (let i = 1; i < n; i++) ops.push(await this.wallet(10_000_000_000n));
    return ops;
  }

  isOperator(key: PublicKey): boolean {
    return !this.config || this.config.operators.some((o) => o.equals(key));
  }

  async airdrop(key: PublicKey, lamports: bigint) {
    await this.setup();
    if (this.svmChain) this.airdropSync(key, lamports);
    else await this.chain.fund(key, lamports);
  }

  /** A fresh funded key. */
  async wallet(lamports = 10_000_000_000n): Promise<Keypair> {
    const k = Keypair.generate();
    await this.airdrop(k.publicKey, lamports);
    return k;
  }

  async account(key: PublicKey): Promise<RawAccount | null> {
    await this.setup();
    return this.chain.getAccount(key);
  }

  async lamports(key: PublicKey): Promise<bigint> {
    return (await this.account(key))?.lamports ?? 0n;
  }

  async exists(key: PublicKey): Promise<boolean> {
    return (await this.account(key)) !== null;
  }

  async rawAccount(key: PublicKey): Promise<Buffer | null> {
    return (await this.account(key))?.data ?? null;
  }

  async slot(): Promise<bigint> {
    await this.setup();
    return this.chain.slot();
  }

  /** Lets a slot pass: in-process the clock moves on one slot; over RPC it waits for the next. */
  async nextSlot(): Promise<void> {
    await this.chain.waitForSlot((await this.slot()) + 1n);
  }

  /** Runs a methods builder through `.rpc()` and returns what the transaction logged. */
  async rpc(builder: any, signers: Signer[] = []): Promise<Sent> {
    await this.setup();
    await builder.signers(signers).rpc();
    return this.provider.last!;
  }

  /** Sends plain instructions (for hand-altered ones, e.g. a signer flag removed). */
  async send(ixs: TransactionInstruction[], signers: Signer[] = []): Promise<Sent> {
    await this.setup();
    return this.provider.sendTx(new Transaction().add(...ixs), signers);
  }

  /** Sends methods builders' transactions at once (`intervalMs` apart; over RPC without
   * preflight, so several land in one slot, refusals included); each result in order. */
  async sendBatch(builders: any[], signers: Signer[], intervalMs = 0): Promise<(Sent | SvmError)[]> {
    await this.setup();
    const txs: Transaction[] = [];
    for (const b of builders) txs.push(await b.transaction());
    return this.chain.sendBatch(txs, this.payer, signers, intervalMs);
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
            // The suite's gas figures are the EVM's: the operator bears the Solana costs here
            // (the Rust program tests cover charging them).
            chargeSolanaCosts: false,
          },
          development: false,
          // Osaka (0 Cancun, 1 Prague, 2 Osaka): what Ethereum mainnet runs.
          fork: 2,
          // EIP-170's code size limit.
          codeSizeLimit: 0,
        })
        .accounts({ admin: this.admin.publicKey }),
      [this.admin],
    );
  }

  /** Sets the SlotHashes sysvar (newest first) and moves the clock to `slot` (in-process only). */
  warp(slot: bigint, slotHashes: { slot: bigint; hash: Uint8Array }[] = []) {
    this.svm.warpToSlot(slot);
    if (slotHashes.length) {
      this.svm.setSlotHashes(
        slotHashes.map((e) => ({ slot: e.slot, hash: anchor.utils.bytes.bs58.encode(Buffer.from(e.hash)) }) as any),
      );
    }
  }

  /** A holder index: `n` in-process; over RPC a random one (holders persist across runs). */
  holderIndex(n: bigint): bigint {
    return this.overRpc ? BigInt("0x" + Buffer.from(Keypair.generate().publicKey.toBytes().subarray(0, 7)).toString("hex")) : n;
  }
}

/** Runs `p`, which must be refused by the cluster; returns the refusal as the cluster reported it
 * (`code`: the custom error code) and what Anchor's client made of it (`anchor`: an `AnchorError`
 * when the program logged one, else a `ProgramError` or the original error). */
export async function refused(h: Harness, p: Promise<unknown> | (() => unknown)): Promise<SvmError & { anchor: any }> {
  h.provider.lastError = undefined;
  try {
    if (typeof p === "function") await p();
    else await p;
  } catch (e: any) {
    const svm = h.provider.lastError;
    if (!svm) throw e; // not refused by the cluster: a client-side failure, a real error
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
