#!/usr/bin/env python3
"""`make soak`: load storms over the local stack (Issue 8) until at least 10,000 function invocations have
run, with process figures after every round; the engine is vctools/load.py (tests/test_load.py runs one
CI-sized storm of it). Prints the report as JSON and "soak: OK" or what failed; exits 1 on any problem.

Usage: scripts/soak.py [--short] [--clients N] [--invocations N] [--rounds N] [--json FILE]
"""
import argparse
import json
import sys
from pathlib import Path

from vctools.load import Stack, StormConfig, run, storm_problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="CI setting: 300 clients, one round")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--invocations", type=int, default=10_000, help="run rounds until this many invocations")
    parser.add_argument("--reconnect-fraction", type=float, default=0.3)
    parser.add_argument("--instances", type=int, default=4)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--json", help="write the report here too")
    args = parser.parse_args()
    config = StormConfig(clients=args.clients, reconnect_fraction=args.reconnect_fraction)
    invocations = args.invocations
    if args.short:
        config, invocations = StormConfig(clients=300, reconnect_fraction=0.3, churn_seconds=5), 0
    with Stack(instances=args.instances, name="gateway-soak") as stack:
        report = run(stack, config, rounds=args.rounds, min_invocations=invocations, seed=args.seed)
    problems = [p for r in [report["warmup"], *report["rounds"]] for p in storm_problems(r)] + report["leakProblems"]
    report["problems"] = problems
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text)
    print("soak: " + ("OK" if not problems else "FAILED: " + "; ".join(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
