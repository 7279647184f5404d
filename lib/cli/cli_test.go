package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/ndjson"
)

// upper is a toy filter: it upper-cases "text" and fails on records without it.
type upper struct {
	Common
	Input
}

func (u *upper) Run(env *Env) error {
	return Filter(env, &u.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		s, err := rec.Text()
		if err != nil {
			return nil, err
		}
		return []*ndjson.Record{rec}, rec.SetValue("text", strings.ToUpper(s))
	})
}

const upperDoc = `Upper upper-cases text.

Examples:

	upper < in.jsonl`

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main("upper", upperDoc, args, Stdio{strings.NewReader(stdin), &out, &errb}, &upper{})
	return code, out.String(), errb.String()
}

func TestFilterGoodAndBadLines(t *testing.T) {
	in := `{"text":"a<b","keep":[1, 2]}` + "\nnot json\n" + `{"other":1}` + "\n\n" + `{"text":"c"}` + "\n"
	for _, workers := range []string{"1", "3"} {
		code, out, errs := run(t, in, "--workers", workers)
		wantOut := `{"text":"A<B","keep":[1, 2]}` + "\n" + `{"text":"C"}` + "\n"
		if out != wantOut {
			t.Errorf("workers=%s: stdout = %q; want %q", workers, out, wantOut)
		}
		if code != ExitFailure {
			t.Errorf("workers=%s: exit code = %d; want 1", workers, code)
		}
		for _, want := range []string{"upper: error: stdin:2: invalid JSON", `upper: error: stdin:3: missing field "text"`, "upper: 2 error(s) reported above"} {
			if !strings.Contains(errs, want) {
				t.Errorf("workers=%s: stderr %q lacks %q", workers, errs, want)
			}
		}
	}
}

