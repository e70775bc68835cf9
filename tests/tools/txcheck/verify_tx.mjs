// Independent check of signed transactions with bitcoinjs-lib (a mainstream Bitcoin library),
// so that UserWallet's signer, and the Bitcoin Core double that judges it, are not their own
// judges.
//   node verify_tx.mjs            one transaction on stdin: {"hex", "prevouts":[{"script","value"}]};
//                                 prints {"valid":true,"inputs":N,"txid":...} (exit 0) or
//                                 {"valid":false,"reason":...} (exit 1).
//   node verify_tx.mjs --lines    the double's batches: one JSON line per batch on stdin,
//                                 {"txs":[{"hex","prevouts","txid","vsize"}]}; one line per batch on
//                                 stdout, {"valid":true,"checked":N} or {"valid":false,"index":I,
//                                 "txid":...,"reason":...}. A batch also fails when bitcoinjs-lib
//                                 reads another txid or virtual size than the double did.
import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import * as readline from 'node:readline';

bitcoin.initEccLib(ecc);

/// The reason `input` is not a valid spend of its prevouts, or null.
function problem(input) {
  let tx;
  try {
    tx = bitcoin.Transaction.fromHex(input.hex);
  } catch (e) {
    return `not a transaction: ${e.message}`;
  }
  const scripts = input.prevouts.map((p) => Buffer.from(p.script, 'hex'));
  const values = input.prevouts.map((p) => BigInt(p.value));
  if (scripts.length !== tx.ins.length) return 'one prevout per input is needed';
  if (input.txid !== undefined && tx.getId() !== input.txid) return `txid ${tx.getId()}, the double read ${input.txid}`;
  if (input.vsize !== undefined && tx.virtualSize() !== input.vsize)
    return `virtual size ${tx.virtualSize()}, the double counted ${input.vsize}`;
  for (let i = 0; i < tx.ins.length; ++i) {
    const script = scripts[i];
    const witness = tx.ins[i].witness;
    if (script.length === 22 && script[0] === 0x00 && script[1] === 0x14) {
      if (witness.length !== 2) return `input ${i}: a P2WPKH witness has two items`;
      const pubkey = witness[1];
      let payment;
      try {
        payment = bitcoin.payments.p2wpkh({ pubkey });
      } catch (e) {
        return `input ${i}: ${e.message}`;
      }
      if (!payment.output.equals(script)) return `input ${i}: the key does not match the script`;
      const { signature, hashType } = bitcoin.script.signature.decode(witness[0]);
      const scriptCode = bitcoin.payments.p2pkh({ pubkey }).output;
      const hash = tx.hashForWitnessV0(i, scriptCode, Number(values[i]), hashType);
      if (!ecc.verify(hash, pubkey, signature)) return `input ${i}: ECDSA signature does not verify`;
    } else if (script.length === 34 && script[0] === 0x51 && script[1] === 0x20) {
      if (witness.length !== 1) return `input ${i}: a key-path P2TR witness has one item`;
      const sig = witness[0];
      const hashType = sig.length === 65 ? sig[64] : bitcoin.Transaction.SIGHASH_DEFAULT;
      const hash = tx.hashForWitnessV1(i, scripts, values.map(Number), hashType);
      if (!ecc.verifySchnorr(hash, script.subarray(2), sig.subarray(0, 64)))
        return `input ${i}: Schnorr signature does not verify`;
    } else {
      return `input ${i}: unsupported script ${script.toString('hex')}`;
    }
  }
  return null;
}

if (process.argv.includes('--lines')) {
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      const txs = JSON.parse(line).txs;
      answer = { valid: true, checked: txs.length };
      for (let i = 0; i < txs.length; ++i) {
        const why = problem(txs[i]);
        if (why !== null) {
          answer = { valid: false, index: i, txid: txs[i].txid, reason: why };
          break;
        }
      }
    } catch (e) {
      answer = { valid: false, reason: `unreadable batch: ${e.message}` };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
} else {
  const input = JSON.parse(await new Promise((resolve) => {
    let data = '';
    process.stdin.on('data', (c) => { data += c; });
    process.stdin.on('end', () => resolve(data));
  }));
  const why = problem(input);
  if (why !== null) {
    console.log(JSON.stringify({ valid: false, reason: why }));
    process.exit(1);
  }
  console.log(JSON.stringify({ valid: true, inputs: input.prevouts.length, txid: bitcoin.Transaction.fromHex(input.hex).getId() }));
}
