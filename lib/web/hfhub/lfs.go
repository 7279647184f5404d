package hfhub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/web"
)

// lfsAction is an action of the LFS batch answer.
type lfsAction struct {
	Href   string            `json:"href"`
	Header map[string]string `json:"header"`
}

// lfsObject is an object of the LFS batch answer.
type lfsObject struct {
	OID     string `json:"oid"`
	Size    int64  `json:"size"`
	Actions struct {
		Upload *lfsAction `json:"upload"`
		Verify *lfsAction `json:"verify"`
	} `json:"actions"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

const lfsType = "application/vnd.git-lfs+json"

var lfsHeader = map[string]string{"Accept": lfsType, "Content-Type": lfsType}

// partKey is a multipart part's key in the upload action's header.
var partKey = regexp.MustCompile(`^[0-9]+$`)

// uploadLFS sends the LFS files the storage does not have yet, 100 per
// batch request; an object the batch answers without an upload action is
// there already.
func (c *Client) uploadLFS(ctx context.Context, cm *Commit, files []*File) error {
	var lfs []*File // one file of each content: the storage keeps an object once
	var total int64
	seen := map[string]bool{}
	for _, f := range files {
		if f.lfs && !seen[f.sha256] {
			seen[f.sha256] = true
			lfs = append(lfs, f)
			total += f.size
		}
	}
	p := &progress{c: c, total: total}
	for start := 0; start < len(lfs); start += 100 {
		batch := lfs[start:min(start+100, len(lfs))]
		type object struct {
			OID  string `json:"oid"`
			Size int64  `json:"size"`
		}
		type ref struct {
			Name string `json:"name"`
		}
		body := struct {
			Operation string   `json:"operation"`
			Transfers []string `json:"transfers"`
			HashAlgo  string   `json:"hash_algo"`
			Ref       *ref     `json:"ref,omitempty"`
			Objects   []object `json:"objects"`
		}{Operation: "upload", Transfers: []string{"basic", "multipart"}, HashAlgo: "sha_256"}
		if !cm.PullRequest {
			body.Ref = &ref{cm.Branch}
		}
		byOID := map[string]*File{}
		for _, f := range batch {
			body.Objects = append(body.Objects, object{f.sha256, f.size})
			byOID[f.sha256] = f
		}
		var answer struct {
			Objects []lfsObject `json:"objects"`
		}
		u := "/datasets/" + cm.Repo.ID + ".git/info/lfs/objects/batch"
		resp, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "POST", path: u, header: lfsHeader, body: jsonBody(body)}))
		if err != nil {
			return c.hidden(fmt.Errorf("LFS batch: %w", err))
		}
		if err := c.decode(resp.Body, &answer); err != nil {
			return fmt.Errorf("LFS batch: %w", err)
		}
		requestID := resp.Header.Get("X-Request-Id")
		for _, obj := range answer.Objects {
			f := byOID[obj.OID]
			if f == nil {
				return fmt.Errorf("LFS batch: the answer names object %.64q, not asked for", obj.OID)
			}
			delete(byOID, obj.OID)
			if obj.Error != nil {
				return fmt.Errorf("LFS batch: %s: %d %s", f.Path, obj.Error.Code, c.said(obj.Error.Message))
			}
			if err := c.sendObject(ctx, f, obj, requestID, p); err != nil {
				return c.hidden(err)
			}
		}
		for _, f := range byOID {
			return fmt.Errorf("LFS batch: the answer leaves out %s", f.Path)
		}
	}
	return nil
}

// sendObject uploads one object as its batch answer says: nothing to do,
// one PUT, or the parts of a multipart upload and their completion; then
// the verify action if there is one.
func (c *Client) sendObject(ctx context.Context, f *File, obj lfsObject, requestID string, p *progress) error {
	up := obj.Actions.Upload
	if up == nil {
		p.done(f.size) // the storage has it
		return nil
	}
	if up.Header["chunk_size"] != "" {
		if err := c.multipart(ctx, f, up, p); err != nil {
			return err
		}
	} else {
		header := maps.Clone(up.Header)
		if header == nil {
			header = map[string]string{}
		}
		if requestID != "" {
			header["X-Request-Id"] = requestID
		}
		if _, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "PUT", toStore: true, storage: up.Href, header: header, body: p.section(f, 0, f.size)})); err != nil {
			return fmt.Errorf("uploading %s: %w", f.Path, err)
		}
		p.done(f.size)
	}
	if v := obj.Actions.Verify; v != nil {
		header := maps.Clone(lfsHeader)
		maps.Copy(header, v.Header)
		body := struct {
			OID  string `json:"oid"`
			Size int64  `json:"size"`
		}{f.sha256, f.size}
		if _, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "POST", toStore: true, storage: v.Href, header: header, body: jsonBody(body)})); err != nil {
			return fmt.Errorf("verifying %s: %w", f.Path, err)
		}
	}
	return nil
}

// multipart sends f in the parts the upload action lists (keys "00001"...,
// each a URL, chunk_size bytes each), then completes the upload with the
// parts' ETags.
func (c *Client) multipart(ctx context.Context, f *File, up *lfsAction, p *progress) error {
	chunk, ok := parsePositive(up.Header["chunk_size"])
	if !ok {
		return fmt.Errorf("uploading %s: chunk_size %q", f.Path, up.Header["chunk_size"])
	}
	n := partCount(f.size, chunk)
	if n > 100_000 {
		return fmt.Errorf("uploading %s: %d parts of %d bytes: too many", f.Path, n, chunk)
	}
	type part struct {
		PartNumber int    `json:"partNumber"`
		ETag       string `json:"etag"`
	}
	parts, urls := make([]part, n), make([]string, n)
	for k, href := range up.Header {
		if !partKey.MatchString(k) {
			continue
		}
		i, ok := parsePositive(k)
		if !ok || i > n || urls[i-1] != "" {
			return fmt.Errorf("uploading %s: the Hub lists part %q of %d", f.Path, k, n)
		}
		if err := storageURL(href); err != nil {
			return fmt.Errorf("uploading %s: part %s: %w", f.Path, k, err)
		}
		urls[i-1], parts[i-1].PartNumber = href, int(i)
	}
	if i := slices.Index(urls, ""); i >= 0 {
		return fmt.Errorf("uploading %s: the Hub lists no part %d of %d (%d bytes in chunks of %d)", f.Path, i+1, n, f.size, chunk)
	}
	for i := range parts {
		off := int64(i) * chunk
		resp, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "PUT", toStore: true, storage: urls[i], body: p.section(f, off, min(chunk, f.size-off))}))
		if err != nil {
			return fmt.Errorf("uploading part %d of %d of %s: %w", i+1, len(parts), f.Path, err)
		}
		if parts[i].ETag = resp.Header.Get("ETag"); parts[i].ETag == "" {
			return fmt.Errorf("uploading part %d of %s: the storage gave no ETag", i+1, f.Path)
		}
		p.done(min(chunk, f.size-off))
	}
	body := struct {
		OID   string `json:"oid"`
		Parts []part `json:"parts"`
	}{f.sha256, parts}
	if _, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "POST", toStore: true, storage: up.Href, header: lfsHeader, body: jsonBody(body)})); err != nil {
		return fmt.Errorf("completing the upload of %s: %w", f.Path, err)
	}
	return nil
}

// progress counts the bytes sent: those of finished transfers and those of
// the transfer under way (a retried transfer starts again from nought).
type progress struct {
	c           *Client
	total, sent int64
	current     *countingReader
}

func (p *progress) done(n int64) {
	p.sent += n
	p.current = nil
	p.report()
}

func (p *progress) report() {
	if p.c.Progress == nil {
		return
	}
	n := p.sent
	if p.current != nil {
		n += p.current.n
	}
	p.c.Progress(n, p.total)
}

// section is a request body of bytes [off, off+n) of f, counted.
func (p *progress) section(f *File, off, n int64) func() (io.Reader, int64, error) {
	return func() (io.Reader, int64, error) {
		file, err := os.Open(f.Local)
		if err != nil {
			return nil, 0, err
		}
		p.current = &countingReader{r: io.NewSectionReader(file, off, n), file: file, p: p}
		return p.current, n, nil
	}
}

// countingReader counts what is read of a file section and closes the file
// at its end (the HTTP client closes a body that is an io.Closer).
type countingReader struct {
	r    io.Reader
	file *os.File
	n    int64
	p    *progress
}

func (r *countingReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.n += int64(n)
	r.p.report()
	return n, err
}

func (r *countingReader) Close() error { return r.file.Close() }

// said is a server's words fit for a message, the token masked (web.Said).
func (c *Client) said(s string) string { return web.Said(s, c.Mask) }

// decode decodes an answer, naming its start when it is not JSON.
func (c *Client) decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected (%v): %q", err, c.said(strings.TrimSpace(string(data))))
	}
	return nil
}
