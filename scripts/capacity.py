#!/usr/bin/env python3
"""Capacity and cost model of VisitorCounter: writes docs/capacity.md from stated inputs (issue 7).

  scripts/capacity.py [--figures .build-lambda/bench/figures.json] [--out docs/capacity.md] [--option value ...]

Every input is an option with a stated default (`--help` lists them); the per-message and per-visit CPU
costs come from the last `make bench` run when its figures file exists, else from the defaults. The model
is deliberately simple and says where it simplifies; prices are AWS list prices (us-east-1, on-demand,
x86_64) and are inputs too, so a reader can redo the sums for another region.
"""
import argparse
import json
import math
import os

from vctools.paths import ROOT

SECONDS_PER_MONTH = 730 * 3600  # AWS pricing's month: 730 hours

# (concurrent viewers, new visits per second)
SCENARIOS = [(50, 0.05), (1_000, 1), (10_000, 10), (50_000, 50), (100_000, 200)]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a = p.add_argument
    a("--out", default=os.path.join(ROOT, "docs", "capacity.md"))
    a("--figures", default=os.path.join(ROOT, ".build-lambda", "bench", "figures.json"),
      help="make bench's raw figures (CPU per message and per $connect); ignored when missing")
    # the deployment (template.yaml)
    a("--batching-window-s", type=float, default=1.0, help="MaximumBatchingWindowInSeconds of the stream mapping")
    a("--batch-size", type=int, default=100, help="BatchSize of the stream mapping")
    a("--poll-interval-s", type=float, default=0.25, help="Lambda polls a stream shard 4 times a second")
    a("--updater-memory-mb", type=int, default=128)
    a("--processor-memory-mb", type=int, default=128)
    a("--processor-timeout-s", type=float, default=30.0, help="DBStreamProcessor's Timeout")
    a("--fanout-concurrency", type=int, default=64)
    a("--live-viewers", action="store_true", help="LIVE_VIEWERS=true: disconnects change the counter too")
    a("--counter-shards", type=int, default=1, help="COUNTER_SHARDS: items the visit count is spread over (1-32)")
    a("--transaction-ms", type=float, default=25.0,
      help="how long a TransactWriteItems holds the counter shard it writes (assumption: about twice a single write)")
    # behaviour and AWS latencies (assumptions, not measured here)
    a("--dynamodb-ms", type=float, default=8.0, help="round trip of one DynamoDB call from Lambda (same region)")
    a("--management-api-ms", type=float, default=15.0, help="round trip of one @connections POST from Lambda")
    a("--connection-item-bytes", type=int, default=110, help="ConnectionIDs item size (id, connectedAt, visitId, expiresAt)")
    a("--scan-cpu-us-per-item", type=float, default=6.5,
      help="decoding one scanned item (perf profile of the typed Scan decode, bench/history.md round 2)")
    a("--message-cpu-us", type=float, default=None, help="CPU of one fan-out message at 1 vCPU (default: bench figures, else 55)")
    a("--connect-cpu-ms", type=float, default=None, help="CPU of one warm $connect at 1 vCPU (default: bench figures, else 0.5)")
    # limits (AWS service quotas, defaults)
    a("--account-rps", type=float, default=10_000, help="API Gateway account-level throttle per region, shared by the Management API")
    a("--new-connections-per-s", type=float, default=500, help="WebSocket new connections per second per account and region")
    a("--stage-rate-limit", type=float, default=50, help="template parameter ThrottlingRateLimit (connects + messages per second)")
    a("--partition-wcu", type=float, default=1_000, help="write capacity of one DynamoDB partition (the counter item's)")
    # prices (USD, us-east-1 list prices)
    a("--price-lambda-gb-s", type=float, default=0.0000166667)
    a("--price-lambda-request", type=float, default=0.20 / 1e6)
    a("--price-wru", type=float, default=0.625 / 1e6, help="DynamoDB on-demand write request unit")
    a("--price-rru", type=float, default=0.125 / 1e6, help="DynamoDB on-demand read request unit")
    a("--price-ws-message", type=float, default=1.00 / 1e6, help="API Gateway WebSocket message (first billion a month)")
    a("--price-ws-connection-minute", type=float, default=0.25 / 1e6)
    return p.parse_args()


