// Ethereum side of the tests: transactions signed with ethers, the accounts `execute` needs, and
// reading EVM state back through the IDL's account types.
import { BN } from "@coral-xyz/anchor";
import { AccountMeta, Keypair, PublicKey } from "@solana/web3.js";
import { Wallet as EthWallet, getBytes, hexlify, getCreateAddress, TransactionRequest, keccak256 } from "ethers";
import {
  Harness,
  OVER_RPC,
  Sent,
  accountPda,
  budget,
  bytes,
  codePda,
  feePda,
  holderPda,
  operatorEthAddress,
} from "./harness";

/** The chain id transactions are signed for: 1337 in-process, the config's over RPC. */
export { CHAIN_ID } from "./harness";
import { CHAIN_ID } from "./harness";
export const GWEI = 1_000_000_000n;

/** Over RPC the program's accounts persist across runs: Ethereum keys and addresses are fresh per
 * run (derived from a random salt); in-process they are deterministic. */
const RUN_SALT = OVER_RPC ? hexlify(Keypair.generate().publicKey.toBytes()) : "";
const salted = (seed: number) => keccak256(RUN_SALT + seed.toString(16).padStart(4, "0"));

/** An Ethereum key: deterministic in-process, fresh per run over RPC. */
export const ethWallet = (seed: number) =>
  new EthWallet(OVER_RPC ? salted(seed) : "0x" + seed.toString(16).padStart(2, "0").repeat(32));

/** An address with no key: `seed` repeated in-process (e.g. 0x4242...42), fresh per run over RPC. */
export const freshAddress = (seed: number) =>
  OVER_RPC ? "0x" + salted(0x100 + seed).slice(-40) : "0x" + seed.toString(16).padStart(2, "0").repeat(20);

/** Signs `tx` (EIP-1559 unless `type` says otherwise) and returns the raw envelope. */
export async function sign(w: EthWallet, tx: Omit<TransactionRequest, "data"> & { data?: Uint8Array }): Promise<Buffer> {
  const { data, ...rest } = tx;
  const full: TransactionRequest = {
    type: 2,
    chainId: CHAIN_ID,
    maxFeePerGas: 2n * GWEI,
    maxPriorityFeePerGas: GWEI,
    gasLimit: 100_000,
    value: 0n,
    ...rest,
    data: data ? hexlify(data) : undefined,
  };
  if (full.type === 0 || full.type === 1) {
    delete full.maxFeePerGas;
    delete full.maxPriorityFeePerGas;
    full.gasPrice = full.gasPrice ?? 2n * GWEI;
  }
  return Buffer.from(getBytes(await w.signTransaction(full)));
}

/** Runtime code of a loop: `n` times (JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 3 JUMPI), then STOP. */
export function loopRuntime(n: number): Buffer {
  return Buffer.from([0x61, n >> 8, n & 0xff, 0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x03, 0x57, 0x00]);
}

/** An EthCode account's parts: a 33-byte header (code length, u32 little-endian, at 29), the code,
 * then its JUMPDEST analysis (u64 little-endian words, bit `i % 64` of word `i / 64` set where a
 * JUMPDEST sits at offset `i`), which the program writes at deployment. */
export function storedCode(data: Buffer): { code: Buffer; jumpdests: Buffer } {
  const len = data.readUInt32LE(29);
  if (data.length !== 33 + len + 8 * Math.ceil(len / 64)) {
    throw new Error(`an EthCode account of ${data.length} bytes for ${len} bytes of code`);
  }
  return { code: data.subarray(33, 33 + len), jumpdests: data.subarray(33 + len) };
}

/** Initcode returning `runtime` (CODECOPY + RETURN), then `padding` bytes never run. */
export function initcode(runtime: Buffer, padding = 0): Buffer {
  const prefix = Buffer.from([0x60, runtime.length, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]);
  return Buffer.concat([prefix, runtime, Buffer.alloc(padding, 0xfe)]);
}

export const w = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: true });
export const r = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: false });

/** The EVM accounts of a transaction from `from` to `to` (or creating `created`), COINBASE
 * (`operator`'s Ethereum address) included; code accounts of `code` addresses read-only. */
