// Raw JSON-RPC 2.0 against $RPC_URL (fetch) and its WebSocket (npm ws), no client library in the
// way: batches, the standard error codes, the revert error shape, eth_subscribe notifications.
// Signs with ethers (signing only). Sends from development account 4.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ethers } from "ethers";
import WebSocket from "ws";
import { ADDRESSES, CHAIN_ID, KEYS, TIMEOUT, WS_URL, artifact, eventually, rpc, rpcRaw, within } from "./lib/common.mjs";

const opts = { timeout: TIMEOUT };
const ACCOUNT = 4;
const signer = new ethers.Wallet(KEYS[ACCOUNT]);
const HEX = /^0x[0-9a-f]+$/;

/** Signs and sends a transaction with eth_sendRawTransaction; resolves with its receipt. */
async function sendTx(tx) {
  const nonce = Number(await rpc("eth_getTransactionCount", [signer.address, "pending"]));
  const gasPrice = BigInt(await rpc("eth_gasPrice"));
  const raw = await signer.signTransaction({ chainId: CHAIN_ID, nonce, gasPrice, gasLimit: 3_000_000n, type: 0, ...tx });
  const hash = await rpc("eth_sendRawTransaction", [raw]);
  assert.equal(hash, ethers.keccak256(raw));
  return eventually(() => rpc("eth_getTransactionReceipt", [hash]), TIMEOUT, `receipt of ${hash}`);
}

/** A JSON-RPC client over one WebSocket: `call` and a queue of subscription notifications. */
function wsClient(url) {
  const socket = new WebSocket(url);
  const pending = new Map();
  const listeners = [];
  let id = 0;
  socket.on("message", (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.id !== undefined && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? reject(Object.assign(new Error(msg.error.message), msg.error)) : resolve(msg.result);
    } else if (msg.method === "eth_subscription") {
      listeners.forEach((l) => l(msg.params));
    }
  });
  const open = new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return {
    open,
    socket,
    call: (method, params = []) =>
      new Promise((resolve, reject) => {
        const n = ++id;
        pending.set(n, { resolve, reject });
        socket.send(JSON.stringify({ jsonrpc: "2.0", id: n, method, params }));
      }),
    /** Resolves with the first notification of `sub` that `match` accepts. */
    next: (sub, match = () => true, ms = TIMEOUT / 2) =>
      within(ms, `a notification of ${sub}`, (resolve) =>
        listeners.push((p) => p.subscription === sub && match(p.result) && resolve(p.result)),
      ),
    close: () => socket.close(),
  };
}

