package hfhub_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dwkit/dwkit/lib/web/hfhub"
	"github.com/dwkit/dwkit/lib/web/hfhub/hubtest"
)

const token = "hf_test_secret_token_0123456789"

// client is a hfhub.Client of the stand-in whose waits are recorded, not
// slept, and whose log is kept.
func client(t *testing.T, srv *hubtest.Server) (*hfhub.Client, *[]time.Duration, *bytes.Buffer) {
	var waits []time.Duration
	log := &bytes.Buffer{}
	c := hfhub.NewClient(srv.URL, token, hfhub.Options{HTTP: srv.Client(), UserAgent: "dwkit/test", Retries: 4,
		Backoff: time.Millisecond, MaxWait: time.Minute,
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		Log:   func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }})
	return c, &waits, log
}

// withRepo starts the stand-in with the dataset repo alice/ds made, and a
// client of it (see client).
func withRepo(t *testing.T) (*hubtest.Server, *hfhub.Client, *[]time.Duration, *bytes.Buffer) {
	t.Helper()
	srv := hubtest.New(token)
	t.Cleanup(srv.Close)
	c, waits, log := client(t, srv)
	if _, err := c.CreateRepo(context.Background(), hfhub.Repo{ID: "alice/ds"}, false); err != nil {
		t.Fatal(err)
	}
	return srv, c, waits, log
}

// dataset writes a README, a small Parquet-named file (LFS, basic) and a
// file of 1.3 MB (LFS, multipart in 6 parts) and returns them with their
// contents by repository path.
func dataset(t *testing.T, seed uint64) ([]*hfhub.File, map[string][]byte) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 7))
	big := make([]byte, 1300<<10)
	for i := range big {
		big[i] = byte(rng.UintN(256))
	}
	want := map[string][]byte{
		"README.md":                            []byte("---\nconfigs:\n- config_name: default\n---\n# test\n"),
		"data/train-00000-of-00002.parquet":    bytes.Repeat([]byte{'P', 'A', 'R', '1', byte(seed)}, 1000),
		"data/train-00001-of-00002.parquet":    big,
		"data/validation-00000-of-00001.jsonl": []byte(`{"text":"fn main() {}"}` + "\n"),
	}
	var files []*hfhub.File
	for _, p := range slices.Sorted(maps.Keys(want)) {
		local := filepath.Join(dir, strings.ReplaceAll(p, "/", "_"))
		if err := os.WriteFile(local, want[p], 0o666); err != nil {
			t.Fatal(err)
		}
		files = append(files, &hfhub.File{Path: p, Local: local})
	}
	return files, want
}

