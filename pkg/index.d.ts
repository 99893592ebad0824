// Types of the groupgate npm package.

declare global {
  // `FilePolicy` and `Workspace` implement `[Symbol.dispose]` (for `using`);
  // declared here too (as lib.esnext.disposable and @types/node do) so the
  // types compile with an ES2022 lib alone.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A finding: where (JSON Pointer), what (stable code), how bad, and the human text. */
export interface Issue {
  /** A JSON Pointer into the input (`pointerToPath` makes it an array). */
  path: string;
  code: string;
  message: string;
  /** `error` refuses (or is thrown), `warning` accompanies an accepted request, `lint` (codes `lint.*`) flags a rule. */
  severity: "error" | "warning" | "lint";
  /** Glob errors: the byte offset in the string at `path` (the whole `patterns` string of a rule). */
  position?: number;
  /** Only on the summary that ends a long run of one code: how many more issues of that code are not listed (at most 100 per code are; README "Verdicts"). */
  omitted?: number;
}

/** Thrown for a bad call or invalid engine input (rules, state, options, a glob, an unknown dialect). */
export declare class GroupgateError extends Error {
  /** `message` defaults to the first three issues (path: message (code)) and how many more there are. */
  constructor(message: string | undefined, issues: Issue[]);
  readonly name: "GroupgateError";
  readonly issues: Issue[];
  /** The code of the first issue. */
  readonly code: string | undefined;
}

/**
 * A JSON Pointer as a path array, zod-style: `"/body/models/0/slug"` →
 * `["body", "models", 0, "slug"]`. Given the document it points into, an
 * index is a number exactly where the value is an array.
 */
export declare function pointerToPath(pointer: string, root?: unknown): (string | number)[];

export type Dialect = "baseten" | "frontier" | "apinizer" | "conductor" | "gorules";

export type Op = "create" | "update" | "delete";

/** A request envelope: the operation, path parameters and JSON body. */
export interface RequestEnvelope<Body = unknown> {
  op: Op;
  params?: Readonly<Record<string, string>>;
  body?: Body;
}

/** @deprecated Renamed to `RequestEnvelope` (this name shadows fetch's global `Request`). */
export type Request<Body = unknown> = RequestEnvelope<Body>;

/** Catalog entries added to (or replacing) a dialect's built-in roles and permissions. */
export interface Catalog {
  /** Role name → the permissions it grants. */
  roles?: Readonly<Record<string, readonly string[]>>;
  /** Permission → the permissions it implies. */
  permissions?: Readonly<Record<string, readonly string[]>>;
}

/** What the server knows (`state`), who asks (`caller`), extra catalog entries. `null` members are absent ones (`caller: null`: no caller). */
export interface Context<State = Record<string, unknown>, Caller = Record<string, unknown>> {
  state?: State | null;
  caller?: Caller | null;
  catalog?: Catalog | null;
  /** GoRules: project file paths, to report decisions a change flips. */
  files?: readonly string[] | null;
  /** Size limits for this call (defaults otherwise). */
  limits?: Limits | null;
}

/** Fields of every verdict. */
interface VerdictCommon {
  warnings: Issue[];
  /** Checks skipped for lack of context, e.g. "state", "caller". */
  skipped?: Array<"state" | "caller" | "org" | "workspace" | "changes.files" | (string & {})>;
  /** Every check ran (`skipped` is empty): only `ok && complete` is the server's answer. */
  complete: boolean;
}

/** The server would accept the request. */
export interface Accepted<Next = unknown, Changes = unknown> extends VerdictCommon {
  ok: true;
  /** 200 for every accepted request, creates included (every product documents 200). */
  status: 200;
  errors: [];
  /** The resource as the server would return it after the change. */
  next?: Next;
  /** What the change does beyond the resource itself. */
  changes?: Changes;
  /**
   * The server's own response body where it differs from `next`, only when
   * accepted: Apinizer `{ success: true }` (plus `deploymentResult` with
   * `environmentName`), Orkes Conductor delete `{ message: "Deleted group 'ID'" }`,
   * Baseten delete `{ id, metadata, deleted_at }`, Frontier `{ group }` (create,
   * update) and `{}` (delete).
   */
  response?: Record<string, unknown>;
}

/** The server would refuse the request, with every error at once. */
export interface Refused extends VerdictCommon {
  ok: false;
  /** The first of 403 (caller), 404 (target), 403 (other workspace), 400 (body), 409 (conflict). */
  status: 400 | 403 | 404 | 409;
  errors: [Issue, ...Issue[]];
  next?: undefined;
  changes?: undefined;
  response?: undefined;
}

/**
 * What the server would answer: a union on `ok` (narrow with `if (v.ok)`).
 * `validate` returns each dialect's `next` and `changes` shapes.
 */
export type Verdict<Next = unknown, Changes = unknown> = Accepted<Next, Changes> | Refused;

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
  actions?: readonly FileAction[] | null;
  patterns?: string | readonly string[] | null;
}

