#!/usr/bin/env node
'use strict';
// Shim for mtcute (@mtcute/core + @mtcute/node): the library's crypto provider (NodeCryptoProvider,
// AES-IGE in its WebAssembly module), its KDFs, pq factoring, public-key parsing, RSA_PAD, DH prime
// checks, message decryption/encryption and transport codecs, over the shim protocol (docs/shim.md).
// mtcute reads all randomness through its crypto provider, so fixed bytes (RSA_PAD's temp_key and
// padding, an obfuscated2 init, a message's padding) are injected by wrapping the provider. rsaPad
// and checkDhPrime are module-private: they are read from the installed file and evaluated with
// one added export line, at run time; the file itself is not changed.
globalThis._MTCUTE_CJS_DEPRECATION_WARNED = true; // the CJS bundles otherwise warn on stderr
const fs = require('fs');
const Module = require('module');
const c = require('./shim-common');

const R = c.libRequire;
const utils = R('@mtcute/core/utils.js');
const core = R('@mtcute/core');
const { NodeCryptoProvider } = R('@mtcute/node/utils.js');
const Long = R('long');
const io = R('@fuman/io');
const coreDir = require('path').dirname(R.resolve('@mtcute/core'));
const { AuthKey } = require(coreDir + '/network/auth-key.cjs');

// Loads a module-private function by evaluating the installed file with one export appended.
function privateExports(rel, names) {
  const file = coreDir + '/' + rel;
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(require('path').dirname(file));
  m._compile(fs.readFileSync(file, 'utf8') + `\nmodule.exports.__shim = { ${names.join(', ')} };`, file);
  return m.exports.__shim;
}
const { rsaPad, checkDhPrime } = privateExports('network/authorization.cjs', ['rsaPad', 'checkDhPrime']);

const base = new NodeCryptoProvider();
const silentLog = { debug() {}, verbose() {}, info() {}, warn() {}, error() {} };

// The provider with overrides: `take` serves randomness from fixed bytes, `seen` records the key
// and IV of every AES-IGE/CTR object the library creates (mtcute's KDFs return only the cipher).
function provider(take, seen) {
  const p = Object.create(base);
  if (take) p.randomFill = (buf) => buf.set(take(buf.length));
  if (seen) {
    p.createAesIge = (key, iv) => (seen.push({ key, iv }), base.createAesIge(key, iv));
    p.createAesCtr = (key, iv, enc) => (seen.push({ key, iv }), base.createAesCtr(key, iv, enc));
  }
  return p;
}

function ige(req, decrypt) {
  c.onlyFields(req, ['key', 'iv', 'data']);
  const key = c.hexField(req, 'key');
  const iv = c.hexField(req, 'iv');
  const data = c.hexField(req, 'data');
  c.requireBlocks(key, 32, iv, 32, null); // data size: left to mtcute's wasm
  const cipher = base.createAesIge(key, iv);
  return { out: c.hex(decrypt ? cipher.decrypt(data) : cipher.encrypt(data)) };
}

function kdf(req, old) {
  c.onlyFields(req, ['auth_key', 'msg_key', 'x']);
  const authKey = c.hexField(req, 'auth_key');
  const msgKey = c.hexField(req, 'msg_key');
  const x = c.numField(req, 'x');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (msgKey.length !== 16 || (x !== 0 && x !== 8)) throw new c.ShimError('bad_argument', 'msg_key 16 bytes, x 0 or 8');
  const seen = [];
  const make = old ? utils.createAesIgeForMessageOld : utils.createAesIgeForMessage;
  make(provider(null, seen), authKey, msgKey, x === 0);
  return { aes_key: c.hex(seen[0].key), aes_iv: c.hex(seen[0].iv) };
}

function authKeyOf(bytes, take) {
  const k = new AuthKey(provider(take, null), silentLog, utils.__tlReaderMap);
  k.setup(bytes);
  return k;
}

const longOf = (b) => new Long(b.readInt32LE(0), b.readInt32LE(4));

