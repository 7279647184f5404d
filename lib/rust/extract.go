package rust

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// itemKinds maps the node types that are items to dwkit's kind names.
var itemKinds = map[string]string{
	"function_item":           "fn",
	"function_signature_item": "fn",
	"struct_item":             "struct",
	"enum_item":               "enum",
	"union_item":              "union",
	"trait_item":              "trait",
	"impl_item":               "impl",
	"mod_item":                "mod",
	"macro_definition":        "macro",
	"const_item":              "const",
	"static_item":             "static",
	"type_item":               "type",
	"associated_type":         "type",
	"macro_invocation":        "macro_call", // item-position macros: diesel::table!, lazy_static!
}

// Kinds lists the item kinds Extract emits, in a fixed order.
var Kinds = []string{"fn", "struct", "enum", "union", "trait", "impl", "mod", "macro", "macro_call", "const", "static", "type"}

// IsItemKind tells whether kind is one of Kinds: a record whose "rust"
// field is an ItemField.
func IsItemKind(kind string) bool { return slices.Contains(Kinds, kind) }

// ErrTimeout reports a parse that took longer than its limit.
var ErrTimeout = errors.New("parse took longer than its time limit")

// Extract parses src and returns its items. module is the module path of
// the file (e.g. "router::core"); items' Path and Module build on it.
// limit bounds the parse time (0: no limit), using tree-sitter's own
// timeout. Extract is safe for concurrent use.
func Extract(src []byte, module string, limit time.Duration) (*File, error) {
	t, err := parseFlat(src, limit, false)
	if err != nil {
		return nil, err
	}
	return extractItems(src, module, t), nil
}

// ExtractWithCalls is Extract and ExtractCalls from one parse.
func ExtractWithCalls(src []byte, module string, limit time.Duration) (*File, *Calls, error) {
	t, err := parseFlat(src, limit, true)
	if err != nil {
		return nil, nil, err
	}
	return extractItems(src, module, t), extractCalls(src, t), nil
}

func extractItems(src []byte, module string, t *flatTree) *File {
	x := &extractor{src: src, t: t, file: &File{HasErrors: t.hasError}}
	var fileDocs []string
	x.list(0, scope{module: module}, &fileDocs, &x.file.Attrs)
	x.file.Docs = strings.Join(fileDocs, "\n")
	return x.file
}

type extractor struct {
	src  []byte
	t    *flatTree
	file *File
}

// scope is where a list of items sits.
type scope struct {
	module string   // module path, inline modules included
	inline []string // inline modules since the file's root
	parent *Parent  // the impl, trait or extern block, if any
	abi    *string  // the ABI of an extern block
	// body: a function body, of which only the leading comments and inner
	// attributes count (the rest is code, not items).
	body  bool
	depth int // items (modules, impls, traits) this list is nested in
}

// MaxNesting is how deeply nested items are extracted on their own. An item
// nested deeper stays in its parent's text, and File.TooDeep counts the
// items whose children were left there. Real code nests a few levels; the
// bound keeps the output linear in the input, as each item's text repeats
// all of its children's.
const MaxNesting = 32

func (x *extractor) text(i int32) string {
	n := &x.t.nodes[i]
	return string(x.src[n.start:n.end])
}

// pending collects the outer attributes and doc comments that precede an
// item, until the item they belong to arrives.
type pending struct {
	start int // byte offset of the first one, -1 when empty
	row   int // its 0-based line
	attrs []Attr
	docs  []string
}

func (p *pending) reset() { *p = pending{start: -1} }

func (p *pending) note(n *node) {
	if p.start < 0 {
		p.start, p.row = n.start, n.startRow
	}
}

