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
default = ["std", "json/preserve_order", "maybe?/x", "dep:hidden", "c/x"]
std = ["alloc", "serde"]
c = ["dep:c", "cextra"]
cextra = []
alloc = []
extra = ["big"]
bad = 3
[dependencies]
serde = { version = "1", optional = true }
json = { version = "1", optional = true }
maybe = { version = "1", optional = true }
hidden = { version = "1", optional = true }
big = { version = "1", optional = true }
c = { version = "1", optional = true }
`)
	if _, ok := p.Features["bad"]; ok || len(p.Features["std"]) != 2 {
		t.Errorf("Features = %v: want the lists of strings only", p.Features)
	}
	ms := []*Manifest{p,
		parse("", `[package]
name = "rootpkg"
[features]
r = []
[workspace]
members = ["p", "crates/*", "bare", "old"]
exclude = ["crates/excluded"]
[workspace.dependencies]
four = { path = "crates/lib4", package = "lib-four", features = ["v"] }
`),
		parse("crates/lib1", "[package]\nname = \"lib1\"\n[features]\ndefault = [\"y\"]\nx = []\ny = []\nz = []\nu = []\nt = []\nb = []\nm = []\n"),
		parse("crates/lib2", "[package]\nname = \"lib2\"\n[features]\nw = []\n"),
		parse("crates/lib3", "[package]\nname = \"lib3\"\n[features]\nq = []\nr = []\n"),
		parse("crates/lib4", "[package]\nname = \"lib-four\"\n[features]\nv = []\nextra = []\n"),
		parse("crates/app", `[package]
name = "app"
[features]
default = ["lib1/z"]
extra = ["lib3?/r", "lib1/u"]
[dependencies]
lib1 = { path = "../lib1", features = ["x"], default-features = false }
lib3 = { path = "../lib3", optional = true, features = ["q"] }
four = { workspace = true, features = ["extra"] }
rootpkg = { path = "../..", features = ["r"] }
[dev-dependencies]
lib1 = { path = "../lib1", features = ["t"] }
[build-dependencies]
lib1 = { path = "../lib1", features = ["b"] }
[target.'cfg(windows)'.dependencies]
lib2 = { path = "../lib2", features = ["w"] }
`),
		parse("crates/excluded", "[package]\nname = \"ex\"\n[features]\nf = []\n[dependencies]\nlib2 = { path = \"../lib2\", features = [\"other\"] }\n"),
		parse("fuzz", "[package]\nname = \"fuzz\"\n[workspace]\n[dependencies]\nlib1 = { path = \"../crates/lib1\", features = [\"u\"] }\n"),
		parse("bare", "[package]\nname = \"bare\"\n[dependencies]\nlib6 = { path = \"../extras/lib6\", features = [\"k6\"] }\nlib2 = { version = \"0.1\", features = [\"reg\"] }\n"),
		parse("extras/lib6", "[package]\nname = \"lib6\"\n[features]\nk6 = []\n[dependencies]\nlib1 = { path = \"../../crates/lib1\", features = [\"m\"] }\n"),
		{Dir: "old", Package: "old"}, // from a record without "features": not known
	}
	got := WorkspaceFeatures(ms)
	want := map[string]FeatureSet{ // every package is built with its defaults
		"":                {"default": True, "r": True},                                                                            // asked by app's path dependency on the root
		"p":               {"default": True, "std": True, "alloc": True, "serde": True, "json": True, "c": True, "cextra": True},   // c/x turns on the feature c; not maybe (x?/y), hidden (dep:) nor extra
		"crates/lib1":     {"default": True, "y": True, "x": True, "z": True, "t": Unknown, "b": Unknown, "u": Unknown, "m": True}, // x by app, z by app's default; t by a dev-, b by a build-dependency, u by fuzz/ (another workspace); m by extras/lib6, a member as bare's path dependency
		"crates/lib2":     {"default": True, "w": Unknown, "other": Unknown, "reg": Unknown},                                       // on windows only; from an excluded package; by a registry dependency of its name (a [patch] may send it here)
		"crates/lib3":     {"default": True},                                                                                       // app's optional dependency is off
		"crates/lib4":     {"default": True, "v": True, "extra": True},                                                             // through [workspace.dependencies]
		"crates/app":      {"default": True},
		"crates/excluded": {"default": True},
		"fuzz":            {"default": True},
		"extras/lib6":     {"default": True, "k6": True},
		"bare":            {"default": True},
		"old":             nil,
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
