// Package hubtest is a stand-in of the Hugging Face Hub for tests: the
// part of its HTTP API that an upload uses (create a dataset repo, a
// branch's head, branches, preupload, the git-LFS batch API with basic and
// multipart transfers and verify, the NDJSON commit with parentCommit and
// pull requests), served on loopback, enforcing the protocol the official
// @huggingface/hub client follows (see ../shared/fixtures/hfhub): a bearer
// token on every API call and never on storage, the content types, LFS
// oids and sizes, part counts and ETags, a stale parent answered 412.
// Faults can be injected per route. Every breach of the protocol is
// answered 400 and kept in Violations.
package hubtest

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Route names a kind of request, for faults and counts.
type Route string

const (
	Create    Route = "create"    // POST /api/repos/create
	Revision  Route = "revision"  // GET /api/datasets/ID/revision/BRANCH
	Info      Route = "info"      // GET /api/datasets/ID
	Branch    Route = "branch"    // POST /api/datasets/ID/branch/BRANCH
	Preupload Route = "preupload" // POST /api/datasets/ID/preupload/BRANCH
	Batch     Route = "batch"     // POST /datasets/ID.git/info/lfs/objects/batch
	Put       Route = "put"       // PUT of a whole object to storage
	Part      Route = "part"      // PUT of a multipart part to storage
	Complete  Route = "complete"  // POST completing a multipart upload
	Verify    Route = "verify"    // POST of the LFS verify action
	CommitR   Route = "commit"    // POST /api/datasets/ID/commit/BRANCH
	Tree      Route = "tree"      // GET /api/datasets/ID/tree/BRANCH[/DIR]?recursive=true
)

// Fault is what an injected fault does to a request.
type Fault string

const (
	// None lets a request pass: Inject(r, None, Unavailable) fails the second.
	None Fault = ""
	// DropAfter handles the request, then closes the connection without
	// an answer: the client cannot know it succeeded.
	DropAfter Fault = "drop-after"
	// TooMany answers 429 with Retry-After: 1.
	TooMany Fault = "429"
	// Unavailable answers 503.
	Unavailable Fault = "503"
	// Cut reads half the request body and closes the connection.
	Cut Fault = "cut"
	// Race commits another file on the branch just before the request is
	// handled, so a parent read before is stale.
	Race Fault = "race"
	// Echo answers 503 quoting the request's Authorization header, as a
	// careless proxy might: the client must not show it.
	Echo Fault = "echo"
)

// Server is the stand-in. Its fields are safe to read after the client
// under test is done.
type Server struct {
	*httptest.Server
	Token string
	// LFSMin is the size from which preupload says "lfs" (besides
	// *.parquet and files whose sample holds a NUL byte).
	LFSMin int64
	// MultipartMin is the size from which the batch answers with a
	// multipart transfer of ChunkSize parts.
	MultipartMin, ChunkSize int64
	// TreePage is the most entries a tree listing answers at once; the
	// rest come by its Link: rel="next".
	TreePage int

	mu         sync.Mutex
	repos      map[string]*repo
	objects    map[string][]byte // LFS storage by oid
	parts      map[string]map[int][]byte
	faults     map[Route][]Fault
	counts     map[Route]int
	violations []string
	commits    int
	requests   []Request
}

// Request is a request as the server saw it, its token hidden.
type Request struct {
	Route  Route
	Method string
	Path   string
	Header http.Header
	Body   []byte // API bodies; storage bodies are left out
}

type repo struct {
	private  bool
	branches map[string]string // name → commit
	commits  map[string]*commit
	prs      int
}

type commit struct {
	parent  string
	message string
	files   map[string]file
}

type file struct {
	lfs     bool
	oid     string // sha256 of LFS content, else the git blob id
	content []byte // inline content
}

