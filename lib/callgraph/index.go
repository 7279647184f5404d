package callgraph

import (
	"maps"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/rust"
)

// Item is a definition of the workspace: a record of dw-rustparse.
type Item struct {
	ID     string
	Crate  string // its package's crate name ("": the first part of Module)
	Kind   string // fn, struct, enum, union, trait, impl, mod, macro, const, static, type
	Name   string
	Path   string // qualified path
	Module string
	Parent *rust.Parent // for methods: the impl or trait
	Impl   *rust.Impl   // for impls
	File   string
	Start  int // byte range in the file
	End    int
	Line   int
	Body   *rust.FnBody // for a fn with a body: its call sites, when they came with its record (dw-rustparse --calls)

	Returns string            // for a fn: its return type as written
	Bounds  string            // for a fn: its generics and where clause as written (<T: Tr>, where T: Tr)
	Fields  map[string]string // for a struct or union: field → type as written
	Alias   string            // for a type item: the type it stands for, as written
	ByRef   bool              // for a method: it takes &self or &mut self
	Shared  bool              // for a method: it takes &self
	Wrapped bool              // for a method: its self is in a wrapper (self: Box<Self>, Pin<&mut Self>, Rc<Self>)
	ByValue bool              // for a method: it takes self
	Private bool              // for an inherent method: private, seen only from its module and those inside it

	Supers   string // for a trait: its supertraits as written (A + B<C>)
	Cfg      string // the predicate of its #[cfg]s (all(a, b) for several); "" when it has none
	Outline  bool   // a mod declared out of line (mod m;)
	PathAttr string // for a mod: its #[path] as written
}

// NewItem is the Item of an item dw-rustparse found in file, with id.
func NewItem(id, crate, file string, it *rust.Item) *Item {
	return &Item{ID: id, Crate: crate, Kind: it.Kind, Name: it.Name, Path: it.Path, Module: it.Module,
		Parent: it.Parent, Impl: it.Impl, File: file, Start: it.StartByte, End: it.EndByte, Line: it.StartLine,
		Returns: it.Returns, Bounds: strings.Join(strings.Fields(it.Generics+" "+it.Where), " "), Fields: it.Fields,
		Alias: alias(it), ByRef: byRef(it), Shared: shared(it), Wrapped: wrapped(it), ByValue: byValue(it), Private: private(it), Supers: supers(it), Cfg: cfg(it.Attrs), Outline: it.Kind == "mod" && !it.HasBody, PathAttr: pathAttr(it)}
}

// byRef says whether a method takes self by reference, from its
// signature: (&self, (&'a mut self, (self: &Self.
func byRef(it *rust.Item) bool {
	self := selfParam(it)
	return strings.HasPrefix(self, "&") && strings.HasSuffix(self, "self") ||
		strings.HasPrefix(self, "self:") && strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(self, "self:")), "&")
}

// shared says whether a method takes &self: (&self, (&'a self, (self: &Self.
func shared(it *rust.Item) bool {
	self := selfParam(it)
	if t, ok := strings.CutPrefix(self, "self:"); ok {
		self = strings.TrimSpace(t)
	}
	return byRef(it) && !strings.Contains(self, "mut")
}

// byValue says whether a method takes self: (self, (mut self, (self: Self.
func byValue(it *rust.Item) bool {
	switch self := selfParam(it); {
	case self == "self" || self == "mut self":
		return true
	case strings.HasPrefix(self, "self:") || strings.HasPrefix(self, "mut self:"):
		_, t, _ := strings.Cut(self, ":")
		return strings.TrimSpace(t) == "Self"
	}
	return false
}

// private says whether an inherent method is private to its module.
func private(it *rust.Item) bool {
	return it.Kind == "fn" && it.Parent != nil && it.Parent.Kind == "impl" && it.Parent.Trait == "" && it.Visibility == "private"
}

// wrapped says whether a method's self is in a wrapper type: self: X<..>
// for anything but a reference to Self.
func wrapped(it *rust.Item) bool {
	t, ok := strings.CutPrefix(selfParam(it), "self:")
	if !ok {
		return false
	}
	t = strings.TrimSpace(t)
	return t != "Self" && stripRef(t) != "Self"
}

// selfParam is a method's first parameter as written ("" for a function):
// after its name and generics (pub(crate) fn f<F: Fn(u8)>(&self, ..)).
func selfParam(it *rust.Item) string {
	if it.Kind != "fn" || it.Parent == nil {
		return ""
	}
	_, rest, ok := strings.Cut(it.Signature, "fn "+it.Name)
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), it.Generics)
	_, params, ok := strings.Cut(rest, "(")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(params, ",)"); i >= 0 {
		params = params[:i]
	}
	return strings.TrimSpace(params)
}

