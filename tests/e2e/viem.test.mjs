// viem (npm) against $RPC_URL and the WebSocket on the same port: the ERC-20 and ERC-721,
// receipts, balances, logs (eth_getLogs, filters, eth_subscribe), custom-error reverts from
// eth_call and eth_estimateGas, transaction types 0/1/2, rejected transactions, blocks, a batched
// HTTP transport, and the small methods. Sends from development account 2.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  BaseError,
  ContractFunctionRevertedError,
  NonceTooLowError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  pad,
  parseEventLogs,
  toHex,
  webSocket,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ADDRESSES, CHAIN_ID, ETH_10000, KEYS, RPC_URL, TIMEOUT, WS_URL, artifact, within } from "./lib/common.mjs";

const opts = { timeout: TIMEOUT };
const ACCOUNT = 2;

const chain = defineChain({
  id: CHAIN_ID,
  name: "Isthmus dev",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [RPC_URL], webSocket: [WS_URL] } },
});

/** The decoded revert inside a viem error (ContractFunctionRevertedError), or undefined. */
function revertOf(e) {
  assert.ok(e instanceof BaseError, `a viem error, got ${e}`);
  return e.walk((x) => x instanceof ContractFunctionRevertedError)?.data;
}

describe("viem", { timeout: 30 * TIMEOUT }, () => {
  let publicClient, wallet, account;
  let token, nftAddress, transferReceipt;
  const Token = artifact("Token");
  const Nft = artifact("Nft");
  const supply = 10n ** 24n;
  const amount = 4321n * 10n ** 18n;
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  const receipt = (hash) => publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: TIMEOUT });

  before(() => {
    account = privateKeyToAccount(KEYS[ACCOUNT]);
    assert.equal(account.address, ADDRESSES[ACCOUNT]);
    publicClient = createPublicClient({ chain, transport: http(RPC_URL), pollingInterval: 250 });
    wallet = createWalletClient({ chain, account, transport: http(RPC_URL) });
  });

  it("eth_chainId 1337 and the account funded", opts, async () => {
    assert.equal(await publicClient.getChainId(), CHAIN_ID);
    const balance = await publicClient.getBalance({ address: account.address });
    if ((await publicClient.getTransactionCount({ address: account.address })) === 0) assert.equal(balance, ETH_10000);
    else assert.ok(balance > 0n && balance < ETH_10000);
  });

  it("deploys the ERC-20 and reads it", opts, async () => {
    const hash = await wallet.deployContract({ abi: Token.abi, bytecode: Token.bytecode, args: ["Viem Token", "VIEM", supply] });
    const r = await receipt(hash);
    assert.equal(r.status, "success");
    assert.ok(r.contractAddress);
    token = { address: r.contractAddress, abi: Token.abi };
    assert.notEqual(await publicClient.getCode({ address: token.address }), undefined);
    assert.equal(await publicClient.readContract({ ...token, functionName: "symbol" }), "VIEM");
    assert.equal(await publicClient.readContract({ ...token, functionName: "totalSupply" }), supply);
    assert.equal(await publicClient.readContract({ ...token, functionName: "balanceOf", args: [account.address] }), supply);
  });

  it("transfers, waits for the receipt, decodes the event, reads balances", opts, async () => {
    const nonce = await publicClient.getTransactionCount({ address: account.address });
    const hash = await wallet.writeContract({ ...token, functionName: "transfer", args: [recipient, amount] });
    const r = await receipt(hash);
    assert.equal(r.status, "success");
    assert.equal(r.transactionHash, hash);
    assert.equal(r.from.toLowerCase(), account.address.toLowerCase());
    const [ev] = parseEventLogs({ abi: Token.abi, logs: r.logs, eventName: "Transfer" });
    assert.deepEqual(ev.args, { from: account.address, to: recipient, value: amount });
    assert.equal(await publicClient.readContract({ ...token, functionName: "balanceOf", args: [recipient] }), amount);
    assert.equal(await publicClient.readContract({ ...token, functionName: "balanceOf", args: [account.address] }), supply - amount);
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), nonce + 1);
    transferReceipt = r;
  });

  it("deploys the ERC-721, mints and transfers a token", opts, async () => {
    const r = await receipt(await wallet.deployContract({ abi: Nft.abi, bytecode: Nft.bytecode }));
    nftAddress = r.contractAddress;
    const nft = { address: nftAddress, abi: Nft.abi };
    const mint = await receipt(await wallet.writeContract({ ...nft, functionName: "mint", args: [account.address, 11n] }));
    const [ev] = parseEventLogs({ abi: Nft.abi, logs: mint.logs, eventName: "Transfer" });
    assert.deepEqual(ev.args, { from: zeroAddress, to: account.address, tokenId: 11n });
    assert.equal(await publicClient.readContract({ ...nft, functionName: "ownerOf", args: [11n] }), account.address);
    await receipt(await wallet.writeContract({ ...nft, functionName: "transferFrom", args: [account.address, recipient, 11n] }));
    assert.equal(await publicClient.readContract({ ...nft, functionName: "ownerOf", args: [11n] }), recipient);
    await assert.rejects(publicClient.readContract({ ...nft, functionName: "ownerOf", args: [12n] }), (e) => {
      const revert = revertOf(e);
      assert.equal(revert?.errorName, "ERC721NonexistentToken", e.message);
      assert.deepEqual(revert.args, [12n]);
      return true;
    });
  });

  it("eth_getLogs: getLogs with an event and indexed args, getContractEvents", opts, async () => {
    const event = Token.abi.find((x) => x.type === "event" && x.name === "Transfer");
    const logs = await publicClient.getLogs({ address: token.address, event, args: { to: recipient }, fromBlock: 0n, toBlock: "latest" });
    assert.equal(logs.length, 1);
    assert.equal(logs[0].transactionHash, transferReceipt.transactionHash);
    assert.equal(logs[0].blockNumber, transferReceipt.blockNumber);
    assert.deepEqual(logs[0].args, { from: account.address, to: recipient, value: amount });
    const all = await publicClient.getContractEvents({ ...token, eventName: "Transfer", fromBlock: 0n });
    assert.equal(all.length, 2);
    assert.equal(all[0].args.from, zeroAddress);
    const inBlock = await publicClient.getLogs({ address: token.address, blockHash: transferReceipt.blockHash });
    assert.deepEqual(inBlock.map((l) => l.transactionHash), [transferReceipt.transactionHash]);
  });

  it("filters: eth_newFilter (contract event), eth_newBlockFilter, getFilterChanges/Logs, uninstall", opts, async () => {
    const filter = await publicClient.createContractEventFilter({ ...token, eventName: "Transfer", args: { to: recipient } });
    const blocks = await publicClient.createBlockFilter();
    assert.deepEqual(await publicClient.getFilterChanges({ filter }), []);
    const r = await receipt(await wallet.writeContract({ ...token, functionName: "transfer", args: [recipient, 3n] }));
    const changes = await publicClient.getFilterChanges({ filter });
    assert.equal(changes.length, 1);
    assert.equal(changes[0].transactionHash, r.transactionHash);
    assert.equal(changes[0].args.value, 3n);
    const hashes = await publicClient.getFilterChanges({ filter: blocks });
    assert.ok(hashes.includes(r.blockHash));
    const logs = await publicClient.getFilterLogs({ filter });
    assert.ok(logs.some((l) => l.transactionHash === r.transactionHash));
    assert.equal(await publicClient.uninstallFilter({ filter }), true);
    assert.equal(await publicClient.uninstallFilter({ filter: blocks }), true);
  });

  it("WebSocket: watchBlocks (newHeads) and watchContractEvent (logs) see a transfer", opts, async () => {
    const transport = webSocket(WS_URL);
    const ws = createPublicClient({ chain, transport });
    const unwatch = [];
    try {
      assert.equal(await ws.getChainId(), CHAIN_ID);
      const start = await ws.getBlockNumber({ cacheTime: 0 });
      const head = within(TIMEOUT / 2, "newHeads", (resolve, reject) =>
        unwatch.push(ws.watchBlocks({ onBlock: (b) => b.number > start && resolve(b), onError: reject, emitOnBegin: false })),
      );
      const event = within(TIMEOUT / 2, "Transfer logs", (resolve, reject) =>
        unwatch.push(
          ws.watchContractEvent({
            ...token,
            eventName: "Transfer",
            args: { to: recipient },
            onLogs: (logs) => {
              const l = logs.find((x) => x.args.value === 99n);
              if (l) resolve(l);
            },
            onError: reject,
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
      const r = await receipt(await wallet.writeContract({ ...token, functionName: "transfer", args: [recipient, 99n] }));
      const log = await event;
      assert.equal(log.transactionHash, r.transactionHash);
      assert.equal(log.args.from, account.address);
      const block = await head;
      assert.ok(block.number > start);
      assert.match(block.hash, /^0x[0-9a-f]{64}$/);
    } finally {
      unwatch.forEach((u) => u());
      // The socket client itself: closing it says the close is intended (no reconnect).
      (await ws.transport.getRpcClient()).close();
    }
  });

  it("custom-error revert decoded from eth_call (simulate) and eth_estimateGas", opts, async () => {
    const poor = privateKeyToAccount(generatePrivateKey()).address;
    const check = (e) => {
      const revert = revertOf(e);
      assert.equal(revert?.errorName, "ERC20InsufficientBalance", e.message);
      assert.deepEqual(revert.args, [poor, 0n, 1n]);
      return true;
    };
    const call = { ...token, functionName: "transfer", args: [recipient, 1n], account: poor };
    await assert.rejects(publicClient.simulateContract(call), check);
    await assert.rejects(publicClient.estimateContractGas(call), check);

    const Reverter = artifact("Reverter");
    const r = await receipt(await wallet.deployContract({ abi: Reverter.abi, bytecode: Reverter.bytecode }));
    const reverter = { address: r.contractAddress, abi: Reverter.abi };
    const unauthorized = (e) => {
      const revert = revertOf(e);
      assert.equal(revert?.errorName, "Unauthorized", e.message);
      assert.deepEqual(revert.args, [account.address, 77n]);
      return true;
    };
    await assert.rejects(publicClient.simulateContract({ ...reverter, functionName: "custom", args: [77n], account }), unauthorized);
    await assert.rejects(publicClient.estimateContractGas({ ...reverter, functionName: "custom", args: [77n], account }), unauthorized);
    await assert.rejects(publicClient.simulateContract({ ...reverter, functionName: "message", account }), (e) => {
      const revert = revertOf(e);
      assert.equal(revert?.errorName, "Error");
      assert.deepEqual(revert.args, ["isthmus: message"]);
      return true;
    });
  });

  it("sends type 0 (legacy, EIP-155), 1 (EIP-2930) and 2 (EIP-1559)", opts, async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const gasPrice = await publicClient.getGasPrice();
    const accessList = [{ address: token.address, storageKeys: [pad("0x01")] }];
    const hashes = [
      await wallet.sendTransaction({ to, value: 1n, type: "legacy", gasPrice }),
      await wallet.sendTransaction({ to, value: 2n, type: "eip2930", gasPrice, accessList }),
      await wallet.sendTransaction({ to, value: 3n, type: "eip1559" }),
    ];
    const types = ["legacy", "eip2930", "eip1559"];
    for (const [i, hash] of hashes.entries()) {
      const r = await receipt(hash);
      assert.equal(r.status, "success");
      assert.equal(r.type, types[i]);
      const tx = await publicClient.getTransaction({ hash });
      assert.equal(tx.type, types[i]);
      assert.equal(tx.chainId, CHAIN_ID);
      assert.equal(tx.blockHash, r.blockHash);
      if (i === 0) assert.ok([2709n, 2710n].includes(tx.v), `v ${tx.v}`);
      if (i === 1) assert.deepEqual(tx.accessList.map((a) => [a.address.toLowerCase(), a.storageKeys]), [[token.address.toLowerCase(), [pad("0x01")]]]);
      if (i === 2) assert.ok(tx.maxFeePerGas > 0n && tx.maxPriorityFeePerGas !== undefined);
    }
    assert.equal(await publicClient.getBalance({ address: to }), 6n);
  });

  it("rejects a transaction for another chain id and a nonce too low", opts, async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const nonce = await publicClient.getTransactionCount({ address: account.address });
    const gasPrice = await publicClient.getGasPrice();
    const serializedTransaction = await account.signTransaction({
      type: "eip1559", chainId: 1, nonce, to, value: 1n, gas: 21000n, maxFeePerGas: gasPrice * 2n, maxPriorityFeePerGas: 1n,
    });
    await assert.rejects(publicClient.sendRawTransaction({ serializedTransaction }), (e) => {
      assert.match(e.details ?? e.message, /chain id/i); // geth and anvil: "invalid chain id for signer"
      return true;
    });
    await assert.rejects(wallet.sendTransaction({ to, value: 1n, nonce: 0, gas: 21000n }), (e) => {
      assert.ok(e.walk((x) => x instanceof NonceTooLowError), e.message);
      return true;
    });
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), nonce);
    assert.equal(await publicClient.getBalance({ address: to }), 0n);
  });

  it("blocks by number and by hash (full and hash-only), transaction by hash, block receipts", opts, async () => {
    const n = transferReceipt.blockNumber;
    const full = await publicClient.getBlock({ blockNumber: n, includeTransactions: true });
    assert.equal(full.number, n);
    assert.equal(full.hash, transferReceipt.blockHash);
    const tx = full.transactions.find((t) => t.hash === transferReceipt.transactionHash);
    assert.ok(tx);
    assert.equal(tx.to.toLowerCase(), token.address.toLowerCase());
    const byHash = await publicClient.getBlock({ blockHash: full.hash });
    assert.equal(byHash.number, n);
    assert.deepEqual(byHash.transactions, full.transactions.map((t) => t.hash));
    const byHashFull = await publicClient.getBlock({ blockHash: full.hash, includeTransactions: true });
    assert.deepEqual(byHashFull.transactions.map((t) => t.hash), byHash.transactions);
    assert.equal((await publicClient.getBlock({ blockNumber: n - 1n })).hash, full.parentHash);

    const got = await publicClient.getTransaction({ hash: transferReceipt.transactionHash });
    assert.equal(got.blockNumber, n);
    assert.equal(got.transactionIndex, transferReceipt.transactionIndex);
    assert.equal(got.from.toLowerCase(), account.address.toLowerCase());

    const receipts = await publicClient.request({ method: "eth_getBlockReceipts", params: [toHex(n)] });
    const mine = receipts.find((x) => x.transactionHash === transferReceipt.transactionHash);
    assert.ok(mine);
    assert.equal(BigInt(mine.cumulativeGasUsed), transferReceipt.cumulativeGasUsed);
  });

  it("eth_feeHistory, eth_syncing, eth_accounts, web3_sha3, net_version, a batched transport", opts, async () => {
    const latest = await publicClient.getBlockNumber({ cacheTime: 0 }); // viem caches it otherwise
    const fh = await publicClient.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
    const count = Number(latest + 1n < 4n ? latest + 1n : 4n);
    assert.equal(fh.oldestBlock, latest - BigInt(count) + 1n);
    assert.equal(fh.baseFeePerGas.length, count + 1);
    assert.equal(fh.reward.length, count);
    assert.equal(await publicClient.request({ method: "eth_syncing" }), false);
    const addresses = await createWalletClient({ chain, transport: http(RPC_URL) }).getAddresses();
    assert.equal(addresses.length, 10);
    assert.equal(addresses[0], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(await publicClient.request({ method: "web3_sha3", params: ["0x68656c6c6f"] }), keccak256("0x68656c6c6f"));
    assert.equal(await publicClient.request({ method: "net_version" }), String(CHAIN_ID));

    // viem's HTTP transport with batch: concurrent requests go out as one JSON-RPC array.
    const bodies = [];
    const batched = createPublicClient({
      chain,
      transport: http(RPC_URL, { batch: { wait: 20 }, onFetchRequest: async (req) => {
          bodies.push(await req.clone().json());
        },
      }),
    });
    const [id, bal, num] = await Promise.all([
      batched.getChainId(),
      batched.getBalance({ address: account.address }),
      batched.getBlockNumber(),
    ]);
    assert.equal(id, CHAIN_ID);
    assert.ok(bal > 0n && num > 0n);
    assert.ok(bodies.some((b) => Array.isArray(b) && b.length === 3), JSON.stringify(bodies));
  });
});
