package main

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/token"
	"github.com/dwkit/dwkit/lib/window"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Tokenizer string     `default:"cl100k_base" placeholder:"NAME" help:"Tokenizer: a tiktoken encoding, a tokenizer.json path, or hf:OWNER/NAME."`
	Max       cli.Tokens `default:"16k" placeholder:"N" help:"Most tokens in a record; longer texts are cut into windows."`
	Min       cli.Tokens `default:"0" placeholder:"N" help:"Pack records under N tokens with their neighbours (0: no packing)."`
	Overlap   cli.Tokens `default:"0" placeholder:"N" help:"Tokens carried from the end of a window into the next."`
	GroupBy   string     `placeholder:"FIELD" help:"Pack only records with the same value of FIELD (dotted path, e.g. rust.crate)."`
	Join      string     `default:"\n\n" placeholder:"TEXT" help:"Text written between packed records (default: a blank line)."`
	DropShort bool       `help:"Drop what cannot reach --min instead of keeping it."`
	Specials  bool       `help:"Count special-token strings (<|endoftext|>) as special tokens, not plain text."`
	Mix       string     `placeholder:"SHARES" help:"Steer window sizes to these shares of records, e.g. 1k-4k:25,4k-10k:50,10k-16k:25."`
}

// tokensField is the "tokens" field every record gets.
type tokensField struct {
	Count     int    `json:"count"`
	Tokenizer string `json:"tokenizer"`
}

// windowField is the "window" field of a window record.
type windowField struct {
	Source        string `json:"source"`
	Index         int    `json:"index"`
	Of            int    `json:"of"`
	ByteStart     int    `json:"byte_start"`
	ByteEnd       int    `json:"byte_end"`
	OverlapBytes  int    `json:"overlap_bytes"`
	OverlapTokens int    `json:"overlap_tokens"`
	TokenStart    int    `json:"token_start"`
	TokenEnd      int    `json:"token_end"`
}

// packField is the "window" field of a pack record.
type packField struct {
	Packed []string `json:"packed"`
	Group  string   `json:"group,omitempty"`
}

// result is one input record after the workers: either records to write, or
// a short record for the packer.
type result struct {
	recs  []*ndjson.Record
	short *window.Member
	rec   *ndjson.Record // the short record itself, or one for the sink to cut (--mix)
	text  string         // the text of a record for the sink to cut
	n     int            // its tokens
	cut   bool
}

func (c *command) Run(env *cli.Env) error {
	if c.Max <= 0 {
		return cli.Usagef("--max must be positive")
	}
	if c.Overlap*2 > c.Max {
		return cli.Usagef("--overlap %d is over half of --max %d", c.Overlap, c.Max)
	}
	if c.Min > c.Max {
		return cli.Usagef("--min %d is over --max %d", c.Min, c.Max)
	}
	var mix *window.Mix
	if c.Mix != "" {
		var err error
		if mix, err = window.ParseMix(c.Mix); err != nil {
			return cli.Usagef("--mix: %v", err)
		}
	}
	tok, err := token.Open(c.Tokenizer)
	if err != nil {
		return cli.Usagef("--tokenizer: %v", err)
	}
	encoders := sync.Pool{New: func() any { return tok.NewEncoder() }}
	var st stats
	fn := func(rec *ndjson.Record) (result, error) {
		text, err := rec.Text()
		if err != nil {
			return result{}, err
		}
		enc := encoders.Get().(*token.Encoder)
		defer encoders.Put(enc)
		cutter := &window.Cutter{Enc: enc, Max: int(c.Max), Overlap: int(c.Overlap), Specials: c.Specials}
		if mix != nil { // the sink packs or cuts, in order, steered by what it has written
			return result{rec: rec, text: text, n: enc.Count(text, c.Specials)}, nil
		}
		ws := cutter.Cut(text)
		if len(ws) == 1 {
			n := ws[0].Tokens
			if n < int(c.Min) {
				var group string
				if c.GroupBy != "" {
					group = rec.LookupText(c.GroupBy)
				}
				return result{short: &window.Member{Text: text, Tokens: n, Group: group}, rec: rec}, nil
			}
			return result{recs: []*ndjson.Record{rec}}, rec.SetValue("tokens", tokensField{n, tok.Name()})
		}
		recs, err := windows(rec, text, ws, tok.Name())
		return result{recs: recs, cut: true}, err
	}

	packEnc := tok.NewEncoder()
	packer := &window.Packer{Min: int(c.Min), Max: int(c.Max), Sep: c.Join,
		Count: func(s string) int { return packEnc.Count(s, c.Specials) }}
	st.mix = mix
	sinkCutter := &window.Cutter{Enc: packEnc, Max: int(c.Max), Overlap: int(c.Overlap), Specials: c.Specials}
	if mix != nil {
		sinkCutter.Target = func(remaining int) int { return mix.Target(remaining, int(c.Max)) }
		packer.Goal = func() int { return mix.Goal(int(c.Max)) }
	}
	var members []*ndjson.Record // the records of the pack being built, by Member.Ref
	writePacks := func(packs []window.Pack, w *ndjson.Writer) error {
		for _, pk := range packs {
			rec, err := c.packRecord(pk, members, tok.Name())
			if err != nil {
				return err
			}
			st.pack(pk, c.DropShort)
			if pk.Short && c.DropShort {
				continue
			}
			if err := st.write(w, rec); err != nil {
				return err
			}
		}
		if len(packs) > 0 && len(packer.Pending()) == 0 {
			members = members[:0]
		}
		return nil
	}
	sink := func(r result, w *ndjson.Writer) error {
		st.in++
		if r.short == nil && r.rec != nil && mix != nil && r.n < mix.Goal(int(c.Max)) { // pack towards the neediest bucket
			r.short = &window.Member{Text: r.text, Tokens: r.n, Group: r.rec.LookupText(c.GroupBy)}
		}
		if r.short != nil {
			r.short.Ref = len(members)
			members = append(members, r.rec)
			return writePacks(packer.Add(*r.short), w)
		}
		if err := writePacks(packer.Flush(), w); err != nil {
			return err
		}
		if r.rec != nil { // --mix: cut here
			ws := sinkCutter.Cut(r.text)
			if len(ws) == 1 {
				r.recs = []*ndjson.Record{r.rec}
				if err := r.rec.SetValue("tokens", tokensField{ws[0].Tokens, tok.Name()}); err != nil {
					return err
				}
			} else {
				recs, err := windows(r.rec, r.text, ws, tok.Name())
				if err != nil {
					return err
				}
				r.recs, r.cut = recs, true
			}
		}
		if r.cut {
			st.cut++
		}
		for _, rec := range r.recs {
			if err := st.write(w, rec); err != nil {
				return err
			}
		}
		return nil
	}
	end := func(w *ndjson.Writer) error { return writePacks(packer.Flush(), w) }
	if err := cli.Stream(env, &c.Input, fn, sink, end); err != nil {
		return err
	}
	env.Report.Infof("%s", st.summary(tok.Name(), c.DropShort))
	if mix != nil {
		env.Report.Infof("%s", mix.Report())
	}
	return nil
}

