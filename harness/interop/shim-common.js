'use strict';
// Shared code of the third-party shims (docs/shim.md): the JSON-lines loop, hex fields, error
// mapping. Each shim-<lib>.js gives run() a table op name -> async function(req) returning the
// response fields, or throwing ShimError(name, detail). Requests are answered strictly in order.
//
// The libraries live in build/interop/node_modules (installed by ci/interop); MTPROOF_INTEROP_DIR
// overrides that folder. Nothing of the libraries is edited: keys, randomness and addresses are
// injected at run time (see each shim).

const path = require('path');
const readline = require('readline');
const { createRequire } = require('module');

const ROOT = path.resolve(__dirname, '..', '..');
const MODULES_DIR = process.env.MTPROOF_INTEROP_DIR || path.join(ROOT, 'build', 'interop');

// require() resolving from the scratch folder, not from harness/interop.
const libRequire = createRequire(path.join(MODULES_DIR, 'package.json'));

// The installed folder of a package (read directly: @mtcute/core exports no ./package.json).
function libDir(name) {
  return path.join(MODULES_DIR, 'node_modules', name);
}

function libVersion(name) {
  try {
    return JSON.parse(require('fs').readFileSync(path.join(libDir(name), 'package.json'), 'utf8')).version;
  } catch (e) {
    return null;
  }
}

class ShimError extends Error {
  constructor(name, detail) {
    super(detail || name);
    this.errorName = name;
  }
}

function unimplemented(what) {
  throw new ShimError('unimplemented', what || 'the library has no such operation');
}

// A hex byte-string field; `name` is required unless optional is true (then null when absent).
function hexField(req, name, optional) {
  const v = req[name];
  if (v === undefined) {
    if (optional) return null;
    throw new ShimError('missing_field', `missing field ${name}`);
  }
  if (typeof v !== 'string') throw new ShimError('bad_field', `${name} is not a string`);
  if (v.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(v)) throw new ShimError('bad_hex', `${name} is not hex`);
  return Buffer.from(v, 'hex');
}

function numField(req, name, optional, dflt) {
  const v = req[name];
  if (v === undefined) {
    if (optional) return dflt;
    throw new ShimError('missing_field', `missing field ${name}`);
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ShimError('bad_field', `${name} is not an integer`);
  return v;
}

function strField(req, name, optional, dflt) {
  const v = req[name];
  if (v === undefined) {
    if (optional) return dflt;
    throw new ShimError('missing_field', `missing field ${name}`);
  }
  if (typeof v !== 'string') throw new ShimError('bad_field', `${name} is not a string`);
  return v;
}

// Refuses fields the op does not take (docs/shim.md: a misspelt field never goes unnoticed).
function onlyFields(req, allowed) {
  for (const k of Object.keys(req)) {
    if (k !== 'id' && k !== 'op' && !allowed.includes(k)) throw new ShimError('bad_field', `unknown field ${k}`);
  }
}

const hex = (b) => Buffer.from(b).toString('hex');

// Big integers: minimal big-endian hex, zero is "".
function bigHex(b) {
  const h = hex(b).replace(/^(00)+/, '');
  return h;
}

function bigToHex(n) {
  if (n === 0n) return '';
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  return h;
}

function bufToBig(b) {
  return b.length ? BigInt('0x' + hex(b)) : 0n;
}

function requireBlocks(key, keyLen, iv, ivLen, data) {
  if (key.length !== keyLen) throw new ShimError('bad_key_size', `key must be ${keyLen} bytes`);
  if (iv !== null && iv.length !== ivLen) throw new ShimError('bad_iv_size', `iv must be ${ivLen} bytes`);
  if (data !== null && data.length % 16 !== 0) throw new ShimError('bad_data_size', 'data is not a multiple of 16 bytes');
}

// Maps a library exception onto a shim error: a ShimError keeps its name, anything else is
// reported as `library_error` with the library's message (the vector runner then shows it).
function errorOf(e) {
  if (e instanceof ShimError) return { error: e.errorName, detail: e.message };
  return { error: 'library_error', detail: String((e && e.message) || e).slice(0, 300) };
}

async function answer(ops, line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: 'bad_json', detail: 'not JSON' };
  }
  if (req === null || typeof req !== 'object' || Array.isArray(req)) {
    return { ok: false, error: 'bad_json', detail: 'not a JSON object' };
  }
  const resp = 'id' in req ? { id: req.id } : {};
  if (req.op === undefined) return Object.assign(resp, { ok: false, error: 'missing_field', detail: 'no op' });
  if (typeof req.op !== 'string') return Object.assign(resp, { ok: false, error: 'bad_field', detail: 'op is not a string' });
  if (req.op === 'list_ops') return Object.assign(resp, { ok: true, ops: Object.keys(ops).sort() });
  const fn = ops[req.op];
  if (!fn) return Object.assign(resp, { ok: false, error: 'unimplemented', detail: `no ${req.op} here` });
  try {
    const out = await fn(req);
    return Object.assign(resp, { ok: true }, out);
  } catch (e) {
    return Object.assign(resp, { ok: false }, errorOf(e));
  }
}

