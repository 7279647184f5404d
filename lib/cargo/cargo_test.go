package cargo

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

// fakeFS serves exists and list from a set of root-relative paths.
func fakeFS(paths ...string) (func(string) bool, func(string) ([]string, []string)) {
	set := map[string]bool{}
	for _, p := range paths {
		set[p] = true
	}
	exists := func(rel string) bool { return set[rel] }
	list := func(dir string) (files, dirs []string) {
		seen := map[string]bool{}
		for _, p := range paths {
			if !strings.HasPrefix(p, dir+"/") {
				continue
			}
			rest := strings.TrimPrefix(p, dir+"/")
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				if d := path.Join(dir, rest[:i]); !seen[d] {
					seen[d] = true
					dirs = append(dirs, d)
				}
			} else if strings.HasSuffix(rest, ".rs") {
				files = append(files, p)
			}
		}
		return files, dirs
	}
	return exists, list
}

func TestParseManifest(t *testing.T) {
	exists, list := fakeFS("crates/router/src/lib.rs", "crates/router/src/main.rs", "crates/router/src/bin/tool.rs",
		"crates/router/src/bin/multi/main.rs", "crates/router/tests/it.rs", "crates/router/build.rs",
		"crates/router/examples/demo.rs", "crates/router/benches/b.rs")
	toml := `
[package]
name = "router-core"
version = "0.1.0"
edition = "2021"

[lib]
name = "router"

[[bin]]
name = "explicit"
path = "src/explicit.rs"

[dependencies]
serde = { version = "1", features = ["derive"] }
common_utils = { path = "../common_utils", package = "common-utils" }
tokio = "1"
git_dep = { git = "https://example.com/x.git" }
ws_dep = { workspace = true }

[dev-dependencies]
proptest = "1"

[target.'cfg(unix)'.dependencies]
libc = { version = "0.2", optional = true }
`
	m, err := Parse("crates/router", []byte(toml), exists, list)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, tg := range m.Targets {
		targets = append(targets, tg.Kind+":"+tg.Name+":"+tg.Path)
	}
	want := []string{
		"lib:router:crates/router/src/lib.rs",
		"build:build_script_build:crates/router/build.rs",
		"bin:explicit:crates/router/src/explicit.rs",
		"bin:tool:crates/router/src/bin/tool.rs",
		"bin:multi:crates/router/src/bin/multi/main.rs",
		"bin:router_core:crates/router/src/main.rs",
		"test:it:crates/router/tests/it.rs",
		"example:demo:crates/router/examples/demo.rs",
		"bench:b:crates/router/benches/b.rs",
	}
	if strings.Join(targets, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(targets, "\n"), strings.Join(want, "\n"))
	}
	got, _ := json.Marshal(m.Deps)
	wantDeps := `[{"name":"common_utils","package":"common-utils","kind":"normal","source":"path","path":"crates/common_utils"},` +
		`{"name":"git_dep","kind":"normal","source":"git"},{"name":"serde","kind":"normal","source":"registry","version":"1","features":["derive"]},` +
		`{"name":"tokio","kind":"normal","source":"registry","version":"1"},{"name":"ws_dep","kind":"normal","source":"workspace"},` +
		`{"name":"proptest","kind":"dev","source":"registry","version":"1"},` +
		`{"name":"libc","kind":"normal","source":"registry","version":"0.2","optional":true,"target":"cfg(unix)"}]`
	if string(got) != wantDeps {
		t.Errorf("deps:\n%s\nwant:\n%s", got, wantDeps)
	}
	if _, err := Parse("", []byte("[package\nname="), exists, list); err == nil {
		t.Error("Parse of broken TOML succeeded")
	}
}

