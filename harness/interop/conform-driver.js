#!/usr/bin/env node
'use strict';
// The client under test of `mtproof conform --listen` (docs/interop.md "Conformance runs"):
//   node harness/interop/conform-driver.js LIB HOST PORT TRANSPORT PUBLIC.pem [EVENTS.jsonl]
// connects LIB's real client (gramjs, mtcute, mtproto-core) over the scenario's TRANSPORT, lets it
// create its auth key and send its first query — help.getConfig wrapped, as each library does, in
// invokeWithLayer(initConnection(...)) — and then lives on until the harness closes the
// connection or ends the process (SIGTERM after the scenario). Keys and addresses are injected at
// run time as in the client-*.js drivers. A transport the library does not have exits 3 at once
// ("unsupported"); ci/interop skips those scenarios for that library beforehand.
// EVENTS.jsonl (run-conform.py passes build/interop/conform/events-LIB/{scenario}.jsonl): one JSON
// line per thing the library told its caller (the first query answered or failed with its error,
// gramjs's connect() giving up) and per line the library logged at warning level or above; the
// harness sees only the wire, so this is the evidence of what a client that stayed connected did
// with a broken message (dropped it, or took it).
globalThis._MTCUTE_CJS_DEPRECATION_WARNED = true;
const cc = require('./client-common');
const { libRequire: R } = require('./shim-common');

// Scenario transport -> the library's connection (docs/scenarios.md names).
const TRANSPORTS = {
  gramjs: { full: 'ConnectionTCPFull', abridged: 'ConnectionTCPAbridged', 'obf2-abridged': 'ConnectionTCPObfuscated' },
  mtcute: { intermediate: 'i', padded: 'p', 'obf2-intermediate': 'oi', 'obf2-padded': 'op' },
  'mtproto-core': { 'obf2-intermediate': 'oi' },
};

const [lib, host, portS, transport, keyPath, eventsPath] = process.argv.slice(2);
if (!TRANSPORTS[lib] || !host || !portS || !transport || !keyPath) {
  console.error('usage: conform-driver.js gramjs|mtcute|mtproto-core HOST PORT TRANSPORT PUBLIC.pem');
  process.exit(2);
}
const port = Number(portS);
if (!(transport in TRANSPORTS[lib])) {
  console.error(`conform-driver: ${lib} has no ${transport} transport (unsupported)`);
  process.exit(3);
}
const key = cc.serverKey(keyPath);
const fs = require('fs');
const t0 = Date.now();
function event(kind, detail) {
  if (!eventsPath) return;
  try {
    fs.appendFileSync(eventsPath, JSON.stringify({ ms: Date.now() - t0, pid: process.pid, event: kind, detail: String(detail).slice(0, 300) }) + '\n');
  } catch (e) { /* the events are evidence, not part of the run */ }
}
const log = (what) => console.error(`conform-driver ${lib}: ${what}`);
// What the libraries log (gramjs's Logger and mtcute's default logger print with console.*).
for (const m of ['log', 'warn', 'error', 'info']) {
  const orig = console[m].bind(console);
  console[m] = (...args) => {
    event('log', args.map((a) => (typeof a === 'string' ? a : (a && a.stack) || JSON.stringify(a))).join(' '));
    if (m !== 'log' && m !== 'info') orig(...args);
  };
}
event('start', `${transport} ${host}:${portS}`);

async function gramjs() {
  const bigInt = R('big-integer');
  const RSA = R('telegram/crypto/RSA');
  const { TelegramClient } = R('telegram');
  const { MemorySession } = R('telegram/sessions');
  const conn = R('telegram/network/connection');
  const { Logger } = R('telegram/extensions');
  RSA._serverKeys.clear();
  RSA._serverKeys.set(key.fpSigned.toString(), { n: bigInt(key.n.toString('hex'), 16), e: Number(bigInt(key.e.toString('hex'), 16)) });
  const Base = conn[TRANSPORTS.gramjs[transport]];
  class ToHarness extends Base {
    constructor(opts) {
      super(Object.assign({}, opts, { ip: host, port }));
    }
  }
  const session = new MemorySession();
  session.setDC(2, host, port);
  const client = new TelegramClient(session, 1, 'mtproof', { connection: ToHarness, connectionRetries: 1, autoReconnect: false, baseLogger: new Logger('warn'), useWSS: false });
  return client.connect();
}

async function mtcute() {
  const { BaseTelegramClient, TcpTransport } = R('@mtcute/node');
  const core = R('@mtcute/core');
  const utils = R('@mtcute/core/utils.js');
  const { NodeCryptoProvider } = R('@mtcute/node/utils.js');
  const t = TRANSPORTS.mtcute[transport];
  class Transport extends TcpTransport {
    packetCodec() {
      const inner = t.endsWith('p') ? new core.PaddedIntermediatePacketCodec() : new core.IntermediatePacketCodec();
      return t.startsWith('o') ? new core.ObfuscatedPacketCodec(inner) : inner;
    }
  }
  const crypto = new NodeCryptoProvider();
  await crypto.initialize();
  utils.addPublicKey(crypto, key.pkcs1);
  const dc = { id: 2, ipAddress: host, port };
  // disableUpdates: no updates.getState, so help.getConfig is its one query.
  const client = new BaseTelegramClient({
    apiId: 1, apiHash: 'mtproof', crypto, transport: new Transport(), storage: new core.MemoryStorage(),
    defaultDcs: { main: dc, media: dc }, logLevel: 2, disableUpdates: true,
  });
  return client.call({ _: 'help.getConfig' });
}

async function mtprotoCore() {
  const RSA = R('@mtproto/core/src/utils/rsa');
  const MTProto = R('@mtproto/core');
  const tempLocalStorage = R('@mtproto/core/src/storage/temp');
  RSA.prototype.getRsaKeyByFingerprints = async function injected(fingerprints) {
    const found = fingerprints.find((f) => BigInt.asUintN(64, BigInt(String(f))) === key.fpUnsigned);
    return found === undefined ? null : { fingerprint: found, modulus: key.n.toString('hex'), exponent: key.e.toString('hex') };
  };
  const mtproto = new MTProto({ api_id: 1, api_hash: 'mtproof', storageOptions: { instance: tempLocalStorage } });
  mtproto.dcList = [{ id: 2, ip: host, port }];
  return mtproto.call('help.getConfig', {}, { dcId: 2 });
}

const run = { gramjs, mtcute, 'mtproto-core': mtprotoCore }[lib];
run().then(
  (r) => {
    // gramjs's connect() resolves false when it gave up (it logs why at warning level).
    const what = r && (r._ || r.className || r);
    event(r === false ? 'gave_up' : 'answered', what);
    log(`first query answered: ${what}`);
  },
  (e) => {
    const msg = String((e && (e.errorMessage || e.error_message || e.message)) || e).slice(0, 200);
    event('failed', msg);
    log(`first query failed: ${msg}`);
  },
);
// The harness ends the process (SIGTERM) when the scenario is over; 60 s is a backstop.
setTimeout(() => process.exit(0), 60000);
