package hfdata

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Kind is a column's type.
type Kind int

// The kinds of columns. Null is only seen during inference: a field that is
// null in every sampled record ends as JSON.
const (
	Null   Kind = iota
	Bool        // JSON true/false: Parquet boolean
	Int         // JSON numbers all written as integers that fit 64 bits: int64
	Float       // JSON numbers: double
	String      // JSON strings: UTF-8 string
	JSON        // mixed or opaque values: their JSON text, as a string
	List        // JSON arrays of one element type: a Parquet list
	Struct      // JSON objects: a Parquet group of optional fields
)

var kindNames = [...]string{"null", "bool", "int64", "double", "string", "json", "list", "struct"}

func (k Kind) String() string { return kindNames[k] }

// Type is a column's type: a kind, the element type of a list, the fields
// of a struct.
type Type struct {
	Kind   Kind
	Elem   *Type   // List
	Fields []Field // Struct, sorted by name

	index map[string]int // Fields by name, while inferring
}

// Field is a named column or struct member. Every field is optional: a
// record without it, or with null, has no value there.
type Field struct {
	Name string
	Type *Type
}

// Schema is the columns of a dataset.
type Schema struct {
	Fields []Field // top-level columns, sorted by name
	// Mixed lists the fields (dotted paths, [] for list elements) that
	// became JSON text, and why: "values of several JSON types (object,
	// string)", or too deep, too wide, a number beyond double, an empty key.
	Mixed map[string]string
}

// Limits past which a field is JSON text: Parquet nests at most about
// 127 lists (definition levels up to 255), and a column per key of a
// map-like object would make a file of thousands of columns.
const (
	MaxNesting = 32
	MaxKeys    = 1000   // fields of one object (top-level columns too)
	MaxFields  = 10_000 // fields of all objects together
)

// Inferrer infers a Schema from sample records.
// The merge rule: a field takes the type of its values; null merges with
// anything; integers and other numbers merge as double; objects merge
// field by field (the union of their fields); arrays merge by their
// elements; any other meeting of types (a string and an object, a number
// and a string, an array and an object) makes that field JSON text, and it
// is listed in Schema.Mixed. So does a value nested deeper than
// MaxNesting, an object of more than MaxKeys keys, a number beyond a
// double's range, and an object with an empty key. A field null (or an
// empty object, or an array only ever empty in its elements) everywhere
// becomes JSON text. With flatten, every top-level field whose value is
// an object or an array is JSON text from the start.
type Inferrer struct {
	root    Type
	fields  int                        // fields made, in all objects
	mixed   map[string]map[string]bool // path → JSON types met
	why     map[string]string          // path → another reason for JSON text
	flatten bool
	n       int
}

// NewInferrer returns an empty Inferrer.
func NewInferrer(flatten bool) *Inferrer {
	return &Inferrer{root: Type{Kind: Struct}, mixed: map[string]map[string]bool{}, why: map[string]string{}, flatten: flatten}
}

// Records returns the number of records added.
func (in *Inferrer) Records() int { return in.n }

// Add merges one record's types into the schema. A top-level empty key is
// left out: Row reports it.
func (in *Inferrer) Add(rec Object) {
	in.n++
	in.mergeObject(&in.root, rec, "", 0)
}

// jsonText makes t JSON text for a reason.
func (in *Inferrer) jsonText(t *Type, path, reason string) {
	*t = Type{Kind: JSON}
	if _, ok := in.why[path]; !ok && in.mixed[path] == nil {
		in.why[path] = reason
	}
}

func (in *Inferrer) mergeObject(t *Type, obj Object, prefix string, depth int) {
	if t.index == nil {
		t.index = make(map[string]int, len(t.Fields))
		for i, f := range t.Fields {
			t.index[f.Name] = i
		}
	}
	for _, m := range obj {
		if m.Key == "" && prefix == "" {
			continue
		}
		path := prefix + m.Key
		i, ok := t.index[m.Key]
		if !ok {
			switch {
			case prefix == "" && len(t.Fields) >= MaxKeys:
				continue // no column: Row reports the record
			case in.fields >= MaxFields && prefix != "":
				in.jsonText(t, strings.TrimSuffix(prefix, "."), fmt.Sprintf("more than %d fields in all objects", MaxFields))
				return
			}
			t.Fields = append(t.Fields, Field{Name: m.Key, Type: &Type{Kind: Null}})
			i = len(t.Fields) - 1
			t.index[m.Key] = i
			in.fields++
		}
		if in.flatten && prefix == "" {
			switch m.Value.(type) {
			case Object, []any:
				t.Fields[i].Type = &Type{Kind: JSON}
				continue
			}
		}
		in.merge(t.Fields[i].Type, m.Value, path, depth+1)
	}
}

