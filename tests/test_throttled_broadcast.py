"""Account-wide throttling of the Management API for 3 s, from the local gateway's fault control: every
open connection still gets the new count, once, after the throttling ends (DBStreamProcessor retries 429
until shortly before its deadline)."""
import asyncio
import json
import secrets

from websockets.asyncio.client import connect

from vctools.local_stack import running_stack


def test_a_broadcast_outlasts_three_seconds_of_account_wide_throttling():
    with running_stack("gateway-throttled-broadcast", ["--fault-control"]) as (_, gateway):
        async def scenario():
            sockets = [await connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}") for _ in range(20)]
            await asyncio.sleep(3)  # their own visits' broadcasts go by
            for ws in sockets:
                while True:
                    try:
                        await asyncio.wait_for(ws.recv(), 0.2)
                    except asyncio.TimeoutError:
                        break
            gateway.throttle_management_api(3)
            newcomer = await connect(f"{gateway.ws_url}?visit={secrets.token_urlsafe(16)}")

            async def counts(ws):
                seen = []
                while True:
                    try:
                        message = json.loads(await asyncio.wait_for(ws.recv(), 12))
                    except asyncio.TimeoutError:
                        return seen
                    if "visits" in message:
                        seen.append(message["visits"])

            seen = await asyncio.gather(*(counts(ws) for ws in sockets))
            await newcomer.close()
            for ws in sockets:
                await ws.close()
            return seen

        seen = asyncio.run(scenario())
        assert all(s == [21] for s in seen), seen  # every connection, exactly one message
        assert gateway.faults()["managementAPI"]["throttledPosts"] >= 20
