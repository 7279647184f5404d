package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/dwkit/dwkit/lib/deepwiki"
	"github.com/dwkit/dwkit/lib/web"
)

// source gets a repository's wiki. prev, when not nil, is the cached copy
// (its validators let a source answer "unchanged" without a transfer).
type source interface {
	name() string
	wiki(ctx context.Context, repo string, prev *deepwiki.Snapshot) (*deepwiki.Snapshot, error)
}

// htmlSource reads the wiki from one GET of its page on deepwiki.com: the
// flight stream holds every page.
type htmlSource struct {
	c    *web.Client
	base string
}

func (s *htmlSource) name() string { return "html" }

func (s *htmlSource) wiki(ctx context.Context, repo string, prev *deepwiki.Snapshot) (*deepwiki.Snapshot, error) {
	u, err := url.Parse(strings.TrimSuffix(s.base, "/") + "/" + repo)
	if err != nil {
		return nil, err
	}
	if ok, err := s.c.Allowed(ctx, u); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("%w: robots.txt of %s disallows %s", web.ErrBlocked, u.Host, u.Path)
	}
	resp, err := s.c.Do(ctx, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err == nil && prev != nil && prev.Source == "html" {
			if prev.ETag != "" {
				req.Header.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				req.Header.Set("If-Modified-Since", prev.LastModified)
			}
		}
		return req, err
	})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotModified && prev != nil {
		return prev, nil
	}
	w, err := deepwiki.ParseHTML(resp.Body)
	if errors.Is(err, deepwiki.ErrNoWiki) {
		return nil, fmt.Errorf("%w: %s has no wiki (%v)", web.ErrNotFound, u, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return &deepwiki.Snapshot{Source: "html", ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Wiki: *w}, nil
}

// mcpSource reads the wiki from DeepWiki's MCP server: the tools
// read_wiki_structure (the page list) and read_wiki_contents (every page).
type mcpSource struct{ mcp *web.MCP }

func (s *mcpSource) name() string { return "mcp" }

func (s *mcpSource) wiki(ctx context.Context, repo string, _ *deepwiki.Snapshot) (*deepwiki.Snapshot, error) {
	args := map[string]string{"repoName": repo}
	structure, err := s.mcp.CallTool(ctx, "read_wiki_structure", args)
	if err != nil {
		return nil, err
	}
	plan, err := deepwiki.ParseStructure(structure)
	if err != nil {
		return nil, fmt.Errorf("read_wiki_structure: %w", err)
	}
	contents, err := s.mcp.CallTool(ctx, "read_wiki_contents", args)
	if err != nil {
		return nil, err
	}
	pages, err := deepwiki.ParseContents(contents, plan)
	if err != nil {
		return nil, fmt.Errorf("read_wiki_contents: %w", err)
	}
	w := deepwiki.Wiki{Repo: repo, Pages: pages} // the MCP tools tell no commit
	if err := w.Check(plan); err != nil {
		return nil, err
	}
	return &deepwiki.Snapshot{Source: "mcp", Wiki: w}, nil
}