func TestLocate(t *testing.T) {
	exists, list := fakeFS("src/lib.rs", "src/main.rs", "src/bin/tool.rs", "tests/it.rs", "tests/common/mod.rs",
		"crates/pay/src/lib.rs", "crates/pay/src/core/payments.rs")
	root, _ := Parse("", []byte("[package]\nname = \"app\"\n[workspace]\nmembers = [\"crates/*\"]\n"), exists, list)
	pay, _ := Parse("crates/pay", []byte("[package]\nname = \"pay-core\"\n"), exists, list)
	l := NewLayout([]*Manifest{root, pay})
	tests := []struct{ rel, pkg, target, module string }{
		{"src/lib.rs", "app", "lib", "app"},
		{"src/main.rs", "app", "bin", "app"},
		{"src/a/b.rs", "app", "lib", "app::a::b"},
		{"src/a/mod.rs", "app", "lib", "app::a"},
		{"src/bin/tool.rs", "app", "bin", "tool"},
		{"src/bin/helper/x.rs", "app", "bin", "tool::helper::x"},
		{"tests/common/mod.rs", "app", "test", "it::common"},
		{"crates/pay/src/core/payments.rs", "pay-core", "lib", "pay_core::core::payments"},
		{"crates/pay/build/x.rs", "pay-core", "", ""},
	}
	for _, tt := range tests {
		loc := l.Locate(tt.rel)
		var pkg, target string
		if loc.Manifest != nil {
			pkg = loc.Manifest.Package
		}
		if loc.Target != nil {
			target = loc.Target.Kind
		}
		if pkg != tt.pkg || target != tt.target || loc.Module() != tt.module {
			t.Errorf("Locate(%q) = %s/%s/%s; want %s/%s/%s", tt.rel, pkg, target, loc.Module(), tt.pkg, tt.target, tt.module)
		}
	}
}

func TestPathModules(t *testing.T) {
	exists, list := fakeFS("src/lib.rs", "src/gen/out.rs", "src/gen/more.rs", "src/a.rs", "src/b.rs", "src/raw/mod.rs")
	root, _ := Parse("", []byte("[package]\nname = \"app\"\n"), exists, list)
	l := NewLayout([]*Manifest{root})
	known := map[string]bool{"src/lib.rs": true, "src/gen/out.rs": true, "src/gen/more.rs": true, "src/a.rs": true, "src/b.rs": true, "src/raw/mod.rs": true}
	decls := []PathDecl{
		{File: "src/lib.rs", Name: "generated", Path: "gen/out.rs"},                 // lib.rs: `#[path = "gen/out.rs"] mod generated;`
		{File: "src/gen/out.rs", Name: "extra", Path: "more.rs"},                    // a chain: more.rs is generated::extra
		{File: "src/lib.rs", Name: "inner", Path: "../x.rs", Inline: []string{"m"}}, // points at no known file: ignored
		{File: "src/a.rs", Name: "b", Path: "b.rs"},                                 // a cycle: a.rs -> b.rs -> a.rs
		{File: "src/b.rs", Name: "a", Path: "a.rs"},
		// hashbrown: #[cfg(feature = "raw")] pub mod raw { #[path = "mod.rs"] mod inner; } beside
		// #[cfg(not(feature = "raw"))] mod raw;: raw/mod.rs keeps its own place, app::raw.
		{File: "src/lib.rs", Name: "inner", Path: "mod.rs", Inline: []string{"raw"}},
		{File: "src/lib.rs", Name: "raw"},
	}
	got := l.PathModules(decls, known)
	want := map[string]string{"src/gen/out.rs": "app::generated", "src/gen/more.rs": "app::generated::extra"}
	for file, module := range want {
		if got[file] != module {
			t.Errorf("module of %s = %q; want %q", file, got[file], module)
		}
	}
	// The cycle ends at a file's own place instead of looping.
	if got["src/a.rs"] == "" || got["src/b.rs"] == "" {
		t.Errorf("cycle: %q, %q; want modules", got["src/a.rs"], got["src/b.rs"])
	}
	if len(got) != 4 || got["src/raw/mod.rs"] != "" {
		t.Errorf("%d files redirected (%v); want 4, not raw/mod.rs", len(got), got)
	}
}

func TestIsTemplate(t *testing.T) {
	tests := []struct {
		manifest string
		want     bool
	}{
		{"[package]\nname = \"{{project-name}}\"\nversion = \"0.1.0\"\n", true},
		{"[package]\nname = '{% if x %}a{% endif %}'\n", true},
		{"[package]\nname = \"kstring\"\n[[package.metadata.release.pre-release-replacements]]\nreplace = \"{{version}}\"\n", false},
		{"[package]\nname = \"plain\"\n", false},
	}
	for _, tt := range tests {
		if got := IsTemplate([]byte(tt.manifest)); got != tt.want {
			t.Errorf("IsTemplate(%q) = %v; want %v", tt.manifest, got, tt.want)
		}
	}
}

