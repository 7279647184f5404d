package rust

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// describe renders an item on one line for comparison.
func describe(src []byte, it Item) string {
	var mods []string
	for _, m := range []struct {
		on   bool
		name string
	}{{it.Async, "async"}, {it.Unsafe, "unsafe"}, {it.Const, "const"}, {it.Default, "default"}, {it.Extern, "extern" + abiSuffix(it.ABI)},
		{it.Mutable, "mut"}, {it.Negative, "negative"}, {it.HasBody, "body"}, {it.HasErrors, "ERR"}} {
		if m.on {
			mods = append(mods, m.name)
		}
	}
	var attrs []string
	for _, a := range it.Attrs {
		attrs = append(attrs, a.Name)
	}
	s := fmt.Sprintf("%s %s [%s] L%d-%d vis=%s mods=%s attrs=%s", it.Kind, it.Path, it.Module, it.StartLine, it.EndLine,
		it.Visibility, strings.Join(mods, ","), strings.Join(attrs, ","))
	if it.Docs != "" {
		s += fmt.Sprintf(" docs=%q", it.Docs)
	}
	if len(it.Derives) > 0 {
		s += " derives=" + strings.Join(it.Derives, ",")
	}
	if it.Impl != nil {
		s += fmt.Sprintf(" impl=%q for %q", it.Impl.Trait, it.Impl.SelfType)
	}
	if it.FnKind != "" {
		s += " fn=" + it.FnKind
	}
	if it.Parent != nil {
		s += " in=" + it.Parent.Kind
	}
	if got := string(src[it.StartByte:it.EndByte]); !strings.HasSuffix(got, "}") && !strings.HasSuffix(got, ";") && !strings.HasSuffix(got, ")") {
		s += fmt.Sprintf(" TEXT=%q", got)
	}
	return s
}

func abiSuffix(abi string) string {
	if abi == "" {
		return ""
	}
	return ":" + abi
}

