// Package cmd_test holds the checks on the project's layout that span all
// packages (STYLE.md §6), in the manner of Go's own src/go/build/deps_test.go.
package cmd_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/dwkit/dwkit"

// rules: for packages under a prefix, import paths they must not use.
var rules = []struct {
	pkgs      string // path prefix relative to the module root
	forbidden []string
	except    []string // packages the rule does not cover
}{
	// Domain packages take and return Go values: no record stream, no network.
	{"lib/", []string{module + "/ndjson", module + "/lib/cli"}, []string{"lib/cli", "lib/cli/clitest"}},
	// The network is lib/web's alone (and its clients' under it: the Hub's),
	// so the domain packages stay fuzzable.
	{"lib/", []string{"net/http"}, []string{"lib/cli", "lib/cli/clitest", "lib/web", "lib/web/hfhub", "lib/web/hfhub/hubtest"}},
	// The stream knows no domain.
	{"ndjson", []string{module + "/lib/"}, nil},
}

// stdStreams finds code that touches the process's streams or exits.
var stdStreams = regexp.MustCompile(`\bos\.(Stdin|Stdout|Exit)\b`)

func TestLayout(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := filepath.Glob(filepath.Join(root, "lib", "*.go")); len(entries) > 0 {
		t.Errorf("lib/ holds Go files %v: lib/ is a folder of packages, never a package", entries)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "scripts") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, r := range rules {
			if !strings.HasPrefix(pkg, r.pkgs) || contains(r.except, pkg) {
				continue
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range r.forbidden {
					if p == bad || strings.HasSuffix(bad, "/") && strings.HasPrefix(p, bad) {
						t.Errorf("%s imports %s, which %s* must not", rel, p, r.pkgs)
					}
				}
			}
		}
		if !strings.HasPrefix(pkg, "cmd/") && !strings.HasPrefix(pkg, "lib/cli") {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if loc := stdStreams.Find(src); loc != nil {
				t.Errorf("%s uses %s: only mains and lib/cli touch the process's streams", rel, loc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	libs, _ := filepath.Glob(filepath.Join(root, "lib", "*"))
	for _, dir := range append(libs, filepath.Join(root, "ndjson")) {
		if _, err := os.Stat(filepath.Join(dir, "doc.go")); err != nil {
			t.Errorf("%s has no doc.go saying what belongs there", dir)
		}
	}
}

// TestNoBuildOutputs fails on tracked build outputs: an executable (a binary
// by its magic number, or a file with the executable bit that is not a
// script) or a file over 1 MB outside testdata.
func TestNoBuildOutputs(t *testing.T) {
	out, err := exec.Command("git", "-C", "..", "ls-files", "-s", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): nothing tracked to check", err)
	}
	for _, entry := range bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0}) {
		meta, path, _ := strings.Cut(string(entry), "\t")
		mode := strings.Fields(meta)[0]
		if mode == "120000" || mode == "160000" { // symlink, submodule
			continue
		}
		f, err := os.Open(filepath.Join("..", path))
		if err != nil {
			continue // deleted in the work tree
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		st, _ := f.Stat()
		f.Close()
		head = head[:n]
		switch {
		case isBinary(head):
			t.Errorf("%s is a tracked executable: remove it and ignore it", path)
		case mode == "100755" && !bytes.HasPrefix(head, []byte("#!")):
			t.Errorf("%s has the executable bit but is not a script", path)
		case st.Size() > 1<<20 && !strings.Contains("/"+path, "/testdata/"):
			t.Errorf("%s is %d bytes: files over 1 MB belong in testdata or nowhere", path, st.Size())
		}
	}
}

// isBinary tells an object file by its magic number: ELF, Mach-O, PE, wasm.
func isBinary(head []byte) bool {
	for _, magic := range []string{"\x7fELF", "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe", "MZ", "\x00asm"} {
		if bytes.HasPrefix(head, []byte(magic)) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestFieldTypesLiveInLib enforces "a JSON field type is declared once, in
// the lib package of its noun" (STYLE.md §12): in cmd/, a JSON-tagged struct
// field must have a type of another package (ndjson or lib/...), so no
// command restates a format field by field. Tests are exempt.
func TestFieldTypesLiveInLib(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("*", "*.go"))
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, field := range st.Fields.List {
				if field.Tag == nil || !strings.Contains(field.Tag.Value, `json:"`) {
					continue
				}
				typ := field.Type
				for {
					switch x := typ.(type) {
					case *ast.StarExpr:
						typ = x.X
						continue
					case *ast.ArrayType:
						typ = x.Elt
						continue
					}
					break
				}
				_, foreign := typ.(*ast.SelectorExpr)
				if id, ok := typ.(*ast.Ident); ok && id.Name == "any" {
					foreign = true
				}
				if !foreign {
					t.Errorf("%s: the JSON field %s restates a format in cmd/: declare its type in the lib package of its noun", fset.Position(field.Pos()), field.Tag.Value)
				}
			}
			return true
		})
	}
}
