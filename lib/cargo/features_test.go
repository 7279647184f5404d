package cargo

import (
	"reflect"
	"strings"
	"testing"
)

func TestWorkspaceFeatures(t *testing.T) {
	none := func(string) bool { return false }
	list := func(string) ([]string, []string) { return nil, nil }
	parse := func(dir, toml string) *Manifest {
		m, err := Parse(dir, []byte(toml), none, list)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	p := parse("p", `[package]
name = "p"
[features]
default = ["std", "json/preserve_order", "maybe?/x", "dep:hidden"]
std = ["alloc", "serde"]
alloc = []
extra = ["big"]
bad = 3
[dependencies]
serde = { version = "1", optional = true }
json = { version = "1", optional = true }
maybe = { version = "1", optional = true }
hidden = { version = "1", optional = true }
big = { version = "1", optional = true }
`)
	if _, ok := p.Features["bad"]; ok || len(p.Features["std"]) != 2 {
		t.Errorf("Features = %v: want the lists of strings only", p.Features)
	}
	ms := []*Manifest{p,
		parse("crates/lib1", "[package]\nname = \"lib1\"\n[features]\ndefault = [\"y\"]\nx = []\ny = []\nz = []\nu = []\n"),
		parse("crates/lib2", "[package]\nname = \"lib2\"\n[features]\nw = []\n"),
		parse("crates/lib3", "[package]\nname = \"lib3\"\n[features]\nq = []\nr = []\n"),
		parse("crates/lib4", "[package]\nname = \"lib-four\"\n[features]\nv = []\n"),
		parse("crates/app", `[package]
name = "app"
[features]
default = ["lib1/z"]
extra = ["lib3?/r", "lib1/u"]
[dependencies]
lib1 = { path = "../lib1", features = ["x"], default-features = false }
lib3 = { path = "../lib3", optional = true, features = ["q"] }
four = { workspace = true, package = "lib-four", features = ["v"] }
[target.'cfg(windows)'.dependencies]
lib2 = { path = "../lib2", features = ["w"] }
`),
		parse("bare", "[package]\nname = \"bare\"\n"),
		{Dir: "old", Package: "old"}, // from a record without "features": not known
	}
	got := WorkspaceFeatures(ms)
	want := map[string]FeatureSet{ // every package is a member: its defaults are on
		"p":           {"default": True, "std": True, "alloc": True, "serde": True, "json": True}, // not maybe (x?/y), hidden (dep:) nor extra
		"crates/lib1": {"default": True, "y": True, "x": True, "z": True},                         // x asked by app's dependency, z by its default feature
		"crates/lib2": {"default": True, "w": Unknown},                                            // asked for on windows only
		"crates/lib3": {"default": True},                                                          // app's optional dependency is off
		"crates/lib4": {"default": True, "v": True},                                               // a workspace dependency, by its package name
		"crates/app":  {"default": True},
		"bare":        {"default": True},
		"old":         nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WorkspaceFeatures =\n%v\nwant\n%v", got, want)
	}
}

func TestEvalCfg(t *testing.T) {
	on := FeatureSet{"std": True, "w": Unknown}
	for _, tc := range []struct {
		pred     string
		features FeatureSet
		want     Truth
	}{
		{`feature = "w"`, on, Unknown}, // asked for on some targets only
		{`not(feature = "w")`, on, Unknown},
		{`any(feature = "w", feature = "std")`, on, True},
		{`all(feature = "w", feature = "x")`, on, False},
		{`feature = "std"`, on, True},
		{`feature="alloc"`, on, False},
		{`feature = "std"`, nil, Unknown}, // the manifest is not known
		{`unix`, on, Unknown},
		{`target_os = "linux"`, on, Unknown},
		{`not(feature = "std")`, on, False},
		{`not(unix)`, on, Unknown},
		{`all(unix, feature = "alloc")`, on, False},
		{`all(unix, feature = "std")`, on, Unknown},
		{`any(unix, feature = "std")`, on, True},
		{`any(unix, feature = "alloc")`, on, Unknown},
		{`all()`, on, True},
		{`any()`, on, False},
		{"all(\n  feature = \"std\",\n  not(feature = \"x\"),\n)", on, True},
		{`not(feature = "std", unix)`, on, Unknown}, // not takes one
		{`feature = std`, on, Unknown},              // no string
		{`feature = "st\"d"`, on, Unknown},
		{`all(feature = "std"`, on, Unknown},
		{`feature = "std") junk`, on, Unknown},
		{``, on, Unknown},
		{strings.Repeat("not(", 10000) + `feature = "std"` + strings.Repeat(")", 10000), on, Unknown}, // too deep
		{strings.Repeat("not(", 4) + `feature = "std"` + strings.Repeat(")", 4), on, True},
	} {
		if got := EvalCfg(tc.pred, tc.features); got != tc.want {
			t.Errorf("EvalCfg(%.40q) = %d, want %d", tc.pred, got, tc.want)
		}
	}
}