func TestExtract(t *testing.T) {
	src := `//! Crate docs.
//! Second line.
#![allow(dead_code)]

/// Makes a thing.
///
/// Really.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Thing<T: Clone> where T: Default { a: T }

// a plain comment is not a doc
pub(crate) async unsafe fn run() -> Result<(), E> { Ok(()) }
pub(in crate::a) const fn k() {}
pub(super) unsafe extern "C" fn cb(x: i32) {}
/** Block doc. */
#[doc = "attr doc \"quoted\""]
#[cfg(test)]
enum E { A, B }
union U { a: u8 }
impl<T> From<Vec< T >> for Wrapper<T> {
    /// Converts.
    fn from(v: Vec<T>) -> Self { Wrapper(v) }
    pub fn helper(&self) {}
}
impl Thing<u8> { pub fn new() -> Self { todo!() } const N: usize = 1; }
unsafe impl Send for Thing<u8> {}
impl !Sync for U {}
pub trait Greet: Sized {
    type Out;
    const MAX: u8;
    fn hi(&self) -> String;
    async fn bye(&self) { }
}
pub unsafe trait Marker {}
extern "C" { fn ext(x: i32); static mut COUNTER: u32; }
static mut GLOBAL: u8 = 0;
pub const ÄÖ: &str = "ünïcödé";
pub type Alias<T> = Vec<T>;
#[macro_export]
macro_rules! mac { () => {}; }
mod inner {
    //! Inner docs.
    #![cfg(feature = "x")]
    pub fn deep() {}
    mod deeper { fn deepest() {} }
}
#[path = "other/place.rs"]
mod elsewhere;
#[cfg(test)]
mod tests;
`
	f, err := Extract([]byte(src), "krate::m", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`struct krate::m::Thing [krate::m] L5-10 vis=pub mods= attrs=derive,serde docs=" Makes a thing.\n\n Really." derives=Debug,Clone,serde::Serialize`,
		`fn krate::m::run [krate::m] L13-13 vis=pub(crate) mods=async,unsafe,body attrs= fn=free`,
		`fn krate::m::k [krate::m] L14-14 vis=pub(in crate::a) mods=const,body attrs= fn=free`,
		`fn krate::m::cb [krate::m] L15-15 vis=pub(super) mods=unsafe,extern:C,body attrs= fn=free`,
		`enum krate::m::E [krate::m] L16-19 vis=private mods= attrs=cfg docs=" Block doc. \nattr doc \"quoted\""`,
		`union krate::m::U [krate::m] L20-20 vis=private mods= attrs=`,
		`impl krate::m::<Wrapper<T> as From<Vec<T>>> [krate::m] L21-25 vis=private mods= attrs= impl="From<Vec<T>>" for "Wrapper<T>"`,
		`fn krate::m::<Wrapper<T> as From<Vec<T>>>::from [krate::m] L22-23 vis=private mods=body attrs= docs=" Converts." fn=trait_impl_method in=impl`,
		`fn krate::m::<Wrapper<T> as From<Vec<T>>>::helper [krate::m] L24-24 vis=pub mods=body attrs= fn=trait_impl_method in=impl`,
		`impl krate::m::Thing<u8> [krate::m] L26-26 vis=private mods= attrs= impl="" for "Thing<u8>"`,
		`fn krate::m::Thing<u8>::new [krate::m] L26-26 vis=pub mods=body attrs= fn=method in=impl`,
		`const krate::m::Thing<u8>::N [krate::m] L26-26 vis=private mods= attrs= in=impl`,
		`impl krate::m::<Thing<u8> as Send> [krate::m] L27-27 vis=private mods=unsafe attrs= impl="Send" for "Thing<u8>"`,
		`impl krate::m::<U as Sync> [krate::m] L28-28 vis=private mods=negative attrs= impl="Sync" for "U"`,
		`trait krate::m::Greet [krate::m] L29-34 vis=pub mods= attrs=`,
		`type krate::m::Greet::Out [krate::m] L30-30 vis=private mods= attrs= in=trait`,
		`const krate::m::Greet::MAX [krate::m] L31-31 vis=private mods= attrs= in=trait`,
		`fn krate::m::Greet::hi [krate::m] L32-32 vis=private mods= attrs= fn=trait_method in=trait`,
		`fn krate::m::Greet::bye [krate::m] L33-33 vis=private mods=async,body attrs= fn=trait_method in=trait`,
		`trait krate::m::Marker [krate::m] L35-35 vis=pub mods=unsafe attrs=`,
		`fn krate::m::ext [krate::m] L36-36 vis=private mods=extern:C attrs= fn=extern in=extern`,
		`static krate::m::COUNTER [krate::m] L36-36 vis=private mods=extern:C,mut attrs= in=extern`,
		`static krate::m::GLOBAL [krate::m] L37-37 vis=private mods=mut attrs=`,
		`const krate::m::ÄÖ [krate::m] L38-38 vis=pub mods= attrs=`,
		`type krate::m::Alias [krate::m] L39-39 vis=pub mods= attrs=`,
		`macro krate::m::mac [krate::m] L40-41 vis=private mods= attrs=macro_export`,
		`mod krate::m::inner [krate::m] L42-47 vis=private mods=body attrs=cfg docs=" Inner docs."`,
		`fn krate::m::inner::deep [krate::m::inner] L45-45 vis=pub mods=body attrs= fn=free`,
		`mod krate::m::inner::deeper [krate::m::inner] L46-46 vis=private mods=body attrs=`,
		`fn krate::m::inner::deeper::deepest [krate::m::inner::deeper] L46-46 vis=private mods=body attrs= fn=free`,
		`mod krate::m::elsewhere [krate::m] L48-49 vis=private mods= attrs=path`,
		`mod krate::m::tests [krate::m] L50-51 vis=private mods= attrs=cfg`,
	}
	var got []string
	for _, it := range f.Items {
		got = append(got, describe([]byte(src), it))
	}
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("item %d:\n got %s\nwant %s", i, g, w)
		}
	}
	if f.Docs != " Crate docs.\n Second line." || len(f.Attrs) != 1 || f.Attrs[0].Name != "allow" || f.HasErrors {
		t.Errorf("file docs %q, attrs %v, errors %v", f.Docs, f.Attrs, f.HasErrors)
	}
	wantMods := []ModDecl{{Name: "elsewhere", Path: "other/place.rs"}, {Name: "tests"}}
	if fmt.Sprint(f.Mods) != fmt.Sprint(wantMods) {
		t.Errorf("mods = %v; want %v", f.Mods, wantMods)
	}
	// Non-ASCII: spans are byte offsets into the source.
	for _, it := range f.Items {
		if it.Name == "ÄÖ" {
			if got := src[it.StartByte:it.EndByte]; got != `pub const ÄÖ: &str = "ünïcödé";` {
				t.Errorf("ÄÖ text = %q", got)
			}
		}
	}
	fn := f.Items[1]
	if fn.Signature != "pub(crate) async unsafe fn run() -> Result<(), E>" || fn.Returns != "Result<(), E>" {
		t.Errorf("run: signature %q, returns %q", fn.Signature, fn.Returns)
	}
	st := f.Items[0]
	if st.Generics != "<T: Clone>" || st.Where != "where T: Default" || st.Signature != "pub struct Thing<T: Clone> where T: Default" {
		t.Errorf("Thing: generics %q, where %q, signature %q", st.Generics, st.Where, st.Signature)
	}
}

// TestWithCallsSameItems: the full tree gives the same items as the
// item-level one.
func TestWithCallsSameItems(t *testing.T) {
	srcs := []string{
		"fn f() { fn nested() {} struct Inner; #![allow(x)] }\nmod m { fn g() {} }\nimpl A { fn h(&self) { let x = 1; } }\n",
		"/// d\n#[derive(Debug)]\npub struct S { a: u8 }\nextern \"C\" { pub type T; fn e(); }\ntrait Tr { fn m() { inner_call(); } }\n",
	}
	for _, src := range srcs {
		a, _ := Extract([]byte(src), "k", 0)
		b, calls, err := ExtractWithCalls([]byte(src), "k", 0)
		if err != nil || calls == nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("items differ on %q:\n %s\n %s", src, ja, jb)
		}
	}
}

