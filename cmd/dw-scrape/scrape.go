package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/deepwiki"
	"github.com/dwkit/dwkit/lib/web"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	Args     []string      `arg:"" optional:"" name:"REPO" help:"https://deepwiki.com/OWNER/REPO or OWNER/REPO (default: one per line on stdin). After a single URL, a second argument is the output folder."`
	OutDir   string        `placeholder:"DIR" help:"Also write one .md file per page, named by page id and slug, into DIR."`
	Source   string        `default:"auto" enum:"auto,html,mcp" help:"Where to read wikis: auto (the page's HTML, then the MCP server), html or mcp."`
	BaseURL  string        `default:"https://deepwiki.com" placeholder:"URL" help:"DeepWiki's address."`
	MCPURL   string        `name:"mcp-url" default:"https://mcp.deepwiki.com/mcp" placeholder:"URL" help:"The MCP server's address."`
	Delay    time.Duration `default:"2s" help:"Pause between repositories."`
	Timeout  time.Duration `default:"60s" help:"Time limit of one request."`
	MaxBytes cli.Size      `default:"64MiB" placeholder:"SIZE" help:"Largest answer accepted."`
	Retries  int           `default:"5" help:"Retries of a request that failed with 429, 5xx or a broken transfer."`
	Backoff  time.Duration `default:"2s" help:"First wait before a retry; it doubles, with jitter."`
	MaxWait  time.Duration `default:"5m" help:"Longest wait before a retry, Retry-After included."`
	Cache    string        `placeholder:"DIR" help:"Cache folder (default: $XDG_CACHE_HOME/dwkit/deepwiki or ~/.cache/dwkit/deepwiki)."`
	NoCache  bool          `help:"Neither read nor write the cache."`
	Refresh  time.Duration `default:"24h" help:"Use a cached wiki younger than this without asking the site."`
}

// pageRecord is a page record.
type pageRecord struct {
	ndjson.Head
	Doc deepwiki.PageField `json:"doc"`
}

var (
	repoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	hexRE  = regexp.MustCompile(`^[0-9a-fA-F]{4,64}$`)
)

// repoName turns https://deepwiki.com/OWNER/REPO[/page] or OWNER/REPO into OWNER/REPO.
func repoName(spec string) (string, bool) {
	spec = strings.TrimSpace(spec)
	if u, err := url.Parse(spec); err == nil && u.Scheme != "" && u.Host != "" {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) < 2 {
			return "", false
		}
		spec = parts[0] + "/" + parts[1]
	}
	owner, name, _ := strings.Cut(spec, "/")
	return spec, repoRE.MatchString(spec) && !dots(owner) && !dots(name)
}

// dots tells a name made of dots only: "." and ".." are no repository and
// would climb folders.
func dots(name string) bool { return strings.Trim(name, ".") == "" }

// Validate refuses waits and limits that cannot be.
func (c *command) Validate() error {
	if c.Timeout <= 0 {
		return fmt.Errorf("--timeout %s: want a positive duration (a request without a limit can hang)", c.Timeout)
	}
	if err := cli.AtLeast(0, "delay", c.Delay, "backoff", c.Backoff, "max-wait", c.MaxWait, "retries", c.Retries); err != nil {
		return err
	}
	return cli.AtLeast(1, "max-bytes", c.MaxBytes)
}