// list extracts the items of a source file, a declaration list or an ERROR
// node. Inner doc comments and attributes (//!, #![...]) go to innerDocs
// and innerAttrs: the enclosing module's or the file's.
func (x *extractor) list(n int32, sc scope, innerDocs *[]string, innerAttrs *[]Attr) {
	var pend pending
	pend.reset()
	for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
		cn := &x.t.nodes[c]
		t := x.t.typeOf(c)
		if sc.body && t != "{" && t != "line_comment" && t != "block_comment" && t != "inner_attribute_item" {
			return
		}
		switch t {
		case "line_comment", "block_comment":
			doc, isInner, ok := docText(x.src[cn.start:cn.end])
			switch {
			case !ok: // a plain comment: neither attaches nor breaks a run
			case isInner:
				*innerDocs = append(*innerDocs, doc)
			default:
				pend.note(cn)
				pend.docs = append(pend.docs, doc)
			}
		case "attribute_item":
			pend.note(cn)
			if attr, doc, isDoc := x.attribute(c); isDoc {
				pend.docs = append(pend.docs, doc)
			} else {
				pend.attrs = append(pend.attrs, attr)
			}
		case "inner_attribute_item":
			if attr, doc, isDoc := x.attribute(c); isDoc {
				*innerDocs = append(*innerDocs, doc)
			} else {
				*innerAttrs = append(*innerAttrs, attr)
			}
		case "foreign_mod_item":
			abi := ""
			var body int32 = -1
			for k := cn.first; k >= 0; k = x.t.nodes[k].next {
				switch {
				case x.t.typeOf(k) == "extern_modifier":
					abi = x.abi(k)
				case x.t.fieldOf(k) == "body":
					body = k
				}
			}
			if body >= 0 {
				x.list(body, scope{module: sc.module, inline: sc.inline, abi: &abi,
					parent: &Parent{Kind: "extern", Path: sc.module}}, innerDocs, innerAttrs)
			}
			pend.reset()
		case "ERROR":
			if semi, ok := x.foreignType(c, sc); ok {
				x.recoverForeignType(c, semi, sc, &pend)
				c = semi // the ";" is part of the item
			} else if sc.depth < MaxNesting {
				errScope := sc
				errScope.depth++
				x.list(c, errScope, innerDocs, innerAttrs)
			} else {
				x.file.TooDeep++
			}
			pend.reset()
		default:
			if kind, ok := itemKinds[t]; ok {
				x.item(c, kind, sc, &pend)
			}
			pend.reset()
		}
	}
}

// itemParts are the children of an item node that the extractor reads
// (-1: absent).
type itemParts struct {
	name, generics, body, returns, trait, typ, value, where, vis, fnMods int32
	unsafe, mutable, negative                                            bool
}

// parts reads an item's fields and modifier keywords in one pass.
func (x *extractor) parts(n int32) itemParts {
	p := itemParts{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, false, false, false}
	for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
		switch x.t.fieldOf(c) {
		case "name":
			p.name = c
		case "type_parameters":
			p.generics = c
		case "body":
			p.body = c
		case "return_type":
			p.returns = c
		case "trait":
			p.trait = c
		case "type":
			p.typ = c
		case "value":
			p.value = c
		case "":
			switch x.t.typeOf(c) {
			case "visibility_modifier":
				p.vis = c
			case "function_modifiers":
				p.fnMods = c
			case "where_clause":
				p.where = c
			case "unsafe":
				p.unsafe = true
			case "mutable_specifier":
				p.mutable = true
			case "!":
				p.negative = true
			}
		}
	}
	return p
}