def measured_costs(args):
    """CPU per fan-out message and per $connect, from the benchmark's figures when present."""
    source = "defaults"
    message_us, connect_ms = 55.0, 0.5
    try:
        with open(args.figures) as f:
            figures = json.load(f)
        fan = figures["fanout"]["swift"]
        big = max(fan, key=int)
        # The invocation's CPU includes the scan; the scan's share is taken off with the per-item estimate.
        message_us = fan[big]["cpuSeconds"] / int(big) * 1e6 - args.scan_cpu_us_per_item
        connect_ms = figures["warm"]["swift"]["cpuMs"]
        source = f"`make bench` figures ({os.path.relpath(args.figures, ROOT)}, {figures['machine']['date']})"
    except (OSError, KeyError, ValueError):
        pass
    if args.message_cpu_us is not None:
        message_us, source = args.message_cpu_us, "command line"
    if args.connect_cpu_ms is not None:
        connect_ms, source = args.connect_cpu_ms, "command line"
    return max(message_us, 1.0), connect_ms, source


def model(viewers, visits, args, message_us, connect_ms):
    """One scenario: rates, limits and a month's bill."""
    r = {"viewers": viewers, "visits": visits}
    # Lambda gives a function CPU in proportion to memory: 1,769 MB is one vCPU.
    updater_vcpu = min(1.0, args.updater_memory_mb / 1769)
    processor_vcpu = min(1.0, args.processor_memory_mb / 1769)

    # DBUpdater: $connect + sync + $disconnect per visit (reconnects ignored).
    connect_s = (connect_ms / updater_vcpu + args.dynamodb_ms) / 1000
    simple_s = (0.3 / updater_vcpu + args.dynamodb_ms) / 1000  # sync (GetItem) and $disconnect (DeleteItem)
    r["updaterInvocations"] = 3 * visits
    r["updaterGBs"] = visits * (math.ceil(connect_s * 1000) + 2 * math.ceil(simple_s * 1000)) / 1000 * args.updater_memory_mb / 1024

    # DBStreamProcessor: one broadcast per batch; batches of one shard run one at a time.
    scan_pages = max(1, math.ceil(viewers * args.connection_item_bytes / 1_000_000))
    scan_s = scan_pages * args.dynamodb_ms / 1000 + viewers * args.scan_cpu_us_per_item / 1e6 / processor_vcpu
    network_rate = args.fanout_concurrency / (args.management_api_ms / 1000)
    cpu_rate = processor_vcpu / (message_us / 1e6)
    fanout_rate = min(network_rate, cpu_rate)
    broadcast_s = scan_s + viewers / fanout_rate
    records = visits * (2 if args.live_viewers else 1)  # the filter passes only the counter item's changes
    if records > 0:
        # A batch closes when the window ends or it is full; the next starts when the previous broadcast ended.
        gap = max(args.poll_interval_s, min(args.batching_window_s, args.batch_size / records))
        interval = max(broadcast_s, gap, 1 / records)
        broadcasts = 1 / interval
    else:
        broadcasts = 0.0
    r.update(fanoutRate=fanout_rate, fanoutBound="CPU" if cpu_rate < network_rate else "network",
             broadcastSeconds=broadcast_s, broadcasts=broadcasts, messages=broadcasts * viewers,
             processorGBs=broadcasts * math.ceil(broadcast_s * 1000) / 1000 * args.processor_memory_mb / 1024)

    # DynamoDB on demand: transactional writes cost 2 WRU per item (≤ 1 KB); an eventually consistent read 0.5 RRU per 4 KB.
    wru_connect = 3 * 2
    wru_disconnect = 2 * 2 if args.live_viewers else 1
    r["wru"] = visits * (wru_connect + wru_disconnect)
    scan_rru = math.ceil(viewers * args.connection_item_bytes / 4096) * 0.5
    r["rru"] = visits * 0.5 + broadcasts * scan_rru
    r["counterWCU"] = visits * 2 * (2 if args.live_viewers else 1)

    # API Gateway: broadcast messages out, sync in and its response out; connection minutes.
    r["wsMessages"] = r["messages"] + 2 * visits
    r["connectionMinutes"] = viewers * 60  # per minute... per second below
    monthly = {
        "Lambda requests": (r["updaterInvocations"] + broadcasts) * SECONDS_PER_MONTH * args.price_lambda_request,
        "Lambda GB-s": (r["updaterGBs"] + r["processorGBs"]) * SECONDS_PER_MONTH * args.price_lambda_gb_s,
        "DynamoDB writes": r["wru"] * SECONDS_PER_MONTH * args.price_wru,
        "DynamoDB reads": r["rru"] * SECONDS_PER_MONTH * args.price_rru,
        "WebSocket messages": r["wsMessages"] * SECONDS_PER_MONTH * args.price_ws_message,
        "WebSocket connection-minutes": viewers * SECONDS_PER_MONTH / 60 * args.price_ws_connection_minute,
    }
    r["monthly"] = monthly
    r["total"] = sum(monthly.values())

    limits = []
    if r["messages"] > args.account_rps:
        limits.append(f"Management API: {r['messages']:,.0f} posts/s > account limit {args.account_rps:,.0f} RPS")
    if visits > args.new_connections_per_s:
        limits.append(f"new connections {visits:,.0f}/s > {args.new_connections_per_s:,.0f}/s")
    if visits * 2 > args.stage_rate_limit:
        limits.append(f"stage throttle: {visits * 2:,.0f} connects+syncs/s > ThrottlingRateLimit {args.stage_rate_limit:,.0f}")
    if r["counterWCU"] > args.partition_wcu:
        limits.append(f"counter item: {r['counterWCU']:,.0f} WCU/s > one partition's {args.partition_wcu:,.0f}")
    if records > 0 and broadcast_s > args.processor_timeout_s:
        limits.append(f"one broadcast needs {broadcast_s:.0f} s > the function's {args.processor_timeout_s:g} s timeout: it never completes")
    elif records > 0 and broadcast_s > args.batching_window_s:
        limits.append(f"one broadcast takes {broadcast_s:.1f} s > the {args.batching_window_s:g} s window: counts arrive late")
    r["counterCeiling"] = counter_ceiling(args, args.counter_shards)["counter"]
    if visits > r["counterCeiling"]:
        limits.append(f"counter: {visits:,.0f} visits/s > the ~{r['counterCeiling']:,.0f}/s that {args.counter_shards} shard(s) absorb")
    r["limits"] = limits
    return r


