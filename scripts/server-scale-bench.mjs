// Server mode at partner scale: the server (target/release/server) with 10,000 customers and
// 100,000 subscriptions (made once through the engine by `--demo scale`, kept in
// target/scale-server.db), the release build served by it, and the console in headless Chromium.
// Each round is a fresh tab: sign-in → the Customers table painted (and the bytes the tab received
// for it), opening the customer with 5,000 subscriptions, a search keystroke there, opening a
// subscription, and the tab's JS heap afterwards. Prints Markdown table rows with the median of
// the rounds.
//
// Usage: node scripts/server-scale-bench.mjs [rounds]   (after `trunk build --release` and
// `cargo build --release -p server`)

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { launchChromium, root } from "./browser-support.mjs";

const rounds = Number(process.argv[2] ?? 5);
const password = "scale-bench";
const database = path.join(root, "target", "scale-server.db");
const fresh = !existsSync(database);
const server = spawn(path.join(root, "target", "release", "server"),
  ["--database", database, "--address", "127.0.0.1:0", "--dist", path.join(root, "dist"), "--demo", "scale"],
  { env: { ...process.env, MC_DEMO_PASSWORD: password }, stdio: ["ignore", "pipe", "ignore"] });
// Whatever happens, the server does not outlive the bench.
process.on("exit", () => server.kill());
const base = await new Promise((resolve, reject) => {
  server.stdout.on("data", (chunk) => {
    const found = String(chunk).match(/http:\/\/[\d.:]+/);
    if (found) resolve(found[0]);
  });
  server.on("exit", (code) => reject(new Error(`the server stopped (${code})`)));
});
if (fresh) console.error("made the scale database (10,000 customers, 100,000 subscriptions) in target/scale-server.db");

const browser = await launchChromium();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const until = (page, test, arg = null) => page.waitForFunction(test, arg, { timeout: 60000, polling: "raf" });

/// Milliseconds from running `act` in the page to the frame after `done` first holds there.
async function timed(page, act, done, arg = null) {
  const t0 = await page.evaluate(() => performance.now());
  await act();
  await until(page, done, arg);
  return (await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))))) - t0;
}

const figures = { signin: [], bytes: [], customer: [], keystroke: [], subscription: [], heap: [] };
for (let round = 0; round < rounds; round++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Performance.enable");
  // Bytes on the wire per request: its total when it finished, or what arrived so far (the stream
  // of change notices stays open).
  let requests = new Map();
  const add = (id, bytes, total) => {
    const seen = requests.get(id) ?? { streamed: 0, total: 0 };
    seen.streamed += bytes;
    seen.total = Math.max(seen.total, total);
    requests.set(id, seen);
  };
  cdp.on("Network.dataReceived", (e) => add(e.requestId, e.encodedDataLength, 0));
  cdp.on("Network.loadingFinished", (e) => add(e.requestId, 0, e.encodedDataLength));
  const received = () => [...requests.values()].reduce((sum, r) => sum + Math.max(r.streamed, r.total), 0);
  await page.goto(`${base}/customers?source=server`);
  await page.waitForSelector("[data-testid=signin-email]");
  await page.fill("[data-testid=signin-email]", "adele.vance@relecloud-partners.example");
  await page.fill("[data-testid=signin-password]", password);
  requests = new Map();
  figures.signin.push(await timed(page, () => page.click("[data-testid=signin-submit]"),
    () => document.querySelectorAll("[data-testid=customer-row]").length > 0));
  figures.bytes.push(received());

  // The customer with the most subscriptions, opened the way a partner does: found by search,
  // then its link.
  const largest = await page.evaluate(async () => {
    const token = localStorage.getItem("marketplace-console.server-token");
    const r = await fetch("/v1/console/reads/customers", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "", sort: "subscriptions", direction: "descending", page: 1, pageSize: 1 }) });
    return (await r.json()).answer.rows[0].customer;
  });
  await page.fill("[data-testid=customer-search]", largest.primaryDomain);
  await until(page, (name) => [...document.querySelectorAll("[data-testid=customer-row] a")].some((a) => a.textContent === name), largest.companyName);
  figures.customer.push(await timed(page, () => page.click(`[data-testid=customer-row] a[href*="${largest.id}"]`),
    () => document.querySelectorAll("[data-testid=subscription-row]").length === 25 &&
      document.querySelector("[data-testid=subscriptions-table]").getAttribute("aria-busy") === "false"));

  // One keystroke in the search box: the rows for it painted (the table is busy from the
  // keystroke until its answer is shown).
  figures.keystroke.push(await timed(page, () => page.type("[data-testid=subscription-search]", "s"),
    () => location.search.includes("q=s") &&
      document.querySelector("[data-testid=subscriptions-table]").getAttribute("aria-busy") === "false" &&
      document.querySelectorAll("[data-testid=subscription-row]").length > 0));

  figures.subscription.push(await timed(page, () => page.click("[data-testid=subscription-row] td a"),
    () => document.querySelector("[data-testid=subscription-title]") && document.querySelector("[data-testid=fact-id]")));

  await cdp.send("HeapProfiler.collectGarbage");
  const metrics = (await cdp.send("Performance.getMetrics")).metrics;
  figures.heap.push(metrics.find((m) => m.name === "JSHeapUsedSize").value);
  await context.close();
}
await browser.close();
server.kill();

const ms = (xs) => `${median(xs).toFixed(0)} ms`;
console.log(`| server mode at scale: sign-in → Customers painted, median of ${rounds} (target ≤ 1 s) | ${ms(figures.signin)} |`);
console.log(`| server mode at scale: bytes received for it (target ≤ 100 KB) | ${(median(figures.bytes) / 1000).toFixed(1)} kB |`);
console.log(`| server mode at scale: open the customer with 5,000 subscriptions (target ≤ 150 ms) | ${ms(figures.customer)} |`);
console.log(`| server mode at scale: a search keystroke there (target ≤ 150 ms) | ${ms(figures.keystroke)} |`);
console.log(`| server mode at scale: open a subscription (target ≤ 150 ms) | ${ms(figures.subscription)} |`);
console.log(`| server mode at scale: the tab's JS heap afterwards (target ≤ 50 MB) | ${(median(figures.heap) / 1e6).toFixed(1)} MB |`);
