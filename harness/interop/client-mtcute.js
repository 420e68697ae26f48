#!/usr/bin/env node
'use strict';
// mtcute client driver (docs/interop.md). Injection at run time: the server key through
// addPublicKey(crypto, PKCS#1 PEM) from @mtcute/core/utils.js, the server through the
// `defaultDcs` option, the transport (intermediate, padded or obfuscated) through a TcpTransport
// with the chosen packet codec. The ping step waits for the pong to mtcute's own keep-alive ping
// (ping_delay_disconnect, sent with its first flush): a `mt_ping` through client.call is
// registered as an RPC, and mtcute drops the bare pong a server answers it with ("received pong to
// rpc query, not ping"), so that call never resolves against any server.
// mtcute marks its msgs_ack content-related (odd seqno: MtprotoSession.writeMessage defaults
// isContentRelated to true and the ack path does not pass false), which breaks
// SEQNO_EXPECTED_EVEN; the relay answers bad_msg_notification 34 and mtcute resets its session.
// `--workaround ack-seqno` corrects that at run time (msgs_ack written with an even seqno), to show
// that every other step passes; the plain run is the library's result.
globalThis._MTCUTE_CJS_DEPRECATION_WARNED = true;
const cc = require('./client-common');
const { libRequire: R, libDir, libVersion } = require('./shim-common');

const a = cc.args('mtcute', ['intermediate', 'padded', 'obfuscated']);
const key = cc.serverKey(a.key);
const { BaseTelegramClient, TcpTransport } = R('@mtcute/node');
const core = R('@mtcute/core');
const utils = R('@mtcute/core/utils.js');
const { NodeCryptoProvider } = R('@mtcute/node/utils.js');
const path = require('path');

if (a.workaround === 'ack-seqno') {
  // The same module instance @mtcute/node loads (the package's CommonJS build).
  const file = path.join(libDir('@mtcute/core'), 'network', 'mtproto-session.cjs');
  const { MtprotoSession } = require(file);
  const write = MtprotoSession.prototype.writeMessage;
  MtprotoSession.prototype.writeMessage = function writeMessage(writer, content, contentRelated = true) {
    const ack = ArrayBuffer.isView(content) && content.length >= 4 && Buffer.from(content.buffer, content.byteOffset, 4).readUInt32LE(0) === 0x62d6b459;
    return write.call(this, writer, content, ack ? false : contentRelated);
  };
} else if (a.workaround) {
  cc.report({ lib: 'mtcute', ok: false, error: `unknown workaround ${a.workaround}` }, 2);
}

class Transport extends TcpTransport {
  packetCodec() {
    if (a.transport === 'padded') return new core.PaddedIntermediatePacketCodec();
    if (a.transport === 'obfuscated') return new core.ObfuscatedPacketCodec(new core.IntermediatePacketCodec());
    return new core.IntermediatePacketCodec();
  }
}

// Resolves with the ping_id of the first pong that answers mtcute's own ping.
const pong = new Promise((resolve) => {
  const onPong = core.SessionConnection.prototype._onPong;
  core.SessionConnection.prototype._onPong = function hooked(msg) {
    const info = this._session.pendingMessages.get(msg.msgId);
    onPong.call(this, msg);
    if (info && info._ === 'ping') resolve(String(msg.pingId));
  };
});

(async () => {
  const crypto = new NodeCryptoProvider();
  await crypto.initialize();
  utils.addPublicKey(crypto, key.pkcs1);
  const dc = { id: 2, ipAddress: a.host, port: a.port };
  const client = new BaseTelegramClient({
    apiId: 1, apiHash: 'mtproof', crypto, transport: new Transport(), storage: new core.MemoryStorage(),
    defaultDcs: { main: dc, media: dc }, logLevel: 0,
    // The keep-alive ping goes out at a flush once performance.now() - lastPingTime (0 at start)
    // exceeds rtt (>= 2 s) while a query is pending, else pingInterval (default 60 s) + 0-5 s:
    // a client whose key and getConfig were done within 2 s of node's start sent no ping for a
    // minute, past the 30 s limit (docs/interop.md finding 7). 5 s: the ping comes in every run.
    network: { pingInterval: 5000 },
  });
  const out = await cc.runSteps('mtcute', a, [
    ['auth_key_and_getConfig', async () => (await client.call({ _: 'help.getConfig' }))._],
    ['ping', async () => `pong ${await pong}`],
    ['unknown_method', async () => (await client.call({ _: 'help.getCountriesList', langCode: 'en', hash: 0 }))._, true],
  ]);
  out.version = libVersion('@mtcute/core');
  cc.report(out, out.ok ? 0 : 1);
})();
