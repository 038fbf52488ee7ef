// The console in server mode, end to end: starts the server (target/debug/server) on a free
// loopback port with a fresh database and the release build, then drives every page in headless
// Chromium as partners would — sign-in (refused, then accepted), each page as an Admin agent, what
// a Helpdesk agent's browser receives, a change by another user showing up without a reload and
// without replacing what is typed, the server going away and coming back, a rename surviving a
// reload, and a purchase activated on the publisher's site — and prints one line per step. Then the
// same build deployed on a static host of another origin for this server (its page lists the
// server, as a build with MC_API_ORIGINS does; the server allows that origin with --app-origin):
// it signs in there across origins, and a link or an address typed in Settings naming any other
// server is refused without anything reaching that server.
//
// Usage: node scripts/server-mode-check.mjs   (after `trunk build --release` and `cargo build -p server`)

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchChromium, root, serveFiles } from "./browser-support.mjs";
import { apiOrigins, withPolicy } from "./post-build.mjs";

const password = "server-mode-check";
const scratch = mkdtempSync(path.join(tmpdir(), "mc-server-mode-"));
const database = path.join(scratch, "console.db");
const dist = path.join(root, "dist");
// The build as deployed on a static host of its own origin: dist/ with its page written for the
// server's origin once that is known.
const deployedIndex = path.join(scratch, "index.html");
const { server: statics, base: consoleBase } = await serveFiles((p) =>
  p === "/index.html" ? [deployedIndex] : [path.join(dist, p), deployedIndex]);
function startServer(address) {
  const child = spawn(path.join(root, "target", "debug", "server"),
    ["--database", database, "--address", address, "--dist", dist, "--app-origin", consoleBase],
    { env: { ...process.env, MC_DEMO_PASSWORD: password }, stdio: ["ignore", "pipe", "inherit"] });
  const listening = new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      const found = String(chunk).match(/http:\/\/[\d.:]+/);
      if (found) resolve(found[0]);
    });
    child.on("exit", (code) => reject(new Error(`the server stopped (${code})`)));
  });
  return { child, listening };
}
let server = startServer("127.0.0.1:0");
const base = await server.listening;
writeFileSync(deployedIndex, withPolicy(readFileSync(path.join(dist, "index.html"), "utf8"), apiOrigins(base)));
// A server the console was not deployed for: it notes whatever reaches it.
const trapped = [];
const trap = createServer((req, res) => {
  trapped.push(`${req.method} ${req.url}`);
  res.writeHead(404).end();
});
await new Promise((resolve) => trap.listen(0, "127.0.0.1", resolve));
const trapBase = `http://127.0.0.1:${trap.address().port}`;

