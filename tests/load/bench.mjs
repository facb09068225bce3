// Load benchmark over raw JSON-RPC (node:http) with transactions pre-signed by ethers v6, against one
// or more endpoints in turn; the first is the baseline of the ratio columns.
//
//   node bench.mjs --target anvil=http://127.0.0.1:18651 --target rpc-proxy=http://127.0.0.1:18700
//     [--senders 8] [--txs 50] [--window 1] [--phase-seconds 30] [--receipt-timeout 120]
//     [--call-seconds 5] [--call-concurrency 16] [--call-threads 2] [--open-txs 200] [--json results.json]
//     [--phases eth,erc20,open,call]   (the phases to run, all by default)
//     [--pid NAME=PID ...]   a target's process, stopped (SIGSTOP) while the others run
//   node bench.mjs --target rpc-proxy=URL --rss-txs 100000 --rss-pid PID
//     [--open-window 8]   memory mode: only setup, then --rss-txs ETH transfers (--open-window sends
//     in flight per sender, HTTP), the endpoint's resident
//     memory (VmRSS of /proc/PID/status) reported before, every 10% and after, checks as above
//
// Per endpoint (chain id 1337, the dev accounts of `test ... junk` funded):
//   setup   account 0 deploys the OpenZeppelin ERC-20 of tests/contracts/build and gives each sender
//           tokens (one transaction at a time, receipts awaited)
//   eth     --senders clients (dev accounts 1..senders), each its own account, send --txs ETH
//           transfers (pre-signed, consecutive nonces) to its own fresh recipient; a client keeps at
//           most --window transactions without a receipt (1: send, wait for the receipt, send the
//           next), sends in nonce order, and stops sending at the phase deadline or at its first
//           refused transaction (a later nonce would be a gap)
//   erc20   the same with ERC-20 transfer(recipient, 1 token)
//   open    open loop: each sender sends --open-txs ETH transfers without waiting for receipts or
//           answers (written in nonce order on its own WebSocket; rpc-proxy answers a send once
//           mined when it could run at once, anvil at once); one
//           follower per sender polls the receipt of its first transaction not yet seen (they are
//           mined in nonce order): latency is send to receipt seen, checks as in the other phases
//   call    1 client, then --call-concurrency clients, run eth_call balanceOf(sender) for
//           --call-seconds each (their ratio: how reads scale with cores); the clients are split
//           over --call-threads node threads (call-worker.mjs): one thread alone saturates its
//           core before a fast endpoint does on a 2-core machine. With --pid, the endpoint's own
//           CPU time per call is reported too
// Measured: transactions per second (receipts / time from the phase start to the last receipt),
// receipt latency (eth_sendRawTransaction sent -> receipt visible via eth_getTransactionReceipt)
// p50/p99, send round trip p50, eth_call calls/s (1 and N clients, their ratio) and latency, and the load generator's own CPU
// (this process; near 100% means the numbers measure the client more than the endpoint). Checked, after each phase: every
// accepted transaction has a receipt with status 1 and its own hash, from the sender;
// eth_getTransactionByHash gives the nonce it was signed with; each sender's transaction count is
// its first nonce + accepted (gap-free, nothing lost, nothing extra); each recipient's balance grew
// by exactly accepted x value; every eth_call result is the balance read before. Failures are
// listed, with the JSON-RPC method and error, under the table. Exit status 1 if any check failed.
import { readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { RpcError, nextId, rpc } from "./rpc.mjs";
import { ethers } from "ethers";
import WebSocket from "ws";

// ---------------------------------------------------------------- arguments
const opts = {
  senders: 8,
  txs: 50,
  window: 1,
  phaseSeconds: 30,
  receiptTimeout: 120,
  callSeconds: 5,
  callConcurrency: 16,
  callThreads: 2,
  openTxs: 200,
  openWindow: 8,
  phases: "eth,erc20,open,call",
  rssTxs: 0,
  rssPid: 0,
  json: null,
  targets: [],
};
{
  const argv = process.argv.slice(2);
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const key = camel(a.slice(2));
    const value = argv[++i];
    if (value === undefined) throw new Error(`${a} needs a value`);
    if (key === "target") {
      const eq = value.indexOf("=");
      if (eq < 0) throw new Error(`--target NAME=URL, got ${value}`);
      opts.targets.push({ name: value.slice(0, eq), url: value.slice(eq + 1) });
    } else if (key === "pid") {
      const [name, pid] = value.split("=");
      const target = opts.targets.find((t) => t.name === name);
      if (!target || !(Number(pid) > 0)) throw new Error(`--pid NAME=PID after --target NAME=URL, got ${value}`);
      target.pid = Number(pid);
    } else if (key in opts) {
      opts[key] = key === "json" || key === "phases" ? value : Number(value);
    } else {
      throw new Error(`unknown option ${a}`);
    }
  }
  if (opts.targets.length === 0) opts.targets.push({ name: "endpoint", url: process.env.RPC_URL ?? "http://127.0.0.1:8545" });
  if (!(opts.senders >= 1 && opts.senders <= 9)) throw new Error("--senders: 1..9 (dev accounts 1..9)");
}

