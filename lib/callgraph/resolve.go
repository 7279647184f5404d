package callgraph

import (
	"slices"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/rust"
)

// Call is a resolved call.
type Call struct {
	Callee *Item
	Line   int
	How    string // local, import, glob, path, re-export, self, typed, inferred, bound, type, trait; reference: passed as a value, not called
	Text   string
}

// Unresolved is a call kept with its text: std or an external crate, a
// closure, a receiver of unknown type, or an ambiguous name.
type Unresolved struct {
	Text   string `json:"text"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Resolved is what one function calls.
type Resolved struct {
	Calls        []Call
	Unresolved   []Unresolved
	Constructors []Unresolved // enum variants and tuple structs built (Some(x), Error::Io(e), Wrap(x)), not calls
	References   []Call       // functions passed as values (.map(Foo::new), .route(handler)): How "reference"
	Macros       []string     // distinct, in order of first use
}

// reference is the How of a function passed as a value (.map(Foo::new)):
// an edge, not a call.
const reference = "reference"

// constructor begins the reason call gives a constructor: counted apart,
// not unresolved.
const constructor = "constructor"

// Resolve resolves the call sites of fn's body.
func (x *Index) Resolve(fn *Item, body *rust.FnBody) Resolved {
	return x.resolve(&typer{}, fn, body)
}

// resolve is Resolve with t's memory.
func (x *Index) resolve(t *typer, fn *Item, body *rust.FnBody) Resolved {
	var r Resolved
	seenMacro := map[string]bool{}
	t.reset(x, fn, body)
	for i, site := range body.Calls {
		switch site.Kind {
		case "macro":
			if !seenMacro[site.Path[0]] {
				seenMacro[site.Path[0]] = true
				r.Macros = append(r.Macros, site.Path[0])
			}
			continue
		}
		res := t.site(i)
		if site.Kind == "ref" { // a function passed as a value, or else no call at all
			if res.callee != nil && res.callee.Kind == "fn" {
				r.References = append(r.References, Call{res.callee, site.Line, reference, site.Text})
			}
			continue
		}
		if res.callee == nil && strings.HasPrefix(res.why, constructor) {
			r.Constructors = append(r.Constructors, Unresolved{site.Text, site.Line, res.why})
			continue
		}
		if res.callee == nil {
			r.Unresolved = append(r.Unresolved, Unresolved{site.Text, site.Line, res.why})
			continue
		}
		r.Calls = append(r.Calls, Call{res.callee, site.Line, res.how, site.Text})
	}
	return r
}

// stdVariants are the prelude's variant constructors.
var stdVariants = map[string]bool{"Some": true, "Ok": true, "Err": true}

// call resolves a plain or path call; a constructor is told apart.
func (x *Index) call(fn *Item, segs []string) (*Item, string, string) {
	callee, how, why := x.callee(fn, segs)
	if callee != nil {
		return callee, how, why
	}
	if kind := x.constructs(fn, segs); kind != "" {
		return nil, "", constructor + ": " + kind
	}
	return nil, "", why
}

// constructs tells what a call that names no function builds: "variant"
// (Some, Ok, Err, Enum::Variant, Self::Variant in an enum's impl),
// "tuple struct", or "" when it is not known to build anything.
func (x *Index) constructs(fn *Item, segs []string) string {
	name := segs[len(segs)-1]
	if !isTypeName(name) {
		return ""
	}
	scope := fn.Module
	if len(segs) == 1 {
		at := x.follow(x.lookup(scope, name))
		switch {
		case x.kindAt(at) == "struct":
			return "tuple struct"
		case at != "" && x.kindAt(parent(at)) == "enum": // use Shape::Circle
			return "variant"
		case stdVariants[name] && at == "":
			return "variant"
		case at == "" && x.globVariant(scope, name):
			return "variant"
		}
		return ""
	}
	owner := ""
	if segs[0] == "Self" && len(segs) == 2 {
		owner = x.selfType(fn)
	} else {
		owner = x.typePath(scope, strings.Join(segs[:len(segs)-1], "::"))
	}
	if x.kindAt(owner) == "enum" {
		return "variant"
	}
	if abs := x.absolute(scope, segs); abs != "" && x.kindAt(x.follow(abs)) == "struct" {
		return "tuple struct"
	}
	return ""
}

// globVariant says whether name is a variant with fields of an enum
// whose variants scope imports by a glob (use Shape::*).
func (x *Index) globVariant(scope, name string) bool {
	for _, g := range x.globs[scope] {
		if e := x.enums[x.follow(g)]; e != nil {
			for f := range e.Fields {
				if strings.HasPrefix(f, name+".") {
					return true
				}
			}
		}
	}
	return false
}

// kindAt is the kind of the definitions at an absolute path ("" when none,
// or of several kinds).
func (x *Index) kindAt(abs string) string {
	if abs == "" {
		return ""
	}
	kind := ""
	for _, it := range x.byScope[parent(abs)][last(abs)] {
		if kind != "" && it.Kind != kind {
			return ""
		}
		kind = it.Kind
	}
	return kind
}

func isTypeName(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// callee resolves a plain or path call to a function.
func (x *Index) callee(fn *Item, segs []string) (*Item, string, string) {
	scope := fn.Module
	if len(segs) == 1 {
		name := segs[0]
		items := x.byScope[scope][name]
		if fns := functions(items); fns != nil {
			return x.pick(fn, fns, "local")
		}
		if len(items) > 1 {
			return nil, "", x.twins(items)
		}
		if t, ok := x.uses[scope][name]; ok {
			return x.fnAt(fn, x.follow(t), "import")
		}
		var fns []*Item // from every glob import: under different cfgs, several
		for _, g := range x.globs[scope] {
			fns = append(fns, functions(x.byScope[g][name])...)
		}
		if len(fns) > 0 {
			return x.pick(fn, fns, "glob")
		}
		return nil, "", "not defined in the workspace"
	}
	// Self::f and Type::f and Trait::f, then module paths.
	if segs[0] == "Self" && len(segs) == 2 {
		if fn.Parent != nil && fn.Parent.Kind == "impl" && strings.HasPrefix(strings.TrimSpace(fn.Parent.SelfType), "&") {
			return nil, "", "Self is a reference: Self::f names its impls' functions" // not T's
		}
		if t := x.selfType(fn); t != "" {
			return x.methodOf(fn, t, segs[1], "type", -1)
		}
		if fn.Parent != nil && fn.Parent.Kind == "trait" { // in a trait's default method: the trait's
			if m := x.ofTrait(fn, fn.Parent.Path, segs[1]); m != nil {
				return m, "trait", ""
			}
			return nil, "", x.notInTrait(fn.Parent.Path, segs[1])
		}
		return nil, "", "Self outside an impl"
	}
	if len(segs) == 2 && isIdent(segs[0]) { // T::f with T: Trait
		if m := x.bound(fn, typ{written: segs[0], scope: scope}, segs[1]); m != nil && x.typePath(scope, segs[0]) == "" {
			return m, "bound", ""
		}
	}
	if len(segs) >= 2 {
		owner := x.typePath(scope, strings.Join(segs[:len(segs)-1], "::"))
		if owner != "" {
			if ms, ok := x.traits[owner][segs[len(segs)-1]]; ok {
				return x.pick(fn, ms, "trait")
			}
			if _, isType := x.methods[owner]; isType {
				return x.methodOf(fn, owner, segs[len(segs)-1], "type", -1)
			}
		}
	}
	abs := x.absolute(scope, segs)
	if abs == "" {
		return nil, "", "not defined in the workspace"
	}
	how := "path"
	if f := x.follow(abs); f != abs {
		abs, how = f, "re-export"
	}
	return x.fnAt(fn, abs, how)
}

// fnAt returns the function at an absolute path that caller calls.
func (x *Index) fnAt(caller *Item, abs, how string) (*Item, string, string) {
	fns := x.fns[abs]
	if len(fns) == 0 {
		return nil, "", "not a function of the workspace"
	}
	return x.pick(caller, fns, how)
}

// functions is the functions among the items of one name in a scope, when
// no other item shares the value namespace with them (a module or a type
// of that name may sit beside a function); else nil.
func functions(items []*Item) []*Item {
	var fns []*Item
	for _, it := range items {
		switch it.Kind {
		case "fn":
			fns = append(fns, it)
		case "mod", "trait", "enum", "type", "union", "macro":
		default:
			return nil
		}
	}
	return fns
}

// method resolves recv.m(): self in an impl or a trait, or a receiver
// whose type t infers (a parameter, a local, a field, a call's result).
func (x *Index) method(fn *Item, t *typer, site rust.CallSite) (*Item, string, string) {
	name := site.Path[0]
	recv := site.Expr
	if recv == "" {
		recv = site.Receiver
	}
	if recv == "self" {
		if fn.Parent != nil && fn.Parent.Kind == "trait" {
			if m := x.ofTrait(fn, fn.Parent.Path, name); m != nil {
				return m, "trait", ""
			}
			return nil, "", x.notInTrait(fn.Parent.Path, name)
		}
		if fn.Wrapped { // self: Pin<&mut Self>: Pin's own methods come first
			return nil, "", "self in a wrapper: its methods come first"
		}
		if t := x.selfType(fn); t != "" {
			refs := refsOf(fn.Parent.SelfType)
			switch {
			case fn.ByRef && !fn.Shared: // &mut self
				refs = -1
			case refs >= 0 && fn.ByRef:
				refs++
			}
			m, _, why := x.methodOf(fn, t, name, "self", refs)
			if m != nil && strings.HasPrefix(fn.Parent.SelfType, "&") && !strings.HasPrefix(m.Parent.SelfType, "&") && (x.traitMethod[name] || fn.ByRef) {
				// In an impl for &T, a trait of the workspace with a method
				// of this name may be implemented for &T by a macro, out of
				// sight: it would come before T's own; and in a &self
				// method, self is a &&T, on which any trait's method for &T
				// (std's, a macro's) comes before T's own.
				return nil, "", "ambiguous: a trait's " + name + " for &" + last(t) + " may come first"
			}
			return m, "self", why
		}
		if fn.Parent != nil && fn.Parent.Kind == "impl" { // impl<T: Tr> … for T, for &'a T
			if m := x.bound(fn, typ{written: fn.Parent.SelfType, scope: fn.Module}, name); m != nil {
				return m, "bound", ""
			}
			return nil, "", "self type " + fn.Parent.SelfType + " is not in the workspace"
		}
		return nil, "", "self outside an impl"
	}
	typ, ok := t.eval(recv, site.Byte)
	if !ok {
		return nil, "", "receiver of unknown type"
	}
	if typ.iter {
		return nil, "", "receiver is an iterator"
	}
	if wrapperMethods[name] && pointerLike(typ) {
		return nil, "", "ambiguous: " + stripRef(typ.written) + "'s own " + name + " may come first"
	}
	how := "inferred"
	if isIdent(recv) {
		how = "typed"
	}
	abs := x.absOf(typ)
	if abs == "" {
		if m := x.bound(fn, typ, name); m != nil {
			return m, "bound", ""
		}
		if head, _ := generics(deref(typ.written)); head == "Self" && fn.Parent != nil && fn.Parent.Kind == "trait" {
			if m := x.ofTrait(fn, fn.Parent.Path, name); m != nil { // other: &Self in a trait's default method
				return m, "trait", ""
			}
		}
		return nil, "", "receiver type " + stripRef(typ.written) + " is not in the workspace"
	}
	m, _, why := x.methodOf(fn, abs, name, how, refsOf(typ.written))
	return m, how, why
}

// wrapperMethods are the methods std gives its smart pointers and
// references through its traits (Clone, Debug, PartialEq, AsRef, ...): on
// a Box<T>, Rc<T>, Arc<T> or &&T, the pointer's own comes before T's.
var wrapperMethods = map[string]bool{
	"clone": true, "clone_from": true, "fmt": true, "eq": true, "ne": true, "cmp": true, "partial_cmp": true,
	"lt": true, "le": true, "gt": true, "ge": true, "max": true, "min": true, "clamp": true, "hash": true,
	"as_ref": true, "as_mut": true, "borrow": true, "borrow_mut": true, "deref": true, "deref_mut": true,
	"to_owned": true, "to_string": true, "into": true, "try_into": true, "into_iter": true, "next": true, "poll": true,
}

// pointerLike says whether a receiver of type v may be a smart pointer or a
// reference to a reference: Box<T>, Rc<T>, Arc<T>, &&T, or an element
// &T of an iteration by reference.
func pointerLike(v typ) bool {
	refs := 0
	for w := strings.TrimSpace(v.written); strings.HasPrefix(w, "&"); w = strings.TrimSpace(stripRefOnce(w[1:])) {
		refs++
	}
	head, _ := generics(stripRef(v.written))
	return smart[last(head)] || refs >= 2 || v.elem && refs >= 1
}

// lifetimeOf is the lifetime a reference's target begins with ('a in
// 'a mut T), "" for none.
func lifetimeOf(w string) string {
	if !strings.HasPrefix(w, "'") {
		return ""
	}
	if i := strings.IndexByte(w, ' '); i >= 0 {
		return w[:i]
	}
	return w
}

// refsOf counts the shared references of a type as written (&'a &T: 2),
// -1 when a &mut, a smart pointer or a Self makes the count not enough.
func refsOf(w string) int {
	n := 0
	for {
		w = strings.TrimSpace(w)
		switch {
		case strings.HasPrefix(w, "&"):
			n++
			if inner := strings.TrimSpace(w[1:]); mutPrefix(strings.TrimSpace(strings.TrimPrefix(inner, lifetimeOf(inner)))) {
				return -1 // &mut T: an impl for &mut T comes before T's &self methods
			}
			w = stripRefOnce(w[1:])
		default:
			if head, _ := generics(w); smart[last(head)] || head == "Self" {
				return -1
			}
			return n
		}
	}
}

// methodOf finds method name of type t: the inherent one, else the only
// trait implementation that has it, else the default method of the only
// implemented trait that defines it.
func (x *Index) methodOf(caller *Item, t, name, how string, refs int) (*Item, string, string) {
	ms := x.methods[t][name]
	if slices.ContainsFunc(ms, func(m *Item) bool { return !visible(m, caller) }) { // a private method of another module: not there
		ms = slices.DeleteFunc(slices.Clone(ms), func(m *Item) bool { return !visible(m, caller) })
	}
	if how != "type" && len(ms) > 1 && ms[0].Parent.Trait == "" && ms[0].ByRef {
		// On a T, a trait's self method (taken by value) comes before
		// T's inherent &self one; on a &T, after.
		var byValue []*Item
		for _, m := range ms {
			if m.Parent.Trait != "" && m.ByValue && !strings.HasPrefix(m.Parent.SelfType, "&") {
				byValue = append(byValue, m)
			}
		}
		switch {
		case len(byValue) == 0 || refs == 1:
		case refs == 0 && len(byValue) == 1:
			return byValue[0], how, ""
		default:
			return nil, "", "ambiguous: a trait's " + name + " taking " + last(t) + " by value may come first"
		}
	}
	// Methods of impls for &T are T's too (registered under T), but Rust
	// tries them in an order that hangs on the receiver's references and
	// the methods' self kinds. A path (T::f) never names them; a method
	// call on a T or a &T (refs 0 or 1; -1 when not known) names T's
	// inherent &self method before them; else a method call names them
	// when they are all there is.
	byRef := 0
	for _, m := range ms {
		if strings.HasPrefix(m.Parent.SelfType, "&") {
			byRef++
		}
	}
	switch {
	case byRef > 0 && (how == "type" || (refs == 0 || refs == 1) && ms[0].Parent.Trait == "" && ms[0].Shared):
		ms = slices.DeleteFunc(slices.Clone(ms), func(m *Item) bool { return strings.HasPrefix(m.Parent.SelfType, "&") })
	case byRef > 0 && byRef < len(ms):
		return nil, "", "ambiguous: " + t + " and &" + last(t) + " both have a method " + name
	}
	switch {
	case len(ms) == 0:
		var defaults []*Item
		for _, tr := range x.impls[t] {
			if ms, ok := x.traits[tr][name]; ok {
				m, _, why := x.pick(caller, ms, "")
				if m == nil {
					return nil, "", why
				}
				defaults = append(defaults, m)
			}
		}
		switch len(defaults) {
		case 1:
			return defaults[0], "trait", ""
		case 0:
			return nil, "", "no method " + name + " on " + t
		}
		return nil, "", "ambiguous: several traits of " + t + " define " + name
	case ms[0].Parent.Trait == "": // inherent ones, kept first: several are twins
		return x.pick(caller, ms[:inherent(ms)], how)
	case len(ms) == 1:
		return ms[0], how, ""
	}
	return nil, "", "ambiguous: several traits give " + t + " a method " + name
}

// notInTrait is why a trait's default method's call of name on self or
// Self is not resolved.
func (x *Index) notInTrait(trait, name string) string {
	if _, ok := x.traits[trait][name]; ok {
		return "ambiguous: a supertrait defines " + name + " too"
	}
	return "not a method of the trait"
}

// visible says whether method m can be called from caller's module: a
// private inherent method only from its module and the modules inside it.
func visible(m, caller *Item) bool {
	return !m.Private || caller.Module == m.Module || strings.HasPrefix(caller.Module, m.Module+"::")
}

// inherent is how many of a type's methods of one name, inherent ones
// first, are inherent.
func inherent(ms []*Item) int {
	n := 0
	for n < len(ms) && ms[n].Parent.Trait == "" {
		n++
	}
	return n
}

// selfType is the absolute path of the type of fn's impl.
func (x *Index) selfType(fn *Item) string {
	if fn.Parent == nil || fn.Parent.Kind != "impl" {
		return ""
	}
	return x.selfPath(fn.Module, fn.Parent.SelfType)
}

// Enclosing returns the function of file whose byte range holds [start, end).
func (x *Index) Enclosing(file string, start, end int) *Item {
	var best *Item
	for _, f := range x.byFile[file] {
		if f.Start <= start && end <= f.End && (best == nil || f.End-f.Start < best.End-best.Start) {
			best = f
		}
	}
	return best
}

// Item returns the item with id.
func (x *Index) Item(id string) *Item { return x.items[id] }

// SortCalls orders calls by line, then callee path, for stable output.
func SortCalls(cs []Call) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Line != cs[j].Line {
			return cs[i].Line < cs[j].Line
		}
		return cs[i].Callee.Path < cs[j].Callee.Path
	})
}