export interface FileGroup {
  id: string;
  permissions?: readonly GoRulesPermission[];
  filePermissions?: readonly FileRule[] | null;
}

export interface Limits {
  maxDepth?: number;
  maxGroups?: number;
  maxRules?: number;
  maxGlobBytes?: number;
  maxPathBytes?: number;
  maxStringBytes?: number;
  /** Work of one path byte in the pattern automaton of `check`, `explain`, `checkMany` and `lint` files (default 384 units, each at most about 5 ns of CPU): past it a path is refused with `path.too_complex`. */
  maxMatchWork?: number;
  /** States of a policy's pattern automaton, counted while `new FilePolicy` builds it (default 4,000,000; each byte of a glob no other glob starts with adds about one, each `/` of a glob over 32 bytes one, each new directory three): past it the policy is refused with `limit.automaton` at the `patterns` of the glob that crossed it. */
  maxAutomatonStates?: number;
  /** Globs of a `FilePolicy`, all rules together, counted as they are read, refused ones too (default 500,000; a rule's `patterns` may hold thousands): past it the policy is refused with `limit.globs` at the `patterns` of the glob that crossed it. */
  maxGlobs?: number;
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
  /** Group ids of the member the policy does not know, every one (they contribute nothing; the message names the first 16, then "and N more"). */
  unknownGroups?: string[];
}

export declare class FilePolicy {
  /** Compiles the groups' rules; throws GroupgateError listing every invalid rule. `groups` may be the groups' JSON text (read as is: no `JSON.parse` / `JSON.stringify` round trip). */
  constructor(groups: readonly FileGroup[] | string, options?: FilePolicyOptions | null);
  /** Lints groups that may not even compile: their construction errors, or the compiled policy's lint, and members no reader reads (`lint.misspelled_member`). `groups` may be JSON text. */
  static lint(groups: readonly FileGroup[] | string, options?: FilePolicyOptions | null, files?: readonly string[]): Issue[];
  check(groupIds: readonly string[], path: string, action: FileAction): boolean;
  /** `check` of each path, in order. A batch whose paths total more than 2^28 UTF-16 units (one more a path) is refused with `limit.batch` at `/paths`. */
  checkMany(groupIds: readonly string[], paths: readonly string[], action: FileAction): boolean[];
  explain(groupIds: readonly string[], path: string, action: FileAction): Explanation;
  /** Loads a policy saved by `toBytes()` without parsing JSON or globs. Throws GroupgateError (`snapshot.foreign`, `snapshot.version`, `snapshot.truncated`, `snapshot.corrupt`) for anything else. */
  static fromBytes(bytes: Uint8Array): FilePolicy;
  /** The compiled policy as a versioned, checksummed snapshot. */
  toBytes(): Uint8Array;
  /** Dead, shadowed, duplicate-id and (given files) match-nothing rules, and patterns that likely do not say what they mean (`lint.trailing_slash`, `lint.regex_syntax`, `lint.comma_split`, `lint.non_ascii_case`, `lint.invisible`); severity `lint`. */
  lint(files?: readonly string[]): Issue[];
  /** Frees the WASM memory now (GC also frees it). */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Validates a request of a dialect; never throws for invalid request data (a
 * malformed request is a 400 verdict). Throws GroupgateError for the engine's
 * own input: an unknown dialect (`/dialect`), or a context member that is
 * unknown (`unknown_field`, e.g. `/context/caler`), of the wrong type or bad
 * limits (`type`).
 * With a literal dialect the request and context must
 * have that dialect's shapes (build them with `satisfies BasetenRequest` or
 * `as const`); untyped data (`unknown`, `Record<string, unknown>`, parsed
 * JSON) goes through the second overload, typed objects never silently do.
 */
