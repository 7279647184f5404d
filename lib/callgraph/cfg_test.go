package callgraph

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/rust"
)

// twinFile is a source file of the cfg workspace: its path, its module
// and its text.
type twinFile struct{ path, module, src string }

// twinWorkspace is a hand-built workspace of definitions at one path:
// cfg'd twins (functions, inline and #[path] modules, impls), methods of
// generic impls and namesakes in two packages (two versions of crate k).
// Package p's default features are std and alloc (through std), serde
// (an optional dependency) and not nope; package q has no [features];
// package a asks package l for its feature x.
var twinWorkspace = []twinFile{
	{"p/src/lib.rs", "k", `#[cfg(feature = "std")]
#[path = "io_std.rs"]
mod io;
#[cfg(not(feature = "std"))]
#[path = "io_core.rs"]
mod io;
#[cfg(feature = "std")] fn feat() {}
#[cfg(not(feature = "std"))] fn feat() {}
#[cfg(unix)] fn target() {}
#[cfg(windows)] fn target() {}
#[cfg(all(unix, feature = "nope"))] fn mixed() {}
#[cfg(not(all(unix, feature = "nope")))] fn mixed() {}
#[cfg(feature = "serde")] fn opt() {}
#[cfg(not(feature = "serde"))] fn opt() {}
#[cfg(feature = "alloc")]
mod imp { pub fn g() {} }
#[cfg(not(feature = "alloc"))]
mod imp { pub fn g() {} }
pub struct S;
#[cfg(feature = "std")]
impl S { pub fn m(&self) {} }
#[cfg(not(feature = "std"))]
impl S { pub fn m(&self) {} }
pub struct G<T>(T);
impl G<u8> { pub fn new() {} }
impl G<u16> { pub fn new() {} }
pub mod feat {}
pub fn main(s: S) {
    feat();
    target();
    mixed();
    opt();
    imp::g();
    io::read();
    S::m(&s);
    s.m();
    G::new();
    shared();
}
pub fn shared() {}
pub struct Core;
impl Core { pub fn len(&self) {} }
#[cfg(feature = "std")] pub struct Map<K, S = u8> { core: Core, k: K, s: S }
#[cfg(not(feature = "std"))] pub struct Map<K, S> { core: Core, k: K, s: S }
impl<K, S> Map<K, S> { pub fn len(&self) { self.core.len(); } }
#[cfg(unix)] pub type Handle = Core;
#[cfg(windows)] pub type Handle = S;
pub fn handle(h: Handle) { h.len(); }
pub trait Tr { fn tm(&self) {} }
`},
	{"p/src/io_std.rs", "k::io", "pub fn read() {}\n"},
	{"p/src/io_core.rs", "k::io", "pub fn read() {}\n"},
	{"q/src/lib.rs", "k", `#[cfg(feature = "std")] fn feat() {}
#[cfg(not(feature = "std"))] fn feat() {}
pub fn shared() {}
pub fn main() { shared(); feat(); }
pub trait Tr { fn tm(&self) {} }
pub fn gen<X: Tr>(x: X) { x.tm(); }
`},
	{"l/src/lib.rs", "l", `#[cfg(feature = "x")] pub fn f() {}
#[cfg(not(feature = "x"))] pub fn f() {}
`},
	{"a/src/lib.rs", "a", `pub fn main() { l::f(); }
`},
	{"c2/src/lib.rs", "c2", `#[cfg(feature = "x")] #[path = "alt/imp.rs"] mod imp;
#[cfg(all(unix, not(feature = "x")))] mod imp;
#[cfg(all(windows, not(feature = "x")))] #[path = "win.rs"] mod imp;
pub fn run() { imp::f(); }
`},
	{"c2/src/alt/imp.rs", "c2::imp", "pub fn f() {}\n"},
	{"c2/src/imp.rs", "c2::imp", "pub fn f() {}\n"},
	{"c2/src/win.rs", "c2::imp", "pub fn f() {}\n"},
	{"h/src/lib.rs", "h", `mod simd {
    #[cfg(fast_simd)] mod fast { pub fn m() {} }
    mod slow { pub fn m() {} }
    #[cfg(fast_simd)] pub use self::fast::*;
    #[cfg(not(fast_simd))] pub use self::slow::*;
    #[cfg(fast_simd)] pub use self::fast::m as n;
    #[cfg(not(fast_simd))] pub use self::slow::m as n;
}
pub fn run() { simd::m(); simd::n(); }
`},
	{"r/src/lib.rs", "r", `#[cfg(feature = "std")] fn feat() {}
#[cfg(not(feature = "std"))] fn feat() {}
pub fn main() { feat(); }
`},
}

