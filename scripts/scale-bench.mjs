// Scale, side by side: the console (release build, in-browser mode with `?demo=scale`: 10,000
// customers, the first with 5,000 more subscriptions) and the hand-written page under
// bench/vanilla/ rendering the same data set from JSON, driven the same way in one headless
// Chromium. Each operation is timed from the user's action to the last change of the page (the DOM
// updated and laid out), median of several rounds. Prints Markdown table rows.
//
// Usage: node scripts/scale-bench.mjs <dir with customers.json and subscriptions.json> [rounds]

import path from "node:path";
import { launchChromium, root, serveFiles, spa } from "./browser-support.mjs";

const data = path.resolve(process.argv[2] ?? "");
const rounds = Number(process.argv[3] ?? 7);
// The console's build (or DIST), and the comparison page with the data set and the stylesheet.
const consoleFiles = spa(process.env.DIST ?? path.join(root, "dist"));
const { server, base } = await serveFiles((p) => {
  if (p === "/vanilla/style.css") return [path.join(root, "style", "main.css")];
  if (p.startsWith("/vanilla/data/")) return [path.join(data, path.basename(p))];
  if (p.startsWith("/vanilla/")) return [path.join(root, "bench", p === "/vanilla/" ? "vanilla/index.html" : p)];
  return consoleFiles(p);
});
const browser = await launchChromium();

// In the page: runs `act`, then records the time of every later change to the document (laying it
// out each time) until nothing has changed for 300 ms; answers the last change's time after `act`.
const harness = () => {
  window.__measure = (act, quiet) =>
    new Promise((resolve, reject) => {
      let last = null;
      const observer = new MutationObserver(() => {
        document.body.getBoundingClientRect();
        last = performance.now();
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      const t0 = performance.now();
      act();
      const started = performance.now();
      const tick = () => {
        const now = performance.now();
        if (quiet && last === null && now - started > 300) {
          observer.disconnect();
          resolve(0);
        } else if (last !== null && now - last > 300) {
          observer.disconnect();
          resolve(last - t0);
        } else if (now - started > 20000) {
          observer.disconnect();
          reject(new Error("the page did not change"));
        } else setTimeout(tick, 25);
      };
      setTimeout(tick, 25);
    });
  window.__click = (selector) => document.querySelector(selector).click();
  window.__type = (selector, value) => {
    const input = document.querySelector(selector);
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
};

// A measured action must change the page; a setting-up one (`quiet`) may leave it as it is.
const act = (page, kind, selector, value, quiet = true) =>
  page.evaluate(
    ([kind, selector, value, quiet]) => window.__measure(() => (kind === "click" ? window.__click(selector) : window.__type(selector, value)), quiet),
    [kind, selector, value, quiet],
  );
// What the page shows after an operation: its heading, the first row's link and the page count.
const position = (page) =>
  page.evaluate(() => ({
    heading: document.querySelector("h1")?.textContent.trim() ?? "",
    first: document.querySelector("tbody tr a")?.textContent.trim() ?? "",
    count: document.querySelector("[data-testid=page-position]")?.textContent.trim() ?? "",
  }));

async function run(url, ready, nav) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(harness);
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 120000 });
  const times = {};
  const seen = {};
  const measure = async (name, kind, selector, value) => {
    const ms = await act(page, kind, selector, value, false);
    (times[name] ??= []).push(ms);
    seen[name] = await position(page);
  };
  const firstRow = (testid) => `[data-testid=${testid}] a`;
  for (let round = 0; round < rounds; round++) {
    await act(page, "click", nav.settings);
    await measure("Customers (10,000): first render", "click", nav.customers);
    await measure("Customers (10,000): search keystroke", "type", "[data-testid=customer-search]", "w");
    await act(page, "type", "[data-testid=customer-search]", "");
    await measure("Customers (10,000): sort by domain", "click", "[data-testid=sort-domain]");
    await measure("Customers (10,000): open a customer", "click", firstRow("customer-row"));
    await act(page, "click", nav.customers);
    await act(page, "click", "[data-testid=sort-subscriptions]");
    await act(page, "click", "[data-testid=sort-subscriptions]");
    await measure("Subscriptions (5,000): first render", "click", firstRow("customer-row"));
    await measure("Subscriptions (5,000): search keystroke", "type", "[data-testid=subscription-search]", "w");
    await act(page, "type", "[data-testid=subscription-search]", "");
    await measure("Subscriptions (5,000): sort by quantity", "click", "[data-testid=sort-quantity]");
    await measure("Subscriptions (5,000): open a subscription", "click", firstRow("subscription-row"));
  }
  await context.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { ms: median(v), seen: seen[k] }]));
}

const ours = await run(
  `${base}/settings?demo=scale`,
  () => document.body.innerText.includes("Scale demo"),
  { settings: 'a[href="/settings"]', customers: 'a[href="/customers"]' },
);
const vanilla = await run(`${base}/vanilla/`, () => document.querySelector("[data-testid=ready]"), {
  settings: "[data-nav=settings]",
  customers: "[data-nav=customers]",
});
await browser.close();
server.close();

for (const [name, o] of Object.entries(ours)) {
  const v = vanilla[name];
  const ratio = o.ms / Math.max(v.ms, 0.1);
  const verdict = o.ms <= 50 && ratio <= 1.5 ? "within target" : "over target (≤ 1.5× and < 50 ms)";
  console.log(`| scale: ${name}, median of ${rounds} | ours ${o.ms.toFixed(1)} ms, vanilla ${v.ms.toFixed(1)} ms, ratio ${ratio.toFixed(2)}× — ${verdict} |`);
  if (process.env.SCALE_BENCH_VERBOSE) console.error(`  ours: ${JSON.stringify(o.seen)}\n  vanilla: ${JSON.stringify(v.seen)}`);
}
// Both pages must have shown the same thing: the heading, the first row and, where both show
// one, the page count.
const differ = Object.entries(ours).filter(([name, o]) => {
  const v = vanilla[name].seen;
  return o.seen.heading !== v.heading || o.seen.first !== v.first || (o.seen.count && v.count && o.seen.count !== v.count);
});
for (const [name, o] of differ) console.error(`${name}: the console showed ${JSON.stringify(o.seen)}, the hand-written page ${JSON.stringify(vanilla[name].seen)}`);
console.log(`| scale: both pages showed the same heading, first row and count after each operation | ${differ.length ? "no" : "yes"} |`);
if (differ.length) process.exitCode = 1;