// jsonType names a value's JSON type, for Schema.Mixed.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case Object:
		return "object"
	case []any:
		return "array"
	default:
		panic(fmt.Sprintf("hfdata: no JSON value: %T", x))
	}
}

func kindJSONType(k Kind) string {
	switch k {
	case Bool:
		return "boolean"
	case Int, Float:
		return "number"
	case String:
		return "string"
	case List:
		return "array"
	case Struct:
		return "object"
	}
	return ""
}

// merge merges the type of v into t, in place; depth is v's nesting.
func (in *Inferrer) merge(t *Type, v any, path string, depth int) {
	if v == nil || t.Kind == JSON {
		return
	}
	var k Kind
	switch x := v.(type) {
	case bool:
		k = Bool
	case json.Number:
		k = Float
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			k = Int
		} else if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			in.jsonText(t, path, "a number beyond a double's range")
			return
		}
	case string:
		k = String
	case Object:
		k = Struct
		switch {
		case depth > MaxNesting:
			in.jsonText(t, path, fmt.Sprintf("nested deeper than %d levels", MaxNesting))
			return
		case len(x) > MaxKeys || t.Kind == Struct && len(t.Fields)+newKeys(t, x) > MaxKeys:
			in.jsonText(t, path, fmt.Sprintf("objects of more than %d keys in all", MaxKeys))
			return
		}
		if slices.ContainsFunc(x, func(m Member) bool { return m.Key == "" }) {
			in.jsonText(t, path, "an object with an empty key")
			return
		}
	case []any:
		k = List
		if depth > MaxNesting {
			in.jsonText(t, path, fmt.Sprintf("nested deeper than %d levels", MaxNesting))
			return
		}
	}
	switch {
	case t.Kind == Null:
		t.Kind = k
		if k == List {
			t.Elem = &Type{Kind: Null}
		}
	case t.Kind == k:
	case t.Kind == Int && k == Float:
		t.Kind = Float
	case t.Kind == Float && k == Int:
	default:
		if in.mixed[path] == nil {
			in.mixed[path] = map[string]bool{}
		}
		in.mixed[path][kindJSONType(t.Kind)] = true
		in.mixed[path][jsonType(v)] = true
		*t = Type{Kind: JSON}
		return
	}
	switch x := v.(type) {
	case Object:
		in.mergeObject(t, x, path+".", depth)
	case []any:
		for _, e := range x {
			in.merge(t.Elem, e, path+"[]", depth+1)
		}
	}
}

// newKeys counts the keys of obj that struct t does not have yet.
func newKeys(t *Type, obj Object) int {
	n := 0
	for _, m := range obj {
		if _, ok := t.index[m.Key]; !ok {
			n++
		}
	}
	return n
}

