package ndjson

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// The shared fields of the record contract are read here, and only here,
// with their errors: a tool never reads "id", "kind", "text" or "source"
// with its own json.Unmarshal.

// Head is the shared fields of a record, for a producer's record type to
// embed beside the field it owns:
//
//	struct{ ndjson.Head; Rust rust.ItemField `json:"rust"` }
type Head struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Source Source `json:"source"`
}

// Source is the shared "source" field: where a record's text comes from.
// A source with a Path is a span of that file and always writes its line
// and byte range (start_byte 0 is a place, not an absence); other sources
// write only what is set.
type Source struct {
	Repo      string `json:"repo,omitempty"`
	Commit    string `json:"commit,omitempty"`
	Path      string `json:"path,omitempty"`
	URL       string `json:"url,omitempty"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	StartByte int    `json:"start_byte,omitempty"`
	EndByte   int    `json:"end_byte,omitempty"`
}

// MarshalJSON writes a file span whole and anything else without empty fields.
func (s Source) MarshalJSON() ([]byte, error) {
	if s.Path == "" {
		type others Source
		return Marshal(others(s))
	}
	return Marshal(struct {
		Repo      string `json:"repo,omitempty"`
		Commit    string `json:"commit,omitempty"`
		Path      string `json:"path"`
		URL       string `json:"url,omitempty"`
		StartLine int    `json:"start_line"`
		EndLine   int    `json:"end_line"`
		StartByte int    `json:"start_byte"`
		EndByte   int    `json:"end_byte"`
	}(s))
}

// ErrNoText reports a record without the text a tool works on.
var ErrNoText = errors.New(`missing field "text"`)

// ID returns the record's "id" as text: a string as it is, a number or a
// boolean as its JSON literal (42 and "42" are the same id), "" when there is
// none or it is null. An object or an array is an error.
func (r *Record) ID() (string, error) {
	raw := r.Get("id")
	if raw == nil || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf(`field "id": %w`, err)
		}
		return s, nil
	case '{', '[':
		return "", fmt.Errorf(`field "id": want a string or a number, not %s`, jsonType(raw))
	}
	return string(raw), nil
}

// Kind returns the record's "kind", "" when there is none.
func (r *Record) Kind() (string, error) {
	return r.optionalString("kind")
}

// Text returns the record's "text": a non-empty string. A missing, null or
// empty text, or one that is not a string, is an error, for a tool that
// needs the text reports its absence like any bad line.
func (r *Record) Text() (string, error) {
	raw := r.Get("text")
	if raw == nil || string(raw) == "null" {
		return "", ErrNoText
	}
	var s string
	if raw[0] != '"' {
		return "", fmt.Errorf(`field "text": want a string, not %s`, jsonType(raw))
	}
	if err := unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf(`field "text": %w`, err)
	}
	if s == "" {
		return "", errors.New(`field "text" is empty`)
	}
	return s, nil
}

// Source returns the record's "source"; the zero Source when there is none.
func (r *Record) Source() (Source, error) {
	var s Source
	raw := r.Get("source")
	if raw == nil || string(raw) == "null" {
		return s, nil
	}
	if raw[0] != '{' {
		return s, fmt.Errorf(`field "source": want an object, not %s`, jsonType(raw))
	}
	if err := unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf(`field "source": %w`, err)
	}
	return s, nil
}

func (r *Record) optionalString(key string) (string, error) {
	raw := r.Get(key)
	if raw == nil || string(raw) == "null" {
		return "", nil
	}
	if raw[0] != '"' {
		return "", fmt.Errorf("field %q: want a string, not %s", key, jsonType(raw))
	}
	var s string
	if err := unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("field %q: %w", key, err)
	}
	return s, nil
}

// jsonType names the type of a raw JSON value for error messages.
func jsonType(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// NewID is the one id derivation of every tool: prefix and the first 20 hex
// digits of the SHA-256 of the parts, each ended by a NUL byte. Pass what
// makes the record what it is (the id it was made from, its place, its
// text), never anything random or per process.
func NewID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + hex.EncodeToString(h.Sum(nil)[:10])
}
