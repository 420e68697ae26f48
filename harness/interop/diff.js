#!/usr/bin/env node
'use strict';
// Differential run: the same random requests go to `mtproof shim` and to one library's shim; the
// answers (ok + outputs, or the error name) must agree. Deterministic: a seeded xorshift feeds
// the inputs. usage: diff.js MTPROOF LIB [COUNT] [SEED] [--json OUT]
// Prints one line per disagreement (the first 5 per op) and a JSON summary line.
const { spawn } = require('child_process');
const readline = require('readline');
const fs = require('fs');
const path = require('path');

const [mtproof, lib, countArg, seedArg] = process.argv.slice(2);
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : null;
if (!mtproof || !lib) {
  console.error('usage: diff.js MTPROOF LIB [COUNT] [SEED] [--json OUT]');
  process.exit(2);
}
const COUNT = Number(countArg) || 200;
let state = BigInt(Number(seedArg) || 20240601) | 1n;
function rnd32() {
  state ^= (state << 13n) & 0xffffffffffffffffn;
  state ^= state >> 7n;
  state ^= (state << 17n) & 0xffffffffffffffffn;
  return Number(state & 0xffffffffn);
}
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => rnd32() & 255)).toString('hex');
const pick = (a) => a[rnd32() % a.length];

// Generators: one random request each. Lengths include odd and empty ones on purpose.
const GEN = {
  sha1: () => ({ data: bytes(rnd32() % 300) }),
  sha256: () => ({ data: bytes(rnd32() % 300) }),
  aes256_ige_encrypt: () => ({ key: bytes(32), iv: bytes(32), data: bytes(16 * (rnd32() % 20)) }),
  aes256_ige_decrypt: () => ({ key: bytes(32), iv: bytes(32), data: bytes(16 * (rnd32() % 20)) }),
  aes256_ctr: () => ({ key: bytes(32), iv: pick([bytes(16), 'ff'.repeat(15) + bytes(1)]), data: bytes(rnd32() % 200) }),
  kdf_v2: () => ({ auth_key: bytes(256), msg_key: bytes(16), x: pick([0, 8]) }),
  kdf_v1: () => ({ auth_key: bytes(256), msg_key: bytes(16), x: pick([0, 8]) }),
  tmp_aes_kdf: () => ({ new_nonce: bytes(32), server_nonce: bytes(16) }),
  auth_key_ids: () => ({ auth_key: bytes(256) }),
  new_nonce_hash: () => ({ new_nonce: bytes(32), auth_key: bytes(256), number: pick([1, 2, 3]) }),
  obfuscated2_keys: () => ({ init: bytes(64) }),
  frame: () => ({ transport: pick(['abridged', 'intermediate', 'full']), data: bytes(4 * (rnd32() % 300)) }),
  crc32: () => ({ data: bytes(rnd32() % 100) }),
  factor_pq: () => {
    // products of two random 31-bit odd primes (found by trial division), as a server sends
    const prime = () => {
      for (;;) {
        let n = (rnd32() | 0x40000001) >>> 1 | 1;
        let ok = true;
        for (let d = 3; d * d <= n; d += 2) if (n % d === 0) { ok = false; break; }
        if (ok) return BigInt(n);
      }
    };
    const v = prime() * prime();
    let h = v.toString(16);
    if (h.length % 2) h = '0' + h;
    return { pq: h };
  },
};

// OBF2_FORBIDDEN_INIT (common/rules.def): a client regenerates the 64-byte init while init[0] is
// 0xef, its first four bytes are HEAD, POST, GET , OPTI, 16 03 01 02, dddddddd or eeeeeeee, or
// init[4:8] is zero. `mtproof shim`'s obfuscated2_keys derives keys from any init it is given; the
// library shims run the library's own init generator on the given bytes, so for a forbidden init
// the library rightly asks for more randomness. That refusal agrees; using the init would break
// the rule.
const FORBIDDEN_WORDS = ['48454144', '504f5354', '47455420', '4f505449', '16030102', 'dddddddd', 'eeeeeeee'];
const forbiddenInit = (hex) =>
  hex.startsWith('ef') || FORBIDDEN_WORDS.includes(hex.slice(0, 8)) || hex.slice(8, 16) === '00000000';
// Per-op judgement before the plain comparison: [agreed, rule broken] or null.
const JUDGE = {
  obfuscated2_keys: (req, a, b) =>
    forbiddenInit(req.init) ? (b.ok === false ? [true, null] : [false, 'OBF2_FORBIDDEN_INIT']) : null,
};

function shim(cmd) {
  const p = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'inherit'], cwd: path.resolve(__dirname, '..', '..') });
  const rl = readline.createInterface({ input: p.stdout });
  const waiting = [];
  rl.on('line', (l) => waiting.shift()(JSON.parse(l)));
  return {
    ask: (req) => new Promise((res) => { waiting.push(res); p.stdin.write(JSON.stringify(req) + '\n'); }),
    close: () => p.stdin.end(),
  };
}

const norm = (r) => { const o = Object.assign({}, r); delete o.id; delete o.detail; return JSON.stringify(o, Object.keys(o).sort()); };

(async () => {
  const ours = shim(`exec ${mtproof} shim`);
  const theirs = shim(`exec node harness/interop/shim-${lib}.js`);
  const implemented = (await theirs.ask({ op: 'list_ops' })).ops || [];
  const summary = {};
  for (const op of Object.keys(GEN).filter((o) => implemented.includes(o))) {
    const s = (summary[op] = { agreed: 0, disagreed: 0, unsupported: 0, examples: [], rules: [] });
    for (let i = 0; i < COUNT; i++) {
      const req = Object.assign({ id: i, op }, GEN[op]());
      const [a, b] = await Promise.all([ours.ask(req), theirs.ask(req)]);
      const judged = JUDGE[op] && b.error !== 'unimplemented' ? JUDGE[op](req, a, b) : null;
      if (b.error === 'unimplemented') s.unsupported++;
      else if (judged ? judged[0] : norm(a) === norm(b)) s.agreed++;
      else {
        s.disagreed++;
        if (judged && judged[1] && !s.rules.includes(judged[1])) s.rules.push(judged[1]);
        if (s.examples.length < 5) {
          s.examples.push({ request: req, mtproof: a, [lib]: b });
          console.log(`DIFF ${lib} ${op}: ${JSON.stringify(req).slice(0, 200)}\n  mtproof: ${JSON.stringify(a).slice(0, 200)}\n  ${lib}: ${JSON.stringify(b).slice(0, 200)}`);
        }
      }
    }
  }
  ours.close();
  theirs.close();
  const checks = {};
  for (const [op, s] of Object.entries(summary)) {
    const status = s.disagreed ? 'fail' : s.agreed ? 'pass' : 'unsupported';
    checks['diff:' + op] = { status, rules: s.rules, passed: s.agreed, failed: s.disagreed, skipped: s.unsupported, failures: s.examples };
  }
  console.log(JSON.stringify({ lib, count: COUNT, ops: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, { agreed: v.agreed, disagreed: v.disagreed, unsupported: v.unsupported }])) }));
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ [lib]: checks }, null, 1) + '\n');
  process.exit(Object.values(summary).some((s) => s.disagreed) ? 1 : 0);
})();
