// A minimal Solana JSON-RPC (and signature-subscription websocket) server over LiteSVM: just the
// methods the deploy tool's `RpcChain` and Anchor's `AnchorProvider` call, so that the validator
// code path (web3.js `Connection`: send, confirm, poll) runs in the test suite without a
// validator. Not a validator: every transaction lands at once, one slot per transaction; or, with
// `slotMs` (the Anchor suite's ISTHMUS_TARGET=shim), slots that pass with time as a validator's do
// (several transactions in one slot, a new blockhash and a SlotHashes entry per slot; the LiteSVM
// should then not check blockhashes, as a validator accepts any of the last 150).
// `ws` (8.23.0, the version web3.js already pulls in through rpc-websockets) serves the websocket.
import * as http from "http";
import { AddressInfo } from "net";
import { address as kitAddress, getTransactionDecoder } from "@solana/kit";
import { FailedTransactionMetadata, LiteSVM, TransactionMetadata } from "litesvm";
import * as anchor from "@coral-xyz/anchor";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { WebSocketServer } = require("ws");

export class RpcShim {
  private server?: http.Server;
  private wss?: any;
  readonly statuses = new Map<string, { slot: number; err: any; logs?: string[]; cu?: number }>();
  sent = 0;
  private readonly started = Date.now();
  private readonly startSlot: number;
  private slotHashes: { slot: bigint; hash: string }[] = [];
  constructor(readonly svm: LiteSVM, readonly opts: { slotMs?: number } = {}) {
    this.startSlot = Number(svm.getClock().slot);
  }

  private slot() {
    return Number(this.svm.getClock().slot);
  }

  /** With `slotMs`: moves to the slot the time says, recording the slots passed in SlotHashes
   * (newest first, at most 512) under the blockhash each ended with. */
  private tick() {
    if (!this.opts.slotMs) return;
    const target = this.startSlot + Math.floor((Date.now() - this.started) / this.opts.slotMs);
    let slot = this.slot();
    if (target <= slot) return;
    for (; slot < target; slot++) {
      this.slotHashes.unshift({ slot: BigInt(slot), hash: this.svm.latestBlockhash() });
      this.svm.expireBlockhash();
    }
    this.slotHashes = this.slotHashes.slice(0, 512);
    this.svm.warpToSlot(BigInt(target));
    this.svm.setSlotHashes(this.slotHashes as any);
  }

  private handle(method: string, params: any[]): any {
    this.tick();
    const ctx = { context: { slot: this.slot() } };
    switch (method) {
      case "getBalance":
        return { ...ctx, value: Number(this.svm.getBalance(kitAddress(params[0])) ?? 0n) };
      case "getAccountInfo": {
        const a = this.svm.getAccount(kitAddress(params[0]));
        if (!a.exists) return { ...ctx, value: null };
        return {
          ...ctx,
          value: {
            data: [Buffer.from(a.data).toString("base64"), "base64"],
            executable: a.executable,
            lamports: Number(a.lamports),
            owner: a.programAddress,
            rentEpoch: 0,
            space: a.data.length,
          },
        };
      }
      case "getMinimumBalanceForRentExemption":
        return Number(this.svm.minimumBalanceForRentExemption(BigInt(params[0])));
      case "getLatestBlockhash":
        return { ...ctx, value: { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: this.slot() + 150 } };
      case "getBlockHeight":
      case "getSlot":
        return this.slot();
      case "sendTransaction": {
        const wire = Buffer.from(params[0], params[1]?.encoding === "base64" ? "base64" : "base64");
        const result = this.svm.sendTransaction(getTransactionDecoder().decode(wire) as any);
        this.sent++;
        const slot = this.slot();
        // The blockhash stays (LiteSVM accepts only its latest one, and several transactions
        // are in flight at once); the slot moves on.
        if (!this.opts.slotMs) this.svm.warpToSlot(BigInt(slot + 1));
        if (result instanceof FailedTransactionMetadata) {
          throw { code: -32002, message: `Transaction simulation failed: ${result.toString()}`, data: { err: result.toString(), logs: result.meta().logs() } };
        }
        const meta = result as TransactionMetadata;
        const sig = anchor.utils.bytes.bs58.encode(Buffer.from(meta.signature()));
        this.statuses.set(sig, { slot, err: null, logs: meta.logs(), cu: Number(meta.computeUnitsConsumed()) });
        return sig;
      }
      case "getTransaction": {
        const st = this.statuses.get(params[0]);
        if (!st) return null;
        return { slot: st.slot, meta: { err: st.err, logMessages: st.logs ?? [], computeUnitsConsumed: st.cu ?? 0 } };
      }
      case "getSignatureStatuses":
        return {
          ...ctx,
          value: (params[0] as string[]).map((s) => {
            const st = this.statuses.get(s);
            return st ? { slot: st.slot, confirmations: null, err: st.err, confirmationStatus: "finalized" } : null;
          }),
        };
      default:
        throw { code: -32601, message: `rpc-shim: method ${method} not supported` };
    }
  }

  /** Listens on 127.0.0.1 (HTTP on `port`, the websocket on `port + 1`, as web3.js assumes). */
  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const reply = (r: any) => {
          try {
            return { jsonrpc: "2.0", id: r.id, result: this.handle(r.method, r.params ?? []) };
          } catch (e: any) {
            return { jsonrpc: "2.0", id: r.id, error: e?.code ? e : { code: -32603, message: String(e) } };
          }
        };
        const parsed = JSON.parse(body);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(reply) : reply(parsed)));
      });
    });
    // A free HTTP port may have its neighbour taken: with no port asked for, try others.
    let p = 0;
    for (let attempt = 1; ; attempt++) {
      await new Promise<void>((ok) => this.server!.listen(port, "127.0.0.1", ok));
      p = (this.server.address() as AddressInfo).port;
      const wss = new WebSocketServer({ host: "127.0.0.1", port: p + 1 });
      const error = await new Promise<Error | null>((done) => {
        wss.once("listening", () => done(null));
        wss.once("error", (e: Error) => done(e));
      });
      if (!error) {
        this.wss = wss;
        break;
      }
      await new Promise((ok) => this.server!.close(ok));
      if (port !== 0 || attempt >= 20) throw error;
    }
    let nextSub = 1;
    this.wss.on("connection", (ws: any) => {
      ws.on("message", (m: any) => {
        const r = JSON.parse(m.toString());
        if (r.method === "signatureSubscribe") {
          const sub = nextSub++;
          ws.send(JSON.stringify({ jsonrpc: "2.0", id: r.id, result: sub }));
          const st = this.statuses.get(r.params[0]);
          if (st) {
            ws.send(JSON.stringify({ jsonrpc: "2.0", method: "signatureNotification", params: { subscription: sub, result: { context: { slot: st.slot }, value: { err: st.err } } } }));
          }
        } else {
          ws.send(JSON.stringify({ jsonrpc: "2.0", id: r.id, result: true }));
        }
      });
    });
    return `http://127.0.0.1:${p}`;
  }

  async stop() {
    for (const c of this.wss?.clients ?? []) c.terminate();
    await new Promise((ok) => this.wss?.close(ok));
    await new Promise((ok) => this.server?.close(ok));
  }
}
