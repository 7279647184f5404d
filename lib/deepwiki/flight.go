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

// Row is one row of a flight stream: its hex id and its data.
type Row struct {
	ID   string
	Data []byte
}

// Rows splits a flight stream into rows, in stream order: text rows
// "<hex id>:T<hex length>,<length bytes>" (no newline after them) and all
// other rows "<hex id>:<data>\n". Hint rows without an id are skipped.
func Rows(stream []byte) ([]Row, error) {
	var rows []Row
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
			if id != "" {
				rows = append(rows, Row{id, stream[start : start+int(n)]})
			}
			p = start + int(n)
			continue
		}
		end := bytes.IndexByte(stream[p:], '\n')
		if end < 0 {
			end = len(stream) - p
		}
		if id != "" {
			rows = append(rows, Row{id, stream[p : p+end]})
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

// wikiRE finds rows that may hold the wiki object, whatever the spacing of
// its JSON; wikiStartRE tells a "wiki" value that is that object.
var (
	wikiRE      = regexp.MustCompile(`"wiki"\s*:\s*\{\s*"metadata"`)
	wikiStartRE = regexp.MustCompile(`^\{\s*"metadata"`)
)

// maxWarnings is the most warnings of one kind ParseHTML tells one by one.
const maxWarnings = 10

// ParseHTML reads a wiki from a DeepWiki page's HTML. A page that does not
// end in </html>, whose wiki row is cut, or with a page that is nothing but
// its title heading, is ErrTruncated. The wiki is the first "wiki" object
// (one starting with "metadata") in stream order; other, different wiki
// objects are left out and told in the wiki's Warnings.
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
	var (
		wj       *wikiJSON
		first    []byte // the chosen wiki object, compacted
		firstRow string
		cut      []string // rows with the wiki's mark that are not JSON
		badErr   error    // the first wiki object that does not decode
		warnings []string
		others   int // different wiki objects after the first
	)
	for _, row := range rows {
		if !wikiRE.Match(row.Data) {
			continue
		}
		if !json.Valid(row.Data) {
			cut = append(cut, row.ID)
			continue
		}
		for _, raw := range wikiValues(row.Data) {
			var v wikiJSON
			if err := json.Unmarshal(raw, &v); err != nil {
				if badErr == nil {
					badErr = fmt.Errorf("wiki object in row %s: %w", row.ID, err)
				}
				continue
			}
			var c bytes.Buffer
			json.Compact(&c, raw) // valid JSON: cannot fail
			switch {
			case wj == nil:
				wj, first, firstRow = &v, c.Bytes(), row.ID
			case !bytes.Equal(c.Bytes(), first):
				if others++; others <= maxWarnings {
					warnings = append(warnings, fmt.Sprintf("row %s holds another wiki (%s @%s, %d pages); the first, in row %s (%s @%s, %d pages), is used",
						row.ID, v.Metadata.RepoName, v.Metadata.CommitHash, len(v.Pages), firstRow, wj.Metadata.RepoName, wj.Metadata.CommitHash, len(wj.Pages)))
				}
			}
		}
	}
	switch {
	case wj == nil && len(cut) > 0:
		return nil, fmt.Errorf("the wiki's row %s does not parse: %w", cut[0], ErrTruncated)
	case wj == nil && badErr != nil:
		return nil, badErr
	case wj == nil:
		return nil, ErrNoWiki
	}
	if others > maxWarnings {
		warnings = append(warnings, fmt.Sprintf("and %d more rows hold other wikis", others-maxWarnings))
	}
	for _, id := range cut[:min(len(cut), maxWarnings)] {
		warnings = append(warnings, fmt.Sprintf("row %s looks like a wiki but does not parse; the wiki in row %s is used", id, firstRow))
	}
	if len(cut) > maxWarnings {
		warnings = append(warnings, fmt.Sprintf("and %d more rows look like a wiki but do not parse", len(cut)-maxWarnings))
	}
	byID := make(map[string][]byte, len(rows))
	for _, r := range rows {
		byID[r.ID] = r.Data // an id given twice: the last row wins
	}
	w := &Wiki{Repo: wj.Metadata.RepoName, Commit: wj.Metadata.CommitHash, GeneratedAt: wj.Metadata.GeneratedAt, Warnings: warnings}
	for _, p := range wj.Pages {
		ref, ok := strings.CutPrefix(p.Content, "$")
		body, found := byID[ref]
		if !ok || !found {
			return nil, fmt.Errorf("page %s %q: content %q is not in the stream", p.PagePlan.ID, p.PagePlan.Title, p.Content)
		}
		w.Pages = append(w.Pages, Page{ID: p.PagePlan.ID, Title: p.PagePlan.Title, Markdown: string(body)})
	}
	return w, w.Check(nil)
}

// wikiValues returns, in document order, the values of the "wiki" keys of
// a valid JSON document that are objects starting with "metadata". It
// walks the tokens, so the order is the text's, not a map's.
func wikiValues(data []byte) []json.RawMessage {
	const (
		inArray = iota
		wantKey
		wantValue
	)
	var (
		out   []json.RawMessage
		stack []int // one state per open object or array
	)
	done := func() { // a value ended: its object wants a key again
		if n := len(stack); n > 0 && stack[n-1] == wantValue {
			stack[n-1] = wantKey
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, wantKey)
			case '[':
				stack = append(stack, inArray)
			default:
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1] == wantKey {
				stack[n-1] = wantValue
				if t == "wiki" {
					var raw json.RawMessage
					if dec.Decode(&raw) != nil {
						return out
					}
					if wikiStartRE.Match(raw) {
						out = append(out, raw)
					}
					done()
				}
				continue
			}
			done()
		default:
			done()
		}
	}
}

// Check verifies a wiki: pages present with ids and titles, each body
// starting with its title as a heading and holding more than that heading
// (an empty page is ErrTruncated: the same rule for every source), no id
// twice, and — when plan is given — exactly the planned pages.
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
		head, rest, _ := strings.Cut(strings.TrimLeft(p.Markdown, "\n"), "\n")
		first := strings.TrimSpace(head)
		if strings.TrimSpace(strings.TrimLeft(first, "#")) != p.Title || !strings.HasPrefix(first, "#") {
			return fmt.Errorf("page %s: body starts with %q, not the title %q: partial or mismatched answer", p.ID, first, p.Title)
		}
		if strings.TrimSpace(rest) == "" {
			return emptyPage(p)
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

// emptyPage is the error of a page that is nothing but its title heading:
// an answer cut short, whichever source gave it.
func emptyPage(p Page) error {
	return fmt.Errorf("page %s %q is empty: %w", p.ID, p.Title, ErrTruncated)
}
