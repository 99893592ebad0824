// Every enum the console offers comes from here, and here from the engine:
// `catalog(dialect)` of the package ({dialect, permissions, roles, enums}),
// read once per dialect. The console keeps no list of its own.
import { catalog } from "/pkg/web.js";

const cache = new Map();

/** The engine's catalog of `dialect`: { dialect, permissions, roles: [{name, permissions, note?}], enums }. */
export function catalogOf(dialect) {
  if (!cache.has(dialect)) cache.set(dialect, catalog(dialect));
  return cache.get(dialect);
}

/** One enum of the dialect's catalog (an empty list when the engine has none of that name). */
export const enumOf = (dialect, name) => catalogOf(dialect).enums?.[name] ?? [];
/** The names of the dialect's built-in roles. */
export const roleNames = (dialect) => (catalogOf(dialect).roles ?? []).map((r) => r.name);
/** The dialect's permissions. */
export const permissionNames = (dialect) => catalogOf(dialect).permissions ?? [];
