package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/web/hfhub/hubtest"
)

const token = "hf_dwupload_test_token_42"

// hub starts the stand-in and points dw-upload at it.
func hub(t *testing.T) *hubtest.Server {
	srv := hubtest.New(token)
	t.Cleanup(srv.Close)
	t.Setenv("HF_ENDPOINT", srv.URL)
	t.Setenv("HF_TOKEN", token)
	t.Setenv("TMPDIR", t.TempDir()) // what dw-upload leaves there is checked
	return srv
}

// someRecords are records of two splits with nested fields.
func someRecords(n int) string {
	var b strings.Builder
	for i := range n {
		split := "train"
		if i%5 == 4 {
			split = "validation"
		}
		rec := map[string]any{"id": "r" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), "split": split,
			"text": strings.Repeat("fn f() {}\n", i%7+1), "source": map[string]any{"repo": "o/r", "path": "src/lib.rs"},
			"tokens": map[string]any{"count": i * 3}}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// local makes the dataset with --out, for comparison with what was uploaded.
func local(t *testing.T, in string, args ...string) map[string][]byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ds")
	if code, _, errs := runTool(t, in, append([]string{"me/ds", "--out", dir}, args...)...); code != 0 {
		t.Fatalf("--out: exit %d: %s", code, errs)
	}
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	return files
}