func (c *command) Run(env *cli.Env) error {
	repos, err := c.repos(env)
	if err != nil {
		return err
	}
	cacheDir, err := c.cacheDir()
	if err != nil {
		return err
	}
	cl := &web.Client{
		HTTP:      &http.Client{Timeout: c.Timeout},
		UserAgent: "dwkit/" + cli.Version() + " (dataset builder; +https://github.com/dwkit/dwkit)",
		MaxBytes:  int64(c.MaxBytes), Retries: c.Retries, Backoff: c.Backoff, MaxWait: c.MaxWait,
		Log: func(f string, a ...any) { env.Report.Infof(f, a...) },
	}
	var sources []source
	if c.Source != "mcp" {
		sources = append(sources, &htmlSource{c: cl, base: c.BaseURL})
	}
	if c.Source != "html" {
		sources = append(sources, &mcpSource{&web.MCP{Client: cl, URL: c.MCPURL, Version: cli.Version()}})
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	ctx := context.Background()
	var pages, failed, unwritten int
	asked := false // whether the last repository needed the network
	for i, repo := range repos {
		if i > 0 && asked {
			if err := web.Sleep(ctx, c.Delay); err != nil {
				break
			}
		}
		wk, how, err := c.fetch(ctx, env, sources, cacheDir, repo, &asked)
		if errors.Is(err, web.ErrBlocked) {
			return finish(fmt.Errorf("%s: %w; stopping (nothing more is asked of the site)", repo, err))
		}
		if err != nil {
			failed++
			if err := env.Report.Error(fmt.Errorf("%s: %w", repo, err)); err != nil {
				return finish(err)
			}
			continue
		}
		for order, p := range wk.Wiki.Pages {
			if err := w.Write(c.record(wk, p, order)); err != nil {
				return finish(err)
			}
		}
		if c.OutDir != "" {
			n, err := writeMarkdown(env, c.OutDir, repo, wk.Wiki.Pages)
			unwritten += n
			if err != nil {
				return finish(err)
			}
		}
		pages += len(wk.Wiki.Pages)
		if env.Verbose {
			env.Report.Infof("%s: %d pages, commit %s, %s", repo, len(wk.Wiki.Pages), orDash(wk.Wiki.Commit), how)
		}
	}
	if err := finish(nil); err != nil {
		return err
	}
	if unwritten > 0 {
		env.Report.Infof("%d repositories, %d pages, %d failed, %d .md files not written", len(repos), pages, failed, unwritten)
	} else {
		env.Report.Infof("%d repositories, %d pages, %d failed", len(repos), pages, failed)
	}
	return nil
}

// fetch gets one repository's wiki from the cache or the sources.
func (c *command) fetch(ctx context.Context, env *cli.Env, sources []source, cacheDir, repo string, asked *bool) (*deepwiki.Snapshot, string, error) {
	*asked = false
	prev := loadCache(cacheDir, repo)
	if prev != nil && time.Since(prev.FetchedAt) < c.Refresh {
		return prev, "from the cache", nil
	}
	*asked = true
	var errs []error
	for i, s := range sources {
		wk, err := c.wikiOf(ctx, env, s, repo, prev)
		if err == nil {
			how := "via " + s.name()
			if wk == prev {
				how = "unchanged since the cached copy"
			}
			for _, w := range wk.Wiki.Warnings {
				env.Report.Warnf("%s: %s: %s", repo, s.name(), w)
			}
			wk.FetchedAt = time.Now().UTC()
			if wk.Wiki.Repo == "" {
				wk.Wiki.Repo = repo
			}
			saveCache(cacheDir, repo, wk)
			return wk, how, nil
		}
		if errors.Is(err, web.ErrBlocked) {
			return nil, "", err
		}
		errs = append(errs, fmt.Errorf("%s: %w", s.name(), err))
		if i+1 < len(sources) {
			env.Report.Warnf("%s: %s source failed (%v); trying %s", repo, s.name(), err, sources[i+1].name())
		}
	}
	return nil, "", errors.Join(errs...)
}

// wikiOf asks a source for a wiki, again (after the backoff) while the
// answer comes cut short, up to --retries times.
func (c *command) wikiOf(ctx context.Context, env *cli.Env, s source, repo string, prev *deepwiki.Snapshot) (*deepwiki.Snapshot, error) {
	wait := c.Backoff
	for attempt := 1; ; attempt++ {
		wk, err := s.wiki(ctx, repo, prev)
		cut := errors.Is(err, deepwiki.ErrTruncated) || errors.Is(err, web.ErrCutShort)
		if !cut || attempt > c.Retries {
			return wk, err
		}
		env.Report.Infof("%s: %s: %v; asking again in %s (%d of %d)", repo, s.name(), err, wait, attempt, c.Retries)
		if err := web.Sleep(ctx, wait); err != nil {
			return nil, err
		}
		wait = min(2*wait, c.MaxWait)
	}
}

func (c *command) record(wk *deepwiki.Snapshot, p deepwiki.Page, order int) pageRecord {
	return pageRecord{Head: ndjson.Head{ID: ndjson.NewID("dw-", wk.Wiki.Repo, wk.Wiki.Commit, p.ID, p.Markdown), Kind: "page", Text: p.Markdown,
		Source: ndjson.Source{Repo: wk.Wiki.Repo, Commit: wk.Wiki.Commit, URL: p.URL(c.BaseURL, wk.Wiki.Repo)}},
		Doc: p.Field(order, wk.Wiki.GeneratedAt, wk.Source)}
}

// repos lists the repositories asked for: arguments, else stdin lines
// (OWNER/REPO, a URL, or a JSON object with "repo").
func (c *command) repos(env *cli.Env) ([]string, error) {
	args := c.Args
	if len(args) == 2 && strings.Contains(args[0], "://") && !strings.Contains(args[1], "://") && c.OutDir == "" {
		c.OutDir, args = args[1], args[:1] // dw-scrape URL OUT_DIR, as the original
	}
	var repos []string
	if len(args) > 0 {
		for _, a := range args {
			r, ok := repoName(a)
			if !ok {
				return nil, cli.Usagef("%q is not a repository (want OWNER/REPO or https://deepwiki.com/OWNER/REPO)", a)
			}
			repos = append(repos, r)
		}
		return repos, nil
	}
	// From stdin, a bad line is reported and skipped; the others go on.
	r := ndjson.NewReader(env.In, "stdin")
	for {
		raw, err := r.Next()
		if err == io.EOF {
			break
		}
		var le *ndjson.LineError
		if errors.As(err, &le) {
			if err := env.Report.Error(err); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		spec := strings.TrimSpace(string(raw))
		if strings.HasPrefix(spec, "{") {
			var v struct{ Repo string }
			if json.Unmarshal(raw, &v) != nil || v.Repo == "" {
				if err := env.Report.Error(fmt.Errorf("stdin:%d: a JSON line needs a \"repo\" field", r.Line())); err != nil {
					return nil, err
				}
				continue
			}
			spec = v.Repo
		}
		name, ok := repoName(spec)
		if !ok {
			if err := env.Report.Error(fmt.Errorf("stdin:%d: %q is not a repository (want OWNER/REPO or https://deepwiki.com/OWNER/REPO)", r.Line(), spec)); err != nil {
				return nil, err
			}
			continue
		}
		repos = append(repos, name)
	}
	if len(repos) == 0 && env.Report.Errors() == 0 {
		return nil, cli.Usagef("no repository given")
	}
	return repos, nil
}

func (c *command) cacheDir() (string, error) {
	if c.NoCache {
		return "", nil
	}
	if c.Cache != "" {
		return c.Cache, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (%v): give --cache DIR or --no-cache", err)
	}
	return filepath.Join(base, "dwkit", "deepwiki"), nil
}

// The cache holds OWNER/REPO/COMMIT.json per wiki version and
// OWNER/REPO/latest.json for the newest; a run that is interrupted resumes
// where it stopped, since finished repositories are fresh in the cache.
func loadCache(dir, repo string) *deepwiki.Snapshot {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(repo), "latest.json"))
	if err != nil {
		return nil
	}
	var c deepwiki.Snapshot
	if json.Unmarshal(data, &c) != nil || c.Wiki.Check(nil) != nil {
		return nil
	}
	return &c
}

