package group

import (
	"fmt"
	"strings"
	"testing"
)

func file(path, crate string, size int, uses ...string) Member {
	return Member{ID: "f:" + path, Kind: "file", Path: path, Crate: crate, Text: strings.Repeat("x", size), Uses: uses}
}

func show(gs []Group) string {
	var out []string
	for _, g := range gs {
		var ms []string
		for _, m := range g.Members {
			ms = append(ms, m.ID)
		}
		out = append(out, fmt.Sprintf("%s %s [%s]", g.Type, g.Key, strings.Join(ms, " ")))
	}
	return strings.Join(out, "\n")
}

func TestFileGroups(t *testing.T) {
	o := Options{ModuleMinFiles: 2, ModuleMax: 100, CrateMax: 150, SmallFile: 30, DirMax: 50, MinImpls: 2, MinEcosystem: 2}
	files := []Member{
		file("a/src/z.rs", "a", 20), file("a/src/lib.rs", "a", 10), file("a/src/big.rs", "a", 40),
		file("a/src/m/mod.rs", "a", 25), file("a/src/m/x.rs", "a", 25), file("a/src/m/y.rs", "a", 60),
		file("b/src/lib.rs", "b", 10, "a", "std"), file("b/src/only.rs", "b", 200, "a"),
	}
	got := show(Modules(files, o))
	want := "module a/src [f:a/src/big.rs f:a/src/lib.rs f:a/src/z.rs]"
	if got != want { // a/src/m (110 bytes) and b/src (210) are over ModuleMax
		t.Errorf("modules:\n%s\nwant\n%s", got, want)
	}
	if got := show(Crates(files, o)); got != "" { // a is 180 bytes, b 210: both over CrateMax
		t.Errorf("crates over the max: %s", got)
	}
	o.CrateMax = 200
	if got := show(Crates(files, o)); got != "crate a [f:a/src/big.rs f:a/src/lib.rs f:a/src/m/mod.rs f:a/src/m/x.rs f:a/src/m/y.rs f:a/src/z.rs]" {
		t.Errorf("crates: %s", got)
	}
	// Small files (< 30 bytes) per folder, batches of at most 50 bytes, 2 files at least.
	got = show(Dirs(files, o))
	want = "dir a/src [f:a/src/lib.rs f:a/src/z.rs]\ndir a/src/m [f:a/src/m/mod.rs f:a/src/m/x.rs]"
	if got != want {
		t.Errorf("dirs:\n%s\nwant\n%s", got, want)
	}
	got = show(CrossCrate(files, map[string]bool{"a": true, "b": true}, 1))
	if got != "cross-crate b [f:b/src/lib.rs]" { // one example per crate used; std is not in the workspace
		t.Errorf("cross-crate: %s", got)
	}
}

func TestItemGroups(t *testing.T) {
	o := Defaults
	impl := func(id, self, trait string) Member {
		return Member{ID: id, Kind: "impl", Path: "src/" + id + ".rs", Crate: "k", SelfType: self, Trait: trait, Text: id}
	}
	impls := []Member{impl("i1", "Model", "Greet"), impl("i2", "Model", ""), impl("i3", "Model", "From"), impl("i4", "Other", "Greet"), impl("i5", "Lone", "")}
	if got := show(ImplCollections(impls, o)); got != "impl-collection Model [i2 i3 i1]" {
		t.Errorf("impl collections: %s", got)
	}
	traits := []Member{
		{ID: "t1", Kind: "trait", Name: "Greet", Supers: []string{"Base", "Unknown"}, Path: "src/t.rs", Text: "t1"},
		{ID: "t2", Kind: "trait", Name: "Base", Path: "src/t.rs", Text: "t2"},
		{ID: "t3", Kind: "trait", Name: "Unused", Path: "src/t.rs", Text: "t3"},
	}
	if got := show(TraitEcosystems(traits, impls, o)); got != "trait-ecosystem Greet [t1 t2 i1 i4]" {
		t.Errorf("ecosystems: %s", got)
	}
}
