// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// A counter with an owner, events, a custom error and ether deposits: enough to check that
/// forge's broadcast and cast's calls, sends and receipts work against an endpoint.
contract Counter {
    address public owner;
    uint256 public number;
    mapping(address => uint256) public deposits;

    event Incremented(address indexed by, uint256 newNumber);
    event NumberSet(address indexed by, uint256 oldNumber, uint256 newNumber);
    event Deposited(address indexed from, uint256 amount);

    error NotOwner(address caller);
    error TooLarge(uint256 value, uint256 max);

    uint256 public constant MAX = 1_000_000;

    constructor(uint256 initial) {
        owner = msg.sender;
        number = initial;
    }

    function increment() external {
        number += 1;
        emit Incremented(msg.sender, number);
    }

    function setNumber(uint256 value) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (value > MAX) revert TooLarge(value, MAX);
        emit NumberSet(msg.sender, number, value);
        number = value;
    }

    function deposit() external payable {
        require(msg.value > 0, "no value");
        deposits[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }
}
