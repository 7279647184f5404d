package callgraph

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dwkit/dwkit/lib/rust"
)

// typ is what is known of a value's type: as written, in the module it is
// written in, with what Self stands for there.
type typ struct {
	written string // Foo<Bar>, &'a mut Foo, Option<Self>, [u8; 4]
	scope   string // the module that wrote it
	self    string // the absolute type Self stands for ("" unknown)
	iter    bool   // an iterator over written's elements, not a written
	elem    bool   // an element of an iteration, which may be by reference: one more & than written
	gen     *Item  // the item whose generic parameters are in scope where it was written (a function's own and its impl's; a struct's or enum's for its fields); nil for none
}

// typed is a Let's type, or that it has none.
type typed struct {
	v  typ
	ok bool
}

// siteResult is how one call site resolved.
type siteResult struct {
	callee   *Item
	how, why string
}

// typer resolves the call sites of one function body, typing receivers
// from the parameters, the locals and the results of the body's other
// calls (rust.Expr), each call resolved once.
type typer struct {
	x     *Index
	fn    *Item
	body  *rust.FnBody
	byEnd map[int]int      // call End → index in body.Calls
	lets  map[string][]int // name → its Lets (indexes in body.Lets), by From
	outer []int            // by index in body.Lets: the innermost Let of its name around it, -1 for none
	known map[int]typed    // a Let's type, once typed
	// Whether byEnd and lets hold this body's.
	indexed, letsIndexed bool
	res                  []siteResult
	done                 []bool
	depth                int
}

// reset readies t for the body of fn, reusing its memory.
func (t *typer) reset(x *Index, fn *Item, body *rust.FnBody) {
	t.x, t.fn, t.body, t.depth = x, fn, body, 0
	n := len(body.Calls)
	if cap(t.res) < n {
		t.res, t.done = make([]siteResult, n), make([]bool, n)
	}
	t.res, t.done = t.res[:n], t.done[:n]
	clear(t.res)
	clear(t.done)
	clear(t.byEnd)
	clear(t.lets)
	clear(t.known)
	t.indexed, t.letsIndexed = false, false
}

// maxDepth bounds the receivers typed inside one receiver's typing.
const maxDepth = 64

// site resolves call site i.
func (t *typer) site(i int) siteResult {
	if t.done[i] {
		return t.res[i]
	}
	if t.depth > maxDepth {
		return siteResult{why: "receiver nested too deep"}
	}
	t.depth++
	site := t.body.Calls[i]
	var r siteResult
	if site.Kind == "method" {
		r.callee, r.how, r.why = t.x.method(t.fn, t, site)
	} else if site.Kind == "var" {
		r.why = "a variable or a function of the body"
	} else if len(site.Path) == 1 && t.bound(site.Path[0], site.Byte) {
		r.why = "a variable: a closure or a function pointer"
	} else {
		r.callee, r.how, r.why = t.x.call(t.fn, t.localUse(site.Path))
		if site.Expr != "" {
			r = t.byArgument(site, r)
		}
	}
	t.depth--
	t.res[i], t.done[i] = r, true
	return r
}

// byArgument picks the impl a path call names by the type of its first
// argument: Trait::method(x) is the method of x's type's impl of Trait
// (when it has its own), Type::from(v) the From<V> impl of Type for v's
// type V. Else r stands.
func (t *typer) byArgument(site rust.CallSite, r siteResult) siteResult {
	name := site.Path[len(site.Path)-1]
	switch {
	case r.callee != nil && r.callee.Parent != nil && r.callee.Parent.Kind == "trait":
		v, ok := t.eval(site.Expr, site.Byte)
		if !ok {
			return r
		}
		for _, m := range t.x.methods[t.x.absOf(v)][name] {
			if m.Parent.Trait != "" && t.x.typePath(m.Module, m.Parent.Trait) == r.callee.Parent.Path {
				return siteResult{m, "trait impl", ""}
			}
		}
	case r.callee == nil && strings.HasPrefix(r.why, "ambiguous: several traits give"):
		owner := t.x.typePath(t.fn.Module, strings.Join(site.Path[:len(site.Path)-1], "::"))
		if site.Path[0] == "Self" && len(site.Path) == 2 {
			owner = t.x.selfType(t.fn)
		}
		v, ok := t.eval(site.Expr, site.Byte)
		if !ok || owner == "" {
			return r
		}
		var found *Item
		for _, m := range t.x.methods[owner][name] {
			if _, args := generics(m.Parent.Trait); len(args) == 1 && t.x.sameType(typ{written: args[0], scope: m.Module, self: owner}, v) {
				if found != nil {
					return r
				}
				found = m
			}
		}
		if found != nil {
			return siteResult{found, "type", ""}
		}
	}
	return r
}

