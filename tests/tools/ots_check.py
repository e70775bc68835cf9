#!/usr/bin/python3
"""Reads OpenTimestamps proofs with the upstream library (Debian's python3-opentimestamps), so
that the tests judge the wallet's .ots files and round trees by code that is not the wallet's.

  ots_check.py FILE.ots [FILE.ots ...]
      One JSON line per file: the file digest, the attestations, and the commitment: the message
      reached by replaying every operation from the file digest, i.e. what the attestation is
      about (for a block-header attestation, the block's Merkle root in header byte order).
      {"file", "ok": true, "hash_op", "digest", "ops", "attestations": [...], "commitment"}
      or {"file", "ok": false, "error"}; exit status 1 when any file fails. An attestation is
      {"kind": "BitcoinBlockHeaderAttestation", "height"} or {"kind": "UnknownAttestation", "tag",
      "payload", and "payload_varuint" when the library reads the payload as one varuint}.

  ots_check.py --merkle < {"trees": [["hex leaf", ...], ...]}
      For each list of 32-byte leaves, OpenTimestamps' own make_merkle_tree (SHA-256 of the
      concatenation, the odd last node carried up): the root, and for each leaf its timestamp
      serialized with a BitcoinBlockHeaderAttestation(0) on the root, i.e. the operations of its
      path as a .ots file holds them.
"""
import json
import sys

from opentimestamps.core.notary import BitcoinBlockHeaderAttestation, UnknownAttestation
from opentimestamps.core.serialize import (BytesDeserializationContext, BytesSerializationContext,
                                           DeserializationError)
from opentimestamps.core.timestamp import DetachedTimestampFile, Timestamp, cat_sha256, make_merkle_tree


def describe(attestation):
    if isinstance(attestation, BitcoinBlockHeaderAttestation):
        return {"kind": "BitcoinBlockHeaderAttestation", "height": attestation.height}
    if isinstance(attestation, UnknownAttestation):
        out = {"kind": "UnknownAttestation", "tag": attestation.TAG.hex(), "payload": attestation.payload.hex()}
        try:  # a payload that is one varuint, as in a block-header attestation, read by the library
            ctx = BytesDeserializationContext(attestation.payload)
            value = ctx.read_varuint()
            ctx.assert_eof()
            out["payload_varuint"] = value
        except DeserializationError:
            pass
        return out
    return {"kind": type(attestation).__name__, "repr": repr(attestation)}


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    dtf = DetachedTimestampFile.deserialize(BytesDeserializationContext(data))
    stamp = dtf.timestamp
    msg = dtf.file_digest
    ops = 0
    attestations = []
    commitment = None
    while True:
        for attestation in sorted(stamp.attestations):
            attestations.append(describe(attestation))
            commitment = msg
        if not stamp.ops:
            break
        if len(stamp.ops) > 1:
            raise ValueError("the timestamp branches after %d operations" % ops)
        op, child = next(iter(stamp.ops.items()))
        msg = op(msg)  # replayed here, then compared with what deserialize computed
        if msg != child.msg:
            raise ValueError("operation %d gives %s, the timestamp says %s" % (ops, msg.hex(), child.msg.hex()))
        stamp = child
        ops += 1
    # The library's own walk agrees.
    for found_msg, attestation in dtf.timestamp.all_attestations():
        if found_msg != commitment:
            raise ValueError("all_attestations() gives another message")
    return {
        "file": path,
        "ok": True,
        "hash_op": str(dtf.file_hash_op),
        "digest": dtf.file_digest.hex(),
        "ops": ops,
        "attestations": attestations,
        "commitment": commitment.hex() if commitment is not None else None,
    }


def merkle(request):
    out = []
    for leaves in request["trees"]:
        stamps = [Timestamp(bytes.fromhex(leaf)) for leaf in leaves]
        tip = make_merkle_tree(stamps, binop=cat_sha256)
        tip.attestations.add(BitcoinBlockHeaderAttestation(0))
        serialized = []
        for stamp in stamps:
            ctx = BytesSerializationContext()
            stamp.serialize(ctx)
            serialized.append(ctx.getbytes().hex())
        out.append({"root": tip.msg.hex(), "leaves": serialized})
    return {"trees": out}


def main(argv):
    if len(argv) == 2 and argv[1] == "--merkle":
        print(json.dumps(merkle(json.load(sys.stdin))))
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        try:
            result = check(path)
        except Exception as e:  # every refusal is reported, with the library's exception class
            result = {"file": path, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            status = 1
        print(json.dumps(result))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
