package window

import "strings"

// Packer joins consecutive short texts of one group until they reach Min
// tokens, never past Max. Texts of Min tokens or more are not its business:
// the caller Flushes before writing them, which keeps the input order.
type Packer struct {
	Min, Max int
	// Goal, when set, is the size at which a pack is complete (at least
	// Min), asked anew as the pack grows (see Mix.Goal).
	Goal  func() int
	Sep   string           // written between joined texts
	Count func(string) int // tokens of a text
	// Split, when set, fills a pack that is under its goal and cannot take
	// the next text whole: it returns where to cut text so that text[:cut]
	// has at most budget tokens (at a natural boundary; 0 when nothing
	// fits). The head completes the pack, the rest goes on as a member of
	// its own, so packs reach Min whenever there is text enough.
	Split  func(text string, budget int) int
	buf    []Member        // the pack being built
	text   strings.Builder // its joined text
	group  string
	n      int  // its tokens, as last counted
	filled bool // a split filled it: as full as it can be, even under Min
}

// Member is one short text offered to the Packer; Ref is the caller's.
// Start is where Text begins in the caller's text: a member split by Split
// goes on as text[cut:], Start moved by cut.
type Member struct {
	Ref    int
	Text   string
	Tokens int
	Group  string
	Start  int
}

// Pack is a finished pack. Short says it did not reach Min tokens for want
// of text (a pack a split filled to Max is not short, though boundaries can
// leave it a token or two under Min).
type Pack struct {
	Members []Member
	Text    string
	Tokens  int
	Short   bool
}

// Add offers a short text and returns the packs it completes.
func (p *Packer) Add(m Member) []Pack {
	var done []Pack
	if len(p.buf) > 0 && m.Group != p.group {
		done = p.Flush()
	}
	fit := -1 // the tokens of the pack with m, when counted
	if len(p.buf) > 0 {
		joined := p.text.String() + p.Sep
		if fit = p.Count(joined + m.Text); fit > p.Max { // m does not fit whole
			if head, rest, ok := p.fill(joined, m); ok {
				p.filled = true
				done = append(done, p.Add(head)...) // completes the pack
				m = rest
			}
			done = append(done, p.Flush()...)
			fit = -1
		}
	}
	if len(p.buf) > 0 {
		p.text.WriteString(p.Sep)
	}
	p.buf = append(p.buf, m)
	p.text.WriteString(m.Text)
	p.group = m.Group
	p.n = m.Tokens
	goal := p.goal()
	if len(p.buf) > 1 {
		p.n = fit // the pack is now what was counted
	}
	if p.n >= goal {
		done = append(done, p.take(p.n))
	}
	return done
}

// fill cuts the head of m that fills the pack being built up to Max, when
// the pack is under its goal and m does not fit whole (joined is the pack's
// text and the separator). A pack with no room for one more character is
// marked full.
func (p *Packer) fill(joined string, m Member) (head, rest Member, ok bool) {
	if p.Split == nil || p.n >= p.goal() {
		return head, rest, false
	}
	for budget := p.Max - p.Count(joined); ; {
		cut := 0
		if budget > 0 {
			cut = p.Split(m.Text, budget)
		}
		if cut <= 0 { // not one more character fits: the pack is full
			p.filled = true
			return head, rest, false
		}
		if cut >= len(m.Text) {
			return head, rest, false
		}
		n := p.Count(joined + m.Text[:cut])
		if n > p.Max { // joining merged or split tokens: ask for less
			budget -= n - p.Max
			continue
		}
		head, rest = m, m
		head.Text, head.Tokens = m.Text[:cut], p.Count(m.Text[:cut])
		rest.Text, rest.Tokens, rest.Start = m.Text[cut:], p.Count(m.Text[cut:]), m.Start+cut
		return head, rest, true
	}
}

func (p *Packer) goal() int {
	if p.Goal != nil {
		return max(p.Min, p.Goal())
	}
	return p.Min
}

// Pending returns the members of the pack being built.
func (p *Packer) Pending() []Member { return p.buf }

// Flush returns the pack being built, if any.
func (p *Packer) Flush() []Pack {
	if len(p.buf) == 0 {
		return nil
	}
	return []Pack{p.take(p.n)}
}

func (p *Packer) take(tokens int) Pack {
	pk := Pack{Members: p.buf, Text: p.text.String(), Tokens: tokens, Short: tokens < p.Min && !p.filled}
	p.buf, p.group, p.filled = nil, "", false
	p.text.Reset()
	return pk
}
