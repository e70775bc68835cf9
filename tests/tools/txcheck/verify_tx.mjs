// Independent check of a signed transaction with bitcoinjs-lib (a mainstream Bitcoin library),
// so that UserWallet's signer is not its own judge. Reads {"hex", "prevouts":[{"script","value"}]}
// on stdin; prints {"valid":true,"inputs":N} (exit 0) or {"valid":false,"reason":...} (exit 1).
import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';

bitcoin.initEccLib(ecc);

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (c) => { data += c; });
  process.stdin.on('end', () => resolve(data));
}));

function fail(reason) {
  console.log(JSON.stringify({ valid: false, reason }));
  process.exit(1);
}

const tx = bitcoin.Transaction.fromHex(input.hex);
const scripts = input.prevouts.map((p) => Buffer.from(p.script, 'hex'));
const values = input.prevouts.map((p) => BigInt(p.value));
if (scripts.length !== tx.ins.length) fail('one prevout per input is needed');

tx.ins.forEach((txin, i) => {
  const script = scripts[i];
  const witness = txin.witness;
  if (script.length === 22 && script[0] === 0x00 && script[1] === 0x14) {
    if (witness.length !== 2) fail(`input ${i}: a P2WPKH witness has two items`);
    const pubkey = witness[1];
    const payment = bitcoin.payments.p2wpkh({ pubkey });
    if (!payment.output.equals(script)) fail(`input ${i}: the key does not match the script`);
    const { signature, hashType } = bitcoin.script.signature.decode(witness[0]);
    const scriptCode = bitcoin.payments.p2pkh({ pubkey }).output;
    const hash = tx.hashForWitnessV0(i, scriptCode, Number(values[i]), hashType);
    if (!ecc.verify(hash, pubkey, signature)) fail(`input ${i}: ECDSA signature does not verify`);
  } else if (script.length === 34 && script[0] === 0x51 && script[1] === 0x20) {
    if (witness.length !== 1) fail(`input ${i}: a key-path P2TR witness has one item`);
    const sig = witness[0];
    const hashType = sig.length === 65 ? sig[64] : bitcoin.Transaction.SIGHASH_DEFAULT;
    const hash = tx.hashForWitnessV1(i, scripts, values.map(Number), hashType);
    if (!ecc.verifySchnorr(hash, script.subarray(2), sig.subarray(0, 64))) fail(`input ${i}: Schnorr signature does not verify`);
  } else {
    fail(`input ${i}: unsupported script ${script.toString('hex')}`);
  }
});
console.log(JSON.stringify({ valid: true, inputs: tx.ins.length, txid: tx.getId() }));
