// Startup of the release build in headless Chromium: navigation start → the Customers table
// painted with the demo data, over cold loads (a new browser context each: empty cache and
// storage, so each load fetches, compiles and starts the wasm and makes the demo data).
// Prints one Markdown table row: median, min and max of the loads.
//
// Usage: node scripts/startup-bench.mjs [loads]   (after a release build into dist/)

import path from "node:path";
import { launchChromium, root, serveFiles, spa } from "./browser-support.mjs";

const loads = Number(process.argv[2] ?? 12);
const { server, base } = await serveFiles(spa(path.join(root, "dist")));
const browser = await launchChromium();

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