const MNEMONIC = "test test test test test test test test test test test junk";
const ACCOUNTS = Array.from({ length: 10 }, (_, i) =>
  ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`),
);
const build = new URL("../contracts/build/", import.meta.url);
const TOKEN_ABI = JSON.parse(readFileSync(new URL("Token.abi.json", build)));
const TOKEN_BIN = "0x" + readFileSync(new URL("Token.bin", build), "utf8").trim();
const token = new ethers.Interface(TOKEN_ABI);

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

// ---------------------------------------------------------------- JSON-RPC (rpc.mjs)

// A WebSocket to the endpoint (the same port as HTTP on anvil and rpc-proxy), open.
function openSocket(httpUrl) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(httpUrl.replace(/^http/, "ws"));
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

// ---------------------------------------------------------------- statistics
// CPU time (user + system, in ticks of 10 ms) process `pid` has used; null without one.
function processTicks(pid) {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}
function pct(values, q) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

// Problems found, grouped by a key so that one missing method does not print 400 lines.
class Problems {
  constructor() {
    this.map = new Map();
  }
  add(where, err) {
    const msg = err instanceof Error ? err.message : String(err);
    const key = `${where}: ${msg.replace(/0x[0-9a-fA-F]{64}/g, "0x…")}`;
    this.map.set(key, (this.map.get(key) ?? 0) + 1);
  }
  get count() {
    let n = 0;
    for (const v of this.map.values()) n += v;
    return n;
  }
  lines() {
    return [...this.map].map(([k, n]) => (n > 1 ? `${k} (x${n})` : k));
  }
}

// ---------------------------------------------------------------- one endpoint
async function benchTarget({ name, url, pid }) {
  const problems = new Problems(); // failed checks and refused or lost transactions
  const result = { name, url, phases: {}, problems };
  const call = (m, p, t) => rpc(url, m, p, t);

  const chainId = BigInt(await call("eth_chainId"));
  if (chainId !== 1337n) throw new Error(`${name}: chain id ${chainId}, expected 1337`);
  const gasPrice = BigInt(await call("eth_gasPrice"));
  let tip = 0n;
  try {
    tip = BigInt(await call("eth_maxPriorityFeePerGas"));
  } catch (e) {
    problems.add("setup", e);
  }
  const fees = { maxFeePerGas: gasPrice * 2n + tip, maxPriorityFeePerGas: tip };
  log(`${name}: ${url}, gas price ${gasPrice}, tip ${tip}`);

  const nonceOf = async (addr) => Number(BigInt(await call("eth_getTransactionCount", [addr, "latest"])));
  async function waitReceipt(hash, sentAt) {
    const deadline = sentAt + opts.receiptTimeout * 1000;
    // immediate first poll, then 2, 4, 8, 16, 25, 25 ... ms: the latency is measured to ~25 ms
    let delay = 2;
    let lastErr = null;
    for (;;) {
      try {
        const r = await call("eth_getTransactionReceipt", [hash], 30_000);
        if (r) return { receipt: r, at: now() };
      } catch (e) {
        lastErr = e;
      }
      if (now() > deadline) {
        throw lastErr ?? new Error(`no receipt for ${hash} after ${opts.receiptTimeout} s`);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 25);
    }
  }
  const sign = (wallet, tx) =>
    wallet.signTransaction({ type: 2, chainId, ...fees, ...tx });
  // One transaction, receipt awaited (setup only).
  async function sendAndWait(wallet, tx, what) {
    const raw = await sign(wallet, { nonce: await nonceOf(wallet.address), ...tx });
    const t0 = now();
    const hash = await call("eth_sendRawTransaction", [raw]);
    const { receipt } = await waitReceipt(hash, t0);
    if (receipt.status !== "0x1") throw new Error(`${what}: status ${receipt.status}`);
    return receipt;
  }

  // setup: token, and tokens for each sender
  const deployer = ACCOUNTS[0];
  const senders = ACCOUNTS.slice(1, 1 + opts.senders);
  const deployData = TOKEN_BIN + token.encodeDeploy(["Load Token", "LOAD", ethers.parseUnits("1000000000", 18)]).slice(2);
  const deployGas = BigInt(await call("eth_estimateGas", [{ from: deployer.address, data: deployData }]));
  const tSetup = now();
  const deployed = await sendAndWait(deployer, { data: deployData, gasLimit: (deployGas * 3n) / 2n }, "deploy");
  const tokenAddr = ethers.getAddress(deployed.contractAddress);
  const perSender = ethers.parseUnits("1000000", 18);
  for (const s of senders) {
    const data = token.encodeFunctionData("transfer", [s.address, perSender]);
    const gas = BigInt(await call("eth_estimateGas", [{ from: deployer.address, to: tokenAddr, data }]));
    await sendAndWait(deployer, { to: tokenAddr, data, gasLimit: (gas * 3n) / 2n }, "fund sender");
  }
  log(`${name}: token ${tokenAddr}, ${senders.length} senders funded in ${((now() - tSetup) / 1000).toFixed(1)} s`);

  const recipient = (phase, i) =>
    ethers.getAddress(ethers.dataSlice(ethers.id(`isthmus-load/${name}/${phase}/${i}/${Date.now()}`), 12));
  const tokenBalance = async (addr) =>
    BigInt(await call("eth_call", [{ to: tokenAddr, data: token.encodeFunctionData("balanceOf", [addr]) }, "latest"]));
  const ethBalance = async (addr) => BigInt(await call("eth_getBalance", [addr, "latest"]));

  // ------------------------------------------------------------ a phase of transfers
  async function transferPhase(phase) {
    const isEth = phase !== "erc20";
    const open = phase === "open";
    const perSender = open ? opts.openTxs : opts.txs;
    const value = isEth ? 1_000_000_000_000n : ethers.parseUnits("1", 18); // 1e-6 ETH, 1 token
    const recipients = senders.map((_, i) => recipient(phase, i));
    let gasLimit = 21_000n;
    if (!isEth) {
      const data = token.encodeFunctionData("transfer", [recipients[0], value]);
      gasLimit = (BigInt(await call("eth_estimateGas", [{ from: senders[0].address, to: tokenAddr, data }])) * 3n) / 2n;
    }
    const balance = isEth ? ethBalance : tokenBalance;
    // pre-sign everything before the clock starts
    const plans = [];
    for (const [i, s] of senders.entries()) {
      const first = await nonceOf(s.address);
      const txs = [];
      for (let k = 0; k < perSender; k++) {
        const tx = isEth
          ? { to: recipients[i], value, gasLimit, nonce: first + k }
          : { to: tokenAddr, data: token.encodeFunctionData("transfer", [recipients[i], value]), gasLimit, nonce: first + k };
        const raw = await sign(s, tx);
        txs.push({ nonce: first + k, raw, hash: ethers.keccak256(raw) });
      }
      plans.push({ sender: s, first, txs, recipient: recipients[i], before: await balance(recipients[i]) });
    }
    log(`${name}/${phase}: ${senders.length} x ${perSender} signed, sending (${open ? "open loop" : `window ${opts.window}`}, ${opts.phaseSeconds} s)`);

    const t0 = now();
    const cpu0 = process.cpuUsage();
    const deadline = t0 + opts.phaseSeconds * 1000;
    const latencies = [];
    const sendLatencies = [];
    let lastReceiptAt = t0;
    async function client(plan) {
      plan.accepted = [];
      const inflight = new Set();
      for (const tx of plan.txs) {
        if (now() > deadline) break;
        const sentAt = now();
        let hash;
        try {
          hash = await call("eth_sendRawTransaction", [tx.raw]);
        } catch (e) {
          problems.add(`${phase}: send refused`, e);
          break; // any later nonce would be a gap
        }
        sendLatencies.push(now() - sentAt);
        if (hash !== tx.hash) problems.add(`${phase}: eth_sendRawTransaction`, `returned ${hash}, the transaction's hash is ${tx.hash}`);
        const entry = { ...tx, sentAt };
        plan.accepted.push(entry);
        const p = waitReceipt(tx.hash, sentAt).then(
          ({ receipt, at }) => {
            entry.receipt = receipt;
            latencies.push(at - sentAt);
            if (at > lastReceiptAt) lastReceiptAt = at;
          },
          (e) => problems.add(`${phase}: receipt lost`, e),
        );
        inflight.add(p);
        p.finally(() => inflight.delete(p));
        if (inflight.size >= opts.window) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    }
    // Open loop: each sender writes all its transactions, in nonce order, on its own WebSocket
    // (one connection keeps the order they arrive in: out of order, anvil's automine leaves the
    // later ones unmined) without waiting for any answer; then collects the answers.
    async function openClient(plan) {
      plan.accepted = [];
      const ws = await openSocket(url);
      const answers = new Map();
      ws.on("message", (data) => {
        const msg = JSON.parse(data.toString());
        answers.get(msg.id)?.(msg);
      });
      const pending = [];
      for (const tx of plan.txs) {
        if (now() > deadline) break;
        const entry = { ...tx, sentAt: now() };
        plan.accepted.push(entry);
        const id = nextId();
        pending.push(
          new Promise((resolve) => answers.set(id, resolve)).then((msg) => {
            entry.answered = true;
            sendLatencies.push(now() - entry.sentAt);
            if (msg.error) {
              problems.add(`${phase}: send refused`, new RpcError("eth_sendRawTransaction", msg.error.message, msg.error.code));
              entry.refused = true;
            } else if (msg.result !== tx.hash) {
              problems.add(`${phase}: eth_sendRawTransaction`, `returned ${msg.result}, the transaction's hash is ${tx.hash}`);
            }
          }),
        );
        ws.send(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [tx.raw] }));
      }
      // A node that stops answering (anvil 1.7.1 has stopped mining mid-phase and grown to the
      // machine's memory while the receipts were polled) ends the phase at the receipt timeout,
      // the unanswered sends counted as refused, rather than hanging the benchmark.
      const stopAt = deadline + opts.receiptTimeout * 1000;
      let timer;
      const answered = await Promise.race([
        Promise.all(pending).then(() => true),
        new Promise((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, stopAt - now())))),
      ]);
      clearTimeout(timer); // (a pending timer would keep node alive after the last phase)
      ws.close();
      if (!answered) {
        const unanswered = plan.accepted.filter((t) => !t.answered).length;
        problems.add(`${phase}: no answer`, `${unanswered} eth_sendRawTransaction calls unanswered after ${opts.receiptTimeout} s: the node stalled`);
        for (const t of plan.accepted) if (!t.answered) t.refused = true;
      }
      // only up to the first refusal: a later nonce would wait on the gap
      const firstRefused = plan.accepted.findIndex((t) => t.refused);
      if (firstRefused >= 0) plan.accepted.length = firstRefused;
    }
    // A sender's transactions are mined in nonce order: one follower per sender polls the
    // receipt of its first transaction not yet seen, then the next (a block's worth found one
    // after the other, each a round trip later).
    async function follow(plan, sending) {
      let k = 0;
      let delay = 1;
      const stopAt = deadline + opts.receiptTimeout * 1000;
      for (;;) {
        const tx = plan.accepted?.[k];
        if (!tx || tx.refused) {
          if (sending.done) return;
          await sleep(1);
          continue;
        }
        if (now() > stopAt) {
          problems.add(`${phase}: receipt lost`, `no receipt for ${plan.accepted.length - k} transactions after ${opts.receiptTimeout} s`);
          return;
        }
        try {
          const r = await call("eth_getTransactionReceipt", [tx.hash], 30_000);
          if (r) {
            const at = now();
            tx.receipt = r;
            latencies.push(at - tx.sentAt);
            if (at > lastReceiptAt) lastReceiptAt = at;
            k++;
            delay = 1;
            continue;
          }
        } catch (e) {
          problems.add(`${phase}: receipt`, e);
        }
        await sleep(delay);
        delay = Math.min(delay * 2, 8);
      }
    }
    if (open) {
      const sending = { done: false };
      const followers = plans.map((p) => follow(p, sending));
      await Promise.all(plans.map(openClient));
      sending.done = true;
      await Promise.all(followers);
    } else {
      await Promise.all(plans.map(client));
    }
    const elapsed = (lastReceiptAt - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const clientCpu = (cpu.user + cpu.system) / 1000 / (now() - t0); // share of one core

    // checks
    let accepted = 0;
    let confirmed = 0;
    let checked = 0;
    for (const plan of plans) {
      const addr = plan.sender.address.toLowerCase();
      accepted += plan.accepted.length;
      for (const [k, tx] of plan.accepted.entries()) {
        if (tx.nonce !== plan.first + k) problems.add(`${phase}: nonces`, "accepted nonces not consecutive");
        const r = tx.receipt;
        if (!r) continue;
        confirmed++;
        if (r.status !== "0x1") problems.add(`${phase}: receipt`, `status ${r.status}`);
        if (r.transactionHash !== tx.hash) problems.add(`${phase}: receipt`, "transactionHash is not the transaction's");
        if (r.from?.toLowerCase() !== addr) problems.add(`${phase}: receipt`, `from ${r.from}, expected ${addr}`);
      }
      // the transactions by hash carry the nonces they were signed with (checked on a sample of 5
      // per sender: the first, the last and three between)
      const n = plan.accepted.length;
      const sample = [...new Set([0, n - 1, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)])].filter((k) => k >= 0 && k < n);
      for (const k of sample) {
        const tx = plan.accepted[k];
        try {
          const t = await call("eth_getTransactionByHash", [tx.hash]);
          if (!t) problems.add(`${phase}: eth_getTransactionByHash`, "null for an accepted transaction");
          else if (Number(BigInt(t.nonce)) !== tx.nonce || t.from?.toLowerCase() !== addr)
            problems.add(`${phase}: eth_getTransactionByHash`, `nonce ${t.nonce} from ${t.from}, expected ${tx.nonce} from ${addr}`);
        } catch (e) {
          problems.add(`${phase}: check`, e);
        }
        checked++;
      }
      const count = await nonceOf(plan.sender.address);
      if (count !== plan.first + n)
        problems.add(`${phase}: nonce gap or lost transaction`, `${plan.sender.address}: transaction count ${count}, expected ${plan.first} + ${n} accepted`);
      const after = await balance(plan.recipient);
      const want = BigInt(n) * value;
      if (after - plan.before !== want)
        problems.add(`${phase}: balance`, `recipient of ${plan.sender.address} grew by ${after - plan.before}, expected ${want}`);
    }
    const out = {
      planned: plans.length * perSender,
      accepted,
      confirmed,
      seconds: elapsed,
      tps: elapsed > 0 ? confirmed / elapsed : null,
      receiptP50: pct(latencies, 0.5),
      receiptP99: pct(latencies, 0.99),
      sendP50: pct(sendLatencies, 0.5),
      clientCpu,
      gasLimit: Number(gasLimit),
    };
    log(`${name}/${phase}: ${confirmed}/${accepted} confirmed of ${out.planned} in ${elapsed.toFixed(2)} s, ${out.tps?.toFixed(2)} tx/s, p50 ${out.receiptP50?.toFixed(1)} ms, p99 ${out.receiptP99?.toFixed(1)} ms`);
    return out;
  }

  // ------------------------------------------------------------ resident memory under load
  // --rss-txs ETH transfers from the senders in open loop (signed as they go: 100,000 do not fit
  // in a pre-signed list cheaply), the endpoint's VmRSS sampled every 10%.
  async function rssPhase() {
    const rss = () => {
      const m = readFileSync(`/proc/${opts.rssPid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      return m ? Number(m[1]) / 1024 : null;
    };
    const value = 1_000_000_000_000n;
    const recipients = senders.map((_, i) => recipient("rss", i));
    const plans = [];
    for (const [i, s] of senders.entries())
      plans.push({ sender: s, first: await nonceOf(s.address), sent: 0, recipient: recipients[i], before: await ethBalance(recipients[i]) });
    const total = opts.rssTxs;
    const samples = [{ txs: 0, mib: rss() }];
    let sent = 0;
    let nextSample = total / 10;
    const t0 = now();
    async function lane(plan, count) {
      // up to --open-window sends in flight per sender, signed just before they go
      let k = 0;
      const inflight = new Set();
      while (k < count) {
        const nonce = plan.first + k++;
        const raw = await sign(plan.sender, { to: plan.recipient, value, gasLimit: 21_000n, nonce });
        const p = call("eth_sendRawTransaction", [raw]).then(
          () => {
            plan.sent++;
            if (++sent >= nextSample) {
              samples.push({ txs: sent, mib: rss() });
              nextSample += total / 10;
              log(`${name}/rss: ${sent} sent, RSS ${samples.at(-1).mib?.toFixed(1)} MiB`);
            }
          },
          (e) => problems.add("rss: send refused", e),
        );
        inflight.add(p);
        p.finally(() => inflight.delete(p));
        if (inflight.size >= opts.openWindow) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    }
    const share = Math.floor(total / plans.length);
    await Promise.all(plans.map((p, i) => lane(p, i === 0 ? total - share * (plans.length - 1) : share)));
    // all mined: each sender's count reaches what it sent
    for (const plan of plans) {
      const deadline = now() + opts.receiptTimeout * 1000;
      while ((await nonceOf(plan.sender.address)) < plan.first + plan.sent && now() < deadline) await sleep(50);
    }
    const seconds = (now() - t0) / 1000;
    samples.push({ txs: sent, mib: rss(), mined: true });
    for (const plan of plans) {
      const count = await nonceOf(plan.sender.address);
      if (count !== plan.first + plan.sent)
        problems.add("rss: nonce gap or lost transaction", `${plan.sender.address}: count ${count}, expected ${plan.first} + ${plan.sent}`);
      const grew = (await ethBalance(plan.recipient)) - plan.before;
      if (grew !== BigInt(plan.sent) * value) problems.add("rss: balance", `recipient of ${plan.sender.address} grew by ${grew}`);
    }
    log(`${name}/rss: ${sent} transactions in ${seconds.toFixed(1)} s, RSS ${samples[0].mib?.toFixed(1)} -> ${samples.at(-1).mib?.toFixed(1)} MiB`);
    return { txs: sent, seconds, tps: sent / seconds, samples };
  }

  // ------------------------------------------------------------ eth_call throughput
  async function callPhase(concurrency) {
    const expected = [];
    for (const s of senders) expected.push(await tokenBalance(s.address));
    const datas = senders.map((s) => token.encodeFunctionData("balanceOf", [s.address]));
    // The clients split over --call-threads threads (call-worker.mjs), each its own event loop.
    const threads = Math.max(1, Math.min(opts.callThreads, concurrency));
    const shares = Array.from({ length: threads }, (_, j) => Math.floor(concurrency / threads) + (j < concurrency % threads ? 1 : 0));
    const cpu0 = process.cpuUsage();
    const server0 = processTicks(pid);
    const t0 = now();
    const parts = await Promise.all(
      shares.map(
        (share) =>
          new Promise((resolve, reject) => {
            const workerData = { url, to: tokenAddr, datas, expected: expected.map(String), concurrency: share, deadlineMs: opts.callSeconds * 1000 };
            const worker = new Worker(new URL("./call-worker.mjs", import.meta.url), { workerData });
            worker.once("message", resolve);
            worker.once("error", reject);
          }),
      ),
    );
    const seconds = (now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const server1 = processTicks(pid);
    const latencies = parts.flatMap((p) => p.latencies);
    for (const p of parts) for (const [where, msg] of p.problems) problems.add(where, msg);
    const ok = parts.reduce((n, p) => n + p.ok, 0);
    // Each thread's calls over its own running time (thread start-up is not the endpoint's).
    const cps = parts.reduce((n, p) => n + p.ok / p.seconds, 0);
    const clientCpu = (cpu.user + cpu.system) / 1000 / (seconds * 1000);
    // The endpoint's own CPU per call (/proc/PID/stat, 100 ticks a second): what a call costs it,
    // whoever the bottleneck is.
    const serverMicros = server0 !== null && server1 !== null && latencies.length ? ((server1 - server0) * 10_000) / latencies.length : null;
    const out = { calls: latencies.length, ok, seconds, cps, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), clientCpu, serverMicros, threads };
    log(
      `${name}/call x${concurrency} (${threads} thread${threads > 1 ? "s" : ""}): ${ok} calls in ${seconds.toFixed(2)} s, ${cps.toFixed(1)}/s, ` +
        `p50 ${out.p50?.toFixed(2)} ms, p99 ${out.p99?.toFixed(2)} ms, endpoint CPU ${serverMicros?.toFixed(1) ?? "n/a"} µs a call`,
    );
    return out;
  }

  if (opts.rssTxs > 0) {
    result.phases.rss = await rssPhase();
    return result;
  }
  for (const phase of ["eth", "erc20", "open"].filter((p) => opts.phases.split(",").includes(p))) {
    try {
      result.phases[phase] = await transferPhase(phase);
    } catch (e) {
      problems.add(`${phase}: aborted`, e);
    }
  }
  // One client, then --call-concurrency: reads that never wait on each other scale with cores.
  if (opts.phases.split(",").includes("call")) {
    try {
      result.phases.call1 = await callPhase(1);
      result.phases.call = await callPhase(opts.callConcurrency);
    } catch (e) {
      problems.add("call: aborted", e);
    }
  }
  return result;
}

// ---------------------------------------------------------------- report
const results = [];
// While one target runs, the other nodes (given with --pid) are stopped (SIGSTOP): a node left
// busy by its own phases (anvil that stalled in the open loop keeps a core and grows its memory)
// must not take the machine from the next one.
const others = (t) => opts.targets.filter((o) => o !== t && o.pid);
for (const t of opts.targets) {
  for (const o of others(t)) process.kill(o.pid, "SIGSTOP");
  try {
    const result = await benchTarget(t);
    results.push(result);
    // A node that stalled is of no further use, and stopped it would still hold its memory.
    if (t.pid && [...result.problems.map.keys()].some((k) => k.includes(": no answer:"))) {
      process.kill(t.pid, "SIGKILL");
      t.pid = 0;
      log(`${t.name}: stalled, killed (its results above stand as measured)`);
    }
  } catch (e) {
    const problems = new Problems();
    problems.add("setup: aborted", e);
    results.push({ name: t.name, url: t.url, phases: {}, problems });
    log(`${t.name}: ${e.message}`);
  } finally {
    for (const o of others(t)) process.kill(o.pid, "SIGCONT");
  }
}

const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits));
const rows = [
  ["ETH transfers: confirmed / planned", (r) => r.phases.eth && `${r.phases.eth.confirmed} / ${r.phases.eth.planned}`, null],
  ["ETH transfers: tx/s", (r) => r.phases.eth?.tps, 2],
  ["ETH transfers: receipt latency p50 (ms)", (r) => r.phases.eth?.receiptP50, 1],
  ["ETH transfers: receipt latency p99 (ms)", (r) => r.phases.eth?.receiptP99, 1],
  ["ETH transfers: eth_sendRawTransaction p50 (ms)", (r) => r.phases.eth?.sendP50, 1],
  ["ERC-20 transfers: confirmed / planned", (r) => r.phases.erc20 && `${r.phases.erc20.confirmed} / ${r.phases.erc20.planned}`, null],
  ["ERC-20 transfers: tx/s", (r) => r.phases.erc20?.tps, 2],
  ["ERC-20 transfers: receipt latency p50 (ms)", (r) => r.phases.erc20?.receiptP50, 1],
  ["ERC-20 transfers: receipt latency p99 (ms)", (r) => r.phases.erc20?.receiptP99, 1],
  ["ERC-20 transfers: eth_sendRawTransaction p50 (ms)", (r) => r.phases.erc20?.sendP50, 1],
  ["Open loop ETH transfers: confirmed / planned", (r) => r.phases.open && `${r.phases.open.confirmed} / ${r.phases.open.planned}`, null],
  ["Open loop ETH transfers: tx/s", (r) => r.phases.open?.tps, 2],
  ["Open loop ETH transfers: receipt latency p50 (ms)", (r) => r.phases.open?.receiptP50, 1],
  ["Open loop ETH transfers: receipt latency p99 (ms)", (r) => r.phases.open?.receiptP99, 1],
  ["Open loop ETH transfers: eth_sendRawTransaction p50 (ms)", (r) => r.phases.open?.sendP50, 1],
  ["eth_call balanceOf (1 client): calls/s", (r) => r.phases.call1?.cps, 1],
  [`eth_call balanceOf (${opts.callConcurrency} concurrent): calls/s`, (r) => r.phases.call?.cps, 1],
  [`eth_call scaling: ${opts.callConcurrency} clients / 1 client`, (r) => r.phases.call && r.phases.call1 ? r.phases.call.cps / r.phases.call1.cps : null, 2],
  [`eth_call: the endpoint's CPU per call, 1 / ${opts.callConcurrency} clients (µs)`, (r) => (r.phases.call1?.serverMicros != null ? `${fmt(r.phases.call1.serverMicros)} / ${fmt(r.phases.call?.serverMicros)}` : null), null],
  ["eth_call latency p50 (ms)", (r) => r.phases.call?.p50, 2],
  ["eth_call latency p99 (ms)", (r) => r.phases.call?.p99, 2],
  ["load generator CPU (share of one core): ETH / ERC-20 / open loop / eth_call", (r) => ["eth", "erc20", "open", "call"].map((p) => (r.phases[p] ? `${Math.round(r.phases[p].clientCpu * 100)}%` : "n/a")).join(" / "), null],
  ["problems (failed checks, refused or lost transactions)", (r) => r.problems.count, 0],
];
const base = results[0];
const header = ["metric", ...results.map((r) => r.name), ...results.slice(1).map((r) => `${r.name} / ${base.name}`)];
const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`];
for (const [label, get, digits] of rows) {
  const vals = results.map(get);
  const cells = vals.map((v) => (typeof v === "number" ? fmt(v, digits ?? 1) : v ?? "n/a"));
  const ratios = vals.slice(1).map((v) => {
    const b = vals[0];
    if (typeof v !== "number" || typeof b !== "number" || digits === 0 || b === 0) return "";
    const r = v / b;
    return r >= 10 || r === 0 ? `${r.toFixed(0)}x` : r >= 0.1 ? `${r.toFixed(2)}x` : `${r.toPrecision(2)}x`;
  });
  lines.push(`| ${[label, ...cells, ...ratios].join(" | ")} |`);
}
if (opts.rssTxs > 0) {
  for (const r of results) {
    const x = r.phases.rss;
    console.log(`\nResident memory of ${r.name} (${r.url}), pid ${opts.rssPid}: ${x ? `${x.txs} ETH transfers from ${opts.senders} senders in ${x.seconds.toFixed(1)} s (${x.tps.toFixed(1)} tx/s)` : "not run"}\n`);
    console.log("| transactions sent | VmRSS (MiB) |\n| ---: | ---: |");
    for (const smp of x?.samples ?? []) console.log(`| ${smp.txs}${smp.mined ? " (all mined)" : ""} | ${fmt(smp.mib)} |`);
    console.log(`\n${r.problems.count === 0 ? "all checks passed" : "problems:"}`);
    for (const l of r.problems.lines()) console.log(`- ${l}`);
  }
  process.exit(results.some((r) => r.problems.count > 0) ? 1 : 0);
}
console.log(
  `\nLoad: ${opts.senders} senders (own dev account each) x ${opts.txs} transactions, window ${opts.window} ` +
    `(transactions without a receipt per sender), phase limit ${opts.phaseSeconds} s; open loop: ${opts.senders} x ${opts.openTxs} ` +
    `ETH transfers sent without waiting (a WebSocket per sender); eth_call for ${opts.callSeconds} s.\n`,
);
console.log(lines.join("\n"));
for (const r of results) {
  console.log(`\n${r.name} (${r.url}): ${r.problems.count === 0 ? "all checks passed" : "problems:"}`);
  for (const l of r.problems.lines()) console.log(`- ${l}`);
}
if (opts.json) {
  writeFileSync(
    opts.json,
    JSON.stringify({ opts, results: results.map((r) => ({ ...r, problems: r.problems.lines() })) }, null, 2),
  );
}
process.exitCode = results.some((r) => r.problems.count > 0) ? 1 : 0;
