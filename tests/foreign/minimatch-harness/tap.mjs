// Stand-in for `tap` while the extractor evaluates minimatch's test files: an
// assertion whose actual value is a question token from stub.mjs becomes a
// case row with the assertion's expected value; every other assertion
// (snapshots, timings, parser internals) is ignored. t.throws() never calls
// its function (the stand-ins throw nothing).
const rec = globalThis.__MM_REC;

class Test {
  constructor(name, parent) {
    this.name = parent && parent.name ? `${parent.name} > ${name}` : name;
    this.queue = [];
    this.teardowns = [];
  }
  test(name, ...rest) {
    const fn = rest.find((x) => typeof x === "function");
    if (fn) this.queue.push([String(name), fn]);
    return Promise.resolve();
  }
  async run(fn) {
    await fn(this);
    for (let i = 0; i < this.queue.length; i++) {
      const [name, f] = this.queue[i];
      await new Test(name, this).run(f);
    }
    for (const f of this.teardowns) f();
  }
  // --- recorded assertions
  equal(actual, expected) {
    rec.assert(this, actual, expected);
  }
  strictEqual(actual, expected) {
    rec.assert(this, actual, expected);
  }
  ok(actual) {
    rec.assert(this, actual, true);
  }
  notOk(actual) {
    rec.assert(this, actual, false);
  }
  same(actual, expected) {
    rec.assertList(this, actual, expected);
  }
  strictSame(actual, expected) {
    rec.assertList(this, actual, expected);
  }
  // --- ignored
  not() {}
  match() {}
  throws() {}
  matchSnapshot() {}
  comment() {}
  plan() {}
  end() {}
  pass() {}
  teardown(f) {
    this.teardowns.push(f);
  }
  async mockImport() {
    return import(`./__stub.mjs?mock=${++rec.mocks}`);
  }
}

export const root = new Test("");
const t = root;
export default t;
export const test = (...a) => root.test(...a);