// decrypt_v2 as mtcute's session does it: match() the auth_key_id, then AuthKey.decryptMessage,
// which drops a bad message with a log warning; the warning's text is mapped to the rule.
const DECRYPT_WARNINGS = [
  [/invalid messageKey/, 'MSG_KEY_MISMATCH'],
  [/invalid sessionId/, 'MSG_SESSION_MISMATCH'],
  [/not a multiple of 4/, 'MSG_LENGTH_NOT_ALIGNED'],
  [/invalid length/, 'MSG_LENGTH_TOO_BIG'],
  [/padding size: (\d+)/, (m) => (Number(m[1]) < 12 ? 'MSG_PADDING_TOO_SHORT' : 'MSG_PADDING_TOO_LONG')],
];

function decryptV2(req) {
  c.onlyFields(req, ['auth_key', 'x', 'session_id', 'packet']);
  const authKey = c.hexField(req, 'auth_key');
  const x = c.numField(req, 'x');
  const sessionId = c.hexField(req, 'session_id');
  const packet = c.hexField(req, 'packet');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (x !== 8) c.unimplemented('mtcute only decrypts server-to-client messages (x = 8)');
  const key = authKeyOf(authKey, null);
  if (!key.match(packet.subarray(0, 8))) throw new c.ShimError('MSG_AUTH_KEY_ID_UNKNOWN', 'mtcute: no key with this id');
  let warning = null;
  key.log = Object.assign({}, silentLog, { warn: (fmt, ...a) => (warning = require('util').format(fmt.replace(/%h/g, '%s'), ...a)) });
  let got = null;
  key.decryptMessage(packet, longOf(sessionId), (msgId, seqNo) => {
    got = { msgId, seqNo };
  });
  if (!got) {
    for (const [re, rule] of DECRYPT_WARNINGS) {
      const m = warning && warning.match(re);
      if (m) throw new c.ShimError(typeof rule === 'function' ? rule(m) : rule, 'mtcute: ' + warning);
    }
    throw new c.ShimError('library_error', 'mtcute dropped the message: ' + warning);
  }
  const plain = Buffer.from(utils.createAesIgeForMessage(base, authKey, packet.subarray(8, 24), false).decrypt(packet.subarray(24, 24 + ((packet.length - 24) & ~15))));
  // mtcute hands the callback a reader at the body; its msg_len is the 4 bytes before it.
  const body = plain.subarray(32, 32 + plain.readUInt32LE(28));
  return { salt: c.hex(plain.subarray(0, 8)), session_id: c.hex(plain.subarray(8, 16)), msg_id: got.msgId.toString(), seqno: got.seqNo, body: c.hex(body) };
}

// encrypt_v2_raw: mtcute's encryptMessage(message, salt, session) adds the 16-byte header and
// 12..27 bytes of padding; splitting the given plaintext so that its padding is exactly 12 bytes
// and serving those 12 bytes as the "random" padding reproduces the request exactly.
function encryptV2Raw(req) {
  c.onlyFields(req, ['auth_key', 'x', 'plaintext']);
  const authKey = c.hexField(req, 'auth_key');
  const x = c.numField(req, 'x');
  const pt = c.hexField(req, 'plaintext');
  if (authKey.length !== 256) throw new c.ShimError('bad_key_size', 'auth_key must be 256 bytes');
  if (x !== 0) c.unimplemented('mtcute only encrypts client-to-server messages (x = 0)');
  if (pt.length % 16 !== 0) throw new c.ShimError('bad_data_size', 'plaintext is not a multiple of 16 bytes');
  if (pt.length < 32) c.unimplemented('mtcute always adds at least 12 bytes of padding to a 16-byte header');
  const key = authKeyOf(authKey, c.fixedBytes(pt.subarray(pt.length - 12)));
  const out = key.encryptMessage(pt.subarray(16, pt.length - 12), longOf(pt.subarray(0, 8)), longOf(pt.subarray(8, 16)));
  return { out: c.hex(out) };
}

function pemField(req, name) {
  return c.hexField(req, name).toString('latin1');
}

function rsaFingerprint(req) {
  c.onlyFields(req, ['public_key_pem']);
  const parsed = utils.parsePublicKey(base, pemField(req, 'public_key_pem'));
  return { fingerprint: c.hex(Buffer.from(parsed.fingerprint, 'hex').reverse()) };
}

