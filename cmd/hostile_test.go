package cmd_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dwkit/dwkit/ndjson"
)

// readers are the tools that read records, with the flags each needs.
var readers = []struct {
	tool string
	args []string
}{
	{"dw-split", nil},
	{"dw-link", []string{"--repo", "checkout"}},
	{"dw-callgraph", nil},
	{"dw-group", nil},
	{"dw-tokwindow", nil},
	{"dw-fim", nil},
	{"dw-render", []string{"--preset", "file-tags"}},
	{"dw-mine", nil},
	{"dw-stats", nil},
	{"dw-upload", []string{"me/ds", "--out", "upload"}},
	{"dw-redact", nil},
	{"dw-mix", []string{"--dedup", "near", "--split", "train:0.9,validation:0.1"}},
}

// runTool runs a built tool in dir with a time limit: a hang is a failure.
func runTool(t *testing.T, dir, stdin string, tool string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, tool), args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not end within a minute; stderr: %.500s", tool, args, errb.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// TestEveryReaderOnHostileStreams runs every record-reading tool on the
// stream cases of issue 9: a truncated compressed input, the input as the
// output, a BOM and invalid UTF-8.
func TestEveryReaderOnHostileStreams(t *testing.T) {
	dir := t.TempDir()
	rec := `{"id":"r1","kind":"fn","text":"fn main() { println!(\"hi\"); }","source":{"repo":"r","path":"src/main.rs","start_line":1,"end_line":1},"rust":{"name":"main","path":"r::main","module":"r","crate":"r"},"chunk":{"citations":[]}}` + "\n"
	var payload strings.Builder
	for range 20000 {
		payload.WriteString(rec)
	}
	full := filepath.Join(dir, "in.jsonl.zst")
	w, _ := ndjson.Create(full, nil)
	w.Write([]byte(payload.String()))
	w.Close()
	data, _ := os.ReadFile(full)
	cut := filepath.Join(dir, "cut.jsonl.zst")
	os.WriteFile(cut, data[:len(data)*2/3], 0o644)
	os.Mkdir(filepath.Join(dir, "checkout"), 0o755) // dw-link's --repo: -o may not be inside it
	same := filepath.Join(dir, "same.jsonl")
	os.WriteFile(same, []byte(rec), 0o644)
	for _, r := range readers {
		t.Run(r.tool, func(t *testing.T) {
			out := filepath.Join(dir, r.tool+".out.jsonl")
			code, _, errs := runTool(t, dir, "", r.tool, append([]string{"-i", cut, "-o", out}, r.args...)...)
			if code != 1 || strings.Count(errs, "unreadable after line") != 1 || strings.Count(errs, "\n") > 3 {
				t.Errorf("truncated input: exit %d; want 1 and one error line naming the last good line:\n%.1000s", code, errs)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("truncated input: the failed run left %s", out)
			}
			code, _, errs = runTool(t, dir, "", r.tool, append([]string{"-i", same, "-o", same}, r.args...)...)
			if got, _ := os.ReadFile(same); code != 2 || string(got) != rec {
				t.Errorf("-i X -o X: exit %d, input now %d bytes; want 2 and the input untouched: %s", code, len(got), errs)
			}
			bad := "\xef\xbb\xbf" + strings.Replace(rec, `println!`, "print\xff\\ud800ln!", 1)
			code, stdout, errs := runTool(t, dir, bad, r.tool, r.args...)
			if !utf8.ValidString(stdout) || strings.Contains(stdout, `\ud800`) {
				t.Errorf("BOM and invalid UTF-8: the output is not valid UTF-8: %.300q", stdout)
			}
			if !strings.Contains(errs, "stdin:1: 2 invalid UTF-8") || strings.Contains(errs, "stdin:1: invalid JSON") {
				t.Errorf("BOM and invalid UTF-8: exit %d; want the line read, with a warning:\n%s", code, errs)
			}
		})
	}
}

// TestImpossibleFlags: values that cannot be are usage errors (exit 2),
// never a panic, a hang or a silent default.
func TestImpossibleFlags(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"dw-fim", "--workers=-1"}, {"dw-fim", "--workers=1000000000"}, {"dw-stats", "--max-line", "0"},
		{"dw-mine", "--top=-1"}, {"dw-mine", "--macros=-1"}, {"dw-mine", "--max-impls=0"}, {"dw-mine", "--context=-1"},
		{"dw-mine", "--min-impls", "10", "--max-impls", "2"},
		{"dw-callgraph", "--fanout=-1"}, {"dw-callgraph", "--depth=-1"},
		{"dw-group", "--min-impls=-1"}, {"dw-group", "--small", "1MiB", "--dir-max", "1KiB"},
		{"dw-rustparse", "--parse-timeout", "0s", "."}, {"dw-rustparse", "--parse-timeout=-1s", "."},
		{"dw-scrape", "--timeout", "0s", "a/b"}, {"dw-scrape", "--backoff=-2s", "a/b"}, {"dw-scrape", "--max-bytes", "0", "a/b"},
		{"dw-mix", "a.jsonl:-1"}, {"dw-mix", "a.jsonl:0"}, {"dw-mix", "--split", "train:0.5"}, {"dw-mix", "--memory", "1MiB"},
		{"dw-fim", "--fim-rate", "NaN"}, {"dw-tokwindow", "--tokenizer", "bogus"}, {"dw-rustparse", "--min-size", "10k", "--max-size", "1k", "."},
	}
	for _, c := range cases {
		if code, _, errs := runTool(t, dir, "", c[0], c[1:]...); code != 2 {
			t.Errorf("%v: exit %d; want 2\n%s", c, code, errs)
		}
	}
}

// TestInterruptLeavesNothing: a run interrupted while writing -o leaves
// neither its output nor the temporary file, and ends by the signal.
func TestInterruptLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	f, _ := os.Create(in)
	for range 2_000_000 {
		f.WriteString(`{"id":"a","text":"fn main() { println!(\"hi\"); }"}` + "\n")
	}
	f.Close()
	out := filepath.Join(dir, "out.jsonl")
	cmd := exec.Command(filepath.Join(binDir, "dw-fim"), "-i", in, "-o", out, "--workers", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for { // wait for the temporary file
		if tmp, _ := filepath.Glob(filepath.Join(dir, ".out.jsonl.tmp-*")); len(tmp) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
		t.Errorf("interrupted run: %v; want it ended by the signal", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*out.jsonl*")); len(left) != 0 {
		t.Errorf("the interrupted run left %v", left)
	}
}

// TestTerminatedUploadLeavesNoShards: dw-upload ended by a signal while
// writing removes its unfinished Parquet shards.
func TestTerminatedUploadLeavesNoShards(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	f, _ := os.Create(in)
	for i := range 1_000_000 {
		fmt.Fprintf(f, `{"id":"r%d","text":"fn a%d() {}"}`+"\n", i, i)
	}
	f.Close()
	out := filepath.Join(dir, "ds")
	cmd := exec.Command(filepath.Join(binDir, "dw-upload"), "me/ds", "--out", out, "-i", in)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if tmp, _ := filepath.Glob(filepath.Join(out, "data", ".*.tmp")); len(tmp) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if left, _ := filepath.Glob(filepath.Join(out, "data", "*")); len(left) != 0 {
		t.Errorf("the terminated upload left %v", left)
	}
	if tmp, _ := filepath.Glob(filepath.Join(out, "data", ".*")); len(tmp) != 0 {
		t.Errorf("the terminated upload left %v", tmp)
	}
}
