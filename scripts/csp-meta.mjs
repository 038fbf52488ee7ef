// Trunk's post-build hook: writes a Content-Security-Policy into the built index.html, so the
// console runs only its own scripts wherever it is served (trunk serve, a static host, the
// server). Trunk inlines a small module script that loads the wasm; its SHA-256 is allowed and
// nothing else inline. `connect-src` stays open to http(s) because the console may be pointed at a
// Partner-Center-shaped API on another origin (Settings → data source).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
const file = path.join(dir, "index.html");
let html = readFileSync(file, "utf8");
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
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, "");
html = html.replace(/(<meta charset="utf-8"\s*\/?>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes("Content-Security-Policy")) throw new Error("index.html has no <meta charset> to put the policy after");
writeFileSync(file, html);