// sameType says whether a and b are surely one type: one workspace type,
// or the same std type as written (references dropped).
func (x *Index) sameType(a, b typ) bool {
	pa, pb := x.absOf(a), x.absOf(b)
	if pa != "" || pb != "" {
		return pa == pb
	}
	wa, wb := strings.ReplaceAll(deref(a.written), " ", ""), strings.ReplaceAll(deref(b.written), " ", "")
	return wa != "" && wa == wb && !isIdent(wa) || wa == wb && primitive[wa]
}

// primitive are the types whose name is no generic parameter's.
var primitive = map[string]bool{
	"u8": true, "u16": true, "u32": true, "u64": true, "u128": true, "usize": true,
	"i8": true, "i16": true, "i32": true, "i64": true, "i128": true, "isize": true,
	"f32": true, "f64": true, "bool": true, "char": true, "str": true, "String": true,
}

// call returns the call site whose result #end names.
func (t *typer) call(end int) (int, bool) {
	if !t.indexed {
		t.indexed = true
		if t.byEnd == nil {
			t.byEnd = make(map[int]int, len(t.body.Calls))
		}
		for i, c := range t.body.Calls {
			if c.End > 0 {
				t.byEnd[c.End] = i
			}
		}
	}
	i, ok := t.byEnd[end]
	return i, ok
}

// eval types Expr e as it stands at byte at of the file.
func (t *typer) eval(e rust.Expr, at int) (typ, bool) {
	if t.depth > maxDepth {
		return typ{}, false
	}
	t.depth++
	defer func() { t.depth-- }()
	base := e
	if i := strings.IndexAny(e, ".?!~[*&^"); i >= 0 {
		base, e = e[:i], e[i:]
	} else {
		e = ""
	}
	var v typ
	switch {
	case base == "self":
		if t.fn.Parent == nil || t.fn.Parent.Kind != "impl" {
			return typ{}, false
		}
		v = typ{written: t.fn.Parent.SelfType, scope: t.fn.Module, self: t.x.selfType(t.fn), gen: t.fn}
		if t.fn.ByRef {
			v.written = "&" + v.written
		}
	case strings.HasPrefix(base, "#"):
		end, err := strconv.Atoi(base[1:])
		if err != nil {
			return typ{}, false
		}
		i, ok := t.call(end)
		if !ok {
			return typ{}, false
		}
		r := t.site(i)
		switch {
		case r.callee != nil && r.callee.Returns != "":
			v = typ{written: r.callee.Returns, scope: r.callee.Module, self: t.x.selfType(r.callee), gen: r.callee}
		case r.callee == nil && t.body.Calls[i].Kind == "method" && (sameElements[t.body.Calls[i].Path[0]] || newElements[t.body.Calls[i].Path[0]]):
			// .iter(), .filter(..) of a std collection or an iterator: an
			// iterator over the same elements; .enumerate(), .keys(),
			// .values(): over others.
			site := t.body.Calls[i]
			recv := site.Expr
			if recv == "" {
				recv = site.Receiver
			}
			rv, ok := t.eval(recv, site.Byte)
			if !ok {
				return typ{}, false
			}
			if v, ok = t.x.iterate(rv, site.Path[0]); !ok {
				return typ{}, false
			}
		default:
			return typ{}, false
		}
	case isIdent(base):
		var ok bool
		if v, ok = t.variable(base, at); !ok {
			return typ{}, false
		}
	default:
		return typ{}, false
	}
	for e != "" {
		var ok bool
		switch {
		case strings.HasPrefix(e, "?"):
			v, ok, e = t.x.unwrap(v), true, e[1:]
		case strings.HasPrefix(e, "^"): // (&T).clone() is a T
			if w := strings.TrimSpace(v.written); strings.HasPrefix(w, "&") {
				v.written = stripRefOnce(w[1:])
			}
			ok, e = true, e[1:]
		case strings.HasPrefix(e, "&"):
			v.written, ok, e = "&"+v.written, !v.iter, e[1:]
		case strings.HasPrefix(e, "*"):
			v, ok, e = t.x.derefOnce(v), true, e[1:]
		case strings.HasPrefix(e, "!"):
			v, ok, e = t.x.errOf(v), true, e[1:]
		case strings.HasPrefix(e, "~"):
			if v.iter {
				return typ{}, false // an iterator of an iterator: its element is not known here
			}
			v.iter, ok, e = true, true, e[1:]
		case strings.HasPrefix(e, "[i]"):
			v, ok, e = t.x.index(v), !v.iter, e[3:]
		case strings.HasPrefix(e, "[]"):
			if v.iter {
				v.iter = false
			}
			v, ok, e = t.x.elem(v), true, e[2:]
			v.elem = true
		case strings.HasPrefix(e, "."):
			j := strings.IndexAny(e[1:], ".?!~[*&^")
			if j < 0 {
				j = len(e) - 1
			}
			v, ok = t.x.field(v, e[1:1+j])
			e = e[1+j:]
		}
		if !ok || v.written == "" || v.iter && strings.HasPrefix(e, ".") {
			return typ{}, false
		}
	}
	if head, _ := generics(deref(v.written)); head == "_" { // a generic argument not known
		return typ{}, false
	}
	return v, true
}

