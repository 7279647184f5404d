package callgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/rust"
)

// build builds the Graph of one-file modules (module path → source; module
// a::b lives in a/b.rs). With given, the files come as dw-rustparse --calls
// writes them (their uses, and each function's call sites on its item);
// else Build parses their text.
func build(t testing.TB, sources map[string]string, crates []Crate, given bool, workers int) (*Graph, []*Item) {
	t.Helper()
	var mods []string
	for m := range sources {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	var items []*Item
	var files []*File
	for _, m := range mods {
		src := []byte(sources[m])
		path := strings.ReplaceAll(m, "::", "/") + ".rs"
		f, err := rust.Extract(src, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := rust.ExtractCalls(src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, it := range f.Items {
			item := NewItem(fmt.Sprintf("%s#%d", m, i), "", path, &it)
			for j := range c.Fns {
				if given && it.Kind == "fn" && it.HasBody && c.Fns[j].End == it.EndByte {
					item.Body = &rust.FnBody{Vars: c.Fns[j].Vars, Lets: c.Fns[j].Lets, Uses: c.Fns[j].Uses, Calls: c.Fns[j].Calls}
				}
			}
			items = append(items, item)
		}
		if given {
			files = append(files, &File{Path: path, Module: m, Calls: &rust.Calls{Uses: c.Uses}})
		} else {
			files = append(files, &File{Path: path, Module: m, Text: sources[m]})
		}
	}
	return Build(items, files, crates, workers), items
}

// byPath returns the id of the item at path.
func byPath(t *testing.T, items []*Item, path string) string {
	t.Helper()
	for _, it := range items {
		if it.Path == path {
			return it.ID
		}
	}
	t.Fatalf("no item %s", path)
	return ""
}

var flowWorkspace = map[string]string{
	"k": `pub mod m;
pub fn main() {
    a();
    b();
    c();
    a();
    println!("x");
    std::process::exit(0);
}
pub fn a() { b(); d(); }
pub fn b() { a(); }
pub fn c() {}
pub fn d() {}
pub fn e() { c(); }
`,
	"k::m": `pub fn many() { f1(); f2(); f3(); f4(); f5(); f6(); f7(); f8(); }
fn f1() {} fn f2() {} fn f3() {} fn f4() {} fn f5() {} fn f6() {} fn f7() {} fn f8() {}
`,
}

func TestTree(t *testing.T) {
	g, items := build(t, flowWorkspace, nil, false, 0)
	for _, tc := range []struct {
		fn            string
		depth, fanout int
		want          string
	}{
		{"k::main", 2, 2, `k::main
├─→ k::a (k.rs:10)
│   ├─→ k::b (k.rs:11)
│   └─→ k::d (k.rs:13)
├─→ k::b (k.rs:11)
│   └─→ k::a (k.rs:10)
└─→ … 1 more`},
		{"k::main", 1, 8, `k::main
├─→ k::a (k.rs:10)
├─→ k::b (k.rs:11)
└─→ k::c (k.rs:12)`},
		// b is on the way down: shown, not expanded again.
		{"k::b", 3, 8, `k::b
└─→ k::a (k.rs:10)
    ├─→ k::b (k.rs:11)
    └─→ k::d (k.rs:13)`},
		{"k::d", 2, 8, "k::d"},
	} {
		if got := g.Tree(byPath(t, items, tc.fn), tc.depth, tc.fanout); got != tc.want {
			t.Errorf("Tree(%s, %d, %d) =\n%s\nwant\n%s", tc.fn, tc.depth, tc.fanout, got, tc.want)
		}
	}
	if got := g.Tree("nothing", 2, 8); got != "" {
		t.Errorf("Tree(unknown id) = %q; want \"\"", got)
	}
}

func TestFlow(t *testing.T) {
	g, items := build(t, flowWorkspace, nil, false, 0)
	for _, tc := range []struct{ fn, want string }{
		{"k::main", "`main` (in k) calls 3 functions: `a`, `b` and `c`, plus 1 call outside the workspace or of unknown receiver, and uses 1 macro (println). Nothing in the workspace calls it."},
		// Callers by path: k::b before k::main, which calls it twice.
		{"k::a", "`a` (in k) calls 2 functions: `b` and `d`. It is called by 2 functions: `b` and `main`."},
		{"k::c", "`c` (in k) calls no function of the workspace. It is called by 2 functions: `e` and `main`."},
		{"k::d", "`d` (in k) calls no function of the workspace. It is called by 1 function: `a`."},
		{"k::m::many", "`many` (in k::m) calls 8 functions: `f1`, `f2`, `f3`, `f4`, `f5`, `f6` and 2 more. Nothing in the workspace calls it."},
	} {
		if got := g.Flow(byPath(t, items, tc.fn)); got != tc.want {
			t.Errorf("Flow(%s) =\n%s\nwant\n%s", tc.fn, got, tc.want)
		}
	}
	if got := g.Flow("nothing"); got != "" {
		t.Errorf("Flow(unknown id) = %q; want \"\"", got)
	}
	if got, want := g.Counts(), (Counts{Functions: 15, Resolved: 16, Unresolved: 1, Macros: 1}); got != want {
		t.Errorf("Counts() = %+v; want %+v", got, want)
	}
}

func TestFnGraph(t *testing.T) {
	g, items := build(t, flowWorkspace, nil, false, 0)
	a, b, d, main := byPath(t, items, "k::a"), byPath(t, items, "k::b"), byPath(t, items, "k::d"), byPath(t, items, "k::main")
	got, err := json.Marshal(g.FnGraph(a, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"calls":[{"id":"` + b + `","path":"k::b","line":10,"how":"local"},{"id":"` + d + `","path":"k::d","line":10,"how":"local"}],` +
		`"called_by":[{"id":"` + b + `","path":"k::b","file":"k.rs","line":11,"calls":1},{"id":"` + main + `","path":"k::main","file":"k.rs","line":3,"calls":2}],` +
		`"unresolved":[],"macros":[],"counts":{"called_by":2,"calls":2,"macros":0,"unresolved":0},` +
		`"tree":"k::a\n├─→ k::b (k.rs:11)\n└─→ … 1 more","flow":"` + "`a` (in k) calls 2 functions: `b` and `d`. It is called by 2 functions: `b` and `main`." + `"}`
	if string(got) != want {
		t.Errorf("FnGraph(k::a) =\n%s\nwant\n%s", got, want)
	}
	// A function the graph does not hold still gets empty lists, not nulls.
	got, _ = json.Marshal(g.FnGraph("nothing", 2, 8))
	if want := `{"calls":[],"called_by":[],"unresolved":[],"macros":[],"counts":{"called_by":0,"calls":0,"macros":0,"unresolved":0},"tree":"","flow":""}`; string(got) != want {
		t.Errorf("FnGraph(unknown id) =\n%s\nwant\n%s", got, want)
	}
}

// resolveWorkspace is a hand-built workspace of globs, super and crate
// paths, cfg twins, shadowing and calls that cannot be resolved: TestResolve
// checks how each call resolves, TestEdges the edges the Graph writes.
var resolveWorkspace = map[string]string{
	"k": "pub mod a;\npub mod b;\n",
	"k::a": `pub fn shared() {}
#[cfg(unix)] pub fn twin() {}
#[cfg(windows)] pub fn twin() {}
pub fn caller() {
    twin();
    super::b::helper();
    crate::b::helper();
    Self::nothing();
    std::mem::drop(1);
}`,
	"k::b": `use super::a::*;
pub fn helper() {}
fn shared() {}
pub fn user() {
    shared();
    caller();
    closure();
}`,
}

func TestEdges(t *testing.T) {
	want := []Edge{
		{"k::a#3", "k::b#0", "k::a::caller", "k::b::helper", 6, "path"},
		{"k::a#3", "k::b#0", "k::a::caller", "k::b::helper", 7, "path"},
		{"k::b#2", "k::b#1", "k::b::user", "k::b::shared", 5, "local"},
		{"k::b#2", "k::a#3", "k::b::user", "k::a::caller", 6, "glob"},
	}
	wantDot := `digraph calls {
  rankdir=LR;
  node [shape=box, fontname="monospace"];
  "k::a::caller" -> "k::b::helper";
  "k::a::caller" -> "k::b::helper";
  "k::b::user" -> "k::b::shared";
  "k::b::user" -> "k::a::caller";
}
`
	for _, tc := range []struct {
		name    string
		given   bool
		workers int
	}{{"parsed", false, 1}, {"parsed, 4 workers", false, 4}, {"given by dw-rustparse --calls", true, 0}} {
		g, items := build(t, resolveWorkspace, nil, tc.given, tc.workers)
		var fns []string
		for _, it := range items {
			if it.Kind == "fn" {
				fns = append(fns, it.ID)
			}
		}
		if got := g.Edges(fns); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Edges() =\n%v\nwant\n%v", tc.name, got, want)
		}
		if got := g.Edges([]string{"k::b#2", "k::b#0", "nothing"}); !reflect.DeepEqual(got, want[2:]) {
			t.Errorf("%s: Edges(user, helper, unknown) =\n%v\nwant\n%v", tc.name, got, want[2:])
		}
		var b bytes.Buffer
		if err := g.WriteDot(&b, fns); err != nil || b.String() != wantDot {
			t.Errorf("%s: WriteDot() = %v,\n%s\nwant\n%s", tc.name, err, b.String(), wantDot)
		}
		if got, want := g.Counts(), (Counts{Functions: 7, Resolved: 4, Unresolved: 4, Macros: 0}); got != want {
			t.Errorf("%s: Counts() = %+v; want %+v", tc.name, got, want)
		}
	}
	got, _ := json.Marshal(want[0])
	if want := `{"from":"k::a#3","to":"k::b#0","from_path":"k::a::caller","to_path":"k::b::helper","line":6,"how":"path"}`; string(got) != want {
		t.Errorf("Edge JSON = %s; want %s", got, want)
	}
}

// crate is a crate whose manifest lists deps, each "name", "name=package"
// or "name@registry" (not a path dependency).
func crate(name string, deps ...string) Crate {
	m := &cargo.Manifest{}
	for _, d := range deps {
		dep := cargo.Dependency{Kind: "normal", Source: "path"}
		dep.Name, dep.Package, _ = strings.Cut(d, "=")
		if n, _, ok := strings.Cut(d, "@"); ok {
			dep.Name, dep.Source = n, "registry"
		}
		m.Deps = append(m.Deps, dep)
	}
	return Crate{Name: name, Manifest: m}
}

func TestCrateGraph(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sources map[string]string
		crates  []Crate
		want    map[string]CrateGraph // depends_on and used_by, and uses when sources are given
		cycles  [][]string
	}{
		{
			name: "a chain, renamed, hyphenated and registry dependencies",
			sources: map[string]string{
				"app":      "pub fn main() { core_lib::f(); core_lib::f(); core_lib::g(); }",
				"core_lib": "pub fn f() {}\npub fn g() { f(); }",
			},
			crates: []Crate{crate("app", "core=core-lib", "serde@"), crate("core_lib"), crate("lonely", "missing")},
			want: map[string]CrateGraph{
				"app":      {DependsOn: []string{"core_lib"}, UsedBy: []string{}, Uses: map[string][]string{"core_lib": {"core_lib::f", "core_lib::g"}}},
				"core_lib": {DependsOn: []string{}, UsedBy: []string{"app"}, Uses: map[string][]string{}},
				"lonely":   {DependsOn: []string{}, UsedBy: []string{}, Uses: map[string][]string{}},
			},
		},
		{
			name:   "a cycle of two",
			crates: []Crate{crate("b", "a"), crate("a", "b")},
			want: map[string]CrateGraph{
				"a": {DependsOn: []string{"b"}, UsedBy: []string{"b"}, Uses: map[string][]string{}},
				"b": {DependsOn: []string{"a"}, UsedBy: []string{"a"}, Uses: map[string][]string{}},
			},
			cycles: [][]string{{"a", "b", "a"}},
		},
		{
			name:   "two cycles through a, and a crate without a manifest",
			crates: []Crate{crate("a", "b", "c"), crate("b", "a", "c"), crate("c", "a"), {Name: "d"}, crate("e", "d")},
			want: map[string]CrateGraph{
				"a": {DependsOn: []string{"b", "c"}, UsedBy: []string{"b", "c"}, Uses: map[string][]string{}},
				"b": {DependsOn: []string{"a", "c"}, UsedBy: []string{"a"}, Uses: map[string][]string{}},
				"c": {DependsOn: []string{"a"}, UsedBy: []string{"a", "b"}, Uses: map[string][]string{}},
				"d": {DependsOn: []string{}, UsedBy: []string{"e"}, Uses: map[string][]string{}},
				"e": {DependsOn: []string{"d"}, UsedBy: []string{}, Uses: map[string][]string{}},
			},
			cycles: [][]string{{"a", "b", "a"}, {"a", "b", "c", "a"}},
		},
		{
			name:   "a crate that depends on itself",
			crates: []Crate{crate("a", "a")},
			want:   map[string]CrateGraph{"a": {DependsOn: []string{"a"}, UsedBy: []string{"a"}, Uses: map[string][]string{}}},
			cycles: [][]string{{"a", "a"}},
		},
	} {
		g, _ := build(t, tc.sources, tc.crates, false, 0)
		for name, want := range tc.want {
			got, ok := g.CrateGraph(name)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: CrateGraph(%s) = %v, %v; want %v", tc.name, name, got, ok, want)
			}
		}
		if got, ok := g.CrateGraph("nothing"); ok {
			t.Errorf("%s: CrateGraph(nothing) = %v, true; want false", tc.name, got)
		}
		if got := g.Cycles(); !reflect.DeepEqual(got, tc.cycles) {
			t.Errorf("%s: Cycles() = %v; want %v", tc.name, got, tc.cycles)
		}
	}
}

func TestParallel(t *testing.T) {
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	for _, workers := range []int{0, 1, 3, 2000} {
		got := parallel(workers, in, func(i int) int { return i * i })
		for i, v := range got {
			if v != i*i {
				t.Fatalf("parallel(%d workers)[%d] = %d; want %d", workers, i, v, i*i)
			}
		}
	}
	if got := parallel(4, []int(nil), func(i int) int { return i }); len(got) != 0 {
		t.Errorf("parallel(no input) = %v; want []", got)
	}
}

func TestDistinctNames(t *testing.T) {
	items := []*Item{
		{Name: "load", Path: "conn::stripe::<Stripe as Api>::load"},
		{Name: "load", Path: "conn::adyen::<Adyen as Api>::load"},
		{Name: "new", Path: "a::Model::new"},
		{Name: "new", Path: "b::Model::new"},
		{Name: "solo", Path: "x::solo"},
	}
	want := "`<Stripe as Api>::load`, `<Adyen as Api>::load`, `a::Model::new`, `b::Model::new` and `solo`"
	if got := names(items, 6); got != want {
		t.Errorf("names = %s; want %s", got, want)
	}
}

// TestTreeOfMutualCalls: 30 functions that all call each other give a tree
// of at most fanout lines per function, not fanout^depth.
func TestTreeOfMutualCalls(t *testing.T) {
	var src strings.Builder
	for i := range 30 {
		fmt.Fprintf(&src, "fn f%d() {", i)
		for j := range 30 {
			fmt.Fprintf(&src, " f%d();", j)
		}
		src.WriteString(" }\n")
	}
	g, items := build(t, map[string]string{"k": src.String()}, nil, false, 0)
	tree := g.Tree(byPath(t, items, "k::f0"), 6, 30)
	if lines := strings.Count(tree, "\n") + 1; lines > 30*30+1 || lines < 30 {
		t.Errorf("the tree has %d lines; want at most %d", lines, 30*30+1)
	}
}

// TestCratePurpose: a crate's purpose comes from its description, else its
// root files' //! docs (the library's before a binary's); a function's
// graph tells its crate's purpose and workspace dependencies, and nothing
// when nothing is known.
func TestCratePurpose(t *testing.T) {
	target := func(kind, name, path string) cargo.Target { return cargo.Target{Kind: kind, Name: name, Path: path} }
	crates := []Crate{
		{Name: "app", Manifest: &cargo.Manifest{Package: "app", Targets: []cargo.Target{target("bin", "app", "app/main.rs")},
			Deps: []cargo.Dependency{{Name: "core-lib", Kind: "normal", Source: "path"}, {Name: "serde", Kind: "normal", Source: "registry"}}}},
		{Name: "core_lib", Manifest: &cargo.Manifest{Package: "core-lib", Description: "Arithmetic helpers.",
			Targets: []cargo.Target{target("lib", "core_lib", "core/lib.rs")}}},
		{Name: "both", Manifest: &cargo.Manifest{Package: "both",
			Targets: []cargo.Target{target("lib", "both", "both/lib.rs"), target("bin", "both", "both/main.rs")}}},
		{Name: "bare", Manifest: &cargo.Manifest{Package: "bare", Targets: []cargo.Target{target("lib", "bare", "bare/lib.rs")}}},
		{Name: "nameless"}, // no manifest
	}
	files := []*File{
		{Path: "app/main.rs", Module: "app", Docs: " The demo app.\n\n More.", Calls: &rust.Calls{}},
		{Path: "core/lib.rs", Module: "core_lib", Docs: " Not this: the description wins.", Calls: &rust.Calls{}},
		{Path: "both/main.rs", Module: "both_cli", Docs: " The binary.", Calls: &rust.Calls{}},
		{Path: "both/lib.rs", Module: "both", Docs: " # Both\n\n The library.", Calls: &rust.Calls{}},
		{Path: "bare/lib.rs", Module: "bare", Calls: &rust.Calls{}},
	}
	items := []*Item{
		{ID: "main", Crate: "app", Kind: "fn", Name: "main", Path: "app::main", Module: "app", File: "app/main.rs"},
		{ID: "add", Kind: "fn", Name: "add", Path: "core_lib::add", Module: "core_lib", File: "core/lib.rs"}, // no crate: by module
		{ID: "cli", Crate: "both", Kind: "fn", Name: "run", Path: "both_cli::run", Module: "both_cli", File: "both/main.rs"},
		{ID: "bare", Crate: "bare", Kind: "fn", Name: "f", Path: "bare::f", Module: "bare", File: "bare/lib.rs"},
		{ID: "stray", Kind: "fn", Name: "g", Path: "other::g", Module: "other", File: "other.rs"},
	}
	g := Build(items, files, crates, 1)
	for id, want := range map[string]string{
		"main":  `{"name":"app","purpose":"The demo app.","depends_on":["core_lib"]}`,
		"add":   `{"name":"core_lib","purpose":"Arithmetic helpers."}`,
		"cli":   `{"name":"both","purpose":"The library."}`,
		"bare":  `null`,
		"stray": `null`,
		"none":  `null`,
	} {
		got, _ := json.Marshal(g.FnGraph(id, 1, 1).Crate)
		if string(got) != want {
			t.Errorf("FnGraph(%s).Crate = %s; want %s", id, got, want)
		}
	}
	for name, want := range map[string]string{"app": "The demo app.", "core_lib": "Arithmetic helpers.", "bare": "", "nameless": ""} {
		if cg, ok := g.CrateGraph(name); !ok || cg.Purpose != want {
			t.Errorf("CrateGraph(%s).Purpose = %q, %v; want %q", name, cg.Purpose, ok, want)
		}
	}
	got, _ := json.Marshal(g.FnGraph("bare", 1, 1))
	if strings.Contains(string(got), `"crate"`) {
		t.Errorf("FnGraph(bare) = %s: a crate that says nothing is left out", got)
	}
}