// Schema returns the schema inferred so far.
func (in *Inferrer) Schema() *Schema {
	root := finish(&in.root)
	s := &Schema{Fields: root.Fields, Mixed: map[string]string{}}
	for path, types := range in.mixed {
		s.Mixed[path] = "values of several JSON types (" + strings.Join(slices.Sorted(mapKeys(types)), ", ") + ")"
	}
	for path, reason := range in.why {
		if _, ok := s.Mixed[path]; !ok {
			s.Mixed[path] = reason
		}
	}
	return s
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// finish copies t with nulls and empty structs made JSON and fields sorted.
func finish(t *Type) *Type {
	switch t.Kind {
	case Null:
		return &Type{Kind: JSON}
	case List:
		return &Type{Kind: List, Elem: finish(t.Elem)}
	case Struct:
		if len(t.Fields) == 0 {
			return &Type{Kind: JSON}
		}
		out := &Type{Kind: Struct}
		for _, f := range t.Fields {
			out.Fields = append(out.Fields, Field{f.Name, finish(f.Type)})
		}
		sort.Slice(out.Fields, func(i, j int) bool { return out.Fields[i].Name < out.Fields[j].Name })
		return out
	}
	return &Type{Kind: t.Kind}
}

// FitError is a value that does not fit the schema: a field the sample did
// not have, or a value of another type than the field's.
type FitError struct {
	Path string
	Want string // the schema's type, or "" for a field not in the schema
	Got  string // the value's JSON type
}

func (e *FitError) Error() string {
	if e.Want == "" && e.Path == "" {
		return "a field with an empty name, which no column can hold"
	}
	if e.Want == "" {
		return fmt.Sprintf("field %q has no column (not in the sample the columns come from, or past %d top-level fields)", e.Path, MaxKeys)
	}
	return fmt.Sprintf("field %q is a JSON %s, but the schema inferred from the sample has %s", e.Path, e.Got, e.Want)
}

// Row converts a record to the value parquet-go writes for the schema: a
// map of its columns. A field not in the schema or a value of another type
// is a *FitError; nothing is dropped.
func (s *Schema) Row(rec Object) (map[string]any, error) {
	return convertObject(s.Fields, rec)
}

// within puts a FitError of a member, element or field under its parent.
func within(err error, parent, sep string) error {
	if fe, ok := err.(*FitError); ok {
		if sep == "." && fe.Path != "" && !strings.HasPrefix(fe.Path, "[]") {
			fe.Path = parent + "." + fe.Path
		} else {
			fe.Path = parent + fe.Path
		}
	}
	return err
}

func convertObject(fields []Field, obj Object) (map[string]any, error) {
	row := make(map[string]any, len(fields))
	for _, m := range obj {
		i := sort.Search(len(fields), func(i int) bool { return fields[i].Name >= m.Key }) // sorted by name
		if i == len(fields) || fields[i].Name != m.Key {
			return nil, &FitError{Path: m.Key, Got: jsonType(m.Value)}
		}
		v, err := convert(fields[i].Type, m.Value)
		if err != nil {
			return nil, within(err, m.Key, ".")
		}
		row[m.Key] = v
	}
	for _, f := range fields { // parquet-go wants every member of a group
		if _, ok := row[f.Name]; !ok {
			row[f.Name] = nil
		}
	}
	return row, nil
}

// ptr makes a scalar a pointer: parquet-go writes the zero value of an
// optional column (false, 0, "") as null unless it comes by pointer.
func ptr[T any](v T) *T { return &v }

// convert converts v to type t; a *FitError's Path is relative to v ("" for
// v itself).
func convert(t *Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	got := ""
	switch t.Kind {
	case JSON:
		return ptr(string(AppendJSON(nil, v))), nil
	case Bool:
		if b, ok := v.(bool); ok {
			return ptr(b), nil
		}
	case Int:
		if n, ok := v.(json.Number); ok {
			if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
				return ptr(i), nil
			}
			got = "number that is no 64-bit integer"
		}
	case Float:
		if n, ok := v.(json.Number); ok {
			if f, err := strconv.ParseFloat(string(n), 64); err == nil {
				return ptr(f), nil
			}
		}
	case String:
		if s, ok := v.(string); ok {
			return ptr(s), nil
		}
	case List:
		if arr, ok := v.([]any); ok {
			out := make([]any, len(arr))
			for i, e := range arr {
				var err error
				if out[i], err = convert(t.Elem, e); err != nil {
					return nil, within(err, "[]", "")
				}
			}
			return out, nil
		}
	case Struct:
		if obj, ok := v.(Object); ok {
			return convertObject(t.Fields, obj)
		}
	}
	if got == "" {
		got = jsonType(v)
	}
	return nil, &FitError{Want: t.Kind.String(), Got: got}
}

// Parquet returns the Parquet schema: every column and struct member
// optional, lists as three-level LIST of optional elements.
func (s *Schema) Parquet() *parquet.Schema {
	return parquet.NewSchema("dataset", group(s.Fields))
}

func group(fields []Field) parquet.Group {
	g := parquet.Group{}
	for _, f := range fields {
		g[f.Name] = parquet.Optional(node(f.Type))
	}
	return g
}

func node(t *Type) parquet.Node {
	switch t.Kind {
	case Bool:
		return parquet.Leaf(parquet.BooleanType)
	case Int:
		return parquet.Int(64)
	case Float:
		return parquet.Leaf(parquet.DoubleType)
	case List:
		return parquet.List(parquet.Optional(node(t.Elem)))
	case Struct:
		return group(t.Fields)
	}
	return parquet.String()
}

// Value returns the record a row read back from the dataset stands for:
// JSON text columns are parsed again (numbers as json.Number), all else is
// kept. row is a map from parquet-go's reader or a JSON row from another
// reader.
func (s *Schema) Value(row map[string]any) (map[string]any, error) {
	v, err := value(&Type{Kind: Struct, Fields: s.Fields}, row)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func value(t *Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t.Kind {
	case JSON:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("JSON text column holds %T", v)
		}
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		var out any
		err := d.Decode(&out)
		return out, err
	case List:
		arr, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("list column holds %T", v)
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			var err error
			if out[i], err = value(t.Elem, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("struct column holds %T", v)
		}
		out := make(map[string]any, len(m))
		for _, f := range t.Fields {
			var err error
			if out[f.Name], err = value(f.Type, m[f.Name]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}