func TestPurpose(t *testing.T) {
	long := strings.Repeat("word ", 70) // 350 bytes, no sentence
	sentences := "First sentence is here. " + strings.Repeat("Second one goes on and on. ", 8) + strings.Repeat("x", 100)
	for _, c := range []struct {
		desc string
		docs []string
		want string
	}{
		{"  Fast\n   HTTP   router. ", []string{" Ignored."}, "Fast HTTP router."},
		{"", []string{" Core maths.\n Adds and\n subtracts.\n\n More text."}, "Core maths. Adds and subtracts."},
		{"", []string{"", " # Serde JSON\n\n [![Build](https://x/b.svg)](https://x)\n\n Serde JSON is a [`Serializer`] for [JSON](https://json.org) and [more][m].\n\n [m]: https://x"},
			"Serde JSON is a `Serializer` for JSON and more."},
		{"", []string{"Title\n=====\n\nText after a setext heading."}, "Text after a setext heading."},
		{"", []string{" ```\n not prose\n ```\n The prose."}, "The prose."},
		{"", []string{"\n * A block doc,\n * starred.\n "}, "A block doc, starred."},
		{"", []string{"<div align=\"center\">\n<img src=\"logo.png\">\n</div>"}, ""},
		{"", nil, ""},
		{long, nil, strings.TrimSpace(strings.Repeat("word ", 59)) + "…"},
		{sentences, nil, strings.TrimSpace("First sentence is here. " + strings.Repeat("Second one goes on and on. ", 8))},
		{strings.Repeat("漢", 200), nil, strings.Repeat("漢", 99) + "…"},
	} {
		got := Purpose(c.desc, c.docs...)
		if got != c.want {
			t.Errorf("Purpose(%q, %q) = %q; want %q", c.desc, c.docs, got, c.want)
		}
		if len(got) > PurposeMax || strings.Contains(got, "\n") {
			t.Errorf("Purpose(%q, %q) = %q: over %d bytes or not one line", c.desc, c.docs, got, PurposeMax)
		}
	}
}

func TestDescriptionAndDocRoots(t *testing.T) {
	exists, list := fakeFS("c/src/lib.rs", "c/src/main.rs", "c/src/bin/b.rs", "c/build.rs", "c/tests/t.rs")
	m, err := Parse("c", []byte("[package]\nname = \"c\"\ndescription = \"\"\"\nA crate\n  that does things.\n\"\"\"\n"), exists, list)
	if err != nil {
		t.Fatal(err)
	}
	if m.Description != "A crate that does things." {
		t.Errorf("Description = %q", m.Description)
	}
	if got := strings.Join(m.DocRoots(), " "); got != "c/src/lib.rs c/src/main.rs c/src/bin/b.rs" {
		t.Errorf("DocRoots = %s", got)
	}
	m, err = Parse("c", []byte("[package]\nname = \"c\"\ndescription.workspace = true\n"), exists, list)
	if err != nil || m.Description != "" {
		t.Errorf("inherited description: %q, %v", m.Description, err)
	}
}

func FuzzPurpose(f *testing.F) {
	f.Add("", " # T\n\n Text. More.\n\n Other.")
	f.Add(strings.Repeat("a b. ", 100), "")
	f.Add("", strings.Repeat("漢字", 200))
	f.Fuzz(func(t *testing.T, desc, docs string) {
		got := Purpose(desc, docs)
		if len(got) > PurposeMax || strings.Contains(got, "\n") {
			t.Errorf("Purpose(%q, %q) = %q: over %d bytes or not one line", desc, docs, got, PurposeMax)
		}
		if utf8.ValidString(desc) && utf8.ValidString(docs) && !utf8.ValidString(got) {
			t.Errorf("Purpose(%q, %q) = %q: not UTF-8", desc, docs, got)
		}
	})
}
