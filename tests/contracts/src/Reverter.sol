// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Reverts in the ways Solidity can: a custom error with arguments, require with a message, a
/// panic (division by zero), raw revert data.
contract Reverter {
    error Unauthorized(address caller, uint256 code);

    uint256 public touched;

    function custom(uint256 code) external {
        touched = 1; // rolled back
        revert Unauthorized(msg.sender, code);
    }

    function message() external pure {
        require(false, "isthmus: message");
    }

    function panic(uint256 d) external pure returns (uint256) {
        return 1 / d;
    }

    function raw(bytes calldata data) external pure {
        assembly {
            let p := mload(0x40)
            calldatacopy(p, data.offset, data.length)
            revert(p, data.length)
        }
    }
}