// localUse rewrites a path whose first segment a use declaration of the
// function's body brings in (use crate::ast::print::Printer; Printer::new())
// as the absolute path it names.
func (t *typer) localUse(segs []string) []string {
	for i := len(t.body.Uses) - 1; i >= 0; i-- {
		u := &t.body.Uses[i]
		if u.Alias != segs[0] {
			continue
		}
		abs := t.x.absolute(t.fn.Module, u.Path)
		if abs == "" {
			return segs
		}
		return append(strings.Split(abs, "::"), segs[1:]...)
	}
	return segs
}

// bound says whether name is a parameter or a let in scope at byte at.
func (t *typer) bound(name string, at int) bool {
	if _, ok := t.body.Vars[name]; ok {
		return true
	}
	return t.innermost(name, at) >= 0
}

// indexLets orders each name's Lets by where their scope begins and links
// each to the innermost one of its name around it, so that the binding
// in scope at a byte is found in logarithmic time (scopes nest).
func (t *typer) indexLets() {
	if t.letsIndexed {
		return
	}
	t.letsIndexed = true
	if t.lets == nil {
		t.lets, t.known = map[string][]int{}, map[int]typed{}
	}
	lets := t.body.Lets
	for i := range lets {
		t.lets[lets[i].Name] = append(t.lets[lets[i].Name], i)
	}
	t.outer = slices.Grow(t.outer[:0], len(lets))[:len(lets)]
	var open []int
	for _, is := range t.lets {
		slices.SortStableFunc(is, func(a, b int) int { return lets[a].From - lets[b].From })
		open = open[:0]
		for _, i := range is {
			for len(open) > 0 && lets[open[len(open)-1]].To <= lets[i].From {
				open = open[:len(open)-1]
			}
			t.outer[i] = -1
			if len(open) > 0 {
				t.outer[i] = open[len(open)-1]
			}
			open = append(open, i)
		}
	}
}

// innermost is the Let of name in scope at byte at (the latest begun of
// those around it), -1 for none.
func (t *typer) innermost(name string, at int) int {
	t.indexLets()
	lets, is := t.body.Lets, t.lets[name]
	k := sort.Search(len(is), func(k int) bool { return lets[is[k]].From > at }) - 1
	if k < 0 {
		return -1
	}
	i := is[k]
	for i >= 0 && !(lets[i].From <= at && at < lets[i].To) {
		i = t.outer[i]
	}
	return i
}

// variable types a name at byte at: the innermost binding in scope, else
// a parameter.
func (t *typer) variable(name string, at int) (typ, bool) {
	best := t.innermost(name, at)
	self := t.x.selfType(t.fn)
	if best < 0 {
		if w, ok := t.body.Vars[name]; ok {
			return typ{written: w, scope: t.fn.Module, self: self, gen: t.fn}, true
		}
		return typ{}, false
	}
	if k, ok := t.known[best]; ok {
		return k.v, k.ok
	}
	var v typ
	var ok bool
	switch l := &t.body.Lets[best]; {
	case l.Of != 0 && !t.takesElements(l.Of):
		// a closure given to a method of the workspace: of unknown type
	case l.Type != "":
		v, ok = typ{written: l.Type, scope: t.fn.Module, self: self, gen: t.fn}, true
	case l.Expr != "":
		v, ok = t.eval(l.Expr, l.From-1)
	case l.Field != "":
		v, ok = t.x.patternField(t.fn, l.Field)
	} // else bound to something of unknown type
	t.known[best] = typed{v, ok}
	return v, ok
}