// alias is what a type item stands for: type Item = &'a Foo gives &'a Foo.
func alias(it *rust.Item) string {
	if it.Kind != "type" {
		return ""
	}
	sig := it.Signature
	if i := strings.Index(sig, it.Generics); it.Generics != "" && i >= 0 { // past defaults: <E = Error>
		sig = sig[i+len(it.Generics):]
	}
	_, v, ok := strings.Cut(sig, "=")
	if !ok {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), ";"))
}

// File is one source file: its module and what its code calls and uses.
type File struct {
	Path   string
	Module string
	Calls  *rust.Calls
	Text   string // the source, which Build parses when Calls is nil
	Docs   string // its //! docs: a crate root's say what the crate is for
}

// Index is the definition index of a workspace.
type Index struct {
	items       map[string]*Item
	byScope     map[string]map[string][]*Item // module → name → items declared there
	fns         map[string][]*Item            // qualified path → functions
	uses        map[string]map[string]string  // module → alias → absolute path
	globs       map[string][]string           // module → glob-imported modules
	methods     map[string]map[string][]*Item // absolute type path → method name → methods (inherent first)
	traits      map[string]map[string][]*Item // absolute trait path → method name → its definitions (several: twins, namesakes)
	impls       map[string][]string           // absolute type path → traits it implements
	crates      map[string]bool               // crate (target) names
	byFile      map[string][]*Item            // file → functions, by start
	structs     map[string]*Item              // absolute path → the struct or union with field types (one definition only)
	implsIn     map[string][]*Item            // file → impl blocks and traits, for the generics of their methods
	enums       map[string]*Item              // absolute path → the enum with its variants' field types (one definition only)
	aliases     map[string]*Item              // absolute path → the type alias (one definition only)
	yields      map[string]yield              // absolute type path → the Item its Iterator or IntoIterator impl yields
	derefs      map[string]bool               // absolute type paths with a Deref impl
	traitMethod map[string]bool               // names of the methods the workspace's traits declare
	traitItems  map[string]*Item              // absolute trait path → the trait (one definition only)
	cfgs        cfgs                          // packages and cfgs, for twins
}

// yield is the Item an Iterator or IntoIterator impl yields, with the
// impl's self type and generics as written, whose parameters the Item may
// name (impl<'a, T> Iterator for Iter<'a, T> { type Item = &'a T; }).
type yield struct {
	item         typ
	self, bounds string
}

