"""web3.py (PyPI web3) against $RPC_URL: deploy the OpenZeppelin ERC-20 and ERC-721 of tests/contracts,
transfer, mint, receipts, balances, logs (eth_getLogs, filters, WebSocket subscriptions), reverts decoded (a custom error from eth_call and
eth_estimateGas, Error(string), a panic), transaction types 0/1/2. Sends from development account 5.
Run by scripts/test-e2e.sh in tests/e2e/.venv (python/requirements.txt)."""

import json
import os
import secrets
from pathlib import Path

import pytest
from eth_abi import decode
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError, Web3RPCError
from web3.middleware import SignAndSendRawMiddlewareBuilder

RPC_URL = os.environ.get("RPC_URL", "http://127.0.0.1:8545")
CHAIN_ID = 1337
TIMEOUT = 120
MNEMONIC = "test test test test test test test test test test test junk"
Account.enable_unaudited_hdwallet_features()
ACCOUNT = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/5")  # anvil's and Hardhat's 5th
ADDRESS = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
BUILD = Path(__file__).resolve().parents[2] / "contracts" / "build"


def artifact(name):
    abi = json.loads((BUILD / f"{name}.abi.json").read_text())
    return abi, "0x" + (BUILD / f"{name}.bin").read_text().strip()


def decode_error(abi, data):
    """The (name, args) of a custom error's revert data, by the selector in the ABI."""
    data = bytes.fromhex(data[2:] if data.startswith("0x") else data)
    for item in abi:
        if item["type"] != "error":
            continue
        types = [i["type"] for i in item["inputs"]]
        selector = Web3.keccak(text=f"{item['name']}({','.join(types)})")[:4]
        if data[:4] == selector:
            args = decode(types, data[4:])
            return item["name"], [Web3.to_checksum_address(a) if t == "address" else a for t, a in zip(types, args)]
    raise AssertionError(f"no error of the ABI has the selector of {data.hex()}")


def random_address():
    return Account.from_key(secrets.token_bytes(32)).address


@pytest.fixture(scope="module")
def w3():
    w3 = Web3(Web3.HTTPProvider(RPC_URL, request_kwargs={"timeout": TIMEOUT}))
    account = ACCOUNT
    assert account.address == ADDRESS
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(account), layer=0)
    w3.eth.default_account = account.address
    return w3


def wait(w3, tx_hash):
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=TIMEOUT, poll_latency=0.25)
    assert receipt.status == 1
    return receipt


@pytest.fixture(scope="module")
def token(w3):
    abi, bytecode = artifact("Token")
    tx_hash = w3.eth.contract(abi=abi, bytecode=bytecode).constructor("Py Token", "PYT", 10**24).transact()
    receipt = wait(w3, tx_hash)
    assert receipt.contractAddress
    return w3.eth.contract(address=receipt.contractAddress, abi=abi)


@pytest.fixture(scope="module")
def transfer(w3, token):
    """A transfer of 1000 tokens to a fresh address: (recipient, receipt)."""
    recipient = random_address()
    return recipient, wait(w3, token.functions.transfer(recipient, 1000 * 10**18).transact())


def test_chain_and_balance(w3):
    assert w3.is_connected()
    assert w3.eth.chain_id == CHAIN_ID
    assert w3.net.version == str(CHAIN_ID)
    balance = w3.eth.get_balance(ADDRESS)
    if w3.eth.get_transaction_count(ADDRESS) == 0:
        assert balance == Web3.to_wei(10000, "ether")
    else:
        assert 0 < balance < Web3.to_wei(10000, "ether")
    # The node's accounts: the ten development accounts, unlocked as anvil has them.
    assert len(w3.eth.accounts) == 10
    assert w3.eth.accounts[0] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert ADDRESS in w3.eth.accounts
    assert w3.eth.syncing is False


def test_deploy_erc20(w3, token):
    assert len(w3.eth.get_code(token.address)) > 0
    assert token.functions.name().call() == "Py Token"
    assert token.functions.totalSupply().call() == 10**24
    assert token.functions.balanceOf(ADDRESS).call() == 10**24


def test_transfer_receipt_and_balances(w3, token, transfer):
    recipient, receipt = transfer
    assert receipt["from"] == ADDRESS
    assert receipt.to == token.address
    assert receipt.gasUsed > 21000
    (event,) = token.events.Transfer().process_receipt(receipt)
    assert event.args["from"] == ADDRESS
    assert event.args.to == recipient
    assert event.args.value == 1000 * 10**18
    assert token.functions.balanceOf(recipient).call() == 1000 * 10**18
    tx = w3.eth.get_transaction(receipt.transactionHash)
    assert tx.blockHash == receipt.blockHash
    assert tx["from"] == ADDRESS


def test_get_logs(w3, token, transfer):
    recipient, receipt = transfer
    logs = token.events.Transfer.get_logs(from_block=0, argument_filters={"to": recipient})
    assert [log.transactionHash for log in logs] == [receipt.transactionHash]
    assert logs[0].args.value == 1000 * 10**18
    topic = Web3.keccak(text="Transfer(address,address,uint256)")
    raw = w3.eth.get_logs({"address": token.address, "topics": [topic], "fromBlock": receipt.blockNumber, "toBlock": receipt.blockNumber})
    assert [log["transactionHash"] for log in raw] == [receipt.transactionHash]
    assert raw[0]["blockHash"] == receipt.blockHash


