// Shared by the runtime tests: the packed tarball installed into a fresh
// project, bounded child processes, free loopback ports.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = join(root, "pkg");
export const bin = (name) => join(root, "node_modules", ".bin", name);

/** `npm pack` of pkg/ installed (offline) into a new temporary project; `dispose()` removes it. */
export function installTarball(prefix, packageJson = { type: "module" }) {
  const dir = mkdtempSync(join(tmpdir(), `groupgate-${prefix}-`));
  const npm = (args) => execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: pkgDir, encoding: "utf8" })
    .trim().split("\n").pop();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, ...packageJson }));
  npm(["install", "--no-audit", "--no-fund", "--offline", join(dir, tarball)]);
  return { dir, tarball: join(dir, tarball), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command to completion within `timeoutMs` (killed after); returns { code, stdout, stderr }. */
export function run(cmd, args, { cwd, env, timeoutMs = 60_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} ${args.join(" ")}: no exit after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(input ?? "");
  });
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves truthy or `timeoutMs` passes. */
export async function waitFor(probe, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${last ? ` (${last.message})` : ""}`);
}

/** Baseten state shared by the runtime tests: a cascading root with a child. */
export const basetenState = {
  groups: [
    { id: "root", metadata: { external_entity_id: "r" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: null },
      models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1000 }] }] },
    { id: "team", metadata: { external_entity_id: "t" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "root" },
      models: [{ slug: "meta/llama" }] },
  ],
  keys: [{ prefix: "abc", group_id: "team" }],
};

// The file questions every entry answers (`groupgate` and `groupgate/files`):
// statements that define `policy` and `negation`, then the answers' members.
const fileQuestions = `
  const policy = new g.FilePolicy([{ id: "authors", permissions: ["documents"], filePermissions: [
    { effect: "allow", actions: ["visible", "modify"], patterns: "**" },
    { effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }]);
  let negation = null;
  try { g.globMatch("!foo", "foo"); } catch (e) { negation = (e instanceof g.GroupgateError) + ":" + e.code; }
  const back = g.FilePolicy.fromBytes(policy.toBytes());
`;
const fileAnswers = `
    version: g.version(),
    secret: policy.check(["authors"], "secrets/.env", "visible"),
    src: back.check(["authors"], "src/a.rs", "modify"),
    many: policy.checkMany(["authors"], ["a", "secrets/b", "c/d"], "visible"),
    reason: policy.explain(["authors"], "secrets/.env", "modify").reason,
    dirStar: g.globMatch("a/**", "a"),
    negation,
`;
const FILE_ANSWERS = {
  secret: false,
  src: true,
  many: [true, false, true],
  reason: "not visible",
  dirStar: true,
  negation: "true:glob.negation",
};

/**
 * The same calls in every runtime: the body of a function over the package's
 * exports (`g`) returning plain answers, compared by `checkAnswers`.
 */
export const probeBody = `
  const state = ${JSON.stringify(basetenState)};${fileQuestions}
  const ok = g.validate("baseten", { op: "update", params: { group_id: "team" }, body: { models: [] } }, { state });
  const bad = g.validate("baseten", { op: "update", params: { group_id: "team" },
    body: { models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 5000 }] }] } }, { state });
  const ws = g.Workspace.from(state);
  const answers = {${fileAnswers}
    ok: [ok.ok, ok.status],
    bad: [bad.ok, bad.status, bad.errors[0].code, bad.errors[0].path],
    source: ws.effectiveModels("team")[0].rate_limits[0].source_group,
    perms: g.permissionsOf("gorules", { permissions: ["documents:full"] }),
  };
  policy.free();
  back.free();
  ws.free();
  return answers;
`;

export function checkAnswers(assert, answers) {
  assert.match(answers.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual({ ...answers, version: "" }, {
    version: "",
    ...FILE_ANSWERS,
    ok: [true, 200],
    bad: [false, 400, "cascade.above_ancestor", "/body/models/0/rate_limits/0/threshold"],
    source: "root",
    perms: ["documents:edit-content", "documents:edit-view", "documents:full", "documents:view-content"],
  });
}

/** The file questions of `probeBody` and the entry's exports, for `groupgate/files` (file permissions only). */
export const filesProbeBody = `${fileQuestions}
  const answers = {${fileAnswers}
    exports: Object.keys(g).sort(),
  };
  policy.free();
  back.free();
  return answers;
`;

export function checkFilesAnswers(assert, answers) {
  assert.match(answers.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual({ ...answers, version: "" }, {
    version: "",
    ...FILE_ANSWERS,
    exports: ["FilePolicy", "GroupgateError", "globMatch", "init", "initSync", "pointerToPath", "version"],
  });
}

/**
 * Bundles `dir/worker.js` as wrangler does (esbuild; conditions workerd,
 * worker, browser; `.wasm` and `external` kept as modules), serves it with
 * workerd on a free 127.0.0.1 port (extra `modules` lines go into the
 * config), and waits until `ready(base)` is true. Returns `{ base, child,
 * logs() }`; kill `child` when done.
 */
export async function serveWorkerd(dir, { modules = [], external = [], ready }) {
  execFileSync(bin("esbuild"), ["worker.js", "--bundle", "--format=esm", "--conditions=workerd,worker,browser",
    "--external:*.wasm", ...external.map((e) => `--external:${e}`), "--outfile=dist/worker.js", "--log-level=warning"], { cwd: dir });
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "groupgate/groupgate.wasm", wasm = embed "node_modules/groupgate/wasm/groupgate_bg.wasm"),
${modules.map((m) => `    ${m},\n`).join("")}  ],
  compatibilityDate = "2024-09-23",
);
`);
  let logs = "";
  const child = spawn(bin("workerd"), ["serve", "config.capnp", "--verbose"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => (logs += d));
  child.stderr.on("data", (d) => (logs += d));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}: ${logs.slice(-2000)}`);
    return ready(base);
  }, 60_000, "workerd");
  return { base, child, logs: () => logs };
}
