// Drives the release build in headless Chromium: visits every page of the console, runs axe-core
// on each (failing on any serious or critical violation) and, with --screenshots, saves a
// 1280×800 screenshot of each page under docs/screenshots/ (and 390 px wide ones of a few).
//
// Usage: node scripts/browser-checks.mjs [--screenshots]   (after a release build into dist/)

import { readFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { launchChromium, require, root, serveFiles, spa } from "./browser-support.mjs";

const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const screenshots = process.argv.includes("--screenshots");
const { server, base } = await serveFiles(spa(path.join(root, "dist")));
const browser = await launchChromium();
// axe-core is injected as an inline script, which the page's policy would refuse.
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));

await page.goto(`${base}/customers`);
await page.waitForSelector("[data-testid=customer-row]");
// Find the ids the page list needs from the console's own saved state.
const ids = await page.evaluate(() => {
  const state = JSON.parse(localStorage.getItem("marketplace-console.state"));
  const subs = Object.values(state.subscriptions);
  const customer = Object.values(state.customers).find((c) => c.companyName === "Contoso Ltd");
  const active = subs.find((s) => s.customer === customer.id && s.status === "active") ?? subs.find((s) => s.status === "active");
  const now = Date.now();
  const pending = subs.find((s) => s.status === "pending" && Date.parse(s.activation.expiresAt) > now);
  const offer = state.catalog.offers.find((o) => o.id === pending.item.split(":")[0]);
  return { customer: customer.id, active: [active.customer, active.id], pending: [pending.customer, pending.id, pending.orderId],
           landing: `${offer.landingUrl}?token=${pending.activation.code}` };
});

const pages = [
  ["customers", "/customers"],
  ["customers-search", "/customers?q=to&sort=subscriptions&dir=desc"],
  ["subscriptions", `/customers/${ids.customer}/subscriptions`],
  ["subscriptions-search", `/customers/${ids.customer}/subscriptions?q=sign&sort=quantity&dir=desc`],
  ["customers-scale", "/customers?demo=scale&sort=subscriptions&dir=desc"],
  ["subscription-detail", `/customers/${ids.active[0]}/subscriptions/${ids.active[1]}`],
  ["subscription-action-needed", `/customers/${ids.pending[0]}/subscriptions/${ids.pending[1]}`],
  ["purchase", `/customers/${ids.customer}/purchase`],
  ["order-confirmation", `/customers/${ids.pending[0]}/orders/${ids.pending[2]}`],
  ["publisher-site", ids.landing],
  ["publisher-site-bad-link", "/publisher/contoso-esign/landing?token=EXPIREDORWRONG"],
  ["renewals", "/renewals"],
  ["billing", "/billing"],
  ["billing-invoice", "/billing?invoice=G000000001"],
  ["activity", "/activity"],
  ["activity-filtered", "/activity?operation=Purchase"],
  ["settings", "/settings"],
  ["not-found", "/customers/00000000-0000-4000-8000-000000000000/subscriptions"],
];
const narrow = new Set(["customers", "subscriptions", "subscriptions-search", "subscription-detail", "purchase", "renewals", "billing"]);

// Every page under the built page's own Content-Security-Policy: anything it blocks is a failure.
const strict = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const strictPage = await strict.newPage();
const blocked = [];
strictPage.on("console", (m) => {
  if (m.type() === "error" && m.text().includes("Content Security Policy")) blocked.push(m.text());
});
strictPage.on("pageerror", (e) => errors.push(String(e)));
for (const [name, url] of pages) {
  await strictPage.goto(`${base}${url}`);
  await strictPage.waitForSelector("main h1");
  const [policy, origins] = await strictPage.evaluate(() => [
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? "",
    document.querySelector('meta[name="mc-api-origins"]')?.content ?? null,
  ]);
  if (!policy.includes("script-src 'self' 'wasm-unsafe-eval' 'sha256-") || policy.includes("unsafe-inline")) {
    blocked.push(`${name}: the page's policy is ${JSON.stringify(policy)}`);
  }
  // The page connects only to its own origin and the API origins it was built for, which it names.
  const connect = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("connect-src"));
  if (origins === null || connect !== ["connect-src 'self'", ...origins.split(" ").filter(Boolean)].join(" ")) {
    blocked.push(`${name}: connect-src is ${JSON.stringify(connect)} for the API origins ${JSON.stringify(origins)}`);
  }
}
await strict.close();
console.log(`${blocked.length === 0 ? "ok  " : "FAIL"} ${pages.length} pages under their Content-Security-Policy: ${blocked.length} blocked`);
for (const b of blocked) console.log(`       ${b}`);

let serious = 0;
if (screenshots) await mkdir(path.join(root, "docs", "screenshots"), { recursive: true });
for (const [name, url] of pages) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}${url}`);
  await page.waitForSelector("main h1");
  await page.waitForTimeout(150);
  await page.addScriptTag({ content: axeSource });
  // A card out of view is not rendered until it comes near (content-visibility: auto in the
  // stylesheet); axe checks every card rendered, as a user scrolling to it sees it.
  await page.evaluate(() => document.querySelectorAll(".card").forEach((card) => (card.style.contentVisibility = "visible")));
  const result = await page.evaluate(async () => await axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  serious += bad.length;
  console.log(`${bad.length === 0 ? "ok  " : "FAIL"} ${name.padEnd(28)} axe: ${result.violations.length} violation(s), ${bad.length} serious or critical`);
  for (const v of bad) console.log(`       ${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  if (screenshots) {
    await page.screenshot({ path: path.join(root, "docs", "screenshots", `${name}.png`) });
    if (narrow.has(name)) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(root, "docs", "screenshots", `${name}-390.png`) });
    }
  }
}
// On a phone (390 px) the header and the clock take about 120 px, so the page itself shows.
const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
await phone.goto(`${base}/customers`);
await phone.waitForSelector("main h1");
const headerHeight = Math.round(await phone.evaluate(() => document.querySelector("[data-testid=shell-header]").getBoundingClientRect().height));
const tallHeader = headerHeight > 130;
console.log(`${tallHeader ? "FAIL" : "ok  "} at 390 px the header and the clock take ${headerHeight} px (about 120, at most 130)`);
await phone.close();
await browser.close();
server.close();
if (errors.length) {
  console.log(`page errors:\n${errors.join("\n")}`);
}
console.log(`${pages.length} pages checked with axe-core: ${serious} serious or critical violation(s)`);
process.exit(serious === 0 && errors.length === 0 && blocked.length === 0 && !tallHeader ? 0 : 1);
