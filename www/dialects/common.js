// What the dialect descriptors share: reading the sample state's groups
// (whatever JSON the user typed) and the target a request edits.

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The state's groups that are objects (a hand-edited state may hold anything). */
export function groupsOf(state) {
  return isObject(state) && Array.isArray(state.groups) ? state.groups.filter(isObject) : [];
}

/** Datalist suggestions: the string `key` of every group of the session's state. */
export const groupKeys = (key) => (ctx) => groupsOf(ctx.session.state).map((g) => g[key]).filter((v) => typeof v === "string");

/**
 * The target of an update: the group at request[where][key], found in the
 * state by its `key`, loaded into the form through `bodyOf`.
 */
export function target({ where = "params", key, stateKey = "id", bodyOf, label = (g) => g.name ?? g[stateKey] }) {
  return {
    where, key, bodyOf, label,
    idOf: (req) => (isObject(req?.[where]) ? req[where][key] : undefined),
    setId(req, id) {
      if (!isObject(req[where])) req[where] = {};
      req[where][key] = id;
    },
    find: (state, id) => (typeof id === "string" ? groupsOf(state).find((g) => g[stateKey] === id) : undefined),
    pointer: `/${where}/${key}`,
  };
}

export { isObject };

/** A path parameter as it goes into the URL, or `{name}` while it is missing. */
export const seg = (params, name) => {
  const v = isObject(params) ? params[name] : undefined;
  return typeof v === "string" && v !== "" ? encodeURIComponent(v) : `{${name}}`;
};
