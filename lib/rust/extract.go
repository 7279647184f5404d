package rust

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	tsrust "github.com/smacker/go-tree-sitter/rust"
)

var (
	language    = tsrust.GetLanguage()
	symbolNames []string // tree-sitter symbol id → node type, without an allocation per look-up
)

func init() {
	n := language.SymbolCount()
	symbolNames = make([]string, n)
	for i := range n {
		symbolNames[i] = language.SymbolName(sitter.Symbol(i))
	}
}

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
}

// Kinds lists the item kinds Extract emits, in a fixed order.
var Kinds = []string{"fn", "struct", "enum", "union", "trait", "impl", "mod", "macro", "const", "static", "type"}

var parsers = sync.Pool{New: func() any {
	p := sitter.NewParser()
	p.SetLanguage(language)
	return p
}}

// ErrParseCancelled reports a parse stopped by its context (a time limit).
var ErrParseCancelled = errors.New("parse cancelled")

// Extract parses src and returns its items. module is the module path of
// the file (e.g. "router::core"); items' Path and Module build on it.
// Extract is safe for concurrent use.
func Extract(ctx context.Context, src []byte, module string) (*File, error) {
	p := parsers.Get().(*sitter.Parser)
	tree, err := p.ParseCtx(ctx, nil, src)
	if err != nil {
		p.Reset()
		parsers.Put(p)
		return nil, errors.Join(ErrParseCancelled, err)
	}
	parsers.Put(p)
	defer tree.Close()
	root := tree.RootNode()
	x := &extractor{src: src, file: &File{HasErrors: root.HasError()}}
	x.list(root, scope{module: module}, nil)
	return x.file, nil
}

type extractor struct {
	src  []byte
	file *File
}

// scope is where a list of items sits.
type scope struct {
	module string   // module path, inline modules included
	inline []string // inline modules since the file's root
	parent *Parent  // the impl, trait or extern block, if any
	abi    *string  // the ABI of an extern block
}

// typeOf returns a node's type. tree-sitter gives ERROR nodes the symbol
// 0xFFFF, outside the language's table.
func typeOf(n *sitter.Node) string {
	if s := int(n.Symbol()); s < len(symbolNames) {
		return symbolNames[s]
	}
	return "ERROR"
}