// takesElements says whether the call that ends at byte end, given a
// closure, is std's element taker (Iterator::map, Option::and_then, ...):
// it names no function of the workspace.
func (t *typer) takesElements(end int) bool {
	i, ok := t.call(end)
	return ok && t.site(i).callee == nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// smart are the pointers whose methods and fields are their target's.
var smart = map[string]bool{"Box": true, "Rc": true, "Arc": true}

// deref is the type a method call or a field access sees: references and
// smart pointers removed.
func deref(w string) string {
	for range 8 {
		w = stripRef(w)
		head, args := generics(w)
		if !smart[last(head)] || len(args) != 1 {
			return w
		}
		w = args[0]
	}
	return w
}

// derefOnce is the type *v has: &T and &mut T give T, Box<T>, Rc<T> and
// Arc<T> give T, a workspace type without a Deref impl stays itself (it
// was a &self); any other is not known (String derefs to str, Vec<T> to
// [T], a workspace type to its Deref::Target).
func (x *Index) derefOnce(v typ) typ {
	w := strings.TrimSpace(v.written)
	if strings.HasPrefix(w, "&") {
		v.written = stripRefOnce(w[1:])
		return v
	}
	head, args := generics(w)
	if smart[last(head)] && len(args) == 1 {
		v.written = args[0]
		return v
	}
	if abs := x.absOf(v); abs != "" && !x.derefs[abs] && x.nominal(abs) {
		return v
	}
	return typ{}
}

// stripRefOnce drops the lifetime and mut of a reference's target:
// 'a mut T gives T.
func stripRefOnce(w string) string {
	w = strings.TrimSpace(w)
	if strings.HasPrefix(w, "'") {
		if i := strings.IndexByte(w, ' '); i >= 0 {
			w = strings.TrimSpace(w[i:])
		}
	}
	if mutPrefix(w) {
		w = w[3:]
	}
	return strings.TrimSpace(w)
}

// generics splits Foo<A, B<C>> into Foo and [A, B<C>].
func generics(w string) (string, []string) {
	i := strings.IndexByte(w, '<')
	if i < 0 || !strings.HasSuffix(w, ">") {
		return strings.TrimSpace(w), nil
	}
	var args []string
	depth, start := 0, i+1
	inner := w[:len(w)-1]
	for j := i + 1; j < len(inner); j++ {
		switch inner[j] {
		case '<', '(', '[':
			depth++
		case '>', ')', ']':
			if j == 0 || inner[j-1] != '-' {
				depth--
			}
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(inner[start:j]))
				start = j + 1
			}
		}
	}
	if a := strings.TrimSpace(inner[start:]); a != "" {
		args = append(args, a)
	}
	return strings.TrimSpace(w[:i]), args
}

func last(path string) string { return path[strings.LastIndex(path, ":")+1:] }

// unwrap is the type inside an Option or a Result ("" if v is neither).
func (x *Index) unwrap(v typ) typ {
	v = x.expand(v)
	head, args := generics(deref(v.written))
	if n := last(head); (n == "Option" || n == "Result") && len(args) >= 1 && !x.nominal(x.typePath(v.scope, head)) {
		v.written = args[0]
		return v
	}
	return typ{}
}

// errOf is the error type of a Result<T, E> ("" for another type, or a
// Result alias that does not say it).
func (x *Index) errOf(v typ) typ {
	v = x.expand(v)
	head, args := generics(deref(v.written))
	if last(head) == "Result" && len(args) == 2 && !x.nominal(x.typePath(v.scope, head)) {
		v.written = args[1]
		return v
	}
	return typ{}
}

// indexable are the std collections v[i] takes an element of.
var indexable = map[string]bool{"Vec": true, "VecDeque": true, "SmallVec": true}

// index is the type of v[i] ("" when unknown): an element of a std
// sequence, a slice or an array, the value of a std map. A workspace
// type's Index impl is not read.
func (x *Index) index(v typ) typ {
	v = x.expand(v)
	w := deref(v.written)
	if strings.HasPrefix(w, "[") {
		return elem(v)
	}
	head, args := generics(w)
	if x.nominal(x.typePath(v.scope, head)) {
		return typ{}
	}
	switch {
	case stdMaps[last(head)] && len(args) == 2:
		v.written = args[1]
		return v
	case indexable[last(head)]:
		return elem(v)
	}
	return typ{}
}

// iterate is the iterator method m of std makes of v (a collection, or an
// iterator over one): over v's elements for the sameElements, over
// (usize, element) pairs for enumerate, over a std map's keys or values.
func (x *Index) iterate(v typ, m string) (typ, bool) {
	v = x.expand(v)
	switch m {
	case "enumerate":
		el := x.elem(v)
		if !v.iter || el.written == "" { // std's enumerate is an Iterator's
			return typ{}, false
		}
		return typ{written: "[(usize, " + el.written + ")]", scope: el.scope, self: el.self, iter: true, gen: el.gen}, true
	case "keys", "values", "values_mut", "into_keys", "into_values":
		head, args := generics(deref(v.written))
		if v.iter || !stdMaps[last(head)] || len(args) != 2 || x.nominal(x.typePath(v.scope, head)) {
			return typ{}, false
		}
		k := args[1]
		if strings.HasSuffix(m, "keys") {
			k = args[0]
		}
		return typ{written: "[" + k + "]", scope: v.scope, self: v.self, iter: true, gen: v.gen}, true
	}
	if !v.iter && (!collectionIters[m] || x.elem(v).written == "") { // adapters are an Iterator's
		return typ{}, false
	}
	v.iter = true
	return v, true
}

