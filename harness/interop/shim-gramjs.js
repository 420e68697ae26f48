#!/usr/bin/env node
'use strict';
// Shim for gramjs (npm package `telegram`): exposes the library's own primitives over the shim
// protocol (docs/shim.md). Every op calls gramjs code; where gramjs draws random bytes (the
// obfuscated2 init) the shim swaps its module's generateRandomBytes for the vector's bytes at
// run time. gramjs has no RSA_PAD (it still sends the old SHA1 ‖ data ‖ padding RSA form), no
// PEM parser, no TL JSON form and no separate msg_key function: those ops answer `unimplemented`.
const c = require('./shim-common');

const R = c.libRequire;
const bigInt = R('big-integer');
const Helpers = R('telegram/Helpers');
const { IGE } = R('telegram/crypto/IGE');
const CTRmod = R('telegram/crypto/CTR');
const { AuthKey } = R('telegram/crypto/AuthKey');
const { MTProtoState } = R('telegram/network/MTProtoState');
const { BinaryReader } = R('telegram/extensions');
const { AbridgedPacketCodec } = R('telegram/network/connection/TCPAbridged');
const { FullPacketCodec } = R('telegram/network/connection/TCPFull');
const obfMod = R('telegram/network/connection/TCPObfuscated');

const PQ_TIME_MS = 3000;
const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

// gramjs keeps 8/16/32-byte values as little-endian big-integers; these convert wire bytes.
const leSigned = (b) => Helpers.readBigIntFromBuffer(b, true, true);
const leBytes = (v, n) => Helpers.toSignedLittleBuffer(v, n);

function ige(req, decrypt) {
  c.onlyFields(req, ['key', 'iv', 'data']);
  const key = c.hexField(req, 'key');
  const iv = c.hexField(req, 'iv');
  const data = c.hexField(req, 'data');
  c.requireBlocks(key, 32, iv, 32, null); // data size left to gramjs (encryptIge pads silently)
  const cipher = new IGE(key, iv);
  return { out: c.hex(decrypt ? cipher.decryptIge(data) : cipher.encryptIge(data)) };
}

async function kdfV2(req) {
  c.onlyFields(req, ['auth_key', 'msg_key', 'x']);
  const authKey = c.hexField(req, 'auth_key');
  const msgKey = c.hexField(req, 'msg_key');
  const x = c.numField(req, 'x');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (msgKey.length !== 16 || (x !== 0 && x !== 8)) throw new c.ShimError('bad_argument', 'msg_key 16 bytes, x 0 or 8');
  const { key, iv } = await MTProtoState.prototype._calcKey(authKey, msgKey, x === 0);
  return { aes_key: c.hex(key), aes_iv: c.hex(iv) };
}

// decryptMessageData reads the body as a TL object; the vectors' bodies are random bytes, so
// for the length of one call the reader returns the msg_len bytes instead of parsing them. All
// checks gramjs makes before that point (auth_key_id, msg_key) are its own.
async function decryptV2(req) {
  c.onlyFields(req, ['auth_key', 'x', 'session_id', 'packet']);
  const authKey = c.hexField(req, 'auth_key');
  const x = c.numField(req, 'x');
  const sessionId = c.hexField(req, 'session_id');
  const packet = c.hexField(req, 'packet');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (x !== 8) c.unimplemented('gramjs only decrypts server-to-client messages (x = 8)');
  const key = new AuthKey();
  await key.setKey(authKey);
  const state = new MTProtoState(key, silentLog, true);
  state.id = leSigned(sessionId);
  const saved = BinaryReader.prototype.tgReadObject;
  BinaryReader.prototype.tgReadObject = function rawBody() {
    const len = this.stream.readInt32LE(this.offset - 4);
    return this.read(Math.max(0, Math.min(len, this.stream.length - this.offset)));
  };
  let msg;
  try {
    msg = await state.decryptMessageData(packet);
  } catch (e) {
    const m = String(e.message || e);
    if (/invalid auth key/.test(m)) throw new c.ShimError('MSG_AUTH_KEY_ID_UNKNOWN', m);
    if (/msg_key/.test(m)) throw new c.ShimError('MSG_KEY_MISMATCH', m);
    throw e;
  } finally {
    BinaryReader.prototype.tgReadObject = saved;
  }
  // salt and session id as gramjs saw them: decrypt again with its own KDF to read the header.
  const { key: k, iv } = await MTProtoState.prototype._calcKey(authKey, packet.subarray(8, 24), false);
  const inner = new IGE(k, iv).decryptIge(packet.subarray(24));
  return {
    salt: c.hex(inner.subarray(0, 8)),
    session_id: c.hex(inner.subarray(8, 16)),
    msg_id: bigInt(msg.msgId).toString(),
    seqno: msg.seqNo,
    body: c.hex(msg.obj),
  };
}

async function factorPq(req) {
  c.onlyFields(req, ['pq']);
  const pq = c.hexField(req, 'pq');
  const n = bigInt(c.bigHex(pq) || '0', 16);
  if (n.bitLength().toJSNumber() > 64) throw new c.ShimError('limit_exceeded', 'over 64 bits');
  if (n.lesser(2)) throw new c.ShimError('bad_argument', 'pq below 2');
  // In a worker: Factorizator.factorize never returns for a prime pq.
  const r = await c.inWorker(
    (hexpq, req) => {
      const bigInt = req('big-integer');
      const { Factorizator } = req('telegram/crypto/Factorizator');
      const { p, q } = Factorizator.factorize(bigInt(hexpq, 16));
      return { p: p.toString(16), q: q.toString(16) };
    },
    n.toString(16),
    PQ_TIME_MS
  );
  return { p: c.bigToHex(BigInt('0x' + r.p)), q: c.bigToHex(BigInt('0x' + r.q)) };
}

