// Uniswap v2 from the compiled artifacts that npm ships (@uniswap/v2-core, @uniswap/v2-periphery),
// driven by ethers v6 against $RPC_URL: WETH9, the factory and Router02, two OpenZeppelin ERC-20s,
// addLiquidity, swapExactTokensForTokens, addLiquidityETH and swapExactETHForTokens, with reserves
// and balances checked against the constant-product formula. Sends from development account 3.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ethers } from "ethers";
import { ADDRESSES, KEYS, RPC_URL, TIMEOUT, artifact, uniswapArtifact } from "./lib/common.mjs";

const opts = { timeout: TIMEOUT };
const ACCOUNT = 3;
const E18 = 10n ** 18n;
const MINIMUM_LIQUIDITY = 1000n;

/** UniswapV2Library.getAmountOut: the 0.3% fee, constant product. */
const amountOut = (amountIn, reserveIn, reserveOut) =>
  (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n);

function sqrt(y) {
  if (y < 4n) return y === 0n ? 0n : 1n;
  let z = y;
  let x = y / 2n + 1n;
  while (x < z) [z, x] = [x, (y / x + x) / 2n];
  return z;
}

describe("Uniswap v2 (npm artifacts, ethers v6)", { timeout: 30 * TIMEOUT }, () => {
  let provider, wallet, weth, factory, router, tokenA, tokenB, pair, deadline;
  const Pair = uniswapArtifact("v2-core", "UniswapV2Pair");
  const recipient = ethers.Wallet.createRandom().address;

  const deploy = async ({ abi, bytecode }, ...args) => {
    const c = await new ethers.ContractFactory(abi, bytecode, wallet).deploy(...args);
    const r = await c.deploymentTransaction().wait();
    assert.equal(r.status, 1);
    return c;
  };
  const mined = async (txPromise) => {
    const r = await (await txPromise).wait();
    assert.equal(r.status, 1);
    return r;
  };
  const pairOf = async (a, b) => new ethers.Contract(await factory.getPair(a, b), Pair.abi, provider);
  /** The pair's reserves ordered as (reserve of a, reserve of b). */
  const reserves = async (p, a) => {
    const [r0, r1] = await p.getReserves();
    return (await p.token0()) === a ? [r0, r1] : [r1, r0];
  };

  before(async () => {
    provider = new ethers.JsonRpcProvider(RPC_URL, undefined, { staticNetwork: true, pollingInterval: 250, cacheTimeout: -1 });
    wallet = new ethers.Wallet(KEYS[ACCOUNT], provider);
    assert.equal(wallet.address, ADDRESSES[ACCOUNT]);
  });
  after(() => provider?.destroy());

  it("the periphery's pair init-code hash is the npm core pair's", opts, () => {
    const hash = ethers.keccak256(Pair.bytecode);
    const router = uniswapArtifact("v2-periphery", "UniswapV2Router02");
    assert.ok(router.bytecode.includes(hash.slice(2)), `router02 embeds ${hash}`);
  });

  it("deploys WETH9, UniswapV2Factory, UniswapV2Router02 and two ERC-20s", opts, async () => {
    weth = await deploy(uniswapArtifact("v2-periphery", "WETH9"));
    factory = await deploy(uniswapArtifact("v2-core", "UniswapV2Factory"), wallet.address);
    router = await deploy(uniswapArtifact("v2-periphery", "UniswapV2Router02"), await factory.getAddress(), await weth.getAddress());
    assert.equal(await router.factory(), await factory.getAddress());
    assert.equal(await router.WETH(), await weth.getAddress());
    assert.equal(await factory.feeToSetter(), wallet.address);
    const Token = artifact("Token");
    tokenA = await deploy(Token, "Token A", "TKA", 1_000_000n * E18);
    tokenB = await deploy(Token, "Token B", "TKB", 1_000_000n * E18);
    const spender = await router.getAddress();
    await mined(tokenA.approve(spender, ethers.MaxUint256));
    await mined(tokenB.approve(spender, ethers.MaxUint256));
    assert.equal(await tokenA.allowance(wallet.address, spender), ethers.MaxUint256);
    deadline = (await provider.getBlock("latest")).timestamp + 3600;
  });

  it("addLiquidity creates the pair (CREATE2) and mints LP tokens", opts, async () => {
    const [a, b] = [await tokenA.getAddress(), await tokenB.getAddress()];
    const amountA = 10_000n * E18;
    const amountB = 40_000n * E18;
    const receipt = await mined(router.addLiquidity(a, b, amountA, amountB, 0n, 0n, wallet.address, deadline));
    assert.equal(await factory.allPairsLength(), 1n);
    pair = await pairOf(a, b);
    const pairAddress = await pair.getAddress();
    // The router computed the same address off-chain (pairFor), by the init-code hash.
    const [t0, t1] = a.toLowerCase() < b.toLowerCase() ? [a, b] : [b, a];
    const predicted = ethers.getCreate2Address(
      await factory.getAddress(),
      ethers.solidityPackedKeccak256(["address", "address"], [t0, t1]),
      ethers.keccak256(Pair.bytecode),
    );
    assert.equal(pairAddress, predicted);
    assert.notEqual(await provider.getCode(pairAddress), "0x");
    assert.deepEqual(await reserves(pair, a), [amountA, amountB]);
    const liquidity = sqrt(amountA * amountB) - MINIMUM_LIQUIDITY;
    assert.equal(await pair.balanceOf(wallet.address), liquidity);
    assert.equal(await pair.totalSupply(), liquidity + MINIMUM_LIQUIDITY);
    const events = receipt.logs.filter((l) => l.address === pairAddress).map((l) => pair.interface.parseLog(l)?.name);
    assert.ok(events.includes("Sync") && events.includes("Mint"), events.join(","));
  });

  it("swapExactTokensForTokens pays out by the constant-product formula", opts, async () => {
    const [a, b] = [await tokenA.getAddress(), await tokenB.getAddress()];
    const [ra, rb] = await reserves(pair, a);
    const amountIn = 100n * E18;
    const expected = amountOut(amountIn, ra, rb);
    const amounts = await router.getAmountsOut(amountIn, [a, b]);
    assert.deepEqual([...amounts], [amountIn, expected]);
    const balanceA = await tokenA.balanceOf(wallet.address);
    const receipt = await mined(router.swapExactTokensForTokens(amountIn, expected, [a, b], recipient, deadline));
    assert.equal(await tokenB.balanceOf(recipient), expected);
    assert.equal(await tokenA.balanceOf(wallet.address), balanceA - amountIn);
    assert.deepEqual(await reserves(pair, a), [ra + amountIn, rb - expected]);
    const swap = receipt.logs.filter((l) => l.address === pair.target).map((l) => pair.interface.parseLog(l)).find((e) => e?.name === "Swap");
    assert.ok(swap, "a Swap event");
    assert.equal(swap.args.to, recipient);
    // Slippage protection: asking for one wei more than the pool gives reverts.
    await assert.rejects(router.swapExactTokensForTokens.staticCall(amountIn, amountOut(amountIn, ra + amountIn, rb - expected) + 1n, [a, b], recipient, deadline), (e) => {
      assert.equal(e.code, "CALL_EXCEPTION");
      assert.equal(e.reason, "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT");
      return true;
    });
  });

  it("addLiquidityETH and swapExactETHForTokens go through WETH9", opts, async () => {
    const [a, w] = [await tokenA.getAddress(), await weth.getAddress()];
    const tokens = 5_000n * E18;
    const eth = 10n * E18;
    await mined(router.addLiquidityETH(a, tokens, 0n, 0n, wallet.address, deadline, { value: eth }));
    const ethPair = await pairOf(a, w);
    assert.deepEqual(await reserves(ethPair, w), [eth, tokens]);
    assert.equal(await weth.balanceOf(await ethPair.getAddress()), eth);
    const amountIn = E18 / 10n;
    const expected = amountOut(amountIn, eth, tokens);
    const before = await tokenA.balanceOf(recipient);
    await mined(router.swapExactETHForTokens(expected, [w, a], recipient, deadline, { value: amountIn }));
    assert.equal(await tokenA.balanceOf(recipient), before + expected);
    assert.deepEqual(await reserves(ethPair, w), [eth + amountIn, tokens - expected]);
    assert.equal(await factory.allPairsLength(), 2n);
  });

  it("removeLiquidity returns both tokens and burns the LP tokens", opts, async () => {
    const [a, b] = [await tokenA.getAddress(), await tokenB.getAddress()];
    const lp = await pair.balanceOf(wallet.address);
    const half = lp / 2n;
    await mined(pair.connect(wallet).approve(await router.getAddress(), half));
    const [ra, rb] = await reserves(pair, a);
    const supply = await pair.totalSupply();
    const [balA, balB] = [await tokenA.balanceOf(wallet.address), await tokenB.balanceOf(wallet.address)];
    await mined(router.removeLiquidity(a, b, half, 0n, 0n, wallet.address, deadline));
    assert.equal(await pair.balanceOf(wallet.address), lp - half);
    assert.equal(await tokenA.balanceOf(wallet.address), balA + (half * ra) / supply);
    assert.equal(await tokenB.balanceOf(wallet.address), balB + (half * rb) / supply);
  });
});
