package deepwiki

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// pushRE finds the flight-stream payloads of a Next.js page.
var pushRE = regexp.MustCompile(`self\.__next_f\.push\((\[[\s\S]*?\])\)\s*</script>`)

// ErrNoWiki reports a page without a wiki in its flight stream.
var ErrNoWiki = errors.New("no wiki in the page's flight stream")

// ErrTruncated reports an answer cut short: worth fetching again.
var ErrTruncated = errors.New("the answer is cut short")

// FlightStream joins the string payloads of a page's
// self.__next_f.push([1, "..."]) scripts, in order. Payloads break at
// arbitrary points, so they must be joined before anything is parsed.
func FlightStream(html []byte) ([]byte, error) {
	var stream bytes.Buffer
	for _, m := range pushRE.FindAllSubmatch(html, -1) {
		var push []json.RawMessage
		if err := json.Unmarshal(m[1], &push); err != nil {
			return nil, fmt.Errorf("flight payload: %w", err)
		}
		var kind int
		if len(push) != 2 || json.Unmarshal(push[0], &kind) != nil || kind != 1 {
			continue // bootstrap markers carry no data
		}
		var s string
		if err := json.Unmarshal(push[1], &s); err != nil {
			return nil, fmt.Errorf("flight payload: %w", err)
		}
		stream.WriteString(s)
	}
	if stream.Len() == 0 {
		return nil, errors.New("no self.__next_f.push payloads in the page")
	}
	return stream.Bytes(), nil
}

// Rows splits a flight stream into rows by id: text rows
// "<hex id>:T<hex length>,<length bytes>" (no newline after them) and all
// other rows "<hex id>:<data>\n". Hint rows without an id are skipped.
func Rows(stream []byte) (map[string][]byte, error) {
	rows := map[string][]byte{}
	for p := 0; p < len(stream); {
		if stream[p] == '\n' {
			p++
			continue
		}
		colon := bytes.IndexByte(stream[p:], ':')
		if colon < 0 {
			return nil, fmt.Errorf("flight row at byte %d has no id", p)
		}
		id := string(stream[p : p+colon])
		// Hint rows (":HL[...]", preloads) have no id.
		if _, err := strconv.ParseUint(id, 16, 64); err != nil && id != "" {
			return nil, fmt.Errorf("flight row at byte %d: bad id %q", p, id)
		}
		p += colon + 1
		if p < len(stream) && stream[p] == 'T' {
			comma := bytes.IndexByte(stream[p:], ',')
			if comma < 0 {
				return nil, fmt.Errorf("text row %s has no length", id)
			}
			n, err := strconv.ParseUint(string(stream[p+1:p+comma]), 16, 64)
			if err != nil {
				return nil, fmt.Errorf("text row %s: bad length: %w", id, err)
			}
			start := p + comma + 1
			if n > uint64(len(stream)-start) {
				return nil, fmt.Errorf("text row %s: %d bytes announced, %d left: %w", id, n, len(stream)-start, ErrTruncated)
			}
			rows[id] = stream[start : start+int(n)]
			p = start + int(n)
			continue
		}
		end := bytes.IndexByte(stream[p:], '\n')
		if end < 0 {
			end = len(stream) - p
		}
		if id != "" {
			rows[id] = stream[p : p+end]
		}
		p += end
	}
	return rows, nil
}

// wikiJSON is the wiki object in the flight stream.
type wikiJSON struct {
	Metadata struct {
		RepoName    string `json:"repo_name"`
		CommitHash  string `json:"commit_hash"`
		GeneratedAt string `json:"generated_at"`
	} `json:"metadata"`
	Pages []struct {
		PagePlan struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"page_plan"`
		Content string `json:"content"`
	} `json:"pages"`
}

// ParseHTML reads a wiki from a DeepWiki page's HTML. A page that does not
// end in </html>, or whose wiki object is cut, is ErrTruncated.
func ParseHTML(html []byte) (*Wiki, error) {
	if !bytes.Contains(bytes.ToLower(html[max(0, len(html)-64):]), []byte("</html>")) {
		return nil, fmt.Errorf("no </html> at the end of the page: %w", ErrTruncated)
	}
	stream, err := FlightStream(html)
	if err != nil {
		return nil, err
	}
	rows, err := Rows(stream)
	if err != nil {
		return nil, err
	}
	var wj *wikiJSON
	for _, row := range rows {
		if !bytes.Contains(row, []byte(`"wiki":{"metadata"`)) {
			continue
		}
		var v any
		if err := json.Unmarshal(row, &v); err != nil {
			return nil, fmt.Errorf("the wiki's row does not parse (%v): %w", err, ErrTruncated)
		}
		if raw := findKey(v, "wiki"); raw != nil {
			data, _ := json.Marshal(raw)
			wj = &wikiJSON{}
			if err := json.Unmarshal(data, wj); err != nil {
				return nil, fmt.Errorf("wiki object: %w", err)
			}
			break
		}
	}
	if wj == nil {
		return nil, ErrNoWiki
	}
	w := &Wiki{Repo: wj.Metadata.RepoName, Commit: wj.Metadata.CommitHash, GeneratedAt: wj.Metadata.GeneratedAt}
	for _, p := range wj.Pages {
		ref, ok := strings.CutPrefix(p.Content, "$")
		body, found := rows[ref]
		if !ok || !found {
			return nil, fmt.Errorf("page %s %q: content %q is not in the stream", p.PagePlan.ID, p.PagePlan.Title, p.Content)
		}
		w.Pages = append(w.Pages, Page{ID: p.PagePlan.ID, Title: p.PagePlan.Title, Markdown: string(body)})
	}
	return w, w.Check(nil)
}

// findKey returns the first value under key in a decoded JSON tree.
func findKey(v any, key string) any {
	switch t := v.(type) {
	case map[string]any:
		if x, ok := t[key]; ok {
			return x
		}
		for _, x := range t {
			if r := findKey(x, key); r != nil {
				return r
			}
		}
	case []any:
		for _, x := range t {
			if r := findKey(x, key); r != nil {
				return r
			}
		}
	}
	return nil
}

// Check verifies a wiki: pages present with ids and titles, each body
// starting with its title as a heading, no id twice, and — when plan is
// given — exactly the planned pages.
func (w *Wiki) Check(plan []Page) error {
	if len(w.Pages) == 0 {
		return errors.New("the wiki has no pages")
	}
	seen := map[string]bool{}
	for _, p := range w.Pages {
		if p.ID == "" || p.Title == "" || seen[p.ID] {
			return fmt.Errorf("page %q %q: missing or repeated id or title", p.ID, p.Title)
		}
		seen[p.ID] = true
		first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(p.Markdown, "\n"), "\n", 2)[0])
		if strings.TrimSpace(strings.TrimLeft(first, "#")) != p.Title || !strings.HasPrefix(first, "#") {
			return fmt.Errorf("page %s: body starts with %q, not the title %q: partial or mismatched answer", p.ID, first, p.Title)
		}
	}
	if plan != nil {
		if len(plan) != len(w.Pages) {
			return fmt.Errorf("the page list has %d pages but %d came", len(plan), len(w.Pages))
		}
		for i, p := range plan {
			if w.Pages[i].ID != p.ID || w.Pages[i].Title != p.Title {
				return fmt.Errorf("page %d: listed as %s %q, came as %s %q", i+1, p.ID, p.Title, w.Pages[i].ID, w.Pages[i].Title)
			}
		}
	}
	return nil
}