// rsa_pad_encrypt through mtcute's rsaPad: padding is drawn first (randomFill of the tail of the
// 192 bytes), then temp_key (randomBytes(32)). A value >= n makes rsaPad draw a new temp_key; with
// fixed bytes there is none, which is the retry the vector's RSAPAD_NOT_BELOW_MODULUS stands for.
function rsaPadEncrypt(req) {
  c.onlyFields(req, ['n', 'e', 'data', 'temp_key', 'padding']);
  const n = c.hexField(req, 'n');
  const e = c.hexField(req, 'e');
  const data = c.hexField(req, 'data');
  const tempKey = c.hexField(req, 'temp_key', true);
  const padding = c.hexField(req, 'padding', true);
  const key = { modulus: c.bigHex(n), exponent: c.bigHex(e) };
  if (data.length > 144) throw new c.ShimError('RSAPAD_DATA_TOO_LONG', 'data over 144 bytes');
  if (!tempKey) return { out: c.hex(rsaPad(data, base, key)) };
  const take = c.fixedBytes(Buffer.concat([padding, tempKey]));
  try {
    return { out: c.hex(rsaPad(data, provider(take, null), key)) };
  } catch (err) {
    if (err.errorName === 'bad_argument') throw new c.ShimError('RSAPAD_NOT_BELOW_MODULUS', 'mtcute retried with a new temp_key');
    throw err;
  }
}

// dh_check: mtcute's checkDhPrime covers p and g; its g_a checks are inline in doAuthorization,
// so a (p, g) that passes is answered `unimplemented` (the g_a part cannot be asked alone).
const DH_MESSAGES = [
  [/2048-bit range/, 'DH_PRIME_SIZE'],
  [/not a safe prime/, 'DH_PRIME_NOT_SAFE'],
  [/is not prime/, 'DH_PRIME_NOT_PRIME'],
  [/unknown g/, 'DH_G_UNSUPPORTED'],
  [/ivalid g/, 'DH_G_NOT_RESIDUE'],
];

function dhCheck(req) {
  c.onlyFields(req, ['p', 'g', 'g_a']);
  const p = c.bufToBig(c.hexField(req, 'p'));
  const g = c.numField(req, 'g');
  c.hexField(req, 'g_a');
  try {
    checkDhPrime(base, silentLog, p, g);
  } catch (err) {
    for (const [re, rule] of DH_MESSAGES) if (re.test(err.message)) throw new c.ShimError(rule, 'mtcute: ' + err.message);
    throw err;
  }
  return c.unimplemented('mtcute accepted p and g; its g_a checks are not callable alone');
}

async function obfuscated2Keys(req) {
  c.onlyFields(req, ['init', 'secret']);
  const init = c.hexField(req, 'init');
  const secret = c.hexField(req, 'secret', true);
  if (init.length !== 64) throw new c.ShimError('bad_argument', 'init must be 64 bytes');
  if (secret && secret.length !== 16) throw new c.ShimError('bad_key_size', 'secret must be 16 bytes');
  const seen = [];
  const codec = new core.ObfuscatedPacketCodec(new core.IntermediatePacketCodec(), secret ? { dcId: 2, secret } : undefined);
  codec.setup(provider(c.fixedBytes(init), seen), silentLog);
  await codec.tag();
  return { enc_key: c.hex(seen[0].key), enc_iv: c.hex(seen[0].iv), dec_key: c.hex(seen[1].key), dec_iv: c.hex(seen[1].iv) };
}

function frame(req) {
  c.onlyFields(req, ['transport', 'data', 'direction', 'quick_ack', 'padding', 'seq']);
  const transport = c.strField(req, 'transport');
  const data = c.hexField(req, 'data');
  if (c.strField(req, 'direction', true, 'c2s') !== 'c2s' || c.numField(req, 'quick_ack', true, 0)) c.unimplemented('mtcute frames client packets without quick ack');
  if (transport !== 'intermediate') c.unimplemented(`no fixed-output ${transport} codec in mtcute (padded draws its padding length from Math.random)`);
  const into = io.Bytes.alloc(data.length + 4);
  new core.IntermediatePacketCodec().encode(data, into);
  return { out: c.hex(into.result()) };
}