export declare function validate<D extends Dialect>(dialect: D, request: RequestOf<D>, context?: ContextOf<D> | null): VerdictOf<D>;
export declare function validate<R>(dialect: Dialect, request: R & Untyped<R>, context?: Context | null): Verdict<Record<string, unknown>, Record<string, unknown>>;

/** `R` when it says nothing about its keys (`unknown`, `any`, a string-indexed record), else `never`. */
export type Untyped<R> = unknown extends R ? unknown : string extends keyof R ? unknown : never;

/** Who holds permissions: group ids (resolved through `context.state`), roles, direct permissions. */
export interface Subject {
  groups?: readonly string[];
  roles?: readonly string[];
  permissions?: readonly string[];
}

/**
 * The closure of a subject's permissions: roles expanded, implications applied,
 * sorted. Throws GroupgateError (`unknown_role`, `unknown_permission`) for unknown names.
 */
export declare function permissionsOf(dialect: Dialect, subject: Subject, context?: Context | null): string[];

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
 * `limitEnforcement`, `scope`; gorules `fileAction`, `effect`, `projectVersion`; conductor
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
/** Does the glob (groupgate dialect) match the path? Answers as a policy of this one glob would: throws GroupgateError for a pattern outside the dialect, a bad path, or a path that policy would refuse (`path.too_complex`, at the default `maxMatchWork`). */
export declare function globMatch(pattern: string, path: string, options?: GlobOptions | null): boolean;

export declare function version(): string;

/** A Baseten rate or usage limit. */
export interface BasetenLimit {
  type: "TOKEN" | "REQUEST";
  unit: "SECOND" | "MINUTE" | "DAY";
  /** A whole number from 0 to 2^63 - 1 (README, Baseten: as the server's pydantic reads an int). */
  threshold: number;
}

/** A rate limit: per second or minute. */
export interface BasetenRateLimit extends BasetenLimit {
  unit: "SECOND" | "MINUTE";
}

/** A usage limit: per day. */
export interface BasetenUsageLimit extends BasetenLimit {
  unit: "DAY";
}

export interface BasetenModel {
  slug: string;
  rate_limits?: readonly BasetenRateLimit[];
  usage_limits?: readonly BasetenUsageLimit[];
}

/** An API-key scope; `management` and `WORKSPACE_MANAGE_ALL` (a key type of the API) may change groups. */
export type BasetenScope = "management" | "inference" | "WORKSPACE_MANAGE_ALL" | "WORKSPACE_INVOKE";

export interface BasetenGroup {
  id: string;
  metadata: { name?: string | null; external_entity_id: string };
  models?: readonly BasetenModel[];
  hierarchy: { limit_enforcement: "INDEPENDENT" | "CASCADING"; parent_group_id?: string | null };
  workspace_id?: string;
  deleted?: boolean;
  /** Read past (a group saved from the API carries them); a near miss of a member above (`workspaceId`) is refused. */
  created_at?: string | null;
  effective_models?: readonly unknown[];
}

/** A Baseten group as the server would return it: a create's `id` is not known yet (`null`). */
export interface BasetenGroupResult extends Omit<BasetenGroup, "id" | "models"> {
  id: string | null;
  /** Set by the server: `null` in a preview (create and update; the state does not carry it). */
  created_at?: string | null;
  /** groupgate's, not the server's (`GroupV1` has none): the group's workspace, so that `next` saved as state keeps it. */
  workspace_id?: string;
  models?: BasetenModel[];
  /** The models as the group's keys get them: intersected down the tree, binding limits with their source. */
  effective_models?: EffectiveModel[];
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
  scope?: BasetenScope | (string & {}) | readonly (BasetenScope | (string & {}))[];
  workspace_id?: string;
}

