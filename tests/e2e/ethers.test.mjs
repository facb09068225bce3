// ethers v6 (npm) against $RPC_URL (HTTP) and the WebSocket on the same port: an OpenZeppelin
// ERC-20 and ERC-721, receipts, balances, logs (eth_getLogs, filters, eth_subscribe), custom-error
// reverts from eth_call and eth_estimateGas, transaction types 0/1/2, rejected transactions, blocks
// and the small eth_/net_/web3_ methods. Sends from development account 0.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ethers } from "ethers";
import { ADDRESSES, CHAIN_ID, ETH_10000, KEYS, RPC_URL, TIMEOUT, WS_URL, artifact, within } from "./lib/common.mjs";

const opts = { timeout: TIMEOUT };
const ACCOUNT = 0;

describe("ethers v6", { timeout: 30 * TIMEOUT }, () => {
  let provider, wallet, token, nft, reverter, tokenAddress, transferReceipt;
  const supply = ethers.parseUnits("1000000", 18);
  const recipient = ethers.Wallet.createRandom().address;
  const amount = ethers.parseUnits("1234.5", 18);

  before(async () => {
    provider = new ethers.JsonRpcProvider(RPC_URL, undefined, { staticNetwork: true, pollingInterval: 250, cacheTimeout: -1 });
    wallet = new ethers.Wallet(KEYS[ACCOUNT], provider);
    assert.equal(wallet.address, ADDRESSES[ACCOUNT]);
  });
  after(() => provider?.destroy());

  it("eth_chainId 1337 and the development account funded", opts, async () => {
    const network = await provider.getNetwork();
    assert.equal(network.chainId, BigInt(CHAIN_ID));
    const balance = await provider.getBalance(wallet.address);
    // Exactly 10000 ETH on a fresh node; less once this account has sent anything.
    if ((await provider.getTransactionCount(wallet.address)) === 0) assert.equal(balance, ETH_10000);
    else assert.ok(balance > 0n && balance < ETH_10000);
  });

  it("deploys the ERC-20 and reads it by eth_call", opts, async () => {
    const { abi, bytecode } = artifact("Token");
    const contract = await new ethers.ContractFactory(abi, bytecode, wallet).deploy("Isthmus Token", "IST", supply);
    const receipt = await contract.deploymentTransaction().wait();
    assert.equal(receipt.status, 1);
    tokenAddress = await contract.getAddress();
    assert.equal(receipt.contractAddress, tokenAddress);
    assert.equal(receipt.to, null);
    assert.notEqual(await provider.getCode(tokenAddress), "0x");
    token = contract;
    assert.equal(await token.name(), "Isthmus Token");
    assert.equal(await token.symbol(), "IST");
    assert.equal(await token.decimals(), 18n);
    assert.equal(await token.totalSupply(), supply);
    assert.equal(await token.balanceOf(wallet.address), supply);
  });

  it("transfers, waits for the receipt, decodes the Transfer event, reads balances", opts, async () => {
    const nonce = await provider.getTransactionCount(wallet.address);
    const ether = await provider.getBalance(wallet.address);
    const tx = await token.transfer(recipient, amount);
    const receipt = await tx.wait();
    assert.equal(receipt.status, 1);
    assert.equal(receipt.hash, tx.hash);
    assert.equal(receipt.from, wallet.address);
    assert.equal(receipt.to, tokenAddress);
    assert.ok(receipt.gasUsed > 21000n);
    const events = receipt.logs.map((l) => token.interface.parseLog(l)).filter((e) => e?.name === "Transfer");
    assert.equal(events.length, 1);
    assert.deepEqual([...events[0].args], [wallet.address, recipient, amount]);
    assert.equal(await token.balanceOf(recipient), amount);
    assert.equal(await token.balanceOf(wallet.address), supply - amount);
    assert.equal(await provider.getTransactionCount(wallet.address), nonce + 1);
    const paid = ether - (await provider.getBalance(wallet.address));
    assert.equal(paid, receipt.gasUsed * receipt.gasPrice);
    transferReceipt = receipt;
  });

  it("deploys the ERC-721, mints and transfers a token", opts, async () => {
    const { abi, bytecode } = artifact("Nft");
    nft = await new ethers.ContractFactory(abi, bytecode, wallet).deploy();
    await nft.waitForDeployment();
    assert.equal(await nft.name(), "Isthmus NFT");
    const mint = await (await nft.mint(wallet.address, 7n)).wait();
    assert.equal(mint.status, 1);
    const minted = mint.logs.map((l) => nft.interface.parseLog(l)).find((e) => e?.name === "Transfer");
    assert.deepEqual([...minted.args], [ethers.ZeroAddress, wallet.address, 7n]);
    assert.equal(await nft.ownerOf(7n), wallet.address);
    assert.equal(await nft.balanceOf(wallet.address), 1n);
    await (await nft.transferFrom(wallet.address, recipient, 7n)).wait();
    assert.equal(await nft.ownerOf(7n), recipient);
    assert.equal(await nft.balanceOf(wallet.address), 0n);
    // A custom error from a view: ERC721NonexistentToken(tokenId).
    await assert.rejects(nft.ownerOf(999n), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.revert?.name, "ERC721NonexistentToken");
      assert.deepEqual([...e.revert.args], [999n]);
      return true;
    });
  });

  it("eth_getLogs by address, topics and block range", opts, async () => {
    const n = transferReceipt.blockNumber;
    const topic = token.interface.getEvent("Transfer").topicHash;
    const logs = await provider.getLogs({ address: tokenAddress, topics: [topic], fromBlock: 0, toBlock: "latest" });
    // The mint in the constructor, then the transfer.
    assert.equal(logs.length, 2);
    assert.equal(logs[0].topics[1], ethers.zeroPadValue("0x", 32));
    const log = logs[1];
    assert.equal(log.transactionHash, transferReceipt.hash);
    assert.equal(log.blockNumber, n);
    assert.equal(log.blockHash, transferReceipt.blockHash);
    assert.equal(log.address, tokenAddress);
    assert.deepEqual([...token.interface.parseLog(log).args], [wallet.address, recipient, amount]);
    // By the indexed `to` topic, in the transfer's block alone; and a block hash.
    const toTopic = ethers.zeroPadValue(recipient, 32);
    const byTo = await provider.getLogs({ address: tokenAddress, topics: [topic, null, toTopic], fromBlock: n, toBlock: n });
    assert.deepEqual(byTo.map((l) => l.transactionHash), [transferReceipt.hash]);
    const byHash = await provider.getLogs({ address: tokenAddress, blockHash: transferReceipt.blockHash });
    assert.deepEqual(byHash.map((l) => l.transactionHash), [transferReceipt.hash]);
    // A topic no log has.
    const none = await provider.getLogs({ address: tokenAddress, topics: [ethers.id("Nothing()")], fromBlock: 0 });
    assert.deepEqual(none, []);
  });

  it("eth_newFilter / eth_getFilterChanges / eth_getFilterLogs / eth_uninstallFilter", opts, async () => {
    const topic = token.interface.getEvent("Transfer").topicHash;
    const id = await provider.send("eth_newFilter", [{ address: tokenAddress, topics: [topic] }]);
    assert.match(id, /^0x[0-9a-f]+$/i);
    assert.deepEqual(await provider.send("eth_getFilterChanges", [id]), []);
    const receipt = await (await token.transfer(recipient, 5n)).wait();
    const changes = await provider.send("eth_getFilterChanges", [id]);
    assert.equal(changes.length, 1);
    assert.equal(changes[0].transactionHash, receipt.hash);
    assert.equal(BigInt(changes[0].data), 5n);
    assert.deepEqual(await provider.send("eth_getFilterChanges", [id]), []);
    const all = await provider.send("eth_getFilterLogs", [id]);
    assert.ok(all.some((l) => l.transactionHash === receipt.hash));
    assert.equal(await provider.send("eth_uninstallFilter", [id]), true);
    assert.equal(await provider.send("eth_uninstallFilter", [id]), false);
  });

  it("eth_newBlockFilter sees the block of a new transaction", opts, async () => {
    const id = await provider.send("eth_newBlockFilter", []);
    const receipt = await (await token.transfer(recipient, 6n)).wait();
    const hashes = await provider.send("eth_getFilterChanges", [id]);
    assert.ok(hashes.includes(receipt.blockHash), `${receipt.blockHash} in ${JSON.stringify(hashes)}`);
    assert.equal(await provider.send("eth_uninstallFilter", [id]), true);
  });

  it("WebSocket: newHeads and logs subscriptions see a transfer", opts, async () => {
    const ws = new ethers.WebSocketProvider(WS_URL, undefined, { staticNetwork: true });
    try {
      assert.equal((await ws.getNetwork()).chainId, BigInt(CHAIN_ID));
      const wsToken = token.connect(ws);
      const start = await ws.getBlockNumber();
      const head = within(TIMEOUT / 2, "newHeads", (resolve) => ws.on("block", (n) => n > start && resolve(n)));
      const event = within(TIMEOUT / 2, "Transfer log", (resolve) =>
        wsToken.on("Transfer", (from, to, value, ev) => to === recipient && value === 77n && resolve({ from, to, value, ev })),
      );
      // Let the eth_subscribe calls land before sending.
      await new Promise((r) => setTimeout(r, 500));
      const receipt = await (await token.transfer(recipient, 77n)).wait();
      const got = await event;
      assert.equal(got.from, wallet.address);
      assert.equal(got.to, recipient);
      assert.equal(got.value, 77n);
      assert.equal(got.ev.log.transactionHash, receipt.hash);
      assert.ok((await head) > start);
    } finally {
      await ws.destroy();
    }
  });

  it("custom-error revert decoded from eth_call and from eth_estimateGas", opts, async () => {
    const poor = ethers.Wallet.createRandom().address;
    const check = (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      const revert = e.revert ?? token.interface.parseError(e.data);
      assert.equal(revert?.name, "ERC20InsufficientBalance");
      assert.deepEqual([...revert.args], [poor, 0n, 1n]);
      return true;
    };
    const asPoor = token.connect(provider);
    await assert.rejects(asPoor.transfer.staticCall(recipient, 1n, { from: poor }), check);
    await assert.rejects(asPoor.transfer.estimateGas(recipient, 1n, { from: poor }), check);

    const { abi, bytecode } = artifact("Reverter");
    reverter = await new ethers.ContractFactory(abi, bytecode, wallet).deploy();
    await reverter.waitForDeployment();
    const unauthorized = (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      const revert = e.revert ?? reverter.interface.parseError(e.data);
      assert.equal(revert?.name, "Unauthorized");
      assert.deepEqual([...revert.args], [wallet.address, 42n]);
      return true;
    };
    await assert.rejects(reverter.custom.staticCall(42n), unauthorized);
    await assert.rejects(reverter.custom.estimateGas(42n), unauthorized);
    await assert.rejects(reverter.message.staticCall(), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.reason, "isthmus: message");
      return true;
    });
    await assert.rejects(reverter.panic.staticCall(0n), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.revert?.name, "Panic");
      assert.equal(BigInt(e.revert.args[0]), 0x12n); // division by zero
      return true;
    });
  });

  it("sends type 0 (legacy, EIP-155), 1 (EIP-2930 access list) and 2 (EIP-1559)", opts, async () => {
    const feeData = await provider.getFeeData();
    const to = ethers.Wallet.createRandom().address;
    const accessList = [{ address: tokenAddress, storageKeys: [ethers.zeroPadValue("0x01", 32)] }];
    const sent = [
      await wallet.sendTransaction({ type: 0, to, value: 1n, gasPrice: feeData.gasPrice, chainId: CHAIN_ID }),
      await wallet.sendTransaction({ type: 1, to, value: 2n, gasPrice: feeData.gasPrice, accessList }),
      await wallet.sendTransaction({ type: 2, to, value: 3n }),
    ];
    for (const [type, tx] of sent.entries()) {
      const receipt = await tx.wait();
      assert.equal(receipt.status, 1);
      assert.equal(receipt.type, type);
      const got = await provider.getTransaction(tx.hash);
      assert.equal(got.type, type);
      assert.equal(got.chainId, BigInt(CHAIN_ID));
      assert.equal(got.blockNumber, receipt.blockNumber);
      assert.equal(got.blockHash, receipt.blockHash);
      // Re-serializing what the node returned gives the same hash: every signed field round-trips.
      assert.equal(ethers.Transaction.from(got).hash, tx.hash);
      assert.equal(ethers.Transaction.from(got).from, wallet.address);
      if (type === 0) assert.ok([2709n, 2710n].includes(got.signature.networkV), `v ${got.signature.networkV}`);
      if (type === 1) assert.deepEqual(got.accessList.map((a) => [a.address, a.storageKeys]), accessList.map((a) => [a.address, a.storageKeys]));
      if (type === 2) {
        assert.ok(got.maxFeePerGas > 0n && got.maxPriorityFeePerGas !== null);
        assert.ok(receipt.gasPrice <= got.maxFeePerGas);
      }
    }
    assert.equal(await provider.getBalance(to), 6n);
  });

  it("rejects a transaction signed for another chain id, and a nonce too low", opts, async () => {
    const to = ethers.Wallet.createRandom().address;
    const gasPrice = (await provider.getFeeData()).gasPrice;
    const nonce = await provider.getTransactionCount(wallet.address);
    const otherChain = await wallet.signTransaction({ type: 2, chainId: 1, nonce, to, value: 1n, gasLimit: 21000n, maxFeePerGas: gasPrice * 2n, maxPriorityFeePerGas: 1n });
    await assert.rejects(provider.broadcastTransaction(otherChain), (e) => {
      assert.match(e.message, /chain id/i); // geth and anvil: "invalid chain id for signer"
      return true;
    });
    await assert.rejects(wallet.sendTransaction({ to, value: 1n, nonce: 0 }), (e) => {
      assert.equal(e.code, "NONCE_EXPIRED", e.message);
      return true;
    });
    // Neither moved anything.
    assert.equal(await provider.getTransactionCount(wallet.address), nonce);
    assert.equal(await provider.getBalance(to), 0n);
  });

  it("the node's accounts sign: getSigner().sendTransaction, signMessage, signTypedData", opts, async () => {
    const signer = await provider.getSigner(0);
    assert.equal(signer.address, ADDRESSES[0]);
    const to = ethers.Wallet.createRandom().address;
    const sent = await signer.sendTransaction({ to, value: 12345n });
    const receipt = await sent.wait();
    assert.equal(receipt.status, 1);
    assert.equal(receipt.from, ADDRESSES[0]);
    assert.equal(await provider.getBalance(to), 12345n);
    const message = "signed by the node";
    assert.equal(ethers.verifyMessage(message, await signer.signMessage(message)), ADDRESSES[0]);
    const domain = { name: "Isthmus", version: "1", chainId: CHAIN_ID, verifyingContract: to };
    const types = { Vote: [{ name: "voter", type: "address" }, { name: "choice", type: "uint8" }] };
    const value = { voter: ADDRESSES[0], choice: 2 };
    const signature = await signer.signTypedData(domain, types, value);
    assert.equal(ethers.verifyTypedData(domain, types, value, signature), ADDRESSES[0]);
  });

  it("eth_getBlockByNumber / eth_getBlockByHash, full and hash-only; eth_getTransactionByHash", opts, async () => {
    const n = transferReceipt.blockNumber;
    const full = await provider.getBlock(n, true);
    assert.equal(full.number, n);
    assert.equal(full.hash, transferReceipt.blockHash);
    const tx = full.prefetchedTransactions.find((t) => t.hash === transferReceipt.hash);
    assert.ok(tx, "the transfer among the block's full transactions");
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.to, tokenAddress);
    const byHash = await provider.getBlock(full.hash, false);
    assert.equal(byHash.number, n);
    assert.equal(byHash.hash, full.hash);
    assert.equal(byHash.parentHash, full.parentHash);
    assert.ok(byHash.transactions.every((t) => typeof t === "string" && /^0x[0-9a-f]{64}$/.test(t)));
    assert.ok(byHash.transactions.includes(transferReceipt.hash));
    const byHashFull = await provider.getBlock(full.hash, true);
    assert.deepEqual(byHashFull.prefetchedTransactions.map((t) => t.hash), byHash.transactions);
    const parent = await provider.getBlock(n - 1);
    assert.equal(parent.hash, full.parentHash);
    assert.ok(full.timestamp >= parent.timestamp);
    assert.equal(await provider.getBlock(ethers.id("no such block")), null);

    const got = await provider.getTransaction(transferReceipt.hash);
    assert.equal(got.hash, transferReceipt.hash);
    assert.equal(got.from, wallet.address);
    assert.equal(got.to, tokenAddress);
    assert.equal(got.blockHash, transferReceipt.blockHash);
    assert.equal(got.index, transferReceipt.index);
    assert.equal(got.data, token.interface.encodeFunctionData("transfer", [recipient, amount]));
    assert.equal(ethers.Transaction.from(got).hash, got.hash);
    assert.equal(await provider.getTransaction(ethers.id("no such tx")), null);
  });

  it("eth_getBlockReceipts and eth_feeHistory", opts, async () => {
    const receipts = await provider.send("eth_getBlockReceipts", [ethers.toQuantity(transferReceipt.blockNumber)]);
    const mine = receipts.find((r) => r.transactionHash === transferReceipt.hash);
    assert.ok(mine, "the transfer's receipt among the block's");
    assert.equal(mine.blockHash, transferReceipt.blockHash);
    assert.equal(BigInt(mine.gasUsed), transferReceipt.gasUsed);
    assert.equal(mine.logs.length, transferReceipt.logs.length);
    const byHash = await provider.send("eth_getBlockReceipts", [transferReceipt.blockHash]);
    assert.deepEqual(byHash.map((r) => r.transactionHash), receipts.map((r) => r.transactionHash));

    const latest = await provider.getBlockNumber();
    const fh = await provider.send("eth_feeHistory", ["0x4", "latest", [25, 75]]);
    const count = Math.min(4, latest + 1);
    assert.equal(Number(fh.oldestBlock), latest - count + 1);
    assert.equal(fh.baseFeePerGas.length, count + 1);
    assert.equal(fh.gasUsedRatio.length, count);
    assert.equal(fh.reward.length, count);
    assert.ok(fh.reward.every((r) => r.length === 2));
    assert.ok(fh.gasUsedRatio.every((r) => r >= 0 && r <= 1));
  });

  it("eth_syncing, eth_accounts, web3_sha3, net_version, eth_gasPrice", opts, async () => {
    assert.equal(await provider.send("eth_syncing", []), false);
    const accounts = await provider.listAccounts();
    assert.equal(accounts.length, 10);
    assert.equal(accounts[0].address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(await provider.send("web3_sha3", ["0x68656c6c6f"]), ethers.keccak256("0x68656c6c6f"));
    assert.equal(await provider.send("net_version", []), String(CHAIN_ID));
    const fee = await provider.getFeeData();
    assert.ok(fee.gasPrice > 0n && fee.maxFeePerGas > 0n);
  });
});
