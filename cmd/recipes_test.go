package cmd_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"gopkg.in/yaml.v3"

	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/web/hfhub/hubtest"
)

// workspace is a small Rust crate: functions that call each other, a trait
// with two impls, docs, a module.
var workspace = map[string]string{
	"Cargo.toml": "[package]\nname = \"shapes\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
	"src/lib.rs": `//! Shapes and their areas.
pub mod util;

/// Something with an area.
pub trait Area {
    /// The area, in square units.
    fn area(&self) -> f64;
}

/// A circle of a radius.
pub struct Circle { pub r: f64 }

/// A square of a side.
pub struct Square { pub s: f64 }

impl Area for Circle {
    fn area(&self) -> f64 { util::pi() * util::square(self.r) }
}

impl Area for Square {
    fn area(&self) -> f64 { util::square(self.s) }
}

/// The total area of shapes.
pub fn total(shapes: &[&dyn Area]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

/// Adds two numbers.
pub fn add(a: f64, b: f64) -> f64 {
    a + b
}
`,
	"src/util.rs": `/// Pi, rounded.
pub fn pi() -> f64 { 3.14159 }

/// x times x.
pub fn square(x: f64) -> f64 { mul(x, x) }

/// a times b.
pub fn mul(a: f64, b: f64) -> f64 { a * b }
`,
}

// wikiMD is the workspace's wiki page: sections under ## and --- rules,
// citing the workspace.
const wikiMD = `# Overview

Shapes computes the areas of circles and squares.

<details>
<summary>Relevant source files</summary>

- [src/lib.rs](src/lib.rs)
- [src/util.rs](src/util.rs)
</details>

## Areas

Every shape implements the Area trait; total sums them.

Sources: [src/lib.rs:4-27]()

---

## Helpers

The util module holds pi, square and mul, which square calls.

` + "```rust\nlet four = square(2.0);\n```" + `

Sources: [src/util.rs:1-8]()

---

## Adding

add adds two numbers.

Sources: [src/lib.rs:29-32]()
`

// recipeEnv makes the workspace as a git checkout, serves its wiki on
// loopback and returns the environment of a recipe run.
func recipeEnv(t *testing.T) []string {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	for name, text := range workspace {
		os.MkdirAll(filepath.Join(repo, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one"}} {
		if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	commit, _ := exec.Command("git", "-C", repo, "rev-parse", "HEAD").Output()
	srv := wikiServer("me/shapes", wikiPage("me/shapes", strings.TrimSpace(string(commit)), wikiMD))
	t.Cleanup(srv.Close)
	return append(os.Environ(), "DWKIT_BIN="+binDir, "REPO="+repo, "WIKI=me/shapes", "WIKI_BASE="+srv.URL,
		"OUT="+filepath.Join(t.TempDir(), "out"), "TOKENIZER=cl100k_base", "XDG_CACHE_HOME="+t.TempDir())
}

func runRecipe(t *testing.T, env []string, name string) string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join("..", "scripts", "recipes", name+".sh"))
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

func getenv(env []string, key string) string {
	for _, kv := range slices.Backward(env) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// readRecords reads a .jsonl.zst file of records.
func readRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []map[string]any
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, r)
	}
	return out
}