func TestFailFast(t *testing.T) {
	code, out, errs := run(t, "x\n{\"text\":\"a\"}\n", "--fail-fast")
	if code != ExitFailure || out != "" || !strings.Contains(errs, "--fail-fast") {
		t.Errorf("fail-fast: code %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestCompressedInputOutput(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.jsonl.gz"), filepath.Join(dir, "out.jsonl.zst")
	w, _ := ndjson.Create(in, nil)
	w.Write([]byte(`{"text":"x"}` + "\n"))
	w.Close()
	if code, _, errs := run(t, "", "-i", in, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r, _ := ndjson.Open(out, nil)
	defer r.Close()
	var got map[string]string
	if err := json.NewDecoder(r).Decode(&got); err != nil || got["text"] != "X" {
		t.Fatalf("read back %v, %v; want text X", got, err)
	}
}

func TestUsageAndHelpAndVersion(t *testing.T) {
	if code, _, errs := run(t, "", "--no-such-flag"); code != ExitUsage || !strings.Contains(errs, "upper: unknown flag --no-such-flag") {
		t.Errorf("bad flag: code %d, stderr %q", code, errs)
	}
	code, out, _ := run(t, "", "--help")
	if code != ExitOK || !strings.Contains(out, "Upper upper-cases text.") || !strings.Contains(out, "upper < in.jsonl") || !strings.Contains(out, "--fail-fast") {
		t.Errorf("--help: code %d, stdout %q", code, out)
	}
	if code, out, _ := run(t, "", "--version"); code != ExitOK || !strings.HasPrefix(out, "upper ") {
		t.Errorf("--version: code %d, stdout %q", code, out)
	}
	if _, err := os.Stat("/nonexistent-dir/x.jsonl"); err == nil {
		t.Skip("unexpected file")
	}
	if code, _, errs := run(t, "", "-i", "/nonexistent-dir/x.jsonl"); code != ExitFailure || !strings.Contains(errs, "no such file") {
		t.Errorf("missing input: code %d, stderr %q", code, errs)
	}
}

func TestDoc(t *testing.T) {
	src := "/*\nTool does x.\n\n\ttool y\n*/\npackage main\n"
	if got, want := Doc(src), "Tool does x.\n\n\ttool y"; got != want {
		t.Errorf("Doc = %q; want %q", got, want)
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		in   string
		want Size
		err  bool
	}{
		{"100", 100, false}, {"100B", 100, false}, {"500KB", 500 << 10, false}, {"500k", 500 << 10, false},
		{"64MiB", 64 << 20, false}, {"1G", 1 << 30, false}, {"", 0, true}, {"12XB", 0, true}, {"-1", 0, true},
	}
	for _, tt := range tests {
		var s Size
		err := s.UnmarshalText([]byte(tt.in))
		if (err != nil) != tt.err || (err == nil && s != tt.want) {
			t.Errorf("Size(%q) = %d, %v; want %d (error %v)", tt.in, s, err, tt.want, tt.err)
		}
	}
	if got := Size(500 << 10).String(); got != "500KiB" {
		t.Errorf("String = %q; want 500KiB", got)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want Tokens
		err  bool
	}{{"512", 512, false}, {"2k", 2000, false}, {"16K", 16000, false}, {"1.5k", 1500, false}, {"1m", 1000000, false},
		{"16384", 16384, false}, {"0.0001k", 0, true}, {"-2k", 0, true}, {"2x", 0, true}, {"", 0, true}}
	for _, tt := range tests {
		var n Tokens
		err := n.UnmarshalText([]byte(tt.in))
		if (err != nil) != tt.err || err == nil && n != tt.want {
			t.Errorf("Tokens(%q) = %d, %v; want %d (error %v)", tt.in, n, err, tt.want, tt.err)
		}
	}
}

func TestReporterCounts(t *testing.T) {
	var b bytes.Buffer
	r := &Reporter{name: "x", w: &b, failFast: true}
	if err := r.Error(errors.New("bad")); err != ErrFailFast {
		t.Errorf("Error under fail-fast = %v; want ErrFailFast", err)
	}
	r.Warnf("w %d", 1)
	if r.Errors() != 1 || b.String() != "x: error: bad\nx: warning: w 1\n" {
		t.Errorf("errors %d, output %q", r.Errors(), b.String())
	}
}

func TestChoices(t *testing.T) {
	valid := []string{"a", "b", "c"}
	if got, err := Choices("--x", "all", valid); err != nil || len(got) != 3 {
		t.Errorf("all: %v, %v", got, err)
	}
	if got, err := Choices("--x", " b,c ", valid); err != nil || !got["b"] || !got["c"] || got["a"] {
		t.Errorf("b,c: %v, %v", got, err)
	}
	var usage *UsageError
	if _, err := Choices("--x", "a,z", valid); !errors.As(err, &usage) || !strings.Contains(err.Error(), `--x: unknown "z"`) {
		t.Errorf("unknown: %v", err)
	}
}

// TestCheckSideOutput: a report may be neither an input nor the records'
// output, by name or as the file stdout goes to.
func TestCheckSideOutput(t *testing.T) {
	dir := t.TempDir()
	in, out, rep := filepath.Join(dir, "in"), filepath.Join(dir, "out"), filepath.Join(dir, "rep")
	for _, f := range []string{in, out} {
		os.WriteFile(f, nil, 0o644)
	}
	stdout, _ := os.Create(filepath.Join(dir, "stdout"))
	defer stdout.Close()
	env := &Env{Stdio: Stdio{Out: stdout}, Common: &Common{Output: out}}
	env.NoteInputFile(in)
	for name, bad := range map[string]bool{in: true, out: true, dir + "/./out": true, rep: false} {
		if err := env.CheckSideOutput("report", name); (err != nil) != bad {
			t.Errorf("%s: %v", name, err)
		}
	}
	env.Common.Output = "-"
	if err := env.CheckSideOutput("report", stdout.Name()); err == nil || !strings.Contains(err.Error(), "--report") {
		t.Errorf("stdout's file: %v", err)
	}
	if err := env.CheckSideOutput("report", out); err != nil {
		t.Errorf("with -o -: %v", err)
	}
}