// collectionIters are the methods of std collections that iterate over
// their elements (the other sameElements are iterator adapters).
var collectionIters = map[string]bool{"iter": true, "iter_mut": true, "into_iter": true, "drain": true}

// containers are the std collections whose element is their first
// generic argument (Option's and Result's: the value inside).
var containers = map[string]bool{
	"Vec": true, "VecDeque": true, "LinkedList": true, "HashSet": true, "BTreeSet": true, "BinaryHeap": true,
	"Option": true, "Result": true, "SmallVec": true,
}

// stdMaps are the std maps, whose elements are (key, value) tuples.
var stdMaps = map[string]bool{"HashMap": true, "BTreeMap": true}

// sameElements are the methods of std collections and iterators whose
// result iterates over the elements of their receiver.
var sameElements = map[string]bool{
	"iter": true, "iter_mut": true, "into_iter": true, "drain": true, "filter": true, "rev": true, "skip": true,
	"take": true, "skip_while": true, "take_while": true, "peekable": true, "cloned": true, "copied": true,
	"by_ref": true, "step_by": true, "fuse": true, "inspect": true, "chain": true,
}

// newElements are the methods of std collections and iterators whose
// result iterates over something else of their receiver's elements:
// enumerate's (index, element) pairs, a map's keys or values.
var newElements = map[string]bool{
	"enumerate": true, "keys": true, "values": true, "values_mut": true, "into_keys": true, "into_values": true,
}

// elem is the type of v's elements ("" when unknown): of a std
// collection, or the Item of a workspace type's Iterator or IntoIterator
// impl.
func (x *Index) elem(v typ) typ {
	v = x.expand(v)
	abs := x.absOf(v)
	if y, ok := x.yields[abs]; ok {
		return x.yielded(y, v)
	}
	if x.nominal(abs) {
		return typ{}
	}
	return elem(v)
}

func elem(v typ) typ {
	w := deref(v.written)
	if strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") { // [T] and [T; N]
		inner := w[1 : len(w)-1]
		if i := strings.LastIndexByte(inner, ';'); i >= 0 {
			inner = inner[:i]
		}
		v.written = strings.TrimSpace(inner)
		return v
	}
	head, args := generics(w)
	if stdMaps[last(head)] && len(args) == 2 {
		v.written = "(" + args[0] + ", " + args[1] + ")"
		return v
	}
	if !containers[last(head)] || len(args) == 0 {
		return typ{}
	}
	v.written = args[0]
	if last(head) == "SmallVec" { // SmallVec<[T; N]>
		return elem(v)
	}
	return v
}

// maxAliases bounds the aliases of aliases expand follows.
const maxAliases = 8

// expand is v with the workspace type alias it names replaced by the type
// the alias stands for, the alias's generic parameters by v's arguments
// (or their defaults), in the alias's module: type IResult<I, O, E =
// Error<I>> = Result<(I, O), Err<E>> makes IResult<&str, u8> a
// Result<(&str, u8), Err<Error<&str>>>. v stays itself when it names no
// alias, or when a type its arguments name would mean another in the
// alias's module.
func (x *Index) expand(v typ) typ {
	for range maxAliases {
		head, args := generics(deref(v.written))
		if head == "Self" {
			return v
		}
		a := x.aliases[x.typePath(v.scope, head)]
		if a == nil {
			return v
		}
		body, ok := x.substitute(a, args, v.scope)
		if !ok {
			return v
		}
		v = typ{written: body, scope: a.Module, self: v.self, iter: v.iter, gen: v.gen}
	}
	return v
}

// substitute is alias a's type with its generic parameters replaced by
// args, written in scope: lifetimes may be left out of args, and the
// parameters they leave out take their defaults.
func (x *Index) substitute(a *Item, args []string, scope string) (string, bool) {
	return x.substituteIn(a.Bounds, a.Alias, a.Module, args, scope)
}

// substituteIn is type w, written in module under the generics bounds,
// with those generic parameters replaced by args, written in scope.
func (x *Index) substituteIn(bounds, w, module string, args []string, scope string) (string, bool) {
	var ps, lifetimes []param
	for _, p := range paramList(bounds) {
		if strings.HasPrefix(p.name, "'") {
			lifetimes = append(lifetimes, p)
		} else {
			ps = append(ps, p)
		}
	}
	with := map[string]string{}
	for len(args) > 0 && strings.HasPrefix(args[0], "'") { // lifetimes come first, or are left out
		if len(lifetimes) > 0 {
			with[lifetimes[0].name], lifetimes = args[0], lifetimes[1:]
		}
		args = args[1:]
	}
	if len(args) > len(ps) {
		return "", false
	}
	for _, arg := range args {
		if !x.sameIn(arg, scope, module) {
			return "", false
		}
	}
	for i, p := range ps {
		switch {
		case i < len(args):
			with[p.name] = args[i]
		case p.def != "":
			with[p.name] = replaceNames(p.def, with)
		default:
			return "", false
		}
	}
	return replaceNames(w, with), true
}

