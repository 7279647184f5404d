package rust

import "time"

// Span is the byte range of one syntax node.
type Span struct {
	Start, End int
	Type       string
}

// FIMNodes are the node types a structure-aware fill-in-the-middle split
// takes whole: blocks (function bodies among them), match arms, argument
// lists, and the fields of a struct.
var FIMNodes = []string{"block", "match_arm", "arguments", "field_declaration_list"}

// NodeSpans returns the spans of src's nodes of the given types, in order,
// leaving out empty ones and any tree-sitter flagged with errors.
func NodeSpans(src []byte, types []string, limit time.Duration) ([]Span, error) {
	t, err := parseFlat(src, limit, true)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, ty := range types {
		want[ty] = true
	}
	var out []Span
	for i := range t.nodes {
		n := &t.nodes[i]
		if ty := t.typeOf(int32(i)); want[ty] && n.end > n.start && !n.hasError {
			out = append(out, Span{n.start, n.end, ty})
		}
	}
	return out, nil
}
