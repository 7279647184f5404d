package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/dwkit/dwkit/lib/deepwiki"
)

// source gets a repository's wiki. prev, when not nil, is the cached copy
// (its validators let a source answer "unchanged" without a transfer).
type source interface {
	name() string
	wiki(ctx context.Context, repo string, prev *cached) (*cached, error)
}

// htmlSource reads the wiki from one GET of its page on deepwiki.com: the
// flight stream holds every page.
type htmlSource struct {
	c    *client
	base string
}

func (s *htmlSource) name() string { return "html" }

func (s *htmlSource) wiki(ctx context.Context, repo string, prev *cached) (*cached, error) {
	u, err := url.Parse(strings.TrimSuffix(s.base, "/") + "/" + repo)
	if err != nil {
		return nil, err
	}
	if ok, err := s.c.allowed(ctx, u); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("%w: robots.txt of %s disallows %s", errBlocked, u.Host, u.Path)
	}
	resp, err := s.c.do(ctx, func() (*http.Request, error) {
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
	if resp.status == http.StatusNotModified && prev != nil {
		return prev, nil
	}
	w, err := deepwiki.ParseHTML(resp.body)
	if errors.Is(err, deepwiki.ErrNoWiki) {
		return nil, fmt.Errorf("%w: %s has no wiki (%v)", errNotFound, u, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return &cached{Source: "html", ETag: resp.header.Get("ETag"), LastModified: resp.header.Get("Last-Modified"), Wiki: *w}, nil
}

// mcpSource reads the wiki from DeepWiki's MCP server over streamable
// HTTP: initialize (keeping the Mcp-Session-Id), then the tools
// read_wiki_structure and read_wiki_contents. Answers come as JSON or as
// server-sent events.
type mcpSource struct {
	c       *client
	url     string
	version string
	session string
	nextID  int
}

func (s *mcpSource) name() string { return "mcp" }

func (s *mcpSource) wiki(ctx context.Context, repo string, _ *cached) (*cached, error) {
	if s.session == "" {
		if err := s.initialize(ctx); err != nil {
			return nil, err
		}
	}
	structure, err := s.tool(ctx, "read_wiki_structure", repo)
	if err != nil {
		return nil, err
	}
	plan, err := deepwiki.ParseStructure(structure)
	if err != nil {
		return nil, fmt.Errorf("read_wiki_structure: %w", err)
	}
	contents, err := s.tool(ctx, "read_wiki_contents", repo)
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
	return &cached{Source: "mcp", Wiki: w}, nil
}

func (s *mcpSource) initialize(ctx context.Context) error {
	params := map[string]any{
		"protocolVersion": "2025-03-26",
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]string{"name": "dwkit", "version": s.version},
	}
	resp, _, err := s.call(ctx, "initialize", params, true)
	if err != nil {
		return fmt.Errorf("MCP initialize: %w", err)
	}
	s.session = resp.header.Get("Mcp-Session-Id")
	if s.session == "" {
		s.session = "-" // a server without sessions
	}
	_, _, err = s.call(ctx, "notifications/initialized", nil, false)
	return err
}

// tool calls an MCP tool with {"repoName": repo} and returns its text.
func (s *mcpSource) tool(ctx context.Context, name, repo string) (string, error) {
	_, result, err := s.call(ctx, "tools/call", map[string]any{"name": name, "arguments": map[string]string{"repoName": repo}}, true)
	if err != nil {
		return "", fmt.Errorf("MCP %s: %w", name, err)
	}
	var tr deepwiki.ToolResult
	if err := json.Unmarshal(result, &tr); err != nil {
		return "", fmt.Errorf("MCP %s: %w", name, err)
	}
	text, err := tr.Text()
	if err != nil && strings.Contains(err.Error(), "not found") {
		return "", fmt.Errorf("%w: %v", errNotFound, err)
	}
	return text, err
}

// call posts one JSON-RPC message; a request (wantResult) gets its
// response's result, read from JSON or from the SSE stream.
func (s *mcpSource) call(ctx context.Context, method string, params any, wantResult bool) (*response, json.RawMessage, error) {
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		msg["params"] = params
	}
	id := 0
	if wantResult {
		s.nextID++
		id = s.nextID
		msg["id"] = id
	}
	body, _ := json.Marshal(msg)
	resp, err := s.c.do(ctx, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if s.session != "" && s.session != "-" {
			req.Header.Set("Mcp-Session-Id", s.session)
		}
		return req, nil
	})
	if err != nil || !wantResult {
		return resp, nil, err
	}
	var messages []string
	if strings.HasPrefix(resp.header.Get("Content-Type"), "text/event-stream") {
		messages = deepwiki.SSEMessages(string(resp.body))
	} else {
		messages = []string{string(resp.body)}
	}
	for _, m := range messages {
		var r deepwiki.RPCResponse
		if json.Unmarshal([]byte(m), &r) != nil || string(r.ID) != fmt.Sprint(id) {
			continue // notifications and other messages
		}
		if r.Error != nil {
			return resp, nil, fmt.Errorf("JSON-RPC error %d: %s", r.Error.Code, r.Error.Message)
		}
		return resp, r.Result, nil
	}
	return resp, nil, fmt.Errorf("no JSON-RPC response with id %d in the answer: %w", id, deepwiki.ErrTruncated)
}
