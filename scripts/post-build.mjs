// Trunk's post-build hook, over the staged build:
// 1. In a release build, minifies the JS glue wasm-bindgen writes (terser; about 50 KB → 23 KB,
//    7.3 → 5.5 KB brotli) and writes its new SHA-384 into index.html's integrity attribute. Trunk
//    itself minifies the HTML and CSS (Trunk.toml) but leaves this module as it is.
// 2. Writes a Content-Security-Policy into index.html, so the console runs only its own scripts
//    wherever it is served (trunk serve, a static host, the server). Trunk inlines a small module
//    script that loads the wasm; its SHA-256 is allowed and nothing else inline. `connect-src`
//    stays open to http(s) because the console may be pointed at a Partner-Center-shaped API on
//    another origin (Settings → data source).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
const file = path.join(dir, "index.html");
let html = readFileSync(file, "utf8");

if (process.env.TRUNK_PROFILE === "release") {
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
}

const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => m[1])
  .filter((body) => body.trim() !== "")
  .map((body) => ` 'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`)
  .join("");
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval'${hashes}`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");
html = html.replace(/<meta http-equiv="?Content-Security-Policy"?[^>]*>\s*/g, "");
html = html.replace(/(<meta charset="?utf-8"?\s*\/?>)/, `$1<meta http-equiv="Content-Security-Policy" content="${policy}">`);
if (!html.includes("Content-Security-Policy")) throw new Error("index.html has no <meta charset> to put the policy after");
writeFileSync(file, html);
