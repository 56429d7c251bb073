// @ts-check
/*
 * The calculators' start-up snapshot as it travels: Pyodide's memory (about 31 MB) without its
 * long runs of zeros (about 45 % of it), gzipped. Unzipping costs time in proportion to what
 * comes out, so leaving the zeros out makes the page's start faster; the page puts them back
 * by allocating the memory zeroed and copying the rest in.
 *
 * Layout (little-endian): "CSNAP1\0\0", the memory's length (u32), the number of pieces (u32),
 * then each piece: its offset (u32), its length (u32) and its bytes.
 * cslibrary/site/snapshot.mjs packs it at build time; calculators-worker.js and the Node tests
 * unpack it.
 */

var MAGIC = "CSNAP1\0\0";
/** Zeros shorter than this stay in a piece (each piece costs 8 bytes of header). */
var MIN_GAP = 4096;

/**
 * @param {Uint8Array} memory
 * @returns {Uint8Array}
 */
export function pack(memory) {
  /** @type {[number, number][]} */
  var pieces = [];
  var start = -1;
  var zeros = 0;
  for (var i = 0; i < memory.length; i++) {
    if (memory[i] === 0) {
      zeros++;
      if (zeros === MIN_GAP && start >= 0) {
        pieces.push([start, i - MIN_GAP + 1 - start]);
        start = -1;
      }
    } else {
      if (start < 0) start = i;
      zeros = 0;
    }
  }
  if (start >= 0) pieces.push([start, memory.length - start]);
  var size = 16 + pieces.reduce(function (n, p) {
    return n + 8 + p[1];
  }, 0);
  var out = new Uint8Array(size);
  var view = new DataView(out.buffer);
  for (var k = 0; k < MAGIC.length; k++) out[k] = MAGIC.charCodeAt(k);
  view.setUint32(8, memory.length, true);
  view.setUint32(12, pieces.length, true);
  var at = 16;
  pieces.forEach(function (p) {
    view.setUint32(at, p[0], true);
    view.setUint32(at + 4, p[1], true);
    out.set(memory.subarray(p[0], p[0] + p[1]), at + 8);
    at += 8 + p[1];
  });
  return out;
}

/**
 * @param {Uint8Array} packed
 * @returns {Uint8Array} the memory, zeros put back
 */
export function unpack(packed) {
  for (var k = 0; k < MAGIC.length; k++) {
    if (packed[k] !== MAGIC.charCodeAt(k)) throw new Error("not a packed calculators snapshot");
  }
  var view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  var memory = new Uint8Array(view.getUint32(8, true));
  var count = view.getUint32(12, true);
  var at = 16;
  for (var p = 0; p < count; p++) {
    var offset = view.getUint32(at, true);
    var length = view.getUint32(at + 4, true);
    if (at + 8 + length > packed.length || offset + length > memory.length) throw new Error("the snapshot is truncated");
    memory.set(packed.subarray(at + 8, at + 8 + length), offset);
    at += 8 + length;
  }
  return memory;
}
