package hfhub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/web"
)

// TestStorageAddresses: storage must be an absolute http(s) URL, so a
// relative href never goes to the Hub with the token.
func TestStorageAddresses(t *testing.T) {
	for href, ok := range map[string]bool{
		"https://s3.example/x?sig=1": true, "http://127.0.0.1:9/p": true,
		"/relative/abc": false, "": false, "file:///etc/passwd": false, "ftp://h/x": false, "//host/x": false,
	} {
		if err := storageURL(href); (err == nil) != ok {
			t.Errorf("storageURL(%q) = %v", href, err)
		}
	}
}

// TestMultipartKeys: parts listed as "1", "2" (not zero-padded) go to their
// own URLs; a missing part is named.
func TestMultipartKeys(t *testing.T) {
	var puts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		puts = append(puts, r.Method+" "+r.URL.Path)
		w.Header().Set("ETag", `"e"`)
	}))
	defer srv.Close()
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte(strings.Repeat("x", 25)), 0o666)
	f := &File{Path: "data/f", Local: local}
	if err := f.hash(); err != nil {
		t.Fatal(err)
	}
	c := &Client{Endpoint: srv.URL, Web: &web.Client{HTTP: srv.Client(), MaxBytes: 1 << 20}}
	up := &lfsAction{Href: srv.URL + "/done", Header: map[string]string{"chunk_size": "10", "1": srv.URL + "/p1", "2": srv.URL + "/p2", "3": srv.URL + "/p3"}}
	if err := c.multipart(context.Background(), f, up, &progress{c: c}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(puts, ",") != "PUT /p1,PUT /p2,PUT /p3,POST /done" {
		t.Errorf("requests %v", puts)
	}
	delete(up.Header, "2")
	if err := c.multipart(context.Background(), f, up, &progress{c: c}); err == nil || !strings.Contains(err.Error(), "no part 2 of 3") {
		t.Errorf("missing part: %v", err)
	}
}

// TestEmptyHref: an empty storage address is refused before any request.
func TestEmptyHref(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n++ }))
	defer srv.Close()
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte("data"), 0o666)
	f := &File{Path: "data/f", Local: local}
	f.hash()
	c := NewClient(srv.URL, "hf_t", Options{HTTP: srv.Client(), Retries: 3})
	var obj lfsObject
	obj.Actions.Upload = &lfsAction{Href: ""}
	err := c.sendObject(context.Background(), f, obj, "", &progress{c: c})
	if err == nil || !strings.Contains(err.Error(), "want an absolute http(s) URL") || n != 0 {
		t.Errorf("err %v after %d requests", err, n)
	}
}