describe("raw JSON-RPC", { timeout: 30 * TIMEOUT }, () => {
  let token, reverter;
  const Token = artifact("Token");
  const Reverter = artifact("Reverter");
  const tokenIface = new ethers.Interface(Token.abi);
  const revIface = new ethers.Interface(Reverter.abi);

  before(async () => {
    assert.equal(signer.address, ADDRESSES[ACCOUNT]);
    const deployData = Token.bytecode + tokenIface.encodeDeploy(["Raw", "RAW", 10n ** 24n]).slice(2);
    const r = await sendTx({ data: deployData, gasLimit: 5_000_000n });
    assert.equal(r.status, "0x1");
    token = r.contractAddress;
    const r2 = await sendTx({ data: Reverter.bytecode, gasLimit: 1_000_000n });
    assert.equal(r2.status, "0x1");
    reverter = r2.contractAddress;
  });

  it("a batch answers every request, by id, errors included", opts, async () => {
    const answers = await rpcRaw([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: "two", method: "net_version", params: [] },
      { jsonrpc: "2.0", id: 3, method: "eth_noSuchMethod", params: [] },
      { jsonrpc: "2.0", id: 4, method: "eth_getBalance", params: [signer.address, "latest"] },
    ]);
    assert.ok(Array.isArray(answers));
    assert.equal(answers.length, 4);
    const byId = Object.fromEntries(answers.map((a) => [a.id, a]));
    assert.equal(byId[1].result, "0x539");
    assert.equal(byId.two.result, String(CHAIN_ID));
    assert.equal(byId[3].error.code, -32601);
    assert.match(byId[4].result, HEX);
    for (const a of answers) assert.equal(a.jsonrpc, "2.0");
  });

  it("errors: unknown method -32601, invalid params, parse error -32700, empty batch", opts, async () => {
    const unknown = await rpcRaw({ jsonrpc: "2.0", id: 7, method: "eth_noSuchMethod", params: [] });
    assert.equal(unknown.id, 7);
    assert.equal(unknown.error.code, -32601);
    const bad = await rpcRaw({ jsonrpc: "2.0", id: 8, method: "eth_getBalance", params: ["not an address", "latest"] });
    assert.equal(bad.id, 8);
    assert.ok(bad.error, "an error for an invalid address");
    assert.equal(bad.error.code, -32602);
    const res = await fetch(process.env.RPC_URL ?? "http://127.0.0.1:8545", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    const parse = await res.json();
    // JSON-RPC 2.0 says -32700; anvil answers -32600 (invalid request), which says as much.
    assert.ok([-32700, -32600].includes(parse.error?.code), JSON.stringify(parse));
    assert.equal(parse.id, null);
    const empty = await rpcRaw([]);
    assert.equal(empty.error?.code, -32600);
  });

  it("revert errors: code 3, 'execution reverted', the revert data, from eth_call and eth_estimateGas", opts, async () => {
    for (const method of ["eth_call", "eth_estimateGas"]) {
      const params = [{ from: signer.address, to: reverter, data: revIface.encodeFunctionData("custom", [9n]) }];
      if (method === "eth_call") params.push("latest");
      const custom = await rpcRaw({ jsonrpc: "2.0", id: 1, method, params });
      assert.equal(custom.error?.code, 3, `${method}: ${JSON.stringify(custom)}`);
      assert.match(custom.error.message, /^execution reverted/);
      const decoded = revIface.parseError(custom.error.data);
      assert.equal(decoded.name, "Unauthorized");
      assert.deepEqual([...decoded.args], [signer.address, 9n]);

      const msgParams = [{ to: reverter, data: revIface.encodeFunctionData("message") }];
      if (method === "eth_call") msgParams.push("latest");
      const message = await rpcRaw({ jsonrpc: "2.0", id: 2, method, params: msgParams });
      assert.equal(message.error.code, 3);
      assert.equal(message.error.message, "execution reverted: isthmus: message");
      assert.match(message.error.data, /^0x08c379a0/);
    }
  });

  it("eth_estimateGas of a plain transfer: 21000, plus the access list's intrinsic gas (EIP-2930)", opts, async () => {
    const to = ethers.Wallet.createRandom().address;
    assert.equal(Number(await rpc("eth_estimateGas", [{ from: signer.address, to, value: "0x1" }])), 21000);
    const accessList = [{ address: token, storageKeys: [ethers.zeroPadValue("0x01", 32), ethers.zeroPadValue("0x02", 32)] }];
    // 2400 per address, 1900 per storage key.
    assert.equal(Number(await rpc("eth_estimateGas", [{ from: signer.address, to, value: "0x1", accessList }])), 21000 + 2400 + 2 * 1900);
  });

  it("eth_sendRawTransaction: another chain id, a nonce too low, undecodable bytes are rejected", opts, async () => {
    const nonce = Number(await rpc("eth_getTransactionCount", [signer.address, "latest"]));
    const gasPrice = BigInt(await rpc("eth_gasPrice"));
    const to = ethers.Wallet.createRandom().address;
    const tx = { to, value: 1n, gasLimit: 21000n, maxFeePerGas: gasPrice * 2n, maxPriorityFeePerGas: 1n, type: 2 };
    const otherChain = await rpcRaw({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [await signer.signTransaction({ ...tx, chainId: 1, nonce })] });
    assert.ok(otherChain.error, JSON.stringify(otherChain));
    assert.match(otherChain.error.message, /chain id/i);
    const low = await rpcRaw({ jsonrpc: "2.0", id: 2, method: "eth_sendRawTransaction", params: [await signer.signTransaction({ ...tx, chainId: CHAIN_ID, nonce: 0 })] });
    assert.ok(low.error, JSON.stringify(low));
    assert.match(low.error.message, /nonce too low/i);
    const garbage = await rpcRaw({ jsonrpc: "2.0", id: 3, method: "eth_sendRawTransaction", params: ["0x1234"] });
    assert.ok(garbage.error, JSON.stringify(garbage));
    assert.equal(Number(await rpc("eth_getTransactionCount", [signer.address, "latest"])), nonce);
    assert.equal(await rpc("eth_getBalance", [to, "latest"]), "0x0");
  });

  it("WebSocket: eth_subscribe newHeads and logs, notifications, eth_unsubscribe", opts, async () => {
    const ws = wsClient(WS_URL);
    await ws.open;
    try {
      assert.equal(await ws.call("eth_chainId"), "0x539");
      const heads = await ws.call("eth_subscribe", ["newHeads"]);
      assert.match(heads, HEX);
      const transfer = tokenIface.getEvent("Transfer").topicHash;
      const logs = await ws.call("eth_subscribe", ["logs", { address: token, topics: [transfer] }]);
      assert.match(logs, HEX);
      assert.notEqual(logs, heads);
      const to = ethers.Wallet.createRandom().address;
      const gotLog = ws.next(logs, (l) => l.topics[2] === ethers.zeroPadValue(to, 32).toLowerCase());
      const start = Number(await rpc("eth_blockNumber"));
      const gotHead = ws.next(heads, (h) => Number(h.number) > start);
      const receipt = await sendTx({ to: token, data: tokenIface.encodeFunctionData("transfer", [to, 5n]), gasLimit: 200_000n });
      const log = await gotLog;
      assert.equal(log.transactionHash, receipt.transactionHash);
      assert.equal(log.blockHash, receipt.blockHash);
      assert.equal(log.address.toLowerCase(), token.toLowerCase());
      assert.equal(BigInt(log.data), 5n);
      assert.equal(log.removed, false);
      const head = await gotHead;
      for (const k of ["hash", "parentHash", "number", "timestamp", "miner", "stateRoot", "logsBloom", "gasLimit", "gasUsed"]) assert.ok(k in head, `newHeads has ${k}`);
      assert.ok(Number(head.number) > start);
      assert.equal(await ws.call("eth_unsubscribe", [heads]), true);
      assert.equal(await ws.call("eth_unsubscribe", [logs]), true);
      assert.equal(await ws.call("eth_unsubscribe", [logs]), false);
      // A batch over the WebSocket too.
      const answer = await new Promise((resolve) => {
        ws.socket.once("message", (d) => resolve(JSON.parse(d.toString())));
        ws.socket.send(JSON.stringify([
          { jsonrpc: "2.0", id: 100, method: "eth_chainId", params: [] },
          { jsonrpc: "2.0", id: 101, method: "eth_noSuchMethod", params: [] },
        ]));
      });
      assert.ok(Array.isArray(answer), JSON.stringify(answer));
      assert.deepEqual(answer.map((a) => a.id).sort(), [100, 101]);
      assert.ok(answer.find((a) => a.id === 101).error, "an error for the unknown method"); // anvil: -32602 here
    } finally {
      ws.close();
    }
  });

  it("hex quantities and data follow the JSON-RPC conventions", opts, async () => {
    const n = await rpc("eth_blockNumber");
    assert.match(n, /^0x(0|[1-9a-f][0-9a-f]*)$/);
    const block = await rpc("eth_getBlockByNumber", [n, false]);
    for (const k of ["number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas"]) assert.match(block[k], /^0x(0|[1-9a-f][0-9a-f]*)$/, k);
    assert.match(block.hash, /^0x[0-9a-f]{64}$/);
    assert.match(block.logsBloom, /^0x[0-9a-f]{512}$/);
    assert.equal(await rpc("eth_getBlockByNumber", ["0xffffffff", false]), null);
    assert.equal(await rpc("eth_getTransactionReceipt", [ethers.id("nothing")]), null);
    assert.equal(await rpc("eth_getCode", [ethers.Wallet.createRandom().address, "latest"]), "0x");
    assert.equal(await rpc("eth_syncing"), false);
    const accounts = await rpc("eth_accounts");
    assert.equal(accounts.length, 10);
    assert.equal(ethers.getAddress(accounts[0]), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(await rpc("web3_sha3", ["0x"]), ethers.keccak256("0x"));
    assert.equal(await rpc("net_version"), String(CHAIN_ID));
    assert.equal(typeof (await rpc("web3_clientVersion")), "string");
  });
});