// sameIn says whether every type the type w names means the same in
// modules a and b.
func (x *Index) sameIn(w, a, b string) bool {
	if a == b {
		return true
	}
	ok := true
	eachName(w, func(name string, _, _ int) {
		if isTypeName(name) && x.typePath(a, name) != x.typePath(b, name) {
			ok = false
		}
	})
	return ok
}

// replaceNames replaces the names (not path segments) of w found in with.
func replaceNames(w string, with map[string]string) string {
	var b strings.Builder
	at := 0
	eachName(w, func(name string, start, end int) {
		if r, ok := with[name]; ok {
			b.WriteString(w[at:start])
			b.WriteString(r)
			at = end
		}
	})
	b.WriteString(w[at:])
	return b.String()
}

// eachName calls f with each name written in type w that is no path
// segment but the first (T, 'a and Vec, not the E of error::E), and its
// byte range.
func eachName(w string, f func(name string, start, end int)) {
	for i := 0; i < len(w); {
		c := w[i]
		if !(c == '_' || c == '\'' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			i++
			continue
		}
		j := i + 1
		for j < len(w) && (w[j] == '_' || w[j] >= 'a' && w[j] <= 'z' || w[j] >= 'A' && w[j] <= 'Z' || w[j] >= '0' && w[j] <= '9') {
			j++
		}
		if !strings.HasSuffix(w[:i], "::") && !strings.HasPrefix(w[j:], "::") {
			f(w[i:j], i, j)
		}
		i = j
	}
}

// yielded is what y's impl yields for v: the impl's type parameters in
// the Item replaced by v's arguments (Iter<'a, T>'s &'a T, for an
// Iter<Foo>, a &'a Foo), or unknown when they cannot be.
func (x *Index) yielded(y yield, v typ) typ {
	ps := params(y.bounds)
	if !mentions(y.item.written, ps) {
		return y.item
	}
	_, selfArgs := generics(y.self)
	_, args := generics(deref(v.written))
	selfArgs, args = dropLifetimes(selfArgs), dropLifetimes(args)
	if len(selfArgs) != len(args) {
		return typ{}
	}
	with := map[string]string{}
	for i, a := range selfArgs {
		if slices.Contains(ps, a) {
			if !x.sameIn(args[i], v.scope, y.item.scope) {
				return typ{}
			}
			with[a] = args[i]
		}
	}
	for _, p := range ps {
		if _, ok := with[p]; !ok && !strings.HasPrefix(p, "'") {
			with[p] = "_" // not known
		}
	}
	return typ{written: replaceNames(y.item.written, with), scope: y.item.scope, self: y.item.self, gen: v.gen}
}

// dropLifetimes is a list of generic arguments without its lifetimes.
func dropLifetimes(args []string) []string {
	return slices.DeleteFunc(slices.Clone(args), func(a string) bool { return strings.HasPrefix(a, "'") })
}

// absOf is the absolute path of a workspace type ("" for another).
// An alias that expand leaves as it is names no type known for sure.
func (x *Index) absOf(v typ) string {
	v = x.expand(v)
	head, _ := generics(deref(v.written))
	if head == "Self" {
		return v.self
	}
	if v.gen != nil && x.isParam(v.gen, head) || builtin[head] { // fn f<Item: Tr>(x: Item): not the struct Item; str, not a module str
		return ""
	}
	if abs := x.typePath(v.scope, head); x.kindAt(abs) != "type" {
		return abs
	}
	return ""
}

// isParam says whether name is a generic parameter of fn (a function, a
// struct or an enum) or of the impl or trait around it.
func (x *Index) isParam(fn *Item, name string) bool {
	if !isIdent(name) {
		return false
	}
	if slices.Contains(params(fn.Bounds), name) {
		return true
	}
	for _, it := range x.implsIn[fn.File] {
		if it.Start <= fn.Start && fn.End <= it.End && slices.Contains(params(it.Bounds), name) {
			return true
		}
	}
	return false
}

