package rust

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// CallSite is one call in a function body.
type CallSite struct {
	Kind     string   `json:"kind"`               // call, method, macro; ref: a path passed as a value (.map(Foo::new)), maybe a function; var: a call of a name a closure's, slice's or nested function's pattern binds, or of a function declared in the body
	Path     []string `json:"path"`               // call: the path's segments; method and macro: the name
	Receiver string   `json:"receiver,omitempty"` // method: the receiver as written ("self", "p", "self.db"); "" when over 256 bytes
	Text     string   `json:"text"`               // the callee as written; a method on a receiver over 256 bytes is "….name"
	Line     int      `json:"line"`
	Byte     int      `json:"byte"`          // offset of the call in the file
	End      int      `json:"end,omitempty"` // offset after the call: how a receiver or a binding names its result (#End)
	// Expr is, for a method, its receiver as an expression dw-callgraph
	// can type, when it is more than a name or a field path (Receiver);
	// for a path call, its first argument, which picks the impl of
	// Trait::method(x) and Type::from(v). See the type Expr.
	Expr Expr `json:"expr,omitempty"`
}

// An Expr is a value as dw-callgraph types it: a base, then steps.
//
//	x, self          a variable (a Let or a parameter), the method's self
//	#1234            the result of the call site whose End is 1234
//	.f  .0           a field
//	?                the value inside an Option or a Result: `?`, .unwrap(), .expect(..), Some(x), Ok(x)
//	!                the error of a Result: Err(x)
//	*  &             a dereference, a reference
//	[]               one element of an iteration: `for x in v`, a closure parameter of v.iter().map(|x| ..)
//	[i]              one element by index: v[i], a map's value m[k]
//	^                a clone (.clone(), .to_owned()): a reference's target, else the same type
//
// Parentheses and .await keep the type;
// dw-callgraph knows .iter(), .filter(..) and the like of std collections
// and iterators from the call.
// A value it cannot express (a literal, a macro, an arithmetic result) has
// no Expr: its calls' receivers stay untyped.
type Expr = string

// Let is a local variable with what is known of its type, where it is in
// scope (bytes [From, To) of the file): `let` (a type, a struct literal or
// any Expr), `if let` / `while let` / `match` arms of Some(x), Ok(x), Err(x),
// `for x in ..`, and the parameters of closures given to iterator adapters
// and Option/Result combinators.
type Let struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"` // as written (generics kept)
	Expr Expr   `json:"expr,omitempty"` // else its value
	// Field, else, is the field a pattern binds it to, as P.f: the field
	// f (0, 1, … by position) of the struct or enum variant at path P as
	// written (Value::Number(n), Compound::Map { ser, .. }).
	Field string `json:"field,omitempty"`
	From  int    `json:"from"`
	To    int    `json:"to"`
	// Of is, for a closure's parameter typed as an element, the End of
	// the call the closure is given to (v.iter().map(|x| ..)): a method of
	// the workspace of that name need not take elements.
	Of int `json:"of,omitempty"`
}

// FnBody is what an item-level function calls (functions nested in its
// body included), and the types it knows of its variables: the parameters'
// (Vars) and the locals' (Lets, each with its scope).
type FnBody struct {
	Start, End int               // byte range of the function item
	Vars       map[string]string // parameter → its type as written
	Lets       []Let
	Uses       []Use // the use declarations in its body
	Calls      []CallSite
}

// Use is one name a use declaration brings into scope.
type Use struct {
	Inline []string `json:"inline,omitempty"` // the inline modules it sits in, outermost first
	Path   []string `json:"path"`             // the full path it names; for a glob, the module
	Alias  string   `json:"alias"`            // the name in scope; "*" for a glob
	Public bool     `json:"public,omitempty"` // pub (a re-export)
	Line   int      `json:"line"`
}

// Calls holds the call sites of a file's functions and its use declarations.
type Calls struct {
	Fns  []FnBody
	Uses []Use
	// TooDeep counts use trees nested over MaxNesting deep and call sites
	// over MaxCallSites in one function, which were left out.
	TooDeep int
}

// MaxCallSites is the most call sites kept for one function: far above real
// code (the largest functions of big workspaces have a few thousand), low
// enough that a function's record stays well under the 64 MiB line limit
// the next tool reads.
const MaxCallSites = 100_000

// ExtractCalls parses src and returns its functions' calls and its uses.
func ExtractCalls(src []byte, limit time.Duration) (*Calls, error) {
	t, err := parseFlat(src, limit, true)
	if err != nil {
		return nil, err
	}
	return extractCalls(src, t), nil
}

func extractCalls(src []byte, t *flatTree) *Calls {
	x := &callExtractor{src: src, t: t, out: &Calls{}}
	x.walk()
	return x.out
}

type callExtractor struct {
	src    []byte
	t      *flatTree
	out    *Calls
	depth  int                   // macro arguments re-parsed around this source
	macros map[int32]*macroCalls // the macro invocations whose arguments were parsed, by node
	// The names of the Lets of letsOf, its first counted Lets: bound's.
	letsOf   *FnBody
	letNames map[string]bool
	counted  int
	bindings map[int]map[string]bool // function → the names its patterns bind: a ref to one is a variable
	// function → the names bound otherwise than by let x = or a
	// parameter (closures', slices', nested functions' patterns), and the
	// functions declared in its body: a call of one names no item
	others map[int]map[string]bool
	ranges map[string]bool // names bound to a range so far (let r = a..b, r: Range<usize>): v[r] is a slice
}

// rangeType says whether a type as written may be a range.
func rangeType(t string) bool { return strings.Contains(t, "Range") }

// noteRange records that name is bound to a range.
func (x *callExtractor) noteRange(name string) {
	if x.ranges == nil {
		x.ranges = map[string]bool{}
	}
	x.ranges[name] = true
}

func (x *callExtractor) text(i int32) string {
	n := &x.t.nodes[i]
	return string(x.src[n.start:n.end])
}

