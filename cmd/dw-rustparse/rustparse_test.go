package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
)

// runTool runs the command in-process and returns its exit code and output.
func runTool(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// records decodes an NDJSON output into kind+name strings.
func records(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r struct {
			Kind   string `json:"kind"`
			Source struct {
				Path string `json:"path"`
			} `json:"source"`
			Rust struct {
				Name string `json:"name"`
			} `json:"rust"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad output line %q: %v", line, err)
		}
		got = append(got, r.Kind+" "+r.Source.Path+" "+r.Rust.Name)
	}
	return got
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadInput: every bad file gets a clear stderr line naming it, the good
// files are still written, and the exit status says something went wrong.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	pad := "\n// " + strings.Repeat("padding ", 20) + "\n"
	write(t, filepath.Join(dir, "good.rs"), []byte("pub fn good() {}"+pad))
	write(t, filepath.Join(dir, "latin1.rs"), []byte("fn a() {}\n// caf\xe9\n"+pad))
	write(t, filepath.Join(dir, "nul.rs"), []byte("fn b() {}\x00"+pad))
	write(t, filepath.Join(dir, "huge.rs"), []byte("const X: &str = \""+strings.Repeat("x", 600<<10)+"\";"))
	write(t, filepath.Join(outside, "secret.rs"), []byte("fn secret() {}"+pad))
	os.Symlink(filepath.Join(outside, "secret.rs"), filepath.Join(dir, "escape.rs"))
	os.Symlink(filepath.Join(dir, "nowhere.rs"), filepath.Join(dir, "dangling.rs"))

	code, out, errs := runTool(t, "--kinds", "fn", dir)
	if got := records(t, out); strings.Join(got, "|") != "fn good.rs good" {
		t.Errorf("records = %q; want only good.rs's fn", got)
	}
	if code != cli.ExitFailure {
		t.Errorf("exit code = %d; want 1", code)
	}
	for _, want := range []string{
		"error: dangling.rs: unreadable:",
		"error: latin1.rs:2: not valid UTF-8 (byte 16)",
		"warning: nul.rs: skipped: binary content",
		"warning: escape.rs: skipped: a symlink out of the repository",
		"2 files (0.6 MB)", // huge.rs is parsed for items all the same
		"1 files parsed for items without a file record (0 under --min-size, 1 over --max-size)",
		"dw-rustparse: 2 error(s) reported above",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// --fail-fast stops at the first error.
	if code, _, errs := runTool(t, "--fail-fast", "--workers", "1", dir); code != cli.ExitFailure || !strings.Contains(errs, "stopped at the first error") {
		t.Errorf("--fail-fast: code %d, stderr %s", code, errs)
	}
}

// TestPathologicalSources: deep nesting, unclosed braces and a 50 MB
// one-line file neither crash nor hang; each gets a clear outcome.
func TestPathologicalSources(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50 MB file")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nested.rs"), []byte("fn deep() "+strings.Repeat("{", 100_000)+strings.Repeat("}", 100_000)+"\nfn after_nested() {}\n"))
	write(t, filepath.Join(dir, "unclosed.rs"), []byte("fn open() "+strings.Repeat("{", 100_000)+"\nfn after_unclosed() {}\n"))
	write(t, filepath.Join(dir, "oneline.rs"), []byte("const BIG: &[u8] = &["+strings.Repeat("1,", 25_000_000)+"];"))

	// By default the 50 MB file is over the size window: a warning.
	code, out, errs := runTool(t, "--kinds", "fn", dir)
	want := "fn nested.rs deep|fn nested.rs after_nested|fn unclosed.rs after_unclosed"
	if got := strings.Join(records(t, out), "|"); got != want || code != 0 {
		t.Errorf("default: code %d, records %q; want 0, %q\n%s", code, got, want, errs)
	}
	if !strings.Contains(errs, "oneline.rs: not parsed: 50.0 MB is over --max-parse 8MiB") {
		t.Errorf("default: stderr lacks the size warning:\n%s", errs)
	}
	// Let in, it is over the parse cap: written as a file, not parsed.
	code, out, errs = runTool(t, "--kinds", "fn", "--max-size", "64MiB", dir)
	if got := strings.Join(records(t, out), "|"); got != want || code != 0 || !strings.Contains(errs, "oneline.rs: not parsed: 50.0 MB is over --max-parse 8MiB") {
		t.Errorf("--max-size 64MiB: code %d, records %q; want 0, %q and a warning\n%s", code, got, want, errs)
	}
	// Parsed too, it is stopped by the time limit; the rest goes on.
	code, out, errs = runTool(t, "--kinds", "fn", "--max-size", "64MiB", "--max-parse", "64MiB", "--parse-timeout", "2s", dir)
	if got := strings.Join(records(t, out), "|"); got != want {
		t.Errorf("--max-parse 64MiB: records %q; want %q", got, want)
	}
	if code != cli.ExitFailure || !strings.Contains(errs, "oneline.rs: parse did not finish within --parse-timeout 2s") {
		t.Errorf("--max-parse 64MiB: code %d, stderr:\n%s", code, errs)
	}
}

// TestDeterministic: the same tree gives the same bytes whatever --workers.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := range 60 {
		var b strings.Builder
		for j := range i * 7 {
			b.WriteString("/// doc ü\n#[inline]\npub fn f")
			b.WriteString(strings.Repeat("x", j%5+1))
			b.WriteString("() -> u8 { 1 }\nimpl T for S { fn m(&self) {} }\n")
		}
		write(t, filepath.Join(dir, "src", "m"+strings.Repeat("a", i%4), filepath.Base(t.Name())+string(rune('a'+i%26))+string(rune('a'+i/26))+".rs"), []byte(b.String()+"// "+strings.Repeat("pad ", 40)))
	}
	_, one, _ := runTool(t, "--workers", "1", dir)
	for _, w := range []string{"2", "8"} {
		if _, got, _ := runTool(t, "--workers", w, dir); got != one {
			t.Fatalf("--workers %s output differs from --workers 1", w)
		}
	}
	if n := strings.Count(one, "\n"); n < 1000 {
		t.Fatalf("only %d records: the tree is too small to test ordering", n)
	}
}

// TestHostileSources: output and work stay linear in the input for a long
// call chain, deep nesting and a file too large to parse (issue 9).
func TestHostileSources(t *testing.T) {
	dir := t.TempDir()
	chain := "pub fn big() { a" + strings.Repeat(".b().a", 16000) + ".c(); }\n" // 96 KB, 16,001 calls
	write(t, filepath.Join(dir, "chain/src/lib.rs"), []byte(chain))
	nest := strings.Repeat("mod a { ", 20000) + "fn f() {}" + strings.Repeat(" }", 20000) + "\n" // 200 KB
	write(t, filepath.Join(dir, "nest/src/lib.rs"), []byte(nest))
	big := "pub const X: &[u8] = &[" + strings.Repeat("1, ", 400_000) + "];\n" // 1.2 MB
	write(t, filepath.Join(dir, "big/src/lib.rs"), []byte(big))

	code, out, errs := runTool(t, "--calls", filepath.Join(dir, "chain"))
	if code != 0 || len(out) > 20*len(chain) {
		t.Errorf("chain: exit %d, %d bytes of output for %d of input; want at most 20 times the input:\n%s", code, len(out), len(chain), errs)
	}
	var fn struct {
		Rust struct {
			Calls []struct{ Receiver, Text string }
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, `"kind":"fn"`) {
			json.Unmarshal([]byte(line), &fn)
		}
	}
	if n := len(fn.Rust.Calls); n != 16001 {
		t.Errorf("chain: %d call sites; want 16001 (every call kept)", n)
	}
	// Pre-order: the outermost call, on the longest receiver, comes first.
	if n := len(fn.Rust.Calls); n > 0 && (fn.Rust.Calls[n-1].Text != "a.b" || fn.Rust.Calls[n-1].Receiver != "a" || fn.Rust.Calls[0].Text != "….c" || fn.Rust.Calls[0].Receiver != "") {
		t.Errorf("chain: first call %+v, last %+v; want ….c without its receiver, and a.b on a", fn.Rust.Calls[0], fn.Rust.Calls[n-1])
	}

	code, out, errs = runTool(t, "--calls", "--kinds", "mod", filepath.Join(dir, "nest"))
	if n := strings.Count(out, "\n"); code != 0 || n != 33 || len(out) > 40*len(nest) {
		t.Errorf("nest: exit %d, %d records, %d bytes; want 33 modules (to depth 32) and output linear in the input", code, n, len(out))
	}
	if !strings.Contains(errs, "1 item(s) nested over 32 deep") {
		t.Errorf("nest: no warning about the nesting:\n%s", errs)
	}

	uses := "use a::{" + strings.Repeat("x, b::{", 12000) + "c" + strings.Repeat("}", 12000) + "};\n" // 96 KB
	write(t, filepath.Join(dir, "uses/src/lib.rs"), []byte(uses))
	code, out, errs = runTool(t, "--calls", "--min-size", "0", filepath.Join(dir, "uses"))
	if code != 0 || len(out) > 4*len(uses) || !strings.Contains(errs, "use tree(s) nested over 32 deep") {
		t.Errorf("nested use tree: exit %d, %d bytes of output for %d of input; want a warning and linear output\n%s", code, len(out), len(uses), errs)
	}

	code, out, errs = runTool(t, "--max-size", "10MiB", "--max-parse", "1MiB", filepath.Join(dir, "big"))
	if got := records(t, out); code != 0 || len(got) != 1 || got[0] != "file src/lib.rs " || !strings.Contains(errs, "not parsed: 1.2 MB is over --max-parse 1MiB") {
		t.Errorf("big: exit %d, records %q; want the file record alone and a warning:\n%s", code, got, errs)
	}
	if code, _, errs = runTool(t, "--min-size", "10k", "--max-size", "1k", dir); code != cli.ExitUsage {
		t.Errorf("--min-size over --max-size: exit %d; want 2\n%s", code, errs)
	}
}