// checkRepo asserts the branch holds exactly want (besides .gitattributes
// and what a race added), the stand-in saw no breach of protocol, and
// commits commits were made.
func checkRepo(t *testing.T, srv *hubtest.Server, branch string, want map[string][]byte, commits int) {
	t.Helper()
	got := srv.Files("alice/ds", branch)
	for p, content := range want {
		if !bytes.Equal(got[p], content) {
			t.Errorf("%s: %d bytes on the Hub, want %d (equal: false)", p, len(got[p]), len(content))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok && p != ".gitattributes" && p != "other.txt" {
			t.Errorf("unexpected file %s on the Hub", p)
		}
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("protocol breaches: %q", v)
	}
	if n := srv.Commits(); n != commits {
		t.Errorf("%d commits, want %d", n, commits)
	}
}

func TestCommit(t *testing.T) {
	srv := hubtest.New(token)
	defer srv.Close()
	c, _, _ := client(t, srv)
	ctx := context.Background()
	repo := hfhub.Repo{ID: "alice/ds"}
	created, err := c.CreateRepo(ctx, repo, true)
	if err != nil || !created || !srv.Private("alice/ds") {
		t.Fatalf("CreateRepo = %v, %v; private %v", created, err, srv.Private("alice/ds"))
	}
	if created, err := c.CreateRepo(ctx, repo, true); err != nil || created {
		t.Fatalf("CreateRepo again = %v, %v; want false, nil (idempotent)", created, err)
	}
	files, want := dataset(t, 1)
	var progress [][2]int64
	c.Progress = func(sent, total int64) { progress = append(progress, [2]int64{sent, total}) }
	res, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "Add data", Files: files})
	if err != nil {
		t.Fatal(err)
	}
	checkRepo(t, srv, "main", want, 1)
	if res.Commit != srv.Head("alice/ds", "main") || len(res.Uploaded) != 4 {
		t.Errorf("result %+v; head %s", res, srv.Head("alice/ds", "main"))
	}
	if n := srv.Count(hubtest.Part); n != 6 {
		t.Errorf("%d multipart parts sent, want 6", n)
	}
	lfsBytes := int64(0) // all but the README go through LFS
	for p, content := range want {
		if p != "README.md" {
			lfsBytes += int64(len(content))
		}
	}
	if last := progress[len(progress)-1]; last != [2]int64{lfsBytes, lfsBytes} {
		t.Errorf("last progress %v, want %d of %d", last, lfsBytes, lfsBytes)
	}

	// the same files again: nothing sent, no commit
	files, _ = dataset(t, 1)
	res, err = c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "Add data", Files: files})
	if err != nil || !res.NothingToDo || len(res.Unchanged) != 4 {
		t.Fatalf("again: %+v, %v; want nothing to do, 4 unchanged", res, err)
	}
	checkRepo(t, srv, "main", want, 1)

	// one file changed: only it goes
	files, want2 := dataset(t, 2)
	puts := srv.Count(hubtest.Put)
	res, err = c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "Update", Files: files})
	if err != nil || !slices.Equal(res.Uploaded, []string{"data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"}) {
		t.Fatalf("changed: %+v, %v", res, err)
	}
	if srv.Count(hubtest.Put) != puts+1 {
		t.Errorf("%d PUTs for one changed small file", srv.Count(hubtest.Put)-puts)
	}
	checkRepo(t, srv, "main", want2, 2)
}

// TestFaults: whatever fault is injected, every file lands once with its
// content, in exactly one commit, and the stand-in sees no breach.
func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		route  hubtest.Route
		faults []hubtest.Fault
		log    string // in the log
	}{
		{hubtest.CommitR, []hubtest.Fault{hubtest.DropAfter}, "the commit happened"},
		{hubtest.CommitR, []hubtest.Fault{hubtest.Unavailable}, "did not happen: sending it again"},
		{hubtest.CommitR, []hubtest.Fault{hubtest.TooMany}, "did not happen: sending it again"},
		{hubtest.CommitR, []hubtest.Fault{hubtest.Cut}, "did not happen: sending it again"},
		{hubtest.CommitR, []hubtest.Fault{hubtest.Race}, "committing on top of it"},
		{hubtest.CommitR, []hubtest.Fault{hubtest.Unavailable, hubtest.DropAfter}, "the commit happened"},
		{hubtest.Preupload, []hubtest.Fault{hubtest.TooMany, hubtest.Unavailable}, "429 Too Many Requests"},
		{hubtest.Batch, []hubtest.Fault{hubtest.DropAfter}, "retrying"},
		{hubtest.Put, []hubtest.Fault{hubtest.Cut}, "retrying"},
		{hubtest.Put, []hubtest.Fault{hubtest.DropAfter}, "retrying"},
		{hubtest.Part, []hubtest.Fault{hubtest.Cut, hubtest.Unavailable}, "retrying"},
		{hubtest.Complete, []hubtest.Fault{hubtest.DropAfter}, "retrying"},
		{hubtest.Verify, []hubtest.Fault{hubtest.Unavailable}, "retrying"},
		{hubtest.Revision, []hubtest.Fault{hubtest.TooMany}, "retrying"},
	} {
		name := fmt.Sprintf("%s-%v", tc.route, tc.faults)
		t.Run(name, func(t *testing.T) {
			srv, c, waits, log := withRepo(t)
			ctx, repo := context.Background(), hfhub.Repo{ID: "alice/ds"}
			srv.Inject(tc.route, tc.faults...)
			files, want := dataset(t, 1)
			if _, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "Add data", Files: files}); err != nil {
				t.Fatalf("commit: %v\nlog:\n%s", err, log)
			}
			checkRepo(t, srv, "main", want, 1)
			if !strings.Contains(log.String(), tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, log)
			}
			if slices.Contains(tc.faults, hubtest.TooMany) && !slices.Contains(*waits, time.Second) {
				t.Errorf("waits %v: Retry-After: 1 not honoured", *waits)
			}
			if strings.Contains(log.String(), token) {
				t.Errorf("the token is in the log:\n%s", log)
			}
		})
	}
}

