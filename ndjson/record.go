package ndjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Field is one top-level member of a record, its value kept as raw JSON.
type Field struct {
	Key   string
	Value json.RawMessage
}

// Record is one JSON object whose top-level fields keep their order and
// their exact bytes, so a filter can change the fields it owns and pass the
// rest through unchanged.
type Record struct {
	Fields []Field
}

// ErrNotObject reports a line that is valid JSON but not an object.
var ErrNotObject = errors.New("not a JSON object")

// ParseRecord parses one line into a Record. The values are copied, so line
// may be reused afterwards.
func ParseRecord(line []byte) (*Record, error) { return parseRecord(line, true) }

// ParseOwnedRecord is ParseRecord for a line the caller hands over: the
// values slice into it, with no copy, so it must not be changed afterwards.
func ParseOwnedRecord(line []byte) (*Record, error) { return parseRecord(line, false) }

func parseRecord(line []byte, copyLine bool) (*Record, error) {
	if !valid(line) {
		return nil, invalid(line)
	}
	// Valid JSON: the top-level fields can be found by a plain scan.
	buf := bytes.TrimSpace(line)
	if len(buf) == 0 || buf[0] != '{' {
		return nil, ErrNotObject
	}
	if copyLine {
		buf = append([]byte(nil), buf...) // one copy; the values slice into it
	}
	rec := &Record{Fields: make([]Field, 0, 8)}
	var index map[string]int // of the keys, once there are many: Set is linear
	i := skipSpace(buf, 1)
	for buf[i] != '}' {
		end := skipString(buf, i)
		key := string(buf[i+1 : end-1])
		if bytes.IndexByte(buf[i:end], '\\') >= 0 || !utf8.Valid(buf[i+1:end-1]) {
			if err := unmarshal(buf[i:end], &key); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
		}
		i = skipSpace(buf, skipSpace(buf, end)+1) // past ':'
		vend := skipValue(buf, i)
		switch {
		case len(rec.Fields) < 32:
			rec.Set(key, buf[i:vend:vend])
		default:
			if index == nil {
				index = make(map[string]int, 64)
				for j, f := range rec.Fields {
					index[f.Key] = j
				}
			}
			if j, dup := index[key]; dup {
				rec.Fields[j].Value = buf[i:vend:vend]
			} else {
				index[key] = len(rec.Fields)
				rec.Fields = append(rec.Fields, Field{key, buf[i:vend:vend]})
			}
		}
		i = skipSpace(buf, vend)
		if buf[i] == ',' {
			i = skipSpace(buf, i+1)
		}
	}
	return rec, nil
}

// invalid explains why a line is not a JSON object, in encoding/json's words.
func invalid(line []byte) error {
	var v any
	if err := json.Unmarshal(line, &v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return errors.New("invalid JSON")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the offset after the JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[i])) {
		i++
	}
	return i
}

// Clone returns a copy of the record that can be changed apart; the raw
// values, which are never written to, are shared.
func (r *Record) Clone() *Record {
	return &Record{Fields: append([]Field(nil), r.Fields...)}
}

// Get returns the raw value of key, or nil when the record has no such field.
func (r *Record) Get(key string) json.RawMessage {
	for _, f := range r.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// Lookup returns the raw value at a dotted path ("rust.crate" is the field
// crate of the object in field rust), or nil when there is none.
func (r *Record) Lookup(path string) json.RawMessage {
	keys := strings.Split(path, ".")
	raw := r.Get(keys[0])
	for _, k := range keys[1:] {
		var obj map[string]json.RawMessage
		if raw == nil || unmarshal(raw, &obj) != nil {
			return nil
		}
		raw = obj[k]
	}
	return raw
}

// LookupText returns the value at a dotted path as text: a string as it is,
// any other value as its JSON, "" when there is none.
func (r *Record) LookupText(path string) string {
	raw := r.Lookup(path)
	if raw == nil {
		return ""
	}
	var s string
	if unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// Set replaces key's raw value in place, or appends the field when it is new.
// A duplicate key keeps its first position and the last value, as
// encoding/json does when decoding.
func (r *Record) Set(key string, raw json.RawMessage) {
	for i := range r.Fields {
		if r.Fields[i].Key == key {
			r.Fields[i].Value = raw
			return
		}
	}
	r.Fields = append(r.Fields, Field{key, raw})
}

// SetValue marshals v (without HTML escaping) and sets it as key.
func (r *Record) SetValue(key string, v any) error {
	raw, err := Marshal(v)
	if err != nil {
		return fmt.Errorf("field %q: %w", key, err)
	}
	r.Set(key, raw)
	return nil
}

// Decode unmarshals key's value into v. A missing field is an error naming it.
func (r *Record) Decode(key string, v any) error {
	raw := r.Get(key)
	if raw == nil {
		return fmt.Errorf("missing field %q", key)
	}
	if err := unmarshal(raw, v); err != nil {
		return fmt.Errorf("field %q: %w", key, err)
	}
	return nil
}

// MarshalJSON writes the fields in their order with their exact bytes.
func (r *Record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := Marshal(f.Key)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(f.Value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Marshal is json.Marshal without HTML escaping and without the trailing
// newline: `Vec<T>` stays `Vec<T>`.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
