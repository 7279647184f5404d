package cargo

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefaultFeatures(t *testing.T) {
	none := func(string) bool { return false }
	list := func(string) ([]string, []string) { return nil, nil }
	m, err := Parse("", []byte(`[package]
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
`), none, list)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Features["bad"]; ok || len(m.Features["std"]) != 2 {
		t.Errorf("Features = %v: want the lists of strings only", m.Features)
	}
	want := map[string]bool{"default": true, "std": true, "alloc": true, "serde": true, "json": true}
	if got := m.DefaultFeatures(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultFeatures() = %v, want %v", got, want) // maybe?/x and dep:hidden turn no feature on
	}
	m, _ = Parse("", []byte("[package]\nname = \"q\"\n"), none, list)
	if got := m.DefaultFeatures(); len(got) != 0 {
		t.Errorf("without [features]: %v, want none", got)
	}
}

func TestEvalCfg(t *testing.T) {
	on := map[string]bool{"std": true}
	for _, tc := range []struct {
		pred     string
		features map[string]bool
		want     Truth
	}{
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
