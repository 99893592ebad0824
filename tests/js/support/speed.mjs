// The speed of the machine a bounds child runs on, for scaling its CPU
// budgets (README "Security"): a fixed workload that does not run groupgate
// (so a slower groupgate cannot raise its own budgets) and pays what the
// bounds cases pay: objects, JSON and strings, a Map and a sort, random reads
// of a 32 MB array, and the first touch of every page of a fresh 64 MiB
// WebAssembly memory (page faults: about 3 µs a page on this project's VMs,
// the cost of a case that grows memory by hundreds of MB).

function workload() {
  let x = 0x9e3779b9 | 0;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const items = [];
  for (let i = 0; i < 10_000; i++) items.push({ id: `g${rnd().toString(36)}`, models: [rnd() % 1000, `m${i}`], on: (i & 1) === 0 });
  const byKey = new Map();
  for (const o of JSON.parse(JSON.stringify(items))) byKey.set(o.id + o.models[1], o);
  let sum = [...byKey.keys()].sort().length;
  const a = new Int32Array(8 << 20);
  for (let i = 0; i < a.length; i += 16) a[i] = i;
  for (let i = 0; i < 500_000; i++) sum += a[rnd() & (a.length - 1)];
  const memory = new WebAssembly.Memory({ initial: 1024 });
  const bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
  return sum + bytes[4096];
}

/** CPU milliseconds of the workload on `clock`: the least of `runs` (noise only adds time). */
export function calibrationMs(clock, runs = 3) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = clock();
    workload();
    best = Math.min(best, clock() - t);
  }
  return best;
}
