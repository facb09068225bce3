// web3.js v4 (npm web3) against $RPC_URL and the WebSocket on the same port: the ERC-20 and
// ERC-721, receipts, balances, logs (eth_getLogs, filters, eth_subscribe), custom-error reverts
// from eth_call and eth_estimateGas, transaction types 0/1/2, rejected transactions, blocks, a
// batch, and the small methods. Sends from development account 1.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Web3, WebSocketProvider, eth } from "web3";
import { ADDRESSES, CHAIN_ID, ETH_10000, KEYS, RPC_URL, TIMEOUT, WS_URL, artifact, within } from "./lib/common.mjs";

const opts = { timeout: TIMEOUT };
const ACCOUNT = 1;

/** The JSON-RPC method through web3's own request manager (for methods web3.eth does not wrap). */
const send = (web3, method, params = []) => web3.requestManager.send({ method, params });

/** What a rejected send says: web3 keeps the node's message in `reason` or `cause`. */
const errText = (e) => [e.message, e.reason, e.cause?.message, e.innerError?.message].filter(Boolean).join(" | ");

/**
 * web3.js decodes custom errors of eth_call itself; for eth_estimateGas it leaves the revert data
 * in `cause.data`, which its ABI decoder (decodeContractErrorData) turns into the same fields.
 */
function decodeEstimateError(e, abi) {
  if (!e.cause?.errorName && e.cause?.data) eth.abi.decodeContractErrorData(abi.filter((f) => f.type === "error"), e.cause);
  return e;
}

/** Sends a contract method or deployment and resolves with its receipt. */
function receiptOf(promiEvent) {
  return new Promise((resolve, reject) => {
    promiEvent.on("receipt", resolve).on("error", reject);
    promiEvent.catch(reject);
  });
}

