package hfhub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/web/hfhub"
	"github.com/dwkit/dwkit/lib/web/hfhub/hubtest"
)

// recorded is one request of the official client's transcript.
type recorded struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
	Status   int               `json:"status"`
	Response string            `json:"response"`
}

// transcript reads ../shared/fixtures/hfhub: every request @huggingface/hub
// 2.17.5 sent while creating alice/deepwiki-test and committing a README,
// a 5,000-byte data file through LFS and a deletion.
func transcript(t *testing.T) []recorded {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "hfhub", "hubjs-2.17.5-upload-transcript.jsonl"))
	if err != nil {
		t.Skipf("fixture not available (../shared/fixtures is absent): %v", err)
	}
	var out []recorded
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var r recorded
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if len(out) != 5 {
		t.Fatalf("%d recorded requests, want 5", len(out))
	}
	return out
}

// recordedFiles are the README and the data file of the recording: the
// README from the preupload sample (all of it: it is short), the data file
// 5,000 'x' (its sample's bytes), checked against the recorded LFS oid.
func recordedFiles(t *testing.T, tr []recorded) (readme, data []byte) {
	var pre struct {
		Files []struct{ Path, Sample string }
	}
	json.Unmarshal([]byte(tr[1].Body), &pre)
	readme, _ = base64.StdEncoding.DecodeString(pre.Files[0].Sample)
	data = bytes.Repeat([]byte("x"), 5000)
	sum := sha256.Sum256(data)
	if !strings.Contains(tr[2].Body, hex.EncodeToString(sum[:])) {
		t.Fatal("the recorded LFS oid is not that of 5,000 'x'")
	}
	return readme, data
}