// TestPullRequestAndBranch: a commit on a new branch, and one as a pull
// request, leave main alone.
func TestPullRequestAndBranch(t *testing.T) {
	srv, c, _, _ := withRepo(t)
	ctx, repo := context.Background(), hfhub.Repo{ID: "alice/ds"}
	main := srv.Head("alice/ds", "main")
	if err := c.CreateBranch(ctx, repo, "v2"); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateBranch(ctx, repo, "v2"); err != nil {
		t.Fatalf("CreateBranch again: %v (want idempotent)", err)
	}
	files, want := dataset(t, 1)
	if _, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Branch: "v2", Message: "v2", Files: files}); err != nil {
		t.Fatal(err)
	}
	checkRepo(t, srv, "v2", want, 1)
	res, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, PullRequest: true, Message: "proposal", Files: files})
	if err != nil || !strings.HasSuffix(res.PullRequestURL, "/datasets/alice/ds/discussions/1") {
		t.Fatalf("pull request: %+v, %v", res, err)
	}
	checkRepo(t, srv, "refs/pr/1", want, 2)
	if srv.Head("alice/ds", "main") != main {
		t.Error("main moved")
	}
	// a lost answer to a pull request is not retried: it could open two
	srv.Inject(hubtest.CommitR, hubtest.DropAfter)
	files, _ = dataset(t, 3)
	_, err = c.Commit(ctx, &hfhub.Commit{Repo: repo, PullRequest: true, Message: "another", Files: files})
	if err == nil || !strings.Contains(err.Error(), "look at the repository's pull requests") || srv.Commits() != 3 {
		t.Errorf("lost pull request answer: %v after %d commits; want an error after 3", err, srv.Commits())
	}
}

// TestBadToken: the Hub's refusal is reported, the token nowhere in it.
func TestBadToken(t *testing.T) {
	srv := hubtest.New("hf_the_right_one")
	defer srv.Close()
	c, _, log := client(t, srv)
	_, err := c.CreateRepo(context.Background(), hfhub.Repo{ID: "alice/ds"}, false)
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized: Invalid username or password.") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error()+log.String(), token) {
		t.Errorf("the token shows: %v\n%s", err, log)
	}
}

func TestToken(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "token"), []byte("hf_from_home\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "other"), []byte("  hf_from_path  "), 0o600)
	os.WriteFile(filepath.Join(dir, "two"), []byte("hf_a\nhf_b\n"), 0o600)
	for _, tc := range []struct {
		env  map[string]string
		want string // or the error's start
	}{
		{map[string]string{"HF_TOKEN": "hf_env", "HF_TOKEN_PATH": filepath.Join(dir, "other")}, "hf_env"},
		{map[string]string{"HF_TOKEN_PATH": filepath.Join(dir, "other"), "HF_HOME": dir}, "hf_from_path"},
		{map[string]string{"HF_HOME": dir}, "hf_from_home"},
		{map[string]string{"XDG_CACHE_HOME": dir}, "no token: HF_TOKEN is not set and " + filepath.Join(dir, "huggingface", "token") + " does not exist"},
		{map[string]string{"HF_TOKEN_PATH": filepath.Join(dir, "two")}, "the token file"},
	} {
		got, err := hfhub.Token(func(k string) string { return tc.env[k] })
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("Token(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

// TestStaleTwice: a branch that keeps moving under the upload ends in an
// error, not a loop and not a commit over someone else's.
func TestStaleTwice(t *testing.T) {
	srv, c, _, _ := withRepo(t)
	ctx, repo := context.Background(), hfhub.Repo{ID: "alice/ds"}
	srv.Inject(hubtest.CommitR, hubtest.Race, hubtest.Race)
	files, _ := dataset(t, 1)
	_, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "m", Files: files})
	if err == nil || !strings.Contains(err.Error(), "moved twice") || srv.Commits() != 0 {
		t.Errorf("err = %v, %d commits; want 'moved twice', 0", err, srv.Commits())
	}
	if n := srv.Count(hubtest.CommitR); n != 2 {
		t.Errorf("%d commit requests, want 2", n)
	}
}

// TestTokenStaysHome: a server that quotes the token in an error is
// masked in the log and the error; a redirect to another port loses the
// token; two files of the same content are one object, committed twice.
func TestTokenStaysHome(t *testing.T) {
	srv := hubtest.New(token)
	defer srv.Close()
	c, _, log := client(t, srv)
	ctx := context.Background()
	repo := hfhub.Repo{ID: "alice/ds"}
	srv.Inject(hubtest.Create, hubtest.Echo)
	if _, err := c.CreateRepo(ctx, repo, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "bad gateway for Bearer hf_***") || strings.Contains(log.String(), token) {
		t.Errorf("log:\n%s", log)
	}
	srv.Inject(hubtest.Revision, hubtest.Echo, hubtest.Echo, hubtest.Echo, hubtest.Echo, hubtest.Echo)
	_, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "m", Files: nil})
	if err == nil || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "hf_***") {
		t.Errorf("err = %v", err)
	}

	// two paths, one content
	dir := t.TempDir()
	same := bytes.Repeat([]byte("same content\n"), 100)
	var files []*hfhub.File
	for _, p := range []string{"data/a.parquet", "data/b.parquet"} {
		local := filepath.Join(dir, filepath.Base(p))
		os.WriteFile(local, same, 0o666)
		files = append(files, &hfhub.File{Path: p, Local: local})
	}
	if _, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "m", Files: files}); err != nil {
		t.Fatal(err)
	}
	checkRepo(t, srv, "main", map[string][]byte{"data/a.parquet": same, "data/b.parquet": same}, 1)
}