// NewIndex builds the index of items and files; crates' manifests give
// the packages' folders and default features.
func NewIndex(items []*Item, files []*File, crates []Crate) *Index {
	x := &Index{
		items: map[string]*Item{}, byScope: map[string]map[string][]*Item{}, fns: map[string][]*Item{},
		uses: map[string]map[string]string{}, globs: map[string][]string{},
		methods: map[string]map[string][]*Item{}, traits: map[string]map[string][]*Item{}, impls: map[string][]string{},
		crates: map[string]bool{}, byFile: map[string][]*Item{}, structs: map[string]*Item{}, implsIn: map[string][]*Item{}, enums: map[string]*Item{}, aliases: map[string]*Item{}, yields: map[string]yield{}, derefs: map[string]bool{}, traitMethod: map[string]bool{}, traitItems: map[string]*Item{},
		cfgs: newCfgs(items, files, crates),
	}
	twice := map[string]bool{}
	for _, it := range items {
		x.items[it.ID] = it
		if root, _, _ := strings.Cut(it.Module, "::"); root != "" {
			x.crates[root] = true
		}
		if it.Parent == nil && it.Kind != "impl" {
			add(x.byScope, it.Module, it.Name, it)
		}
		if it.Kind == "fn" {
			x.fns[it.Path] = append(x.fns[it.Path], it)
			x.byFile[it.File] = append(x.byFile[it.File], it)
		}
		if it.Kind == "trait" && it.Parent == nil {
			if _, dup := x.traitItems[it.Path]; dup {
				x.traitItems[it.Path] = nil // twins: their supertraits are not known for sure
			} else {
				x.traitItems[it.Path] = it
			}
		}
		if (it.Kind == "impl" || it.Kind == "trait") && it.Bounds != "" {
			x.implsIn[it.File] = append(x.implsIn[it.File], it)
		}
		if (it.Kind == "struct" || it.Kind == "union" || it.Kind == "enum" || it.Kind == "type" && it.Alias != "") && it.Parent == nil {
			m := x.structs
			switch it.Kind {
			case "enum":
				m = x.enums
			case "type":
				m = x.aliases
			}
			switch first := m[it.Path]; {
			case first != nil && maps.Equal(first.Fields, it.Fields) && first.Alias == it.Alias && slices.Equal(params(first.Bounds), params(it.Bounds)) && (it.Kind != "type" || first.Bounds == it.Bounds): // cfg'd twins alike (an alias's defaults too)
			case first != nil || twice[it.Path]: // twins that differ: not known for sure
				twice[it.Path] = true
				delete(m, it.Path)
			case it.Fields != nil || it.Alias != "":
				m[it.Path] = it
			}
		}
	}
	// Uses first: resolving impls' self types and methods needs them.
	for _, f := range files {
		if f.Calls == nil {
			continue
		}
		for _, u := range f.Calls.Uses {
			scope := join(f.Module, strings.Join(u.Inline, "::"))
			target := x.absolute(scope, u.Path)
			if target == "" {
				continue
			}
			if u.Alias == "*" {
				x.globs[scope] = append(x.globs[scope], target)
				continue
			}
			if x.uses[scope] == nil {
				x.uses[scope] = map[string]string{}
			}
			if t, twice := x.uses[scope][u.Alias]; twice && t != target {
				target = "" // imports of one name under different cfgs: not known which
			}
			x.uses[scope][u.Alias] = target
		}
	}
	for _, it := range items {
		if it.Kind == "impl" && it.Impl != nil {
			if tr, _ := generics(it.Impl.Trait); last(tr) == "Deref" || last(tr) == "DerefMut" {
				x.derefs[x.selfPath(it.Module, it.Impl.SelfType)] = true
			}
		}
		if it.Kind == "impl" && it.Impl != nil && it.Impl.Trait != "" {
			if typ, tr := x.selfPath(it.Module, it.Impl.SelfType), x.typePath(it.Module, it.Impl.Trait); typ != "" && tr != "" {
				x.impls[typ] = append(x.impls[typ], tr)
			}
		}
		if it.Kind == "type" && it.Name == "Item" && it.Alias != "" && it.Parent != nil && it.Parent.Kind == "impl" {
			if tr, _ := generics(it.Parent.Trait); last(tr) == "Iterator" || last(tr) == "IntoIterator" {
				if self := x.selfPath(it.Module, it.Parent.SelfType); self != "" {
					y := yield{item: typ{written: it.Alias, scope: it.Module, self: self}, self: it.Parent.SelfType}
					for _, im := range x.implsIn[it.File] {
						if im.Kind == "impl" && im.Start <= it.Start && it.End <= im.End {
							y.bounds = im.Bounds
						}
					}
					x.yields[self] = y
				}
			}
		}
		if it.Kind != "fn" || it.Parent == nil {
			continue
		}
		switch it.Parent.Kind {
		case "impl":
			typ := x.selfPath(it.Module, it.Parent.SelfType)
			if typ == "" {
				continue
			}
			if x.methods[typ] == nil {
				x.methods[typ] = map[string][]*Item{}
			}
			if it.Parent.Trait == "" { // inherent methods win: keep them first
				x.methods[typ][it.Name] = append([]*Item{it}, x.methods[typ][it.Name]...)
			} else {
				x.methods[typ][it.Name] = append(x.methods[typ][it.Name], it)
			}
		case "trait":
			tr := it.Parent.Path // the trait's qualified path
			if x.traits[tr] == nil {
				x.traits[tr] = map[string][]*Item{}
			}
			x.traits[tr][it.Name] = append(x.traits[tr][it.Name], it)
			x.traitMethod[it.Name] = true
		}
	}
	return x
}

func add(m map[string]map[string][]*Item, scope, name string, it *Item) {
	if m[scope] == nil {
		m[scope] = map[string][]*Item{}
	}
	m[scope][name] = append(m[scope][name], it)
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "::" + b
}

func parent(module string) string {
	if i := strings.LastIndex(module, "::"); i >= 0 {
		return module[:i]
	}
	return ""
}

// absolute turns a path written in scope into an absolute one: crate::,
// self::, super::, a name in scope (item, use alias, glob) or a crate name.
// It returns "" when the first segment means nothing here.
func (x *Index) absolute(scope string, segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	var base string
	rest := segs[1:]
	switch first := segs[0]; first {
	case "crate":
		base, _, _ = strings.Cut(scope, "::")
	case "self":
		base = scope
	case "super":
		base = parent(scope)
		for len(rest) > 0 && rest[0] == "super" {
			base, rest = parent(base), rest[1:]
		}
	default:
		base = x.lookup(scope, first)
		if base == "" {
			return ""
		}
	}
	return join(base, strings.Join(rest, "::"))
}

// lookup finds what name means in scope: an item declared there, a use
// alias, a glob import, or a crate of the workspace.
func (x *Index) lookup(scope, name string) string {
	if len(x.byScope[scope][name]) > 0 {
		return join(scope, name)
	}
	if t, ok := x.uses[scope][name]; ok {
		return t
	}
	if g, ok := x.fromGlob(scope, name); ok {
		return g
	}
	for _, g := range x.globs[scope] {
		if t, ok := x.uses[g][name]; ok {
			return t
		}
	}
	if x.crates[name] {
		return name
	}
	return ""
}