export declare class Workspace {
  private constructor();
  /** Validates the state (dangling parents, cycles, depth, mixed modes, duplicates); throws GroupgateError. `state` may be the state's JSON text (read without building objects). */
  static from(state: BasetenState | string, options?: { limits?: Limits } | null): Workspace;
  /** Throws GroupgateError `not_found` (at `/group_id`, the engine's name) for a group the workspace lacks or has deleted. */
  effectiveModels(groupId: string): EffectiveModel[];
  /** Same as validate("baseten", request, { state, caller }), without rebuilding the state; a caller that is not an object throws GroupgateError, as validate does. */
  preview(request: BasetenRequest, caller?: BasetenCaller | null): VerdictOf<"baseten">;
  free(): void;
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------------------
// The five dialects: requests and contexts as README.md "The five dialects"
// documents them. Every context member is optional.

/** baseten: `params.group_id` for update and delete; on create the body (`metadata`, `models`, `hierarchy`) is required. */
export type BasetenRequest = BasetenCreateRequest | BasetenChangeRequest;

/** A create: `body.metadata`, `body.models` and `body.hierarchy` are required (CreateGroupRequestV1). */
export interface BasetenCreateRequest extends RequestEnvelope<BasetenCreateBody> {
  op: "create";
  params?: Record<string, never>;
  body: BasetenCreateBody;
}

/** An update or delete of `params.group_id` (a delete takes no body). */
export interface BasetenChangeRequest extends RequestEnvelope<BasetenBody> {
  op: "update" | "delete";
  params?: { group_id?: string };
}

/** An update body: at least one of `metadata`, `models` (`null`: unchanged); `external_entity_id` and `hierarchy` are immutable (ignored, with a warning). */
export interface BasetenBody {
  metadata?: { name?: string | null; external_entity_id?: string };
  models?: readonly BasetenModel[] | null;
  hierarchy?: BasetenCreateBody["hierarchy"];
}

/** A create body. */
export interface BasetenCreateBody {
  metadata: { name?: string | null; external_entity_id: string };
  models: readonly BasetenModel[];
  /** Required; its members are nullable (mode: the parent's, a root's INDEPENDENT). */
  hierarchy: { limit_enforcement?: "INDEPENDENT" | "CASCADING" | null; parent_group_id?: string | null };
}

export interface BasetenState {
  groups: readonly BasetenGroup[];
  keys?: readonly ApiKey[];
}

export type BasetenContext = Context<BasetenState, BasetenCaller>;

/** A binding limit: its threshold and the group that set it (`null`: the group being created). */
export interface BindingLimit {
  threshold: number;
  source_group: string | null;
}

/** A binding limit of one key (slug, kind, type, unit) that an update changes; `null`: no limit. */
export interface BasetenLimitChange {
  slug: string;
  kind: "rate" | "usage";
  type: BasetenLimit["type"];
  unit: BasetenLimit["unit"];
  old: BindingLimit | null;
  new: BindingLimit | null;
}

/** `groups` and `keys` for an update; `removed_groups` and `revoked_keys` for a delete. */
export interface BasetenChanges {
  /** `id` is `null` for the group being created. */
  groups?: { id: string | null; gained: string[]; lost: string[]; limits: BasetenLimitChange[] }[];
  keys?: { prefix: string; group_id: string; gained: string[]; lost: string[] }[];
  removed_groups?: string[];
  revoked_keys?: string[];
}

/** frontier: `params.org_id`, and `params.id` for update and delete. */
export interface FrontierRequest extends RequestEnvelope<FrontierBody> {
  params?: {
    org_id?: string;
    /** `org_id` under its JSON name (the server's protojson reads both; giving both is a 400 `duplicate`). */
    orgId?: string;
    id?: string;
  };
}

export interface FrontierBody {
  name: string;
  title?: string;
  metadata?: Readonly<Record<string, unknown>>;
  /** Not part of Frontier's group: ignored by the server (groups do not nest), with a warning. */
  parent_id?: unknown;
  /** Not part of Frontier's group: ignored, with a warning. */
  parent?: unknown;
  /** Not part of Frontier's group: ignored, with a warning. */
  groups?: unknown;
}

export interface FrontierGroup {
  id: string;
  name: string;
  title?: string;
  metadata?: Readonly<Record<string, unknown>>;
  org_id?: string;
  /** `org_id` as the JS SDK's objects name it (protojson reads both; both at once: 400 `duplicate`). */
  orgId?: string;
  /** A disabled group (`"disabled"`, or `disabled: true`) is not found by update and delete (404) and still holds its name. */
  state?: "enabled" | "disabled" | (string & {});
  disabled?: boolean;
}

/** A Frontier group as the server would return it (a create's `id` is assigned by the server: absent). */
export interface FrontierGroupResult {
  id?: string;
  name: string;
  title?: string;
  metadata?: Record<string, unknown>;
  org_id?: string;
}

/** The top-level fields of the group the request sets. */
export interface FieldChanges {
  fields: string[];
}

export interface FrontierOrg {
  id: string;
  name?: string;
  disabled?: boolean;
  /** Frontier's organization state: `"disabled"` is the same as `disabled: true`. */
  state?: "enabled" | "disabled" | (string & {});
}

export interface FrontierState {
  org?: FrontierOrg;
  orgs?: readonly FrontierOrg[];
  groups?: readonly FrontierGroup[];
  /** A JSON Schema (the supported subset) for `metadata`; default: label object, description string. */
  metaschema?: Readonly<Record<string, unknown>> | boolean;
}

/** Frontier's built-in roles. */
export type FrontierRole =
  | "app_organization_owner"
  | "app_organization_manager"
  | "app_organization_accessmanager"
  | "app_organization_viewer"
  | "app_project_owner"
  | "app_project_manager"
  | "app_project_viewer"
  | "app_group_owner"
  | "app_group_member"
  | "app_billing_manager";

export interface FrontierCaller {
  superuser?: boolean;
  /** The organization `orgRoles` and `permissions` are held in (default: the request's). */
  orgId?: string;
  /** Built-in roles or custom ones from `context.catalog.roles`; or per organization (id or name). */
  orgRoles?: readonly (FrontierRole | (string & {}))[] | Readonly<Record<string, readonly (FrontierRole | (string & {}))[]>>;
  permissions?: readonly string[];
  /** Group id → the caller's roles on that group (e.g. `app_group_owner`). */
  groupRoles?: Readonly<Record<string, readonly string[]>>;
}

export type FrontierContext = Context<FrontierState, FrontierCaller>;

/** apinizer: `params.projectName`, and `params.apiProxyGroupName` for delete. */
export interface ApinizerRequest extends RequestEnvelope<ApinizerBody> {
  params?: { projectName?: string; apiProxyGroupName?: string };
}

export type ApinizerMethod = "GET" | "POST" | "PUT" | "HEAD" | "OPTIONS" | "DELETE" | "PATCH" | "TRACE" | "ALL";

export interface ApinizerClientRoute {
  relativePathList: readonly string[];
  /** `null`: omitted, as the create page's own bodies send the three lists. */
  methodList?: readonly ApinizerMethod[] | null;
  hostList?: readonly string[] | null;
  headerList?: readonly { name: string; value: string }[] | null;
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
  deployments?: readonly string[];
}

/** An Apinizer group as the server would keep it. */
export interface ApinizerGroupResult {
  name: string;
  description?: string;
  clientRoute?: {
    relativePathList: string[];
    methodList?: ApinizerMethod[];
    hostList?: string[];
    headerList?: { name: string; value: string }[];
    bufferRequest: boolean;
    bufferResponse: boolean;
  };
  deployments?: string[];
}

/** The fields the request sets, and the environment an update deploys to. */
export interface ApinizerChanges extends FieldChanges {
  deployTo?: string;
}

export interface ApinizerState {
  groups?: readonly ApinizerGroup[];
  environments?: readonly (string | { name: string })[];
}

export interface ApinizerCaller {
  /** `CATEGORY+ACTION`, e.g. `API_MANAGEMENT+MANAGE`. */
  permissions?: readonly string[];
  /** Apinizer's default roles ("Project Owner", "API Developer", "API Manager", …) or names from `context.catalog.roles`. */
  roles?: readonly string[];
}

export type ApinizerContext = Context<ApinizerState, ApinizerCaller>;

/** conductor: `params.id` names the group (create and update are one PUT). */
export interface ConductorRequest extends RequestEnvelope<ConductorBody> {
  params?: { id?: string };
}

export type ConductorRole =
  | "ADMIN"
  | "METADATA_MANAGER"
  | "USER"
  | "WORKER"
  | "METADATA_API"
  | "WORKFLOW_MANAGER"
  | "USER_READ_ONLY"
  | "UNRESTRICTED_WORKER"
  | "APPLICATION_MANAGER"
  | "APPLICATION_CREATOR"
  | "PROMPT_MANAGER";

/** What `defaultAccess` grants access to. */
export type ConductorAccessTarget = "WORKFLOW_DEF" | "TASK_DEF" | "WORKFLOW_SCHEDULE";

/** The kinds of access `defaultAccess` grants. */
export type ConductorAccessKind = "CREATE" | "READ" | "EXECUTE" | "UPDATE" | "DELETE";

export interface ConductorBody {
  description: string;
  /** Built-in roles or custom ones from `context.catalog.roles`, or one role name (the server reads it as a list of one); optional (the server's OpenAPI requires only `description`). */
  roles?: readonly (ConductorRole | (string & {}))[] | ConductorRole | (string & {});
  /** Target type → access, e.g. `{ WORKFLOW_DEF: ["READ", "EXECUTE"] }`. */
  defaultAccess?: Readonly<Partial<Record<ConductorAccessTarget, readonly ConductorAccessKind[]>>>;
}

export interface ConductorGroup {
  id: string;
  description?: string;
  /** Role names, or roles as the product returns them (`{ name, permissions }`). */
  roles?: readonly (string | { name: string; permissions?: readonly { name: string }[] })[];
  defaultAccess?: Readonly<Record<string, readonly string[]>>;
  contactInformation?: unknown;
}

/** The product's response: roles with their permissions. */
export interface ConductorGroupResponse {
  id: string;
  description?: string;
  roles: { name: string; permissions: { name: string }[] }[];
  defaultAccess: Partial<Record<ConductorAccessTarget, ConductorAccessKind[]>>;
  contactInformation?: unknown;
}

export interface ConductorState {
  groups: readonly ConductorGroup[];
}

export interface ConductorCaller {
  admin?: boolean;
  roles?: readonly string[];
  /** Ids of `state.groups` the caller belongs to: it holds their roles (a member of an ADMIN group is an admin; without `state`, the check is skipped). */
  groups?: readonly string[];
}

export type ConductorContext = Context<ConductorState, ConductorCaller>;

export interface ConductorChanges {
  roles: { added: string[]; removed: string[] };
  permissions: { gained: string[]; lost: string[] };
}

/** gorules: `params.projectId`, and `params.groupId` for update and delete (UUIDs). */
export interface GoRulesRequest extends RequestEnvelope<GoRulesBody> {
  params?: { projectId?: string; groupId?: string };
}

/** A file rule as the GoRules API takes it: `patterns` is a string (an array is a 400 in `validate`). */
export type GoRulesFileRule = Omit<FileRule, "patterns"> & { patterns?: string | null };

export interface GoRulesBody {
  name: string;
  description?: string;
  permissions?: readonly GoRulesPermission[];
  /** `null` or omitted on an update: the schema default `[]` (the rules are cleared). */
  filePermissions?: readonly GoRulesFileRule[] | null;
}

export interface GoRulesGroup {
  id: string;
  name: string;
  /** The group's project; a caller group of another project grants nothing. */
  projectId?: string;
  description?: string;
  permissions?: readonly GoRulesPermission[];
  filePermissions?: readonly FileRule[] | null;
  role?: string | null;
  roleId?: string;
}

/** A GoRules group as the server would return it (a create's `id` is assigned by the server: absent). */
export interface GoRulesGroupResult {
  /** `null` in a create's preview: the server assigns it. */
  id?: string | null;
  name: string;
  description?: string;
  projectId?: string;
  permissions: GoRulesPermission[];
  filePermissions: { id?: string | null; effect: "allow" | "deny"; actions?: FileAction[] | null; patterns?: string | string[] | null }[];
  role?: string | null;
  roleId?: string;
}

export interface GoRulesState {
  projectId?: string;
  groups?: readonly GoRulesGroup[];
  members?: readonly { id: string; groups: readonly string[] }[];
}

export interface GoRulesCaller {
  /** The member's project Admin flag: every permission, whatever the groups (docs.gorules.io members-groups). */
  admin?: boolean;
  permissions?: readonly GoRulesPermission[];
  groups?: readonly string[];
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

/** Dialect → its request and context shapes, and the `next` and `changes` of its verdicts. */
export interface DialectShapes {
  baseten: { request: BasetenRequest; context: BasetenContext; next: BasetenGroupResult; changes: BasetenChanges };
  frontier: { request: FrontierRequest; context: FrontierContext; next: FrontierGroupResult; changes: FieldChanges };
  apinizer: { request: ApinizerRequest; context: ApinizerContext; next: ApinizerGroupResult; changes: ApinizerChanges };
  conductor: { request: ConductorRequest; context: ConductorContext; next: ConductorGroupResponse; changes: ConductorChanges };
  gorules: { request: GoRulesRequest; context: GoRulesContext; next: GoRulesGroupResult; changes: GoRulesChanges };
}

export type RequestOf<D extends Dialect> = DialectShapes[D]["request"];
export type ContextOf<D extends Dialect> = DialectShapes[D]["context"];

/** The verdict `validate(dialect, …)` returns. */
export type VerdictOf<D extends Dialect> = D extends Dialect ? Verdict<DialectShapes[D]["next"], DialectShapes[D]["changes"]> : never;

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

// Workspace snapshots, in-place apply and the summary form of `changes`
// (merged into the Workspace class declared above).
/** `changes.summary` (counts per list and per kind: gained, lost, limits) and `truncated`, with `{summary}`. */
export interface BasetenChangesSummary {
  summary?: Record<string, number>;
  truncated?: boolean;
}
export interface WorkspaceApplyOptions {
  /** Omitted, `undefined` or `null`: no caller (the caller checks are skipped, and the change is applied). */
  caller?: BasetenCaller | null;
  /** The id a created group gets (default `new-<n>`: n from the workspace's group count, deleted groups included, plus one, to the first id no group has, live or deleted). */
  id?: string;
  /** The summary form: true = the first 100 entries per list, or a count. */
  summary?: boolean | number;
}
export interface Workspace {
  /** The workspace as versioned, checksummed bytes. */
  toBytes(): Uint8Array;
  /** Previews and, when ok, applies the request IN PLACE. */
  apply(request: BasetenRequest, options?: WorkspaceApplyOptions | null): Verdict<BasetenGroupResult, BasetenChanges & BasetenChangesSummary>;
  preview(
    request: BasetenRequest,
    caller: BasetenCaller | null | undefined,
    options?: { summary?: boolean | number } | null,
  ): Verdict<BasetenGroupResult, BasetenChanges & BasetenChangesSummary>;
}
export declare namespace Workspace {
  /** A workspace from `toBytes()` output; throws GroupgateError (`snapshot.*`) for foreign, truncated, corrupt or other-version bytes. */
  function fromBytes(bytes: Uint8Array): Workspace;
}
