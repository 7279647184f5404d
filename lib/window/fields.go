package window

// The record fields dw-tokwindow writes; every tool that reads them decodes
// through these types.

// TokensField is the "tokens" field: the record's exact token count.
type TokensField struct {
	Count     int    `json:"count"`
	Tokenizer string `json:"tokenizer"`
}

// WindowField is the "window" field of a record cut from a longer one.
type WindowField struct {
	Source        string `json:"source"` // the id of the record it was cut from
	Index         int    `json:"index"`
	Of            int    `json:"of"`
	ByteStart     int    `json:"byte_start"` // its text is the source's text[ByteStart:ByteEnd]
	ByteEnd       int    `json:"byte_end"`
	OverlapBytes  int    `json:"overlap_bytes"` // the first bytes repeat the previous window's end
	OverlapTokens int    `json:"overlap_tokens"`
	TokenStart    int    `json:"token_start"`
	TokenEnd      int    `json:"token_end"`
}

// NewWindowField describes window i of n cut from the record source.
func NewWindowField(source string, i, n int, w Window) WindowField {
	return WindowField{Source: source, Index: i, Of: n, ByteStart: w.Start, ByteEnd: w.End,
		OverlapBytes: w.OverlapEnd - w.Start, OverlapTokens: w.OverlapTokens,
		TokenStart: w.TokenStart, TokenEnd: w.TokenStart + w.Tokens}
}

// PackField is the "window" field of a record that packs several.
type PackField struct {
	Packed []string `json:"packed"` // the ids of the packed records, in order
	Group  string   `json:"group,omitempty"`
}
