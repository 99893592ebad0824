// Types of the groupgate npm package.

declare global {
  // `FilePolicy` and `Workspace` implement `[Symbol.dispose]` (for `using`);
  // declared here too (as lib.esnext.disposable and @types/node do) so the
  // types compile with an ES2022 lib alone.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

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

/** Catalog entries added to (or replacing) a dialect's built-in roles and permissions. */
export interface Catalog {
  /** Role name → the permissions it grants. */
  roles?: Record<string, string[]>;
  /** Permission → the permissions it implies. */
  permissions?: Record<string, string[]>;
}

/** What the server knows (`state`), who asks (`caller`), extra catalog entries. */
export interface Context<State = Record<string, unknown>, Caller = Record<string, unknown>> {
  state?: State;
  caller?: Caller;
  catalog?: Catalog;
  /** GoRules: project file paths, to report decisions a change flips. */
  files?: string[];
  /** SPEC §4 limits for this call (defaults otherwise). */
  limits?: Limits;
}

/**
 * What the server would answer, with every error at once. `Verdict` alone is
 * the type of every verdict; `validate` returns each dialect's `next` and
 * `changes` shapes (plain objects for untyped calls).
 */
export interface Verdict<Next = unknown, Changes = unknown> {
  ok: boolean;
  /** 200/201 when accepted; 400, 403, 404 or 409 as the server would answer. */
  status: number;
  errors: Issue[];
  warnings: Issue[];
  /** The resource as the server would return it after the change. */
  next?: Next;
  /** What the change does beyond the resource itself. */
  changes?: Changes;
  /** Checks skipped for lack of context, e.g. "state", "caller". */
  skipped?: Array<"state" | "caller" | (string & {})>;
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
  /** GoRules project version (default "v1"): v1 gates file actions on the documents permissions; v2 (Git-like) needs no permission to see a file and `branches:create` to change one. */
  projectVersion?: "v1" | "v2";
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
  /** Loads a policy saved by `toBytes()` without parsing JSON or globs. Throws GroupgateError (`snapshot.foreign`, `snapshot.version`, `snapshot.truncated`, `snapshot.corrupt`) for anything else. */
  static fromBytes(bytes: Uint8Array): FilePolicy;
  /** The compiled policy as a versioned, checksummed snapshot. */
  toBytes(): Uint8Array;
  check(groupIds: string[], path: string, action: FileAction): boolean;
  checkMany(groupIds: string[], paths: string[], action: FileAction): boolean[];
  explain(groupIds: string[], path: string, action: FileAction): Explanation;
  /** Dead, shadowed, duplicate-id and (given files) match-nothing rules. */
  lint(files?: string[]): Issue[];
  /** Frees the WASM memory now (GC also frees it). */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Validates a request of a dialect; never throws for invalid data (a malformed
 * request is a 400 verdict). The typed overloads check the documented shapes;
 * the last one takes any plain objects.
 */
export declare function validate(dialect: "baseten", request: BasetenRequest, context?: BasetenContext): Verdict<BasetenGroup, BasetenChanges>;
export declare function validate(dialect: "frontier", request: FrontierRequest, context?: FrontierContext): Verdict<FrontierGroup>;
export declare function validate(dialect: "apinizer", request: ApinizerRequest, context?: ApinizerContext): Verdict<ApinizerGroup>;
export declare function validate(dialect: "conductor", request: ConductorRequest, context?: ConductorContext): Verdict<ConductorGroupResponse, ConductorChanges>;
export declare function validate(dialect: "gorules", request: GoRulesRequest, context?: GoRulesContext): Verdict<GoRulesGroup, GoRulesChanges>;
export declare function validate(
  dialect: Dialect,
  request: Request | Record<string, unknown>,
  context?: Context,
): Verdict<Record<string, unknown>, Record<string, unknown>>;

/** Who holds permissions: group ids (resolved through `context.state`), roles, direct permissions. */
export interface Subject {
  groups?: string[];
  roles?: string[];
  permissions?: string[];
}

/**
 * The closure of a subject's permissions: roles expanded, implications applied,
 * sorted. Throws GroupgateError (`enum`) for unknown names.
 */
export declare function permissionsOf(dialect: Dialect, subject: Subject, context?: Context): string[];

/** One built-in role of a {@link DialectCatalog}. */
export interface CatalogRole {
  name: string;
  /** The permissions the role grants (empty when the product does not publish them). */
  permissions: string[];
  /** Why the list is what it is, where that needs saying (e.g. an opaque role). */
  note?: string;
}

/**
 * What a dialect knows by name, read from the tables its validator uses.
 * Enum names: baseten `rateLimitType`, `rateLimitUnit`, `usageLimitUnit`,
 * `limitEnforcement`, `scope`; gorules `fileAction`, `effect`; conductor
 * `accessTarget`, `accessKind`; apinizer `method`.
 */
export interface DialectCatalog {
  dialect: Dialect;
  /** Every permission name the dialect accepts, in table order. */
  permissions: string[];
  /** Built-in roles, in table order (Baseten: its API-key scopes). */
  roles: CatalogRole[];
  /** Each enum's values, in table order. */
  enums: { [name: string]: string[] };
}

/** The roles, permissions and enum values of a dialect. Throws GroupgateError for an unknown dialect. */
export declare function catalog(dialect: Dialect): DialectCatalog;

/** Options of `globMatch`; unknown keys are refused. */
export interface GlobOptions {
  /** Fold ASCII case, as a policy's `caseInsensitive` does. Default false. */
  caseInsensitive?: boolean;
}
/** Does the glob (groupgate dialect) match the path? Throws GroupgateError for a pattern outside the dialect. */
export declare function globMatch(pattern: string, path: string, options?: GlobOptions): boolean;

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
  static from(state: BasetenState, options?: { limits?: Limits }): Workspace;
  effectiveModels(groupId: string): EffectiveModel[];
  /** Same as validate("baseten", request, { state, caller }), without rebuilding the state. */
  preview(request: BasetenRequest, caller?: BasetenCaller): Verdict<BasetenGroup, BasetenChanges>;
  free(): void;
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// The five dialects: requests and contexts as README.md "The five dialects"
// documents them. Every context member is optional.

/** baseten: `params.group_id` for update and delete; `hierarchy` only on create. */
export interface BasetenRequest extends Request<BasetenBody> {
  params?: { group_id?: string };
}

export interface BasetenBody {
  metadata?: { name?: string | null; external_entity_id?: string };
  models?: BasetenModel[];
  hierarchy?: { limit_enforcement?: "INDEPENDENT" | "CASCADING"; parent_group_id?: string | null };
}

export interface BasetenState {
  groups: BasetenGroup[];
  keys?: ApiKey[];
}

export type BasetenContext = Context<BasetenState, BasetenCaller>;

export interface BasetenLimitChange {
  slug: string;
  kind: "rate_limits" | "usage_limits";
  type: BasetenLimit["type"];
  unit: BasetenLimit["unit"];
  old: number | null;
  new: number | null;
}

/** `groups` and `keys` for an update; `removed_groups` and `revoked_keys` for a delete. */
export interface BasetenChanges {
  groups?: { id: string; gained: string[]; lost: string[]; limits: BasetenLimitChange[] }[];
  keys?: { prefix: string; group_id: string; gained: string[]; lost: string[] }[];
  removed_groups?: string[];
  revoked_keys?: string[];
}

/** frontier: `params.org_id`, and `params.id` for update and delete. */
export interface FrontierRequest extends Request<FrontierBody> {
  params?: { org_id?: string; id?: string };
}

export interface FrontierBody {
  name: string;
  title?: string;
  metadata?: Record<string, unknown>;
}

export interface FrontierGroup {
  id: string;
  name: string;
  title?: string;
  metadata?: Record<string, unknown>;
  org_id?: string;
}

export interface FrontierOrg {
  id: string;
  disabled?: boolean;
}

export interface FrontierState {
  org?: FrontierOrg;
  orgs?: FrontierOrg[];
  groups?: FrontierGroup[];
  /** A JSON Schema (the supported subset) for `metadata`; default: label object, description string. */
  metaschema?: Record<string, unknown>;
}

export interface FrontierCaller {
  superuser?: boolean;
  orgRoles?: string[];
  permissions?: string[];
  /** Group id → the caller's roles on that group (e.g. `app_group_owner`). */
  groupRoles?: Record<string, string[]>;
}

export type FrontierContext = Context<FrontierState, FrontierCaller>;

/** apinizer: `params.projectName`, and `params.apiProxyGroupName` for delete. */
export interface ApinizerRequest extends Request<ApinizerBody> {
  params?: { projectName?: string; apiProxyGroupName?: string };
}

export type ApinizerMethod = "GET" | "POST" | "PUT" | "HEAD" | "OPTIONS" | "DELETE" | "PATCH" | "TRACE" | "ALL";

export interface ApinizerClientRoute {
  relativePathList: string[];
  methodList?: ApinizerMethod[];
  hostList?: string[];
  headerList?: { name: string; value: string }[];
  bufferRequest?: boolean;
  bufferResponse?: boolean;
}

export interface ApinizerBody {
  name: string;
  description?: string;
  clientRoute: ApinizerClientRoute;
  environmentName?: string;
}

export interface ApinizerGroup {
  name: string;
  description?: string;
  clientRoute?: ApinizerClientRoute;
  /** Names of the environments the group is deployed to. */
  deployments?: string[];
}

export interface ApinizerState {
  groups?: ApinizerGroup[];
  environments?: (string | { name: string })[];
}

export interface ApinizerCaller {
  /** `CATEGORY+ACTION`, e.g. `API_MANAGEMENT+MANAGE`. */
  permissions?: string[];
  /** Role names defined in `context.catalog.roles`. */
  roles?: string[];
}

export type ApinizerContext = Context<ApinizerState, ApinizerCaller>;

/** conductor: `params.id` names the group (create and update are one PUT). */
export interface ConductorRequest extends Request<ConductorBody> {
  params?: { id?: string };
}

export type ConductorRole =
  | "ADMIN"
  | "METADATA_MANAGER"
  | "USER"
  | "WORKER"
  | "METADATA_API"
  | "WORKFLOW_MANAGER"
  | "USER_READ_ONLY";

export interface ConductorBody {
  description: string;
  /** Built-in roles or custom ones from `context.catalog.roles`. */
  roles: (ConductorRole | (string & {}))[];
  /** Target type → access, e.g. `{ WORKFLOW_DEF: ["READ", "EXECUTE"] }`. */
  defaultAccess?: Record<string, string[]>;
}

export interface ConductorGroup {
  id: string;
  description?: string;
  roles?: string[];
  defaultAccess?: Record<string, string[]>;
  contactInformation?: unknown;
}

/** The product's response: roles with their permissions. */
export interface ConductorGroupResponse {
  id: string;
  description?: string;
  roles: { name: string; permissions: { name: string }[] }[];
  defaultAccess: Record<string, string[]>;
  contactInformation?: unknown;
}

export interface ConductorState {
  groups: ConductorGroup[];
}

export interface ConductorCaller {
  admin?: boolean;
  roles?: string[];
}

export type ConductorContext = Context<ConductorState, ConductorCaller>;

export interface ConductorChanges {
  roles: { added: string[]; removed: string[] };
  permissions: { gained: string[]; lost: string[] };
}

/** gorules: `params.projectId`, and `params.groupId` for update and delete (UUIDs). */
export interface GoRulesRequest extends Request<GoRulesBody> {
  params?: { projectId?: string; groupId?: string };
}

export interface GoRulesBody {
  name: string;
  description?: string;
  permissions?: GoRulesPermission[];
  filePermissions?: FileRule[];
}

export interface GoRulesGroup {
  id: string;
  name: string;
  description?: string;
  permissions?: GoRulesPermission[];
  filePermissions?: FileRule[];
}

export interface GoRulesState {
  projectId?: string;
  groups?: GoRulesGroup[];
  members?: { id: string; groups: string[] }[];
}

export interface GoRulesCaller {
  permissions?: GoRulesPermission[];
  groups?: string[];
}

export type GoRulesContext = Context<GoRulesState, GoRulesCaller>;

/** A file decision a change flips, for a member of the state, given `context.files`. */
export interface FileDecisionChange {
  member: string;
  path: string;
  action: FileAction;
  before: boolean;
  after: boolean;
}

export interface GoRulesChanges {
  permissions: { gained: string[]; lost: string[] };
  files?: FileDecisionChange[];
}

/** Dialect → its request and context shapes, for generic code. */
export interface DialectShapes {
  baseten: { request: BasetenRequest; context: BasetenContext };
  frontier: { request: FrontierRequest; context: FrontierContext };
  apinizer: { request: ApinizerRequest; context: ApinizerContext };
  conductor: { request: ConductorRequest; context: ConductorContext };
  gorules: { request: GoRulesRequest; context: GoRulesContext };
}

export type RequestOf<D extends Dialect> = DialectShapes[D]["request"];
export type ContextOf<D extends Dialect> = DialectShapes[D]["context"];

// ---------------------------------------------------------------------------
// Loading the WebAssembly. Node (ESM and require), Deno and bundlers load it at
// import; browsers without a bundler, workerd and Vercel's edge runtime call
// one of these once (with groupgate/groupgate.wasm). Calling either again is a
// no-op that returns the same exports.

/** An instance of a global class when the consumer's libs declare it (DOM, WebWorker, @types/node). */
type GlobalInstance<K extends string, Fallback> = typeof globalThis extends Record<K, { prototype: infer T }> ? T : Fallback;
type WasmNamespace = typeof globalThis extends { WebAssembly: infer W } ? W : never;
type WasmInstanceOf<K extends string, Fallback> = [WasmNamespace] extends [never]
  ? Fallback
  : WasmNamespace extends Record<K, { prototype: infer T }> ? T : Fallback;

/** A compiled `WebAssembly.Module`. */
export type WasmModule = WasmInstanceOf<"Module", object>;
/** A `WebAssembly.Memory`. */
export type WasmMemory = WasmInstanceOf<"Memory", { readonly buffer: ArrayBuffer }>;

/** The .wasm: compiled, or its bytes. */
export type WasmSource = WasmModule | ArrayBuffer | ArrayBufferView;

/** The instance's exports that are part of the API: its memory (e.g. to watch its size). */
export interface InitOutput {
  readonly memory: WasmMemory;
}

/** Instantiates synchronously (workerd, Vercel edge: `initSync({ module: wasm })`). */
export declare function initSync(input?: { module: WasmSource }): InitOutput;

/** Instantiates asynchronously; without an argument fetches the .wasm beside the glue. */
export declare function init(input?: {
  module_or_path:
    | WasmSource
    | string
    | GlobalInstance<"URL", never>
    | GlobalInstance<"Request", never>
    | GlobalInstance<"Response", never>
    | Promise<GlobalInstance<"Response", never>>;
}): Promise<InitOutput>;
