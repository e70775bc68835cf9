#!/usr/bin/env python3
"""An independent implementation of UserWallet's login proof, for interoperability tests.

Written from the specifications only (BIP340, RFC 8785 for the integer/string subset used by
login messages, docs/PROTOCOL.md), in plain Python with no dependency on the C++ code base:

  independent_proof.py make [--now T] > proof.json     build and sign a 1-member proof
  independent_proof.py verify < proof.json             verify a proof made by anyone (exit 0/1)
"""
import hashlib
import json
import os
import sys
import time
import uuid

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


def add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        lam = 3 * a[0] * a[0] * pow(2 * a[1], P - 2, P) % P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], P - 2, P) % P
    x = (lam * lam - a[0] - b[0]) % P
    return (x, (lam * (a[0] - x) - a[1]) % P)


def mul(point, k):
    result = None
    while k:
        if k & 1:
            result = add(result, point)
        point = add(point, point)
        k >>= 1
    return result


def tagged(tag, data):
    t = hashlib.sha256(tag.encode()).digest()
    return hashlib.sha256(t + t + data).digest()


def lift_x(x):
    if x >= P:
        return None
    y2 = (pow(x, 3, P) + 7) % P
    y = pow(y2, (P + 1) // 4, P)
    if y * y % P != y2:
        return None
    return (x, y if y % 2 == 0 else P - y)


def b32(n):
    return n.to_bytes(32, "big")


def sign(secret, msg, aux):
    d0 = int.from_bytes(secret, "big")
    pub = mul(G, d0)
    d = d0 if pub[1] % 2 == 0 else N - d0
    t = bytes(a ^ b for a, b in zip(b32(d), tagged("BIP0340/aux", aux)))
    k0 = int.from_bytes(tagged("BIP0340/nonce", t + b32(pub[0]) + msg), "big") % N
    r = mul(G, k0)
    k = k0 if r[1] % 2 == 0 else N - k0
    e = int.from_bytes(tagged("BIP0340/challenge", b32(r[0]) + b32(pub[0]) + msg), "big") % N
    return b32(r[0]) + b32((k + e * d) % N)


def verify(pubkey, msg, sig):
    pt = lift_x(int.from_bytes(pubkey, "big"))
    r = int.from_bytes(sig[:32], "big")
    s = int.from_bytes(sig[32:], "big")
    if pt is None or r >= P or s >= N:
        return False
    e = int.from_bytes(tagged("BIP0340/challenge", sig[:32] + pubkey + msg), "big") % N
    R = add(mul(G, s), mul(pt, N - e))
    return R is not None and R[1] % 2 == 0 and R[0] == r


def canonical(obj):
    # RFC 8785 for what login messages hold: ASCII member names, strings, integers, booleans.
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_digest(h, nonce):
    return hashlib.sha256((h + "-" + nonce).encode("utf-8")).digest()


def make(now):
    secret = os.urandom(32)
    pub = b32(mul(G, int.from_bytes(secret, "big") % N)[0])
    pair = str(uuid.uuid4())
    message = {
        "v": 1, "type": "login", "service": "python-service", "callback": "https://service.example/cb",
        "members": [{"id": "py-member", "cardinalite_minimale": 1, "depends_on": [],
                     "pairs": [{"pair": pair, "pubkey": pub.hex()}]}],
        "strict": True, "nonce": os.urandom(16).hex(), "created_at": now, "expires_at": now + 300,
    }
    h = hashlib.sha256(canonical(message)).hexdigest()
    sig = sign(secret, signed_digest(h, message["nonce"]), os.urandom(32))
    return {"v": 1, "message": message, "hash": h, "nonce": message["nonce"],
            "signatures": [{"member": "py-member", "pair": pair, "pubkey": pub.hex(), "sig": sig.hex()}]}


def check(proof):
    msg = proof["message"]
    if hashlib.sha256(canonical(msg)).hexdigest() != proof["hash"] or proof["nonce"] != msg["nonce"]:
        return "hash or nonce mismatch"
    counts = {}
    pairs = {(m["id"], p["pair"]): p["pubkey"] for m in msg["members"] for p in m["pairs"]}
    for s in proof["signatures"]:
        if pairs.get((s["member"], s["pair"])) != s["pubkey"]:
            return "unauthorized key"
        if not verify(bytes.fromhex(s["pubkey"]), signed_digest(proof["hash"], proof["nonce"]), bytes.fromhex(s["sig"])):
            return "bad signature"
        counts.setdefault(s["member"], set()).add(s["pair"])
    for m in msg["members"]:
        if len(counts.get(m["id"], ())) < m["cardinalite_minimale"]:
            return "not enough signatures for " + m["id"]
    return None


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "make":
        now = int(sys.argv[3]) if len(sys.argv) >= 4 and sys.argv[2] == "--now" else int(time.time())
        json.dump(make(now), sys.stdout)
        return 0
    if len(sys.argv) >= 2 and sys.argv[1] == "verify":
        reason = check(json.load(sys.stdin))
        print(json.dumps({"valid": reason is None, "reason": reason}))
        return 0 if reason is None else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
