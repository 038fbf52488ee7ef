// What the scripts that drive the built console in headless Chromium share: the repository's root,
// the pinned npm tools, a static server for built files, and the browser itself.

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const require = createRequire(path.join(root, ".tools", "package.json"));
const { chromium } = require("playwright-core");

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json" };

/// Serves files on a free loopback port. `candidates(pathname)` lists the files to try, in order;
/// the first that exists is sent. Answers the server and its base URL.
export async function serveFiles(candidates) {
  const server = createServer(async (req, res) => {
    const pathname = path.normalize(new URL(req.url, "http://localhost").pathname);
    for (const candidate of candidates(pathname)) {
      try {
        const body = await readFile(candidate);
        res.writeHead(200, { "content-type": types[path.extname(candidate)] ?? "application/octet-stream" });
        return res.end(body);
      } catch {}
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/// A single-page app's files: the file asked for, or its index.html.
export const spa = (dir) => (pathname) => [path.join(dir, pathname), path.join(dir, "index.html")];

/// Headless Chromium, kept off the network it cannot reach.
export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
