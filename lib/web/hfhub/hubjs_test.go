package hfhub_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/web/hfhub/hubtest"
)

// TestOfficialClientAgainstStandIn runs the official @huggingface/hub
// client (npm, installed by scripts/install-readers.sh) against the
// stand-in: it creates a repo and commits the test dataset, a multipart
// upload included, without a breach of the stand-in's protocol, and the
// files end on main with their content. What the stand-in enforces is
// thereby what the official client does.
func TestOfficialClientAgainstStandIn(t *testing.T) {
	readers, _ := filepath.Abs(filepath.Join("..", "..", "..", "scripts", "readers"))
	if _, err := os.Stat(filepath.Join(readers, "node_modules", "@huggingface", "hub")); err != nil {
		t.Skip("@huggingface/hub not installed: run make readers (scripts/install-readers.sh)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	srv := hubtest.New(token)
	defer srv.Close()
	files, want := dataset(t, 1)
	dir := t.TempDir()
	for _, f := range files {
		local := filepath.Join(dir, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(local), 0o777)
		if err := os.WriteFile(local, want[f.Path], 0o666); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, filepath.Join(readers, "hub-upload.mjs"), srv.URL, "alice/ds", dir)
	cmd.Env = append(os.Environ(), "HF_TOKEN="+token)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("official client: %v\n%s\nstand-in breaches: %q", err, out, srv.Violations())
	}
	if !strings.Contains(string(out), `"oid":"`+srv.Head("alice/ds", "main")+`"`) {
		t.Errorf("the client names another commit than the head %s: %s", srv.Head("alice/ds", "main"), out)
	}
	checkRepo(t, srv, "main", want, 1)
	if n := srv.Count(hubtest.Part); n != 6 {
		t.Errorf("%d multipart parts, want 6", n)
	}
}