// field is the type of v's field f: of a workspace struct, or an element
// of a tuple (f 0, 1, ...).
func (x *Index) field(v typ, f string) (typ, bool) {
	v = x.expand(v)
	if w := deref(v.written); strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") {
		elems := splitTop(w[1:len(w)-1], ',')
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n >= len(elems) || elems[n] == "" || len(elems) == 1 && !strings.HasSuffix(strings.TrimSpace(w[1:len(w)-1]), ",") {
			return typ{}, false // (T) is T in parentheses, not a tuple
		}
		v.written = elems[n]
		return v, true
	}
	abs := x.absOf(v)
	s := x.structs[abs]
	if s == nil {
		return typ{}, false
	}
	w, ok := s.Fields[f]
	if !ok {
		return typ{}, false
	}
	// The struct's generic parameters stand for the arguments of v's
	// type: Deserializer<R>'s field read: R, seen from a
	// &mut Deserializer<Q>, is a Q written where v was; Holder<T>'s
	// items: Vec<T>, seen from a Holder<Bad>, a Vec<Bad>. A field whose
	// type names a parameter that v's type does not give is not known.
	params := params(s.Bounds)
	_, args := generics(deref(v.written))
	if len(args) == len(params) {
		for i, p := range params {
			if w == p {
				return typ{written: args[i], scope: v.scope, self: v.self, gen: v.gen}, true
			}
		}
	}
	if mentions(w, params) {
		sub, ok := x.substituteIn(s.Bounds, w, s.Module, args, v.scope)
		if !ok {
			return typ{written: w, scope: s.Module, self: abs, gen: s}, true
		}
		return typ{written: sub, scope: s.Module, self: abs, gen: v.gen}, true // v's arguments in it
	}
	return typ{written: w, scope: s.Module, self: abs}, true
}

// mentions says whether type w names one of names.
func mentions(w string, names []string) bool {
	found := false
	eachName(w, func(name string, _, _ int) { found = found || slices.Contains(names, name) })
	return found
}

// param is a generic parameter as written: its name and its default.
type param struct{ name, def string }

// paramList lists the generic parameters of a generics list as written
// ("<'a, R: Read, S: Hasher = Fnv, const N: usize> where ..." gives 'a,
// R, S with default Fnv, N); the where clause names none.
func paramList(written string) []param {
	if !strings.HasPrefix(strings.TrimSpace(written), "<") {
		return nil
	}
	var out []param
	for _, p := range splitTop(trimAngles(written), ',') {
		if p = strings.TrimSpace(p); p == "where" || strings.HasPrefix(p, "where ") {
			break
		}
		parts := splitTop(p, '=') // T: Iterator<Item = u8> has no default
		name, _, _ := strings.Cut(parts[0], ":")
		if name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), "const ")); name == "" {
			continue
		}
		def := ""
		if len(parts) > 1 {
			def = parts[len(parts)-1]
		}
		out = append(out, param{name, def})
	}
	return out
}

// params lists the names of the generic parameters in a generics list as
// written.
func params(written string) []string {
	var out []string
	for _, p := range paramList(written) {
		out = append(out, p.name)
	}
	return out
}

// patternField types a binding to the field of a struct or an enum
// variant (rust.Let.Field: Value::Number.0, Compound::Map.ser).
func (x *Index) patternField(fn *Item, ref string) (typ, bool) {
	i := strings.LastIndexByte(ref, '.')
	if i < 0 {
		return typ{}, false
	}
	p, f := ref[:i], ref[i+1:]
	abs := x.typePath(fn.Module, p)
	if p == "Self" {
		abs = x.selfType(fn)
	}
	if s := x.structs[abs]; s != nil {
		if w, ok := s.Fields[f]; ok { // Wrap<T>'s inner: T, the value's argument, is not known here
			return typ{written: w, scope: s.Module, self: abs, gen: s}, true
		}
		return typ{}, false
	}
	segs := strings.Split(p, "::")
	if len(segs) < 2 { // a variant imported by name: use Entry::{Vacant}, use Entry::*
		if u, ok := x.uses[fn.Module][p]; ok {
			segs = strings.Split(u, "::")
		} else {
			var found typ
			n := 0
			for _, g := range x.globs[fn.Module] {
				if e := x.enums[x.follow(g)]; e != nil {
					if w, ok := e.Fields[p+"."+f]; ok {
						found, n = typ{written: w, scope: e.Module, self: x.follow(g), gen: e}, n+1
					}
				}
			}
			return found, n == 1 // two enums with the variant: not known
		}
	}
	owner := x.typePath(fn.Module, strings.Join(segs[:len(segs)-1], "::"))
	if segs[0] == "Self" && len(segs) == 2 {
		owner = x.selfType(fn)
	}
	if e := x.enums[owner]; e != nil {
		if w, ok := e.Fields[segs[len(segs)-1]+"."+f]; ok {
			return typ{written: w, scope: e.Module, self: owner, gen: e}, true
		}
	}
	return typ{}, false
}