// maxCallText is the longest callee or receiver text a call site keeps. In
// a chain a.b().c().d() each call's receiver holds all the calls before it:
// copying them would make the output quadratic in the chain's length.
const maxCallText = 256

// short is node i's text when it is at most maxCallText bytes, else long.
func (x *callExtractor) short(i int32, long string) string {
	if n := &x.t.nodes[i]; n.end-n.start <= maxCallText {
		return x.text(i)
	}
	return long
}

// walk visits the nodes in order (the flat tree is in pre-order), keeping
// the stack of functions and inline modules that enclose each node. Each
// level knows its function and modules, so a node costs O(1) however deep
// it is nested.
func (x *callExtractor) walk() {
	x.walkNodes()
	// A ref to a name a pattern binds is a variable, not a function, and
	// a call of a name bound otherwise than by let x = or a parameter (a
	// closure's parameters, a slice pattern, a nested function's
	// parameters) or of a function declared in the body names no item:
	// their scope is not worked out, and a wrong edge is worse than none.
	for i := range x.out.Fns {
		f := &x.out.Fns[i]
		names, others := x.bindings[i], x.others[i]
		f.Calls = slices.DeleteFunc(f.Calls, func(c CallSite) bool {
			return c.Kind == "ref" && len(c.Path) == 1 && (names[c.Path[0]] || others[c.Path[0]])
		})
		for j := range f.Calls {
			if c := &f.Calls[j]; c.Kind == "call" && len(c.Path) == 1 && others[c.Path[0]] {
				c.Kind = "var"
			}
		}
	}
}

// inLetPattern says whether identifier i is bound by the pattern of a
// let, whose names are Lets with their scope.
func (x *callExtractor) inLetPattern(i int32) bool {
	for {
		p := x.t.nodes[i].parent
		switch {
		case p < 0:
			return false
		case x.t.typeOf(p) == "let_declaration":
			return x.t.fieldOf(i) == "pattern"
		case !strings.HasSuffix(x.t.typeOf(p), "_pattern"):
			return false
		}
		i = p
	}
}

// note adds name to the set of function fn.
func note(m map[int]map[string]bool, fn int, name string) map[int]map[string]bool {
	if m == nil {
		m = map[int]map[string]bool{}
	}
	if m[fn] == nil {
		m[fn] = map[string]bool{}
	}
	m[fn][name] = true
	return m
}

// nested records a function declared in the body of function fn (f): its
// name names no item, and its parameters hide the outer function's over
// its body (as bindings of unknown type).
func (x *callExtractor) nested(item int32, f *FnBody, fn int) {
	if name := x.t.field(item, "name"); name >= 0 {
		x.others = note(x.others, fn, x.text(name))
	}
	params, body := x.t.field(item, "parameters"), x.t.field(item, "body")
	if params < 0 || body < 0 {
		return
	}
	for p := x.t.nodes[params].first; p >= 0; p = x.t.nodes[p].next {
		if pat := x.t.field(p, "pattern"); pat >= 0 && x.t.typeOf(pat) == "identifier" {
			f.Lets = append(f.Lets, Let{Name: x.text(pat), From: x.t.nodes[body].start, To: x.t.nodes[body].end})
		}
	}
}

// binds says whether identifier i is bound by a pattern: a let, a
// parameter, a closure parameter, a match arm, a for loop.
func (x *callExtractor) binds(i int32) bool {
	p := x.t.nodes[i].parent
	if x.t.typeOf(i) == "shorthand_field_identifier" { // S { count }: in a pattern, not an expression
		return p >= 0 && x.t.typeOf(p) == "field_pattern"
	}
	if x.t.fieldOf(i) == "pattern" {
		return true
	}
	if x.t.fieldOf(i) == "condition" { // a match arm's guard: None if is_dir =>
		return false
	}
	if p < 0 || x.t.fieldOf(i) == "type" || x.t.fieldOf(i) == "name" {
		return false
	}
	t := x.t.typeOf(p)
	return strings.HasSuffix(t, "_pattern") || t == "closure_parameters" || t == "field_pattern"
}

