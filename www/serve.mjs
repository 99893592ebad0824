// A tiny static server for the console: www/ at /, the built npm package
// (../pkg, made by `./dev build`) at /pkg/. No dependencies.
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1]
// As a module: `const { url, close } = await serve({ port: 0 })`.
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WWW = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(WWW, "..", "pkg");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

// Never served from www/: tooling, tests and their output.
const PRIVATE = new Set(["node_modules", "tests", "package.json", "package-lock.json", "serve.mjs"]);

/** Maps a URL path to a file under www/ or pkg/, or null when outside them. */
export function resolvePath(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  if (p.includes("\0")) return null;
  if (p === "/" || p === "") p = "/index.html";
  const [root, rel] = p.startsWith("/pkg/") ? [PKG, p.slice(5)] : [WWW, p.slice(1)];
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return null;
  if (root === WWW && PRIVATE.has(rel.split("/")[0])) return null;
  return file;
}

export function createServer() {
  return http.createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const file = resolvePath(req.url ?? "/");
    let body;
    try {
      if (file === null) throw new Error("outside");
      body = await readFile(file);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // Everything is same-origin: no CDNs, no fonts, no requests elsewhere.
      "content-security-policy":
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}

/** Starts the server; resolves to { server, url, close }. Port 0 picks a free port. */
export function serve({ host = "127.0.0.1", port = 0 } = {}) {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const { port: actual } = server.address();
      const shown = host === "127.0.0.1" ? "localhost" : host.includes(":") ? `[${host}]` : host;
      resolve({
        server,
        url: `http://${shown}:${actual}/`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const host = arg("host", "127.0.0.1");
  const wanted = Number(arg("port", process.env.PORT ?? 8080));
  let running;
  try {
    running = await serve({ host, port: wanted });
  } catch (e) {
    if (e.code !== "EADDRINUSE") throw e;
    console.error(`port ${wanted} is busy; picking a free one`);
    running = await serve({ host, port: 0 });
  }
  console.log(`groupgate console: ${running.url}  (Ctrl-C stops it)`);
  const stop = () => running.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
