// Every enum the console offers comes from here, and here from the engine:
// `catalog(dialect)` of the package ({dialect, permissions, roles, enums}).
// The fallback below only serves a package built before `catalog` existed;
// it is the one copy in www/ and goes away once every build has `catalog`.
import * as engine from "/pkg/web.js";

const FALLBACK = {
  baseten: { permissions: [], roles: [], enums: {
    rateLimitType: ["TOKEN", "REQUEST"], rateLimitUnit: ["SECOND", "MINUTE", "DAY"],
    usageLimitUnit: ["SECOND", "MINUTE", "DAY"], limitEnforcement: ["CASCADING", "INDEPENDENT"],
    scope: ["management", "inference"] } },
  frontier: { permissions: ["app_organization_groupcreate", "app_organization_administer", "app_group_update", "app_group_delete"],
    roles: ["app_organization_owner", "app_organization_manager", "app_organization_viewer", "app_organization_member"].map((name) => ({ name, permissions: [] })),
    enums: {} },
  apinizer: { permissions: ["API_MANAGEMENT+MANAGE", "API_MANAGEMENT+DEPLOY_UNDEPLOY", "API_MANAGEMENT+VIEW"], roles: [],
    enums: { method: ["GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE", "PATCH", "TRACE", "ALL"] } },
  conductor: { permissions: [],
    roles: ["ADMIN", "METADATA_MANAGER", "USER", "WORKER", "METADATA_API", "WORKFLOW_MANAGER", "USER_READ_ONLY"].map((name) => ({ name, permissions: [] })),
    enums: { accessTarget: ["WORKFLOW_DEF", "TASK_DEF", "WORKFLOW_SCHEDULE"], accessKind: ["CREATE", "READ", "UPDATE", "EXECUTE", "DELETE"] } },
  gorules: { permissions: [
    "owner", "documents", "documents:full", "documents:edit-content", "documents:view-content", "documents:edit-view",
    "releases", "releases:manage", "releases:deploy", "releases:delete", "integrations:manage",
    "branches", "branches:create", "branches:merge", "branches:delete", "project:manage",
    "environments", "environments:manage", "environments:delete"], roles: [],
  enums: { fileAction: ["visible", "modify", "write", "delete"], effect: ["allow", "deny"] } },
};

const cache = new Map();

/** The engine's catalog of `dialect`: { dialect, permissions, roles: [{name, permissions, note?}], enums }. */
export function catalogOf(dialect) {
  if (!cache.has(dialect)) {
    let c = null;
    if (typeof engine.catalog === "function") {
      try {
        c = engine.catalog(dialect);
      } catch {
        c = null;
      }
    }
    cache.set(dialect, c ?? { dialect, ...FALLBACK[dialect] });
  }
  return cache.get(dialect);
}

/** One enum of the dialect's catalog (an empty list when the engine has none of that name). */
export const enumOf = (dialect, name) => catalogOf(dialect).enums?.[name] ?? [];
/** The names of the dialect's built-in roles. */
export const roleNames = (dialect) => (catalogOf(dialect).roles ?? []).map((r) => r.name);
/** The dialect's permissions. */
export const permissionNames = (dialect) => catalogOf(dialect).permissions ?? [];
