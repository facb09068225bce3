#!/usr/bin/env bash
# Writes the Anchor IDL of programs/isthmus to target/idl/isthmus.json and to idl/isthmus.json (the
# copy checked in, which the TypeScript client and tests/anchor use). Anchor 2's macros print the
# IDL in sections from host tests (`cargo test --features idl-build`, stable Rust); this assembles
# them as `anchor idl build` does: program + address, errors, events (and their types), constants.
#
#   scripts/build-idl.sh          build both files
#   scripts/build-idl.sh --check  build target/idl/isthmus.json and fail if idl/isthmus.json
#                                 differs from it (CI: the checked-in IDL is the program's)
#
# Two gaps of anchor-lang 2.0.0-rc.2's IDL generation are filled here, from the program's source:
# 1. A field of a generic type (`operators: PodVec<Address, MAX_OPERATORS>` in Config) is printed
#    as `{"defined":{"name":"PodVec"}}` without its generic arguments, which no client can lay out
#    (@coral-xyz/anchor: "Generic array length did not resolve"). The arguments are read from the
#    field's declaration in programs/isthmus/src.
# 2. `accounts` lists only the #[account] types some #[derive(Accounts)] field names as
#    `Account<T>`. FeeMarket is an #[account] too, but `execute` takes it unchecked (its seeds come
#    from the transaction), so it is missing; it is added from its struct in src/state (fields of
#    the types used there only; anything else fails the script).
# Holder, EthCode and StorageCell are laid out by hand (variable length; programs/isthmus/README.md)
# and are not Anchor accounts: they are not in the IDL.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
check=0
[ "${1:-}" = "--check" ] && check=1
out="$(cargo test --quiet --manifest-path programs/isthmus/Cargo.toml -p isthmus --features idl-build __anchor_private -- --nocapture --test-threads=1 2>/dev/null)" || {
  echo "build-idl: cargo test --manifest-path programs/isthmus/Cargo.toml --features idl-build failed (run it to see why)" >&2
  exit 1
}
mkdir -p target/idl
python3 - "$out" programs/isthmus/src >target/idl/isthmus.json <<'PY'
import glob, hashlib, json, re, sys
text, src = sys.argv[1], sys.argv[2]
sections = re.findall(r"--- IDL begin (\w+) ---\n(.*?)\n--- IDL end \1 ---", text, re.S)
idl, address, errors, events, types, constants = None, None, [], [], [], []
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
    elif kind == "const":
        constants.append(json.loads(body))
    else:
        sys.exit(f"build-idl: unknown IDL section {kind!r}")
if idl is None or address is None:
    sys.exit("build-idl: no program/address section (did the idl-build tests run?)")
idl["address"] = address
known = {t["name"] for t in idl.get("types", [])}
idl.setdefault("types", []).extend(t for t in types if t["name"] not in known)
if events:
    idl["events"] = sorted(events, key=lambda e: e["name"])
if errors:
    idl["errors"] = sorted(errors, key=lambda e: e["code"])
if constants:
    idl["constants"] = sorted(constants, key=lambda c: c["name"])

# The program's sources and its interface crate's (constants such as MAX_OPERATORS live there).
files = glob.glob(f"{src}/**/*.rs", recursive=True)
files += glob.glob(f"{src}/../../interface/src/**/*.rs", recursive=True)
source = "\n".join(open(f).read() for f in sorted(files))
consts = {m[0]: m[1] for m in re.findall(r"pub const (\w+): usize = ([0-9_]+);", source)}
PRIM = {"Address": "pubkey", "Pubkey": "pubkey", "u8": "u8", "u16": "u16", "u32": "u32",
        "u64": "u64", "PodU16": "u16", "PodU32": "u32", "PodU64": "u64", "bool": "bool"}

def generic_arg(arg):
    arg = arg.strip()
    if arg in PRIM:
        return {"kind": "type", "type": PRIM[arg]}
    if re.fullmatch(r"[0-9_]+", arg):
        return {"kind": "const", "value": arg.replace("_", "")}
    if arg in consts:
        return {"kind": "const", "value": consts[arg].replace("_", "")}
    sys.exit(f"build-idl: cannot lower generic argument {arg!r}")

# 1. generic arguments of `defined` references that lack them
generic = {t["name"] for t in idl["types"] if t.get("generics")}
for t in idl["types"]:
    for f in t.get("type", {}).get("fields", []) if t.get("type", {}).get("kind") == "struct" else []:
        d = f["type"].get("defined") if isinstance(f["type"], dict) else None
        if d and d["name"] in generic and not d.get("generics"):
            m = re.search(rf"pub {f['name']}: {d['name']}<([^>]*)>", source)
            if not m:
                sys.exit(f"build-idl: no declaration of {t['name']}.{f['name']}: {d['name']}<..>")
            d["generics"] = [generic_arg(a) for a in m.group(1).split(",")]

# 2. #[account] types missing from `accounts`
def field_type(ty):
    ty = ty.strip()
    m = re.fullmatch(r"\[u8; ([0-9]+)\]", ty)
    if m:
        return {"array": ["u8", int(m.group(1))]}
    if ty in PRIM:
        return PRIM[ty]
    sys.exit(f"build-idl: cannot lower field type {ty!r}")

listed = {a["name"] for a in idl["accounts"]}
for docs, name, body in re.findall(r"((?:///[^\n]*\n)*)#\[account\]\npub struct (\w+) \{\n(.*?)\n\}", source, re.S):
    if name in listed:
        continue
    fields = []
    for fdocs, fname, fty in re.findall(r"((?:\s*///[^\n]*\n)*)\s*pub (\w+): ([^,]+),", body):
        field = {"name": fname, "type": field_type(fty)}
        fd = [l.strip()[3:].strip() for l in fdocs.strip().splitlines() if l.strip()]
        if fd:
            field = {"docs": fd, **field}
        fields.append(field)
    tdocs = [l.strip()[3:].strip() for l in docs.strip().splitlines() if l.strip()]
    disc = list(hashlib.sha256(f"account:{name}".encode()).digest()[:8])
    idl["accounts"].append({"discriminator": disc, "name": name})
    idl["types"].append({"docs": tdocs, "name": name, "repr": {"kind": "c"},
                         "serialization": "bytemuck",
                         "type": {"fields": fields, "kind": "struct"}})
json.dump(idl, sys.stdout, indent=2)
print()
PY
echo "target/idl/isthmus.json ($(wc -c <target/idl/isthmus.json) bytes)" >&2
if [ "$check" = 1 ]; then
  if ! diff -u idl/isthmus.json target/idl/isthmus.json >&2; then
    echo "idl/isthmus.json is not what scripts/build-idl.sh generates: run it and commit the result" >&2
    exit 1
  fi
  echo "idl/isthmus.json matches the program" >&2
else
  mkdir -p idl
  cp target/idl/isthmus.json idl/isthmus.json
  echo "idl/isthmus.json written" >&2
fi
