// Output of the groupgate CLI: text for people, json for programs, github
// for workflow annotations (::error file=…,line=…,col=…::…). Issues are
// located in the JSON files they point into.

const out = (s) => process.stdout.write(s + "\n");

/**
 * Where an issue points: the source whose prefix is the longest match of its
 * path, and the line and column of the value there (or of its nearest
 * ancestor in the file). `null` when it points into no file (e.g. --param).
 */
function locate(path, sources, position) {
  let best = null;
  for (const s of sources) {
    if ((path === s.prefix || path.startsWith(s.prefix + "/")) && (best === null || s.prefix.length > best.prefix.length)) best = s;
  }
  if (best === null) return null;
  const { line, column, exact } = best.src.at(path.slice(best.prefix.length));
  // A glob error's byte position, inside the string (past its opening quote).
  const inside = exact && position !== undefined ? 1 + position : 0;
  return { file: best.src.file, line, column: column + inside };
}

const escapeData = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function annotation(kind, loc, title, message) {
  const props = loc ? `file=${escapeProperty(loc.file)},line=${loc.line},col=${loc.column},` : "";
  return `::${kind} ${props}title=${escapeProperty(title)}::${escapeData(message)}`;
}

const KIND = { error: "error", warning: "warning", lint: "warning" };

function issueLine(format, issue, sources) {
  const loc = locate(issue.path, sources, issue.position);
  if (format === "github") {
    return annotation(KIND[issue.severity] ?? "error", loc, `groupgate ${issue.code}`, `${issue.path || "/"}: ${issue.message}`);
  }
  const where = loc ? `${loc.file}:${loc.line}:${loc.column}: ` : "";
  return `${where}${issue.severity} ${issue.path || "/"}: ${issue.message} (${issue.code})`;
}

const located = (issues, sources) => issues.map((i) => ({ ...i, location: locate(i.path, sources, i.position) }));

export const report = {
  verdict(format, v, sources, { incomplete }) {
    if (format === "json") {
      out(JSON.stringify({ ...v, errors: located(v.errors, sources), warnings: located(v.warnings, sources) }, null, 2));
      return;
    }
    for (const i of [...v.errors, ...v.warnings]) out(issueLine(format, i, sources));
    const file = sources[0].src.file;
    const skipped = v.skipped?.length ? `; skipped: ${v.skipped.join(", ")} (give --${v.skipped.join(", --")} to run them)` : "";
    const summary = `${file}: ${v.ok ? "accepted" : "refused"}, status ${v.status}` +
      `, ${v.errors.length} error(s), ${v.warnings.length} warning(s)${skipped}`;
    if (format === "github" && incomplete) out(annotation("error", { file, line: 1, column: 1 }, "groupgate incomplete", `--strict: checks skipped: ${v.skipped.join(", ")}`));
    out(summary);
    if (format === "text" && v.ok && v.changes !== undefined) out(`changes: ${JSON.stringify(v.changes)}`);
  },

  issues(format, issues, sources) {
    if (format === "json") {
      out(JSON.stringify(located(issues, sources), null, 2));
      return;
    }
    for (const i of issues) out(issueLine(format, i, sources));
    if (format === "text") out(issues.length === 0 ? "no findings" : `${issues.length} finding(s)`);
  },

  decision(format, e, full) {
    if (format === "json") {
      out(JSON.stringify(e, null, 2));
      return;
    }
    if (!full) {
      out(`${e.allowed ? "allowed" : "denied"}: ${e.message}`);
      return;
    }
    out(`${e.allowed ? "allowed" : "denied"} (${e.reason})`);
    out(e.message);
    for (const k of ["groupId", "ruleIndex", "ruleId", "effect", "pattern", "permission", "unknownGroups"]) {
      if (e[k] !== undefined) out(`  ${k}: ${Array.isArray(e[k]) ? e[k].join(", ") : e[k]}`);
    }
  },

  models(format, models) {
    if (format === "json") {
      out(JSON.stringify(models, null, 2));
      return;
    }
    if (models.length === 0) out("no models");
    for (const m of models) {
      out(m.slug);
      for (const [kind, list] of [["rate", m.rate_limits], ["usage", m.usage_limits]]) {
        for (const l of list) out(`  ${kind} ${l.type}/${l.unit} ${l.threshold}${l.source_group ? ` (set by ${l.source_group})` : ""}`);
      }
    }
  },

  githubError(loc, message) {
    out(annotation("error", loc, "groupgate", message));
  },
};
