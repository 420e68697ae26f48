'use strict';
// Shared code of the client drivers: arguments, the server key as (n, e, fingerprint), the
// one-line JSON report and a deadline. A driver connects one library's client to a server
// (mtproof relay), creates an auth key, sends help.getConfig (wrapped as the library does), a
// ping and one method the server does not know (expecting rpc_error), prints one JSON line and
// exits 0 when every step got its expected answer.
const crypto = require('crypto');
const fs = require('fs');

function args(lib, transports) {
  const a = { host: '127.0.0.1', port: 0, key: null, transport: transports[0], timeout: 20, workaround: '' };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) {
    const k = v[i].replace(/^--/, '');
    if (!(k in a) || v[i + 1] === undefined) usage(lib, transports);
    a[k] = k === 'port' || k === 'timeout' ? Number(v[i + 1]) : v[i + 1];
  }
  if (!a.port || !a.key || !transports.includes(a.transport)) usage(lib, transports);
  return a;
}

function usage(lib, transports) {
  console.error(`usage: client-${lib}.js --host H --port P --key PUBLIC.pem [--transport ${transports.join('|')}] [--timeout S] [--workaround NAME]`);
  process.exit(2);
}

// n and e of a PEM public key (any form node reads), and the MTProto fingerprint: the last 8
// bytes of SHA-1 of the bare TL rsa_public_key n:bytes e:bytes, as a little-endian int64.
function serverKey(pemPath) {
  const pem = fs.readFileSync(pemPath, 'utf8');
  const jwk = crypto.createPublicKey(pem).export({ format: 'jwk' });
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  const tlBytes = (b) => {
    const head = b.length < 254 ? Buffer.from([b.length]) : Buffer.from([254, b.length & 255, (b.length >> 8) & 255, b.length >> 16]);
    const body = Buffer.concat([head, b]);
    return Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  };
  const fp = crypto.createHash('sha1').update(Buffer.concat([tlBytes(n), tlBytes(e)])).digest().subarray(12, 20);
  const pkcs1 = crypto.createPublicKey(pem).export({ format: 'pem', type: 'pkcs1' });
  return { pem, pkcs1, n, e, fingerprint: fp, fpSigned: fp.readBigInt64LE(0), fpUnsigned: fp.readBigUInt64LE(0) };
}

function report(obj, code) {
  process.stdout.write(JSON.stringify(obj) + '\n');
  process.exit(code);
}

// Runs steps in order; each step is [name, async fn] and its result is recorded. An unknown
// method must fail with an RPC error, every other step must succeed.
async function runSteps(lib, a, steps) {
  const out = { lib, transport: a.transport, server: `${a.host}:${a.port}`, steps: {}, ok: false };
  if (a.workaround) out.workaround = a.workaround;
  const timer = setTimeout(() => report(Object.assign(out, { error: `timeout after ${a.timeout} s` }), 1), a.timeout * 1000);

  try {
    for (const [name, fn, expectError] of steps) {
      try {
        const r = await fn();
        out.steps[name] = expectError ? { ok: false, unexpected: 'answered', result: String(r).slice(0, 200) } : { ok: true, result: r === undefined ? null : String(r).slice(0, 200) };
      } catch (e) {
        const msg = String((e && (e.errorMessage || e.error_message || e.message)) || e).slice(0, 300);
        out.steps[name] = expectError ? { ok: true, rpc_error: msg } : { ok: false, error: msg };
      }
      if (!out.steps[name].ok) break;
    }
    out.ok = steps.every(([name]) => out.steps[name] && out.steps[name].ok);
  } catch (e) {
    out.error = String(e && e.message || e);
  }
  return out;
}

module.exports = { args, serverKey, report, runSteps };