func TestRedirectDropsToken(t *testing.T) {
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		w.Write([]byte(`{"sha":"1111111111111111111111111111111111111111"}`))
	}))
	defer other.Close()
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer hub.Close()
	c := hfhub.NewClient(hub.URL, token, hfhub.Options{HTTP: hub.Client(), UserAgent: "t", Retries: 0})
	if _, err := c.Head(context.Background(), hfhub.Repo{ID: "a/b"}, "main"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "" {
		t.Errorf("the other origin got Authorization %q", got)
	}
}

// TestListAndDelete: the listing follows the Hub's pages; a commit removes
// paths, and one with only deletions is a commit too.
func TestListAndDelete(t *testing.T) {
	srv, c, _, _ := withRepo(t)
	srv.TreePage = 2
	ctx, repo := context.Background(), hfhub.Repo{ID: "alice/ds"}
	files, want := dataset(t, 1)
	if _, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "m", Files: files}); err != nil {
		t.Fatal(err)
	}
	got, err := c.ListFiles(ctx, repo, "main", "data")
	if err != nil || !slices.Equal(got, []string{"data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet", "data/validation-00000-of-00001.jsonl"}) {
		t.Fatalf("ListFiles = %v, %v", got, err)
	}
	if n := srv.Count(hubtest.Tree); n != 2 {
		t.Errorf("%d pages, want 2", n)
	}
	if got, err := c.ListFiles(ctx, repo, "main", "nothing"); err != nil || got != nil {
		t.Errorf("ListFiles of a missing folder = %v, %v", got, err)
	}
	srv.Inject(hubtest.CommitR, hubtest.DropAfter)
	res, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "rm", Delete: []string{"data/validation-00000-of-00001.jsonl"}})
	if err != nil || len(res.Deleted) != 1 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	delete(want, "data/validation-00000-of-00001.jsonl")
	checkRepo(t, srv, "main", want, 2)
}

// TestMaskedErrorKeepsStatus: an answer that quotes the token is masked,
// and its status still counts: a 409 on create is an existing repo.
func TestMaskedErrorKeepsStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte(`{"error":"repo exists, you sent ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer srv.Close()
	c := hfhub.NewClient(srv.URL, token, hfhub.Options{HTTP: srv.Client(), UserAgent: "t"})
	if created, err := c.CreateRepo(context.Background(), hfhub.Repo{ID: "a/b"}, false); err != nil || created {
		t.Errorf("CreateRepo = %v, %v; want false, nil", created, err)
	}
}
