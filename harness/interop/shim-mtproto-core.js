#!/usr/bin/env node
'use strict';
// Shim for @mtproto/core: its node hash functions, its own AES-IGE (on aes-js), aes-js CTR,
// the message KDF and decryption of its RPC class, its leemon pq factoring, its DH parameter
// check, its obfuscated2 key setup and intermediate framing (docs/shim.md). Methods of the RPC
// class are called on a small stand-in object holding what they read (`crypto`, the stored auth
// key); random bytes are injected through the `crypto.getRandomBytes` the library is given.
// No RSA_PAD (it sends the old SHA1 ‖ data ‖ padding RSA form), no PEM parser, no TL JSON.
const c = require('./shim-common');

const R = c.libRequire;
const bigInt = R('big-integer');
const SHA1 = R('@mtproto/core/envs/node/sha1');
const SHA256 = R('@mtproto/core/envs/node/sha256');
const AES = R('@mtproto/core/src/crypto/aes');
const RPC = R('@mtproto/core/src/rpc');
const Deserializer = R('@mtproto/core/src/tl/deserializer');
const Obfuscated = R('@mtproto/core/src/transport/obfuscated');

function ige(req, decrypt) {
  c.onlyFields(req, ['key', 'iv', 'data']);
  const key = c.hexField(req, 'key');
  const iv = c.hexField(req, 'iv');
  const data = c.hexField(req, 'data');
  c.requireBlocks(key, 32, iv, 32, null);
  const cipher = new AES.IGE(key, iv);
  try {
    return { out: c.hex(decrypt ? cipher.decrypt(data) : cipher.encrypt(data)) };
  } catch (e) {
    if (/multiple of 16/.test(e.message)) throw new c.ShimError('bad_data_size', '@mtproto/core: ' + e.message);
    throw e;
  }
}

// What RPC methods read from `this`.
function rpcThis(authKey, onMessage) {
  return {
    crypto: { SHA256 },
    getStorageItem: async () => Array.from(authKey),
    getAESInstance: RPC.prototype.getAESInstance,
    handleDecryptedMessage: onMessage,
  };
}

async function kdfV2(req) {
  c.onlyFields(req, ['auth_key', 'msg_key', 'x']);
  const authKey = c.hexField(req, 'auth_key');
  const msgKey = c.hexField(req, 'msg_key');
  const x = c.numField(req, 'x');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (msgKey.length !== 16 || (x !== 0 && x !== 8)) throw new c.ShimError('bad_argument', 'msg_key 16 bytes, x 0 or 8');
  const ige = await RPC.prototype.getAESInstance.call(rpcThis(authKey), authKey, msgKey, x === 8);
  // AES.IGE keeps the key inside aes-js's AES object and the IV as given.
  return { aes_key: c.hex(ige._aes.key), aes_iv: c.hex(ige._iv) };
}

const DECRYPT_WARNINGS = [
  [/Incorrect msg_key/, 'MSG_KEY_MISMATCH'],
  [/exceed the plaintext length/, 'MSG_LENGTH_TOO_BIG'],
  [/not a multiple of four/, 'MSG_LENGTH_NOT_ALIGNED'],
];

// decrypt_v2 through RPC.handleEncryptedMessage; it drops bad messages with console.warn, and
// reads the body with its TL deserializer, which for one call returns the msg_len raw bytes.
async function decryptV2(req) {
  c.onlyFields(req, ['auth_key', 'x', 'session_id', 'packet']);
  const authKey = c.hexField(req, 'auth_key');
  const x = c.numField(req, 'x');
  c.hexField(req, 'session_id'); // @mtproto/core does not compare it
  const packet = c.hexField(req, 'packet');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (x !== 8) c.unimplemented('@mtproto/core only decrypts server-to-client messages (x = 8)');
  let got = null;
  let warning = null;
  const savedWarn = console.warn;
  const savedPredicate = Deserializer.prototype.predicate;
  console.warn = (...a) => (warning = a.join(' '));
  Deserializer.prototype.predicate = function rawBody() {
    const len = this.dataView.getUint32(this.offset - 4, true);
    const n = Math.max(0, Math.min(len, this.byteView.length - this.offset));
    return this.byteView.slice(this.offset, this.offset + n);
  };
  let plain;
  try {
    const self = rpcThis(authKey, (body, params) => (got = { body, params }));
    await RPC.prototype.handleEncryptedMessage.call(self, new Uint8Array(packet).buffer);
    const aes = await RPC.prototype.getAESInstance.call(self, authKey, packet.subarray(8, 24), true);
    plain = Buffer.from(aes.decrypt(packet.subarray(24, 24 + ((packet.length - 24) & ~15))));
  } catch (e) {
    if (/multiple of 16/.test(e.message)) throw new c.ShimError('MSG_NOT_BLOCK_ALIGNED', '@mtproto/core: ' + e.message);
    throw e;
  } finally {
    console.warn = savedWarn;
    Deserializer.prototype.predicate = savedPredicate;
  }
  if (!got) {
    for (const [re, rule] of DECRYPT_WARNINGS) if (warning && re.test(warning)) throw new c.ShimError(rule, '@mtproto/core: ' + warning);
    throw new c.ShimError('library_error', '@mtproto/core dropped the message: ' + warning);
  }
  return {
    salt: c.hex(plain.subarray(0, 8)),
    session_id: c.hex(plain.subarray(8, 16)),
    msg_id: bigInt(got.params.messageId.toString()).toString(),
    seqno: got.params.seqNo,
    body: c.hex(got.body),
  };
}

