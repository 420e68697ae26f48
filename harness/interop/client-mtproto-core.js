#!/usr/bin/env node
'use strict';
// @mtproto/core client driver (docs/interop.md). Injection at run time: the server key by
// replacing RSA.prototype.getRsaKeyByFingerprints (module @mtproto/core/src/utils/rsa), the
// server by replacing the instance's dcList. Its only transport is obfuscated2 + intermediate.
// It reconnects at once whenever the server closes the socket, so the driver ends the process.
// MTProto ping: its call() wraps every method in invokeWithLayer(initConnection(...)) and knows
// only API methods (call('ping') threw "reading 'call'"), so the driver serializes mt_ping with the
// library's own builder, sends it with the RPC's sendEncryptedMessage (content-related, as the
// spec says of ping) and waits for the mt_pong the library hands to its `updates` emitter.
const cc = require('./client-common');
const { libRequire: R, libVersion } = require('./shim-common');

const a = cc.args('mtproto-core', ['obfuscated']);
const key = cc.serverKey(a.key);
const RSA = R('@mtproto/core/src/utils/rsa');
const MTProto = R('@mtproto/core');
const tempLocalStorage = R('@mtproto/core/src/storage/temp');
const builderMap = R('@mtproto/core/src/tl/builder');
const Serializer = R('@mtproto/core/src/tl/serializer');

RSA.prototype.getRsaKeyByFingerprints = async function injected(fingerprints) {
  const want = key.fpUnsigned.toString(16);
  const found = fingerprints.find((f) => BigInt(String(f)) === key.fpUnsigned || BigInt.asUintN(64, BigInt(String(f))).toString(16) === want);
  return found === undefined ? null : { fingerprint: found, modulus: key.n.toString('hex'), exponent: key.e.toString('hex') };
};

function ping(mtproto, pingId) {
  return new Promise((resolve, reject) => {
    mtproto.updates.on('mt_pong', (pong) => {
      if (String(pong.ping_id) === pingId) resolve(pong._);
    });
    const bytes = new Serializer(builderMap.mt_ping, { ping_id: pingId }).getBytes();
    mtproto.getRPC(2).sendEncryptedMessage(bytes).catch(reject);
  });
}

(async () => {
  const mtproto = new MTProto({ api_id: 1, api_hash: 'mtproof', storageOptions: { instance: tempLocalStorage } });
  mtproto.dcList = [{ id: 2, ip: a.host, port: a.port }];
  mtproto.setDefaultDc && (await mtproto.setDefaultDc(2));
  const out = await cc.runSteps('mtproto-core', a, [
    ['auth_key_and_getConfig', async () => (await mtproto.call('help.getConfig', {}, { dcId: 2 }))._],
    ['ping', () => ping(mtproto, '7173232')],
    ['unknown_method', async () => (await mtproto.call('help.getCountriesList', { lang_code: 'en', hash: 0 }, { dcId: 2 }))._, true],
  ]);
  out.version = libVersion('@mtproto/core');
  cc.report(out, out.ok ? 0 : 1);
})();