func field(r map[string]any, path string) any {
	var v any = r
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// checkRecipe checks a recipe's folder: exactly the outputs named, each
// with records that have an id and a text within max tokens (0: no
// limit), the stats and the plot, and a card whose configs list a split per
// output that has records (a small workspace has no file of 5 KB, no
// cross-crate use).
func checkRecipe(t *testing.T, dir string, max map[string]int) map[string][]map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "data", "*.jsonl.zst"))
	var names, filled []string // the outputs, and those with records (the card's splits)
	out := map[string][]map[string]any{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jsonl.zst")
		names = append(names, name)
		recs := readRecords(t, f)
		out[name] = recs
		if len(recs) > 0 {
			filled = append(filled, name)
		}
		for i, r := range recs {
			text, _ := r["text"].(string)
			if r["id"] == nil || text == "" {
				t.Errorf("%s %s record %d: no id or text", dir, name, i)
			}
			if n, ok := field(r, "tokens.count").(float64); max[name] > 0 && (!ok || int(n) > max[name]) {
				t.Errorf("%s %s record %d: %v tokens, more than %d", dir, name, i, field(r, "tokens.count"), max[name])
			}
		}
		if _, err := os.Stat(filepath.Join(dir, name+".stats.json")); err != nil {
			t.Error(err)
		}
	}
	want := slices.Sorted(func(yield func(string) bool) {
		for k := range max {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(names, want) {
		t.Errorf("%s: outputs %v, want %v", dir, names, want)
	}
	for _, f := range []string{"stats.json", "stats.txt", "tokens.png", "dataset/README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	card, _ := os.ReadFile(filepath.Join(dir, "dataset", "README.md"))
	front, _, _ := strings.Cut(strings.TrimPrefix(string(card), "---\n"), "\n---\n")
	var meta hfdata.Meta
	if err := yaml.Unmarshal([]byte(front), &meta); err != nil || len(meta.Configs) != 1 {
		t.Fatalf("%s card: %v", dir, err)
	}
	var splits []string
	for _, df := range meta.Configs[0].DataFiles {
		splits = append(splits, df.Split)
		for _, p := range df.Path {
			if _, err := os.Stat(filepath.Join(dir, "dataset", p)); err != nil {
				t.Errorf("the card lists %s: %v", p, err)
			}
		}
	}
	slices.Sort(splits)
	if !slices.Equal(splits, filled) {
		t.Errorf("%s card splits %v, outputs with records %v", dir, splits, filled)
	}
	return out
}

func sizes(prefixes []string) map[string]int {
	m := map[string]int{}
	for _, p := range prefixes {
		for size, n := range map[string]int{"4k": 4000, "8k": 8000, "16k": 16000} {
			m[p+"_"+size] = n
		}
	}
	return m
}

// TestRecipes runs every recipe on the small workspace and its wiki served
// on loopback, and checks their outputs.
func TestRecipes(t *testing.T) {
	env := recipeEnv(t)
	out := getenv(env, "OUT")

	runRecipe(t, env, "scrape")
	pages := checkRecipe(t, filepath.Join(out, "scrape"), map[string]int{"pages": 0})["pages"]
	if len(pages) != 1 || field(pages[0], "doc.title") != "Overview" {
		t.Errorf("scrape: %d pages", len(pages))
	}
	if md, _ := filepath.Glob(filepath.Join(out, "scrape", "md", "me", "shapes", "*.md")); len(md) != 1 {
		t.Errorf("scrape: .md files %v", md)
	}

	runRecipe(t, env, "docs-basic")
	if recs := checkRecipe(t, filepath.Join(out, "docs-basic"), map[string]int{"chunks": 0})["chunks"]; len(recs) != 4 {
		t.Errorf("docs-basic: %d chunks, want 4 (the title and three ## sections)", len(recs))
	}
	runRecipe(t, env, "docs-semantic")
	if recs := checkRecipe(t, filepath.Join(out, "docs-semantic"), map[string]int{"sections": 0})["sections"]; len(recs) != 2 {
		t.Errorf("docs-semantic: %d sections, want 2 (the last, under 100 characters, joins the one before)", len(recs))
	}
	runRecipe(t, env, "docs-enhanced")
	linked := checkRecipe(t, filepath.Join(out, "docs-enhanced"), map[string]int{"chunks": 0})["chunks"]
	snippets := 0
	for _, r := range linked {
		s, _ := field(r, "link.snippets").([]any)
		snippets += len(s)
	}
	if snippets != 3 {
		t.Errorf("docs-enhanced: %d snippets, want 3", snippets)
	}
	runRecipe(t, env, "docs-token-aware")
	ta := checkRecipe(t, filepath.Join(out, "docs-token-aware"), map[string]int{"chunks": 16000})["chunks"]
	var all strings.Builder
	for _, r := range ta {
		all.WriteString(r["text"].(string))
	}
	for _, want := range []string{"### Call graph of `shapes::util::square`", "Calls: `shapes::util::mul`", "Called by: `shapes::util::square`"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("docs-token-aware lacks %q", want)
		}
	}
	runRecipe(t, env, "docs-cpt")
	cpt := checkRecipe(t, filepath.Join(out, "docs-cpt"), map[string]int{"interleaved": 8192, "separate": 8192, "pairs": 8192})
	parts := map[any]int{}
	for _, r := range cpt["separate"] {
		parts[field(r, "render.part")]++
	}
	if parts["doc"] != 4 || parts["code"] != 3 {
		t.Errorf("docs-cpt separate: parts %v, want 4 doc and 3 code", parts)
	}
	if !strings.Contains(cpt["interleaved"][1]["text"].(string), "<code language=\"rust\" source=\"src/lib.rs\">") {
		t.Errorf("docs-cpt interleaved: %.300s", cpt["interleaved"][1]["text"])
	}

	runRecipe(t, env, "code-basic")
	checkRecipe(t, filepath.Join(out, "code-basic"), sizes([]string{"file", "module", "function", "struct_impl"}))
	runRecipe(t, env, "code-ast")
	ast := checkRecipe(t, filepath.Join(out, "code-ast"), sizes([]string{"fn", "struct", "trait", "impl", "file"}))
	if !strings.Contains(ast["impl_4k"][0]["text"].(string), "// Impl: Area for Circle") {
		t.Errorf("code-ast impl: %.200s", ast["impl_4k"][0]["text"])
	}
	runRecipe(t, env, "code-files")
	files := checkRecipe(t, filepath.Join(out, "code-files"), map[string]int{"files": 0})["files"]
	if len(files) != 2 || !strings.HasPrefix(files[0]["text"].(string), "<path>\n") {
		t.Errorf("code-files: %d files", len(files))
	}
	runRecipe(t, env, "code-multigran")
	multi := checkRecipe(t, filepath.Join(out, "code-multigran"), map[string]int{"file": 0, "crate": 0, "module": 0, "impl_collection": 0, "trait_ecosystem": 0, "cross_crate": 0})
	if len(multi["impl_collection"]) != 0 || len(multi["trait_ecosystem"]) != 1 || !strings.HasPrefix(multi["trait_ecosystem"][0]["text"].(string), "<trait_ecosystem name=") {
		t.Errorf("code-multigran: %d impl collections, %d trait ecosystems", len(multi["impl_collection"]), len(multi["trait_ecosystem"]))
	}
	runRecipe(t, env, "code-token-aware")
	checkRecipe(t, filepath.Join(out, "code-token-aware"), map[string]int{"files": 16000, "modules": 16000, "crates": 16000})
	runRecipe(t, env, "code-rich")
	rich := checkRecipe(t, filepath.Join(out, "code-rich"), map[string]int{"clm": 16000, "fim": 16000, "graph": 16000, "overview": 16000,
		"instruction": 16000, "contrastive": 16000, "reasoning": 16000})
	for _, r := range rich["fim"] {
		if field(r, "fim.mode") == nil {
			t.Errorf("code-rich fim: a record without fim.mode")
		}
	}
	runRecipe(t, env, "patterns")
	checkRecipe(t, filepath.Join(out, "patterns"), map[string]int{"clm": 0, "fim": 0})
	runRecipe(t, env, "patterns-clean")
	checkRecipe(t, filepath.Join(out, "patterns-clean"), map[string]int{"files": 16000, "functions": 16000, "modules": 16000})

	runRecipe(t, env, "cpt-mix")
	mixed := checkRecipe(t, filepath.Join(out, "cpt-mix"), map[string]int{"train": 0, "validation": 0})
	seen := map[string]bool{}
	for _, split := range mixed {
		for _, r := range split {
			text := r["text"].(string)
			if seen[text] {
				t.Errorf("cpt-mix: a duplicate text")
			}
			seen[text] = true
		}
	}

	// the same bytes again
	before, _ := os.ReadFile(filepath.Join(out, "docs-cpt", "data", "pairs.jsonl.zst"))
	runRecipe(t, env, "docs-cpt")
	if after, _ := os.ReadFile(filepath.Join(out, "docs-cpt", "data", "pairs.jsonl.zst")); !bytes.Equal(before, after) {
		t.Error("docs-cpt: a second run wrote other bytes")
	}

	// publish to the Hub's stand-in
	hub := hubtest.New("hf_recipes_token")
	defer hub.Close()
	runRecipe(t, append(env, "RECIPE=code-files", "HUB_REPO=me/files", "HF_ENDPOINT="+hub.URL, "HF_TOKEN=hf_recipes_token"), "publish")
	got := hub.Files("me/files", "main")
	if _, ok := got["README.md"]; !ok || len(got) != 4 || len(hub.Violations()) > 0 { // .gitattributes, README.md, tokens.png, the shard
		t.Errorf("publish: files %d, breaches %v", len(got), hub.Violations())
	}
}
