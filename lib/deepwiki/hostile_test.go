package deepwiki

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// flightPage builds a DeepWiki page whose flight stream holds rows as given.
func flightPage(stream string) []byte {
	js, _ := json.Marshal([]any{1, stream})
	return []byte("<html><body><script>self.__next_f.push(" + string(js) + ")</script></body></html>")
}

// TestHostileFlight: lengths that overflow, rows cut short and pages
// without their end give errors, never a panic; truncation is ErrTruncated.
func TestHostileFlight(t *testing.T) {
	md := "# Overview\n\nText."
	wiki := `2:{"wiki":{"metadata":{"repo_name":"a/b","commit_hash":"abc1"},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}` + "\n"
	good := fmt.Sprintf("1:T%x,%s", len(md), md) + wiki
	if w, err := ParseHTML(flightPage(good)); err != nil || len(w.Pages) != 1 {
		t.Fatalf("the good page: %v", err)
	}
	tests := []struct {
		name      string
		page      []byte
		truncated bool
	}{
		{"length 2^64-1", flightPage("1:Tffffffffffffffff," + md + wiki), true},
		{"length 2^63", flightPage("1:T8000000000000000," + md + wiki), true},
		{"length overflows the parser", flightPage("1:T1ffffffffffffffff," + md + wiki), false},
		{"text row cut", flightPage(fmt.Sprintf("1:T%x,%s", len(md)+50, md)), true},
		{"wiki row cut", flightPage(fmt.Sprintf("1:T%x,%s", len(md), md) + wiki[:60]), true},
		{"page cut before </html>", flightPage(good)[:len(flightPage(good))-20], true},
	}
	for _, tt := range tests {
		_, err := ParseHTML(tt.page)
		if err == nil || errors.Is(err, ErrTruncated) != tt.truncated {
			t.Errorf("%s: %v; want an error (truncation: %v)", tt.name, err, tt.truncated)
		}
	}
}

func TestContentsCutShort(t *testing.T) {
	plan := []Page{{ID: "1", Title: "Overview"}, {ID: "2", Title: "Details"}}
	for _, text := range []string{
		"# Page: Overview\n\n# Overview\nText.\n\n# Page: Details\n",
		"# Page: Overview\n\n# Overview\nText.\n\n# Page: Details\n\n# Details\n",
		"# Page: Overview\n\n# Overview\nText.\n",
	} {
		if _, err := ParseContents(text, plan); !errors.Is(err, ErrTruncated) {
			t.Errorf("ParseContents(%q) = %v; want ErrTruncated", text, err)
		}
	}
}

// FuzzFlight: the flight parser never panics and never returns a page
// that Check would refuse.
func FuzzFlight(f *testing.F) {
	md := "# Overview\n\nText."
	wiki := `2:{"wiki":{"metadata":{"repo_name":"a/b"},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}` + "\n"
	for _, s := range []string{fmt.Sprintf("1:T%x,%s", len(md), md) + wiki, "1:Tffffffffffffffff,x", ":HL[\"x\"]\n0:[1]\n", "1:T,", "a:T1,"} {
		f.Add(string(flightPage(s)))
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if rows, err := Rows([]byte(in)); err == nil {
			for id, row := range rows {
				if len(row) > len(in) {
					t.Fatalf("row %s longer than the stream", id)
				}
			}
		}
		w, err := ParseHTML([]byte(in))
		if err == nil && w.Check(nil) != nil {
			t.Fatalf("ParseHTML returned a wiki that fails Check: %v", w.Check(nil))
		}
	})
}

// FuzzMCP: the MCP answer parsers never panic, and a parsed contents has
// exactly the planned pages, none empty.
func FuzzMCP(f *testing.F) {
	for _, s := range []string{"- 1 Overview\n  - 1.1 Details\n", "# Page: Overview\n\nx\n# Page: Details\n", "event: message\ndata: {}\n\n", "data:\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		plan, err := ParseStructure(in)
		if err != nil {
			return
		}
		pages, err := ParseContents(in, plan)
		if err != nil {
			return
		}
		if len(pages) != len(plan) {
			t.Fatalf("%d pages for a plan of %d", len(pages), len(plan))
		}
		for _, p := range pages {
			if strings.TrimSpace(strings.TrimPrefix(p.Markdown, "# "+p.Title)) == "" {
				t.Fatalf("page %s is empty", p.ID)
			}
		}
	})
}
