package ndjson

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// records is n small NDJSON lines.
func records(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`{"text":"record number ` + strings.Repeat("x", i%50) + `"}` + "\n")
	}
	return b.String()
}

// writeCompressed writes payload to dir/name through Create and returns the path.
func writeCompressed(t *testing.T, dir, name, payload string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	w, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, payload)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCorruptInputEnds: a truncated or corrupt compressed input gives one
// *ReadError naming the file and the last good line, then the same error
// again: never a line error per call (which looped forever).
func TestCorruptInputEnds(t *testing.T) {
	dir := t.TempDir()
	payload := records(20000)
	gz := writeCompressed(t, dir, "a.jsonl.gz", payload)
	zst := writeCompressed(t, dir, "a.jsonl.zst", payload)
	cut := func(src, name string, keep float64) string {
		data, _ := os.ReadFile(src)
		path := filepath.Join(dir, name)
		os.WriteFile(path, data[:int(float64(len(data))*keep)], 0o644)
		return path
	}
	flip := func(src, name string) string {
		data, _ := os.ReadFile(src)
		for i := len(data) / 3; i < len(data)/3+64; i++ {
			data[i] ^= 0x5a
		}
		path := filepath.Join(dir, name)
		os.WriteFile(path, data, 0o644)
		return path
	}
	plain := filepath.Join(dir, "plain.zst")
	os.WriteFile(plain, []byte(payload), 0o644)
	for _, path := range []string{cut(gz, "cut.jsonl.gz", 0.5), cut(zst, "cut.jsonl.zst", 0.5), flip(gz, "flip.jsonl.gz"), flip(zst, "flip.jsonl.zst"), plain} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := Open(path, nil)
			if err != nil { // a header that is already wrong: refused at once
				if !strings.Contains(err.Error(), filepath.Base(path)) {
					t.Errorf("Open error %q does not name the file", err)
				}
				return
			}
			defer f.Close()
			r := NewReader(f, path)
			good := 0
			var readErr error
			for i := 0; i < 30000; i++ {
				line, err := r.Next()
				if err == nil {
					if !utf8.Valid(line) {
						t.Fatalf("line %d is not UTF-8", r.Line())
					}
					good++
					continue
				}
				readErr = err
				break
			}
			var re *ReadError
			if !errors.As(readErr, &re) {
				t.Fatalf("after %d lines: %v; want a *ReadError", good, readErr)
			}
			if re.After != r.Line()-1 || re.Name != path || !strings.Contains(re.Error(), path+": unreadable after line ") {
				t.Errorf("ReadError %q (after %d, reader at %d)", re, re.After, r.Line())
			}
			if _, err := r.Next(); err != readErr {
				t.Errorf("next call: %v; want the same ReadError again", err)
			}
		})
	}
}

func TestReaderBOMAndUTF8(t *testing.T) {
	in := "\xef\xbb\xbf" + `{"a":"x"}` + "\n" + `{"a":"bad` + "\xff\xfe" + `"}` + "\n" + `{"a":"\ud800 and \\ud800 and \ud83d\ude00 and \udc00"}` + "\n\xef\xbb\xbf{}\n"
	r := NewReader(strings.NewReader(in), "in")
	want := []struct {
		line     string
		replaced int
	}{
		{`{"a":"x"}`, 0},
		{`{"a":"bad` + "\uFFFD" + `"}`, 1},
		{`{"a":"\ufffd and \\ud800 and \ud83d\ude00 and \ufffd"}`, 2},
		{"\xef\xbb\xbf{}", 0}, // a BOM is skipped only before the first line
	}
	for i, w := range want {
		line, err := r.Next()
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if string(line) != w.line || r.Replaced() != w.replaced {
			t.Errorf("line %d = %q (%d replaced); want %q (%d)", i+1, line, r.Replaced(), w.line, w.replaced)
		}
	}
}