func (x *callExtractor) walkNodes() {
	type open struct {
		end  int
		fn   int      // the outermost enclosing function: index into out.Fns, or -1
		mods *modPath // the inline modules outside any function, innermost first
	}
	var stack []open
	skip := 0 // the token trees before skip were parsed as macro arguments
	for i := range x.t.nodes {
		n := &x.t.nodes[i]
		for len(stack) > 0 && stack[len(stack)-1].end <= n.start {
			stack = stack[:len(stack)-1]
		}
		// Calls belong to the outermost function: only item-level
		// functions are records; nested ones are part of their text.
		top := open{fn: -1}
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		fn := top.fn
		id := int32(i)
		switch x.t.typeOf(id) {
		case "function_item", "function_signature_item":
			if fn >= 0 { // nested: its calls go to the enclosing function
				x.nested(id, &x.out.Fns[fn], fn)
				continue
			}
			if x.t.typeOf(id) != "function_item" {
				continue
			}
			x.out.Fns = append(x.out.Fns, FnBody{Start: n.start, End: n.end, Vars: map[string]string{}})
			stack = append(stack, open{end: n.end, fn: len(x.out.Fns) - 1, mods: top.mods})
			if params := x.t.field(id, "parameters"); params >= 0 {
				x.params(params, &x.out.Fns[len(x.out.Fns)-1])
			}
		case "mod_item":
			if body := x.t.field(id, "body"); body >= 0 && fn < 0 {
				if name := x.t.field(id, "name"); name >= 0 {
					stack = append(stack, open{end: n.end, fn: -1, mods: top.mods.nested(x.text(name))})
				}
			}
		case "use_declaration":
			switch {
			case fn >= 0: // in a function: its own
				x.use(id, nil, &x.out.Fns[fn].Uses)
			case !top.mods.tooDeep():
				x.use(id, top.mods.list(), &x.out.Uses)
			}
		case "call_expression":
			if fn >= 0 {
				x.call(id, &x.out.Fns[fn])
			}
		case "macro_invocation":
			if fn >= 0 {
				if m := x.t.field(id, "macro"); m >= 0 {
					name := x.text(m)
					x.add(&x.out.Fns[fn], CallSite{Kind: "macro", Path: []string{name}, Text: name + "!", Line: n.startRow + 1, Byte: n.start})
				}
				if m := x.macro(id); m != nil { // its arguments as expressions: their token trees are read
					f := &x.out.Fns[fn]
					for _, c := range m.calls {
						x.add(f, c)
					}
					f.Lets = append(f.Lets, m.lets...)
					skip = n.end
				}
			}
		case "identifier", "shorthand_field_identifier":
			if fn >= 0 && x.binds(id) {
				name := x.text(id)
				x.bindings = note(x.bindings, fn, name)
				p := x.t.nodes[id].parent
				param := p >= 0 && x.t.typeOf(p) == "parameter" && x.out.Fns[fn].Vars[name] != ""
				if !x.inLetPattern(id) && !param {
					x.others = note(x.others, fn, name)
				}
			}
		case "let_declaration":
			if fn >= 0 {
				x.let(id, &x.out.Fns[fn])
				x.valueRefs(id, "let_declaration", &x.out.Fns[fn])
			}
		case "field_initializer", "assignment_expression", "shorthand_field_initializer", "return_expression", "array_expression", "tuple_expression":
			if fn >= 0 {
				x.valueRefs(id, x.t.typeOf(id), &x.out.Fns[fn])
			}
		case "let_condition":
			if fn >= 0 {
				x.letCondition(id, &x.out.Fns[fn])
			}
		case "match_arm":
			if fn >= 0 {
				x.matchArm(id, &x.out.Fns[fn])
			}
		case "for_expression":
			if fn >= 0 {
				x.forLoop(id, &x.out.Fns[fn])
			}
		case "closure_expression":
			if fn >= 0 {
				x.closure(id, &x.out.Fns[fn])
			}
		case "token_tree":
			if fn >= 0 && n.start >= skip {
				x.tokenCalls(id, &x.out.Fns[fn])
			}
		}
	}
}

// modPath is a list of inline module names, innermost first, that nested
// levels share.
type modPath struct {
	name  string
	outer *modPath
	depth int // 1 for a module at file level
}

func (m *modPath) nested(name string) *modPath {
	d := 1
	if m != nil {
		d = m.depth + 1
	}
	return &modPath{name, m, d}
}

// tooDeep tells whether the modules are nested deeper than Extract reads
// items (MaxNesting): their uses would cost O(depth) each.
func (m *modPath) tooDeep() bool { return m != nil && m.depth > MaxNesting }

// list returns the names outermost first.
func (m *modPath) list() []string {
	var names []string
	for ; m != nil; m = m.outer {
		names = append(names, m.name)
	}
	slices.Reverse(names)
	return names
}

func (x *callExtractor) params(params int32, f *FnBody) {
	for p := x.t.nodes[params].first; p >= 0; p = x.t.nodes[p].next {
		if x.t.typeOf(p) != "parameter" {
			continue
		}
		pat, typ := x.t.field(p, "pattern"), x.t.field(p, "type")
		if pat >= 0 && typ >= 0 && x.t.typeOf(pat) == "identifier" {
			if tn := x.short(typ, ""); tn != "" {
				f.Vars[x.text(pat)] = normalize(tn)
			}
			if rangeType(x.text(typ)) {
				x.noteRange(x.text(pat))
			}
		}
	}
}

// typeName is a type's path as written, without references, mut,
// generics or dyn/impl: &mut Vec<Foo> → Vec, crate::a::Foo<T> → crate::a::Foo.
func (x *callExtractor) typeName(typ int32) string {
	switch x.t.typeOf(typ) {
	case "reference_type", "pointer_type":
		if inner := x.t.field(typ, "type"); inner >= 0 {
			return x.typeName(inner)
		}
	case "generic_type":
		if inner := x.t.field(typ, "type"); inner >= 0 {
			return x.typeName(inner)
		}
	case "type_identifier", "scoped_type_identifier", "primitive_type":
		return normalize(x.text(typ))
	}
	return ""
}

// scopeEnd is the end of the block that holds node n: where a let's
// binding goes out of scope.
func (x *callExtractor) scopeEnd(n int32) int {
	if p := x.t.nodes[n].parent; p >= 0 {
		return x.t.nodes[p].end
	}
	return x.t.nodes[n].end
}

// let records `let v: T = ...`, `let v = T { .. }` and `let v = <Expr>`.
func (x *callExtractor) let(let int32, f *FnBody) {
	pat := x.t.field(let, "pattern")
	if pat < 0 {
		return
	}
	if x.t.typeOf(pat) != "identifier" {
		from, to := x.t.nodes[let].end, x.scopeEnd(let)
		x.shadow(pat, true, from, to, f) // every name: a call of one in the value is not of it
		if val := x.t.field(let, "value"); val >= 0 && x.t.field(let, "type") < 0 {
			x.bind(pat, x.expr(val), from, to, f, 0)
		}
		x.destructure(pat, from, to, f)
		return
	}
	b := Let{Name: x.text(pat), From: x.t.nodes[let].end, To: x.scopeEnd(let)}
	if typ, val := x.t.field(let, "type"), x.t.field(let, "value"); typ >= 0 && rangeType(x.text(typ)) || val >= 0 && x.t.typeOf(val) == "range_expression" {
		x.noteRange(b.Name)
	}
	if typ := x.t.field(let, "type"); typ >= 0 {
		b.Type = normalize(x.short(typ, ""))
	} else if val := x.t.field(let, "value"); val >= 0 {
		if x.t.typeOf(val) == "struct_expression" {
			if n := x.t.field(val, "name"); n >= 0 {
				b.Type = x.typeName(n)
			}
		} else {
			b.Expr = x.expr(val)
		}
	}
	f.Lets = append(f.Lets, b) // even untyped: it hides a parameter or an outer let of its name
}

