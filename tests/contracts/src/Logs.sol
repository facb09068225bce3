// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Emits LOG0..LOG4 and an ordinary indexed event.
contract Logs {
    event Transfer(address indexed from, address indexed to, uint256 value);

    function emitAll(bytes calldata data) external {
        bytes32 a = keccak256("a");
        bytes32 b = keccak256("b");
        bytes32 c = keccak256("c");
        bytes32 d = keccak256("d");
        assembly {
            let p := mload(0x40)
            calldatacopy(p, data.offset, data.length)
            log0(p, data.length)
            log1(p, data.length, a)
            log2(p, data.length, a, b)
            log3(p, data.length, a, b, c)
            log4(p, data.length, a, b, c, d)
        }
        emit Transfer(msg.sender, address(this), data.length);
    }
}
