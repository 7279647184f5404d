package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/deepwiki"
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

// cached is a wiki as kept in the cache, keyed by repository and commit.
type cached struct {
	FetchedAt    time.Time     `json:"fetched_at"`
	Source       string        `json:"source"`
	ETag         string        `json:"etag,omitempty"`
	LastModified string        `json:"last_modified,omitempty"`
	Wiki         deepwiki.Wiki `json:"wiki"`
}

// pageDoc is a page record's "doc" field.
type pageDoc struct {
	Page        string `json:"page"`
	Title       string `json:"title"`
	Slug        string `json:"slug"`
	Depth       int    `json:"depth"`
	Parent      string `json:"parent,omitempty"`
	Order       int    `json:"order"`
	GeneratedAt string `json:"generated_at,omitempty"`
	Via         string `json:"via"`
}

type pageSource struct {
	Repo   string `json:"repo"`
	Commit string `json:"commit,omitempty"`
	URL    string `json:"url"`
}

type pageRecord struct {
	ID     string     `json:"id"`
	Kind   string     `json:"kind"`
	Text   string     `json:"text"`
	Source pageSource `json:"source"`
	Doc    pageDoc    `json:"doc"`
}

var repoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

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
	return spec, repoRE.MatchString(spec) && !strings.HasPrefix(spec, ".")
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
	cl := &client{
		http:      &http.Client{Timeout: c.Timeout},
		userAgent: "dwkit/" + cli.Version() + " (dataset builder; +https://github.com/dwkit/dwkit)",
		maxBytes:  int64(c.MaxBytes), retries: c.Retries, backoff: c.Backoff, maxWait: c.MaxWait,
		log:   func(f string, a ...any) { env.Report.Infof(f, a...) },
		sleep: sleepCtx, robots: map[string]*robotsRules{},
	}
	var sources []source
	if c.Source != "mcp" {
		sources = append(sources, &htmlSource{c: cl, base: c.BaseURL})
	}
	if c.Source != "html" {
		sources = append(sources, &mcpSource{c: cl, url: c.MCPURL, version: cli.Version()})
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	ctx := context.Background()
	var pages, failed int
	asked := false // whether the last repository needed the network
	for i, repo := range repos {
		if i > 0 && asked {
			if err := sleepCtx(ctx, c.Delay); err != nil {
				break
			}
		}
		wk, how, err := c.fetch(ctx, env, sources, cacheDir, repo, &asked)
		if errors.Is(err, errBlocked) {
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
			rec := c.record(wk, p, order)
			if err := w.Write(rec); err != nil {
				return finish(err)
			}
			if c.OutDir != "" {
				if err := writeMarkdown(c.OutDir, wk.Wiki.Repo, p); err != nil {
					return finish(err)
				}
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
	env.Report.Infof("%d repositories, %d pages, %d failed", len(repos), pages, failed)
	return nil
}

// fetch gets one repository's wiki from the cache or the sources.
func (c *command) fetch(ctx context.Context, env *cli.Env, sources []source, cacheDir, repo string, asked *bool) (*cached, string, error) {
	*asked = false
	prev := loadCache(cacheDir, repo)
	if prev != nil && time.Since(prev.FetchedAt) < c.Refresh {
		return prev, "from the cache", nil
	}
	*asked = true
	var errs []error
	for i, s := range sources {
		wk, err := s.wiki(ctx, repo, prev)
		if err == nil {
			how := "via " + s.name()
			if wk == prev {
				how = "unchanged since the cached copy"
			}
			wk.FetchedAt = time.Now().UTC()
			if wk.Wiki.Repo == "" {
				wk.Wiki.Repo = repo
			}
			saveCache(cacheDir, repo, wk)
			return wk, how, nil
		}
		if errors.Is(err, errBlocked) {
			return nil, "", err
		}
		errs = append(errs, fmt.Errorf("%s: %w", s.name(), err))
		if i+1 < len(sources) {
			env.Report.Warnf("%s: %s source failed (%v); trying %s", repo, s.name(), err, sources[i+1].name())
		}
	}
	return nil, "", errors.Join(errs...)
}

func (c *command) record(wk *cached, p deepwiki.Page, order int) pageRecord {
	h := sha256.Sum256([]byte(wk.Wiki.Repo + "\x00" + wk.Wiki.Commit + "\x00" + p.ID + "\x00" + p.Markdown))
	return pageRecord{
		ID: "dw-" + hex.EncodeToString(h[:10]), Kind: "page", Text: p.Markdown,
		Source: pageSource{Repo: wk.Wiki.Repo, Commit: wk.Wiki.Commit, URL: p.URL(c.BaseURL, wk.Wiki.Repo)},
		Doc: pageDoc{Page: p.ID, Title: p.Title, Slug: deepwiki.Slug(p.Title), Depth: p.Depth(), Parent: p.Parent(),
			Order: order, GeneratedAt: wk.Wiki.GeneratedAt, Via: wk.Source},
	}
}

// repos lists the repositories asked for: arguments, else stdin lines
// (OWNER/REPO, a URL, or a JSON object with "repo").
func (c *command) repos(env *cli.Env) ([]string, error) {
	args := c.Args
	if len(args) == 2 && strings.Contains(args[0], "://") && !strings.Contains(args[1], "://") && c.OutDir == "" {
		c.OutDir, args = args[1], args[:1] // dw-scrape URL OUT_DIR, as the original
	}
	var specs []string
	if len(args) > 0 {
		specs = args
	} else {
		sc := bufio.NewScanner(env.In)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if strings.HasPrefix(line, "{") {
				var v struct{ Repo string }
				if json.Unmarshal([]byte(line), &v) != nil || v.Repo == "" {
					return nil, fmt.Errorf("stdin:%d: a JSON line needs a \"repo\" field", n)
				}
				line = v.Repo
			}
			if line != "" {
				specs = append(specs, line)
			}
		}
	}
	var repos []string
	for _, s := range specs {
		r, ok := repoName(s)
		if !ok {
			return nil, cli.Usagef("%q is not a repository (want OWNER/REPO or https://deepwiki.com/OWNER/REPO)", s)
		}
		repos = append(repos, r)
	}
	if len(repos) == 0 {
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
func loadCache(dir, repo string) *cached {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(repo), "latest.json"))
	if err != nil {
		return nil
	}
	var c cached
	if json.Unmarshal(data, &c) != nil || c.Wiki.Check(nil) != nil {
		return nil
	}
	return &c
}

func saveCache(dir, repo string, c *cached) {
	if dir == "" {
		return
	}
	folder := filepath.Join(dir, filepath.FromSlash(repo))
	data, err := json.Marshal(c)
	if err != nil || os.MkdirAll(folder, 0o755) != nil {
		return
	}
	commit := c.Wiki.Commit
	if commit == "" {
		commit = "unknown-commit"
	}
	for _, name := range []string{commit + ".json", "latest.json"} {
		tmp := filepath.Join(folder, name+".tmp")
		if os.WriteFile(tmp, data, 0o644) == nil {
			os.Rename(tmp, filepath.Join(folder, name))
		}
	}
}

// writeMarkdown writes a page as OUT_DIR/OWNER/REPO/<id>-<slug>.md.
func writeMarkdown(outDir, repo string, p deepwiki.Page) error {
	dir := filepath.Join(outDir, filepath.FromSlash(repo))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, p.ID+"-"+deepwiki.Slug(p.Title)+".md"), []byte(p.Markdown+"\n"), 0o644)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
