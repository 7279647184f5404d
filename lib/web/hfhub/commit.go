package hfhub

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"

	"github.com/dwkit/dwkit/lib/web"
)

// File is a local file to commit at Path in the repository.
type File struct {
	Path  string // in the repository, with / separators
	Local string // on disk

	size    int64
	sha256  string // the LFS oid
	gitSHA1 string // the git blob id of a regular file
	sample  []byte // the first 512 bytes, for preupload
	lfs     bool
}

// Commit is what to commit, and where.
type Commit struct {
	Repo        Repo
	Branch      string // default main
	PullRequest bool   // open a pull request against Branch instead
	Message     string
	Description string
	Files       []*File
	Delete      []string // paths to remove in the same commit
}

// Result is a commit made, or the note that nothing had to be.
type Result struct {
	Commit         string   // the branch's head afterwards
	URL            string   // the commit's page, when the Hub gave one
	PullRequestURL string   // with PullRequest
	Uploaded       []string // the files sent
	Deleted        []string // the paths removed
	Unchanged      []string // the files the Hub had already, same content
	NothingToDo    bool     // every file was there already, nothing to delete: no commit made
}

// maxRegular is the largest file committed inline (base64 in the commit)
// rather than through LFS, whatever preupload says.
const maxRegular = 16 << 20

// Commit uploads the files and commits them in one commit on top of the
// branch's head. Files the Hub has already with the same content are left
// out; when none is left, no commit is made.
func (c *Client) Commit(ctx context.Context, cm *Commit) (*Result, error) {
	res, err := c.commitFiles(ctx, cm)
	return res, c.hidden(err)
}

func (c *Client) commitFiles(ctx context.Context, cm *Commit) (*Result, error) {
	if cm.Branch == "" {
		cm.Branch = "main"
	}
	for _, f := range cm.Files {
		if err := f.hash(); err != nil {
			return nil, err
		}
	}
	parent, err := c.Head(ctx, cm.Repo, cm.Branch)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	todo, err := c.preupload(ctx, cm, res)
	if err != nil {
		return nil, err
	}
	if len(todo) == 0 && len(cm.Delete) == 0 {
		res.Commit, res.NothingToDo = parent, true
		return res, nil
	}
	res.Deleted = cm.Delete
	if err := c.uploadLFS(ctx, cm, todo); err != nil {
		return nil, err
	}
	for _, f := range todo {
		res.Uploaded = append(res.Uploaded, f.Path)
	}
	return res, c.commit(ctx, cm, todo, parent, res)
}

// hash reads the file once for its size, sample, sha256 and git blob id.
func (f *File) hash() error {
	file, err := os.Open(f.Local)
	if err != nil {
		return err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", f.Local)
	}
	f.size = st.Size()
	s256, s1 := sha256.New(), sha1.New()
	fmt.Fprintf(s1, "blob %d\x00", f.size)
	head := &bytes.Buffer{}
	n, err := io.Copy(io.MultiWriter(s256, s1, &limitedWriter{head, 512}), file)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Local, err)
	}
	if n != f.size {
		return fmt.Errorf("%s changed while being read (%d bytes, then %d)", f.Local, f.size, n)
	}
	f.sha256, f.gitSHA1, f.sample = hex.EncodeToString(s256.Sum(nil)), hex.EncodeToString(s1.Sum(nil)), head.Bytes()
	return nil
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	buf *bytes.Buffer
	n   int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if room := w.n - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// commitQuery is the query of a commit's and a preupload's address.
func commitQuery(cm *Commit) string {
	if cm.PullRequest {
		return "?create_pr=1"
	}
	return ""
}

// preupload asks the Hub, 100 files at a time, how each file goes (LFS or
// inline) and which it has already; it returns the files to send.
func (c *Client) preupload(ctx context.Context, cm *Commit, res *Result) ([]*File, error) {
	type fileIn struct {
		Path   string `json:"path"`
		Size   int64  `json:"size"`
		Sample string `json:"sample"`
	}
	var todo []*File
	for start := 0; start < len(cm.Files); start += 100 {
		batch := cm.Files[start:min(start+100, len(cm.Files))]
		var body struct {
			Files []fileIn `json:"files"`
		}
		for _, f := range batch {
			body.Files = append(body.Files, fileIn{f.Path, f.size, base64.StdEncoding.EncodeToString(f.sample)})
		}
		var answer struct {
			Files []struct {
				Path         string `json:"path"`
				UploadMode   string `json:"uploadMode"`
				ShouldIgnore bool   `json:"shouldIgnore"`
				OID          string `json:"oid"`
			} `json:"files"`
		}
		u := cm.Repo.api() + "/preupload/" + url.PathEscape(cm.Branch) + commitQuery(cm)
		if err := c.call(ctx, request{method: "POST", path: u, header: jsonHeader, body: jsonBody(body)}, &answer); err != nil {
			return nil, err
		}
		byPath := map[string]*File{}
		for _, f := range batch {
			byPath[f.Path] = f
		}
		for _, a := range answer.Files {
			f := byPath[a.Path]
			if f == nil {
				return nil, fmt.Errorf("preupload: the Hub answered for %q, a file not asked about", a.Path)
			}
			delete(byPath, a.Path)
			f.lfs = a.UploadMode == "lfs" || f.size > maxRegular
			switch {
			case a.ShouldIgnore:
				c.logf("%s: left out: the repository's .gitignore rules it out", f.Path)
			case a.OID != "" && (a.OID == f.sha256 || a.OID == f.gitSHA1):
				res.Unchanged = append(res.Unchanged, f.Path)
			case a.UploadMode != "lfs" && a.UploadMode != "regular":
				return nil, fmt.Errorf("preupload: upload mode %q for %s", a.UploadMode, f.Path)
			default:
				todo = append(todo, f)
			}
		}
		for p := range byPath {
			return nil, fmt.Errorf("preupload: the Hub did not answer for %s", p)
		}
	}
	return todo, nil
}