// windows makes the window records of one cut record.
func windows(rec *ndjson.Record, text string, ws []window.Window, tokenizer string) ([]*ndjson.Record, error) {
	source, err := rec.ID()
	if err != nil {
		return nil, err
	}
	out := make([]*ndjson.Record, len(ws))
	for i, w := range ws {
		wr := &ndjson.Record{Fields: append([]ndjson.Field(nil), rec.Fields...)}
		body := text[w.Start:w.End]
		err := errors.Join(
			wr.SetValue("id", ndjson.NewID("tw-", source, fmt.Sprint(i), body)),
			wr.SetValue("text", body),
			wr.SetValue("tokens", tokensField{w.Tokens, tokenizer}),
			wr.SetValue("window", windowField{Source: source, Index: i, Of: len(ws), ByteStart: w.Start, ByteEnd: w.End,
				OverlapBytes: w.OverlapEnd - w.Start, OverlapTokens: w.OverlapTokens,
				TokenStart: w.TokenStart, TokenEnd: w.TokenStart + w.Tokens}),
		)
		if err != nil {
			return nil, err
		}
		out[i] = wr
	}
	return out, nil
}

// packRecord makes the record of a pack: its first member with the joined
// text; a pack of one is that record with its token count.
func (c *command) packRecord(pk window.Pack, members []*ndjson.Record, tokenizer string) (*ndjson.Record, error) {
	first := members[pk.Members[0].Ref]
	rec := &ndjson.Record{Fields: append([]ndjson.Field(nil), first.Fields...)}
	if len(pk.Members) == 1 {
		return rec, rec.SetValue("tokens", tokensField{pk.Tokens, tokenizer})
	}
	ids := make([]string, len(pk.Members))
	for i, m := range pk.Members {
		var err error
		if ids[i], err = members[m.Ref].ID(); err != nil {
			return nil, err
		}
	}
	return rec, errors.Join(
		rec.SetValue("id", ndjson.NewID("tp-", append(ids, pk.Text)...)),
		rec.SetValue("text", pk.Text),
		rec.SetValue("tokens", tokensField{pk.Tokens, tokenizer}),
		rec.SetValue("window", packField{Packed: ids, Group: pk.Members[0].Group}),
	)
}

// stats counts what a run did.
type stats struct {
	in, out, cut, packs, packed, short, tokens int
	mix                                        *window.Mix // observes every record written, when set
}

func (s *stats) write(w *ndjson.Writer, rec *ndjson.Record) error {
	var t tokensField
	rec.Decode("tokens", &t)
	s.out++
	s.tokens += t.Count
	if s.mix != nil {
		s.mix.Observe(t.Count)
	}
	return w.Write(rec)
}

func (s *stats) pack(pk window.Pack, drop bool) {
	if pk.Short {
		s.short++
	}
	if len(pk.Members) > 1 {
		s.packs++
		s.packed += len(pk.Members)
	}
}

func (s *stats) summary(tokenizer string, drop bool) string {
	fate := "kept"
	if drop {
		fate = "dropped"
	}
	return fmt.Sprintf("%d records in, %d out (%d tokens, %s): %d cut into windows, %d packs of %d records, %d under --min %s",
		s.in, s.out, s.tokens, tokenizer, s.cut, s.packs, s.packed, s.short, fate)
}