let failures = 0;
let passed = 0;
async function step(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
// The server sends a Content-Security-Policy: anything it blocks is a failure.
page.on("console", (m) => {
  if (m.type() === "error" && m.text().includes("Content Security Policy")) errors.push(m.text());
});

await step("a wrong password is refused with a clear message", async () => {
  await page.goto(`${base}/customers?source=server`);
  await page.waitForSelector("[data-testid=signin-email]");
  await page.fill("[data-testid=signin-email]", "adele.vance@relecloud-partners.example");
  await page.fill("[data-testid=signin-password]", "not the password");
  await page.click("[data-testid=signin-submit]");
  await page.waitForSelector("#signin-feedback .feedback--error");
  expect((await page.textContent("#signin-feedback")).includes("password is not right"), "no refusal shown");
});

await step("the console is served with a Content-Security-Policy for its own scripts only", async () => {
  const response = await page.request.get(`${base}/customers`);
  const policy = response.headers()["content-security-policy"] ?? "";
  expect(policy.includes("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), `policy: ${policy}`);
  expect(!policy.includes("unsafe-inline"), "unsafe-inline is allowed");
});

await step("an Admin agent signs in and sees the server's customers", async () => {
  await page.fill("[data-testid=signin-password]", password);
  await page.click("[data-testid=signin-submit]");
  await page.waitForSelector("[data-testid=customer-row]", { timeout: 20000 });
  expect((await page.textContent("[data-testid=data-source]")).includes("Server"), "the header does not say Server");
  expect((await page.textContent("[data-testid=signed-in-user]")).includes("Adele Vance — Admin agent"), "the user is not shown");
});

const admin = await page.evaluate(() => localStorage.getItem("marketplace-console.server-token"));
/// A console read as a user of `token` asks it (the server's answer, parsed).
async function read(token, name, body) {
  const response = await page.request.post(`${base}/v1/console/reads/${name}`, {
    headers: { authorization: `Bearer ${token}` }, data: body,
  });
  return { status: response.status(), body: await response.json() };
}
const contoso = (await read(admin, "customers", { text: "contoso ltd", sort: "companyName", direction: "ascending", page: 1, pageSize: 5 }))
  .body.answer.rows[0].customer.id;
const contosoSubs = (await read(admin, "subscriptions", { customer: contoso, query: { text: "", status: null, sort: "newest", direction: "ascending", page: 1, pageSize: 100 } }))
  .body.answer.rows.map((r) => r.subscription);
const activeSub = contosoSubs.find((s) => s.status === "active");
const firstOrder = contosoSubs[0].orderId;

/// Opens `path` and waits for `testid`; no page of the console may say it could not load.
async function opens(path, testid) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector(`[data-testid=${testid}]`, { timeout: 20000 });
  expect(!(await page.$("[data-testid=load-failed]")), `${path}: ${await page.textContent("main")}`);
}

await step("every page opens from the server for an Admin agent", async () => {
  await opens("/customers?q=wing&sort=domain&dir=desc", "customer-row");
  await opens("/customers?page=2", "customer-row");
  await opens(`/customers/${contoso}/subscriptions?status=active&sort=quantity`, "subscription-row");
  await opens(`/customers/${contoso}/subscriptions/${activeSub.id}`, "charge-row");
  await opens(`/customers/${contoso}/purchase`, "offer-DZH318Z0BXWC");
  await opens(`/customers/${contoso}/orders/${firstOrder}`, "order-line");
  await opens("/renewals?days=90", "term-ends");
  await opens("/billing", "invoice-row");
  const invoice = await page.textContent("[data-testid=invoice-row] button");
  await opens(`/billing?invoice=${invoice}`, "invoice-lines");
  await opens("/activity?operation=Purchase", "activity-table");
  expect((await page.textContent("[data-testid=activity-count]")).includes("entries match"), "no count");
  await opens("/settings", "sales-restriction");
});

await step("a Helpdesk agent's browser receives no charge, invoice or billing figure, and is told why", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const helpdesk = await context.newPage();
  helpdesk.on("pageerror", (e) => errors.push(String(e)));
  const received = [];
  helpdesk.on("response", async (r) => {
    if (r.url().includes("/v1/console/")) received.push(await r.text().catch(() => ""));
  });
  await helpdesk.goto(`${base}/customers?source=server`);
  await helpdesk.fill("[data-testid=signin-email]", "diego.siciliani@relecloud-partners.example");
  await helpdesk.fill("[data-testid=signin-password]", password);
  await helpdesk.click("[data-testid=signin-submit]");
  await helpdesk.waitForSelector("[data-testid=customer-row]", { timeout: 20000 });
  await helpdesk.goto(`${base}/customers/${contoso}/subscriptions/${activeSub.id}`);
  await helpdesk.waitForSelector("[data-testid=charges-hidden]", { timeout: 20000 });
  expect((await helpdesk.textContent("[data-testid=nickname-card] [data-testid=blocked-reason]")).length > 0, "no reason shown");
  await helpdesk.goto(`${base}/billing`);
  await helpdesk.waitForSelector("#billing-blocked", { timeout: 20000 });
  await helpdesk.goto(`${base}/renewals`);
  await helpdesk.waitForSelector("[data-testid=term-ends]", { timeout: 20000 });
  await helpdesk.goto(`${base}/activity`);
  await helpdesk.waitForSelector("[data-testid=activity-table]", { timeout: 20000 });
  await helpdesk.waitForTimeout(500);
  const all = received.join("\n");
  expect(received.length >= 5, `only ${received.length} answers seen`);
  expect(!all.includes("chargeType"), "a charge reached the Helpdesk agent's browser");
  expect(!/"G\d{9}"/.test(all), "an invoice number reached the Helpdesk agent's browser");
  expect(!/"(refund|renewalCharge)":\{/.test(all), "a billing figure reached the Helpdesk agent's browser");
  await context.close();
});

await step("a change by another user shows up without a reload and never replaces what is typed", async () => {
  const path = `/customers/${contoso}/subscriptions/${activeSub.id}`;
  await opens(path, "nickname-input");
  await page.fill("[data-testid=nickname-input]", "What Adele is typing");
  const context = await browser.newContext();
  const other = await context.newPage();
  const signin = await other.request.post(`${base}/v1/signin`, {
    data: { email: "megan.bowen@relecloud-partners.example", password },
  });
  const token = (await signin.json()).token;
  const renamed = await other.request.post(`${base}/v1/console/commands`, {
    headers: { authorization: `Bearer ${token}` },
    data: { command: { rename: { subscription: activeSub.id, nickname: "Renamed by Megan" } } },
  });
  expect(renamed.status() === 200, `the other rename: ${renamed.status()}`);
  await page.waitForSelector("[data-testid=changed-meanwhile]", { timeout: 10000 });
  const said = await page.textContent("[data-testid=changed-meanwhile]");
  expect(said.includes("Megan Bowen") && said.includes("Renamed by Megan"), said);
  expect((await page.inputValue("[data-testid=nickname-input]")) === "What Adele is typing", "the typed value was replaced");
  expect((await page.textContent("[data-testid=subscription-title]")).includes("Renamed by Megan"), "the title did not follow");
  await context.close();
});

let detail;
await step("a rename is saved on the server and survives a reload", async () => {
  await opens("/customers", "customer-search");
  await page.fill("[data-testid=customer-search]", "contoso ltd");
  await page.click("[data-testid=customer-row] a");
  await page.waitForSelector("[data-testid=subscription-row]");
  const rows = await page.$$eval("[data-testid=subscription-row]", (rs) =>
    rs.map((r) => ({ text: r.textContent, href: r.querySelector("a").getAttribute("href") })));
  detail = rows.find((r) => r.text.includes("Active")).href;
  await page.goto(`${base}${detail}`);
  await page.waitForSelector("[data-testid=nickname-input]:not([disabled])");
  await page.fill("[data-testid=nickname-input]", "Renamed on the server");
  await page.click("[data-testid=nickname-save]");
  await page.waitForSelector("#nickname-feedback .feedback--success", { timeout: 10000 });
  await page.reload();
  await page.waitForSelector("[data-testid=subscription-title]", { timeout: 20000 });
  expect((await page.textContent("[data-testid=subscription-title]")).includes("Renamed on the server"), "the rename was lost");
});

await step("with the server down a change is refused, what was typed is kept, and it saves once the server is back", async () => {
  server.listening.catch(() => {});
  server.child.kill("SIGKILL");
  await new Promise((resolve) => server.child.once("exit", resolve));
  await page.waitForSelector("[data-testid=connection].banner--error", { timeout: 15000 });
  await page.fill("[data-testid=nickname-input]", "Typed while the server was down");
  await page.click("[data-testid=nickname-save]");
  await page.waitForSelector("#nickname-feedback .feedback--error", { timeout: 15000 });
  const told = await page.textContent("#nickname-feedback");
  expect(told.includes("could not be reached"), "no connection message");
  expect(!/TypeError|Failed to fetch|NetworkError/.test(told), `a raw browser error: ${told}`);
  expect((await page.inputValue("[data-testid=nickname-input]")) === "Typed while the server was down", "the typed value was lost");
  server = startServer(base.replace("http://", ""));
  await server.listening;
  await page.waitForSelector("[data-testid=connection].banner--success", { timeout: 15000 });
  await page.click("[data-testid=nickname-save]");
  await page.waitForSelector("#nickname-feedback .feedback--success", { timeout: 15000 });
  expect((await page.textContent("[data-testid=subscription-title]")).includes("Typed while the server was down"), "not saved after retry");
});

await step("a page that cannot be read says what failed, and Retry reads it once the server is back", async () => {
  server.listening.catch(() => {});
  server.child.kill("SIGKILL");
  await new Promise((resolve) => server.child.once("exit", resolve));
  await page.click("[data-testid=shell-header] nav a[href='/renewals']");
  await page.waitForSelector("[data-testid=load-failed]", { timeout: 15000 });
  const said = await page.textContent("[data-testid=load-failed]");
  expect(said.includes("The renewals could not be loaded") && said.includes("could not be reached"), said);
  server = startServer(base.replace("http://", ""));
  await server.listening;
  await page.click("[data-testid=load-retry]");
  await page.waitForSelector("[data-testid=term-ends]", { timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector("[data-testid=load-failed]"), null, { timeout: 15000 });
  await page.goBack();
  await page.waitForSelector("[data-testid=quantity-input]", { timeout: 15000 });
});

await step("an out-of-range quantity is refused by the server and the typed value is kept", async () => {
  await page.fill("[data-testid=quantity-input]", "999999");
  await page.click("[data-testid=quantity-submit]");
  await page.waitForSelector("#quantity-feedback .feedback--error", { timeout: 10000 });
  expect((await page.textContent("#quantity-feedback")).includes("Quantity must be between"), "no rule in the message");
  expect((await page.inputValue("[data-testid=quantity-input]")) === "999999", "the typed value was lost");
});

await step("a purchase's link opens the publisher's site in a private window with no partner sign-in, and activating there makes it Active with a charge", async () => {
  await page.click("text=Contoso Ltd");
  await page.click("[data-testid=add-subscription]");
  const card = page.locator("[data-testid=offer-DZH318Z0BXWC]");
  await card.locator("[data-testid=purchase-quantity]").fill("2");
  await card.locator("[data-testid=add-to-cart]").click();
  await page.click("[data-testid=buy]");
  await page.waitForSelector("[data-testid=order-confirmation]", { timeout: 10000 });
  // The personalized link, opened as the seed says: pasted into a private window (a fresh
  // browser context, nothing stored), with no partner sign-in.
  const link = await page.getAttribute("[data-testid=go-to-publisher]", "href");
  expect(link.startsWith(`${base}/publisher/`) && link.includes("source=server"), `the link does not name its server: ${link}`);
  const privateWindow = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const site = await privateWindow.newPage();
  site.on("pageerror", (e) => errors.push(String(e)));
  await site.goto(link);
  await site.waitForSelector("[data-testid=publisher-licenses]", { timeout: 20000 });
  expect(!(await site.$("[data-testid=signin-email]")), "the private window asked for a partner sign-in");
  expect((await site.textContent(".publisher-site__header")).includes("Contoso"), "the publisher's name is not shown");
  await site.fill("[data-testid=publisher-licenses]", "megan@contoso.onmicrosoft.com");
  await site.click("[data-testid=assign-licenses]");
  await site.waitForSelector("#publisher-feedback .feedback--success", { timeout: 10000 });
  await site.click("[data-testid=activate]");
  await site.waitForSelector("[data-testid=activated]", { timeout: 10000 });
  const back = await site.getAttribute("[data-testid=publisher-setup] a", "href");
  await privateWindow.close();
  await page.goto(`${base}${back}`);
  await page.waitForSelector("[data-testid=charge-row]", { timeout: 10000 });
  expect((await page.textContent("[data-testid=subscription-title]")).includes("Active"), "not Active");
  expect((await page.textContent("[data-testid=charge-row]")).includes("$24.00"), "no first charge of 2 × $12.00");
});

const deployed = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const remote = await deployed.newPage();
remote.on("pageerror", (e) => errors.push(String(e)));
const violations = [];
remote.on("console", (m) => {
  if (m.type() === "error" && m.text().includes("Content Security Policy")) violations.push(m.text());
});

await step("a console deployed on another origin signs in to its server there, and its page connects only to it", async () => {
  await remote.goto(`${consoleBase}/customers?source=server&api=${base}/`);
  await remote.waitForSelector("[data-testid=signin-email]", { timeout: 20000 });
  await remote.fill("[data-testid=signin-email]", "adele.vance@relecloud-partners.example");
  await remote.fill("[data-testid=signin-password]", password);
  await remote.click("[data-testid=signin-submit]");
  await remote.waitForSelector("[data-testid=customer-row]", { timeout: 20000 });
  const source = await remote.textContent("[data-testid=data-source]");
  expect(source === `Data: Server (${base})`, `the header says ${source}`);
  const policy = await remote.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  expect(policy.includes(`; connect-src 'self' ${base};`), `policy: ${policy}`);
  expect(violations.length === 0, violations.join("\n"));
});

await step("a signed-in partner following a link to another server stays with the deployed one, sending nothing there", async () => {
  await remote.goto(`${consoleBase}/customers?source=server&api=${trapBase}`);
  await remote.waitForSelector("[data-testid=data-notice]", { timeout: 20000 });
  const notice = await remote.textContent("[data-testid=data-notice]");
  expect(notice.includes(`not deployed to use the server at “${trapBase}”, so it does not send your sign-in there`), notice);
  expect(notice.includes(`this page's server, ${base}.`) && notice.includes(`It keeps using the server at ${base}.`), notice);
  await remote.waitForSelector("[data-testid=customer-row]", { timeout: 20000 });
  expect((await remote.textContent("[data-testid=data-source]")) === `Data: Server (${base})`, "the server changed");
  expect(trapped.length === 0, `the other server received ${trapped.join(", ")}`);
});

await step("Settings refuses another server beside its field and keeps what was typed", async () => {
  await remote.click("[data-testid=shell-header] nav a[href='/settings']");
  await remote.fill("[data-testid=server-url]", `${trapBase}/`);
  await remote.click("[data-testid=use-server]");
  await remote.waitForSelector("#source-feedback .feedback--error", { timeout: 10000 });
  const said = await remote.textContent("#source-feedback");
  expect(said.includes(`“${trapBase}/”`) && said.includes(base), said);
  expect((await remote.inputValue("[data-testid=server-url]")) === `${trapBase}/`, "the typed address was lost");
  expect(new URL(remote.url()).pathname === "/settings", `the console went to ${remote.url()}`);
  expect(trapped.length === 0, `the other server received ${trapped.join(", ")}`);
});

await step("the deployed page's policy refuses a connection to any other origin", async () => {
  const outcome = await remote.evaluate((url) => fetch(url).then(() => "sent", () => "refused"), `${trapBase}/v1/signin`);
  expect(outcome === "refused", `a request to the other server was ${outcome}`);
  expect(violations.some((v) => v.includes("connect-src")), "no connect-src violation reported");
  expect(trapped.length === 0, `the other server received ${trapped.join(", ")}`);
});
await step("signing out ends the token on the server, and the deployed console kept it for its server only", async () => {
  const keys = await remote.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("marketplace-console.server-token")));
  expect(keys.length === 1 && keys[0] === `marketplace-console.server-token ${base}`, `tokens kept: ${keys}`);
  const token = await remote.evaluate((key) => localStorage.getItem(key), keys[0]);
  expect((await read(token, "me", {})).status === 200, "the token did not work before signing out");
  await remote.click("[data-testid=shell-header] button:has-text('Sign out')");
  await remote.waitForSelector("[data-testid=signin-email]", { timeout: 20000 });
  for (let i = 0; i < 50 && (await read(token, "me", {})).status !== 401; i++) await remote.waitForTimeout(100);
  const after = await read(token, "me", {});
  expect(after.status === 401, `after signing out the server answered ${after.status}`);
});
await deployed.close();

await browser.close();
server.child.kill();
statics.close();
trap.close();
if (errors.length) {
  failures++;
  console.log(`FAIL page errors:\n${errors.join("\n")}`);
}
console.log(`server mode in headless Chromium: ${passed} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