// checkHub: the Hub's branch holds exactly the files made locally, the
// stand-in saw no breach, and commits commits were made.
func checkHub(t *testing.T, srv *hubtest.Server, branch string, want map[string][]byte, commits int) {
	t.Helper()
	got := srv.Files("me/ds", branch)
	delete(got, ".gitattributes")
	if len(got) != len(want) {
		t.Errorf("Hub files %v, want %v", slices.Sorted(mapsKeys(got)), slices.Sorted(mapsKeys(want)))
	}
	for p, content := range want {
		if !bytes.Equal(got[p], content) {
			t.Errorf("%s: %d bytes on the Hub differ from the %d made locally", p, len(got[p]), len(content))
		}
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("protocol breaches: %q", v)
	}
	if n := srv.Commits(); n != commits {
		t.Errorf("%d commits, want %d", n, commits)
	}
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// tmpLeft lists what dw-upload left in $TMPDIR.
func tmpLeft(t *testing.T) []string {
	entries, _ := os.ReadDir(os.Getenv("TMPDIR"))
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestUpload(t *testing.T) {
	srv := hub(t)
	in := someRecords(40)
	code, out, errs := runTool(t, in, "me/ds", "--private")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := local(t, in)
	checkHub(t, srv, "main", want, 1)
	var res struct {
		Uploaded  bool   `json:"uploaded"`
		Commit    string `json:"commit"`
		Sent      int    `json:"files_sent"`
		Unchanged int    `json:"files_unchanged"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Uploaded || res.Commit != srv.Head("me/ds", "main") || res.Sent != 3 || res.Unchanged != 0 {
		t.Errorf("output %s", out)
	}
	if !srv.Private("me/ds") {
		t.Error("not created private")
	}
	if strings.Contains(out+errs, token) {
		t.Error("the token shows in the output")
	}
	if left := tmpLeft(t); len(left) > 0 {
		t.Errorf("left in $TMPDIR: %v", left)
	}
	// again: nothing to commit, nothing sent
	code, out, errs = runTool(t, in, "me/ds")
	if code != 0 || !strings.Contains(errs, "already holds these 3 files: nothing to commit") || !strings.Contains(out, `"files_unchanged":3`) {
		t.Errorf("again: exit %d, %s: %s", code, out, errs)
	}
	checkHub(t, srv, "main", want, 1)
}

// TestUploadFaults: faults at every stage of one upload; every file lands
// once with its content, in one commit.
func TestUploadFaults(t *testing.T) {
	srv := hub(t)
	srv.Inject(hubtest.Preupload, hubtest.Unavailable)
	srv.Inject(hubtest.Put, hubtest.Cut)
	srv.Inject(hubtest.CommitR, hubtest.DropAfter)
	in := someRecords(30)
	code, _, errs := runTool(t, in, "me/ds", "--retries", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	checkHub(t, srv, "main", local(t, in), 1)
	for _, want := range []string{"503 Service Unavailable: busy; retrying", "the commit happened"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestUploadResumes: an upload that fails half-way (storage down) commits
// nothing; running it again sends only what storage lacks and commits once.
func TestUploadResumes(t *testing.T) {
	srv := hub(t)
	srv.Inject(hubtest.Put, hubtest.None, hubtest.Unavailable, hubtest.Unavailable) // the first object goes, the second fails
	in := someRecords(30)
	code, out, errs := runTool(t, in, "me/ds", "--retries", "1")
	if code != cli.ExitFailure || out != "" || !strings.Contains(errs, "uploading me/ds:") || srv.Commits() != 0 {
		t.Fatalf("first run: exit %d, out %q, %d commits: %s", code, out, srv.Commits(), errs)
	}
	if left := tmpLeft(t); len(left) > 0 {
		t.Errorf("left in $TMPDIR after a failure: %v", left)
	}
	if n := srv.Count(hubtest.Put); n != 3 {
		t.Fatalf("%d PUTs in the first run, want 3 (one good, one failed and retried)", n)
	}
	code, _, errs = runTool(t, in, "me/ds")
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	checkHub(t, srv, "main", local(t, in), 1)
	if n := srv.Count(hubtest.Put); n != 4 {
		t.Errorf("%d PUTs in all, want 4: the second run sends only the object storage lacks", n)
	}
}

// TestFromAndSplitFolder: a folder of splits as dw-mix writes it, made
// with --out, then uploaded with --from as it is, on a branch and as a
// pull request.
func TestFromAndSplitFolder(t *testing.T) {
	srv := hub(t)
	splits := t.TempDir()
	os.WriteFile(filepath.Join(splits, "train.jsonl"), []byte(`{"id":"a","text":"x"}`+"\n"+`{"id":"b","text":"y","split":"train"}`+"\n"), 0o666)
	var zst bytes.Buffer
	zw, _ := zstd.NewWriter(&zst)
	zw.Write([]byte(`{"id":"c","text":"z"}` + "\n"))
	zw.Close()
	os.WriteFile(filepath.Join(splits, "validation.jsonl.zst"), zst.Bytes(), 0o666)
	os.WriteFile(filepath.Join(splits, "notes.txt"), []byte("not a split"), 0o666)
	dir := filepath.Join(t.TempDir(), "ds")
	code, out, errs := runTool(t, "", "me/ds", "-i", splits, "--out", dir)
	if code != 0 || !strings.Contains(out, `{"split":"train","rows":2`) || !strings.Contains(out, `{"split":"validation","rows":1`) ||
		!strings.Contains(errs, "notes.txt left out: not a split file") {
		t.Fatalf("-i DIR: exit %d, %s: %s", code, out, errs)
	}
	want := local(t, "", "-i", splits)
	code, _, errs = runTool(t, "", "me/ds", "--from", dir, "--branch", "v1")
	if code != 0 {
		t.Fatalf("--from: exit %d: %s", code, errs)
	}
	checkHub(t, srv, "v1", want, 1)
	if len(srv.Files("me/ds", "main")) != 1 {
		t.Error("main changed")
	}
	code, out, errs = runTool(t, "", "me/ds", "--from", dir, "--pr")
	if code != 0 || !strings.Contains(out, `"pull_request":"`+srv.URL+`/datasets/me/ds/discussions/1"`) {
		t.Fatalf("--pr: exit %d, %s: %s", code, out, errs)
	}
	// a split field that disagrees with its file
	os.WriteFile(filepath.Join(splits, "train.jsonl"), []byte(`{"id":"a","text":"x","split":"test"}`+"\n"), 0o666)
	code, _, errs = runTool(t, "", "me/ds", "-i", splits, "--out", filepath.Join(t.TempDir(), "x"))
	if code != cli.ExitFailure || !strings.Contains(errs, `train.jsonl:1: field "split" is "test" in the file of split "train"`) {
		t.Errorf("disagreeing split: exit %d: %s", code, errs)
	}
	// --from refuses a folder with anything else in it
	os.WriteFile(filepath.Join(dir, "secret.env"), []byte("KEY=1"), 0o666)
	if code, _, errs := runTool(t, "", "me/ds", "--from", dir); code != cli.ExitUsage || !strings.Contains(errs, "a file dw-upload does not make") {
		t.Errorf("--from with a stray file: exit %d: %s", code, errs)
	}
}

// TestTokenRefused: no token, or a wrong one, ends before any record is
// read, and the token is never shown.
func TestTokenRefused(t *testing.T) {
	srv := hub(t)
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_TOKEN_PATH", "")
	code, _, errs := runTool(t, someRecords(3), "me/ds")
	if code != cli.ExitUsage || !strings.Contains(errs, "no token: HF_TOKEN is not set") {
		t.Errorf("no token: exit %d: %s", code, errs)
	}
	t.Setenv("HF_TOKEN", "hf_wrong_token_value")
	code, _, errs = runTool(t, someRecords(3), "me/ds")
	if code != cli.ExitFailure || !strings.Contains(errs, "401 Unauthorized") || strings.Contains(errs, "hf_wrong_token_value") {
		t.Errorf("wrong token: exit %d: %s", code, errs)
	}
	if srv.Count(hubtest.Preupload) != 0 {
		t.Error("went on after the refusal")
	}
}

// TestDryRun writes ./NAME and contacts nobody.
func TestDryRun(t *testing.T) {
	srv := hub(t)
	t.Chdir(t.TempDir())
	code, out, errs := runTool(t, someRecords(10), "me/ds", "--dry-run")
	if code != 0 || !strings.Contains(out, `"out":"ds"`) || !strings.Contains(out, `"uploaded":false`) {
		t.Fatalf("exit %d, %s: %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join("ds", "data", "train-00000-of-00001.parquet")); err != nil {
		t.Error(err)
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("--dry-run sent %d requests", len(srv.Requests()))
	}
}

// TestReuploadRemovesStaleShards: a second upload of fewer shards removes
// the first one's extra shards in its commit.
func TestReuploadRemovesStaleShards(t *testing.T) {
	srv := hub(t)
	in := someRecords(60)
	if code, _, errs := runTool(t, in, "me/ds", "--shard-size", "1", "--row-group", "1KiB"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := len(srv.Files("me/ds", "main")); n < 6 {
		t.Fatalf("%d files after the sharded upload", n)
	}
	code, out, errs := runTool(t, in, "me/ds")
	if code != 0 || !strings.Contains(errs, "removing") || !strings.Contains(out, `"files_removed":`) {
		t.Fatalf("exit %d, %s: %s", code, out, errs)
	}
	checkHub(t, srv, "main", local(t, in), 2)
}

// TestNoUploadAfterBadInput: a bad line is reported and nothing uploaded.
func TestNoUploadAfterBadInput(t *testing.T) {
	srv := hub(t)
	code, out, errs := runTool(t, someRecords(5)+"garbage\n", "me/ds")
	if code != cli.ExitFailure || out != "" || !strings.Contains(errs, "stdin:6: invalid JSON") || !strings.Contains(errs, "nothing uploaded") {
		t.Errorf("exit %d, out %q: %s", code, out, errs)
	}
	if srv.Count(hubtest.Preupload) != 0 || srv.Commits() != 0 {
		t.Error("uploaded despite the bad line")
	}
}

// TestStdinIsNotTheOutput: -o naming the file stdin reads is refused.
func TestStdinIsNotTheOutput(t *testing.T) {
	hub(t)
	dir := t.TempDir()
	same := filepath.Join(dir, "same.jsonl")
	os.WriteFile(same, []byte(someRecords(3)), 0o666)
	f, _ := os.Open(same)
	defer f.Close()
	var out, errb bytes.Buffer
	code := run([]string{"me/ds", "--out", filepath.Join(dir, "ds"), "-o", same}, cli.Stdio{In: f, Out: &out, Err: &errb})
	if data, _ := os.ReadFile(same); code != cli.ExitUsage || string(data) != someRecords(3) {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}