// New starts a stand-in accepting token.
func New(token string) *Server {
	s := &Server{Token: token, LFSMin: 10 << 20, MultipartMin: 1 << 20, ChunkSize: 256 << 10, TreePage: 50,
		repos: map[string]*repo{}, objects: map[string][]byte{}, parts: map[string]map[int][]byte{},
		faults: map[Route][]Fault{}, counts: map[Route]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Inject makes the next requests of route meet the faults, one each, in
// order.
func (s *Server) Inject(route Route, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], faults...)
}

// Violations are the breaches of the protocol seen.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// Count is the number of requests of route seen (faults included).
func (s *Server) Count(route Route) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[route]
}

// Commits is the number of commits made through the API (repo creation's
// first commit and Race's not counted).
func (s *Server) Commits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits
}

// Requests are the requests seen, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Files is the content of every file at the head of a branch.
func (s *Server) Files(id, branch string) map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[id]
	if r == nil || r.branches[branch] == "" {
		return nil
	}
	out := map[string][]byte{}
	for p, f := range r.commits[r.branches[branch]].files {
		if f.lfs {
			out[p] = s.objects[f.oid]
		} else {
			out[p] = f.content
		}
	}
	return out
}

// Head is a branch's commit, "" when there is none.
func (s *Server) Head(id, branch string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.repos[id]; r != nil {
		return r.branches[branch]
	}
	return ""
}

// Private tells whether the repo was created private.
func (s *Server) Private(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[id]
	return r != nil && r.private
}

var (
	treePath  = regexp.MustCompile(`^/api/datasets/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?$`)
	apiPath   = regexp.MustCompile(`^/api/datasets/([^/]+/[^/]+)(?:/(revision|branch|preupload|commit)/(.+))?$`)
	batchPath = regexp.MustCompile(`^/datasets/([^/]+/[^/]+)\.git/info/lfs/objects/batch$`)
	storePath = regexp.MustCompile(`^/lfs-(put|part|complete|verify)/([0-9a-f]{64})(?:/([0-9]+))?$`)
	sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// route names a request and the repo id and branch it names.
func route(r *http.Request) (rt Route, id, branch, oid string, part int) {
	p := r.URL.EscapedPath()
	if p == "/api/repos/create" {
		return Create, "", "", "", 0
	}
	if m := treePath.FindStringSubmatch(p); m != nil {
		branch, _ = unescape(m[2])
		return Tree, m[1], branch, m[3], 0 // the folder travels as oid
	}
	if m := apiPath.FindStringSubmatch(p); m != nil {
		branch, _ = unescape(m[3])
		switch m[2] {
		case "":
			return Info, m[1], "", "", 0
		case "commit":
			return CommitR, m[1], branch, "", 0
		}
		return Route(m[2]), m[1], branch, "", 0
	}
	if m := batchPath.FindStringSubmatch(p); m != nil {
		return Batch, m[1], "", "", 0
	}
	if m := storePath.FindStringSubmatch(p); m != nil {
		part, _ = strconv.Atoi(m[3])
		return map[string]Route{"put": Put, "part": Part, "complete": Complete, "verify": Verify}[m[1]], "", "", m[2], part
	}
	return "", "", "", "", 0
}

func unescape(s string) (string, error) {
	if strings.Contains(s, "/") { // a branch is one escaped segment
		return "", fmt.Errorf("unescaped / in %q", s)
	}
	return url.PathUnescape(s)
}

func (s *Server) violate(w http.ResponseWriter, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, msg)
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": "protocol: " + msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rt, id, branch, oid, part := route(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt == "" {
		s.violate(w, "%s %s: no such endpoint", r.Method, r.URL.Path)
		return
	}
	s.counts[rt]++
	var fault Fault
	if q := s.faults[rt]; len(q) > 0 {
		fault, s.faults[rt] = q[0], q[1:]
	}
	storage := rt == Put || rt == Part || rt == Complete
	limit := int64(1 << 20)
	if rt == Put || rt == Part {
		limit = 1 << 40
	}
	if fault == Cut {
		io.CopyN(io.Discard, r.Body, max(r.ContentLength/2, 1))
		hijackClose(w)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	seen := Request{Route: rt, Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header.Clone()}
	if auth := seen.Header.Get("Authorization"); auth != "" {
		seen.Header.Set("Authorization", strings.Replace(auth, s.Token, "TOKEN", 1))
	}
	if !storage {
		seen.Body = body
	}
	s.requests = append(s.requests, seen)
	switch fault {
	case TooMany:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "slow down"})
		return
	case Unavailable:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "busy"})
		return
	case Echo:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "bad gateway for " + r.Header.Get("Authorization")})
		return
	case Race:
		if rp := s.repos[id]; rp != nil && rp.branches[branch] != "" {
			s.apply(rp, branch, "someone else's commit", map[string]file{"other.txt": inline([]byte("not ours\n"))}, nil)
		}
	}
	// auth: on every API call, never to storage
	auth := r.Header.Get("Authorization")
	switch {
	case storage && auth != "":
		s.violate(w, "%s %s: the token was sent to LFS storage", r.Method, r.URL.Path)
		return
	case !storage && rt != Verify && auth != "Bearer "+s.Token:
		if auth == "" {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Invalid credentials in Authorization header"})
		} else {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Invalid username or password."})
		}
		return
	}
	rec := &recorder{ResponseWriter: w}
	switch rt {
	case Create:
		s.create(rec, r, body)
	case Info, Revision:
		s.revision(rec, r, id, branch, rt)
	case Tree:
		s.tree(rec, r, id, branch, oid)
	case Branch:
		s.branch(rec, r, id, branch)
	case Preupload:
		s.preupload(rec, r, id, branch, body)
	case Batch:
		s.batch(rec, r, id, body)
	case Put:
		s.put(rec, r, oid, body)
	case Part:
		s.part(rec, r, oid, part, body)
	case Complete:
		s.complete(rec, r, oid, body)
	case Verify:
		s.verify(rec, r, oid, body)
	case CommitR:
		s.commit(rec, r, id, branch, body)
	}
	if fault == DropAfter {
		hijackClose(w)
		return
	}
	rec.flush()
}