func TestExtractErrors(t *testing.T) {
	src := "fn ok() {}\nfn broken( {\n}\nstruct After;\n"
	f, err := Extract([]byte(src), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !f.HasErrors {
		t.Error("HasErrors = false for a broken file")
	}
	var names []string
	for _, it := range f.Items {
		names = append(names, it.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "ok") {
		t.Errorf("items %v: want ok among them", names)
	}
}

func TestExtractEmptyAndBlank(t *testing.T) {
	for _, src := range []string{"", "\n\n", "// only a comment\n", "#![no_std]"} {
		f, err := Extract([]byte(src), "m", 0)
		if err != nil || len(f.Items) != 0 {
			t.Errorf("Extract(%q) = %d items, %v; want none, no error", src, len(f.Items), err)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Vec< T >", "Vec<T>"},
		{"HashMap<K,\n    V>", "HashMap<K, V>"},
		{"&'a  mut T", "&'a mut T"},
		{"dyn Fn(u8) -> u8", "dyn Fn(u8)->u8"},
		{"pub( in crate :: a )", "pub(in crate::a)"},
		{"<T as Trait>::X", "<T as Trait>::X"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestRustString(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`"plain"`, "plain", true},
		{`"a\nb\t\"c\" \\ \u{e9}\x41"`, "a\nb\t\"c\" \\ éA", true},
		{`r"raw \n"`, `raw \n`, true},
		{`r#"has "quotes""#`, `has "quotes"`, true},
		{"\"line \\\n    continued\"", "line continued", true},
		{`concat!("a")`, "", false},
	}
	for _, tt := range tests {
		got, ok := rustString(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("rustString(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"", "fn a() {}", "/// d\n#[x]\npub struct S;", "impl<T> A<T> for B { fn f() {} }", "mod m { mod n { } }", "{{{{", "extern { fn f(); }", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Extract([]byte(src), "m", 0)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, it := range file.Items {
			if it.StartByte < 0 || it.EndByte > len(src) || it.StartByte > it.EndByte {
				t.Fatalf("%s %s: span %d-%d outside 0-%d", it.Kind, it.Name, it.StartByte, it.EndByte, len(src))
			}
			if it.StartLine < 1 || it.EndLine < it.StartLine || it.EndLine > lines {
				t.Fatalf("%s %s: lines %d-%d outside 1-%d", it.Kind, it.Name, it.StartLine, it.EndLine, lines)
			}
			if want := 1 + strings.Count(src[:it.StartByte], "\n"); it.StartLine != want {
				t.Fatalf("%s %s: start line %d; byte %d is on line %d", it.Kind, it.Name, it.StartLine, it.StartByte, want)
			}
		}
	})
}

func TestExtractBodyInnerAttrsAndForeignTypes(t *testing.T) {
	src := `fn f() {
    //! Inner doc of f.
    #![allow(deprecated)]
    let x = 1;
    #![not_an_inner_attr_of_f]
}
#[wasm_bindgen]
extern "C" {
    /// A JS class.
    #[wasm_bindgen(extends = Object)]
    pub type Instant;
    type Plain;
    pub fn g(this: &Instant) -> u8;
}
impl X {
    #![allow(clippy::all)]
    fn m() {}
}
`
	f, err := Extract([]byte(src), "m", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`fn m::f [m] L1-6 vis=private mods=body attrs=allow docs=" Inner doc of f." fn=free`,
		`type m::Instant [m] L9-11 vis=pub mods=extern:C,ERR attrs=wasm_bindgen docs=" A JS class." in=extern`,
		`type m::Plain [m] L12-12 vis=private mods=extern:C attrs= in=extern`,
		`fn m::g [m] L13-13 vis=pub mods=extern:C attrs= fn=extern in=extern`,
		`impl m::X [m] L15-18 vis=private mods= attrs=allow impl="" for "X"`,
		`fn m::X::m [m] L17-17 vis=private mods=body attrs= fn=method in=impl`,
	}
	for i := range max(len(f.Items), len(want)) {
		var g, w string
		if i < len(f.Items) {
			g = describe([]byte(src), f.Items[i])
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("item %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

func TestMacroCalls(t *testing.T) {
	src := "diesel::table! {\n    users (id) {\n        id -> Int4,\n        name -> Varchar,\n    }\n}\n/// Lazy.\nlazy_static! { static ref X: u8 = 1; }\nfn f() { inside!(); }\n"
	f, err := Extract([]byte(src), "m", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range f.Items {
		got = append(got, it.Kind+":"+it.Name+":"+src[it.StartByte:it.EndByte])
	}
	want := []string{
		"macro_call:diesel::table:diesel::table! {\n    users (id) {\n        id -> Int4,\n        name -> Varchar,\n    }\n}",
		"macro_call:lazy_static:/// Lazy.\nlazy_static! { static ref X: u8 = 1; }",
		"fn:f:fn f() { inside!(); }",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("items\n %q\nwant\n %q", got, want)
	}
}
