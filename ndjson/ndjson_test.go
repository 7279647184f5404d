package ndjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// readAll collects every line and error from a Reader until EOF.
func readAll(t *testing.T, in string, max int) (lines []string, errs []string) {
	t.Helper()
	r := NewReader(strings.NewReader(in), "in.jsonl")
	if max > 0 {
		r.Max = max
	}
	for {
		line, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		lines = append(lines, fmt.Sprintf("%d:%s", r.Line(), line))
	}
}

func TestReader(t *testing.T) {
	long := strings.Repeat("x", 300_000) // longer than bufio's buffer
	tests := []struct {
		name, in  string
		max       int
		wantLines []string
		wantErrs  []string
	}{
		{"empty", "", 0, nil, nil},
		{"one without newline", `{"a":1}`, 0, []string{`1:{"a":1}`}, nil},
		{"crlf and blank lines", "{}\r\n\n  \r\n{\"b\":2}\n", 0, []string{"1:{}", `4:{"b":2}`}, nil},
		{"long line", `{"t":"` + long + `"}` + "\n{}\n", 0, []string{`1:{"t":"` + long + `"}`, "2:{}"}, nil},
		{"too long then ok", "123456789\n{}\n12345\n", 5, []string{"2:{}", "3:12345"},
			[]string{"in.jsonl:1: line too long (over 5 bytes; raise --max-line)"}},
		{"too long at eof", "{}\n" + long, 1000, []string{"1:{}"},
			[]string{"in.jsonl:2: line too long (over 1000 bytes; raise --max-line)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, errs := readAll(t, tt.in, tt.max)
			if !slices.Equal(lines, tt.wantLines) {
				t.Errorf("lines = %.200q; want %.200q", lines, tt.wantLines)
			}
			if !slices.Equal(errs, tt.wantErrs) {
				t.Errorf("errors = %q; want %q", errs, tt.wantErrs)
			}
		})
	}
}

func TestLineErrorUnwrap(t *testing.T) {
	_, err := NewReaderMax("abcdef\n", 3).Next()
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("Next() error = %v; want ErrLineTooLong", err)
	}
	var le *LineError
	if !errors.As(err, &le) || le.Line != 1 {
		t.Fatalf("Next() error = %#v; want *LineError at line 1", err)
	}
}

func NewReaderMax(in string, max int) *Reader {
	r := NewReader(strings.NewReader(in), "")
	r.Max = max
	return r
}

func TestRecordRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{}`, `{}`},
		{`{"b":1,"a":[1, 2 ],"x":{"y" : "Vec<T> & co"}}`, `{"b":1,"a":[1, 2 ],"x":{"y" : "Vec<T> & co"}}`},
		{`{"n":1.50000000000000000001,"u":"\u00e9\ud83d\ude00"}`, `{"n":1.50000000000000000001,"u":"\u00e9\ud83d\ude00"}`},
		{`  {"a":null}  `, `{"a":null}`},
		{`{"a":1,"a":2}`, `{"a":2}`},
	}
	for _, tt := range tests {
		rec, err := ParseRecord([]byte(tt.in))
		if err != nil {
			t.Fatalf("ParseRecord(%q): %v", tt.in, err)
		}
		got, _ := rec.MarshalJSON()
		if string(got) != tt.want {
			t.Errorf("round trip of %q = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseRecordErrors(t *testing.T) {
	for _, in := range []string{``, `[1]`, `"s"`, `{"a":}`, `{"a":1} {}`, `{"a":1`, `nul`} {
		if _, err := ParseRecord([]byte(in)); err == nil {
			t.Errorf("ParseRecord(%q) succeeded; want an error", in)
		}
	}
}

func TestRecordSetValue(t *testing.T) {
	rec, _ := ParseRecord([]byte(`{"id":"x","text":"a"}`))
	if err := rec.SetValue("text", "<b>&"); err != nil {
		t.Fatal(err)
	}
	if err := rec.SetValue("new", map[string]int{"k": 1}); err != nil {
		t.Fatal(err)
	}
	got, _ := rec.MarshalJSON()
	if want := `{"id":"x","text":"<b>&","new":{"k":1}}`; string(got) != want {
		t.Errorf("after SetValue = %s; want %s", got, want)
	}
	var s string
	if err := rec.Decode("missing", &s); err == nil || !strings.Contains(err.Error(), `"missing"`) {
		t.Errorf("Decode(missing) error = %v; want one naming the field", err)
	}
}

func TestLookup(t *testing.T) {
	rec, _ := ParseRecord([]byte(`{"a":{"b":{"c":"deep"},"n":3},"s":"top","x":[1]}`))
	tests := []struct{ path, want string }{
		{"s", "top"}, {"a.b.c", "deep"}, {"a.n", "3"}, {"a.b", `{"c":"deep"}`}, {"x", "[1]"},
		{"missing", ""}, {"a.missing", ""}, {"s.deeper", ""}, {"x.0", ""},
	}
	for _, tt := range tests {
		if got := rec.LookupText(tt.path); got != tt.want {
			t.Errorf("LookupText(%q) = %q; want %q", tt.path, got, tt.want)
		}
	}
}

func TestWriterNoHTMLEscape(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write(map[string]string{"t": "Vec<T> && x"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `{"t":"Vec<T> && x"}`+"\n"; got != want {
		t.Errorf("Write = %q; want %q", got, want)
	}
}

func TestCompressedFiles(t *testing.T) {
	dir := t.TempDir()
	payload := strings.Repeat(`{"a":"b"}`+"\n", 1000)
	for _, name := range []string{"x.jsonl", "x.jsonl.gz", "x.jsonl.zst"} {
		path := filepath.Join(dir, name)
		w, err := Create(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, payload)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(path)
		if compressed := name != "x.jsonl"; compressed == (len(raw) == len(payload)) {
			t.Errorf("%s: %d bytes on disk for %d of payload", name, len(raw), len(payload))
		}
		r, err := Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || string(got) != payload {
			t.Errorf("%s: read back %d bytes, err %v; want the %d written", name, len(got), err, len(payload))
		}
	}
	r, _ := Open("-", strings.NewReader("stdin"))
	if got, _ := io.ReadAll(r); string(got) != "stdin" {
		t.Errorf("Open(-) read %q; want stdin's bytes", got)
	}
}

func TestOrdered(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		var got []int
		src := func(yield func(int) bool) {
			for i := range 1000 {
				if !yield(i) {
					return
				}
			}
		}
		err := Ordered(workers, src, func(i int) int {
			if i%97 == 0 { // uneven work reorders completion
				for range 10000 {
					_ = fmt.Sprint(i)
				}
			}
			return i * i
		}, func(v int) error { got = append(got, v); return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if v != i*i {
				t.Fatalf("workers=%d: result %d = %d; want %d", workers, i, v, i*i)
			}
		}
		if len(got) != 1000 {
			t.Fatalf("workers=%d: %d results; want 1000", workers, len(got))
		}
	}
}

func TestOrderedStopsOnSinkError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	src := func(yield func(int) bool) {
		for i := 0; ; i++ { // endless: Ordered must stop pulling
			if !yield(i) {
				return
			}
		}
	}
	err := Ordered(3, src, func(i int) int { return i }, func(v int) error {
		n++
		if v == 10 {
			return stop
		}
		return nil
	})
	if err != stop || n != 11 {
		t.Fatalf("Ordered = %v after %d results; want stop after 11", err, n)
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{"", "{}\n", "a\r\n\nb", strings.Repeat("x", 5000) + "\ny", "\n\n\n"} {
		f.Add(s, 100)
	}
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max < 1 || max > 1<<20 {
			return
		}
		r := NewReader(strings.NewReader(in), "fuzz")
		r.Max = max
		var total, lines int
		for {
			line, err := r.Next()
			if err == io.EOF {
				break
			}
			lines++
			if lines > len(in)+1 {
				t.Fatal("more lines than bytes: Reader does not advance")
			}
			if err != nil {
				if !errors.Is(err, ErrLineTooLong) {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			// An invalid byte becomes U+FFFD (3 bytes): a line can grow, at most 3 times.
			if len(line) > 3*max || bytes.ContainsAny(line, "\n") || !utf8.Valid(line) {
				t.Fatalf("line %q breaks the contract (max %d)", line, max)
			}
			total += len(line)
		}
		if total > 3*len(in) {
			t.Fatalf("returned %d bytes from %d of input", total, len(in))
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":[{"c":null}]}`, `{"a":"\u003c"}`, `[]`, `{"a"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rec, err := ParseRecord([]byte(in))
		if err != nil {
			return
		}
		out, err := rec.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseRecord(out)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", out, err)
		}
		out2, _ := again.MarshalJSON()
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable: %q then %q", out, out2)
		}
	})
}

// BenchmarkParseRecord parses records like dw-rustparse's: an item with its
// source text and nested fields.
func BenchmarkParseRecord(b *testing.B) {
	text, _ := Marshal(strings.Repeat("pub fn f(x: u8) -> Option<u8> { Some(x + 1) } // \"quoted\" \\ é\n", 40))
	line := []byte(`{"id":"rs-0123456789abcdef0123","kind":"fn","text":` + string(text) +
		`,"source":{"repo":"r","path":"crates/a/src/lib.rs","start_line":1,"end_line":40,"start_byte":0,"end_byte":2000},` +
		`"rust":{"crate":"a","name":"f","path":"a::f","module":"a","visibility":"pub","attrs":[{"name":"inline","text":"#[inline]"}],"signature":"pub fn f(x: u8) -> Option<u8>"}}`)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := ParseRecord(line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode reads the shared fields of a record like dw-rustparse
// --calls writes and decodes its "rust" field, whose call sites make most
// of its bytes.
func BenchmarkDecode(b *testing.B) {
	type site struct {
		Kind string   `json:"kind"`
		Path []string `json:"path"`
		Text string   `json:"text"`
		Line int      `json:"line"`
		Byte int      `json:"byte"`
		Expr string   `json:"expr,omitempty"`
	}
	type field struct {
		Crate string            `json:"crate"`
		Name  string            `json:"name"`
		Path  string            `json:"path"`
		Attrs []map[string]any  `json:"attrs"`
		Calls []site            `json:"calls"`
		Vars  map[string]string `json:"vars"`
	}
	calls := strings.Repeat(`{"kind":"method","path":["push_str"],"text":"out.push_str","line":3,"byte":120,"expr":"out"},{"kind":"path","path":["Item","new"],"text":"Item::new","line":4,"byte":160},`, 15)
	line := []byte(`{"id":"rs-0123456789abcdef0123","kind":"fn","text":"fn f() {}",` +
		`"source":{"repo":"r","path":"crates/a/src/lib.rs","start_line":1,"end_line":40,"start_byte":0,"end_byte":2000},` +
		`"rust":{"crate":"a","name":"f","path":"a::f","attrs":[{"name":"inline","text":"#[inline]"}],"calls":[` + strings.TrimSuffix(calls, ",") + `],"vars":{"out":"String","x":"u8"}}}`)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		r, err := ParseOwnedRecord(line)
		if err != nil {
			b.Fatal(err)
		}
		var f field
		if _, err := r.Source(); err != nil {
			b.Fatal(err)
		}
		if err := r.Decode("rust", &f); err != nil || len(f.Calls) != 30 {
			b.Fatal(err, len(f.Calls))
		}
	}
}

// TestDecodeReadsAsEncodingJSON: Decode (encoding/json/v2's implementation)
// reads what encoding/json reads, the same way: duplicate names (the last
// wins, merged into the first), names in another case but not without
// their _ or -, arrays of another length, invalid UTF-8, nulls, unknown
// fields.
func TestDecodeReadsAsEncodingJSON(t *testing.T) {
	type pair struct {
		A string `json:"a"`
		B string `json:"b"`
	}
	type inner struct {
		Name      string            `json:"name"`
		StartLine int               `json:"start_line"`
		Lines     []int             `json:"lines"`
		Tags      map[string]string `json:"tags"`
		Next      *inner            `json:"next"`
		Span      [2]int            `json:"span"`
		Pairs     []pair            `json:"pairs"`
	}
	for _, v := range []string{
		`{"name":"a","name":"b"}`,
		`{"NAME":"upper","Lines":[1,2]}`,
		`{"name":"bad ` + "\xff\xfe" + ` bytes"}`,
		`{"name":null,"lines":null,"tags":{"k":"v","k":"w"}}`,
		`{"unknown":{"deep":[1,{"x":2}]},"next":{"name":"n","next":null}}`,
		`{"name":"\u00e9\n\"q\""}`,
		`{"startLine":3,"start-line":4,"Start_Line":5}`,
		`{"start_line":1,"startline":7}`,
		`{"span":[1,2,3]}`, `{"span":[1]}`,
		`{"pairs":[{"a":"x","b":"y"}],"pairs":[{"a":"z"}]}`,
	} {
		var want, got inner
		if err := json.Unmarshal([]byte(v), &want); err != nil {
			t.Fatalf("encoding/json refuses %q: %v", v, err)
		}
		r := &Record{Fields: []Field{{"x", []byte(v)}}}
		if err := r.Decode("x", &got); err != nil {
			t.Errorf("Decode(%q): %v", v, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Decode(%q) = %+v, encoding/json reads %+v", v, got, want)
		}
	}
	for _, v := range []string{`{"name":1}`, `{"lines":"x"}`, `{"name":"a"`, `[1]`} {
		var got inner
		if err := (&Record{Fields: []Field{{"x", []byte(v)}}}).Decode("x", &got); err == nil {
			t.Errorf("Decode(%q): no error", v)
		}
	}
}

// TestParseRecordValidAsEncodingJSON: a line parses when encoding/json
// finds it valid, and only then.
func TestParseRecordValidAsEncodingJSON(t *testing.T) {
	for _, line := range []string{
		`{"a":"\ud800"}`, `{"a":"\udc00\ud800x"}`, `{"a":"` + "\xff" + `"}`, `{"a":1,"a":2}`,
		`{"a":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`,
		`{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
		`{"a":NaN}`, `{"a":1} x`, `{"a":1}{"b":2}`, `{"a":01}`, `{"a":1.}`, `{"a":"\x"}`, "{\"a\":\"\t\"}",
		`{"a":-0.0e+1}`, ` {"a":[]} `, `{}`, `{"":""}`,
	} {
		_, err := ParseRecord([]byte(line))
		if want := json.Valid([]byte(line)); (err == nil) != want {
			t.Errorf("ParseRecord(%.40q): %v; encoding/json says valid: %v", line, err, want)
		}
	}
}