async function authKeyIds(req) {
  c.onlyFields(req, ['auth_key']);
  const authKey = c.hexField(req, 'auth_key');
  if (authKey.length !== 256) throw new c.ShimError('bad_data_size', 'auth_key must be 256 bytes');
  const key = new AuthKey();
  await key.setKey(authKey);
  return { auth_key_id: c.hex(leBytes(key.keyId, 8)), aux_hash: c.hex(leBytes(key.auxHash, 8)) };
}

async function newNonceHash(req) {
  c.onlyFields(req, ['new_nonce', 'auth_key', 'number']);
  const newNonce = c.hexField(req, 'new_nonce');
  const authKey = c.hexField(req, 'auth_key');
  const number = c.numField(req, 'number');
  if (newNonce.length !== 32 || authKey.length !== 256) throw new c.ShimError('bad_data_size', 'new_nonce 32, auth_key 256 bytes');
  if (number < 1 || number > 3) throw new c.ShimError('limit_exceeded', 'number is 1, 2 or 3');
  const key = new AuthKey();
  await key.setKey(authKey);
  return { out: c.hex(leBytes(await key.calcNewNonceHash(leSigned(newNonce), number), 16)) };
}

async function tmpAesKdf(req) {
  c.onlyFields(req, ['new_nonce', 'server_nonce']);
  const newNonce = c.hexField(req, 'new_nonce');
  const serverNonce = c.hexField(req, 'server_nonce');
  if (newNonce.length !== 32 || serverNonce.length !== 16) throw new c.ShimError('bad_data_size', 'new_nonce 32, server_nonce 16 bytes');
  const { key, iv } = await Helpers.generateKeyDataFromNonce(leSigned(serverNonce), leSigned(newNonce));
  return { key: c.hex(key), iv: c.hex(iv) };
}

// frame: gramjs speaks abridged and full as a client (c2s); its intermediate codec is MTProxy-only.
async function frame(req) {
  c.onlyFields(req, ['transport', 'data', 'direction', 'quick_ack', 'padding', 'seq']);
  const transport = c.strField(req, 'transport');
  const data = c.hexField(req, 'data');
  if (c.strField(req, 'direction', true, 'c2s') !== 'c2s' || c.numField(req, 'quick_ack', true, 0)) c.unimplemented('gramjs frames client packets without quick ack');
  if (transport === 'abridged') return { out: c.hex(new AbridgedPacketCodec({}).encodePacket(data)) };
  if (transport === 'full') {
    const codec = new FullPacketCodec({});
    codec._sendCounter = c.numField(req, 'seq', true, 0);
    return { out: c.hex(codec.encodePacket(data)) };
  }
  return c.unimplemented(`gramjs has no ${transport} client codec`);
}

// obfuscated2_keys: the vector's init is handed to gramjs's ObfuscatedIO as its "random" header,
// and the keys are read from the CTR objects it builds.
async function obfuscated2Keys(req) {
  c.onlyFields(req, ['init', 'secret']);
  const init = c.hexField(req, 'init');
  if (c.hexField(req, 'secret', true)) c.unimplemented('gramjs applies the MTProxy secret in TCPMTProxy only');
  if (init.length !== 64) throw new c.ShimError('bad_argument', 'init must be 64 bytes');
  const made = [];
  const Real = CTRmod.CTR;
  class Recording extends Real {
    constructor(key, iv) {
      super(key, iv);
      made.push({ key, iv });
    }
  }
  const ObfuscatedIO = new obfMod.ConnectionTCPObfuscated({ ip: '0.0.0.0', port: 0, dcId: 0, loggers: silentLog, socket: function NoSocket() {} }).ObfuscatedIO;
  await c.withPatched(CTRmod, 'CTR', Recording, () =>
    c.withPatched(Helpers, 'generateRandomBytes', c.fixedBytes(init), async () => {
      const obj = new ObfuscatedIO({ socket: null, PacketCodecClass: AbridgedPacketCodec });
      await obj.initHeader();
    })
  );
  return { enc_key: c.hex(made[0].key), enc_iv: c.hex(made[0].iv), dec_key: c.hex(made[1].key), dec_iv: c.hex(made[1].iv) };
}

const ops = {
  sha1: async (req) => (c.onlyFields(req, ['data']), { out: c.hex(await Helpers.sha1(c.hexField(req, 'data'))) }),
  sha256: async (req) => (c.onlyFields(req, ['data']), { out: c.hex(await Helpers.sha256(c.hexField(req, 'data'))) }),
  crc32: async (req) => (c.onlyFields(req, ['data']), { value: Helpers.crc32(c.hexField(req, 'data')) >>> 0 }),
  aes256_ige_encrypt: async (req) => ige(req, false),
  aes256_ige_decrypt: async (req) => ige(req, true),
  aes256_ctr: async (req) => {
    c.onlyFields(req, ['key', 'iv', 'data']);
    const key = c.hexField(req, 'key');
    const iv = c.hexField(req, 'iv');
    c.requireBlocks(key, 32, iv, 16, null);
    return { out: c.hex(new CTRmod.CTR(key, iv).encrypt(c.hexField(req, 'data'))) };
  },
  kdf_v2: kdfV2,
  decrypt_v2: decryptV2,
  factor_pq: factorPq,
  auth_key_ids: authKeyIds,
  new_nonce_hash: newNonceHash,
  tmp_aes_kdf: tmpAesKdf,
  frame,
  obfuscated2_keys: obfuscated2Keys,
};

module.exports = { ops, versions: () => ({ telegram: c.libVersion('telegram') }) };
if (require.main === module) c.run(ops);
