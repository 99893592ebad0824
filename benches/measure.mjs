// One benchmark worker (spawned by benches/run.mjs, a fresh Node process per
// corpus family): builds every peer from each corpus, checks that every peer
// gives groupgate's decision on every query (or exits 1), then times single
// checks side by side (and checkMany for the headline corpus).
import * as P from "./peers.mjs";
import { shapeCorpus, mixedCorpus } from "./shapes.mjs";
import { corpus as trieCorpus } from "./corpus.mjs";
import { median, timeCalls, fmtTime, loadNow } from "./lib.mjs";

/** The corpus families: which corpus, which peers. casbin's check grows with the rules (ms at 10,000): it runs up to 1,000. */
export function family(spec, n) {
  if (spec.startsWith("shape:")) return { c: shapeCorpus(spec.slice(6), n), peers: ["groupgate", "picomatch"] };
  if (spec === "mixed") return { c: mixedCorpus(n), peers: n <= 1000 ? ["groupgate", "picomatch", "casbin"] : ["groupgate", "picomatch"], many: true };
  if (spec === "trie") return { c: { ...trieCorpus(n), id: `trie-${n}` }, peers: ["groupgate", "picomatch", "casbin", "cedar-wasm"] };
  throw new Error(`unknown corpus family ${spec}`);
}

const builders = { groupgate: P.groupgate, picomatch: P.picomatchPeer, casbin: P.casbinPeer, "cedar-wasm": P.cedarPeer };

/** groupgate's decision on every query of c (the answers every peer must give). */
export function decisions(c, peer = P.groupgate(c)) {
  return c.queries.map((q) => peer.check(q.member, q.path, q.action));
}

export async function measure(spec, n, { quick = false } = {}) {
  const { c, peers: names, many } = family(spec, n);
  const res = { id: c.id, rules: n, queries: c.queries.length, peers: names };
  const peers = {};
  for (const name of names) {
    let t = performance.now();
    peers[name] = await builders[name](c);
    const first = (performance.now() - t) * 1000;
    const again = [];
    for (let k = 0, spent = first; k < (quick || !many ? 1 : 4) && spent < 6e5; k++) {
      t = performance.now();
      const peer = await builders[name](c);
      again.push((performance.now() - t) * 1000);
      spent += again.at(-1);
      peer.policy?.free();
    }
    res[name] = { buildFirst: first, build: again.length ? median(again) : first };
  }
  const want = decisions(c, peers.groupgate);
  res.allowed = want.filter(Boolean).length;
  for (const name of names) {
    const t = performance.now();
    const bad = [];
    c.queries.forEach((q, i) => {
      const got = peers[name].check(q.member, q.path, q.action);
      if (got !== want[i]) bad.push({ member: c.members[q.member], path: q.path, action: q.action, [name]: got, groupgate: want[i] });
    });
    if (bad.length) {
      console.error(`FAIL: ${name} differs from groupgate on ${bad.length} of ${c.queries.length} queries of ${c.id}, e.g.`, bad.slice(0, 5));
      process.exit(1);
    }
    res[name].estimate = ((performance.now() - t) * 1000) / c.queries.length;
  }
  const qs = c.queries;
  for (const name of names) {
    const check = peers[name].check;
    const t = await timeCalls(`${name}/${c.id}`, (i) => { const q = qs[i % qs.length]; return check(q.member, q.path, q.action); },
      res[name].estimate, { time: quick ? 100 : many ? 400 : 200 });
    Object.assign(res[name], t);
  }
  if (many) {
    const gp = peers.groupgate.policy;
    c.members.forEach((gs, m) => {
      for (const action of ["visible", "modify"]) {
        const got = gp.checkMany(gs, c.memberPaths[m], action);
        c.memberPaths[m].forEach((p, k) => {
          if (got[k] !== gp.check(gs, p, action)) { console.error(`FAIL: checkMany differs from check (${c.id}, ${p})`); process.exit(1); }
        });
      }
    });
    const big = c.memberPaths.map((ps) => Array.from({ length: 1024 }, (_, k) => ps[k % ps.length]));
    const t = await timeCalls(`checkMany/${c.id}`, (i) => gp.checkMany(c.members[i % c.members.length], big[i % c.members.length], i & 2 ? "modify" : "visible"),
      res.groupgate.median * 1024, { time: quick ? 100 : 300 });
    res.many1024 = { median: t.median / 1024, load: t.load };
  }
  for (const name of names) peers[name].policy?.free();
  console.log(`${c.id}: ${res.allowed}/${res.queries} allowed, every peer agrees; ` +
    names.map((p) => `${p} ${fmtTime(res[p].median)}`).join(", ") + ` (load ${loadNow()})`);
  return res;
}