// shadow records the names pattern pat binds as of unknown type over
// [from, to) when they hide a parameter or a let (the receivers named so
// must not take the hidden variable's type), or all of them.
func (x *callExtractor) shadow(pat int32, all bool, from, to int, f *FnBody) {
	end := x.t.nodes[pat].end
	for i := pat; int(i) < len(x.t.nodes) && x.t.nodes[i].start < end; i++ {
		typ := x.t.typeOf(i)
		if typ != "identifier" && typ != "shorthand_field_identifier" || x.t.fieldOf(i) == "type" || x.t.fieldOf(i) == "name" {
			continue
		}
		if p := x.t.nodes[i].parent; p >= 0 && (x.t.typeOf(p) == "scoped_identifier" || x.t.typeOf(p) == "field_pattern" && typ == "identifier" && x.t.fieldOf(i) != "pattern") {
			continue
		}
		name := x.text(i)
		if !all && !x.bound(f, name) {
			continue
		}
		f.Lets = append(f.Lets, Let{Name: name, From: from, To: to})
	}
}

// destructure records the names that tuple-struct and struct patterns in
// pat bind to fields: Value::Number(n), Foo { a, b: c, .. }.
func (x *callExtractor) destructure(pat int32, from, to int, f *FnBody) {
	end := x.t.nodes[pat].end
	for i := pat; int(i) < len(x.t.nodes) && x.t.nodes[i].start < end; i++ {
		kind := x.t.typeOf(i)
		if kind != "tuple_struct_pattern" && kind != "struct_pattern" {
			continue
		}
		typ := x.t.field(i, "type")
		if typ < 0 {
			continue
		}
		p := normalize(x.text(typ))
		if p == "Some" || p == "Ok" || p == "Err" {
			continue
		}
		for pos, c := range x.elements(i) {
			if c < 0 {
				continue
			}
			if x.t.typeOf(c) == "remaining_field_pattern" && kind == "tuple_struct_pattern" {
				break // Foo(a, .., z): what follows is counted from the end
			}
			for t := x.t.typeOf(c); t == "ref_pattern" || t == "mut_pattern"; t = x.t.typeOf(c) { // ref x, ref mut x, mut x
				inner := int32(-1)
				for g := x.t.nodes[c].first; g >= 0; g = x.t.nodes[g].next {
					if x.t.nodes[g].named && x.t.typeOf(g) != "mutable_specifier" {
						inner = g
					}
				}
				if inner < 0 {
					break
				}
				c = inner
			}
			switch x.t.typeOf(c) {
			case "identifier":
				if kind == "tuple_struct_pattern" {
					f.Lets = append(f.Lets, Let{Name: x.text(c), Field: p + "." + strconv.Itoa(pos), From: from, To: to})
				}
			case "field_pattern":
				name, sub := x.t.field(c, "name"), x.t.field(c, "pattern")
				switch {
				case name >= 0 && sub >= 0 && x.t.typeOf(sub) == "identifier":
					f.Lets = append(f.Lets, Let{Name: x.text(sub), Field: p + "." + x.text(name), From: from, To: to})
				case name >= 0 && sub < 0 && x.t.typeOf(name) == "shorthand_field_identifier":
					f.Lets = append(f.Lets, Let{Name: x.text(name), Field: p + "." + x.text(name), From: from, To: to})
				}
			}
		}
	}
}

// bound says whether name is a parameter or a let of f.
func (x *callExtractor) bound(f *FnBody, name string) bool {
	if _, ok := f.Vars[name]; ok {
		return true
	}
	if x.letsOf != f {
		x.letsOf, x.letNames, x.counted = f, map[string]bool{}, 0
	}
	for ; x.counted < len(f.Lets); x.counted++ {
		x.letNames[f.Lets[x.counted].Name] = true
	}
	return x.letNames[name]
}

// letCondition records `if let Some(x) = <Expr> { .. }` and `while let`.
func (x *callExtractor) letCondition(cond int32, f *FnBody) {
	pat, val := x.t.field(cond, "pattern"), x.t.field(cond, "value")
	if pat < 0 || val < 0 {
		return
	}
	owner := x.t.nodes[cond].parent
	for owner >= 0 && x.t.typeOf(owner) == "let_chain" {
		owner = x.t.nodes[owner].parent
	}
	if owner < 0 {
		return
	}
	body := x.t.field(owner, "consequence")
	if body < 0 {
		body = x.t.field(owner, "body")
	}
	if body < 0 {
		return
	}
	from, to := x.t.nodes[body].start, x.t.nodes[body].end
	x.shadow(pat, false, from, to, f)
	x.bind(pat, x.expr(val), from, to, f, 0)
	x.destructure(pat, from, to, f)
}

// matchArm records `Some(x) =>` and `Ok(x) =>` arms of a match on an Expr.
func (x *callExtractor) matchArm(arm int32, f *FnBody) {
	pat := x.t.field(arm, "pattern")
	block := x.t.nodes[arm].parent
	if pat < 0 || block < 0 {
		return
	}
	m := x.t.nodes[block].parent
	if m < 0 || x.t.typeOf(m) != "match_expression" {
		return
	}
	val := x.t.field(m, "value")
	if val < 0 {
		return
	}
	from, to := x.t.nodes[pat].end, x.t.nodes[arm].end
	x.shadow(pat, false, from, to, f)
	if c := x.t.nodes[pat].first; c >= 0 && x.t.typeOf(pat) == "match_pattern" {
		x.bind(c, x.expr(val), from, to, f, 0) // the pattern, not its guard
	}
	x.destructure(pat, from, to, f)
}

