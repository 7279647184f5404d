package rust

import "strings"

// Item is one Rust item found in a file.
type Item struct {
	Kind   string `json:"-"`      // the record's kind: fn, struct, enum, union, trait, impl, mod, macro, macro_call, const, static, type
	Name   string `json:"name"`   // the item's identifier; for an impl, its self type
	Path   string `json:"path"`   // qualified path, e.g. router::core::Payment::new or m::<T as From<U>>::from
	Module string `json:"module"` // the module that holds the item, inline modules included

	Visibility string `json:"visibility"` // pub, pub(crate), pub(super), pub(self), pub(in a::b), crate, or private (no modifier)
	Async      bool   `json:"async,omitempty"`
	Unsafe     bool   `json:"unsafe,omitempty"`
	Const      bool   `json:"const,omitempty"`
	Default    bool   `json:"default,omitempty"` // `default fn` (specialization)
	Extern     bool   `json:"extern,omitempty"`  // `extern "abi" fn`, or declared in an extern block
	ABI        string `json:"abi,omitempty"`     // the extern ABI when written
	Mutable    bool   `json:"mutable,omitempty"` // static mut
	Negative   bool   `json:"negative,omitempty"`

	Attrs   []Attr   `json:"attrs,omitempty"`   // outer attributes (doc attributes go to Docs)
	Derives []string `json:"derives,omitempty"` // names inside #[derive(...)]
	Docs    string   `json:"docs,omitempty"`    // outer doc comments and #[doc] text; for modules also inner ones

	Signature string `json:"signature,omitempty"` // the header before the body or value, as written
	Generics  string `json:"generics,omitempty"`
	Where     string `json:"where,omitempty"`
	Returns   string `json:"returns,omitempty"`
	HasBody   bool   `json:"has_body,omitempty"` // fn with a body; mod with an inline body

	FnKind string            `json:"fn_kind,omitempty"` // free, method, trait_impl_method, trait_method, extern
	Fields map[string]string `json:"fields,omitempty"`  // struct, union: field name (0, 1, ... for a tuple struct) → its type as written; enum: Variant.field → type
	Impl   *Impl             `json:"impl,omitempty"`    // for impl items
	Parent *Parent           `json:"parent,omitempty"`  // the impl, trait or extern block holding the item

	StartByte int  `json:"-"`
	EndByte   int  `json:"-"`
	StartLine int  `json:"-"`
	EndLine   int  `json:"-"`
	HasErrors bool `json:"has_errors,omitempty"` // tree-sitter reported a syntax error inside
}

// Attr is one attribute as written and its path, e.g.
// {Name: "serde", Text: `#[serde(rename = "x")]`}.
type Attr struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Value is the string of #[name = "value"] ("" when it has none).
func (a Attr) Value() string { return attrValue(a.Text) }

// Args is what the parentheses of #[name(...)] hold: `feature = "std"` for
// #[cfg(feature = "std")].
func (a Attr) Args() (string, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Text), "]"))
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return "", false
	}
	return strings.TrimSpace(s[open+1 : len(s)-1]), true
}

// Impl is the context of an impl block: `impl Trait for SelfType`.
type Impl struct {
	Trait    string `json:"trait,omitempty"` // with its generic arguments, e.g. From<ApiError>; empty for inherent impls
	SelfType string `json:"self_type"`
}

// Parent names the impl, trait or extern block an item sits in.
type Parent struct {
	Kind     string `json:"kind"` // impl, trait, extern
	Path     string `json:"path"`
	Trait    string `json:"trait,omitempty"`
	SelfType string `json:"self_type,omitempty"`
}

// ModDecl is a `mod name;` declaration (a module in another file).
type ModDecl struct {
	Name   string   // module name
	Path   string   // the #[path = "..."] value, if any
	Inline []string // the inline modules the declaration sits in, outermost first
}

// File is what Extract finds in one source file.
type File struct {
	Items     []Item
	Docs      string    // inner doc comments (//! and /*! */) at file level
	Attrs     []Attr    // inner attributes (#![...]) at file level
	Mods      []ModDecl // out-of-line module declarations
	HasErrors bool      // tree-sitter reported a syntax error somewhere
	TooDeep   int       // items nested over MaxNesting deep whose children were not extracted
}