export function evmAccounts(
  operator: PublicKey,
  from: Uint8Array,
  to: Uint8Array | null,
  opts: { created?: Uint8Array; code?: Uint8Array[] } = {},
): AccountMeta[] {
  const list = [w(accountPda(from)), w(accountPda(operatorEthAddress(operator)))];
  if (to) list.push(w(accountPda(to)));
  if (opts.created) list.push(w(accountPda(opts.created)), w(codePda(opts.created)));
  for (const c of opts.code ?? []) list.push(r(codePda(c)));
  return list;
}

export const ZERO = Buffer.alloc(20);

/** `execute(raw)` through the methods builder, with the compute-budget instructions. */
export function executeIx(h: Harness, operator: PublicKey, raw: Buffer, to: Uint8Array | null, extra: AccountMeta[]) {
  return h.program.methods
    .execute(raw)
    .accounts({ operator, feeMarket: feePda(to ?? ZERO) })
    .remainingAccounts(extra)
    .preInstructions(budget());
}

export async function execute(
  h: Harness,
  operator: Keypair,
  raw: Buffer,
  to: Uint8Array | null,
  extra: AccountMeta[],
): Promise<Sent> {
  return h.rpc(executeIx(h, operator.publicKey, raw, to, extra), [operator]);
}

/** The `Executed` receipt of a transaction, decoded through the IDL. */
export function receipt(h: Harness, sent: Sent): any {
  const e = h.eventsOf(sent).find((e) => e.name === "executed");
  if (!e) throw new Error("no Executed event:\n" + sent.logs.join("\n"));
  return e.data;
}

export const le = (b: number[] | Uint8Array) => BigInt("0x" + (Buffer.from(b).reverse().toString("hex") || "0"));

/** An address's EthAccount (nonce, balance in wei), through the IDL; null when it has none. */
export async function ethAccount(h: Harness, addr: Uint8Array): Promise<{ nonce: bigint; balance: bigint; codeHash: Buffer } | null> {
  const a = await h.program.account.ethAccount.fetchNullable(accountPda(addr));
  if (!a) return null;
  return { nonce: BigInt(a.nonce.toString()), balance: le(a.balance), codeHash: Buffer.from(a.codeHash) };
}

export async function feeMarket(h: Harness, addr: Uint8Array): Promise<{ lastSlot: bigint; used: bigint; baseFee: bigint } | null> {
  const f = await h.program.account.feeMarket.fetchNullable(feePda(addr));
  if (!f) return null;
  return { lastSlot: BigInt(f.lastSlot.toString()), used: BigInt(f.used.toString()), baseFee: BigInt(f.baseFee.toString()) };
}

/** Deposits `lamports` to `addr` (paid by the harness's payer). */
export async function deposit(h: Harness, addr: Uint8Array, lamports: bigint): Promise<Sent> {
  return h.rpc(h.program.methods.deposit([...addr], new BN(lamports.toString())).accounts({ depositor: h.payer.publicKey }));
}

/** Deploys `loopRuntime(n)` from `from` with `execute`; returns the contract's address. */
export async function deployLoop(h: Harness, operator: Keypair, from: EthWallet, n: number): Promise<Buffer> {
  const nonce = (await ethAccount(h, bytes(from.address)))!.nonce;
  const created = bytes(getCreateAddress({ from: from.address, nonce }));
  const raw = await sign(from, { nonce: Number(nonce), data: initcode(loopRuntime(n)), gasLimit: 200_000 });
  const sent = await execute(h, operator, raw, null, evmAccounts(operator.publicKey, bytes(from.address), null, { created }));
  const rc = receipt(h, sent);
  if (rc.status !== 1) throw new Error("deployment failed");
  return created;
}

/** The holder header (programs/isthmus/README.md: Holder): status, tx_len, progress_len. */
export async function holderHeader(h: Harness, holder: PublicKey) {
  const d = await h.rawAccount(holder);
  if (!d) return null;
  return {
    operator: new PublicKey(d.subarray(8, 40)),
    index: d.readBigUInt64LE(40),
    status: d[49],
    txLen: d.readUInt32LE(50),
    progressLen: d.readUInt32LE(54),
    txHash: d.subarray(58, 90),
    len: d.length,
  };
}

export { holderPda, keccak256 };
