// count.mjs — the peers' token counting, for make bench-peers: every
// record's text of a JSONL file (dw-rustparse --kinds file) counted with
// npm tiktoken (cl100k_base) or @anush008/tokenizers (a tokenizer.json).
//
// Usage: node count.mjs tiktoken FILE | node count.mjs hf TOKENIZER.json FILE
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createReadStream } from "node:fs";

const [which, a, b] = process.argv.slice(2);
let count;
if (which === "tiktoken") {
  const { get_encoding } = await import("tiktoken");
  const enc = get_encoding("cl100k_base");
  count = (t) => enc.encode_ordinary(t).length;
} else {
  const { default: tokenizers } = await import("@anush008/tokenizers");
  const tok = tokenizers.Tokenizer.fromString(readFileSync(a, "utf8"));
  count = async (t) => (await tok.encode(t, null, { addSpecialTokens: false })).getIds().length;
}
const file = which === "tiktoken" ? a : b;
let total = 0, records = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue;
  total += await count(JSON.parse(line).text);
  records++;
}
console.log(`${records} records, ${total} tokens`);
