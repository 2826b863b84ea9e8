// The first load's JavaScript budget: what index.html pulls in before any page is shown
// (the entry and its static imports), gzipped. A phone on a slow 3G link (~50 KB/s) gets
// it in about 4 seconds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 200;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));
const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
const seen = new Set();
const walk = (key) => {
  const chunk = manifest[key] ?? Object.values(manifest).find((c) => c.file === key);
  if (!chunk || seen.has(chunk.file)) return;
  seen.add(chunk.file);
  for (const next of chunk.imports ?? []) walk(next);
};
walk(Object.keys(manifest).find((k) => manifest[k] === entry));
let total = 0;
for (const file of seen) total += gzipSync(readFileSync(join(dist, file))).length;
const kb = total / 1024;
const line = `first-load JavaScript: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB, ${seen.size} files)`;
if (kb > BUDGET_KB) {
  console.error(`OVER BUDGET — ${line}`);
  process.exit(1);
}
console.log(line);
