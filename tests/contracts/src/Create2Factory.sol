// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

contract Child {
    uint256 public value;

    constructor(uint256 v) {
        value = v;
    }
}

/// Deploys Child with CREATE2 (the test predicts the address from Child's creation code).
contract Create2Factory {
    event Deployed(address child);

    function deploy(bytes32 salt, uint256 v) external returns (address child) {
        child = address(new Child{salt: salt}(v));
        emit Deployed(child);
    }
}
