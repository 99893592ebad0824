// Two packages' Node entries (groupgate or groupgate/files) answer alike: checks that match and
// miss, snapshots both ways, explain, lint, errors, globMatch, version, and in the full entry a
// validation and a catalog; and what the first call of each kind costs (CPU, ms)
// in the second: a fresh process's first lint, explain and error pay for the secondary module.
//   node benches/split/same.mjs DIR_A DIR_B   (each DIR/node.mjs)
import { mixedCorpus } from "../shapes.mjs";

const corpus = mixedCorpus(1000);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const answers = async (dir) => {
  const G = await import(`${dir}/node.mjs`);
  const ids = corpus.groups.map((g) => g.id), out = [], first = {};
  const timed = (name, f) => { const t = cpu(); const v = f(); first[name] = +(cpu() - t).toFixed(2); return v; };
  const p = timed("build", () => new G.FilePolicy(corpus.groups));
  corpus.rules.forEach((r, i) => {
    const path = r.glob.replace(/\*\*?/g, "x").replace(/[{}[\]?!,]/g, "");
    for (const a of ["visible", "modify", "write", "delete"]) out.push(p.check([ids[i % ids.length], ids[(i * 7) % ids.length]], path, a));
  });
  const bytes = timed("toBytes", () => p.toBytes());
  out.push(bytes.length, timed("fromBytes", () => G.FilePolicy.fromBytes(bytes)).check([ids[1]], "a0/x/b/y", "visible"));
  out.push(timed("explain", () => p.explain([ids[0]], "src/m4/file4.js", "write")), timed("lint", () => p.lint()));
  for (const bad of ["{bad", [{ id: "x", rules: [{ glob: "a/***", effect: "allow", actions: ["write"] }] }]]) {
    try { new G.FilePolicy(bad); out.push("accepted"); } catch (e) { out.push(e.message); }
  }
  out.push(G.globMatch("src/**/*.{js,ts}", "src/a/b.ts"), G.version());
  if (G.validate) {
    out.push(timed("validate", () => G.validate("frontier", { op: "create", body: { name: "Team One", orgId: "o1" } })));
    out.push(G.catalog("baseten"));
  }
  return { out: JSON.stringify(out), allowed: out.filter((x) => x === true).length, first };
};
const [a, b] = process.argv.slice(2);
const A = await answers(a), B = await answers(b);
console.log(`same answers: ${A.out === B.out} (${A.allowed} allowed); first calls, ms CPU: ${JSON.stringify(B.first)}`);
if (A.out !== B.out) process.exit(1);