var twinCrates = []Crate{
	{"k", &cargo.Manifest{Dir: "p", Package: "k",
		Features: map[string][]string{"default": {"std", "serde"}, "std": {"alloc"}, "alloc": {}, "nope": {}},
		Deps:     []cargo.Dependency{{Name: "serde", Kind: "normal", Source: "registry", Optional: true}}}},
	{"k", &cargo.Manifest{Dir: "q", Package: "k", Features: map[string][]string{}}},
	{"l", &cargo.Manifest{Dir: "l", Package: "l", Features: map[string][]string{"x": {}}}},
	{"a", &cargo.Manifest{Dir: "a", Package: "a", Features: map[string][]string{},
		Deps: []cargo.Dependency{{Name: "l", Kind: "normal", Source: "path", Path: "l", Features: []string{"x"}, NoDefaultFeatures: true}}}},
	{"c2", &cargo.Manifest{Dir: "c2", Package: "c2", Features: map[string][]string{"x": {}}}},
	{"h", &cargo.Manifest{Dir: "h", Package: "h", Features: map[string][]string{}}},
	{"r", nil}, // a crate whose manifest is not known
	{"", &cargo.Manifest{Dir: "", Workspace: &cargo.Workspace{Members: []string{"a", "l"}}}}, // a and l are one workspace
}

func TestTwins(t *testing.T) {
	var items []*Item
	var files []*File
	for _, f := range twinWorkspace {
		src := []byte(f.src)
		parsed, err := rust.Extract(src, f.module, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, it := range parsed.Items {
			items = append(items, NewItem(fmt.Sprintf("%s#%d", f.path, i), "", f.path, &it))
		}
		files = append(files, &File{Path: f.path, Module: f.module, Text: f.src})
	}
	g := Build(items, files, twinCrates, 1)
	got := map[string][]string{}
	for _, it := range items {
		r := g.calls[it.ID]
		for _, call := range r.Calls {
			got[it.File+" "+it.Path] = append(got[it.File+" "+it.Path], fmt.Sprintf("%s -> %s:%d [%s]", call.Text, call.Callee.File, call.Callee.Line, call.How))
		}
		for _, u := range r.Unresolved {
			got[it.File+" "+it.Path] = append(got[it.File+" "+it.Path], u.Text+" ?? "+u.Reason)
		}
	}
	want := map[string][]string{
		"p/src/lib.rs k::main": {
			"feat -> p/src/lib.rs:7 [local]",       // feature std is on; a module feat beside it is no value
			"mixed -> p/src/lib.rs:12 [local]",     // not(all(unix, false)): unix does not matter
			"opt -> p/src/lib.rs:13 [local]",       // serde, an optional dependency default turns on
			"imp::g -> p/src/lib.rs:16 [path]",     // inline modules under cfgs
			"io::read -> p/src/io_std.rs:1 [path]", // #[path] modules under cfgs
			"S::m -> p/src/lib.rs:21 [type]",       // impls under cfgs
			"s.m -> p/src/lib.rs:21 [typed]",
			"shared -> p/src/lib.rs:40 [local]", // its own package's, not q's
			"target ?? one of 2 definitions under different cfgs: k::target (p/src/lib.rs:9), k::target (p/src/lib.rs:10)",
			"G::new ?? one of 2 definitions: k::G<u16>::new (p/src/lib.rs:26), k::G<u8>::new (p/src/lib.rs:25)",
		},
		"p/src/lib.rs k::Map<K, S>::len": {"self.core.len -> p/src/lib.rs:42 [inferred]"},           // twin structs alike but for a default
		"p/src/lib.rs k::handle":         {"h.len ?? receiver type Handle is not in the workspace"}, // twin aliases that differ
		"q/src/lib.rs k::main": {
			"feat -> q/src/lib.rs:2 [local]", // no [features]: std is off
			"shared -> q/src/lib.rs:3 [local]",
		},
		"a/src/lib.rs a::main": {"l::f -> l/src/lib.rs:1 [path]"}, // a's dependency on l asks for x
		"c2/src/lib.rs c2::run": { // x is off; unix or windows is not known
			"imp::f ?? one of 2 definitions under different cfgs: c2::imp::f (c2/src/imp.rs:1), c2::imp::f (c2/src/win.rs:1)",
		},
		"q/src/lib.rs k::gen": {"x.tm -> q/src/lib.rs:5 [bound]"}, // its own package's trait, not p's of the same path
		"h/src/lib.rs h::run": { // glob and named imports under a build script's cfg: not known which
			"simd::m ?? not a function of the workspace", // re-exported by two globs: neither followed
			"simd::n ?? not a function of the workspace",
		},
		"r/src/lib.rs r::main": {
			"feat ?? one of 2 definitions under different cfgs: r::feat (r/src/lib.rs:1), r::feat (r/src/lib.rs:2)", // features not known
		},
	}
	for fn, w := range want {
		if strings.Join(got[fn], "\n") != strings.Join(w, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", fn, strings.Join(got[fn], "\n"), strings.Join(w, "\n"))
		}
	}
}
