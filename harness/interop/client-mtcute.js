#!/usr/bin/env node
'use strict';
// mtcute client driver (docs/interop.md). Injection at run time: the server key through
// addPublicKey(crypto, PKCS#1 PEM) from @mtcute/core/utils.js, the server through the
// `defaultDcs` option, the transport (intermediate, padded or obfuscated) through a TcpTransport
// with the chosen packet codec. MTProto ping is `mt.ping` through client.call.
globalThis._MTCUTE_CJS_DEPRECATION_WARNED = true;
const cc = require('./client-common');
const { libRequire: R } = require('./shim-common');

const a = cc.args('mtcute', ['intermediate', 'padded', 'obfuscated']);
const key = cc.serverKey(a.key);
const { BaseTelegramClient, TcpTransport } = R('@mtcute/node');
const core = R('@mtcute/core');
const utils = R('@mtcute/core/utils.js');
const { NodeCryptoProvider } = R('@mtcute/node/utils.js');
const Long = R('long');

class Transport extends TcpTransport {
  packetCodec() {
    if (a.transport === 'padded') return new core.PaddedIntermediatePacketCodec();
    if (a.transport === 'obfuscated') return new core.ObfuscatedPacketCodec(new core.IntermediatePacketCodec());
    return new core.IntermediatePacketCodec();
  }
}

(async () => {
  const crypto = new NodeCryptoProvider();
  await crypto.initialize();
  utils.addPublicKey(crypto, key.pkcs1);
  const dc = { id: 2, ipAddress: a.host, port: a.port };
  const client = new BaseTelegramClient({
    apiId: 1, apiHash: 'mtproof', crypto, transport: new Transport(), storage: new core.MemoryStorage(),
    defaultDcs: { main: dc, media: dc }, logLevel: 0,
  });
  const out = await cc.runSteps('mtcute', a, [
    ['auth_key_and_getConfig', async () => (await client.call({ _: 'help.getConfig' }))._],
    ['ping', async () => (await client.call({ _: 'mt_ping', pingId: Long.fromNumber(0x6d7470) }))._],
    ['unknown_method', async () => (await client.call({ _: 'help.getCountriesList', langCode: 'en', hash: 0 }))._, true],
  ]);
  out.version = R('@mtcute/core/package.json').version;
  cc.report(out, out.ok ? 0 : 1);
})();
