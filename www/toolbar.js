// The request toolbar: undo/redo, JSON import/export, copy as curl or fetch,
// the share link, and a reset to the sample data. Actions that change the
// session are the app's (passed in); this module only builds the controls.
import { h } from "./dom.js";
import { exportDocument, readDocument, curl, fetchSnippet, encodeShare } from "./io.js";
import { snapshot } from "./session.js";

const copy = async (text, msg) => {
  try {
    await navigator.clipboard.writeText(text);
    msg.textContent = "Copied to the clipboard.";
  } catch {
    msg.textContent = "Select the text and copy it (the clipboard is not available here).";
  }
};

/** The toolbar and its panel for session `s`; call `.sync()` on it after each change. */
export function toolbar({ session: s, dialects, onUndo, onRedo, onImport, onReset }) {
  const panel = h("div", { class: "io-panel", id: "io-panel", hidden: true });
  const button = (id, text, onClick, attrs = {}) => {
    const b = h("button", { type: "button", class: "tool", id, ...attrs }, text);
    b.addEventListener("click", onClick);
    return b;
  };
  const open = (mode, build) => {
    if (!panel.hidden && panel.dataset.mode === mode) {
      panel.hidden = true;
      return;
    }
    panel.dataset.mode = mode;
    panel.replaceChildren(...build());
    panel.hidden = false;
  };
  const undo = button("undo", "↶ Undo", onUndo, { disabled: !s.past.length, "aria-keyshortcuts": "Control+Z" });
  const redo = button("redo", "↷ Redo", onRedo, { disabled: !s.future.length, "aria-keyshortcuts": "Control+Shift+Z" });
  const sync = () => {
    undo.disabled = !s.past.length;
    redo.disabled = !s.future.length;
    if (!panel.hidden && panel.dataset.mode !== "json") panel.replaceChildren(...MODES[panel.dataset.mode](false));
  };
  const MODES = {
    json: () => jsonPanel(s, dialects, onImport),
    curl: (copyNow = true) => snippetPanel("curl", curl(s), copyNow),
    fetch: (copyNow = true) => snippetPanel("fetch", fetchSnippet(s), copyNow),
    share: (copyNow = true) => sharePanel(s, copyNow),
  };
  const bar = h("div", { class: "toolbar", role: "toolbar", "aria-label": "Request tools" },
    undo, redo,
    button("io-json", "Import / export JSON", () => open("json", MODES.json)),
    button("io-curl", "Copy as curl", () => open("curl", MODES.curl)),
    button("io-fetch", "Copy as fetch", () => open("fetch", MODES.fetch)),
    button("io-share", "Share link", () => open("share", MODES.share)),
    button("reset", "Reset to sample", () => {
      if (confirm(`Reset ${s.dialect.title} to the sample request and state? Your edits are discarded.`)) onReset();
    }));
  const tools = h("div", { class: "tools" }, bar, panel);
  tools.sync = sync; // after every revalidation: undo/redo state, snippets of the current request
  return tools;
}

function jsonPanel(s, dialects, onImport) {
  const text = JSON.stringify(exportDocument(s), null, 2);
  const ta = h("textarea", { id: "io-text", class: "mono", rows: 12, spellcheck: "false", "aria-label": "The request as JSON" });
  ta.value = text;
  const msg = h("p", { class: "io-msg", id: "io-msg", role: "status" });
  const take = (src) => {
    const r = readDocument(src, dialects, s.dialect.id);
    msg.className = `io-msg ${r.error ? "bad" : "good"}`;
    msg.textContent = r.error ?? "Imported.";
    if (r.doc) onImport(r.doc);
  };
  const imp = h("button", { type: "button", class: "secondary", id: "io-import" }, "Import this JSON");
  imp.addEventListener("click", () => take(ta.value));
  const file = h("input", { type: "file", id: "io-file", accept: "application/json,.json" });
  file.addEventListener("change", async () => {
    if (file.files?.[0]) take(await file.files[0].text());
  });
  const name = `groupgate-${s.dialect.id}-${s.request.op}.json`;
  const download = h("a", { class: "button secondary", id: "io-download", download: name,
    href: `data:application/json;charset=utf-8,${encodeURIComponent(text)}` }, `Download ${name}`);
  return [
    h("p", { class: "hint" }, "The request with its context ({ dialect, request, context }). Paste a document (or a bare request) to import it."),
    ta, h("div", { class: "row" }, imp, h("label", { class: "file" }, "Import a file ", file), download), msg,
  ];
}

function snippetPanel(kind, code, copyNow) {
  const msg = h("p", { class: "io-msg", role: "status" });
  const pre = h("pre", { class: "mono snippet", id: "snippet", "data-kind": kind, tabindex: 0 }, code);
  const again = h("button", { type: "button", class: "secondary", id: "snippet-copy" }, "Copy");
  again.addEventListener("click", () => copy(code, msg));
  if (copyNow) copy(code, msg);
  return [h("p", { class: "hint" }, "Credentials come from environment variables; self-hosted products from a base URL variable."),
    pre, h("div", { class: "row" }, again, msg)];
}

function sharePanel(s, copyNow) {
  const url = `${location.origin}${location.pathname}#${s.dialect.id}=${encodeShare(snapshot(s))}`;
  const input = h("input", { type: "text", id: "share-url", readonly: true, value: url, "aria-label": "Share link" });
  const msg = h("p", { class: "io-msg", role: "status" });
  const again = h("button", { type: "button", class: "secondary" }, "Copy");
  again.addEventListener("click", () => copy(url, msg));
  if (copyNow) copy(url, msg);
  return [h("p", { class: "hint" }, "The link holds this dialect's request, caller and state; opening it restores them."),
    input, h("div", { class: "row" }, again, msg)];
}
