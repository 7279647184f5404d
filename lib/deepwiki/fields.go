package deepwiki

// PageField is the "doc" field of a page record, which dw-scrape and dw-split
// write and dw-split reads (its chunks keep it).
type PageField struct {
	Page        string `json:"page"` // the page id, e.g. 6.2
	Title       string `json:"title"`
	Slug        string `json:"slug"`
	Depth       int    `json:"depth"`
	Parent      string `json:"parent,omitempty"`
	Order       int    `json:"order"`
	GeneratedAt string `json:"generated_at,omitempty"`
	Via         string `json:"via"` // html, mcp or file
}

// Field describes the page as the order-th of a wiki generated at
// generatedAt, read via html, mcp or a file.
func (p Page) Field(order int, generatedAt, via string) PageField {
	return PageField{Page: p.ID, Title: p.Title, Slug: Slug(p.Title), Depth: p.Depth(), Parent: p.Parent(),
		Order: order, GeneratedAt: generatedAt, Via: via}
}
