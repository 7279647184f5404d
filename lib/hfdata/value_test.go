package hfdata

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// asStd turns a Decode value into what encoding/json makes of the same
// text (with UseNumber): maps, the last of duplicate keys winning.
func asStd(v any) any {
	switch x := v.(type) {
	case Object:
		m := map[string]any{}
		for _, e := range x {
			m[e.Key] = asStd(e.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = asStd(e)
		}
		return out
	}
	return v
}

var decodeSeeds = []string{
	`{"z":1,"a":{"y":[1,2.50,"<&>"],"b":null},"é":true}`, `{}`, `[]`, `"a\"b\\c\/\n\u00e9\ud83d\ude00"`,
	`"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`, `-0.5e+10`, `01`, `1.`, `.5`, `-`, `1e`, `[1,]`, `{"a":1,}`,
	`{"a" 1}`, `tru`, `nul`, `"\x"`, "\"a\tb\"", ` [ 1 , { "k" : [ ] } ] `, `{"a":1}{}`, `{"a":1,"a":2}`, `"\u12"`,
}

func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecode(t, []byte(s))
	}
}

func checkDecode(t *testing.T, data []byte) {
	if !utf8.Valid(data) { // the record reader has replaced invalid UTF-8 before
		return
	}
	var want any
	wantErr := unmarshalNumber(data, &want)
	got, err := Decode(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("Decode(%q) error %v; encoding/json %v", data, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(asStd(got), want) {
		t.Fatalf("Decode(%q) = %#v; encoding/json %#v", data, asStd(got), want)
	}
	if err == nil {
		var again any
		if unmarshalNumber(AppendJSON(nil, got), &again) != nil || !reflect.DeepEqual(again, want) {
			t.Fatalf("AppendJSON(Decode(%q)) = %s", data, AppendJSON(nil, got))
		}
	}
}

func unmarshalNumber(data []byte, v *any) error {
	if !json.Valid(data) {
		return json.Unmarshal(data, v)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, data) })
}