def test_filters(w3, token):
    recipient = random_address()
    event_filter = token.events.Transfer.create_filter(from_block="latest", argument_filters={"to": recipient})
    block_filter = w3.eth.filter("latest")
    receipt = wait(w3, token.functions.transfer(recipient, 7).transact())
    entries = event_filter.get_new_entries()
    assert [e.transactionHash for e in entries] == [receipt.transactionHash]
    assert entries[0].args.to == recipient
    assert receipt.blockHash in block_filter.get_new_entries()
    assert event_filter.get_new_entries() == []
    assert w3.eth.uninstall_filter(event_filter.filter_id)
    assert w3.eth.uninstall_filter(block_filter.filter_id)


def test_custom_error_revert_decoded(w3, token):
    abi, _ = artifact("Token")
    poor = random_address()
    call = token.functions.transfer(ADDRESS, 1)
    with pytest.raises(ContractCustomError) as e:
        call.call({"from": poor})
    assert decode_error(abi, e.value.data) == ("ERC20InsufficientBalance", [poor, 0, 1])
    with pytest.raises(ContractCustomError) as e:
        call.estimate_gas({"from": poor})
    assert decode_error(abi, e.value.data) == ("ERC20InsufficientBalance", [poor, 0, 1])


def test_error_string_and_panic(w3):
    abi, bytecode = artifact("Reverter")
    receipt = wait(w3, w3.eth.contract(abi=abi, bytecode=bytecode).constructor().transact())
    reverter = w3.eth.contract(address=receipt.contractAddress, abi=abi)
    with pytest.raises(ContractLogicError) as e:
        reverter.functions.message().call()
    assert e.value.message == "execution reverted: isthmus: message"
    with pytest.raises(ContractPanicError) as e:
        reverter.functions.panic(0).call()
    assert e.value.data == "0x4e487b71" + "00" * 31 + "12"  # Panic(0x12): division by zero
    with pytest.raises(ContractCustomError) as e:
        reverter.functions.custom(3).estimate_gas()
    assert decode_error(abi, e.value.data) == ("Unauthorized", [ADDRESS, 3])


def test_transaction_types(w3, token):
    to = random_address()
    gas_price = w3.eth.gas_price
    access_list = [{"address": token.address, "storageKeys": ["0x" + "00" * 31 + "01"]}]
    hashes = [
        w3.eth.send_transaction({"to": to, "value": 1, "gasPrice": gas_price, "chainId": CHAIN_ID, "gas": 21000}),
        w3.eth.send_transaction({"to": to, "value": 2, "gasPrice": gas_price, "accessList": access_list, "type": 1}),  # gas: eth_estimateGas
        w3.eth.send_transaction({"to": to, "value": 3, "maxFeePerGas": 2 * gas_price, "maxPriorityFeePerGas": 1, "gas": 21000}),
    ]
    for kind, tx_hash in enumerate(hashes):
        receipt = wait(w3, tx_hash)
        assert receipt.type == kind
        tx = w3.eth.get_transaction(tx_hash)
        assert tx.type == kind
        assert tx.chainId == CHAIN_ID
    assert w3.eth.get_balance(to) == 6


def test_nonce_too_low(w3):
    with pytest.raises(Web3RPCError) as e:
        w3.eth.send_transaction({"to": random_address(), "value": 1, "nonce": 0, "gas": 21000})
    assert "nonce too low" in str(e.value).lower()


def test_erc721_deploy_mint_transfer(w3):
    abi, bytecode = artifact("Nft")
    receipt = wait(w3, w3.eth.contract(abi=abi, bytecode=bytecode).constructor().transact())
    nft = w3.eth.contract(address=receipt.contractAddress, abi=abi)
    minted = wait(w3, nft.functions.mint(ADDRESS, 7).transact())
    (event,) = nft.events.Transfer().process_receipt(minted)
    assert (event.args["from"], event.args.to, event.args.tokenId) == ("0x" + "00" * 20, ADDRESS, 7)
    to = random_address()
    wait(w3, nft.functions.transferFrom(ADDRESS, to, 7).transact())
    assert nft.functions.ownerOf(7).call() == to
    assert nft.functions.balanceOf(to).call() == 1
    assert nft.functions.balanceOf(ADDRESS).call() == 0


def test_websocket_subscriptions(w3, token):
    """newHeads and the token's Transfer logs over WebSocket (AsyncWeb3 + WebSocketProvider)."""
    import asyncio

    from web3 import AsyncWeb3, WebSocketProvider

    ws_url = RPC_URL.replace("http://", "ws://").replace("https://", "wss://")
    recipient = random_address()

    async def run():
        async with AsyncWeb3(WebSocketProvider(ws_url)) as aw3:
            heads = await aw3.eth.subscribe("newHeads")
            logs = await aw3.eth.subscribe("logs", {"address": token.address})
            # The transfer goes through the HTTP provider (signing middleware), off the loop.
            tx_hash = await asyncio.to_thread(
                lambda: token.functions.transfer(recipient, 5).transact()
            )
            seen_head, seen_log = None, None
            async def listen():
                nonlocal seen_head, seen_log
                async for message in aw3.socket.process_subscriptions():
                    result = message["result"]
                    if message["subscription"] == heads and seen_head is None:
                        seen_head = result
                    elif message["subscription"] == logs and result["transactionHash"] == tx_hash:
                        seen_log = result
                    if seen_head is not None and seen_log is not None:
                        return
            await asyncio.wait_for(listen(), timeout=TIMEOUT)
            assert await aw3.eth.unsubscribe(heads)
            assert await aw3.eth.unsubscribe(logs)
            return seen_head, seen_log

    head, log = asyncio.run(run())
    assert head["number"] >= 1 and len(head["hash"]) == 32
    assert log["address"] == token.address
    assert log["topics"][0] == Web3.keccak(text="Transfer(address,address,uint256)")
    assert log["topics"][2][-20:] == bytes.fromhex(recipient[2:])
    assert int.from_bytes(log["data"], "big") == 5
