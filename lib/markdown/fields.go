package markdown

import "bytes"

// ChunkField is the "chunk" field of a chunk record, which dw-split writes
// and dw-link reads.
type ChunkField struct {
	Index         int        `json:"index"`
	Of            int        `json:"of"`
	Heading       string     `json:"heading"`
	Level         int        `json:"level"`
	Breadcrumb    []string   `json:"breadcrumb"`
	Page          string     `json:"page,omitempty"`
	PageTitle     string     `json:"page_title,omitempty"`
	StartByte     int        `json:"start_byte"` // the chunk is the page's text[StartByte:EndByte]
	EndByte       int        `json:"end_byte"`
	StartLine     int        `json:"start_line"`
	EndLine       int        `json:"end_line"`
	Stats         Stats      `json:"stats"`
	Citations     []Citation `json:"citations"`
	Links         []Link     `json:"links"`
	RelevantFiles []string   `json:"relevant_files,omitempty"`
}

// ChunkFields describes the chunks of a page (as Split returns them, in
// order): their place, lines, statistics, citations and links. page and
// title name the page; the page's relevant source files go to every chunk.
func ChunkFields(src []byte, chunks []Chunk, page, title string) []ChunkField {
	relevant := RelevantFiles(src)
	out := make([]ChunkField, len(chunks))
	line, at := 1, 0 // the line of offset at: counted on, never from the start
	lineOf := func(off int) int {
		if off < at {
			line, at = 1, 0
		}
		line += bytes.Count(src[at:off], []byte("\n"))
		at = off
		return line
	}
	for i, ch := range chunks {
		body := src[ch.Start:ch.End]
		a := Analyze(body)
		f := ChunkField{
			Index: i, Of: len(chunks), Heading: ch.Heading, Level: ch.Level, Breadcrumb: ch.Breadcrumb,
			Page: page, PageTitle: title, StartByte: ch.Start, EndByte: ch.End,
			StartLine: lineOf(ch.Start), EndLine: lineOf(ch.End),
			Stats: a.Stats, Citations: a.Citations, Links: a.Links, RelevantFiles: relevant,
		}
		if bytes.HasSuffix(body, []byte("\n")) {
			f.EndLine--
		}
		if f.Citations == nil {
			f.Citations = []Citation{}
		}
		if f.Links == nil {
			f.Links = []Link{}
		}
		out[i] = f
	}
	return out
}