// recorder holds an answer back, so that DropAfter can drop it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) { r.status = status }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) flush() {
	r.ResponseWriter.WriteHeader(max(r.status, http.StatusOK))
	r.ResponseWriter.Write(r.body.Bytes())
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func wantHeader(r *http.Request, key, want string) error {
	if got := r.Header.Get(key); got != want {
		return fmt.Errorf("%s %s: %s %q, want %q", r.Method, r.URL.Path, key, got, want)
	}
	return nil
}

// lfsHeaders checks the git-LFS content types a batch or completion
// request carries, answering a breach.
func (s *Server) lfsHeaders(w http.ResponseWriter, r *http.Request) bool {
	for _, h := range []string{"Accept", "Content-Type"} {
		if err := wantHeader(r, h, "application/vnd.git-lfs+json"); err != nil {
			s.violate(w, "%v", err)
			return false
		}
	}
	return true
}

var repoName = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*$`)

func (s *Server) create(w http.ResponseWriter, r *http.Request, body []byte) {
	if err := wantHeader(r, "Content-Type", "application/json"); err != nil {
		s.violate(w, "%v", err)
		return
	}
	var req struct {
		Name, Organization, Type, Visibility string
		Private                              *bool
	}
	if err := strictJSON(body, &req); err != nil || !repoName.MatchString(req.Name) || !repoName.MatchString(req.Organization) || req.Type != "dataset" {
		s.violate(w, "create: want a JSON object with name, organization and type dataset: %s", body)
		return
	}
	private := req.Visibility == "private" || req.Private != nil && *req.Private
	if req.Visibility != "" && req.Visibility != "public" && req.Visibility != "private" {
		s.violate(w, "create: visibility %q", req.Visibility)
		return
	}
	id := req.Organization + "/" + req.Name
	if s.repos[id] != nil {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "You already created this dataset repo", "url": s.URL + "/datasets/" + id})
		return
	}
	rp := &repo{private: private, branches: map[string]string{}, commits: map[string]*commit{}}
	s.repos[id] = rp
	var attrs strings.Builder
	for _, ext := range lfsTypes {
		fmt.Fprintf(&attrs, "*%s filter=lfs diff=lfs merge=lfs -text\n", ext)
	}
	s.apply(rp, "main", "initial commit", map[string]file{".gitattributes": inline([]byte(attrs.String()))}, nil)
	writeJSON(w, http.StatusOK, map[string]string{"url": s.URL + "/datasets/" + id, "name": id})
}

// strictJSON decodes one JSON value, refusing unknown fields.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func inline(content []byte) file {
	return file{oid: gitBlobID(content), content: content}
}

func gitBlobID(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// apply makes a commit on branch: files added or replaced, paths deleted.
func (s *Server) apply(rp *repo, branch, message string, add map[string]file, del []string) string {
	parent := rp.branches[branch]
	files := map[string]file{}
	if parent != "" {
		for p, f := range rp.commits[parent].files {
			files[p] = f
		}
	}
	for p, f := range add {
		files[p] = f
	}
	for _, p := range del {
		delete(files, p)
	}
	sha := gitBlobID(fmt.Appendf(nil, "commit %d %s %s", len(rp.commits), parent, message))
	rp.commits[sha] = &commit{parent: parent, message: message, files: files}
	rp.branches[branch] = sha
	return sha
}

func (s *Server) repoOr404(w http.ResponseWriter, id string) *repo {
	rp := s.repos[id]
	if rp == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Repository not found"})
	}
	return rp
}

func (s *Server) revision(w http.ResponseWriter, r *http.Request, id, branch string, rt Route) {
	rp := s.repoOr404(w, id)
	if rp == nil {
		return
	}
	if rt == Info {
		branch = "main"
	}
	sha := rp.branches[branch]
	if sha == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Invalid rev id: " + branch})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "sha": sha, "private": rp.private})
}

// tree lists the files under dir at a branch's head, in path order, a
// page at a time: ?cursor=N starts at the Nth.
func (s *Server) tree(w http.ResponseWriter, r *http.Request, id, branch, dir string) {
	rp := s.repoOr404(w, id)
	if rp == nil {
		return
	}
	head := rp.commits[rp.branches[branch]]
	if head == nil || r.URL.Query().Get("recursive") != "true" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Invalid rev id: " + branch})
		return
	}
	var paths []string
	for p := range head.files {
		if dir == "" || strings.HasPrefix(p, dir+"/") {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 && dir != "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Entry not found"})
		return
	}
	slices.Sort(paths)
	start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	end := min(start+s.TreePage, len(paths))
	type entry struct {
		Type string `json:"type"`
		OID  string `json:"oid"`
		Size int    `json:"size"`
		Path string `json:"path"`
	}
	out := []entry{}
	for _, p := range paths[min(start, len(paths)):end] {
		out = append(out, entry{"file", head.files[p].oid, len(head.files[p].content), p})
	}
	if end < len(paths) {
		q := r.URL.Query()
		q.Set("cursor", strconv.Itoa(end))
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.URL, r.URL.Path, q.Encode()))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) branch(w http.ResponseWriter, r *http.Request, id, branch string) {
	rp := s.repoOr404(w, id)
	if rp == nil {
		return
	}
	if rp.branches[branch] != "" {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "Reference already exists"})
		return
	}
	rp.branches[branch] = rp.branches["main"]
	writeJSON(w, http.StatusOK, map[string]any{})
}

// lfsTypes are the data files a new dataset repo's .gitattributes sends
// through LFS, as far as these tests need.
var lfsTypes = []string{".parquet", ".arrow", ".jsonl", ".gz", ".zst", ".png", ".bin"}

// lfsBySample is the Hub's choice: LFS for large or binary files and the
// data types of .gitattributes.
func (s *Server) lfsBySample(p string, size int64, sample []byte) bool {
	return size >= s.LFSMin || slices.Contains(lfsTypes, path.Ext(p)) || bytes.IndexByte(sample, 0) >= 0
}

func (s *Server) preupload(w http.ResponseWriter, r *http.Request, id, branch string, body []byte) {
	if err := wantHeader(r, "Content-Type", "application/json"); err != nil {
		s.violate(w, "%v", err)
		return
	}
	rp := s.repoOr404(w, id)
	if rp == nil {
		return
	}
	var req struct {
		Files []struct {
			Path   string `json:"path"`
			Size   *int64 `json:"size"`
			Sample string `json:"sample"`
		} `json:"files"`
		GitAttributes string `json:"gitAttributes"`
		GitIgnore     string `json:"gitIgnore"`
	}
	if err := strictJSON(body, &req); err != nil || len(req.Files) == 0 || len(req.Files) > 100 {
		s.violate(w, "preupload: want 1 to 100 files: %v", err)
		return
	}
	head := rp.commits[rp.branches[branch]]
	if head == nil && r.URL.Query().Get("create_pr") == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Invalid rev id: " + branch})
		return
	}
	type answer struct {
		Path         string `json:"path"`
		UploadMode   string `json:"uploadMode"`
		ShouldIgnore bool   `json:"shouldIgnore"`
		OID          string `json:"oid,omitempty"`
	}
	var out []answer
	for _, f := range req.Files {
		sample, err := base64.StdEncoding.DecodeString(f.Sample)
		if err != nil || f.Size == nil || len(sample) > 512 || int64(len(sample)) != min(*f.Size, 512) || !validPath(f.Path) {
			s.violate(w, "preupload: file %q: want a path, its size and its first min(size, 512) bytes in base64", f.Path)
			return
		}
		a := answer{Path: f.Path, UploadMode: "regular"}
		if s.lfsBySample(f.Path, *f.Size, sample) {
			a.UploadMode = "lfs"
		}
		if head != nil {
			if have, ok := head.files[f.Path]; ok {
				a.OID = have.oid
			}
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": out, "commitOid": rp.branches[branch]})
}

func validPath(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") && !strings.Contains(p, "\\")
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	if !s.lfsHeaders(w, r) {
		return
	}
	if s.repoOr404(w, id) == nil {
		return
	}
	var req struct {
		Operation string   `json:"operation"`
		Transfers []string `json:"transfers"`
		HashAlgo  string   `json:"hash_algo"`
		Ref       *struct {
			Name string `json:"name"`
		} `json:"ref"`
		Objects []struct {
			OID  string `json:"oid"`
			Size *int64 `json:"size"`
		} `json:"objects"`
	}
	if err := strictJSON(body, &req); err != nil || req.Operation != "upload" || req.HashAlgo != "sha_256" || !slices.Contains(req.Transfers, "basic") || len(req.Objects) == 0 || len(req.Objects) > 100 {
		s.violate(w, "batch: want an upload of 1 to 100 sha_256 objects offering basic: %s", body)
		return
	}
	type action struct {
		Href   string            `json:"href"`
		Header map[string]string `json:"header,omitempty"`
	}
	type object struct {
		OID           string             `json:"oid"`
		Size          int64              `json:"size"`
		Authenticated bool               `json:"authenticated"`
		Actions       map[string]*action `json:"actions,omitempty"`
	}
	var out []object
	transfer := "basic"
	for _, o := range req.Objects {
		if !sha256Hex.MatchString(o.OID) || o.Size == nil || *o.Size < 0 {
			s.violate(w, "batch: object %q: want a sha256 oid and a size", o.OID)
			return
		}
		obj := object{OID: o.OID, Size: *o.Size, Authenticated: true}
		if _, have := s.objects[o.OID]; !have {
			if *o.Size >= s.MultipartMin && slices.Contains(req.Transfers, "multipart") {
				transfer = "multipart"
				h := map[string]string{"chunk_size": strconv.FormatInt(s.ChunkSize, 10)}
				for i := int64(1); i <= (*o.Size+s.ChunkSize-1)/s.ChunkSize; i++ {
					h[fmt.Sprintf("%05d", i)] = fmt.Sprintf("%s/lfs-part/%s/%d?size=%d", s.URL, o.OID, i, *o.Size)
				}
				obj.Actions = map[string]*action{"upload": {Href: fmt.Sprintf("%s/lfs-complete/%s?size=%d", s.URL, o.OID, *o.Size), Header: h}}
			} else {
				obj.Actions = map[string]*action{
					"upload": {Href: fmt.Sprintf("%s/lfs-put/%s?size=%d", s.URL, o.OID, *o.Size)},
					"verify": {Href: fmt.Sprintf("%s/lfs-verify/%s", s.URL, o.OID), Header: map[string]string{"Authorization": "Bearer " + s.Token}},
				}
			}
		}
		out = append(out, obj)
	}
	w.Header().Set("Content-Type", "application/vnd.git-lfs+json")
	w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", s.counts[Batch]))
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(map[string]any{"transfer": transfer, "objects": out})
}

// store keeps content as oid when its sha256 and size are those announced.
func (s *Server) store(w http.ResponseWriter, r *http.Request, oid string, content []byte) bool {
	size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	sum := sha256.Sum256(content)
	if int64(len(content)) != size || hex.EncodeToString(sum[:]) != oid {
		s.violate(w, "%s: %d bytes of sha256 %x, announced %d bytes of %s", r.URL.Path, len(content), sum, size, oid)
		return false
	}
	s.objects[oid] = content
	return true
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, oid string, body []byte) {
	if s.store(w, r, oid, body) {
		writeJSON(w, http.StatusOK, map[string]bool{"sha_ok": true})
	}
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

func (s *Server) part(w http.ResponseWriter, r *http.Request, oid string, n int, body []byte) {
	size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	parts := (size + s.ChunkSize - 1) / s.ChunkSize
	want := s.ChunkSize
	if int64(n) == parts {
		want = size - (parts-1)*s.ChunkSize
	}
	if n < 1 || int64(n) > parts || int64(len(body)) != want {
		s.violate(w, "part %d of %s: %d bytes, want %d", n, oid, len(body), want)
		return
	}
	if s.parts[oid] == nil {
		s.parts[oid] = map[int][]byte{}
	}
	s.parts[oid][n] = body
	w.Header().Set("ETag", etag(body))
	w.WriteHeader(http.StatusOK)
}

func (s *Server) complete(w http.ResponseWriter, r *http.Request, oid string, body []byte) {
	if !s.lfsHeaders(w, r) {
		return
	}
	var req struct {
		OID   string `json:"oid"`
		Parts []struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		} `json:"parts"`
	}
	if _, done := s.objects[oid]; done { // a completion retried after a lost answer
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
		return
	}
	size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	n := int((size + s.ChunkSize - 1) / s.ChunkSize)
	if err := strictJSON(body, &req); err != nil || req.OID != oid || len(req.Parts) != n {
		s.violate(w, "complete %s: want the oid and its %d parts: %s", oid, n, body)
		return
	}
	var content []byte
	for i, p := range req.Parts {
		got, ok := s.parts[oid][i+1]
		if p.PartNumber != i+1 || !ok || p.ETag != etag(got) {
			s.violate(w, "complete %s: part %d (number %d, etag %q) not uploaded or not in order", oid, i+1, p.PartNumber, p.ETag)
			return
		}
		content = append(content, got...)
	}
	if s.store(w, r, oid, content) {
		delete(s.parts, oid)
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request, oid string, body []byte) {
	if err := wantHeader(r, "Authorization", "Bearer "+s.Token); err != nil {
		s.violate(w, "verify without the action's header: %v", err)
		return
	}
	var req struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	}
	if err := strictJSON(body, &req); err != nil || req.OID != oid {
		s.violate(w, "verify %s: %s", oid, body)
		return
	}
	if got, ok := s.objects[oid]; !ok || int64(len(got)) != req.Size {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "object not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) commit(w http.ResponseWriter, r *http.Request, id, branch string, body []byte) {
	if err := wantHeader(r, "Content-Type", "application/x-ndjson"); err != nil {
		s.violate(w, "%v", err)
		return
	}
	rp := s.repoOr404(w, id)
	if rp == nil {
		return
	}
	pr := r.URL.Query().Get("create_pr") == "1"
	lines := bytes.Split(body, []byte("\n"))
	var header struct {
		Key   string `json:"key"`
		Value struct {
			Summary      string `json:"summary"`
			Description  string `json:"description"`
			ParentCommit string `json:"parentCommit"`
		} `json:"value"`
	}
	if err := strictJSON(lines[0], &header); err != nil || header.Key != "header" || header.Value.Summary == "" {
		s.violate(w, "commit: the first line must be the header with a summary: %s", lines[0])
		return
	}
	head := rp.branches[branch]
	if head == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Invalid rev id: " + branch})
		return
	}
	if p := header.Value.ParentCommit; p != "" && p != head && !pr {
		writeJSON(w, http.StatusPreconditionFailed, map[string]string{"error": "A commit has happened since. Please refresh and try again."})
		return
	}
	add, seen := map[string]file{}, map[string]bool{}
	var del []string
	for i, l := range lines[1:] {
		var op struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		}
		if err := strictJSON(l, &op); err != nil {
			s.violate(w, "commit line %d: %v", i+2, err)
			return
		}
		var v struct {
			Path     string `json:"path"`
			Content  string `json:"content"`
			Encoding string `json:"encoding"`
			Algo     string `json:"algo"`
			Size     int64  `json:"size"`
			OID      string `json:"oid"`
		}
		if err := strictJSON(op.Value, &v); err != nil || !validPath(v.Path) || seen[v.Path] {
			s.violate(w, "commit line %d: a valid path, once: %s", i+2, l)
			return
		}
		seen[v.Path] = true
		switch op.Key {
		case "file":
			content, err := base64.StdEncoding.DecodeString(v.Content)
			if err != nil || v.Encoding != "base64" {
				s.violate(w, "commit line %d: content must be base64", i+2)
				return
			}
			add[v.Path] = inline(content)
		case "lfsFile":
			got, ok := s.objects[v.OID]
			if v.Algo != "sha256" || !ok || int64(len(got)) != v.Size {
				s.violate(w, "commit line %d: LFS object %s (%d bytes) not in storage", i+2, v.OID, v.Size)
				return
			}
			add[v.Path] = file{lfs: true, oid: v.OID}
		case "deletedFile":
			del = append(del, v.Path)
		default:
			s.violate(w, "commit line %d: key %q", i+2, op.Key)
			return
		}
	}
	s.commits++
	if pr {
		rp.prs++
		ref := fmt.Sprintf("refs/pr/%d", rp.prs)
		rp.branches[ref] = head
		sha := s.apply(rp, ref, header.Value.Summary, add, del)
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "commitOid": sha, "commitUrl": s.URL + "/datasets/" + id + "/commit/" + sha,
			"pullRequestUrl": fmt.Sprintf("%s/datasets/%s/discussions/%d", s.URL, id, rp.prs)})
		return
	}
	sha := s.apply(rp, branch, header.Value.Summary, add, del)
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "commitOid": sha, "commitUrl": s.URL + "/datasets/" + id + "/commit/" + sha})
}
