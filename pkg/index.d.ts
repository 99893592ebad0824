// Types of the groupgate npm package.

/** A finding: where (JSON Pointer), what (stable code), and the human text. */
export interface Issue {
  path: string;
  code: string;
  message: string;
}

/** Thrown when the engine's own input (rules, state, options, a glob) is invalid. */
export declare class GroupgateError extends Error {
  readonly name: "GroupgateError";
  readonly issues: Issue[];
  /** The code of the first issue. */
  readonly code: string | undefined;
}

export type Dialect = "baseten" | "frontier" | "apinizer" | "conductor" | "gorules";

export type Op = "create" | "update" | "delete";

/** A request envelope: the operation, path parameters and JSON body. */
export interface Request<Body = unknown> {
  op: Op;
  params?: Record<string, string>;
  body?: Body;
}

/** What the server knows (`state`), who asks (`caller`), extra catalog entries. */
export interface Context {
  state?: Record<string, unknown>;
  caller?: Record<string, unknown>;
  catalog?: Record<string, unknown>;
  /** GoRules: project file paths, to report decisions a change flips. */
  files?: string[];
}

/** What the server would answer, with every error at once. */
export interface Verdict {
  ok: boolean;
  status: number;
  errors: Issue[];
  warnings: Issue[];
  /** The resource as the server would return it after the change. */
  next?: Record<string, unknown>;
  /** What the change does beyond the resource itself. */
  changes?: Record<string, unknown>;
  /** Checks skipped for lack of context, e.g. "state", "caller". */
  skipped?: string[];
}

export type FileAction = "visible" | "modify" | "write" | "delete";

export type GoRulesPermission =
  | "owner"
  | "documents"
  | "releases"
  | "releases:manage"
  | "releases:deploy"
  | "releases:delete"
  | "integrations:manage"
  | "documents:full"
  | "documents:view-content"
  | "documents:edit-content"
  | "documents:edit-view"
  | "branches"
  | "branches:create"
  | "branches:merge"
  | "branches:delete"
  | "project:manage"
  | "environments"
  | "environments:manage"
  | "environments:delete";

/** A GoRules file rule. `patterns`: globs separated by newlines or commas outside {} and [], or an array of globs. */
export interface FileRule {
  id?: string | null;
  effect: "allow" | "deny";
  actions?: FileAction[] | null;
  patterns?: string | string[] | null;
}

export interface FileGroup {
  id: string;
  permissions?: GoRulesPermission[];
  filePermissions?: FileRule[] | null;
}

export interface Limits {
  maxDepth?: number;
  maxGroups?: number;
  maxRules?: number;
  maxGlobBytes?: number;
  maxPathBytes?: number;
  maxStringBytes?: number;
}

export interface FilePolicyOptions {
  /** Fold ASCII case when matching (default false). */
  caseInsensitive?: boolean;
  limits?: Limits;
}

export type DecisionReason =
  | "owner"
  | "not visible"
  | "missing permission"
  | "permission"
  | "deny"
  | "allow"
  | "default deny";

export interface Explanation {
  allowed: boolean;
  reason: DecisionReason;
  message: string;
  groupId?: string;
  ruleIndex?: number;
  ruleId?: string;
  effect?: "allow" | "deny";
  pattern?: string;
  /** The permission that decided (owner, or the coarse permission). */
  permission?: GoRulesPermission;
}

export declare class FilePolicy {
  /** Compiles the groups' rules; throws GroupgateError listing every invalid rule. */
  constructor(groups: FileGroup[], options?: FilePolicyOptions);
  /** Lints groups that may not even compile: their construction errors, or the compiled policy's lint. */
  static lint(groups: FileGroup[], options?: FilePolicyOptions, files?: string[]): Issue[];
  check(groupIds: string[], path: string, action: FileAction): boolean;
  checkMany(groupIds: string[], paths: string[], action: FileAction): boolean[];
  explain(groupIds: string[], path: string, action: FileAction): Explanation;
  /** Dead, shadowed, duplicate-id and (given files) match-nothing rules. */
  lint(files?: string[]): Issue[];
  /** Frees the WASM memory now (GC also frees it). */
  free(): void;
  [Symbol.dispose](): void;
}

/** Validates a request of a dialect; never throws for invalid data. */
export declare function validate(dialect: Dialect, request: Request, context?: Context): Verdict;

/** The closure of a subject's permissions: roles expanded, implications applied, sorted. */
export declare function permissionsOf(
  dialect: Dialect,
  subject: { groups?: string[]; roles?: string[]; permissions?: string[] },
  context?: Context,
): string[];

/** Does the glob (groupgate dialect) match the path? Throws GroupgateError for a pattern outside the dialect. */
export declare function globMatch(pattern: string, path: string): boolean;

export declare function version(): string;

/** A Baseten rate or usage limit. */
export interface BasetenLimit {
  type: "TOKEN" | "REQUEST";
  unit: "SECOND" | "MINUTE" | "DAY";
  threshold: number;
}

export interface BasetenModel {
  slug: string;
  rate_limits?: BasetenLimit[];
  usage_limits?: BasetenLimit[];
}

export interface BasetenGroup {
  id: string;
  metadata: { name?: string | null; external_entity_id: string };
  models?: BasetenModel[];
  hierarchy: { limit_enforcement: "INDEPENDENT" | "CASCADING"; parent_group_id?: string | null };
  workspace_id?: string;
  deleted?: boolean;
}

export interface ApiKey {
  prefix: string;
  group_id: string;
  name?: string;
}

export interface EffectiveLimit extends BasetenLimit {
  /** The id of the group that set the binding (smallest) threshold. */
  source_group: string | null;
}

export interface EffectiveModel {
  slug: string;
  rate_limits: EffectiveLimit[];
  usage_limits: EffectiveLimit[];
}

export interface BasetenCaller {
  scope?: string | string[];
  workspace_id?: string;
}

export declare class Workspace {
  private constructor();
  /** Validates the state (dangling parents, cycles, depth, mixed modes, duplicates); throws GroupgateError. */
  static from(state: { groups: BasetenGroup[]; keys?: ApiKey[] }): Workspace;
  effectiveModels(groupId: string): EffectiveModel[];
  /** Same as validate("baseten", request, { state, caller }), without rebuilding the state. */
  preview(request: Request, caller?: BasetenCaller): Verdict;
  free(): void;
  [Symbol.dispose](): void;
}