// item extracts one item node and, for modules, impls and traits, the
// items inside it.
func (x *extractor) item(n int32, kind string, sc scope, pend *pending) {
	nn := &x.t.nodes[n]
	start, startRow := nn.start, nn.startRow
	if pend.start >= 0 {
		start, startRow = pend.start, pend.row
	}
	endRow := nn.endRow
	if nn.endCol == 0 && endRow > startRow { // the node ends with its newline
		endRow--
	}
	it := Item{
		Kind:       kind,
		Module:     sc.module,
		Visibility: "private",
		Attrs:      pend.attrs,
		StartByte:  start,
		EndByte:    nn.end,
		StartLine:  startRow + 1,
		EndLine:    endRow + 1,
		HasErrors:  nn.hasError,
		Parent:     sc.parent,
	}
	if len(pend.docs) > 0 {
		it.Docs = strings.Join(pend.docs, "\n")
	}
	for _, a := range it.Attrs {
		if a.Name == "derive" {
			it.Derives = append(it.Derives, deriveNames(a.Text)...)
		}
	}
	p := x.parts(n)
	if p.name >= 0 {
		it.Name = x.text(p.name)
	}
	if kind == "macro_call" {
		if m := x.t.field(n, "macro"); m >= 0 {
			it.Name = normalize(x.text(m))
		}
	}
	if p.vis >= 0 {
		it.Visibility = normalize(x.text(p.vis))
	}
	if p.fnMods >= 0 {
		x.fnModifiers(p.fnMods, &it)
	}
	it.Unsafe = it.Unsafe || p.unsafe
	it.Mutable = p.mutable
	it.Negative = p.negative && kind == "impl"
	if sc.abi != nil {
		it.Extern, it.ABI = true, *sc.abi
	}
	if p.generics >= 0 {
		it.Generics = x.text(p.generics)
	}
	if p.where >= 0 {
		it.Where = x.text(p.where)
	}
	body := p.body
	switch kind {
	case "fn":
		if p.returns >= 0 {
			it.Returns = x.text(p.returns)
		}
		it.HasBody = body >= 0
		it.FnKind = fnKind(sc.parent)
	case "struct", "union":
		if body >= 0 {
			it.Fields = x.fields(body)
		}
	case "enum":
		if body >= 0 {
			it.Fields = x.variantFields(body)
		}
	case "const", "static":
		body = p.value
	case "impl":
		it.Impl = &Impl{}
		if p.typ >= 0 {
			it.Impl.SelfType = normalize(x.text(p.typ))
		}
		if p.trait >= 0 {
			it.Impl.Trait = normalize(x.text(p.trait))
		}
		it.Name = it.Impl.SelfType
	case "mod":
		it.HasBody = body >= 0
		if body < 0 {
			decl := ModDecl{Name: it.Name, Inline: sc.inline}
			for _, a := range it.Attrs {
				if a.Name == "path" {
					decl.Path = a.Value()
				}
			}
			x.file.Mods = append(x.file.Mods, decl)
		}
	}
	it.Signature = x.signature(n, body)
	it.Path = x.qualify(&it, sc)

	idx := len(x.file.Items)
	x.file.Items = append(x.file.Items, it)
	if body < 0 {
		return
	}
	var child scope
	switch kind {
	case "mod":
		child = scope{module: joinPath(sc.module, it.Name), inline: append(sc.inline[:len(sc.inline):len(sc.inline)], it.Name)}
	case "impl":
		child = scope{module: sc.module, inline: sc.inline, parent: &Parent{
			Kind: "impl", Path: it.Path, Trait: it.Impl.Trait, SelfType: it.Impl.SelfType}}
	case "trait":
		child = scope{module: sc.module, inline: sc.inline, parent: &Parent{Kind: "trait", Path: it.Path}}
	case "fn": // only the body's leading comments and inner attributes
		child = scope{body: true}
	default:
		return
	}
	if child.depth = sc.depth + 1; !child.body && child.depth > MaxNesting {
		x.file.TooDeep++
		return
	}
	// Inner docs and attributes (//!, #![...]) in the body belong to the
	// item. Items appended meanwhile may move the slice: collect them apart.
	var docs []string
	if it.Docs != "" {
		docs = []string{it.Docs}
	}
	attrs := it.Attrs
	x.list(body, child, &docs, &attrs)
	x.file.Items[idx].Docs, x.file.Items[idx].Attrs = strings.Join(docs, "\n"), attrs
}

// foreignType recognises tree-sitter's parse of a foreign type in an
// extern block, `pub type Name;`, which this grammar does not know: an
// ERROR holding a visibility, "type" and a name, then a lone ";". It
// returns the ";" node.
func (x *extractor) foreignType(errNode int32, sc scope) (semi int32, ok bool) {
	if sc.abi == nil {
		return -1, false
	}
	var types []string
	for c := x.t.nodes[errNode].first; c >= 0; c = x.t.nodes[c].next {
		types = append(types, x.t.typeOf(c))
	}
	semi = x.t.nodes[errNode].next
	if len(types) != 3 || types[0] != "visibility_modifier" || types[1] != "type" || types[2] != "identifier" ||
		semi < 0 || x.t.typeOf(semi) != "empty_statement" {
		return -1, false
	}
	return semi, true
}

// recoverForeignType records the foreign type that foreignType found.
func (x *extractor) recoverForeignType(errNode, semi int32, sc scope, pend *pending) {
	en, sn := &x.t.nodes[errNode], &x.t.nodes[semi]
	vis := en.first
	name := x.t.nodes[x.t.nodes[vis].next].next
	start, startRow := en.start, en.startRow
	if pend.start >= 0 {
		start, startRow = pend.start, pend.row
	}
	it := Item{
		Kind: "type", Name: x.text(name), Module: sc.module, Visibility: normalize(x.text(vis)),
		Attrs: pend.attrs, Extern: true, ABI: *sc.abi, Parent: sc.parent,
		Signature: strings.TrimSuffix(string(x.src[en.start:sn.end]), ";"),
		StartByte: start, EndByte: sn.end, StartLine: startRow + 1, EndLine: sn.endRow + 1,
		HasErrors: true, // tree-sitter reported the error, though rustc accepts the syntax
	}
	if len(pend.docs) > 0 {
		it.Docs = strings.Join(pend.docs, "\n")
	}
	it.Path = x.qualify(&it, sc)
	x.file.Items = append(x.file.Items, it)
}