func (x *extractor) text(n *sitter.Node) string {
	return string(x.src[n.StartByte():n.EndByte()])
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

func (p *pending) note(n *sitter.Node) {
	if p.start < 0 {
		p.start, p.row = int(n.StartByte()), int(n.StartPoint().Row)
	}
}

// list extracts the items of a source file or a declaration list. inner
// receives inner doc comments and attributes (#![...], //!), which belong
// to the enclosing module; nil means the file.
func (x *extractor) list(n *sitter.Node, sc scope, inner *Item) {
	var pend pending
	pend.reset()
	count := int(n.ChildCount())
	for i := range count {
		c := n.Child(i)
		t := typeOf(c)
		switch t {
		case "line_comment", "block_comment":
			doc, isInner, ok := docText(x.src[c.StartByte():c.EndByte()])
			switch {
			case !ok: // a plain comment: neither attaches nor breaks a run
			case isInner:
				x.innerDoc(inner, doc)
			default:
				pend.note(c)
				pend.docs = append(pend.docs, doc)
			}
		case "attribute_item":
			pend.note(c)
			attr, doc, isDoc := x.attribute(c)
			if isDoc {
				pend.docs = append(pend.docs, doc)
			} else {
				pend.attrs = append(pend.attrs, attr)
			}
		case "inner_attribute_item":
			attr, doc, isDoc := x.attribute(c)
			if isDoc {
				x.innerDoc(inner, doc)
			} else if inner != nil {
				inner.Attrs = append(inner.Attrs, attr)
			} else {
				x.file.Attrs = append(x.file.Attrs, attr)
			}
		case "foreign_mod_item":
			abi := ""
			if em := childOfType(c, "extern_modifier"); em != nil {
				abi = x.abi(em)
			}
			if body := c.ChildByFieldName("body"); body != nil {
				x.list(body, scope{module: sc.module, inline: sc.inline, abi: &abi,
					parent: &Parent{Kind: "extern", Path: sc.module}}, inner)
			}
			pend.reset()
		case "ERROR":
			x.list(c, sc, inner) // tree-sitter's recovery: items may still be inside
			pend.reset()
		default:
			if kind, ok := itemKinds[t]; ok {
				x.item(c, kind, sc, &pend)
			}
			pend.reset()
		}
	}
}

func (x *extractor) innerDoc(inner *Item, doc string) {
	if inner != nil {
		inner.Docs = joinDoc(inner.Docs, doc)
	} else {
		x.file.Docs = joinDoc(x.file.Docs, doc)
	}
}

func joinDoc(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// item extracts one item node and, for modules, impls and traits, the
// items inside it.
func (x *extractor) item(n *sitter.Node, kind string, sc scope, pend *pending) {
	start, startRow := int(n.StartByte()), int(n.StartPoint().Row)
	if pend.start >= 0 {
		start, startRow = pend.start, pend.row
	}
	end, endPoint := int(n.EndByte()), n.EndPoint()
	endRow := int(endPoint.Row)
	if endPoint.Column == 0 && endRow > startRow { // the node ends with its newline
		endRow--
	}
	it := Item{
		Kind:       kind,
		Module:     sc.module,
		Visibility: "private",
		Attrs:      pend.attrs,
		StartByte:  start,
		EndByte:    end,
		StartLine:  startRow + 1,
		EndLine:    endRow + 1,
		HasErrors:  n.HasError(),
	}
	if len(pend.docs) > 0 {
		it.Docs = strings.Join(pend.docs, "\n")
	}
	for _, a := range it.Attrs {
		if a.Name == "derive" {
			it.Derives = append(it.Derives, deriveNames(a.Text)...)
		}
	}
	if name := n.ChildByFieldName("name"); name != nil {
		it.Name = x.text(name)
	}
	x.modifiers(n, &it)
	if sc.abi != nil {
		it.Extern, it.ABI = true, *sc.abi
	}
	if tp := n.ChildByFieldName("type_parameters"); tp != nil {
		it.Generics = x.text(tp)
	}
	if wc := childOfType(n, "where_clause"); wc != nil {
		it.Where = x.text(wc)
	}
	body := n.ChildByFieldName("body")
	switch kind {
	case "fn":
		if rt := n.ChildByFieldName("return_type"); rt != nil {
			it.Returns = x.text(rt)
		}
		it.HasBody = body != nil
		it.FnKind = fnKind(sc.parent)
	case "const", "static":
		body = n.ChildByFieldName("value")
	case "impl":
		it.Impl = &Impl{SelfType: normalize(x.fieldText(n, "type"))}
		if tr := n.ChildByFieldName("trait"); tr != nil {
			it.Impl.Trait = normalize(x.text(tr))
		}
		it.Name = it.Impl.SelfType
	case "mod":
		it.HasBody = body != nil
		if body == nil {
			decl := ModDecl{Name: it.Name, Inline: sc.inline}
			for _, a := range it.Attrs {
				if a.Name == "path" {
					decl.Path = attrValue(a.Text)
				}
			}
			x.file.Mods = append(x.file.Mods, decl)
		}
	}
	it.Signature = x.signature(n, body)
	it.Path = x.qualify(&it, sc)
	if sc.parent != nil {
		it.Parent = sc.parent
	}

	idx := len(x.file.Items)
	x.file.Items = append(x.file.Items, it)
	if body == nil {
		return
	}
	switch kind {
	case "mod":
		inner := &x.file.Items[idx]
		child := scope{module: joinPath(sc.module, it.Name), inline: append(sc.inline[:len(sc.inline):len(sc.inline)], it.Name)}
		// Items appended below may move the slice: collect inner docs on a copy.
		holder := Item{Docs: inner.Docs, Attrs: inner.Attrs}
		x.list(body, child, &holder)
		x.file.Items[idx].Docs, x.file.Items[idx].Attrs = holder.Docs, holder.Attrs
	case "impl":
		x.list(body, scope{module: sc.module, inline: sc.inline, parent: &Parent{
			Kind: "impl", Path: it.Path, Trait: it.Impl.Trait, SelfType: it.Impl.SelfType}}, nil)
	case "trait":
		x.list(body, scope{module: sc.module, inline: sc.inline, parent: &Parent{Kind: "trait", Path: it.Path}}, nil)
	}
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

func (x *extractor) fieldText(n *sitter.Node, field string) string {
	if c := n.ChildByFieldName(field); c != nil {
		return x.text(c)
	}
	return ""
}

// modifiers reads visibility and the keywords before the item's name.
func (x *extractor) modifiers(n *sitter.Node, it *Item) {
	for i := range int(n.ChildCount()) {
		c := n.Child(i)
		switch typeOf(c) {
		case "visibility_modifier":
			it.Visibility = normalize(x.text(c))
		case "function_modifiers":
			for j := range int(c.ChildCount()) {
				m := c.Child(j)
				switch typeOf(m) {
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
		case "unsafe":
			it.Unsafe = true
		case "mutable_specifier":
			it.Mutable = true
		case "!":
			it.Negative = true
		case "identifier", "type_identifier", "block", "declaration_list", "field_declaration_list",
			"enum_variant_list", "ordered_field_declaration_list", "parameters", "token_tree":
			return // modifiers come before the name and the body
		}
	}
}

func (x *extractor) abi(externModifier *sitter.Node) string {
	if s := childOfType(externModifier, "string_literal"); s != nil {
		return strings.Trim(x.text(s), `"`)
	}
	return ""
}

// signature is the item's header as written: from its first keyword (after
// attributes and docs) to its body or value, without trailing space, '=' or ';'.
func (x *extractor) signature(n, body *sitter.Node) string {
	end := n.EndByte()
	if body != nil {
		end = body.StartByte()
	}
	s := strings.TrimRight(string(x.src[n.StartByte():end]), " \t\r\n")
	if body != nil && typeOf(n) != "function_item" && strings.HasSuffix(s, "=") {
		s = strings.TrimRight(s[:len(s)-1], " \t\r\n")
	}
	return strings.TrimSuffix(s, ";")
}

// attribute returns an attribute item's name and text, or its doc text when
// it is #[doc = "..."].
func (x *extractor) attribute(n *sitter.Node) (attr Attr, doc string, isDoc bool) {
	attr.Text = x.text(n)
	a := childOfType(n, "attribute")
	if a == nil {
		return attr, "", false
	}
	if a.NamedChildCount() > 0 {
		attr.Name = normalize(x.text(a.NamedChild(0)))
	}
	if attr.Name == "doc" {
		if v := a.ChildByFieldName("value"); v != nil {
			if s, ok := rustString(x.text(v)); ok {
				return attr, s, true
			}
		}
	}
	return attr, "", false
}

func childOfType(n *sitter.Node, t string) *sitter.Node {
	for i := range int(n.ChildCount()) {
		if c := n.Child(i); typeOf(c) == t {
			return c
		}
	}
	return nil
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
