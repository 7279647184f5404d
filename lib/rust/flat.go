package rust

// #include <stdlib.h>
// #include "flat.h"
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	// The tree-sitter runtime and the Rust grammar that flat.c calls are
	// compiled by these packages.
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/rust"
)

// node is one syntax node of a flat tree. first and next link a node's
// children in order (-1: none).
type node struct {
	start, end               int
	startRow, endRow, endCol int
	parent, first, next      int32
	sym, field               uint16
	named, hasError          bool
}

// flatTree is the part of a file's syntax tree the extractor reads: item
// lists, items and their direct children, attributes and modifiers.
type flatTree struct {
	nodes    []node
	hasError bool
}

const errorSymbol = 0xFFFF // tree-sitter's ERROR node

var (
	language    = C.tree_sitter_rust()
	symbolNames []string // symbol id → node type
	fieldNames  []string // field id → field name
)

// descendInto lists the node types whose children the extractor reads.
var descendInto = []string{
	"source_file", "declaration_list", "foreign_mod_item",
	"function_item", "function_signature_item", "struct_item", "enum_item", "union_item",
	"trait_item", "impl_item", "mod_item", "macro_definition", "const_item", "static_item",
	"type_item", "associated_type",
	"field_declaration_list", "ordered_field_declaration_list", "field_declaration", // field types
	"enum_variant_list", "enum_variant", // and the variants' fields
	"attribute_item", "inner_attribute_item", "attribute", "function_modifiers", "extern_modifier",
	"macro_invocation", // its name; the token tree stays unwalked
	"block",            // prefix only: see bodyPrefix
}

// bodyPrefix is what the walk keeps of a block (a function body): the
// leading inner attributes and doc comments, which belong to the function.
var bodyPrefix = []string{"{", "line_comment", "block_comment", "inner_attribute_item"}

func init() {
	n := C.ts_language_symbol_count(language)
	symbolNames = make([]string, n)
	for i := range n {
		symbolNames[i] = C.GoString(C.ts_language_symbol_name(language, C.TSSymbol(i)))
	}
	fieldNames = make([]string, C.ts_language_field_count(language)+1)
	for i := range fieldNames {
		if name := C.ts_language_field_name_for_id(language, C.TSFieldId(i)); name != nil {
			fieldNames[i] = C.GoString(name)
		}
	}
	want := map[string]bool{}
	for _, t := range descendInto {
		want[t] = true
	}
	keep := map[string]bool{}
	for _, t := range bodyPrefix {
		keep[t] = true
	}
	for i, name := range symbolNames {
		if want[name] {
			C.dw_descend[i] = 1
		}
		if name == "block" {
			C.dw_prefix_only[i] = 1
		}
		if keep[name] {
			C.dw_prefix_keep[i] = 1
		}
	}
	C.dw_descend[errorSymbol] = 1 // tree-sitter's recovery: items may be inside
}

// cParser owns a C parser; the finalizer frees it when the pool drops it.
type cParser struct{ p *C.TSParser }

var cParsers = sync.Pool{New: func() any {
	cp := &cParser{C.ts_parser_new()}
	C.ts_parser_set_language(cp.p, language)
	runtime.SetFinalizer(cp, func(cp *cParser) { C.ts_parser_delete(cp.p) })
	return cp
}}

// parseFlat parses src in one call into C and returns its flat tree: the
// item-level nodes, or every node when full is set.
func parseFlat(src []byte, limit time.Duration, full bool) (*flatTree, error) {
	if len(src) > 1<<31 {
		return nil, fmt.Errorf("source of %d bytes is over tree-sitter's 2 GiB limit", len(src))
	}
	cp := cParsers.Get().(*cParser)
	defer cParsers.Put(cp)
	var flat C.dw_flat
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0])) // read during the call only
	}
	rc := C.dw_parse(cp.p, ptr, C.uint32_t(len(src)), C.uint64_t(limit.Microseconds()), C.bool(full), &flat)
	runtime.KeepAlive(src)
	defer C.dw_free(&flat)
	switch rc {
	case -1:
		return nil, fmt.Errorf("%w (%s)", ErrTimeout, limit)
	case -2:
		return nil, fmt.Errorf("out of memory while flattening a %d-byte file", len(src))
	}
	cnodes := unsafe.Slice(flat.nodes, flat.len)
	t := &flatTree{nodes: make([]node, len(cnodes)), hasError: bool(flat.has_error)}
	last := make([]int32, len(cnodes)) // last child seen per node
	for i, c := range cnodes {
		t.nodes[i] = node{
			start: int(c.start_byte), end: int(c.end_byte),
			startRow: int(c.start_row), endRow: int(c.end_row), endCol: int(c.end_col),
			parent: int32(c.parent), first: -1, next: -1,
			sym: uint16(c.symbol), field: uint16(c.field),
			named: c.flags&C.DW_NAMED != 0, hasError: c.flags&C.DW_HAS_ERROR != 0,
		}
		last[i] = -1
		if p := c.parent; p >= 0 {
			if last[p] < 0 {
				t.nodes[p].first = int32(i)
			} else {
				t.nodes[last[p]].next = int32(i)
			}
			last[p] = int32(i)
		}
	}
	return t, nil
}

// typeOf returns the node type of node i.
func (t *flatTree) typeOf(i int32) string {
	if s := int(t.nodes[i].sym); s < len(symbolNames) {
		return symbolNames[s]
	}
	return "ERROR"
}

// field returns the child of n under the field name, or -1.
func (t *flatTree) field(n int32, name string) int32 {
	for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
		if t.fieldOf(c) == name {
			return c
		}
	}
	return -1
}

// fieldOf returns the field name under which node i sits in its parent.
func (t *flatTree) fieldOf(i int32) string {
	if f := int(t.nodes[i].field); f < len(fieldNames) {
		return fieldNames[f]
	}
	return ""
}
