package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/repo"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	Dir              string        `arg:"" name:"REPO_DIR" help:"The repository to parse."`
	Kinds            string        `default:"all" placeholder:"LIST" help:"Record kinds to write, comma-separated: all, or any of ${kinds}."`
	MinSize          cli.Size      `default:"100B" placeholder:"SIZE" help:"Write no file record for .rs files smaller than SIZE (their items are still written)."`
	MaxSize          cli.Size      `default:"500KiB" placeholder:"SIZE" help:"Write no file record for .rs files larger than SIZE (their items are still written)."`
	NoIgnore         bool          `help:"Do not honour .gitignore files."`
	IncludeVendored  bool          `help:"Walk vendored folders (vendor/, third_party/, node_modules/) too."`
	IncludeGenerated bool          `help:"Keep files with a generated-code marker."`
	RepoName         string        `placeholder:"NAME" help:"Repository name for source.repo (default: REPO_DIR's folder name)."`
	Commit           string        `placeholder:"SHA" help:"Commit for source.commit (default: read from REPO_DIR/.git)."`
	ParseTimeout     time.Duration `default:"30s" help:"Give up on a file whose parse takes longer."`
	MaxParse         cli.Size      `default:"8MiB" placeholder:"SIZE" help:"Parse no file larger than SIZE (with a warning; its file record is still written): tree-sitter takes about 100 bytes of memory per byte of source, and the largest real files are a few MB."`
	Calls            bool          `help:"Also write each function's call sites (rust.calls, rust.vars) and each file's use declarations (rust.uses), so that dw-callgraph need not parse again."`
}

// allKinds is every record kind, in the order --help lists them.
var allKinds = append([]string{"crate", "workspace", "file"}, rust.Kinds...)

// record is one output record; Rust is a rust.ItemField, rust.FileField or
// cargo.CrateField.
type record struct {
	ndjson.Head
	Rust any `json:"rust"`
}

// parser holds what one run knows while it parses files.
type parser struct {
	cmd       *command
	kinds     map[string]bool
	repo      string
	commit    string
	layout    *cargo.Layout
	manifests map[string]*cargo.Manifest // by folder, packages and virtual workspaces
	modules   map[string]string          // module paths set by #[path] attributes
}

// outcome is what parsing one file gave: encoded records and what to report.
type outcome struct {
	file   repo.File
	out    *bytes.Buffer // the encoded records, one per line; back to bufPool after writing
	items  map[string]int
	skip   repo.Reason // content-based skip (binary, generated)
	warn   string
	err    error
	syntax bool // tree-sitter reported errors
	// fileRecord says whether the file's own record is written: it is asked
	// for and within --min-size/--max-size (noFile says which it is not).
	fileRecord bool
	noFile     repo.Reason
	isCrate    bool
	enc        *json.Encoder
}

// Lists names the record kinds in --help.
func (c *command) Lists() map[string][]string { return map[string][]string{"kinds": allKinds} }

// Validate refuses a parse time limit that would stop every parse.
func (c *command) Validate() error {
	if c.ParseTimeout <= 0 {
		return fmt.Errorf("--parse-timeout %s: want a positive duration", c.ParseTimeout)
	}
	return cli.AtLeast(1, "max-parse", c.MaxParse)
}