func TestValidUTF8(t *testing.T) {
	tests := []struct {
		in, want string
		n        int
	}{
		{`{"a":"ok é 😀"}`, `{"a":"ok é 😀"}`, 0},
		{"\xc3\x28", "\uFFFD(", 1},
		{"a\xed\xa0\x80b", "a\uFFFDb", 1}, // a surrogate encoded in UTF-8
		{`"\uD800\uDC00"`, `"\uD800\uDC00"`, 0},
		{`"\uDBFF"`, `"\ufffd"`, 1},
		{`"\uD800\u0041"`, `"\ufffd\u0041"`, 1},
		{`"\uD800`, `"\ufffd`, 1},
		{`"\\uD800"`, `"\\uD800"`, 0},
		{`"\\\uDC00"`, `"\\\ufffd"`, 1},
		{`"\u00e9\uD8"`, `"\u00e9\uD8"`, 0}, // not four hex digits: JSON rejects it later
	}
	for _, tt := range tests {
		got, n := ValidUTF8([]byte(tt.in))
		if string(got) != tt.want || n != tt.n {
			t.Errorf("ValidUTF8(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
	if got, n := ValidText([]byte(`\ud800` + "\xff")); string(got) != `\ud800`+"\uFFFD" || n != 1 {
		t.Errorf("ValidText leaves escapes alone and replaces bytes: got %q, %d", got, n)
	}
}

// TestTooLongLineLetGo: a refused line's bytes are not kept.
func TestTooLongLineLetGo(t *testing.T) {
	max := 1 << 20
	r := NewReader(strings.NewReader(strings.Repeat("x", 5*max)+"\n{}\n"), "in")
	r.Max = max
	if _, err := r.Next(); !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("first line: %v; want ErrLineTooLong", err)
	}
	if cap(r.buf) != 0 {
		t.Errorf("after refusing the line the reader holds %d bytes", cap(r.buf))
	}
	if line, err := r.Next(); err != nil || string(line) != "{}" {
		t.Errorf("next line = %q, %v", line, err)
	}
	// A line just under the limit grows the buffer to the limit, not past it.
	r = NewReader(strings.NewReader(strings.Repeat("y", max-1)+"\n"), "in")
	r.Max = max
	if _, err := r.Next(); err != nil || cap(r.buf) > max+2 {
		t.Errorf("line under the limit: %v, buffer of %d bytes for a limit of %d", err, cap(r.buf), max)
	}
}

func TestSharedFields(t *testing.T) {
	tests := []struct {
		in                string
		id, kind, text    string
		idErr, kErr, tErr bool
		path              string
		sErr              bool
	}{
		{in: `{"id":"a","kind":"fn","text":"x","source":{"path":"p.rs","start_line":3}}`, id: "a", kind: "fn", text: "x", path: "p.rs"},
		{in: `{"id":42,"text":"x"}`, id: "42", text: "x"},
		{in: `{"id":4.50,"text":"x"}`, id: "4.50", text: "x"},
		{in: `{"id":null,"text":"x","source":null}`, text: "x"},
		{in: `{"id":{"a":1},"text":"x"}`, idErr: true, text: "x"},
		{in: `{"id":[1],"kind":3,"text":"x"}`, idErr: true, kErr: true, text: "x"},
		{in: `{"text":null}`, tErr: true},
		{in: `{}`, tErr: true},
		{in: `{"text":""}`, tErr: true},
		{in: `{"text":5,"source":"repo"}`, tErr: true, sErr: true},
		{in: `{"text":"x","source":{"start_line":"3"}}`, text: "x", sErr: true},
	}
	for _, tt := range tests {
		rec, err := ParseRecord([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		id, err := rec.ID()
		if id != tt.id || (err != nil) != tt.idErr {
			t.Errorf("%s: ID() = %q, %v", tt.in, id, err)
		}
		kind, err := rec.Kind()
		if kind != tt.kind || (err != nil) != tt.kErr {
			t.Errorf("%s: Kind() = %q, %v", tt.in, kind, err)
		}
		text, err := rec.Text()
		if text != tt.text || (err != nil) != tt.tErr {
			t.Errorf("%s: Text() = %q, %v", tt.in, text, err)
		}
		src, err := rec.Source()
		if src.Path != tt.path || (err != nil) != tt.sErr {
			t.Errorf("%s: Source() = %+v, %v", tt.in, src, err)
		}
	}
}

func TestNewID(t *testing.T) {
	a, b := NewID("x-", "ab", "c"), NewID("x-", "a", "bc")
	if a == b || len(a) != 22 || !strings.HasPrefix(a, "x-") {
		t.Errorf("NewID: %q and %q; want distinct ids of prefix and 20 hex digits", a, b)
	}
	if NewID("x-", "42") == NewID("x-", "43") {
		t.Error("NewID ignores its parts")
	}
	if want := "x-6e340b9cffb37a989ca5"; NewID("x-", "") != want {
		t.Errorf(`NewID("x-", "") = %q; want %q (sha256 of one NUL byte)`, NewID("x-", ""), want)
	}
}

// TestOutputIsAtomic: a file output appears only when closed whole; an
// aborted one leaves nothing; an existing file is untouched until then.
func TestOutputIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	os.WriteFile(path, []byte("old\n"), 0o600)
	w, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "new\n")
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("while writing, the file holds %q; want the old content", got)
	}
	w.Abort()
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("after Abort the file holds %q; want the old content", got)
	}
	w, _ = Create(path, nil)
	io.WriteString(w, "new\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Errorf("after Close the file holds %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; want the old file's 0600 kept", st.Mode().Perm())
	}
	w, _ = Create(filepath.Join(dir, "gone.jsonl.zst"), nil)
	io.WriteString(w, "x\n")
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v; want only out.jsonl (no temporary files)", names)
	}
	// A device is written in place, never replaced.
	w, err = Create(os.DevNull, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "x")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(os.DevNull); st.Mode().IsRegular() {
		t.Fatal("/dev/null was replaced by a regular file")
	}
	var buf bytes.Buffer
	w, _ = Create("-", &buf)
	io.WriteString(w, "out")
	w.Close()
	if buf.String() != "out" {
		t.Errorf("stdout got %q", buf.String())
	}
}

