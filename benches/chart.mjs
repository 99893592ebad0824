// benches/chart.svg: median check time per engine and rule count on the mixed
// corpus, grouped bars on a log scale. Plain SVG, no tools needed.
const COLORS = { groupgate: "#2b7a3d", "groupgate (native)": "#8fc79a", "globset (native)": "#6b6b6b", picomatch: "#3b6fb6", casbin: "#c27a1a" };
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");

function axis(us) {
  if (us < 1) return `${Math.round(us * 1000)} ns`;
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1e6) return `${Math.round(us / 1000)} ms`;
  return `${Math.round(us / 1e6)} s`;
}

function label(us) {
  if (us < 1) return `${(us * 1000).toFixed(0)} ns`;
  if (us < 1000) return `${us < 10 ? us.toFixed(1) : us.toFixed(0)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 1 : 0)} ms`;
  return `${(us / 1e6).toFixed(1)} s`;
}

export function chart({ SIZES: sizes, mixed, native }) {
  const series = ["groupgate", "groupgate (native)", "globset (native)", "picomatch", "casbin"];
  const value = (n, s) => (s === "groupgate (native)" ? native.check[`mixed-${n}`]?.groupgate
    : s === "globset (native)" ? native.check[`mixed-${n}`]?.globset : mixed[n]?.[s]?.median);
  const all = sizes.flatMap((n) => series.map((s) => value(n, s))).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all))), hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const W = 860, H = 420, left = 70, right = 20, top = 50, bottom = 70;
  const plotW = W - left - right, plotH = H - top - bottom;
  const y = (v) => top + plotH - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const groupW = plotW / sizes.length, barW = (groupW * 0.8) / series.length;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">One file check, mixed corpus: median time per call (log scale; lower is better)</text>`);
  for (let e = Math.log10(lo); e <= Math.log10(hi); e++) {
    const v = 10 ** e, yy = y(v).toFixed(1);
    out.push(`<line x1="${left}" x2="${W - right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${yy}" dy="4" text-anchor="end" fill="#555">${esc(axis(v))}</text>`);
  }
  sizes.forEach((n, gi) => {
    const x0 = left + gi * groupW + groupW * 0.1;
    series.forEach((s, si) => {
      const v = value(n, s);
      if (!(v > 0)) return;
      const x = x0 + si * barW, yy = y(v);
      out.push(`<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(top + plotH - yy).toFixed(1)}" fill="${COLORS[s]}"><title>${esc(`${s}, ${n} rules: ${label(v)}`)}</title></rect>`);
      out.push(`<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(yy - 4).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${esc(label(v))}</text>`);
    });
    out.push(`<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle">${n.toLocaleString("en-US")} rules</text>`);
  });
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#999"/>`);
  let lx = left;
  for (const s of series) {
    const text = s === "groupgate" ? "groupgate (Node, WASM)" : s.includes("native") ? s.replace("native", "native Rust") : `${s} (Node)`;
    out.push(`<rect x="${lx}" y="${H - 28}" width="12" height="12" fill="${COLORS[s]}"/><text x="${lx + 16}" y="${H - 18}">${esc(text)}</text>`);
    lx += 24 + text.length * 6.6;
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
