package ndjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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
func ParseRecord(line []byte) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, ErrNotObject
	}
	rec := &Record{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("invalid JSON in field %q: %w", key, err)
		}
		rec.Set(key, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: data after the object")
	}
	return rec, nil
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
		if raw == nil || json.Unmarshal(raw, &obj) != nil {
			return nil
		}
		raw = obj[k]
	}
	return raw
}

// Text returns the value at a dotted path as text: a string as it is,
// any other value as its JSON, "" when there is none.
func (r *Record) Text(path string) string {
	raw := r.Lookup(path)
	if raw == nil {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
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
	if err := json.Unmarshal(raw, v); err != nil {
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