// TestStandInAnswersRecordedClient replays the official client's requests
// against the stand-in: each is accepted with the recorded status, the
// upload modes are the recorded ones, and the files end on the branch.
func TestStandInAnswersRecordedClient(t *testing.T) {
	tr := transcript(t)
	readme, data := recordedFiles(t, tr)
	srv := hubtest.New(strings.TrimPrefix(tr[0].Headers["Authorization"], "Bearer "))
	defer srv.Close()
	var putURL string
	for i, r := range tr {
		target, body := srv.URL+r.Path, []byte(r.Body)
		if r.Method == "PUT" {
			target, body = putURL, data // the stand-in's own storage address
		}
		req, _ := http.NewRequest(r.Method, target, bytes.NewReader(body))
		for k, v := range r.Headers {
			if k != "content-length" && k != "accept-encoding" {
				req.Header.Set(k, v)
			}
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != r.Status {
			t.Fatalf("request %d %s %s: status %d (%s), recorded %d", i+1, r.Method, r.Path, resp.StatusCode, answer, r.Status)
		}
		switch i {
		case 1: // preupload: the recorded modes
			var got, want struct {
				Files []struct{ Path, UploadMode string }
			}
			json.Unmarshal(answer, &got)
			json.Unmarshal([]byte(r.Response), &want)
			if !slices.Equal(got.Files, want.Files) {
				t.Errorf("preupload modes %v, recorded %v", got.Files, want.Files)
			}
		case 2: // batch: basic, with an upload action
			var got struct {
				Transfer string
				Objects  []struct {
					Actions struct{ Upload struct{ Href string } }
				}
			}
			json.Unmarshal(answer, &got)
			if got.Transfer != "basic" || len(got.Objects) != 1 {
				t.Fatalf("batch answer %s", answer)
			}
			putURL = got.Objects[0].Actions.Upload.Href
		}
	}
	files := srv.Files("alice/deepwiki-test", "main")
	if !bytes.Equal(files["README.md"], readme) || !bytes.Equal(files["data/train-00000-of-00001.jsonl"], data) {
		t.Errorf("files after the replay: %q", files)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("the recorded client breached the stand-in's protocol: %q", v)
	}
}

// TestClientSpeaksAsRecorded makes the recorded upload with hfhub and
// compares its requests with the official client's: the same calls in the
// same order (hfhub also reads the branch head, to commit on a known
// parent, and calls the LFS verify action the git-LFS protocol asks
// for, which the official client skips), the same authorization and content types, the same JSON
// fields, and the same commit lines.
func TestClientSpeaksAsRecorded(t *testing.T) {
	tr := transcript(t)
	readme, data := recordedFiles(t, tr)
	srv := hubtest.New(token)
	defer srv.Close()
	c, _, _ := client(t, srv)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), readme, 0o666)
	os.WriteFile(filepath.Join(dir, "data.jsonl"), data, 0o666)
	ctx := context.Background()
	repo := hfhub.Repo{ID: "alice/deepwiki-test"}
	if _, err := c.CreateRepo(ctx, repo, false); err != nil {
		t.Fatal(err)
	}
	_, err := c.Commit(ctx, &hfhub.Commit{Repo: repo, Message: "Add data", Description: "desc", Files: []*hfhub.File{
		{Path: "README.md", Local: filepath.Join(dir, "README.md")},
		{Path: "data/train-00000-of-00001.jsonl", Local: filepath.Join(dir, "data.jsonl")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var ours []hubtest.Request
	for _, r := range srv.Requests() {
		if r.Route != hubtest.Revision && r.Route != hubtest.Verify {
			ours = append(ours, r)
		}
	}
	if len(ours) != len(tr) {
		t.Fatalf("%d requests besides reading the head, recorded %d", len(ours), len(tr))
	}
	for i, want := range tr {
		got := ours[i]
		wantPath := want.Path
		if want.Method == "PUT" {
			wantPath = "/lfs-put/" // the storage address is the server's to choose
		}
		if got.Method != want.Method || !strings.HasPrefix(got.Path, wantPath) {
			t.Errorf("request %d: %s %s, recorded %s %s", i+1, got.Method, got.Path, want.Method, want.Path)
		}
		for _, h := range []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"} {
			w := want.Headers[h]
			if h == "Authorization" && w != "" {
				w = "Bearer TOKEN"
			}
			if h == "Accept" && w == "" {
				w = want.Headers["accept"]
				if w == "*/*" {
					w = "" // fetch's default
				}
			}
			if g := got.Header.Get(h); g != w && (h != "X-Request-Id" || g == "" || w == "") {
				t.Errorf("request %d %s: %s %q, recorded %q", i+1, want.Path, h, g, w)
			}
		}
		if want.Method == "PUT" {
			continue
		}
		if i == len(tr)-1 {
			compareCommit(t, got.Body, []byte(want.Body))
			continue
		}
		var g, w any
		json.Unmarshal(got.Body, &g)
		json.Unmarshal([]byte(want.Body), &w)
		if !sameJSON(g, w) {
			t.Errorf("request %d %s: body %s, recorded %s", i+1, want.Path, got.Body, want.Body)
		}
	}
}

// compareCommit compares commit bodies line by line: hfhub's header adds
// parentCommit, it writes no deletion, and its file lines are the
// recorded ones to the byte.
func compareCommit(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	var header struct {
		Value map[string]string `json:"value"`
	}
	json.Unmarshal(g[0], &header)
	if len(header.Value["parentCommit"]) != 40 {
		t.Errorf("commit header %s: no parentCommit", g[0])
	}
	delete(header.Value, "parentCommit")
	var wantHeader struct {
		Value map[string]string `json:"value"`
	}
	json.Unmarshal(w[0], &wantHeader)
	if !sameJSON(toAny(header.Value), toAny(wantHeader.Value)) {
		t.Errorf("commit header %s, recorded %s", g[0], w[0])
	}
	if len(g) != 3 || !bytes.Equal(g[1], w[1]) || !bytes.Equal(g[2], w[2]) {
		t.Errorf("commit lines:\n%s\nrecorded:\n%s", got, want)
	}
}

func toAny(m map[string]string) any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// sameJSON compares decoded JSON values.
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
