// Startup of the release build in headless Chromium: navigation start → the Customers table
// painted with the demo data, over cold loads (a new browser context each: empty cache and
// storage, so each load fetches, compiles and starts the wasm and makes the demo data).
// Prints one Markdown table row: median, min and max of the loads.
//
// Usage: node scripts/startup-bench.mjs [loads]   (after a release build into dist/)

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const require = createRequire(path.join(root, ".tools", "package.json"));
const { chromium } = require("playwright-core");
const loads = Number(process.argv[2] ?? 12);

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
const dist = path.join(root, "dist");
const server = createServer(async (req, res) => {
  const file = path.join(dist, path.normalize(new URL(req.url, "http://x").pathname));
  for (const candidate of [file, path.join(dist, "index.html")]) {
    try {
      const body = await readFile(candidate);
      res.writeHead(200, { "content-type": types[path.extname(candidate)] ?? "application/octet-stream" });
      return res.end(body);
    } catch {}
  }
  res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Records the first frame after the first customer row exists.
const probe = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector("[data-testid=customer-row]")) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__painted = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true });
};

const times = [];
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto(`${base}/customers`);
  await page.waitForFunction(() => window.__painted !== undefined, null, { timeout: 30000 });
  times.push(await page.evaluate(() => window.__painted));
  await context.close();
}
await browser.close();
server.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`| startup: navigation start → Customers table painted (demo data, cold load), median of ${loads} | ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}) |`);