function unframe(req) {
  c.onlyFields(req, ['transport', 'data', 'direction', 'seq']);
  const transport = c.strField(req, 'transport');
  const data = c.hexField(req, 'data');
  if (transport !== 'intermediate' || c.strField(req, 'direction', true, 'c2s') !== 's2c') c.unimplemented('mtcute reads intermediate server packets');
  const reader = io.Bytes.from(data);
  let pkt;
  try {
    pkt = new core.IntermediatePacketCodec().decode(reader, false);
  } catch (err) {
    if (err instanceof core.TransportError) return { transport_error: -err.code };
    throw err;
  }
  if (pkt === null) throw new c.ShimError('truncated', 'mtcute waits for more bytes');
  if (reader.available) throw new c.ShimError('trailing_data', 'bytes after the packet');
  return { out: c.hex(pkt), quick_ack: 0 };
}

const simple = (fn) => async (req) => (c.onlyFields(req, ['data']), { out: c.hex(fn(c.hexField(req, 'data'))) });

const ops = {
  sha1: simple((d) => base.sha1(d)),
  sha256: simple((d) => base.sha256(d)),
  hmac_sha256: async (req) => (c.onlyFields(req, ['key', 'data']), { out: c.hex(base.hmacSha256(c.hexField(req, 'data'), c.hexField(req, 'key'))) }),
  aes256_ige_encrypt: async (req) => ige(req, false),
  aes256_ige_decrypt: async (req) => ige(req, true),
  aes256_ctr: async (req) => {
    c.onlyFields(req, ['key', 'iv', 'data']);
    const key = c.hexField(req, 'key');
    const iv = c.hexField(req, 'iv');
    c.requireBlocks(key, 32, iv, 16, null);
    return { out: c.hex(base.createAesCtr(key, iv, true).process(c.hexField(req, 'data'))) };
  },
  kdf_v2: async (req) => kdf(req, false),
  kdf_v1: async (req) => kdf(req, true),
  tmp_aes_kdf: async (req) => {
    c.onlyFields(req, ['new_nonce', 'server_nonce']);
    const nn = c.hexField(req, 'new_nonce');
    const sn = c.hexField(req, 'server_nonce');
    if (nn.length !== 32 || sn.length !== 16) throw new c.ShimError('bad_data_size', 'new_nonce 32, server_nonce 16 bytes');
    const [key, iv] = utils.generateKeyAndIvFromNonce(base, sn, nn);
    return { key: c.hex(key), iv: c.hex(iv) };
  },
  auth_key_ids: async (req) => {
    c.onlyFields(req, ['auth_key']);
    const ak = c.hexField(req, 'auth_key');
    if (ak.length !== 256) throw new c.ShimError('bad_data_size', 'auth_key must be 256 bytes');
    return { auth_key_id: c.hex(authKeyOf(ak, null).id), aux_hash: c.hex(base.sha1(ak).subarray(0, 8)) };
  },
  factor_pq: async (req) => {
    c.onlyFields(req, ['pq']);
    const pq = c.hexField(req, 'pq');
    if (c.bufToBig(pq) >= 1n << 64n) throw new c.ShimError('limit_exceeded', 'over 64 bits');
    if (c.bufToBig(pq) < 2n) throw new c.ShimError('bad_argument', 'pq below 2');
    const r = await c.inWorker(
      (h, req2) => {
        globalThis._MTCUTE_CJS_DEPRECATION_WARNED = true;
        const u = req2('@mtcute/core/utils.js');
        const { NodeCryptoProvider: P } = req2('@mtcute/node/utils.js');
        const [p, q] = u.factorizePQSync(new P(), Buffer.from(h, 'hex'));
        return [Buffer.from(p).toString('hex'), Buffer.from(q).toString('hex')];
      },
      c.hex(pq),
      3000
    );
    return { p: c.bigHex(Buffer.from(r[0], 'hex')), q: c.bigHex(Buffer.from(r[1], 'hex')) };
  },
  decrypt_v2: async (req) => decryptV2(req),
  encrypt_v2_raw: async (req) => encryptV2Raw(req),
  rsa_fingerprint: async (req) => rsaFingerprint(req),
  rsa_pad_encrypt: async (req) => rsaPadEncrypt(req),
  dh_check: async (req) => dhCheck(req),
  obfuscated2_keys: obfuscated2Keys,
  frame: async (req) => frame(req),
  unframe: async (req) => unframe(req),
};

module.exports = { ops };
if (require.main === module) c.run(ops, () => base.initialize());