func fnKind(p *Parent) string {
	switch {
	case p == nil:
		return "free"
	case p.Kind == "trait":
		return "trait_method"
	case p.Kind == "extern":
		return "extern"
	case p.Trait != "":
		return "trait_impl_method"
	}
	return "method"
}

// qualify builds an item's qualified path.
// fields reads the field types of a struct's or union's body: named
// fields, or the positions of a tuple struct's.
func (x *extractor) fields(body int32) map[string]string {
	m := map[string]string{}
	pos := 0
	for c := x.t.nodes[body].first; c >= 0; c = x.t.nodes[c].next {
		switch x.t.typeOf(c) {
		case "field_declaration":
			name, typ := x.t.field(c, "name"), x.t.field(c, "type")
			if name >= 0 && typ >= 0 {
				m[x.text(name)] = normalize(x.text(typ))
			}
		case "visibility_modifier", "attribute_item", "line_comment", "block_comment":
		default:
			if x.t.nodes[c].named && x.t.fieldOf(c) == "type" {
				m[strconv.Itoa(pos)] = normalize(x.text(c))
				pos++
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// variantFields reads the field types of an enum's variants, keyed
// Variant.field (Variant.0 for a tuple variant).
func (x *extractor) variantFields(body int32) map[string]string {
	m := map[string]string{}
	for v := x.t.nodes[body].first; v >= 0; v = x.t.nodes[v].next {
		if x.t.typeOf(v) != "enum_variant" {
			continue
		}
		name, fields := x.t.field(v, "name"), x.t.field(v, "body")
		if name < 0 || fields < 0 {
			continue
		}
		for f, typ := range x.fields(fields) {
			m[x.text(name)+"."+f] = typ
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func (x *extractor) qualify(it *Item, sc scope) string {
	if it.Kind == "impl" {
		if it.Impl.Trait != "" {
			return joinPath(sc.module, "<"+it.Impl.SelfType+" as "+it.Impl.Trait+">")
		}
		return joinPath(sc.module, it.Impl.SelfType)
	}
	if sc.parent != nil && sc.parent.Kind != "extern" {
		return sc.parent.Path + "::" + it.Name
	}
	return joinPath(sc.module, it.Name)
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "::" + b
}

// fnModifiers reads the keywords of a function_modifiers node.
func (x *extractor) fnModifiers(mods int32, it *Item) {
	for m := x.t.nodes[mods].first; m >= 0; m = x.t.nodes[m].next {
		switch x.t.typeOf(m) {
		case "async":
			it.Async = true
		case "unsafe":
			it.Unsafe = true
		case "const":
			it.Const = true
		case "default":
			it.Default = true
		case "extern_modifier":
			it.Extern, it.ABI = true, x.abi(m)
		}
	}
}

// abi returns the quoted ABI of an extern_modifier, or "".
func (x *extractor) abi(externModifier int32) string {
	for c := x.t.nodes[externModifier].first; c >= 0; c = x.t.nodes[c].next {
		if x.t.typeOf(c) == "string_literal" {
			return strings.Trim(x.text(c), `"`)
		}
	}
	return ""
}

// signature is the item's header as written: from its first keyword (after
// attributes and docs) to its body or value, without trailing space, '=' or ';'.
func (x *extractor) signature(n, body int32) string {
	nn := &x.t.nodes[n]
	end := nn.end
	if body >= 0 {
		end = x.t.nodes[body].start
	}
	s := strings.TrimRight(string(x.src[nn.start:end]), " \t\r\n")
	if body >= 0 && x.t.typeOf(n) != "function_item" && strings.HasSuffix(s, "=") {
		s = strings.TrimRight(s[:len(s)-1], " \t\r\n")
	}
	return strings.TrimSuffix(s, ";")
}

// attribute returns an attribute item's name and text, or its doc text when
// it is #[doc = "..."].
func (x *extractor) attribute(n int32) (attr Attr, doc string, isDoc bool) {
	attr.Text = x.text(n)
	a := int32(-1)
	for c := x.t.nodes[n].first; c >= 0; c = x.t.nodes[c].next {
		if x.t.typeOf(c) == "attribute" {
			a = c
		}
	}
	if a < 0 {
		return attr, "", false
	}
	var value int32 = -1
	for c := x.t.nodes[a].first; c >= 0; c = x.t.nodes[c].next {
		if attr.Name == "" && x.t.nodes[c].named {
			attr.Name = normalize(x.text(c))
		}
		if x.t.fieldOf(c) == "value" {
			value = c
		}
	}
	if attr.Name == "doc" && value >= 0 {
		if s, ok := rustString(x.text(value)); ok {
			return attr, s, true
		}
	}
	return attr, "", false
}

// docText recognises a doc comment by its marker and returns its text:
// "/// x" → " x", "//! x" (inner), "/** x */", "/*! x */" (inner). "////"
// and "/***" start plain comments, as in rustc.
func docText(c []byte) (text string, inner, ok bool) {
	s := string(c)
	switch {
	case strings.HasPrefix(s, "///") && !strings.HasPrefix(s, "////"):
		return strings.TrimRight(s[3:], "\r\n"), false, true
	case strings.HasPrefix(s, "//!"):
		return strings.TrimRight(s[3:], "\r\n"), true, true
	case strings.HasPrefix(s, "/**") && !strings.HasPrefix(s, "/***") && s != "/**/" && strings.HasSuffix(s, "*/"):
		return s[3 : len(s)-2], false, true
	case strings.HasPrefix(s, "/*!") && strings.HasSuffix(s, "*/") && len(s) >= 5:
		return s[3 : len(s)-2], true, true
	}
	return "", false, false
}

// deriveNames lists the paths inside #[derive(A, b::C)].
func deriveNames(attrText string) []string {
	open := strings.IndexByte(attrText, '(')
	close := strings.LastIndexByte(attrText, ')')
	if open < 0 || close < open {
		return nil
	}
	var names []string
	for _, p := range strings.Split(attrText[open+1:close], ",") {
		if p = normalize(p); p != "" {
			names = append(names, p)
		}
	}
	return names
}

// attrValue returns the string of #[name = "value"].
func attrValue(attrText string) string {
	eq := strings.IndexByte(attrText, '=')
	if eq < 0 {
		return ""
	}
	s, _ := rustString(strings.TrimSuffix(strings.TrimSpace(attrText[eq+1:]), "]"))
	return s
}

// rustString decodes a Rust string literal: "..." with escapes or r#"..."#.
func rustString(lit string) (string, bool) {
	lit = strings.TrimSpace(lit)
	if strings.HasPrefix(lit, "r") {
		body := strings.Trim(lit[1:], "#")
		if len(body) >= 2 && body[0] == '"' && body[len(body)-1] == '"' {
			return body[1 : len(body)-1], true
		}
		return "", false
	}
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", false
	}
	body := lit[1 : len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case '\\', '"', '\'':
			b.WriteByte(body[i])
		case '\n': // line continuation: skip the newline and leading whitespace
			for i+1 < len(body) && strings.IndexByte(" \t\r\n", body[i+1]) >= 0 {
				i++
			}
		case 'x':
			if i+2 < len(body) {
				if v, err := strconv.ParseUint(body[i+1:i+3], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 2
				}
			}
		case 'u':
			if end := strings.IndexByte(body[i:], '}'); i+1 < len(body) && body[i+1] == '{' && end > 0 {
				if v, err := strconv.ParseUint(strings.ReplaceAll(body[i+2:i+end], "_", ""), 16, 32); err == nil {
					b.WriteRune(rune(v))
				}
				i += end
			}
		default:
			b.WriteByte('\\')
			b.WriteByte(body[i])
		}
	}
	return b.String(), true
}

// normalize writes a type, path or visibility on one line without
// incidental spaces: "Vec< T >" → "Vec<T>", "HashMap<K,\n V>" → "HashMap<K, V>",
// while keeping the spaces words need ("dyn Fn", "&'a mut T", "T as U").
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var prev byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space && b.Len() > 0 && wordByte(prev) && wordByte(c) {
			b.WriteByte(' ')
		}
		if prev == ',' && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
		prev = c
	}
	return b.String()
}

func wordByte(c byte) bool {
	return c == '_' || c == '\'' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