// typePath resolves a type as written in scope (generics dropped) to an
// absolute path, following re-exports; "" when unknown.
func (x *Index) typePath(scope, written string) string {
	if i := strings.IndexByte(written, '<'); i >= 0 {
		written = written[:i]
	}
	written = stripRef(written)
	if written == "" || strings.ContainsAny(written, " ([") {
		return ""
	}
	return x.follow(x.absolute(scope, strings.Split(written, "::")))
}

// selfPath is the absolute path of an impl's self type written in scope,
// through type aliases ("" when unknown).
func (x *Index) selfPath(scope, written string) string {
	v := x.expand(typ{written: written, scope: scope})
	if head, _ := generics(stripRef(v.written)); builtin[head] { // impl Tr for str: the type, whatever module of its name is imported
		return ""
	}
	return x.typePath(v.scope, v.written)
}

// builtin are Rust's primitive types: a type written so is the primitive,
// even where a module of its name is imported (use core::str).
var builtin = map[string]bool{
	"bool": true, "char": true, "str": true, "f32": true, "f64": true,
	"i8": true, "i16": true, "i32": true, "i64": true, "i128": true, "isize": true,
	"u8": true, "u16": true, "u32": true, "u64": true, "u128": true, "usize": true,
}

// fromGlob is the item name that the glob imports of scope bring in, as
// an absolute path; "" and true when several modules have one (glob
// imports under different cfgs: not known which), false when none has.
func (x *Index) fromGlob(scope, name string) (string, bool) {
	found := ""
	for _, g := range x.globs[scope] {
		if len(x.byScope[g][name]) > 0 && g != found {
			if found != "" {
				return "", true
			}
			found = g
		}
	}
	if found == "" {
		return "", false
	}
	return join(found, name), true
}

// follow resolves re-exports (pub use) until a declared item's path.
func (x *Index) follow(p string) string {
	for range 16 {
		if p == "" {
			return ""
		}
		m, name := parent(p), p[strings.LastIndex(p, ":")+1:]
		if strings.LastIndex(p, ":") < 0 {
			return p // a crate root
		}
		if len(x.byScope[m][name]) > 0 {
			return p
		}
		t, ok := x.uses[m][name]
		if !ok {
			if g, ok := x.fromGlob(m, name); ok {
				return g
			}
			// A module re-exported under another path (pub use
			// graph_impl::stable_graph): the path through the module itself.
			if fm := x.follow(m); fm != m && fm != "" {
				p = join(fm, name)
				continue
			}
			return p
		}
		p = t
	}
	return p
}

// mutPrefix says whether w begins with the keyword mut (mut T, mut(A, B)).
func mutPrefix(w string) bool {
	return strings.HasPrefix(w, "mut") && len(w) > 3 && !isIdent(w[3:4])
}

// stripRef drops the references, lifetimes and mut before a type:
// &'a mut Deserializer<R> → Deserializer<R>.
func stripRef(w string) string {
	for {
		w = strings.TrimSpace(w)
		switch {
		case strings.HasPrefix(w, "&"):
			w = w[1:]
		case strings.HasPrefix(w, "'"):
			i := strings.IndexAny(w, " >,")
			if i < 0 || w[i] != ' ' {
				return w
			}
			w = w[i:]
		case mutPrefix(w):
			w = w[3:]
		default:
			return w
		}
	}
}

// cfg is the predicate of an item's #[cfg] attributes: all(a, b) for
// several, "" when it has none.
func cfg(attrs []rust.Attr) string {
	var preds []string
	for _, a := range attrs {
		if a.Name != "cfg" {
			continue
		}
		if p, ok := a.Args(); ok {
			preds = append(preds, p)
		}
	}
	if len(preds) <= 1 {
		return strings.Join(preds, "")
	}
	return "all(" + strings.Join(preds, ", ") + ")"
}

// supers is what a trait's signature says after its name and generics:
// pub trait A<T>: B + C<T> where … gives B + C<T>.
func supers(it *rust.Item) string {
	if it.Kind != "trait" {
		return ""
	}
	_, rest, ok := strings.Cut(it.Signature, "trait "+it.Name)
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), it.Generics)
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), it.Where))
	if !strings.HasPrefix(rest, ":") {
		return ""
	}
	return strings.TrimSpace(rest[1:])
}

// pathAttr is a mod's #[path] value.
func pathAttr(it *rust.Item) string {
	if it.Kind != "mod" {
		return ""
	}
	for _, a := range it.Attrs {
		if a.Name == "path" {
			return a.Value()
		}
	}
	return ""
}
