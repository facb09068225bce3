// The Counter on the `isthmus` network: events, a custom error with arguments, Error(string),
// ether deposits and balances. Each transaction waits for its receipt.
const { expect } = require("chai");
const { ethers } = require("hardhat");

describe("Counter", function () {
  let counter, owner, other;

  before(async function () {
    [owner, other] = await ethers.getSigners();
    counter = await ethers.deployContract("Counter", [7]);
    await counter.waitForDeployment();
  });

  it("is deployed with code, owner and initial number", async function () {
    const code = await ethers.provider.getCode(await counter.getAddress());
    expect(code.length).to.be.greaterThan(2);
    expect(await counter.owner()).to.equal(owner.address);
    expect(await counter.number()).to.equal(7n);
  });

  it("increment() emits Incremented and bumps the number", async function () {
    const tx = await counter.connect(other).increment();
    await expect(tx).to.emit(counter, "Incremented").withArgs(other.address, 8n);
    const receipt = await tx.wait();
    expect(receipt.status).to.equal(1);
    expect(receipt.logs).to.have.length(1);
    expect(await counter.number()).to.equal(8n);
  });

  it("setNumber() by a stranger reverts with NotOwner(stranger)", async function () {
    await expect(counter.connect(other).setNumber(1))
      .to.be.revertedWithCustomError(counter, "NotOwner")
      .withArgs(other.address);
  });

  it("setNumber() over MAX reverts with TooLarge(value, max)", async function () {
    await expect(counter.setNumber(1_000_001n))
      .to.be.revertedWithCustomError(counter, "TooLarge")
      .withArgs(1_000_001n, 1_000_000n);
  });

  it("setNumber() by the owner emits NumberSet(old, new)", async function () {
    await expect(counter.setNumber(42))
      .to.emit(counter, "NumberSet")
      .withArgs(owner.address, 8n, 42n);
    expect(await counter.number()).to.equal(42n);
  });

  it("deposit() without value reverts with Error(string)", async function () {
    await expect(counter.deposit()).to.be.revertedWith("no value");
  });

  it("deposit() moves ether: balances read before and after", async function () {
    const address = await counter.getAddress();
    const value = ethers.parseEther("1.25");
    const before = await ethers.provider.getBalance(other.address);
    const tx = await counter.connect(other).deposit({ value });
    const receipt = await tx.wait();
    await expect(tx).to.emit(counter, "Deposited").withArgs(other.address, value);
    const fee = receipt.gasUsed * receipt.gasPrice;
    expect(await ethers.provider.getBalance(address)).to.equal(value);
    expect(await ethers.provider.getBalance(other.address)).to.equal(before - value - fee);
    expect(await counter.deposits(other.address)).to.equal(value);
  });

  it("deposit() moves ether: changeEtherBalances (historical balances by block)", async function () {
    const value = ethers.parseEther("0.5");
    await expect(counter.connect(other).deposit({ value })).to.changeEtherBalances(
      [other, counter],
      [-value, value],
      { includeFee: false },
    );
  });
});