// forLoop records `for x in <Expr>`.
func (x *callExtractor) forLoop(loop int32, f *FnBody) {
	pat, val, body := x.t.field(loop, "pattern"), x.t.field(loop, "value"), x.t.field(loop, "body")
	if pat < 0 || val < 0 || body < 0 {
		return
	}
	from, to := x.t.nodes[body].start, x.t.nodes[body].end
	if x.t.typeOf(pat) == "identifier" {
		f.Lets = append(f.Lets, Let{Name: x.text(pat), Expr: x.expr(val) + "[]", From: from, To: to})
		if f.Lets[len(f.Lets)-1].Expr == "[]" {
			f.Lets[len(f.Lets)-1].Expr = ""
		}
		return
	}
	x.shadow(pat, false, from, to, f)
	if e := x.expr(val); e != "" {
		x.bind(pat, e+"[]", from, to, f, 0)
	}
	x.destructure(pat, from, to, f)
}

// elementTakers are the methods whose closure argument, the last, takes
// one element of their receiver: iterator adapters, and Option's and
// Result's combinators (whose element is the value inside).
var elementTakers = map[string]bool{
	"map": true, "for_each": true, "filter": true, "filter_map": true, "flat_map": true, "any": true, "all": true,
	"find": true, "find_map": true, "position": true, "inspect": true, "take_while": true, "skip_while": true,
	"map_while": true, "max_by_key": true, "min_by_key": true, "and_then": true, "is_some_and": true,
	"map_or": true, "map_or_else": true, "try_for_each": true, "partition": true,
}

// closure records the parameters of closures: typed ones, and the one
// parameter of a closure given to an element taker (v.iter().map(|x| ..)).
func (x *callExtractor) closure(cl int32, f *FnBody) {
	params, body := x.t.field(cl, "parameters"), x.t.field(cl, "body")
	if params < 0 || body < 0 {
		return
	}
	from, to := x.t.nodes[body].start, x.t.nodes[body].end
	x.shadow(params, false, from, to, f) // first: the typed ones come after, and the later binding wins
	var names []int32
	for p := x.t.nodes[params].first; p >= 0; p = x.t.nodes[p].next {
		switch x.t.typeOf(p) {
		case "identifier":
			names = append(names, p)
		case "parameter":
			pat, typ := x.t.field(p, "pattern"), x.t.field(p, "type")
			if pat >= 0 && typ >= 0 && x.t.typeOf(pat) == "identifier" {
				if tn := x.short(typ, ""); tn != "" {
					f.Lets = append(f.Lets, Let{Name: x.text(pat), Type: normalize(tn), From: from, To: to})
				}
				continue
			}
			names = append(names, -1)
		case "tuple_pattern", "reference_pattern":
			names = append(names, p)
		default:
			if x.t.nodes[p].named {
				names = append(names, -1)
			}
		}
	}
	if len(names) != 1 || names[0] < 0 {
		return
	}
	args := x.t.nodes[cl].parent
	if args < 0 || x.t.typeOf(args) != "arguments" {
		return
	}
	for c := x.t.nodes[cl].next; c >= 0; c = x.t.nodes[c].next {
		if x.t.nodes[c].named && !strings.HasSuffix(x.t.typeOf(c), "comment") {
			return // not the last argument: map_or_else(|e| .., |v| ..) gives the first an error
		}
	}
	call := x.t.nodes[args].parent
	fn := x.t.field(call, "function")
	if fn < 0 || x.t.typeOf(fn) != "field_expression" {
		return
	}
	name, recv := x.t.field(fn, "field"), x.t.field(fn, "value")
	if name < 0 || recv < 0 || !elementTakers[x.text(name)] {
		return
	}
	if e := x.expr(recv); e != "" {
		n := len(f.Lets)
		x.bind(names[0], e+"[]", from, to, f, 0)
		for i := n; i < len(f.Lets); i++ {
			f.Lets[i].Of = x.t.nodes[call].end
		}
	}
}

// elements lists the patterns of a tuple or tuple-struct pattern in
// order, a wildcard _ as -1; comments are none.
func (x *callExtractor) elements(pat int32) []int32 {
	var out []int32
	typ := x.t.field(pat, "type")
	for c := x.t.nodes[pat].first; c >= 0; c = x.t.nodes[c].next {
		switch t := x.t.typeOf(c); {
		case c == typ || t == "line_comment" || t == "block_comment":
		case t == "_":
			out = append(out, -1)
		case x.t.nodes[c].named:
			out = append(out, c)
		}
	}
	return out
}

// trailingComma says whether a parenthesized pattern ends in a comma: (a,).
func (x *callExtractor) trailingComma(pat int32) bool {
	last := ""
	for c := x.t.nodes[pat].first; c >= 0; c = x.t.nodes[c].next {
		if t := x.t.typeOf(c); t != ")" && t != "line_comment" && t != "block_comment" {
			last = t
		}
	}
	return last == ","
}

// maxBind bounds the nesting of the patterns bind follows.
const maxBind = 8

// bind records the names pattern pat binds to parts of the value e, over
// [from, to): a name binds e itself, (a, b) binds e's elements (e.0,
// e.1), Some(a) and Ok(a) the value inside (e?), Err(a) the error (e!);
// &a, ref a and mut a bind like a. Other patterns bind nothing here
// (destructure types the fields of structs and variants).
func (x *callExtractor) bind(pat int32, e Expr, from, to int, f *FnBody, depth int) {
	if pat < 0 || e == "" || depth > maxBind || len(e) > maxExpr {
		return
	}
	switch x.t.typeOf(pat) {
	case "identifier":
		if name := x.text(pat); !isTypeName(name) { // None, a unit variant or a constant bind nothing
			f.Lets = append(f.Lets, Let{Name: name, Expr: e, From: from, To: to})
		}
	case "mut_pattern", "ref_pattern", "reference_pattern":
		inner := int32(-1)
		for c := x.t.nodes[pat].first; c >= 0; c = x.t.nodes[c].next {
			if x.t.nodes[c].named && x.t.typeOf(c) != "mutable_specifier" {
				inner = c
			}
		}
		if inner >= 0 {
			x.bind(inner, e, from, to, f, depth+1)
		}
	case "tuple_pattern":
		elems := x.elements(pat)
		if len(elems) == 1 && !x.trailingComma(pat) { // (a) is a in parentheses
			x.bind(elems[0], e, from, to, f, depth+1)
			return
		}
		for i, c := range elems {
			if c >= 0 && x.t.typeOf(c) == "remaining_field_pattern" {
				return // (a, .., z): what follows is counted from the end
			}
			x.bind(c, e+"."+strconv.Itoa(i), from, to, f, depth+1)
		}
	case "tuple_struct_pattern":
		step := map[string]string{"Some": "?", "Ok": "?", "Err": "!"}[x.text(x.t.field(pat, "type"))]
		if elems := x.elements(pat); step != "" && len(elems) == 1 {
			x.bind(elems[0], e+Expr(step), from, to, f, depth+1)
		}
	}
}