const DH_MESSAGES = [
  [/g must be equal to 3/, 'DH_G_UNSUPPORTED'],
  [/dh_prime incorrect/, 'dh_prime_not_pinned'],
  [/g_a <= 1|g_a >= dh_prime - 1$/, 'DH_GA_RANGE'],
  [/2\^\{2048-64\}/, 'DH_GA_BOUNDS'],
];

function dhCheck(req) {
  c.onlyFields(req, ['p', 'g', 'g_a']);
  const p = bigInt(c.bigHex(c.hexField(req, 'p')) || '0', 16);
  const g = bigInt(c.numField(req, 'g'));
  const ga = bigInt(c.bigHex(c.hexField(req, 'g_a')) || '0', 16);
  try {
    RPC.prototype.verifyDhParams.call({}, g, p, ga);
  } catch (e) {
    for (const [re, rule] of DH_MESSAGES) if (re.test(e.message)) throw new c.ShimError(rule, '@mtproto/core: ' + e.message);
    throw e;
  }
  return {};
}

async function obfuscated2Keys(req) {
  c.onlyFields(req, ['init', 'secret']);
  const init = c.hexField(req, 'init');
  if (c.hexField(req, 'secret', true)) c.unimplemented('@mtproto/core has no MTProxy secret');
  if (init.length !== 64) throw new c.ShimError('bad_argument', 'init must be 64 bytes');
  const obf = new Obfuscated();
  const take = c.fixedBytes(init);
  obf.crypto = { getRandomBytes: (n) => new Uint8Array(take(n)) };
  await obf.generateObfuscationKeys();
  // The encryptor has already processed the 64-byte init (4 blocks); the decryptor nothing.
  return {
    enc_key: c.hex(obf.encryptAES._aes.key),
    enc_iv: ivOfStart(obf.encryptAES, 64),
    dec_key: c.hex(obf.decryptAES._aes.key),
    dec_iv: ivOfStart(obf.decryptAES, 0),
  };
}

// The IV an aes-js CTR started from, given how many bytes it has processed (whole blocks).
function ivOfStart(ctr, processed) {
  let v = BigInt('0x' + Buffer.from(ctr._counter._counter).toString('hex'));
  v = (v - BigInt(processed / 16) + (1n << 128n)) % (1n << 128n);
  return v.toString(16).padStart(32, '0');
}

function frame(req) {
  c.onlyFields(req, ['transport', 'data', 'direction', 'quick_ack', 'padding', 'seq']);
  const transport = c.strField(req, 'transport');
  const data = c.hexField(req, 'data');
  if (c.strField(req, 'direction', true, 'c2s') !== 'c2s' || c.numField(req, 'quick_ack', true, 0)) c.unimplemented('@mtproto/core frames client packets without quick ack');
  if (transport !== 'intermediate') c.unimplemented(`@mtproto/core speaks intermediate only, not ${transport}`);
  return { out: c.hex(Obfuscated.prototype.getIntermediateBytes(new Uint8Array(data))) };
}

const ops = {
  sha1: async (req) => (c.onlyFields(req, ['data']), { out: c.hex(await SHA1(c.hexField(req, 'data'))) }),
  sha256: async (req) => (c.onlyFields(req, ['data']), { out: c.hex(await SHA256(c.hexField(req, 'data'))) }),
  aes256_ige_encrypt: async (req) => ige(req, false),
  aes256_ige_decrypt: async (req) => ige(req, true),
  aes256_ctr: async (req) => {
    c.onlyFields(req, ['key', 'iv', 'data']);
    const key = c.hexField(req, 'key');
    const iv = c.hexField(req, 'iv');
    c.requireBlocks(key, 32, iv, 16, null);
    return { out: c.hex(new AES.CTR(key, new AES.Counter(iv)).encrypt(c.hexField(req, 'data'))) };
  },
  kdf_v2: kdfV2,
  decrypt_v2: decryptV2,
  dh_check: async (req) => dhCheck(req),
  factor_pq: async (req) => {
    c.onlyFields(req, ['pq']);
    const pq = c.hexField(req, 'pq');
    if (c.bufToBig(pq) >= 1n << 64n) throw new c.ShimError('limit_exceeded', 'over 64 bits');
    const r = await c.inWorker(
      (h, req2) => {
        const f = req2('@mtproto/core/src/crypto/pq');
        const out = f(Uint8Array.from(Buffer.from(h, 'hex')));
        if (!out) throw new Error('leemon factorization failed');
        return [Buffer.from(out[0]).toString('hex'), Buffer.from(out[1]).toString('hex')];
      },
      c.hex(pq),
      3000
    );
    return { p: c.bigHex(Buffer.from(r[0], 'hex')), q: c.bigHex(Buffer.from(r[1], 'hex')) };
  },
  obfuscated2_keys: obfuscated2Keys,
  frame: async (req) => frame(req),
};

module.exports = { ops };
if (require.main === module) c.run(ops);
