#!/usr/bin/env bash
# Writes the Anchor IDL of programs/isthmus to target/idl/isthmus.json. Anchor 2's macros print
# the IDL in sections from host tests (`cargo test --features idl-build`, stable Rust); this
# assembles them as `anchor idl build` does: program + address, errors, events (and their types).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
out="$(cargo test --quiet -p isthmus --features idl-build __anchor_private -- --nocapture --test-threads=1 2>/dev/null)"
mkdir -p target/idl
python3 - "$out" >target/idl/isthmus.json <<'PY'
import json, re, sys
text = sys.argv[1]
sections = re.findall(r"--- IDL begin (\w+) ---\n(.*?)\n--- IDL end \1 ---", text, re.S)
idl, errors, events, types = None, [], [], []
for kind, body in sections:
    if kind == "address":
        address = body.strip()
    elif kind == "program":
        idl = json.loads(body)
    elif kind == "errors":
        errors += json.loads(body)
    elif kind == "event":
        e = json.loads(body)
        events.append(e["event"])
        types += e["types"]
idl["address"] = address
known = {t["name"] for t in idl.get("types", [])}
idl.setdefault("types", []).extend(t for t in types if t["name"] not in known)
if events:
    idl["events"] = sorted(events, key=lambda e: e["name"])
if errors:
    idl["errors"] = sorted(errors, key=lambda e: e["code"])
json.dump(idl, sys.stdout, indent=2)
print()
PY
echo "target/idl/isthmus.json ($(wc -c <target/idl/isthmus.json) bytes)" >&2
