package hfdata

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// describe writes a schema as "name:type ..." with its mixed fields.
func describe(s *Schema) string {
	var parts []string
	for _, f := range s.Fields {
		parts = append(parts, f.Name+":"+typeName(f.Type))
	}
	out := strings.Join(parts, " ")
	for _, p := range slices.Sorted(maps.Keys(s.Mixed)) {
		out += fmt.Sprintf(" mixed[%s=%s]", p, s.Mixed[p])
	}
	return out
}

func objects(t *testing.T, lines ...string) []Object {
	t.Helper()
	var out []Object
	for _, l := range lines {
		v, err := Decode([]byte(l))
		if err != nil {
			t.Fatalf("Decode(%q): %v", l, err)
		}
		out = append(out, v.(Object))
	}
	return out
}

func infer(t *testing.T, flatten bool, lines ...string) *Schema {
	in := NewInferrer(flatten)
	for _, o := range objects(t, lines...) {
		in.Add(o)
	}
	return in.Schema()
}

func TestInfer(t *testing.T) {
	tests := []struct {
		name    string
		flatten bool
		records []string
		want    string
	}{
		{"scalars", false, []string{`{"s":"a","i":1,"f":1.5,"b":true}`}, "b:bool f:double i:int64 s:string"},
		{"int then double", false, []string{`{"n":1}`, `{"n":2.5}`}, "n:double"},
		{"double then int", false, []string{`{"n":2.5}`, `{"n":1}`}, "n:double"},
		{"exponent is double", false, []string{`{"n":1e3}`}, "n:double"},
		{"beyond int64 is double", false, []string{`{"n":9223372036854775808}`}, "n:double"},
		{"null merges", false, []string{`{"n":null}`, `{"n":3}`, `{}`}, "n:int64"},
		{"only null is JSON", false, []string{`{"n":null}`}, "n:JSON text"},
		{"empty object is JSON", false, []string{`{"o":{}}`}, "o:JSON text"},
		{"struct union", false, []string{`{"o":{"a":1}}`, `{"o":{"b":"x"}}`}, "o:struct {a: int64, b: string}"},
		{"list", false, []string{`{"l":[1,2]}`, `{"l":[]}`, `{"l":[3.5]}`}, "l:list of double"},
		{"empty list", false, []string{`{"l":[]}`}, "l:list of JSON text"},
		{"list of struct", false, []string{`{"l":[{"a":1},{"b":[true]}]}`}, "l:list of struct {a: int64, b: list of bool}"},
		{"string and object", false, []string{`{"m":"s"}`, `{"m":{"a":1}}`}, "m:JSON text mixed[m=values of several JSON types (object, string)]"},
		{"nested mixed", false, []string{`{"o":{"x":1}}`, `{"o":{"x":"1"}}`}, "o:struct {x: JSON text} mixed[o.x=values of several JSON types (number, string)]"},
		{"mixed list elements", false, []string{`{"l":[1,"a"]}`}, "l:list of JSON text mixed[l[]=values of several JSON types (number, string)]"},
		{"array and object", false, []string{`{"v":[1]}`, `{"v":{"a":1}}`, `{"v":2}`}, "v:JSON text mixed[v=values of several JSON types (array, object)]"},
		{"bool and number", false, []string{`{"v":true}`, `{"v":1}`}, "v:JSON text mixed[v=values of several JSON types (boolean, number)]"},
		{"beyond double", false, []string{`{"v":1.5}`, `{"v":1e400}`}, "v:JSON text mixed[v=a number beyond a double's range]"},
		{"empty key", false, []string{`{"o":{"":1,"a":2}}`}, "o:JSON text mixed[o=an object with an empty key]"},
		{"empty top-level key left out", false, []string{`{"":1,"a":2}`}, "a:int64"},
		{"deep", false, []string{`{"d":` + strings.Repeat(`{"x":`, 40) + `1` + strings.Repeat(`}`, 40) + `}`}, "d:" + strings.Repeat("struct {x: ", 32) + "JSON text" + strings.Repeat("}", 32) + " mixed[d" + strings.Repeat(".x", 32) + "=nested deeper than 32 levels]"},
		{"deep lists", false, []string{`{"l":` + strings.Repeat(`[`, 40) + `1` + strings.Repeat(`]`, 40) + `}`}, "l:" + strings.Repeat("list of ", 32) + "JSON text mixed[l" + strings.Repeat("[]", 32) + "=nested deeper than 32 levels]"},
		{"flatten", true, []string{`{"o":{"a":1},"l":[1],"s":"x"}`}, "l:JSON text o:JSON text s:string"},
	}
	for _, tt := range tests {
		if got := describe(infer(t, tt.flatten, tt.records...)); got != tt.want {
			t.Errorf("%s: infer(%q) = %q; want %q", tt.name, tt.records, got, tt.want)
		}
	}
}

