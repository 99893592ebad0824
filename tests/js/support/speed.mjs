import assert from "node:assert/strict";

// The speed of the machine a test runs on (a bounds child, a timed
// hostile case), for scaling its CPU budgets (README "Security"): a fixed workload that does not run groupgate
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

// The budgets of README "Security" hold on a machine that runs the workload
// in REFERENCE_MS of CPU; a slower one scales them, at least 1 and at most
// MAX_SCALE (README "Security": the reference and why 80).
export const REFERENCE_MS = 80;
export const MAX_SCALE = 3;

/** CPU milliseconds of this process (V8's threads too): waiting for a core does not count. */
export function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** This machine's scale for a budget: the workload's time over the reference, within [1, MAX_SCALE]. */
export function scaleOf(workloadMs) {
  return +Math.min(MAX_SCALE, Math.max(1, workloadMs / REFERENCE_MS)).toFixed(2);
}

let measured;
/** This process's scale, measured once (about three runs of the workload). */
export function machineScale() {
  measured ??= scaleOf(calibrationMs(cpuNow));
  return measured;
}

/**
 * Asserts that `ms` of CPU is within `budget`, a README budget at the
 * reference speed, on this machine; `what` names the call in the message.
 */
export function assertWithin(ms, budget, what) {
  let scale = machineScale();
  // Over its budget on the scale this process took when it first timed the
  // machine (maybe minutes ago: this VM's speed moves by 1.5x within
  // minutes), the machine is timed again beside the call, and the call is
  // judged on the slower scale. The workload runs no groupgate, so a slower
  // groupgate cannot buy itself time (as a bounds step: bounds.test.mjs).
  if (ms > budget * scale && scale < MAX_SCALE) scale = Math.max(scale, scaleOf(calibrationMs(cpuNow)));
  assert.ok(ms <= budget * scale, `${what}: ${+ms.toFixed(3)} ms CPU, over the ${budget} ms budget × ${scale} (this machine's speed)`);
}
