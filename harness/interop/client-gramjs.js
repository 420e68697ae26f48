#!/usr/bin/env node
'use strict';
// gramjs client driver (docs/interop.md). Injection at run time: the server key goes into the
// exported Map `telegram/crypto/RSA`._serverKeys (keyed by the signed decimal fingerprint, value
// {n, e}); TelegramClient.connect() always dials port 80/443, so the connection class is a
// subclass of the chosen gramjs transport whose constructor points it at --port.
// connect() resolves after auth-key creation and invokeWithLayer(initConnection(help.getConfig)).
// The session is a MemorySession: gramjs's StringSession.save() writes the port with
// writeInt16BE and throws for ports above 32767 (every ephemeral port) right after the key is
// created, so connect() fails there (docs/interop.md, findings).
const cc = require('./client-common');
const { libRequire: R, libVersion } = require('./shim-common');

const TRANSPORTS = { full: 'ConnectionTCPFull', abridged: 'ConnectionTCPAbridged', obfuscated: 'ConnectionTCPObfuscated' };
const a = cc.args('gramjs', Object.keys(TRANSPORTS));
const key = cc.serverKey(a.key);
const bigInt = R('big-integer');
const RSA = R('telegram/crypto/RSA');
const { TelegramClient, Api } = R('telegram');
const { MemorySession } = R('telegram/sessions');
const conn = R('telegram/network/connection');
const { Logger } = R('telegram/extensions');

RSA._serverKeys.clear();
RSA._serverKeys.set(key.fpSigned.toString(), { n: bigInt(key.n.toString('hex'), 16), e: Number(bigInt(key.e.toString('hex'), 16)) });

const Base = conn[TRANSPORTS[a.transport]];
class ToRelay extends Base {
  constructor(opts) {
    super(Object.assign({}, opts, { ip: a.host, port: a.port }));
  }
}

(async () => {
  const session = new MemorySession();
  session.setDC(2, a.host, a.port);
  const client = new TelegramClient(session, 1, 'mtproof', { connection: ToRelay, connectionRetries: 1, retryDelay: 100, autoReconnect: false, baseLogger: new Logger(process.env.GRAMJS_LOG || 'none'), useWSS: false });
  const out = await cc.runSteps('gramjs', a, [
    ['auth_key_and_getConfig', async () => {
      // connect() resolves false (it does not throw) when the handshake or getConfig failed.
      if (!(await client.connect())) throw new Error('connect() returned false');
      return 'connected';
    }],
    ['ping', async () => (await client.invoke(new Api.Ping({ pingId: bigInt(0x6d7470) }))).className],
    ['unknown_method', async () => (await client.invoke(new Api.help.GetCountriesList({ langCode: 'en', hash: 0 }))).className, true],
  ]);
  out.version = libVersion('telegram');
  cc.report(out, out.ok ? 0 : 1);
})();
