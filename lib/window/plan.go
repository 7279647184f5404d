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

// Unit is what Plan makes of texts: a whole text, the windows of one text,
// or a pack of several short texts. P is the caller's payload (its record),
// carried from each text to the unit it ends up in.
type Unit[P any] struct {
	Payload P        // the text's, or the first member's for a pack
	Tokens  int      // of a whole text or a pack
	Windows []Window // more than one: the text was cut
	Pack    *Pack    // a pack of more than one text
	Members []P      // a pack's payloads, in order
}

// Stats count what a Planner did.
type Stats struct {
	In, Out, Cut, Packs, Packed, Short, Tokens int
	Over                                       int // units over Max: one character is more tokens than Max
}

// Planner decides, in input order, what each text becomes: itself with its
// token count, windows cut from it, or a member of a pack of short texts of
// one group; with a Mix it steers sizes by what it has made so far. Plan and
// Flush must be called from one goroutine; Prepare from any.
type Planner[P any] struct {
	opt     Options
	tok     *token.Tokenizer
	cutter  Cutter // for the cuts Plan makes (under a Mix)
	packer  Packer
	members []P // payloads of the pack being built, by Member.Ref
	stats   Stats
}

// NewPlanner returns a Planner of texts encoded with tok.
func NewPlanner[P any](tok *token.Tokenizer, opt Options) *Planner[P] {
	enc := tok.NewEncoder()
	p := &Planner[P]{opt: opt, tok: tok}
	p.cutter = Cutter{Enc: enc, Max: opt.Max, Overlap: opt.Overlap, Specials: opt.Specials}
	p.packer = Packer{Min: opt.Min, Max: opt.Max, Sep: opt.Sep, Count: func(s string) int { return enc.Count(s, opt.Specials) }}
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

// Plan takes the next text and returns the units it completes, in order.
func (p *Planner[P]) Plan(payload P, pr Prepared) []Unit[P] {
	p.stats.In++
	short := pr.Windows == nil && pr.Tokens < p.opt.Min
	if mix := p.opt.Mix; mix != nil {
		short = pr.Tokens < mix.Goal(p.opt.Max) // pack towards the neediest bucket
	}
	if short {
		p.members = append(p.members, payload)
		return p.packs(p.packer.Add(Member{Ref: len(p.members) - 1, Text: pr.Text, Tokens: pr.Tokens, Group: pr.Group}))
	}
	units := p.packs(p.packer.Flush())
	ws := pr.Windows
	if p.opt.Mix != nil {
		if ws = p.cutter.Cut(pr.Text); len(ws) == 1 {
			pr.Tokens, ws = ws[0].Tokens, nil
		}
	}
	if ws == nil {
		return append(units, p.unit(Unit[P]{Payload: payload, Tokens: pr.Tokens}))
	}
	p.stats.Cut++
	return append(units, p.unit(Unit[P]{Payload: payload, Windows: ws}))
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
		u := Unit[P]{Payload: p.members[pk.Members[0].Ref], Tokens: pk.Tokens}
		if len(pk.Members) > 1 {
			p.stats.Packs++
			p.stats.Packed += len(pk.Members)
			u.Pack = pk
			for _, m := range pk.Members {
				u.Members = append(u.Members, p.members[m.Ref])
			}
		}
		if pk.Short && p.opt.DropShort {
			continue
		}
		units = append(units, p.unit(u))
	}
	if len(packs) > 0 && len(p.packer.Pending()) == 0 {
		clear(p.members) // let the payloads go
		p.members = p.members[:0]
	}
	return units
}

// unit counts a unit on its way out, and shows it to the Mix.
func (p *Planner[P]) unit(u Unit[P]) Unit[P] {
	counts := []int{u.Tokens}
	if u.Windows != nil {
		counts = counts[:0]
		for _, w := range u.Windows {
			counts = append(counts, w.Tokens)
		}
	}
	for _, n := range counts {
		p.stats.Out++
		p.stats.Tokens += n
		if n > p.opt.Max {
			p.stats.Over++
		}
		if p.opt.Mix != nil {
			p.opt.Mix.Observe(n)
		}
	}
	return u
}