// maxExpr bounds an Expr's length, as maxCallText a receiver's.
const maxExpr = 256

// expr is node n as an Expr, or "" when it cannot be one.
func (x *callExtractor) expr(n int32) Expr {
	e := x.exprOf(n, 0)
	if len(e) > maxExpr {
		return ""
	}
	return e
}

func (x *callExtractor) exprOf(n int32, depth int) Expr {
	if depth > 64 {
		return ""
	}
	step := func(inner int32, s string) Expr {
		if inner < 0 {
			return ""
		}
		if e := x.exprOf(inner, depth+1); e != "" {
			return e + s
		}
		return ""
	}
	switch x.t.typeOf(n) {
	case "identifier":
		return x.text(n)
	case "self":
		return "self"
	case "field_expression":
		if f := x.t.field(n, "field"); f >= 0 {
			return step(x.t.field(n, "value"), "."+x.text(f))
		}
	case "try_expression", "parenthesized_expression", "reference_expression", "unary_expression":
		if x.t.typeOf(n) == "unary_expression" && (x.t.nodes[n].first < 0 || x.t.typeOf(x.t.nodes[n].first) != "*") {
			return "" // !x, -x
		}
		inner := x.t.field(n, "value")
		if inner < 0 {
			for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
				if x.t.nodes[c].named {
					inner = c
				}
			}
		}
		switch x.t.typeOf(n) {
		case "try_expression":
			return step(inner, "?")
		case "unary_expression":
			return step(inner, "*")
		case "reference_expression":
			return step(inner, "&")
		}
		return step(inner, "")
	case "await_expression":
		for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
			if x.t.nodes[c].named {
				return step(c, "")
			}
		}
	case "index_expression":
		if first := x.t.nodes[n].first; first >= 0 {
			for c := x.t.nodes[first].next; c >= 0; c = x.t.nodes[c].next {
				if x.t.nodes[c].named && (x.t.typeOf(c) == "range_expression" || x.t.typeOf(c) == "identifier" && x.ranges[x.text(c)]) {
					return "" // a slice, not an element
				}
			}
			return step(first, "[i]")
		}
	case "macro_invocation": // tri!(e) and try!(e) are e?
		if m := x.t.field(n, "macro"); m >= 0 && (x.text(m) == "tri" || x.text(m) == "try") {
			if mc := x.macro(n); mc != nil && mc.expr != "" {
				return mc.expr + "?"
			}
		}
	case "call_expression":
		fn := x.t.field(n, "function")
		if fn >= 0 && x.t.typeOf(fn) == "field_expression" {
			name, recv := x.t.field(fn, "field"), x.t.field(fn, "value")
			if name >= 0 && recv >= 0 {
				switch m := x.text(name); {
				case m == "unwrap" || m == "expect":
					return step(recv, "?")
				case m == "clone" || m == "to_owned":
					return step(recv, "^")
				}
			}
		}
		return "#" + strconv.Itoa(x.t.nodes[n].end)
	}
	return ""
}

func (x *callExtractor) call(call int32, f *FnBody) {
	n := &x.t.nodes[call]
	fn := x.t.field(call, "function")
	if fn < 0 {
		return
	}
	if x.t.typeOf(fn) == "generic_function" { // foo::<T>(), x.foo::<T>()
		if inner := x.t.field(fn, "function"); inner >= 0 {
			fn = inner
		}
	}
	site := CallSite{Line: n.startRow + 1, Byte: n.start, End: n.end}
	switch x.t.typeOf(fn) {
	case "identifier", "scoped_identifier":
		site.Kind, site.Path, site.Text = "call", x.pathOf(fn), x.short(fn, "")
		if args := x.t.field(call, "arguments"); len(site.Path) >= 2 && args >= 0 {
			for a := x.t.nodes[args].first; a >= 0; a = x.t.nodes[a].next {
				if x.t.nodes[a].named {
					site.Expr = x.expr(a)
					break
				}
			}
		}
	case "field_expression":
		name, recv := x.t.field(fn, "field"), x.t.field(fn, "value")
		if name < 0 || recv < 0 {
			return
		}
		method := x.text(name)
		site.Kind, site.Path, site.Text = "method", []string{method}, x.short(fn, "…."+method)
		if r := x.short(recv, ""); r != "" {
			site.Receiver = normalize(r)
		}
		if e := x.expr(recv); e != site.Receiver {
			site.Expr = e
		}
	default:
		return // closures, calls of call results, ...
	}
	x.add(f, site)
	x.refs(call, f)
}

// refs records the paths a call passes as values, which may name
// functions: .map(Foo::new), .route(handler). Uppercase names are
// constructors or constants; a name a pattern binds is dropped later.
func (x *callExtractor) refs(call int32, f *FnBody) {
	if args := x.t.field(call, "arguments"); args >= 0 {
		x.refsIn(args, f)
	}
}