def counter_ceiling(args, shards):
    """Visits per second the counter absorbs with `shards` shards, and what bounds it.

    Each counted visit is one transaction on one shard, and DynamoDB cancels a transaction on an item another
    is working on: one shard takes about 1000 / transaction-ms visits/s however many arrive at once (the rest
    are conflicts, retried). Its writes cost 2 WCU each; a new table's items share one partition (1,000 WCU)
    until DynamoDB splits it for heat, so that bound is per partition, not per shard. Arrivals are capped
    before either by the account's new connections per second and the stage throttle (connect + sync)."""
    bounds = {
        "conflicts": shards * 1000 / args.transaction_ms,
        "one partition's WCU": args.partition_wcu / (2 * (2 if args.live_viewers else 1)),
        "new connections/s quota": args.new_connections_per_s,
        "stage throttle": args.stage_rate_limit / 2,
    }
    bound = min(bounds, key=bounds.get)
    counter = min(bounds["conflicts"], bounds["one partition's WCU"])
    return {"bounds": bounds, "absorbs": bounds[bound], "bound": bound, "counter": counter}


def money(x):
    return f"${x:,.2f}" if x >= 0.01 or x == 0 else f"${x:.4f}"


def render(args, rows, levers, message_us, connect_ms, source):
    out = [
        "# Capacity and cost",
        "",
        "Written by `scripts/capacity.py` (rerun it after `make bench`, or with other inputs: `--help` lists them).",
        "A steady-state model: every figure below follows from the inputs in the first table by the formulas in the",
        "script; nothing here was measured on AWS.",
        "",
        "## Inputs",
        "",
        "| input | value | source |",
        "|---|---|---|",
        f"| CPU per fan-out message (1 vCPU) | {message_us:.1f} µs | {source}, less the scan's share |",
        f"| CPU per warm `$connect` (1 vCPU) | {connect_ms:.3f} ms | {source} |",
        f"| CPU per scanned connection item | {args.scan_cpu_us_per_item:g} µs | profile in docs/benchmarks.md |",
        f"| DynamoDB call round trip | {args.dynamodb_ms:g} ms | assumption (same region) |",
        f"| Management API POST round trip | {args.management_api_ms:g} ms | assumption (same region) |",
        f"| memory: DBUpdater / DBStreamProcessor | {args.updater_memory_mb} / {args.processor_memory_mb} MB "
        f"(= {args.updater_memory_mb / 1769:.3f} / {args.processor_memory_mb / 1769:.3f} vCPU) | template.yaml; Lambda: 1,769 MB = 1 vCPU |",
        f"| `FANOUT_CONCURRENCY` | {args.fanout_concurrency} | template.yaml |",
        f"| batching window / batch size | {args.batching_window_s:g} s / {args.batch_size} | template.yaml |",
        f"| live viewers | {'on' if args.live_viewers else 'off'} | template.yaml (`LiveViewers`) |",
        f"| ConnectionIDs item | {args.connection_item_bytes} bytes | connectionId, connectedAt, visitId, expiresAt |",
        f"| limits | {args.account_rps:,.0f} RPS account-wide (Management API included), {args.new_connections_per_s:,.0f} new "
        f"connections/s, stage throttle {args.stage_rate_limit:g}/s, {args.partition_wcu:,.0f} WCU per partition | AWS default quotas, template.yaml |",
        f"| prices | Lambda ${args.price_lambda_gb_s:.10f}/GB-s + ${args.price_lambda_request * 1e6:.2f}/M requests; DynamoDB "
        f"${args.price_wru * 1e6:.3f}/M WRU, ${args.price_rru * 1e6:.3f}/M RRU; WebSocket ${args.price_ws_message * 1e6:.2f}/M messages, "
        f"${args.price_ws_connection_minute * 1e6:.2f}/M connection-minutes | AWS list prices, us-east-1, x86_64, 730 h month |",
        "",
        "A visit is one `$connect`, one `sync` and one `$disconnect`; concurrent viewers and visits per second are",
        "independent inputs (their ratio is the average time on the page). Reconnects, free tiers and data transfer",
        "are left out; a `$connect` writes 3 items in a transaction (6 WRU), a `$disconnect` deletes one (1 WRU), the",
        "scan reads the whole ConnectionIDs table eventually consistently (0.5 RRU per 4 KB) once per broadcast.",
        "",
        "## Scenarios",
        "",
        "| viewers | visits/s | broadcasts/s | messages/s | fan-out rate (bound) | one broadcast | Lambda GB-s/s | WRU/s | RRU/s | "
        "WebSocket msgs/s | $/month |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['viewers']:,} | {r['visits']:g} | {r['broadcasts']:.2f} | {r['messages']:,.0f} | {r['fanoutRate']:,.0f}/s "
            f"({r['fanoutBound']}) | {r['broadcastSeconds']:.2f} s | {r['updaterGBs'] + r['processorGBs']:.3f} | {r['wru']:,.1f} | "
            f"{r['rru']:,.1f} | {r['wsMessages']:,.0f} | {money(r['total'])} |")
    out += ["", "### Monthly bill by service", "",
            "| viewers | visits/s | " + " | ".join(rows[0]["monthly"]) + " | total |",
            "|---:|---:|" + "---:|" * (len(rows[0]["monthly"]) + 1)]
    for r in rows:
        out.append(f"| {r['viewers']:,} | {r['visits']:g} | " + " | ".join(money(v) for v in r["monthly"].values())
                   + f" | **{money(r['total'])}** |")
    out += ["", "## The levers: batching window and memory", "",
            "The same scenarios with a longer window (and `BatchSize` 10,000, the maximum, so a full batch does not close the",
            "window early) and/or DBStreamProcessor at 1,769 MB (one full vCPU). At 128 MB a slow broadcast coalesces by",
            "itself (fewer, later broadcasts); a faster function sends more of them unless the window is longer too.", "",
            "| viewers | visits/s | window | processor memory | broadcasts/s | messages/s | one broadcast | $/month | first limit |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in levers:
        out.append(f"| {r['viewers']:,} | {r['visits']:g} | {r['window']:g} s | {r['memory']:,} MB | {r['broadcasts']:.3f} | "
                   f"{r['messages']:,.0f} | {r['broadcastSeconds']:.2f} s | {money(r['total'])} | {r['limits'][0] if r['limits'] else '—'} |")
    out += ["", "## Spikes: the visits per second one stack absorbs", "",
            "Every counted visit is a transaction on one counter shard; DynamoDB cancels one that touches a shard another",
            f"transaction holds (assumed {args.transaction_ms:g} ms each), and DBUpdater retries it on a random shard until its",
            "deadline. So one shard takes about 1000 / transaction-ms visits/s, more shards that many times more, until the",
            "next bound: a partition's write capacity (a new table's items share one partition until DynamoDB splits it),",
            "the account's new connections per second, and the stage throttle (a visit is a `$connect` and a `sync`).",
            "Measured on the local stack (docs/reliability.md, `SpikeTests`; moto serves one request at a time, so these",
            "are not AWS rates): 400 concurrent `$connect`s over 8 processes with a 20 ms conflict window were all answered",
            "and counted exactly once with 8 shards in 5.5 s (171 conflicts, p99 255 ms); with 1 shard the same spike took",
            "15.2 s (721 conflicts, p99 2.5 s).", "",
            "| `COUNTER_SHARDS` | conflicts bound | one partition's WCU | counter alone | new connections/s | stage throttle | "
            "one stack absorbs (bound) |",
            "|---:|---:|---:|---:|---:|---:|---|"]
    for shards in (1, 4, 8, 16, 32):
        c = counter_ceiling(args, shards)
        b = c["bounds"]
        wcu = b["one partition's WCU"]
        out.append(f"| {shards} | {b['conflicts']:,.0f}/s | {wcu:,.0f}/s | {c['counter']:,.0f}/s | {b['new connections/s quota']:,.0f}/s | "
                   f"{b['stage throttle']:,.0f}/s | **{c['absorbs']:,.0f}/s** ({c['bound']}) |")
    out += ["", f"With the deployed `ThrottlingRateLimit` ({args.stage_rate_limit:g}/s) the stage throttle is the first bound, whatever the",
            "shards; raising it (and the account quota past 500 new connections/s) makes the counter the bound, and",
            "`COUNTER_SHARDS` moves that: 8 shards absorb about 8 times one shard's rate up to a partition's write capacity."]
    out += ["", "## Where it hits a limit first", ""]
    for r in rows:
        out.append(f"- **{r['viewers']:,} viewers, {r['visits']:g} visits/s**: "
                   + ("; ".join(r["limits"]) if r["limits"] else "no limit reached") + ".")
    out += [
        "",
        "## What to change there",
        "",
        "- **Management API (account-wide RPS).** Every broadcast costs one request per open connection, so messages/s",
        "  = broadcasts/s × viewers. Fewer broadcasts: a longer `MaximumBatchingWindowInSeconds` (up to 300 s) divides",
        "  the rate directly — at 10,000 viewers a 2 s window halves it; readers of a visitor counter do not need",
        "  sub-second freshness. Beyond that ask for a higher account quota: the limit is shared with every other API",
        "  of the account in the region.",
        "- **One broadcast longer than the window.** The batches of one shard run one after another, so a broadcast",
        "  that takes longer than the window simply makes the next one later (the count stays correct: each broadcast",
        "  sends the newest value). To keep up: more memory for DBStreamProcessor (CPU grows with it — at 128 MB a",
        "  function has 0.07 vCPU, which is what bounds the fan-out rate above), a higher `FANOUT_CONCURRENCY`, or a",
        "  *sharded fan-out*: DBStreamProcessor splits the connection list (a parallel Scan with `Segment`/`TotalSegments`)",
        "  and invokes N copies of itself asynchronously, each posting to one segment.",
        "- **New connections per second** (500 per account and region, adjustable) and the stage throttle",
        "  (`ThrottlingRateLimit`, 50/s by default in template.yaml: it also counts `sync` messages) cap arrivals;",
        "  raise the template parameter first, then the quota.",
        "- **The counter**: every counted visit writes one counter shard inside a transaction (2 WCU), and concurrent",
        "  transactions on the same shard fail with `TransactionConflict` (retried until the deadline). `COUNTER_SHARDS`",
        "  spreads them (see Spikes above); past a partition's 1,000 WCU DynamoDB splits hot partitions by itself.",
        "- **Stream shard throughput** (2 MB/s and 5 reads/s per shard) is far away: the filter passes one small record",
        "  per visit.",
        "",
    ]
    return "\n".join(out)


def main():
    args = parse_args()
    message_us, connect_ms, source = measured_costs(args)
    rows = [model(v, s, args, message_us, connect_ms) for v, s in SCENARIOS]
    levers = []
    for viewers, visits in SCENARIOS[1:4]:
        for window, memory in ((args.batching_window_s, args.processor_memory_mb), (10.0, args.processor_memory_mb),
                               (args.batching_window_s, 1769), (10.0, 1769), (60.0, 1769)):
            # A longer window needs a bigger batch too, or a full batch (BatchSize records) closes it early.
            batch = args.batch_size if window == args.batching_window_s else 10_000
            variant = argparse.Namespace(**dict(vars(args), batching_window_s=window, processor_memory_mb=memory, batch_size=batch))
            levers.append(dict(model(viewers, visits, variant, message_us, connect_ms), window=window, memory=memory))
    with open(args.out, "w") as f:
        f.write(render(args, rows, levers, message_us, connect_ms, source))
    for r in rows:
        print(f"{r['viewers']:>7,} viewers {r['visits']:>6g} visits/s: {r['broadcasts']:.2f} broadcasts/s, "
              f"{r['messages']:,.0f} msgs/s, {money(r['total'])}/month" + (f"  LIMIT: {r['limits'][0]}" if r["limits"] else ""))
    print(f"wrote {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
