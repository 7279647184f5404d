package window

import (
	"fmt"

	"github.com/dwkit/dwkit/lib/token"
)

// Options are a Planner's budgets.
type Options struct {
	Max       int    // most tokens in a unit; longer texts are cut into windows
	Min       int    // texts under Min tokens are packed with their neighbours (0: none)
	Overlap   int    // tokens carried from the end of a window into the next
	Specials  bool   // count special-token strings as special tokens
	Sep       string // written between packed texts
	DropShort bool   // drop what cannot reach Min instead of keeping it
	Mix       *Mix   // when set, steers unit sizes to its shares
}

// Prepared is a text after the work that can run on any goroutine: its
// tokens, and its windows when no Mix needs them cut in order.
type Prepared struct {
	Text    string
	Group   string
	Tokens  int
	Windows []Window // nil when the cut is left to Plan
}

// Unit is one record Plan makes: a whole text, one window of a text, or a
// pack of several parts. P is the caller's payload (its record), carried
// from each text to the units it ends up in.
type Unit[P any] struct {
	Parts  []Part[P] // one: a whole text or a window; more: a pack, in order
	Text   string    // a pack's joined text ("" for one part: see Part)
	Tokens int
	Group  string // a pack's group
}

// Part is a text, or a piece of it, in a Unit.
type Part[P any] struct {
	Payload P
	// Window is the piece when the part is not the whole text: a window of
	// a text cut longer than Max (Index of Of), or a head or tail split off
	// a short text to fill a pack (Index 0 or 1 of 2).
	Window    *Window
	Index, Of int
}

// Stats count what a Planner did.
type Stats struct {
	In, Out, Cut, Packs, Packed, Short, Tokens int
	Over                                       int // units over Max: one character is more tokens than Max
}

// Planner decides, in input order, what each text becomes: itself with its
// token count, windows cut from it, or a member of a pack of short texts of
// one group; with a Mix it steers sizes by what it has made so far. One rule
// holds for every text under Min, whether a record or the last window of a
// long one: it is packed with what follows in its group; a pack that cannot
// take the next text whole takes its head and leaves the rest for the next
// pack, so packs reach Min whenever there is text enough; what still cannot
// reach Min is kept, or dropped with DropShort. Plan and Flush must be
// called from one goroutine; Prepare from any.
type Planner[P any] struct {
	opt    Options
	tok    *token.Tokenizer
	cutter Cutter // for the cuts Plan makes (under a Mix) and the heads that fill packs
	packer Packer
	parts  []Part[P] // the parts of the pack being built, by Member.Ref
	texts  []string  // their texts' whole text, by Member.Ref
	stats  Stats
}

// NewPlanner returns a Planner of texts encoded with tok.
func NewPlanner[P any](tok *token.Tokenizer, opt Options) *Planner[P] {
	enc := tok.NewEncoder()
	p := &Planner[P]{opt: opt, tok: tok}
	p.cutter = Cutter{Enc: enc, Max: opt.Max, Overlap: opt.Overlap, Specials: opt.Specials}
	p.packer = Packer{Min: opt.Min, Max: opt.Max, Sep: opt.Sep, Count: func(s string) int { return enc.Count(s, opt.Specials) },
		Split: func(text string, budget int) int { return p.cutter.Head(text, budget) }}
	if opt.Mix != nil {
		p.cutter.Target = func(remaining int) int { return opt.Mix.Target(remaining, opt.Max) }
		p.packer.Goal = func() int { return opt.Mix.Goal(opt.Max) }
	}
	return p
}

// Prepare counts and, without a Mix, cuts a text with enc, an encoder of the
// Planner's tokenizer owned by the calling goroutine.
func (p *Planner[P]) Prepare(enc *token.Encoder, text, group string) Prepared {
	if p.opt.Mix != nil { // the cut depends on what came before: Plan makes it
		return Prepared{Text: text, Group: group, Tokens: enc.Count(text, p.opt.Specials)}
	}
	c := Cutter{Enc: enc, Max: p.opt.Max, Overlap: p.opt.Overlap, Specials: p.opt.Specials}
	ws := c.Cut(text)
	pr := Prepared{Text: text, Group: group, Tokens: ws[0].Tokens}
	if len(ws) > 1 {
		pr.Windows = ws
	}
	return pr
}

// short tells whether a text of n tokens goes to the packer.
func (p *Planner[P]) short(n int) bool {
	if p.opt.Mix != nil {
		return n < p.opt.Mix.Goal(p.opt.Max) // pack towards the neediest bucket
	}
	return n < p.opt.Min
}

