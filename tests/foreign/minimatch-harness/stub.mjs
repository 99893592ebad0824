// Stand-in for minimatch's own module ('../dist/esm/index.js', '../src/index.js',
// '../src/ast.js') while the extractor evaluates minimatch's test files.
// Everything that answers "does this path match?" returns a token that records
// the question; the `tap` stand-in (tap.mjs) turns a token plus the expected
// value of the assertion into a case row. Everything else (escape, AST, .set,
// globParts) is the real library built from the pinned commit.
const real = globalThis.__MM_REAL;
const rec = globalThis.__MM_REC;

// Read when the module is evaluated, like minimatch's own `defaultPlatform`;
// t.mockImport() evaluates a fresh copy.
const modulePlatform = process.env.__MINIMATCH_TESTING_PLATFORM__;

// The platform is recorded only where a test chose it (the library's default
// is process.platform; the extractor asks it with "linux").
const withPlatform = (options) => (modulePlatform ? { platform: modulePlatform, ...options } : { ...options });

export class MatchToken {
  constructor(method, pattern, path, options) {
    Object.assign(this, { method, pattern, path, options, site: rec.site() });
    rec.open.add(this);
  }
}
/** A list answer (match(), braceExpand()) that still behaves as the real array. */
export class ListToken extends Array {
  static get [Symbol.species]() {
    return Array;
  }
}
const listToken = (items, info) => {
  const t = ListToken.from(items);
  Object.defineProperty(t, "info", { value: { ...info, site: rec.site() } });
  return t;
};

function make(defaults) {
  const opts = (o) => withPlatform({ ...defaults, ...(o || {}) });
  const mm = (path, pattern, o) => new MatchToken("minimatch", pattern, path, opts(o));
  class Minimatch extends real.Minimatch {
    constructor(pattern, o) {
      super(pattern, opts(o));
      this.__pattern = pattern;
      this.__options = opts(o);
    }
    match(path, partial) {
      const o = partial ? { ...this.__options, partial: true } : this.__options;
      return new MatchToken("Minimatch.match", this.__pattern, path, o);
    }
    makeRe() {
      const [pattern, o] = [this.__pattern, this.__options];
      return { test: (path) => new MatchToken("makeRe", pattern, path, o) };
    }
    static defaults(d) {
      return make({ ...defaults, ...d }).Minimatch;
    }
  }
  mm.Minimatch = Minimatch;
  mm.match = (list, pattern, o) =>
    listToken(list, { kind: "match", pattern, list: [...list], options: opts(o) });
  mm.filter = (pattern, o) => (path) => {
    rec.pendingFilter.push({ pattern, path, options: opts(o), site: rec.site() });
    return true;
  };
  mm.makeRe = (pattern, o) => ({
    test: (path) => new MatchToken("makeRe", pattern, path, opts(o)),
  });
  mm.braceExpand = (pattern, o) =>
    listToken(real.braceExpand(pattern, opts(o)), { kind: "braceExpand", pattern, options: opts(o) });
  mm.defaults = (d) => (!d || Object.keys(d).length === 0 ? mm : make({ ...defaults, ...d }));
  mm.escape = (s, o) => real.escape(s, { ...defaults, ...(o || {}) });
  mm.unescape = (s, o) => real.unescape(s, { ...defaults, ...(o || {}) });
  mm.AST = real.AST;
  mm.GLOBSTAR = real.GLOBSTAR;
  mm.sep = real.sep;
  return mm;
}

export const minimatch = make({});
export default minimatch;
export const Minimatch = minimatch.Minimatch;
export const match = minimatch.match;
export const filter = minimatch.filter;
export const makeRe = minimatch.makeRe;
export const braceExpand = minimatch.braceExpand;
export const escape = real.escape;
export const unescape = real.unescape;
export const AST = real.AST;
export const GLOBSTAR = real.GLOBSTAR;
export const sep = real.sep;