// The loop: one response per non-blank line, in order, flushed; exit 0 at end of input.
function run(ops, init) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let chain = init ? Promise.resolve().then(init) : Promise.resolve();
  rl.on('line', (line) => {
    if (!line.replace(/[ \t\r]/g, '')) return;
    chain = chain.then(async () => {
      const resp = await answer(ops, line);
      process.stdout.write(JSON.stringify(resp) + '\n');
    });
  });
  rl.on('close', () => {
    chain.then(() => process.exit(0));
  });
}

// Runs fn with module.exports[name] of mod replaced by repl (the library calls it through the
// module object at call time), restoring it afterwards. Used to inject fixed random bytes.
async function withPatched(mod, name, repl, fn) {
  const saved = mod[name];
  mod[name] = repl;
  try {
    return await fn();
  } finally {
    mod[name] = saved;
  }
}

// A source of fixed bytes: take(n) returns the next n bytes, failing when the stream runs out.
function fixedBytes(buf) {
  let off = 0;
  return (n) => {
    if (off + n > buf.length) throw new ShimError('bad_argument', 'the library asked for more random bytes than given');
    const out = Buffer.from(buf.subarray(off, off + n));
    off += n;
    return out;
  };
}

module.exports = {
  libDir,
  ROOT,
  MODULES_DIR,
  libRequire,
  libVersion,
  ShimError,
  unimplemented,
  hexField,
  numField,
  strField,
  onlyFields,
  hex,
  bigHex,
  bigToHex,
  bufToBig,
  requireBlocks,
  run,
  withPatched,
  fixedBytes,
};

// Runs `code` (a function source taking (args, libRequire) and returning a JSON value) in a
// worker thread and gives up after ms milliseconds: some library routines (pq factoring of a
// prime) never return, and a shim must keep answering.
function inWorker(fnSource, args, ms) {
  const { Worker } = require('worker_threads');
  const src = `const { parentPort, workerData } = require('worker_threads');
const { createRequire } = require('module');
const libRequire = createRequire(workerData.pkg);
Promise.resolve((${fnSource})(workerData.args, libRequire)).then((v) => parentPort.postMessage({ v }), (e) => parentPort.postMessage({ e: String(e && e.message || e) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { args, pkg: require('path').join(MODULES_DIR, 'package.json') } });
    const t = setTimeout(() => {
      w.terminate();
      reject(new ShimError('library_timeout', `the library did not return within ${ms} ms`));
    }, ms);
    w.once('message', (m) => {
      clearTimeout(t);
      w.terminate();
      if ('e' in m) reject(new Error(m.e));
      else resolve(m.v);
    });
    w.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}
module.exports.inWorker = inWorker;