// refsIn records the paths among the values node n lists (arguments, the
// elements of an array or a tuple).
func (x *callExtractor) refsIn(n int32, f *FnBody) {
	for a := x.t.nodes[n].first; a >= 0; a = x.t.nodes[a].next {
		x.ref(a, f)
	}
}

// ref records value v when it is a path, which may name a function: an
// argument, the value of a let, a field or an assignment, an element, a
// returned value (let f = Foo::new; Route { handler }, [a, b]).
func (x *callExtractor) ref(v int32, f *FnBody) {
	if v < 0 {
		return
	}
	if t := x.t.typeOf(v); t != "identifier" && t != "scoped_identifier" {
		return
	}
	segs := x.pathOf(v)
	if len(segs) == 0 || isTypeName(segs[len(segs)-1]) || x.t.nodes[v].end-x.t.nodes[v].start > maxCallText {
		return
	}
	n := &x.t.nodes[v]
	x.add(f, CallSite{Kind: "ref", Path: segs, Text: strings.Join(segs, "::"), Line: n.startRow + 1, Byte: n.start})
}

// valueRefs records the paths node id, of type typ, holds as values.
func (x *callExtractor) valueRefs(id int32, typ string, f *FnBody) {
	switch typ {
	case "let_declaration", "field_initializer":
		x.ref(x.t.field(id, "value"), f)
	case "assignment_expression":
		x.ref(x.t.field(id, "right"), f)
	case "shorthand_field_initializer", "return_expression", "array_expression", "tuple_expression":
		x.refsIn(id, f)
	}
}

// add keeps a call site, up to MaxCallSites per function.
func (x *callExtractor) add(f *FnBody, site CallSite) {
	if len(f.Calls) >= MaxCallSites {
		x.out.TooDeep++
		return
	}
	f.Calls = append(f.Calls, site)
}

// tokenCalls reads calls out of a macro's token tree, which tree-sitter
// leaves unparsed: a name or path followed by a parenthesized group is a
// call (a::b(..)), after a "." a method call (x.f(..)); "name!(..)" and
// "fn name(..)" are not.
func (x *callExtractor) tokenCalls(tt int32, f *FnBody) {
	var toks []int32
	for c := x.t.nodes[tt].first; c >= 0; c = x.t.nodes[c].next {
		toks = append(toks, c)
	}
	typ := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return x.t.typeOf(toks[i])
	}
	for i := 1; i < len(toks); i++ {
		if typ(i) != "token_tree" || x.t.nodes[toks[i]].first < 0 || x.t.typeOf(x.t.nodes[toks[i]].first) != "(" || typ(i-1) != "identifier" {
			continue
		}
		name := x.text(toks[i-1])
		n := &x.t.nodes[toks[i-1]]
		site := CallSite{Line: n.startRow + 1, Byte: n.start}
		switch typ(i - 2) {
		case "fn":
			continue
		case ".":
			recv := typ(i - 3)
			if recv != "identifier" && recv != "self" {
				continue // a call on an expression of unknown type
			}
			site.Kind, site.Path, site.Receiver = "method", []string{name}, x.text(toks[i-3])
			site.Text = site.Receiver + "." + name
		default:
			segs := []string{name} // read backwards, then turned round: prepending was quadratic
			for j := i - 2; j >= 1 && typ(j) == "::" && (typ(j-1) == "identifier" || typ(j-1) == "crate" || typ(j-1) == "self" || typ(j-1) == "super"); j -= 2 {
				segs = append(segs, x.text(toks[j-1]))
			}
			slices.Reverse(segs)
			site.Kind, site.Path, site.Text = "call", segs, strings.Join(segs, "::")
			if len(site.Text) > maxCallText {
				site.Text = "…::" + name
			}
		}
		x.add(f, site)
	}
}

// pathOf splits a path expression into segments; generic arguments are
// dropped (Vec::<u8>::new → Vec, new).
func (x *callExtractor) pathOf(n int32) []string {
	switch x.t.typeOf(n) {
	case "scoped_identifier", "scoped_type_identifier":
		var segs []string
		if p := x.t.field(n, "path"); p >= 0 {
			segs = x.pathOf(p)
		}
		if name := x.t.field(n, "name"); name >= 0 {
			segs = append(segs, x.text(name))
		}
		return segs
	case "generic_type":
		if t := x.t.field(n, "type"); t >= 0 {
			return x.pathOf(t)
		}
	case "bracketed_type": // <T as Trait>::f: keep it whole
		return []string{normalize(x.text(n))}
	}
	return []string{normalize(x.text(n))}
}

// use expands a use declaration into the names it binds.
func (x *callExtractor) use(decl int32, inline []string, out *[]Use) {
	public := false
	for c := x.t.nodes[decl].first; c >= 0; c = x.t.nodes[c].next {
		if x.t.typeOf(c) == "visibility_modifier" {
			public = true
		}
	}
	arg := x.t.field(decl, "argument")
	if arg < 0 {
		return
	}
	line := x.t.nodes[decl].startRow + 1
	var expand func(n int32, prefix []string)
	expand = func(n int32, prefix []string) {
		if len(prefix) > MaxNesting { // a::{b::{c::{...}}} deeper than code nests: each name would copy the whole prefix
			x.out.TooDeep++
			return
		}
		add := func(path []string, alias string) {
			*out = append(*out, Use{Inline: inline, Path: path, Alias: alias, Public: public, Line: line})
		}
		switch x.t.typeOf(n) {
		case "identifier", "scoped_identifier", "crate", "self", "super":
			p := append(append([]string(nil), prefix...), x.pathOf(n)...)
			alias := p[len(p)-1]
			if alias == "self" && len(p) > 1 { // use a::b::{self}
				p, alias = p[:len(p)-1], p[len(p)-2]
			}
			add(p, alias)
		case "use_as_clause":
			p, a := x.t.field(n, "path"), x.t.field(n, "alias")
			if p >= 0 && a >= 0 {
				path := append(append([]string(nil), prefix...), x.pathOf(p)...)
				if len(path) > 1 && path[len(path)-1] == "self" { // use a::{self as b}
					path = path[:len(path)-1]
				}
				add(path, x.text(a))
			}
		case "use_wildcard":
			var p []string
			for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
				if t := x.t.typeOf(c); t == "identifier" || t == "scoped_identifier" || t == "crate" || t == "self" || t == "super" {
					p = x.pathOf(c)
				}
			}
			add(append(append([]string(nil), prefix...), p...), "*")
		case "scoped_use_list":
			p := prefix
			if path := x.t.field(n, "path"); path >= 0 {
				p = append(append([]string(nil), prefix...), x.pathOf(path)...)
			}
			if list := x.t.field(n, "list"); list >= 0 {
				expand(list, p)
			}
		case "use_list":
			for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
				if x.t.nodes[c].named {
					expand(c, prefix)
				}
			}
		}
	}
	expand(arg, nil)
}

