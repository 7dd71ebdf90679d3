#!/usr/bin/env python3
"""A seeded, deterministic generator of mutated Lambda events for the fuzz tests.

Starts from the recorded events in events/ (WebSocket events for DBUpdater, DynamoDB stream batches for
DBStreamProcessor) and applies one or more mutations per event: truncated JSON, wrong types, missing
keys, 200 KB strings, 500-deep nesting, invalid UTF-8, numbers as strings, duplicated keys, huge and
negative numbers, random byte flips. The same seed always gives the same corpus.

Writes a corpus file: for each event a 4-byte big-endian length, then the event's bytes (which need not
be JSON, nor UTF-8). Prints one JSON line {"seed", "count", "kinds": {mutation: n}, "bytes"}.

  fuzz_events.py --kind websocket --seed 1234 --count 3000 --out corpus.bin
"""
import argparse
import copy
import json
import random
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {
    "websocket": ["connect.json", "connect-no-visit.json", "disconnect.json", "sync.json"],
    "stream": ["stream-batch.json", "stream-first-insert.json", "stream-modify.json"],
}


def paths(value, prefix=()):
    """Every path to a member or element of a decoded JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, prefix + (index,))


def get(value, path):
    for step in path:
        value = value[step]
    return value


def put(root, path, new):
    if not path:
        return new
    get(root, path[:-1])[path[-1]] = new
    return root


def wrong_type(rng, old):
    choices = [None, True, 0, -1, 1.5e308, "", "x", [], {}, [old], {"S": old}]
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        choices.append(str(old))  # a number as a string
    if isinstance(old, str) and old.lstrip("-").isdigit() and len(old) < 40:
        choices.append(int(old))  # a numeric string as a number
    return rng.choice(choices)


# Deep nesting is spliced in as text at encode time (a 500-deep tree would exhaust Python's recursion
# limit in later mutations); the sentinel marks where.
DEEP = "\u0001deep\u0001"


def splice_deep(text, rng):
    sentinel = json.dumps(DEEP)
    while sentinel in text:
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        text = text.replace(sentinel, opener * 500 + rng.choice(["1", '"x"', "null"]) + closer * 500, 1)
    return text


def mutate_tree(rng, event):
    """One structural mutation of a decoded event; returns (name, new event)."""
    tree = copy.deepcopy(event)
    targets = list(paths(tree))[1:] or [()]
    path = rng.choice(targets)
    # Long strings are rare so that a corpus of thousands stays around tens of megabytes.
    kind = rng.choices(["wrong-type", "missing-key", "long-string", "deep-nesting", "number-as-string",
                        "huge-number", "extra-key", "null"], weights=[6, 5, 1, 2, 3, 2, 2, 2])[0]
    old = get(tree, path)
    if kind == "missing-key" and path and isinstance(path[-1], str):
        del get(tree, path[:-1])[path[-1]]
        return kind, tree
    if kind == "long-string":
        return kind, put(tree, path, rng.choice("aZ9=/%\u00e9\u4e2d") * rng.choice([70_000, 200_000]))
    if kind == "deep-nesting":
        return kind, put(tree, path, DEEP)
    if kind == "number-as-string":
        return kind, put(tree, path, str(old) if not isinstance(old, str) else old)
    if kind == "huge-number":
        return kind, put(tree, path, rng.choice([2**64, -(2**63) - 1, 10**400, -0.0, 1e-320]))
    if kind == "extra-key" and isinstance(old, dict):
        old[rng.choice(["__proto__", "", "\u0000", "requestContext", "S"])] = wrong_type(rng, None)
        return kind, tree
    if kind == "null":
        return kind, put(tree, path, None)
    return "wrong-type", put(tree, path, wrong_type(rng, old))


def mutate_bytes(rng, data):
    """A mutation of the encoded bytes; returns (name, new bytes)."""
    kind = rng.choice(["truncated", "invalid-utf8", "byte-flip", "empty", "not-json", "duplicate-key"])
    if kind == "truncated":
        return kind, data[: rng.randrange(0, max(1, len(data)))]
    if kind == "invalid-utf8":
        at = rng.randrange(0, len(data))
        bad = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"])
        return kind, data[:at] + bad + data[at:]
    if kind == "byte-flip":
        mutable = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutable[rng.randrange(0, len(mutable))] = rng.randrange(0, 256)
        return kind, bytes(mutable)
    if kind == "empty":
        return kind, rng.choice([b"", b"null", b"[]", b"{}", b"0", b'""', b" " * 10])
    if kind == "not-json":
        return kind, rng.choice([b"<xml/>", b"{'a': 1}", b"{\"a\":1,}", b"\x00\x01\x02", b"NaN", b"{\"a\":" * 100])
    # duplicate-key: the first member of the object repeated with another value
    text = data.decode("utf-8", "replace")
    brace = text.find("{")
    return kind, (text[: brace + 1] + '"requestContext":1,"Records":2,' + text[brace + 1:]).encode()


def generate(kind, seed, count):
    rng = random.Random(seed)
    bases = [json.loads((ROOT / "events" / name).read_text()) for name in SEEDS[kind]]
    corpus, kinds = [], {}
    for _ in range(count):
        event = rng.choice(bases)
        names = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name, event = mutate_tree(rng, event)
            names.append(name)
        text = splice_deep(json.dumps(event, ensure_ascii=rng.random() < 0.3), rng)
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.35:
            name, data = mutate_bytes(rng, data)
            names.append(name)
        for name in names:
            kinds[name] = kinds.get(name, 0) + 1
        corpus.append(data)
    return corpus, kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=sorted(SEEDS), required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    corpus, kinds = generate(args.kind, args.seed, args.count)
    with open(args.out, "wb") as out:
        for data in corpus:
            out.write(struct.pack(">I", len(data)))
            out.write(data)
    print(json.dumps({"seed": args.seed, "count": len(corpus), "kinds": kinds,
                      "bytes": sum(len(d) for d in corpus)}), flush=True)


if __name__ == "__main__":
    main()
