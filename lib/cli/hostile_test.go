package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dwkit/dwkit/ndjson"
)

// runFiles runs upper with real files as stdin and stdout where given.
func runFiles(t *testing.T, stdin, stdout *os.File, args ...string) (code int, stderr string) {
	t.Helper()
	var errb bytes.Buffer
	io := Stdio{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errb}
	if stdin != nil {
		io.In = stdin
	}
	if stdout != nil {
		io.Out = stdout
	}
	code = Main("upper", upperDoc, args, io, &upper{})
	return code, errb.String()
}

// TestTruncatedInputEndsOnce: a cut or corrupt compressed input ends the
// run with one error naming the file and its last good line, exit 1, and
// leaves no output file.
func TestTruncatedInputEndsOnce(t *testing.T) {
	dir := t.TempDir()
	var payload strings.Builder
	for range 50000 {
		payload.WriteString(`{"text":"some text to compress"}` + "\n")
	}
	for _, name := range []string{"in.jsonl.gz", "in.jsonl.zst", "plain.zst"} {
		path := filepath.Join(dir, name)
		if name == "plain.zst" {
			os.WriteFile(path, []byte(payload.String()), 0o644)
		} else {
			w, _ := ndjson.Create(path, nil)
			w.Write([]byte(payload.String()))
			w.Close()
			data, _ := os.ReadFile(path)
			os.WriteFile(path, data[:len(data)/2], 0o644)
		}
		out := filepath.Join(dir, "out-"+name+".jsonl")
		code, errs := runFiles(t, nil, nil, "-i", path, "-o", out)
		if code != ExitFailure {
			t.Errorf("%s: exit %d; want 1", name, code)
		}
		if n := strings.Count(errs, "\n"); n != 1 || !strings.Contains(errs, "upper: "+path) {
			t.Errorf("%s: stderr has %d lines; want one naming the file:\n%.500s", name, n, errs)
		}
		if name != "plain.zst" && !strings.Contains(errs, "unreadable after line ") {
			t.Errorf("%s: stderr does not give the last good line: %s", name, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a failed run left its output %s", name, out)
		}
	}
}

// TestOutputIsNotAnInput: -i X -o X, or stdin or stdout being X, is refused
// (exit 2) before X is touched.
func TestOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.jsonl")
	content := `{"text":"keep me"}` + "\n"
	os.WriteFile(path, []byte(content), 0o644)
	link := filepath.Join(dir, "link.jsonl")
	os.Symlink(path, link)
	open := func(flag int) *os.File {
		f, err := os.OpenFile(path, flag, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	cases := []struct {
		name          string
		stdin, stdout *os.File
		args          []string
	}{
		{"-i X -o X", nil, nil, []string{"-i", path, "-o", path}},
		{"-i X -o link to X", nil, nil, []string{"-i", path, "-o", link}},
		{"stdin X -o X", open(os.O_RDONLY), nil, []string{"-o", path}},
		{"-i X >> X", nil, open(os.O_WRONLY | os.O_APPEND), []string{"-i", path}},
	}
	for _, c := range cases {
		code, errs := runFiles(t, c.stdin, c.stdout, c.args...)
		if code != ExitUsage || !strings.Contains(errs, "is also the input") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and a refusal", c.name, code, errs)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("%s: the input now holds %q", c.name, got)
		}
	}
}

func TestBOMAndInvalidUTF8(t *testing.T) {
	in := "\xef\xbb\xbf" + `{"text":"bom"}` + "\n" + `{"text":"a` + "\xff" + `b"}` + "\n" + `{"text":"c\ud800d","k":"\udfff"}` + "\n"
	code, out, errs := run(t, in)
	want := `{"text":"BOM"}` + "\n" + `{"text":"A` + "\uFFFD" + `B"}` + "\n" + `{"text":"C` + "\uFFFD" + `D","k":"\ufffd"}` + "\n"
	if code != ExitOK || out != want {
		t.Errorf("exit %d, stdout %q; want 0 and %q\n%s", code, out, want, errs)
	}
	if !utf8.ValidString(out) {
		t.Error("output is not UTF-8")
	}
	for _, w := range []string{"upper: warning: stdin:2: 1 invalid UTF-8", "upper: warning: stdin:3: 2 invalid UTF-8"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
}

func TestMissingTextIsABadLine(t *testing.T) {
	code, out, errs := run(t, `{"text":null}`+"\n"+`{"id":1}`+"\n"+`{"text":""}`+"\n"+`{"text":7}`+"\n")
	if code != ExitFailure || out != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	for _, w := range []string{`stdin:1: missing field "text"`, `stdin:2: missing field "text"`, `stdin:3: field "text" is empty`, `stdin:4: field "text": want a string, not a number`} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
}

func TestReportsEscapeControls(t *testing.T) {
	var b bytes.Buffer
	r := &Reporter{name: "x", w: &b}
	r.Warnf("%s: not found", "evil\x1b[2J\x07.rs")
	if got := b.String(); got != "x: warning: evil\\x1b[2J\\x07.rs: not found\n" {
		t.Errorf("report = %q", got)
	}
}