func saveCache(dir, repo string, c *deepwiki.Snapshot) {
	if dir == "" {
		return
	}
	folder := filepath.Join(dir, filepath.FromSlash(repo))
	data, err := json.Marshal(c)
	if err != nil || os.MkdirAll(folder, 0o755) != nil {
		return
	}
	commit := c.Wiki.Commit // from the network: a file name only when it is a plain hex hash
	if !hexRE.MatchString(commit) {
		commit = "unknown-commit"
	}
	for _, name := range []string{commit + ".json", "latest.json"} {
		tmp := filepath.Join(folder, name+".tmp")
		if os.WriteFile(tmp, data, 0o644) == nil {
			os.Rename(tmp, filepath.Join(folder, name))
		}
	}
}

// writeMarkdown writes a wiki's pages as OUT_DIR/OWNER/REPO/<id>-<slug>.md
// (deepwiki.FileNames: a safe id, a slug of at most 100 bytes, "-2", "-3"
// on a clash, which is warned about). repo is the name asked for (checked
// by repoName), never the one the server sends. A file that cannot be
// written is reported and counted, and the others are written; it returns
// how many were not, and an error only when the run must stop
// (--fail-fast).
func writeMarkdown(env *cli.Env, outDir, repo string, pages []deepwiki.Page) (int, error) {
	dir := filepath.Join(outDir, filepath.FromSlash(repo))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return len(pages), env.Report.Error(fmt.Errorf("%s: no .md files written: %w", repo, err))
	}
	names, renamed := deepwiki.FileNames(pages)
	for _, r := range renamed {
		env.Report.Warnf("%s: %s", repo, r)
	}
	unwritten := 0
	for i, p := range pages {
		if err := os.WriteFile(filepath.Join(dir, names[i]), []byte(p.Markdown+"\n"), 0o644); err != nil {
			unwritten++
			if err := env.Report.Error(fmt.Errorf("%s: page %s: %w", repo, p.ID, err)); err != nil {
				return unwritten, err
			}
		}
	}
	return unwritten, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
