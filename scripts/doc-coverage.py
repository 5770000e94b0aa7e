#!/usr/bin/env python3
"""Fails when a public symbol declared in a module has no doc comment of its own.

Usage: doc-coverage.py MODULE.symbols.json ...

Reads symbol graphs made by swift-symbolgraph-extract. A symbol counts as declared in
the module when the graph gives its source location; members the compiler synthesizes
(Equatable's `!=`, Hashable's `hash(into:)`, a raw-value enum's `init(rawValue:)`,
protocol-extension members such as RandomNumberGenerator's `next(upperBound:)`) have no
location and are not checked. A declared symbol whose only documentation is inherited
from a protocol of another module (an explicit `==` or `description`) must still say
what it does here, so it is reported too.
"""
import json
import sys


def undocumented(path):
    graph = json.load(open(path))
    module = graph["module"]["name"]
    missing = []
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        if "location" not in symbol:
            continue
        doc = symbol.get("docComment")
        own = doc is not None and doc.get("module", module) == module
        text = "".join(line.get("text", "") for line in (doc or {}).get("lines", []))
        if own and text.strip():
            continue
        location = symbol["location"]
        file = location["uri"].split("/Sources/", 1)[-1]
        line = location["position"]["line"] + 1
        name = ".".join(symbol["pathComponents"])
        missing.append(f"Sources/{file}:{line}: {module}.{name} ({symbol['kind']['displayName']})")
    return missing


def main():
    missing = [entry for path in sys.argv[1:] for entry in undocumented(path)]
    if missing:
        print(f"{len(missing)} public symbol(s) without a doc comment:", file=sys.stderr)
        for entry in sorted(missing):
            print("  " + entry, file=sys.stderr)
        return 1
    print("every public symbol is documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