describe("web3.js v4", { timeout: 30 * TIMEOUT }, () => {
  let web3, from, Token, token, tokenAddress, transferReceipt;
  const supply = 10n ** 24n;
  const amount = 1234n * 10n ** 18n;
  let recipient;

  before(async () => {
    web3 = new Web3(RPC_URL);
    web3.eth.transactionReceiptPollingInterval = 250;
    web3.eth.transactionPollingTimeout = TIMEOUT / 1000;
    const account = web3.eth.accounts.wallet.add(KEYS[ACCOUNT]).get(0);
    from = account.address;
    assert.equal(from, ADDRESSES[ACCOUNT]);
    recipient = web3.eth.accounts.create().address;
  });

  it("eth_chainId 1337, net_version, the account funded", opts, async () => {
    assert.equal(await web3.eth.getChainId(), BigInt(CHAIN_ID));
    assert.equal(await web3.eth.net.getId(), BigInt(CHAIN_ID));
    const balance = await web3.eth.getBalance(from);
    if ((await web3.eth.getTransactionCount(from)) === 0n) assert.equal(balance, ETH_10000);
    else assert.ok(balance > 0n && balance < ETH_10000);
  });

  it("deploys the ERC-20 and reads it", opts, async () => {
    const { abi, bytecode } = artifact("Token");
    Token = new web3.eth.Contract(abi);
    const deploy = Token.deploy({ data: bytecode, arguments: ["Web3 Token", "W3T", supply] }).send({ from });
    const receipt = await receiptOf(deploy);
    token = await deploy;
    tokenAddress = token.options.address;
    assert.equal(receipt.status, 1n);
    assert.equal(receipt.contractAddress.toLowerCase(), tokenAddress.toLowerCase());
    assert.notEqual(await web3.eth.getCode(tokenAddress), "0x");
    assert.equal(await token.methods.name().call(), "Web3 Token");
    assert.equal(await token.methods.totalSupply().call(), supply);
    assert.equal(await token.methods.balanceOf(from).call(), supply);
  });

  it("transfers, waits for the receipt, decodes the event, reads balances", opts, async () => {
    const nonce = await web3.eth.getTransactionCount(from);
    const receipt = await token.methods.transfer(recipient, amount).send({ from });
    assert.equal(receipt.status, 1n);
    assert.equal(receipt.from.toLowerCase(), from.toLowerCase());
    assert.equal(receipt.to.toLowerCase(), tokenAddress.toLowerCase());
    const ev = receipt.events.Transfer;
    assert.equal(ev.returnValues.from, from);
    assert.equal(ev.returnValues.to, recipient);
    assert.equal(ev.returnValues.value, amount);
    assert.equal(await token.methods.balanceOf(recipient).call(), amount);
    assert.equal(await token.methods.balanceOf(from).call(), supply - amount);
    assert.equal(await web3.eth.getTransactionCount(from), nonce + 1n);
    const again = await web3.eth.getTransactionReceipt(receipt.transactionHash);
    assert.equal(again.blockHash, receipt.blockHash);
    assert.equal(again.gasUsed, receipt.gasUsed);
    transferReceipt = receipt;
  });

  it("deploys the ERC-721, mints and transfers a token", opts, async () => {
    const { abi, bytecode } = artifact("Nft");
    const nft = await new web3.eth.Contract(abi).deploy({ data: bytecode }).send({ from });
    const mint = await nft.methods.mint(from, 3n).send({ from });
    assert.equal(mint.status, 1n);
    assert.equal(mint.events.Transfer.returnValues.tokenId, 3n);
    assert.equal(await nft.methods.ownerOf(3n).call(), from);
    await nft.methods.transferFrom(from, recipient, 3n).send({ from });
    assert.equal(await nft.methods.ownerOf(3n).call(), recipient);
    assert.equal(await nft.methods.balanceOf(recipient).call(), 1n);
    await assert.rejects(nft.methods.ownerOf(4n).call(), (e) => {
      assert.equal(e.cause?.errorName, "ERC721NonexistentToken", e.message);
      assert.equal(e.cause.errorArgs.tokenId, 4n);
      return true;
    });
  });

  it("eth_getLogs (getPastLogs, getPastEvents)", opts, async () => {
    const topic = web3.utils.sha3("Transfer(address,address,uint256)");
    const logs = await web3.eth.getPastLogs({ address: tokenAddress, topics: [topic], fromBlock: 0, toBlock: "latest" });
    assert.equal(logs.length, 2); // the mint in the constructor, the transfer
    assert.equal(logs[1].transactionHash, transferReceipt.transactionHash);
    assert.equal(logs[1].blockHash, transferReceipt.blockHash);
    const events = await token.getPastEvents("Transfer", { filter: { to: recipient }, fromBlock: 0, toBlock: "latest" });
    assert.equal(events.length, 1);
    assert.equal(events[0].returnValues.value, amount);
    assert.equal(events[0].blockNumber, transferReceipt.blockNumber);
  });

  it("eth_newFilter / eth_getFilterChanges, eth_newBlockFilter", opts, async () => {
    const topic = web3.utils.sha3("Transfer(address,address,uint256)");
    const logFilter = await send(web3, "eth_newFilter", [{ address: tokenAddress, topics: [topic] }]);
    const blockFilter = await send(web3, "eth_newBlockFilter");
    const receipt = await token.methods.transfer(recipient, 9n).send({ from });
    const changes = await send(web3, "eth_getFilterChanges", [logFilter]);
    assert.deepEqual(changes.map((l) => l.transactionHash), [receipt.transactionHash]);
    const blocks = await send(web3, "eth_getFilterChanges", [blockFilter]);
    assert.ok(blocks.includes(receipt.blockHash));
    assert.deepEqual(await send(web3, "eth_getFilterChanges", [logFilter]), []);
    assert.equal(await send(web3, "eth_uninstallFilter", [logFilter]), true);
    assert.equal(await send(web3, "eth_uninstallFilter", [blockFilter]), true);
  });

  it("WebSocket: subscribes to newHeads and to the Transfer logs", opts, async () => {
    // No auto-reconnect: web3.js 4 keeps its close listener after disconnect() and would reconnect.
    const ws = new Web3(new WebSocketProvider(WS_URL, {}, { autoReconnect: false }));
    try {
      assert.equal(await ws.eth.getChainId(), BigInt(CHAIN_ID));
      const heads = await ws.eth.subscribe("newBlockHeaders");
      const logs = await ws.eth.subscribe("logs", {
        address: tokenAddress,
        topics: [web3.utils.sha3("Transfer(address,address,uint256)")],
      });
      const wsToken = new ws.eth.Contract(token.options.jsonInterface, tokenAddress);
      const events = wsToken.events.Transfer({ filter: { to: recipient } });
      const gotHead = within(TIMEOUT / 2, "newHeads", (resolve, reject) => {
        heads.on("data", resolve);
        heads.on("error", reject);
      });
      const gotLog = within(TIMEOUT / 2, "logs", (resolve, reject) => {
        logs.on("data", resolve);
        logs.on("error", reject);
      });
      const gotEvent = within(TIMEOUT / 2, "Transfer event", (resolve, reject) => {
        events.on("data", (e) => e.returnValues.value === 88n && resolve(e));
        events.on("error", reject);
      });
      await new Promise((r) => setTimeout(r, 500));
      const receipt = await token.methods.transfer(recipient, 88n).send({ from });
      const log = await gotLog;
      assert.equal(log.transactionHash, receipt.transactionHash);
      const event = await gotEvent;
      assert.equal(event.transactionHash, receipt.transactionHash);
      assert.equal(event.returnValues.from, from);
      const head = await gotHead;
      assert.ok(head.number >= 1n && /^0x[0-9a-f]{64}$/.test(head.hash));
      await heads.unsubscribe();
      await logs.unsubscribe();
      await events.unsubscribe();
    } finally {
      await ws.provider.disconnect();
    }
  });

  it("custom-error revert decoded from eth_call and eth_estimateGas", opts, async () => {
    const poor = web3.eth.accounts.create().address;
    const check = (e) => {
      assert.equal(e.cause?.errorName, "ERC20InsufficientBalance", e.message);
      assert.equal(e.cause.errorArgs.sender, poor);
      assert.equal(e.cause.errorArgs.balance, 0n);
      assert.equal(e.cause.errorArgs.needed, 1n);
      return true;
    };
    await assert.rejects(token.methods.transfer(recipient, 1n).call({ from: poor }), check);
    await assert.rejects(
      token.methods.transfer(recipient, 1n).estimateGas({ from: poor }).catch((e) => Promise.reject(decodeEstimateError(e, artifact("Token").abi))),
      check,
    );

    const { abi, bytecode } = artifact("Reverter");
    const reverter = await new web3.eth.Contract(abi).deploy({ data: bytecode }).send({ from });
    const unauthorized = (e) => {
      assert.equal(e.cause?.errorName, "Unauthorized", e.message);
      assert.equal(e.cause.errorArgs.caller, from);
      assert.equal(e.cause.errorArgs.code, 5n);
      return true;
    };
    await assert.rejects(reverter.methods.custom(5n).call({ from }), unauthorized);
    await assert.rejects(
      reverter.methods.custom(5n).estimateGas({ from }).catch((e) => Promise.reject(decodeEstimateError(e, abi))),
      unauthorized,
    );
    await assert.rejects(reverter.methods.message().call({ from }), (e) => {
      assert.match(e.cause?.message ?? e.message, /isthmus: message/);
      return true;
    });
  });

  it("sends type 0 (legacy, EIP-155), 1 (EIP-2930) and 2 (EIP-1559)", opts, async () => {
    const to = web3.eth.accounts.create().address;
    const gasPrice = await web3.eth.getGasPrice();
    const accessList = [{ address: tokenAddress, storageKeys: ["0x" + "00".repeat(31) + "01"] }];
    const sent = [
      await web3.eth.sendTransaction({ from, to, value: 1n, type: 0n, gasPrice, chainId: BigInt(CHAIN_ID), gas: 21000n }),
      // An explicit gas: web3.js 4's own gas filling leaves the access list's intrinsic gas out (on anvil too).
      await web3.eth.sendTransaction({ from, to, value: 2n, type: 1n, gasPrice, accessList, gas: 30000n }),
      await web3.eth.sendTransaction({ from, to, value: 3n, type: 2n }),
    ];
    for (const [type, receipt] of sent.entries()) {
      assert.equal(receipt.status, 1n);
      assert.equal(receipt.type, BigInt(type));
      const tx = await web3.eth.getTransaction(receipt.transactionHash);
      assert.equal(tx.type, BigInt(type));
      assert.equal(tx.chainId, BigInt(CHAIN_ID));
      assert.equal(tx.blockHash, receipt.blockHash);
      if (type === 0) assert.ok([2709n, 2710n].includes(tx.v), `v ${tx.v}`);
      if (type === 1) {
        assert.equal(tx.accessList.length, 1);
        assert.equal(tx.accessList[0].address.toLowerCase(), tokenAddress.toLowerCase());
        assert.deepEqual(tx.accessList[0].storageKeys, accessList[0].storageKeys);
      }
      if (type === 2) assert.ok(tx.maxFeePerGas > 0n);
    }
    assert.equal(await web3.eth.getBalance(to), 6n);
  });

  it("rejects a transaction for another chain id and a nonce too low", opts, async () => {
    const to = web3.eth.accounts.create().address;
    const nonce = await web3.eth.getTransactionCount(from);
    const gasPrice = await web3.eth.getGasPrice();
    const signed = await web3.eth.accounts.signTransaction(
      { type: 2n, chainId: 1n, nonce, to, value: 1n, gas: 21000n, maxFeePerGas: gasPrice * 2n, maxPriorityFeePerGas: 1n },
      KEYS[ACCOUNT],
    );
    await assert.rejects(web3.eth.sendSignedTransaction(signed.rawTransaction), (e) => {
      assert.match(errText(e), /chain id/i); // geth and anvil: "invalid chain id for signer"
      return true;
    });
    await assert.rejects(web3.eth.sendTransaction({ from, to, value: 1n, nonce: 0n, gas: 21000n }), (e) => {
      assert.match(errText(e), /nonce too low/i);
      return true;
    });
    assert.equal(await web3.eth.getTransactionCount(from), nonce);
    assert.equal(await web3.eth.getBalance(to), 0n);
  });

  it("blocks by number and hash (full and hash-only), transaction by hash, block receipts", opts, async () => {
    const n = transferReceipt.blockNumber;
    const full = await web3.eth.getBlock(n, true);
    assert.equal(full.number, n);
    assert.equal(full.hash, transferReceipt.blockHash);
    const tx = full.transactions.find((t) => t.hash === transferReceipt.transactionHash);
    assert.equal(tx.from.toLowerCase(), from.toLowerCase());
    const hashes = await web3.eth.getBlock(full.hash, false);
    assert.equal(hashes.number, n);
    assert.deepEqual(hashes.transactions, full.transactions.map((t) => t.hash));
    const parent = await web3.eth.getBlock(n - 1n);
    assert.equal(parent.hash, full.parentHash);

    const got = await web3.eth.getTransaction(transferReceipt.transactionHash);
    assert.equal(got.hash, transferReceipt.transactionHash);
    assert.equal(got.blockNumber, n);
    assert.equal(got.to.toLowerCase(), tokenAddress.toLowerCase());
    assert.equal(got.input, token.methods.transfer(recipient, amount).encodeABI());

    const receipts = await send(web3, "eth_getBlockReceipts", [web3.utils.toHex(n)]);
    assert.ok(receipts.some((r) => r.transactionHash === transferReceipt.transactionHash));
  });

  it("eth_feeHistory, eth_syncing, eth_accounts, web3_sha3, a batch", opts, async () => {
    const fh = await web3.eth.getFeeHistory(3, "latest", [50]);
    assert.equal(fh.baseFeePerGas.length, fh.gasUsedRatio.length + 1);
    assert.ok(fh.gasUsedRatio.length >= 1 && fh.gasUsedRatio.length <= 3);
    assert.equal(fh.reward.length, fh.gasUsedRatio.length);
    assert.equal(await web3.eth.isSyncing(), false);
    const accounts = await web3.eth.getAccounts();
    assert.equal(accounts.length, 10);
    assert.equal(web3.utils.toChecksumAddress(accounts[0]), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(await send(web3, "web3_sha3", ["0x68656c6c6f"]), web3.utils.sha3("hello"));

    const batch = new web3.BatchRequest();
    const a = batch.add({ jsonrpc: "2.0", id: 1001, method: "eth_chainId", params: [] });
    const b = batch.add({ jsonrpc: "2.0", id: 1002, method: "eth_getBalance", params: [from, "latest"] });
    const answers = await batch.execute({ timeout: TIMEOUT });
    assert.equal(answers.length, 2);
    assert.equal(await a, "0x539");
    assert.ok(BigInt(await b) > 0n);
  });
});
