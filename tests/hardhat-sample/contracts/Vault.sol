// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

// What the network-helper tests poke at: a value in storage, an owner only it may act as, and
// the block's clock.
contract Vault {
    uint256 public stored; // slot 0
    address public owner; // slot 1

    constructor() {
        owner = msg.sender;
    }

    function store(uint256 value) external {
        require(msg.sender == owner, "not the owner");
        stored = value;
    }

    function now_() external view returns (uint256) {
        return block.timestamp;
    }
}
