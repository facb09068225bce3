// Shared by the node test files: the endpoint, the development keys, the compiled contracts of
// tests/contracts, and a raw JSON-RPC helper. Nothing here is specific to one node: the same
// files run against rpc-proxy and against anvil (the reference).
import { readFileSync } from "node:fs";

/** The HTTP endpoint ($RPC_URL) and the WebSocket one on the same host and port. */
export const RPC_URL = process.env.RPC_URL ?? "http://127.0.0.1:8545";
export const WS_URL = process.env.WS_URL ?? RPC_URL.replace(/^http/, "ws");
export const CHAIN_ID = 1337;

/** A transaction on rpc-proxy runs on a Solana VM: allow a generous time per test. */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 120_000);

/**
 * The ten development keys of `test test test test test test test test test test test junk`
 * (m/44'/60'/0'/0/i: anvil's and Hardhat's). Each test file sends from its own account so the
 * files may run in parallel without nonce races: ethers 0, web3.js 1, viem 2, Uniswap 3, raw 4,
 * web3.py 5.
 */
export const KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];
export const ADDRESSES = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
];
export const ETH_10000 = 10_000n * 10n ** 18n;

const build = new URL("../../contracts/build/", import.meta.url);
/** A contract compiled in tests/contracts/build: { abi, bytecode } (bytecode 0x-prefixed). */
export function artifact(name) {
  return {
    abi: JSON.parse(readFileSync(new URL(`${name}.abi.json`, build))),
    bytecode: "0x" + readFileSync(new URL(`${name}.bin`, build), "utf8").trim(),
  };
}

/** A Uniswap v2 artifact shipped by npm (@uniswap/v2-core or @uniswap/v2-periphery). */
export function uniswapArtifact(pkg, name) {
  const url = new URL(`../node_modules/@uniswap/${pkg}/build/${name}.json`, import.meta.url);
  const json = JSON.parse(readFileSync(url));
  return { abi: json.abi, bytecode: "0x" + json.bytecode.replace(/^0x/, "") };
}

let nextId = 1;
/** POSTs a JSON-RPC body (an object or an array of them) and returns the parsed answer. */
export async function rpcRaw(body) {
  const res = await fetch(RPC_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.json();
}

/** One JSON-RPC call: its result, or a thrown Error carrying the JSON-RPC `code` and `data`. */
export async function rpc(method, params = []) {
  const answer = await rpcRaw({ jsonrpc: "2.0", id: nextId++, method, params });
  if (answer.error) {
    const e = new Error(`${method}: ${answer.error.message}`);
    e.code = answer.error.code;
    e.data = answer.error.data;
    throw e;
  }
  return answer.result;
}

/** Polls `check` (async, returns truthy when done) until it holds or `ms` pass. */
export async function eventually(check, ms = 60_000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves with the first value `arm(resolve)` delivers, or rejects after `ms`. */
export function within(ms, what, arm) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    arm((v) => {
      clearTimeout(timer);
      resolve(v);
    }, (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
