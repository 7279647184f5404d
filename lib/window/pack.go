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
	buf   []Member         // the pack being built
	text  strings.Builder  // its joined text
	group string
}

// Member is one short text offered to the Packer; Ref is the caller's.
type Member struct {
	Ref    int
	Text   string
	Tokens int
	Group  string
}

// Pack is a finished pack. Short says it did not reach Min tokens.
type Pack struct {
	Members []Member
	Text    string
	Tokens  int
	Short   bool
}

// Add offers a short text and returns the packs it completes.
func (p *Packer) Add(m Member) []Pack {
	var done []Pack
	if len(p.buf) > 0 && (m.Group != p.group || p.Count(p.text.String()+p.Sep+m.Text) > p.Max) {
		done = p.Flush()
	}
	if len(p.buf) > 0 {
		p.text.WriteString(p.Sep)
	}
	p.buf = append(p.buf, m)
	p.text.WriteString(m.Text)
	p.group = m.Group
	goal := p.Min
	if p.Goal != nil {
		goal = max(goal, p.Goal())
	}
	if len(p.buf) > 1 || m.Tokens >= goal {
		if n := p.Count(p.text.String()); n >= goal {
			done = append(done, p.take(n))
		}
	}
	return done
}

// Pending returns the members of the pack being built.
func (p *Packer) Pending() []Member { return p.buf }

// Flush returns the pack being built, if any.
func (p *Packer) Flush() []Pack {
	if len(p.buf) == 0 {
		return nil
	}
	return []Pack{p.take(p.Count(p.text.String()))}
}

func (p *Packer) take(tokens int) Pack {
	pk := Pack{Members: p.buf, Text: p.text.String(), Tokens: tokens, Short: tokens < p.Min}
	p.buf, p.group = nil, ""
	p.text.Reset()
	return pk
}
