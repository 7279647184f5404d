// hub-upload.mjs uploads a folder to a Hub endpoint with the official
// @huggingface/hub client, as lib/web/hfhub's test of its stand-in runs it:
//   HF_TOKEN=... node hub-upload.mjs ENDPOINT OWNER/NAME DIR
// It creates the dataset repo and commits every file of DIR (paths
// relative to DIR) through LFS as the Hub says, then prints the commit.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { createRepo, commit } from "@huggingface/hub";

const [endpoint, name, dir] = process.argv.slice(2);
const accessToken = process.env.HF_TOKEN;
const repo = { type: "dataset", name };

function walk(d) {
	return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]
	);
}

await createRepo({ repo, accessToken, hubUrl: endpoint });
const operations = walk(dir)
	.sort()
	.map((p) => ({ operation: "addOrUpdate", path: relative(dir, p), content: new Blob([readFileSync(p)]) }));
const out = await commit({ repo, accessToken, hubUrl: endpoint, title: "Add data", operations, useXet: false });
console.log(JSON.stringify(out));