// Plan takes the next text and returns the units it completes, in order.
func (p *Planner[P]) Plan(payload P, pr Prepared) []Unit[P] {
	p.stats.In++
	ws := pr.Windows
	if ws == nil && p.short(pr.Tokens) {
		return p.pack(Part[P]{Payload: payload}, pr.Text, 0, pr.Text, pr.Tokens, pr.Group)
	}
	units := p.packs(p.packer.Flush())
	if p.opt.Mix != nil {
		if ws = p.cutter.Cut(pr.Text); len(ws) == 1 {
			pr.Tokens, ws = ws[0].Tokens, nil
		}
	}
	if ws == nil {
		return append(units, p.unit(Unit[P]{Parts: []Part[P]{{Payload: payload}}, Tokens: pr.Tokens}))
	}
	p.stats.Cut++
	for i := range ws {
		part := Part[P]{Payload: payload, Window: &ws[i], Index: i, Of: len(ws)}
		w := ws[i]
		if i == len(ws)-1 && i > 0 && w.Tokens < p.opt.Min { // a tail under Min: the same rule as a short text
			units = append(units, p.pack(part, pr.Text[w.Start:w.End], w.Start, pr.Text, w.Tokens, pr.Group)...)
			continue
		}
		units = append(units, p.unit(Unit[P]{Parts: []Part[P]{part}, Tokens: w.Tokens}))
	}
	return units
}

// pack offers a short text (or a tail window) to the packer: text is the
// piece, starting at start in whole.
func (p *Planner[P]) pack(part Part[P], text string, start int, whole string, tokens int, group string) []Unit[P] {
	p.parts = append(p.parts, part)
	p.texts = append(p.texts, whole)
	return p.packs(p.packer.Add(Member{Ref: len(p.parts) - 1, Text: text, Tokens: tokens, Group: group, Start: start}))
}

// Flush returns the pack being built, if any: call it at the end.
func (p *Planner[P]) Flush() []Unit[P] { return p.packs(p.packer.Flush()) }

// Stats returns what the Planner did so far.
func (p *Planner[P]) Stats() Stats { return p.stats }

// Summary describes the run in one line.
func (p *Planner[P]) Summary() string {
	s, fate := p.stats, "kept"
	if p.opt.DropShort {
		fate = "dropped"
	}
	line := fmt.Sprintf("%d records in, %d out (%d tokens, %s): %d cut into windows, %d packs of %d records, %d under --min %s",
		s.In, s.Out, s.Tokens, p.tok.Name(), s.Cut, s.Packs, s.Packed, s.Short, fate)
	if s.Over > 0 {
		line += fmt.Sprintf("; %d over --max (a single character there is more tokens than --max)", s.Over)
	}
	return line
}

// packs turns finished packs into units, dropping short ones when asked.
func (p *Planner[P]) packs(packs []Pack) []Unit[P] {
	var units []Unit[P]
	for i := range packs {
		pk := &packs[i]
		if pk.Short {
			p.stats.Short++
		}
		u := Unit[P]{Tokens: pk.Tokens}
		for _, m := range pk.Members {
			u.Parts = append(u.Parts, p.piece(m))
		}
		if len(pk.Members) > 1 {
			p.stats.Packs++
			for _, m := range pk.Members {
				if offered := p.parts[m.Ref].Window; offered == nil && m.Start == 0 || offered != nil && m.Start == offered.Start {
					p.stats.Packed++ // the rest of a split text is not one more text
				}
			}
			u.Text, u.Group = pk.Text, pk.Members[0].Group
		}
		if pk.Short && p.opt.DropShort {
			continue
		}
		units = append(units, p.unit(u))
	}
	if len(packs) > 0 && len(p.packer.Pending()) == 0 {
		clear(p.parts) // let the payloads go
		p.parts, p.texts = p.parts[:0], p.texts[:0]
	}
	return units
}

// piece is the part a packed member stands for: what was offered, or the
// head or tail of it that a split left.
func (p *Planner[P]) piece(m Member) Part[P] {
	part := p.parts[m.Ref]
	whole := p.texts[m.Ref]
	offered := len(whole)
	if part.Window != nil {
		offered = part.Window.End - part.Window.Start
	}
	if len(m.Text) == offered {
		return part // as offered: a whole text, or a tail window
	}
	w := Window{Start: m.Start, End: m.Start + len(m.Text), OverlapEnd: m.Start, Tokens: m.Tokens}
	if part.Window != nil { // a tail window split: its pieces keep its place
		w.OverlapEnd = max(part.Window.OverlapEnd, m.Start)
		w.TokenStart = part.Window.TokenStart + p.cutter.count(whole[part.Window.Start:m.Start])
	} else {
		w.TokenStart = p.cutter.count(whole[:m.Start]) // a short text: short to count
		part.Of = 2
		if m.Start > 0 {
			part.Index = 1
		}
	}
	part.Window = &w
	return part
}

// unit counts a unit on its way out, and shows it to the Mix.
func (p *Planner[P]) unit(u Unit[P]) Unit[P] {
	p.stats.Out++
	p.stats.Tokens += u.Tokens
	if u.Tokens > p.opt.Max {
		p.stats.Over++
	}
	if p.opt.Mix != nil {
		p.opt.Mix.Observe(u.Tokens)
	}
	return u
}