// macroCalls is what the arguments of a macro invocation call, read by
// parsing them as the arguments of a function call.
type macroCalls struct {
	calls []CallSite
	lets  []Let
	expr  Expr // the Expr of its only argument
}

// maxMacroDepth bounds the macro invocations parsed inside each other's
// arguments; deeper ones are read token by token.
const maxMacroDepth = 4

// macro parses the arguments of macro invocation n — assert!(a == f(x)),
// tri!(self.read.peek()), vec![..] — as the arguments of a call, with
// their offsets and lines in the file. It returns nil when they are not
// expressions (a macro's own syntax), or nested too deep: their calls are
// then read from the tokens (tokenCalls).
func (x *callExtractor) macro(n int32) *macroCalls {
	if m, ok := x.macros[n]; ok {
		return m
	}
	if x.macros == nil {
		x.macros = map[int32]*macroCalls{}
	}
	x.macros[n] = nil
	if x.depth >= maxMacroDepth {
		return nil
	}
	var tt int32 = -1
	for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
		if x.t.typeOf(c) == "token_tree" {
			tt = c
		}
	}
	if tt < 0 {
		return nil
	}
	t := &x.t.nodes[tt]
	open := x.src[t.start]
	if open != '(' && open != '[' || t.end-t.start < 2 {
		return nil
	}
	if name := x.t.field(n, "macro"); !x.callLike(tt) && (name < 0 || x.text(name) != "tri" && x.text(name) != "try") {
		// Nothing called in it (println!("{}", x), vec![0; n]): its
		// tokens say all; tri!(x) is parsed for its type.
		x.macros[n] = &macroCalls{}
		return x.macros[n]
	}
	const prefix = "fn __dw(){__dw("
	wrap := make([]byte, 0, len(prefix)+t.end-t.start+4)
	wrap = append(wrap, prefix...)
	if open == '[' {
		wrap = append(wrap, '[')
	}
	wrap = append(wrap, x.src[t.start+1:t.end-1]...)
	if open == '[' {
		wrap = append(wrap, ']')
	}
	wrap = append(wrap, ");}"...)
	tree, err := parseFlat(wrap, 0, true)
	if err != nil || tree.hasError {
		return nil
	}
	sub := &callExtractor{src: wrap, t: tree, out: &Calls{}, depth: x.depth + 1}
	sub.walk()
	if len(sub.out.Fns) != 1 {
		return nil
	}
	// A byte of wrap is this many bytes further in the file; a row, rows.
	delta, rows := t.start+1-len(prefix), t.startRow
	if open == '[' {
		delta--
	}
	m := &macroCalls{}
	body := sub.out.Fns[0]
	for _, c := range body.Calls {
		if c.Byte < len(prefix) { // __dw( itself
			continue
		}
		c.Byte += delta
		if c.End > 0 {
			c.End += delta
		}
		c.Line += rows
		c.Expr = shiftExpr(c.Expr, delta)
		m.calls = append(m.calls, c)
	}
	for _, l := range body.Lets {
		l.From += delta
		l.To += delta
		l.Expr = shiftExpr(l.Expr, delta)
		m.lets = append(m.lets, l)
	}
	// The only argument's Expr.
	for i := range tree.nodes {
		if tree.typeOf(int32(i)) != "arguments" {
			continue
		}
		var args []int32
		for c := tree.nodes[i].first; c >= 0; c = tree.nodes[c].next {
			if tree.nodes[c].named {
				args = append(args, c)
			}
		}
		if len(args) == 1 {
			m.expr = shiftExpr(sub.expr(args[0]), delta)
		}
		break
	}
	x.macros[n] = m
	return m
}

// callLike says whether token tree tt holds something called: a name,
// a > (f::<T>()), a macro's ! or a closure's | followed by a
// parenthesized group.
func (x *callExtractor) callLike(tt int32) bool {
	end := x.t.nodes[tt].end
	for i := tt + 1; int(i) < len(x.t.nodes) && x.t.nodes[i].start < end; i++ {
		j := x.t.nodes[i].next
		if j < 0 || x.t.typeOf(j) != "token_tree" || x.src[x.t.nodes[j].start] != '(' {
			continue
		}
		switch x.t.typeOf(i) {
		case "identifier", ">", "!", "|", "self", "primitive_type", "super", "crate":
			return true
		}
	}
	return false
}

// shiftExpr moves the call results (#end) an Expr names by delta bytes.
func shiftExpr(e Expr, delta int) Expr {
	if !strings.Contains(e, "#") || delta == 0 {
		return e
	}
	var b strings.Builder
	for i := 0; i < len(e); i++ {
		if e[i] != '#' {
			b.WriteByte(e[i])
			continue
		}
		j := i + 1
		for j < len(e) && e[j] >= '0' && e[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(e[i+1 : j])
		b.WriteString("#" + strconv.Itoa(n+delta))
		i = j - 1
	}
	return b.String()
}

// isTypeName tells a type or a constant from a variable by Rust's naming
// convention (UpperCamelCase, SCREAMING_CASE).
func isTypeName(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }
