// Trunk's post-build hook, over the staged build:
// 1. In a release build, minifies the JS glue wasm-bindgen writes (terser; about 50 KB → 23 KB,
//    7.3 → 5.5 KB brotli) and writes its new SHA-384 into index.html's integrity attribute. Trunk
//    itself minifies the HTML and CSS (Trunk.toml) but leaves this module as it is.
// 2. Writes a Content-Security-Policy into index.html, so the console runs only its own scripts
//    wherever it is served (trunk serve, a static host, the server). Trunk inlines a small module
//    script that loads the wasm; its SHA-256 is allowed and nothing else inline.
// 3. Writes the API origins the console may send a partner's sign-in to: MC_API_ORIGINS, origins
//    separated by spaces (`http` or `https`, a host, an optional port, nothing else), e.g.
//    MC_API_ORIGINS="http://127.0.0.1:8081 https://api.example.com". They go into
//    <meta name="mc-api-origins">, which the console reads at start and refuses any other server
//    by (app/src/source/origins.rs), and into the policy's `connect-src`, which is `'self'` and
//    exactly those origins: with none set, the console talks only to the origin that served it.
//    A malformed origin stops the build.
//
// Run by hand on a built page, it writes the policy and the origins for another deployment
// without building again (the release build's JS is left as it is):
//   MC_API_ORIGINS="https://api.example.com" node scripts/post-build.mjs dist
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/// The origins `value` lists (MC_API_ORIGINS), normalized as a browser writes `location.origin`
/// (lower case, no default port); throws naming the first entry that is not an http(s) origin.
export function apiOrigins(value = "") {
  const origins = [];
  for (const entry of value.split(/\s+/).filter(Boolean)) {
    // Only what app/src/source/origins.rs accepts too: no credentials, path, query or fragment,
    // no IP version 6 address (a policy's host-source cannot name one), ASCII host names.
    const shape = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?\/?$/i.exec(entry);
    const port = shape?.[3] === undefined ? null : Number(shape[3]);
    if (!shape || (port !== null && (port < 1 || port > 65535))) {
      throw new Error(`MC_API_ORIGINS: ${JSON.stringify(entry)} is not an origin (http or https, a host, an optional port, nothing else), e.g. https://api.example.com or http://127.0.0.1:8081`);
    }
    const origin = new URL(entry).origin;
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/// The page's Content-Security-Policy for `html` (its inline scripts allowed by hash) and the
/// API origins it may connect to.
export function policyFor(html, origins) {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1])
    .filter((body) => body.trim() !== "")
    .map((body) => ` 'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`)
    .join("");
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${hashes}`,
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...origins].join(" "),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

/// `html` with its policy and its API origins written (any earlier ones replaced), checked.
export function withPolicy(html, origins) {
  html = html.replace(/<meta http-equiv="?Content-Security-Policy"?[^>]*>\s*/g, "");
  html = html.replace(/<meta name="?mc-api-origins"?[^>]*>\s*/g, "");
  const policy = policyFor(html, origins);
  html = html.replace(/(<meta charset="?utf-8"?\s*\/?>)/,
    `$1<meta http-equiv="Content-Security-Policy" content="${policy}"><meta name="mc-api-origins" content="${origins.join(" ")}">`);
  if (!html.includes("Content-Security-Policy")) throw new Error("index.html has no <meta charset> to put the policy after");
  checkPolicy(html, origins);
  return html;
}

/// Throws unless `html` holds one policy whose `connect-src` is `'self'` and exactly `origins`,
/// and one mc-api-origins element listing the same.
export function checkPolicy(html, origins) {
  const policies = [...html.matchAll(/<meta http-equiv="?Content-Security-Policy"? content="([^"]*)">/g)].map((m) => m[1]);
  const lists = [...html.matchAll(/<meta name="?mc-api-origins"? content="([^"]*)">/g)].map((m) => m[1]);
  if (policies.length !== 1 || lists.length !== 1) {
    throw new Error(`index.html must hold one policy and one mc-api-origins element (it holds ${policies.length} and ${lists.length})`);
  }
  const connect = policies[0].split(";").map((d) => d.trim()).filter((d) => d.startsWith("connect-src "));
  const want = ["connect-src", "'self'", ...origins].join(" ");
  if (connect.length !== 1 || connect[0].split(/\s+/).join(" ") !== want) {
    throw new Error(`index.html's connect-src is ${JSON.stringify(connect.join("; "))}, not ${JSON.stringify(want)}`);
  }
  if (lists[0] !== origins.join(" ")) {
    throw new Error(`index.html's mc-api-origins is ${JSON.stringify(lists[0])}, not ${JSON.stringify(origins.join(" "))}`);
  }
}

/// Minifies the JS glue in `dir` and writes each file's new integrity into `html`.
async function minifyGlue(dir, html) {
  const tools = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".tools", "package.json");
  const { minify } = createRequire(tools)("terser");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
    const source = readFileSync(path.join(dir, name), "utf8");
    const { code } = await minify(source, { module: true, compress: true, mangle: true });
    writeFileSync(path.join(dir, name), code);
    const integrity = `sha384-${createHash("sha384").update(code, "utf8").digest("base64")}`;
    // The attribute that follows the file's href, quoted or not (minified HTML).
    const link = new RegExp(`(href="?/${name.replace(/[.]/g, "[.]")}"?[^>]*?integrity=)("?)sha384-[A-Za-z0-9+/=]+\\2`);
    if (!link.test(html)) throw new Error(`index.html has no integrity for ${name}`);
    html = html.replace(link, `$1$2${integrity}$2`);
  }
  return html;
}

// Run as a script (trunk's hook, or by hand), not imported by a check.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const built = process.argv[2];
  const dir = built ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error("run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set), or with a built directory");
  const origins = apiOrigins(process.env.MC_API_ORIGINS);
  const file = path.join(dir, "index.html");
  let html = readFileSync(file, "utf8");
  if (!built && process.env.TRUNK_PROFILE === "release") html = await minifyGlue(dir, html);
  writeFileSync(file, withPolicy(html, origins));
  if (origins.length) console.log(`index.html: the console may use this page's server and ${origins.join(", ")}`);
}