// FuzzCompressed: any .gz or .zst stream, cut or corrupted anywhere, ends
// in io.EOF or one *ReadError, after a bounded number of lines.
func FuzzCompressed(f *testing.F) {
	payload := records(300)
	for _, zst := range []bool{false, true} {
		data := compress(zst, payload)
		for _, cut := range []int{len(data), len(data) / 2, 20, 7} {
			f.Add(zst, data[:cut])
			flipped := append([]byte(nil), data[:cut]...)
			flipped[len(flipped)/2] ^= 0x81
			f.Add(zst, flipped)
		}
	}
	f.Fuzz(func(t *testing.T, zst bool, data []byte) {
		name := "x.jsonl.gz"
		if zst {
			name = "x.jsonl.zst"
		}
		rc, err := Decompress(bytes.NewReader(data), name)
		if err != nil {
			return // a header refused at once
		}
		defer rc.Close()
		r := NewReader(rc, name)
		r.Max = 1 << 20
		for n := 0; ; n++ {
			if n > 1<<16 {
				t.Fatal("over 65,536 lines from a small stream: the reader does not stop")
			}
			_, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *ReadError
			if errors.As(err, &re) {
				if _, again := r.Next(); again != err {
					t.Fatalf("after a ReadError, Next gave %v", again)
				}
				return
			}
		}
	})
}

// compress gzips or zstds text in memory, as Create does on disk.
func compress(zst bool, text string) []byte {
	var buf bytes.Buffer
	var zw io.WriteCloser = kgzip.NewWriter(&buf)
	if zst {
		zw, _ = zstd.NewWriter(&buf)
	}
	io.WriteString(zw, text)
	zw.Close()
	return buf.Bytes()
}

// TestOutputThroughSymlink: -o a symlink writes its target and keeps the
// link; a link to nothing is refused rather than replaced.
func TestOutputThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target.jsonl"), filepath.Join(dir, "link.jsonl")
	os.WriteFile(target, []byte("old\n"), 0o644)
	os.Symlink("target.jsonl", link)
	w, err := Create(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "new\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("target holds %q; want the new content", got)
	}
	os.Symlink("nowhere.jsonl", filepath.Join(dir, "dangling.jsonl"))
	if _, err := Create(filepath.Join(dir, "dangling.jsonl"), nil); err == nil {
		t.Error("a dangling link was accepted as output")
	}
}

// TestManyKeys: a record of many keys parses in linear time (a map past 32
// keys) and keeps encoding/json's rule for a repeated key: its first place,
// its last value.
func TestManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"k0":0`)
	for i := 1; i < 200_000; i++ {
		b.WriteString(`,"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i))
	}
	b.WriteString(`,"k3":"again","k40":"late"}`)
	rec, err := ParseRecord([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Fields) != 200_000 || rec.Fields[3].Key != "k3" || string(rec.Get("k3")) != `"again"` || string(rec.Fields[40].Value) != `"late"` {
		t.Errorf("%d fields, k3 = %s at %s, k40 = %s", len(rec.Fields), rec.Get("k3"), rec.Fields[3].Key, rec.Fields[40].Value)
	}
}
