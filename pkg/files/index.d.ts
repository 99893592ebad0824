// `groupgate/files`: file permissions only (FilePolicy, globMatch), over a
// .wasm without the dialect validators and Workspace. The declarations are
// the full package's.
export {
  DecisionReason,
  Explanation,
  FileAction,
  FileGroup,
  FilePolicy,
  FilePolicyOptions,
  FileRule,
  GlobOptions,
  GroupgateError,
  InitOutput,
  Issue,
  Limits,
  WasmMemory,
  WasmModule,
  WasmSource,
  globMatch,
  init,
  initSync,
  pointerToPath,
  version,
} from "../index.js";
