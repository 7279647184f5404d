// corpus.mjs — a deterministic text corpus for the reference check: every
// Nth .rs and .md file (sorted by path) under the given folders, as JSONL
// {"id": path, "text"} on stdout, files over 256 KiB left out.
//
// Usage: node corpus.mjs N DIR...
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [every, ...roots] = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p);
    else if (/\.(rs|md)$/.test(name) && st.size <= 256 * 1024) files.push(p);
  }
};
roots.forEach(walk);
files.forEach((p, i) => {
  if (i % Number(every) !== 0) return;
  const text = readFileSync(p, "utf8");
  process.stdout.write(JSON.stringify({ id: p, text }) + "\n");
});
