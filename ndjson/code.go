package ndjson

import (
	"fmt"
	"unicode/utf8"
)

// Code is the shared "code" field: the byte ranges of a record's text that
// are source code, in order, when the text also holds other things (a
// rendered header, documentation). dw-render writes it; every tool that
// changes text keeps it true (dw-tokwindow clips it to a window and shifts
// it into a pack); dw-fim chooses middles only inside it. A record without
// the field is all code, or none of it is known not to be.
type Code [][2]int

// Code returns the record's "code" ranges, checked against its text, and
// whether it has the field. Ranges must be in order, apart, within the text
// and on character boundaries: anything else is an error, a bad line.
func (r *Record) Code(text string) (Code, bool, error) {
	raw := r.Get("code")
	if raw == nil || string(raw) == "null" {
		return nil, false, nil
	}
	var c Code
	if err := unmarshal(raw, &c); err != nil {
		return nil, true, fmt.Errorf(`field "code": %w`, err)
	}
	end := 0
	for _, rg := range c {
		a, b := rg[0], rg[1]
		if a < end || b < a || b > len(text) || !boundary(text, a) || !boundary(text, b) {
			return nil, true, fmt.Errorf(`field "code": range [%d, %d] is not a span of the text's %d bytes after the one before`, a, b, len(text))
		}
		end = b
	}
	return c, true, nil
}

// boundary tells whether i is a character boundary of text.
func boundary(text string, i int) bool { return i == len(text) || utf8.RuneStart(text[i]) }

// Clip returns the parts of the ranges inside [start, end), shifted so
// that start becomes 0: the code of text[start:end].
func (c Code) Clip(start, end int) Code {
	out := Code{}
	for _, r := range c {
		a, b := max(r[0], start), min(r[1], end)
		if a < b {
			out = append(out, [2]int{a - start, b - start})
		}
	}
	return out
}

// Shift returns the ranges moved by off bytes: the code of a text placed at
// off in a longer one.
func (c Code) Shift(off int) Code {
	out := make(Code, len(c))
	for i, r := range c {
		out[i] = [2]int{r[0] + off, r[1] + off}
	}
	return out
}

// Delete removes key from the record, if it is there.
func (r *Record) Delete(key string) {
	for i := range r.Fields {
		if r.Fields[i].Key == key {
			r.Fields = append(r.Fields[:i], r.Fields[i+1:]...)
			return
		}
	}
}