// commitLine is one line of the NDJSON commit.
type commitLine struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

type commitHeader struct {
	Summary      string `json:"summary"`
	Description  string `json:"description"`
	ParentCommit string `json:"parentCommit,omitempty"`
}

type inlineFile struct {
	Content  string `json:"content"`
	Path     string `json:"path"`
	Encoding string `json:"encoding"`
}

type deletedFile struct {
	Path string `json:"path"`
}

type lfsFile struct {
	Path string `json:"path"`
	Algo string `json:"algo"`
	Size int64  `json:"size"`
	OID  string `json:"oid"`
}

// commitBody is the NDJSON commit of files on top of parent.
func commitBody(cm *Commit, files []*File, parent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	lines := []commitLine{{"header", commitHeader{cm.Message, cm.Description, parent}}}
	for _, f := range files {
		if f.lfs {
			lines = append(lines, commitLine{"lfsFile", lfsFile{f.Path, "sha256", f.size, f.sha256}})
			continue
		}
		data, err := os.ReadFile(f.Local)
		if err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.sha256 {
			return nil, fmt.Errorf("%s changed since it was hashed", f.Local)
		}
		lines = append(lines, commitLine{"file", inlineFile{base64.StdEncoding.EncodeToString(data), f.Path, "base64"}})
	}
	for _, p := range cm.Delete {
		lines = append(lines, commitLine{"deletedFile", deletedFile{p}})
	}
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return nil, err
		}
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// commit posts the commit. Its answer lost (a broken connection, 408, 429
// or 5xx), it reads the branch head before anything else: unmoved, the
// commit did not happen and is sent again; moved, the files are compared
// with the Hub's, and when all are there the commit happened. A stale
// parent (412, or a head moved by someone else) is re-read and the commit
// sent once more on top of it.
func (c *Client) commit(ctx context.Context, cm *Commit, files []*File, parent string, res *Result) error {
	restarts := 0
	for attempt := 0; ; attempt++ {
		body, err := commitBody(cm, files, parent)
		if err != nil {
			return err
		}
		u := cm.Repo.api() + "/commit/" + url.PathEscape(cm.Branch) + commitQuery(cm)
		resp, err := c.Web.Once(c.newRequest(ctx, request{method: "POST", path: u,
			header: map[string]string{"Content-Type": "application/x-ndjson"},
			body:   func() (io.Reader, int64, error) { return bytes.NewReader(body), int64(len(body)), nil }}))
		if err == nil {
			var answer struct {
				CommitOID      string `json:"commitOid"`
				CommitURL      string `json:"commitUrl"`
				PullRequestURL string `json:"pullRequestUrl"`
			}
			if err := json.Unmarshal(resp.Body, &answer); err != nil || answer.CommitOID == "" {
				return fmt.Errorf("commit: the Hub's answer names no commit: %q", c.said(string(resp.Body)))
			}
			res.Commit, res.URL, res.PullRequestURL = answer.CommitOID, answer.CommitURL, answer.PullRequestURL
			return nil
		}
		stale := status(err) == http.StatusPreconditionFailed
		if !stale && (!web.Retryable(err) || attempt >= c.Web.Retries) {
			return c.hidden(fmt.Errorf("commit: %w", err))
		}
		if !stale && cm.PullRequest {
			// the branch head says nothing of a pull request: asking again
			// could open a second one
			return c.hidden(fmt.Errorf("commit: %w: its answer was lost, so a pull request may or may not have been opened; look at the repository's pull requests before running again", err))
		}
		if !stale {
			if err := c.Web.Wait(ctx, c.hidden(err), attempt); err != nil {
				return err
			}
		}
		head, herr := c.Head(ctx, cm.Repo, cm.Branch)
		if herr != nil {
			return fmt.Errorf("commit: %v; then reading the head of %s: %w", c.hidden(err), cm.Branch, herr)
		}
		if head == parent && !stale {
			c.logf("commit: %v; the branch head has not moved, so it did not happen: sending it again", c.hidden(err))
			continue
		}
		landed, lerr := c.landed(ctx, cm, files)
		if lerr != nil {
			return lerr
		}
		if landed {
			c.logf("commit: %v; the branch head moved to %s and holds every file: the commit happened", c.hidden(err), head)
			res.Commit = head
			return nil
		}
		if restarts++; restarts > 1 {
			return fmt.Errorf("commit: the branch %s moved twice under the upload (now at %s): someone else is committing; run again", cm.Branch, head)
		}
		c.logf("commit: the branch %s moved from %s to %s: committing on top of it", cm.Branch, parent, head)
		parent = head
	}
}

// landed tells whether the Hub's branch holds every file with our content
// and none of the paths deleted.
func (c *Client) landed(ctx context.Context, cm *Commit, files []*File) (bool, error) {
	check := &Commit{Repo: cm.Repo, Branch: cm.Branch, Files: files}
	todo, err := c.preupload(ctx, check, &Result{})
	if err != nil || len(todo) > 0 || len(cm.Delete) == 0 {
		return len(todo) == 0, err
	}
	have, err := c.ListFiles(ctx, cm.Repo, cm.Branch, "")
	if err != nil {
		return false, err
	}
	for _, p := range have {
		if slices.Contains(cm.Delete, p) {
			return false, nil
		}
	}
	return true, nil
}

// partCount is the number of parts of size bytes in chunks of chunk.
func partCount(size, chunk int64) int64 { return (size + chunk - 1) / chunk }

// parsePositive reads a positive decimal.
func parsePositive(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