func TestRowFit(t *testing.T) {
	s := infer(t, false, `{"i":1,"o":{"a":"x"},"l":[1],"j":null}`)
	tests := []struct {
		record, want string // want: the FitError's text, "" for none
	}{
		{`{"i":2,"o":{"a":"y"},"l":[],"j":{"k":[1]}}`, ""},
		{`{"i":null,"o":null,"l":null}`, ""},
		{`{"i":1.5}`, `field "i" is a JSON number that is no 64-bit integer, but the schema inferred from the sample has int64`},
		{`{"i":"1"}`, `field "i" is a JSON string, but the schema inferred from the sample has int64`},
		{`{"o":{"b":1}}`, `field "o.b" has no column (not in the sample the columns come from, or past 1000 top-level fields)`},
		{`{"o":"x"}`, `field "o" is a JSON string, but the schema inferred from the sample has struct`},
		{`{"l":[1,"x"]}`, `field "l[]" is a JSON string, but the schema inferred from the sample has int64`},
		{`{"new":1}`, `field "new" has no column (not in the sample the columns come from, or past 1000 top-level fields)`},
		{`{"i":99999999999999999999}`, `field "i" is a JSON number that is no 64-bit integer, but the schema inferred from the sample has int64`},
	}
	for _, tt := range tests {
		_, err := s.Row(objects(t, tt.record)[0])
		var fit *FitError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Row(%s) = %v; want no error", tt.record, err)
		case tt.want != "" && (!errors.As(err, &fit) || err.Error() != tt.want):
			t.Errorf("Row(%s) = %v; want %s", tt.record, err, tt.want)
		}
	}
}

func TestSizeCategory(t *testing.T) {
	for n, want := range map[int64]string{0: "n<1K", 999: "n<1K", 1000: "1K<n<10K", 123456: "100K<n<1M", 1e12: "n>1T"} {
		if got := SizeCategory(n); got != want {
			t.Errorf("SizeCategory(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestDecodeKeepsOrderAndText(t *testing.T) {
	in := `{"z":1,"a":{"y":[1,2.50,"<&>"],"b":null},"é":true}`
	v, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(AppendJSON(nil, v)); got != in {
		t.Errorf("AppendJSON(Decode(%s)) = %s", in, got)
	}
	for _, bad := range []string{`{"a":1}{}`, `{"a":`, `[1,]`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s): no error", bad)
		}
	}
}

// TestWideAndDeepRecords: a record of many keys or deep nesting infers in
// time linear in its size and ends as JSON text past the limits, and its
// row converts.
func TestWideAndDeepRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"w","m":{`)
	for i := range 100_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteString(`},"d":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`)
	objs := objects(t, b.String())
	in := NewInferrer(false)
	in.Add(objs[0])
	s := in.Schema()
	if got := describe(s); got != "d:"+strings.Repeat("list of ", 32)+"JSON text id:string m:JSON text mixed[d"+strings.Repeat("[]", 32)+"=nested deeper than 32 levels] mixed[m=objects of more than 1000 keys in all]" {
		t.Errorf("schema %.300s", got)
	}
	if _, err := s.Row(objs[0]); err != nil {
		t.Error(err)
	}
	// keys spread over records count together
	in = NewInferrer(false)
	for r := range 3 {
		var keys []string
		for i := range 400 {
			keys = append(keys, fmt.Sprintf(`"r%d_%d":1`, r, i))
		}
		in.Add(objects(t, `{"m":{`+strings.Join(keys, ",")+`}}`)[0])
	}
	if got := describe(in.Schema()); got != "m:JSON text mixed[m=objects of more than 1000 keys in all]" {
		t.Errorf("spread keys: %.200s", got)
	}
}

// TestManyColumns: past 1,000 top-level fields a field has no column (the
// record is reported); past 10,000 fields in all, an object is JSON text.
func TestManyColumns(t *testing.T) {
	var keys []string
	for i := range 1500 {
		keys = append(keys, fmt.Sprintf(`"k%04d":1`, i))
	}
	rec := objects(t, `{`+strings.Join(keys, ",")+`}`)[0]
	in := NewInferrer(false)
	in.Add(rec)
	s := in.Schema()
	if len(s.Fields) != 1000 {
		t.Errorf("%d columns, want 1000", len(s.Fields))
	}
	if _, err := s.Row(rec); err == nil || !strings.Contains(err.Error(), "past 1000 top-level fields") {
		t.Errorf("Row: %v", err)
	}
	in = NewInferrer(false)
	for r := range 12 {
		var ks []string
		for i := range 999 {
			ks = append(ks, fmt.Sprintf(`"f%d":1`, i))
		}
		in.Add(objects(t, fmt.Sprintf(`{"o%02d":{%s}}`, r, strings.Join(ks, ",")))[0])
	}
	s = in.Schema()
	if got := s.Mixed["o10"]; got != "more than 10000 fields in all objects" {
		t.Errorf("o10: %q (%d columns)", got, len(s.Fields))
	}
}
