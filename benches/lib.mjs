// Helpers shared by the benchmark scripts: statistics, formatting, timing.
import { loadavg } from "node:os";
import { Bench } from "tinybench";

export const median = (xs) => quantile(xs, 0.5);
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}
export function fmtTime(us) {
  if (us == null || Number.isNaN(us)) return "–";
  if (us < 1) return `${(us * 1000).toFixed(0)} ns`;
  if (us < 1000) return `${us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}
export const fmtRatio = (r) => (r == null || Number.isNaN(r) ? "–" : r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);
export const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
export const n0 = (n) => n.toLocaleString("en-US");
/** The 1-minute load average now, for the note beside a figure. */
export const loadNow = () => loadavg()[0].toFixed(1);

/**
 * Times `fn(i)` (one call per i) with tinybench: each tinybench iteration runs
 * `batch` calls, so per-call samples stay well above the timer's resolution.
 * Returns per-call {median, p95, cpu} in µs, the sample count and the load average.
 */
export async function timeCalls(label, fn, perCallUs, { time = 300, minIterations = 5 } = {}) {
  const batch = Math.max(1, Math.min(4096, Math.round(200 / Math.max(perCallUs, 1e-3))));
  let i = 0, calls = 0;
  const bench = new Bench({ time, iterations: minIterations, warmupTime: 50, warmupIterations: 2, retainSamples: true });
  bench.add(label, () => {
    for (let k = 0; k < batch; k++) fn(i++);
    calls += batch;
  });
  const cpu0 = process.cpuUsage();
  await bench.run();
  const cpu = process.cpuUsage(cpu0);
  const r = bench.tasks[0].result;
  if (r.error) throw r.error;
  const samples = [...r.latency.samples].map((ms) => (ms * 1000) / batch);
  // cpu: CPU time per call over the whole run (µs), which a loaded machine inflates less than wall time.
  return { median: median(samples), p95: quantile(samples, 0.95), cpu: (cpu.user + cpu.system) / calls, samples: samples.length, batch, load: loadNow() };
}

/** Milliseconds of one call of `f`. */
export function ms(f) {
  const t = performance.now();
  f();
  return performance.now() - t;
}
