// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// A contract that selfdestructs on request, sending its balance to `to`.
contract Doomed {
    uint256 public value = 42;

    constructor() payable {}

    function destroy(address payable to) external {
        selfdestruct(to);
    }
}

/// Cancun (EIP-6780): SELFDESTRUCT deletes only a contract created in the same transaction.
contract Destroyer {
    event Created(address doomed, uint256 codeSizeAfter);

    /// Creates a Doomed and destroys it in the same transaction: it is deleted.
    function createAndDestroy(address payable to) external payable returns (address d) {
        Doomed doomed = new Doomed{value: msg.value}();
        doomed.destroy(to);
        d = address(doomed);
        emit Created(d, d.code.length);
    }

    /// Creates a Doomed that outlives this transaction.
    function create() external payable returns (address d) {
        d = address(new Doomed{value: msg.value}());
        emit Created(d, d.code.length);
    }
}