func (c *command) Run(env *cli.Env) error {
	p := &parser{cmd: c, repo: c.RepoName, commit: c.Commit, manifests: map[string]*cargo.Manifest{}}
	var err error
	if p.kinds, err = parseKinds(c.Kinds); err != nil {
		return err
	}
	if c.MinSize > c.MaxSize {
		return cli.Usagef("--min-size %s is over --max-size %s", c.MinSize, c.MaxSize)
	}
	if p.repo == "" {
		abs, err := filepath.Abs(c.Dir)
		if err != nil {
			return err
		}
		p.repo = filepath.Base(abs)
	}
	if p.commit == "" {
		p.commit = repo.Commit(c.Dir)
	}
	start := time.Now()
	isManifest := func(rel string) bool { return path.Base(rel) == "Cargo.toml" }
	// Every file is walked whatever its size: items come from all of them;
	// --min-size/--max-size choose only the file records.
	files, skips, err := repo.Walk(c.Dir, repo.Options{
		Match:    func(rel string) bool { return strings.HasSuffix(rel, ".rs") || isManifest(rel) },
		NoIgnore: c.NoIgnore,
		Vendored: c.IncludeVendored,
	})
	if err != nil {
		return err
	}
	st := newStats()
	for _, s := range skips {
		if err := st.skipped(env, s.Rel, s.Reason, s.Err); err != nil {
			return err
		}
	}
	var manifests []*cargo.Manifest
	var templates []string // folders of project templates, left out whole
	for _, f := range files {
		if !isManifest(f.Rel) {
			continue
		}
		m, err := cargo.ReadDir(c.Dir, manifestDir(f.Rel))
		if errors.Is(err, cargo.ErrTemplate) {
			templates = append(templates, manifestDir(f.Rel))
			continue
		}
		if err != nil {
			if err := env.Report.Error(err); err != nil {
				return err
			}
			continue
		}
		manifests = append(manifests, m)
		p.manifests[m.Dir] = m
	}
	if files, err = st.leaveOutTemplates(env, files, templates); err != nil {
		return err
	}
	p.layout = cargo.NewLayout(manifests)
	p.modules = p.pathOverrides(files)

	for _, f := range files { // -o must not be one of the sources it reads
		env.NoteInputFile(f.Abs)
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	progress := env.Progress()
	sink := func(o *outcome) error {
		err := w.WriteLines(o.out.Bytes())
		bufPool.Put(o.out)
		if err != nil {
			return err
		}
		progress.Update("%d/%d files, %s", st.files+st.crates, len(files), mb(st.bytes))
		return st.add(env, o)
	}
	err = ndjson.Ordered(c.Workers, slices.Values(files), p.parse, sink)
	progress.Done()
	if err := finish(err); err != nil {
		return err
	}
	st.summary(env, time.Since(start))
	return nil
}

func parseKinds(list string) (map[string]bool, error) {
	return cli.Choices("--kinds", strings.ReplaceAll(list, "macro_rules", "macro"), allKinds)
}

// bufPool recycles the buffers records are encoded into, which together are
// several times the size of the source: reusing them spares the GC.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// parse turns one walked file into its records. It runs on many goroutines.
func (p *parser) parse(f repo.File) *outcome {
	o := &outcome{file: f, out: bufPool.Get().(*bytes.Buffer)}
	o.out.Reset()
	o.enc = json.NewEncoder(o.out)
	o.enc.SetEscapeHTML(false)
	if path.Base(f.Rel) == "Cargo.toml" {
		o.isCrate = true
		p.crateRecord(o)
		return o
	}
	o.fileRecord = p.kinds["file"]
	switch {
	case f.Size < int64(p.cmd.MinSize):
		o.fileRecord, o.noFile = false, repo.TooSmall
	case f.Size > int64(p.cmd.MaxSize):
		o.fileRecord, o.noFile = false, repo.TooLarge
	}
	tooLarge := f.Size > int64(p.cmd.MaxParse)
	if tooLarge {
		o.warn = fmt.Sprintf("%s: not parsed: %s is over --max-parse %s (its items are not extracted)", f.Rel, mb(f.Size), p.cmd.MaxParse)
		if !o.fileRecord { // nor written: not even read
			o.skip = repo.TooLarge
			return o
		}
	}
	src, err := os.ReadFile(f.Abs)
	if err != nil {
		o.err = fmt.Errorf("%s: %w", f.Rel, err)
		return o
	}
	if o.skip = repo.CheckContent(src, p.cmd.IncludeGenerated); o.skip != "" {
		if o.skip == repo.Binary {
			o.warn = fmt.Sprintf("%s: skipped: binary content (a NUL byte)", f.Rel)
		}
		return o
	}
	if !utf8.Valid(src) {
		o.err = invalidUTF8(f.Rel, src)
		return o
	}
	loc := p.layout.Locate(f.Rel)
	module, ok := p.modules[f.Rel]
	if !ok {
		module = loc.Module()
	}
	var parsed *rust.File
	var calls *rust.Calls
	if tooLarge {
		parsed = &rust.File{}
	} else if p.cmd.Calls {
		parsed, calls, err = rust.ExtractWithCalls(src, module, p.cmd.ParseTimeout)
	} else {
		parsed, err = rust.Extract(src, module, p.cmd.ParseTimeout)
	}
	if err != nil {
		o.err = fmt.Errorf("%s: parse did not finish within --parse-timeout %s", f.Rel, p.cmd.ParseTimeout)
		return o
	}
	if parsed.TooDeep > 0 {
		o.warn = fmt.Sprintf("%s: %d item(s) nested over %d deep: the items inside them stay in their text and are not extracted apart", f.Rel, parsed.TooDeep, rust.MaxNesting)
	}
	if calls != nil && calls.TooDeep > 0 {
		o.warn = strings.TrimPrefix(o.warn+"; ", "; ") + fmt.Sprintf("%s: %d use tree(s) nested over %d deep or call site(s) over %d in one function left out", f.Rel, calls.TooDeep, rust.MaxNesting, rust.MaxCallSites)
	}
	bodies := map[int]*rust.FnBody{} // by end offset, which functions and their records share
	if calls != nil {
		for i := range calls.Fns {
			bodies[calls.Fns[i].End] = &calls.Fns[i]
		}
	}
	o.syntax = parsed.HasErrors
	var crate, target string
	if loc.Manifest != nil {
		crate = cargo.CrateName(loc.Manifest.Package)
	}
	if loc.Target != nil {
		target = loc.Target.Kind
	}
	text := unsafe.String(unsafe.SliceData(src), len(src)) // src is never written to
	if o.fileRecord {
		mods := make([]string, len(parsed.Mods))
		for i, m := range parsed.Mods {
			mods[i] = strings.Join(append(slices.Clone(m.Inline), m.Name), "::")
		}
		fi := rust.FileField{Crate: crate, Target: target, Module: module, Docs: parsed.Docs, Attrs: parsed.Attrs,
			Mods: mods, Items: len(parsed.Items), HasErrors: parsed.HasErrors}
		if calls != nil {
			uses := append([]rust.Use{}, calls.Uses...)
			fi.Uses = &uses
		}
		o.add(p, record{Head: ndjson.Head{Kind: "file", Text: text,
			Source: p.wholeFile(f.Rel, text)},
			Rust: fi,
		}, "")
	}
	o.items = map[string]int{}
	seen := map[string]int{} // occurrences of kind+path, to keep ids distinct
	for i := range parsed.Items {
		it := &parsed.Items[i]
		o.items[it.Kind]++
		if !p.kinds[it.Kind] {
			continue
		}
		key := it.Kind + "\x00" + it.Path
		nth := seen[key]
		seen[key]++
		info := rust.ItemField{Crate: crate, Target: target, Item: it}
		if b := bodies[it.EndByte]; b != nil && it.Kind == "fn" && b.Start >= it.StartByte {
			info.Calls, info.Vars, info.Lets, info.Uses = b.Calls, b.Vars, b.Lets, b.Uses
		}
		o.add(p, record{Head: ndjson.Head{Kind: it.Kind, Text: text[it.StartByte:it.EndByte],
			Source: p.source(f.Rel, it.StartLine, it.EndLine, it.StartByte, it.EndByte)},
			Rust: info,
		}, it.Path+"\x00"+strconv.Itoa(nth))
	}
	return o
}

// manifestDir is the folder of a Cargo.toml: "a/b/Cargo.toml" → "a/b",
// "Cargo.toml" → "".
func manifestDir(rel string) string {
	return strings.TrimSuffix(strings.TrimSuffix(rel, "Cargo.toml"), "/")
}

// crateRecord makes the crate (or workspace) record of a Cargo.toml.
func (p *parser) crateRecord(o *outcome) {
	data, err := os.ReadFile(o.file.Abs)
	if err != nil {
		o.err = fmt.Errorf("%s: %w", o.file.Rel, err)
		return
	}
	m := p.manifests[manifestDir(o.file.Rel)]
	if m == nil || m.Package == "" && m.Workspace == nil {
		return // broken (reported when read) or neither a package nor a workspace
	}
	kind := "crate"
	if m.Package == "" {
		kind = "workspace" // a virtual manifest
	}
	if !p.kinds[kind] {
		return
	}
	text := string(data)
	o.add(p, record{Head: ndjson.Head{Kind: kind, Text: text,
		Source: p.wholeFile(o.file.Rel, text)},
		Rust: cargo.CrateField{Crate: cargo.CrateName(m.Package), Manifest: m},
	}, "")
}

// wholeFile is the source of a record holding all of a file.
func (p *parser) wholeFile(rel, text string) ndjson.Source {
	return p.source(rel, 1, 1+strings.Count(strings.TrimSuffix(text, "\n"), "\n"), 0, len(text))
}

func (p *parser) source(rel string, startLine, endLine, startByte, endByte int) ndjson.Source {
	return ndjson.Source{Repo: p.repo, Commit: p.commit, Path: rel, StartLine: startLine, EndLine: endLine, StartByte: startByte, EndByte: endByte}
}

// add sets the record's id and encodes it. The id hashes the provenance
// (repository, path, kind, the item's qualified path and occurrence) and
// the text, so it is stable across runs and machines.
func (o *outcome) add(p *parser, r record, key string) {
	r.ID = ndjson.NewID("rs-", p.repo, r.Source.Path, r.Kind, key, r.Text)
	if err := o.enc.Encode(r); err != nil { // cannot happen: every field is a plain value
		o.err = fmt.Errorf("%s: encoding a %s record: %w", o.file.Rel, r.Kind, err)
	}
}

// invalidUTF8 names the first invalid byte of a file by line and offset.
func invalidUTF8(rel string, src []byte) error {
	off := 0
	for off < len(src) {
		r, size := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	return fmt.Errorf("%s:%d: not valid UTF-8 (byte %d); Rust source must be UTF-8", rel, line, off)
}

// pathOverrides finds `#[path = "..."] mod x;` declarations, and the plain
// ones beside them (reading in parallel, parsing only files that mention
// #[path), and returns the module path of each file they redirect.
func (p *parser) pathOverrides(files []repo.File) map[string]string {
	known := map[string]bool{}
	for _, f := range files {
		known[f.Rel] = true
	}
	found := func(f repo.File) []cargo.PathDecl {
		if !strings.HasSuffix(f.Rel, ".rs") || f.Size > int64(p.cmd.MaxParse) {
			return nil
		}
		src, err := os.ReadFile(f.Abs)
		if err != nil || !bytes.Contains(src, []byte("#[path")) {
			return nil // unreadable files are reported by the main pass
		}
		parsed, err := rust.Extract(src, "", p.cmd.ParseTimeout)
		if err != nil {
			return nil
		}
		var decls []cargo.PathDecl // the plain ones too: a #[path] to a file one loads does not move it
		for _, m := range parsed.Mods {
			decls = append(decls, cargo.PathDecl{File: f.Rel, Name: m.Name, Path: m.Path, Inline: m.Inline})
		}
		return decls
	}
	var decls []cargo.PathDecl
	ndjson.Ordered(p.cmd.Workers, slices.Values(files), found, func(d []cargo.PathDecl) error { decls = append(decls, d...); return nil })
	return p.layout.PathModules(decls, known)
}

// failed counts files that could not be read, decoded or parsed.
const failed repo.Reason = "failed"

// stats counts what a run did, for the closing summary.
type stats struct {
	files, crates, syntax int
	bytes                 int64
	items                 map[string]int
	skips                 map[repo.Reason]int
	noFile                map[repo.Reason]int // parsed files whose file record --min/--max-size left out
}

func newStats() *stats {
	return &stats{items: map[string]int{}, skips: map[repo.Reason]int{}, noFile: map[repo.Reason]int{}}
}

// template is the reason of the files of a project template.
const template repo.Reason = "template"

// leaveOutTemplates drops the files under the folders of project templates
// (cargo-generate's), counting them, and reports each template once.
func (s *stats) leaveOutTemplates(env *cli.Env, files []repo.File, dirs []string) ([]repo.File, error) {
	if len(dirs) == 0 {
		return files, nil
	}
	for _, d := range dirs {
		env.Report.Warnf("%s: skipped: a project template (cargo-generate placeholders in Cargo.toml), not a crate", path.Join(d, "Cargo.toml"))
	}
	kept := files[:0]
	for _, f := range files {
		in := slices.ContainsFunc(dirs, func(d string) bool { return d == "" || f.Rel == d || strings.HasPrefix(f.Rel, d+"/") })
		if !in {
			kept = append(kept, f)
			continue
		}
		if err := s.skipped(env, f.Rel, template, nil); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// skipped counts a skipped path and reports it as its reason deserves.
func (s *stats) skipped(env *cli.Env, rel string, r repo.Reason, err error) error {
	s.skips[r]++
	switch r {
	case repo.Unreadable:
		return env.Report.Error(fmt.Errorf("%s: unreadable: %v", rel, err))
	case repo.TooLarge:
		env.Report.Warnf("%s: skipped: %v (raise --max-size to keep it)", rel, err)
	case repo.OutsideDir:
		env.Report.Warnf("%s: skipped: a symlink out of the repository", rel)
	default:
		if env.Verbose {
			env.Report.Infof("%s: skipped: %s", rel, r)
		}
	}
	return nil
}

func (s *stats) add(env *cli.Env, o *outcome) error {
	if o.warn != "" {
		env.Report.Warnf("%s", o.warn)
	}
	if o.err != nil {
		s.skips[failed]++
		return env.Report.Error(o.err)
	}
	if o.skip != "" {
		if o.skip != repo.Binary && env.Verbose {
			env.Report.Infof("%s: skipped: %s", o.file.Rel, o.skip)
		}
		s.skips[o.skip]++
		return nil
	}
	if o.isCrate {
		s.crates++
		return nil
	}
	s.files++
	s.bytes += o.file.Size
	if o.noFile != "" {
		s.noFile[o.noFile]++
	}
	for k, n := range o.items {
		s.items[k] += n
	}
	if o.syntax {
		s.syntax++
		if env.Verbose {
			env.Report.Infof("%s: tree-sitter reported syntax errors (has_errors is set)", o.file.Rel)
		}
	}
	return nil
}

func (s *stats) summary(env *cli.Env, took time.Duration) {
	items := 0
	var kinds []string
	for _, k := range rust.Kinds {
		if n := s.items[k]; n > 0 {
			items += n
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	line := fmt.Sprintf("%d files (%s), %d manifests, %d items (%s) in %.2fs, %.1f MB/s",
		s.files, mb(s.bytes), s.crates, items, strings.Join(kinds, ", "), took.Seconds(), float64(s.bytes)/1e6/max(took.Seconds(), 1e-9))
	if s.syntax > 0 {
		line += fmt.Sprintf("; %d files with syntax errors", s.syntax)
	}
	var skips []string
	for r, n := range s.skips {
		skips = append(skips, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(skips)
	if len(skips) > 0 {
		line += "; skipped: " + strings.Join(skips, ", ")
	}
	if n := s.noFile[repo.TooSmall] + s.noFile[repo.TooLarge]; n > 0 {
		line += fmt.Sprintf("; %d files parsed for items without a file record (%d under --min-size, %d over --max-size)",
			n, s.noFile[repo.TooSmall], s.noFile[repo.TooLarge])
	}
	env.Report.Infof("%s", line)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