// bound resolves a method of a receiver whose type is a generic parameter
// of fn (T with <T: Trait> or where T: Trait) or an impl Trait / dyn
// Trait: the method of the only bound trait of the workspace that has it.
func (x *Index) bound(fn *Item, v typ, name string) *Item {
	w := deref(v.written)
	var traits []string
	switch {
	case strings.HasPrefix(w, "impl ") || strings.HasPrefix(w, "dyn "):
		_, after, _ := strings.Cut(w, " ")
		traits = splitTop(after, '+')
	case isIdent(w):
		traits = boundsOf(x.bounds(fn), w)
	}
	return x.onlyMethod(fn, x.withSupers(fn.Module, traits), name)
}

// onlyMethod is the method name of the only one of traits (absolute
// paths) that defines it, as caller calls it: nil when none does, or
// several (do not guess).
func (x *Index) onlyMethod(caller *Item, traits []string, name string) *Item {
	var found *Item
	for _, abs := range traits {
		if ms, ok := x.traits[abs][name]; ok {
			m, _, _ := x.pick(caller, ms, "")
			if found != nil || m == nil {
				return nil
			}
			found = m
		}
	}
	return found
}

// ofTrait is method name of trait (an absolute path) or of its
// supertraits, as a trait's default methods call it on self or Self.
func (x *Index) ofTrait(caller *Item, trait, name string) *Item {
	return x.onlyMethod(caller, x.withSupers("", []string{trait}), name)
}

// withSupers resolves traits written in scope to absolute paths, with
// their supertraits (trait A: B + C), each once.
func (x *Index) withSupers(scope string, traits []string) []string {
	type written struct{ scope, trait string }
	var out []string
	seen := map[string]bool{}
	todo := make([]written, 0, len(traits))
	for _, tr := range traits {
		todo = append(todo, written{scope, tr})
	}
	for len(todo) > 0 && len(out) < maxSupers {
		w := todo[0]
		todo = todo[1:]
		head, _ := generics(strings.TrimSpace(w.trait))
		abs := x.typePath(w.scope, head)
		if abs == "" || seen[abs] {
			continue
		}
		seen[abs] = true
		out = append(out, abs)
		if t := x.traitItems[abs]; t != nil && t.Supers != "" {
			for _, s := range splitTop(t.Supers, '+') {
				if s = strings.TrimSpace(s); s != "" && !strings.HasPrefix(s, "'") && !strings.HasPrefix(s, "?") {
					todo = append(todo, written{t.Module, s})
				}
			}
		}
	}
	return out
}

// maxSupers bounds the traits withSupers lists.
const maxSupers = 64

// bounds are the generics and where clauses fn sees: its own and its
// impl's or trait's.
func (x *Index) bounds(fn *Item) string {
	b := trimAngles(fn.Bounds)
	if fn.Parent != nil {
		for _, it := range x.implsIn[fn.File] {
			if it.Start <= fn.Start && fn.End <= it.End {
				b = trimAngles(it.Bounds) + "," + b
			}
		}
	}
	return b
}

// boundsOf lists the bounds of generic parameter p in generics and where
// clauses as written: "<T: A + B<C>, U> where T: D" gives A, B<C>, D.
func boundsOf(written, p string) []string {
	var out []string
	for _, part := range splitTop(strings.ReplaceAll(trimAngles(written), "where ", ","), ',') {
		name, bounds, ok := strings.Cut(part, ":")
		if !ok || strings.TrimSpace(name) != p {
			continue
		}
		for _, b := range splitTop(bounds, '+') {
			if b = strings.TrimSpace(b); b != "" && !strings.HasPrefix(b, "'") && !strings.HasPrefix(b, "?") {
				out = append(out, b)
			}
		}
	}
	return out
}

// trimAngles drops the angle brackets around a generics list, keeping a
// where clause after it.
func trimAngles(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<") {
		return s
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			if i > 0 && s[i-1] == '-' {
				continue
			}
			depth--
			if depth == 0 {
				return s[1:i] + "," + s[i+1:]
			}
		}
	}
	return s
}

// splitTop splits s at sep outside brackets.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '(', '[':
			depth++
		case '>', ')', ']':
			if i > 0 && s[i-1] == '-' {
				continue
			}
			depth--
		case sep:
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// nominal says whether abs is a struct, enum or union of the workspace
// (not a type alias such as a crate's Result<T>).
func (x *Index) nominal(abs string) bool {
	if abs == "" {
		return false
	}
	for _, it := range x.byScope[parent(abs)][last(abs)] {
		if it.Kind == "struct" || it.Kind == "enum" || it.Kind == "union" {
			return true
		}
	}
	return false
}
