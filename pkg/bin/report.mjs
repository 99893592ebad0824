// Output of the groupgate CLI: text for people, json for programs, github
// for workflow annotations (::error file=…,line=…,col=…::…). Issues are
// located in the JSON files they point into.

const out = (s) => process.stdout.write(s + "\n");

// One line of text output. Paths, messages and ids come from the files a
// pull request can change: a raw newline in a member name would start a line
// a CI runner reads as a command (GitHub's `::error …::`, `::stop-commands::`),
// and an escape character would drive the terminal. Control characters are
// written as JSON writes them inside a string.
const SHORT = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
export const oneLine = (s) =>
  s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const line = (s) => out(oneLine(s));

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
    for (const i of [...v.errors, ...v.warnings]) line(issueLine(format, i, sources));
    const file = sources[0].src.file;
    const skipped = v.skipped?.length ? `; skipped: ${v.skipped.join(", ")} (give --${v.skipped.join(", --")} to run them)` : "";
    // With --strict an accepted but incomplete verdict exits 1: said here,
    // or the text read "accepted" beside a failing exit code.
    const strict = incomplete && v.ok ? "; incomplete, so refused under --strict" : "";
    const summary = `${file}: ${v.ok ? "accepted" : "refused"}, status ${v.status}` +
      `, ${v.errors.length} error(s), ${v.warnings.length} warning(s)${skipped}${strict}`;
    if (format === "github" && incomplete) line(annotation("error", { file, line: 1, column: 1 }, "groupgate incomplete", `--strict: checks skipped: ${v.skipped.join(", ")}`));
    line(summary);
    if (format === "text" && v.ok && v.changes !== undefined) line(`changes: ${JSON.stringify(v.changes)}`);
  },

  issues(format, issues, sources) {
    if (format === "json") {
      out(JSON.stringify(located(issues, sources), null, 2));
      return;
    }
    for (const i of issues) line(issueLine(format, i, sources));
    if (format === "text") line(issues.length === 0 ? "no findings" : `${issues.length} finding(s)`);
  },

  decision(format, e, full) {
    if (format === "json") {
      out(JSON.stringify(e, null, 2));
      return;
    }
    if (!full) {
      line(`${e.allowed ? "allowed" : "denied"}: ${e.message}`);
      return;
    }
    line(`${e.allowed ? "allowed" : "denied"} (${e.reason})`);
    line(e.message);
    for (const k of ["groupId", "ruleIndex", "ruleId", "effect", "pattern", "permission", "unknownGroups"]) {
      if (e[k] !== undefined) line(`  ${k}: ${Array.isArray(e[k]) ? e[k].join(", ") : e[k]}`);
    }
  },

  models(format, models) {
    if (format === "json") {
      out(JSON.stringify(models, null, 2));
      return;
    }
    if (models.length === 0) line("no models");
    for (const m of models) {
      line(m.slug);
      for (const [kind, list] of [["rate", m.rate_limits], ["usage", m.usage_limits]]) {
        for (const l of list) line(`  ${kind} ${l.type}/${l.unit} ${l.threshold}${l.source_group ? ` (set by ${l.source_group})` : ""}`);
      }
    }
  },

  githubError(loc, message) {
    line(annotation("error", loc, "groupgate", message));
  },
};
