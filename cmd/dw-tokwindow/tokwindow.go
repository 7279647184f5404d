package main

import (
	"errors"
	"strconv"
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
	planner := window.NewPlanner[item](tok, window.Options{Max: int(c.Max), Min: int(c.Min), Overlap: int(c.Overlap),
		Specials: c.Specials, Sep: c.Join, DropShort: c.DropShort, Mix: mix})
	encoders := sync.Pool{New: func() any { return tok.NewEncoder() }}
	fn := func(rec *ndjson.Record) (prepared, error) {
		text, err := rec.Text()
		if err != nil {
			return prepared{}, err
		}
		if _, err := rec.ID(); err != nil { // read again when it is cut or packed: a bad line here, not later
			return prepared{}, err
		}
		var group string
		if c.GroupBy != "" {
			group = rec.LookupText(c.GroupBy)
		}
		enc := encoders.Get().(*token.Encoder)
		defer encoders.Put(enc)
		return prepared{item{rec, text}, planner.Prepare(enc, text, group)}, nil
	}
	write := func(units []window.Unit[item], w *ndjson.Writer) error {
		for _, u := range units {
			recs, err := records(u, tok.Name(), c.Join)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := w.Write(r); err != nil {
					return err
				}
			}
		}
		return nil
	}
	sink := func(p prepared, w *ndjson.Writer) error { return write(planner.Plan(p.item, p.Prepared), w) }
	end := func(w *ndjson.Writer) error { return write(planner.Flush(), w) }
	if err := cli.Stream(env, &c.Input, fn, sink, end); err != nil {
		return err
	}
	env.Report.Infof("%s", planner.Summary())
	if mix != nil {
		env.Report.Infof("%s", mix.Report())
	}
	return nil
}

// item is an input record with its text: the Planner's payload.
type item struct {
	rec  *ndjson.Record
	text string
}

// prepared is an item with what the workers found of its text.
type prepared struct {
	item
	window.Prepared
}

// records makes the records of a unit: the record with its token count,
// its windows, or the pack record.
func records(u window.Unit[item], tokenizer, sep string) ([]*ndjson.Record, error) {
	switch {
	case u.Windows != nil:
		return windows(u.Payload, u.Windows, tokenizer)
	case u.Pack != nil:
		rec, err := packRecord(u, tokenizer, sep)
		return []*ndjson.Record{rec}, err
	}
	rec := u.Payload.rec.Clone()
	return []*ndjson.Record{rec}, rec.SetValue("tokens", window.TokensField{Count: u.Tokens, Tokenizer: tokenizer})
}

// windows makes the window records of one cut record.
func windows(it item, ws []window.Window, tokenizer string) ([]*ndjson.Record, error) {
	source, err := it.rec.ID()
	if err != nil {
		return nil, err
	}
	code, hasCode, err := it.rec.Code()
	if err != nil {
		return nil, err
	}
	out := make([]*ndjson.Record, len(ws))
	for i, w := range ws {
		wr := it.rec.Clone()
		body := it.text[w.Start:w.End]
		err := errors.Join(
			wr.SetValue("id", ndjson.NewID("tw-", source, strconv.Itoa(i), body)),
			wr.SetValue("text", body),
			wr.SetValue("tokens", window.TokensField{Count: w.Tokens, Tokenizer: tokenizer}),
			wr.SetValue("window", window.NewWindowField(source, i, len(ws), w)),
		)
		if hasCode {
			err = errors.Join(err, wr.SetValue("code", code.Clip(w.Start, w.End)))
		}
		if err != nil {
			return nil, err
		}
		out[i] = wr
	}
	return out, nil
}

// packRecord makes the record of a pack: its first member with the joined
// text and the members' ids.
func packRecord(u window.Unit[item], tokenizer, sep string) (*ndjson.Record, error) {
	ids := make([]string, len(u.Members))
	for i, m := range u.Members {
		var err error
		if ids[i], err = m.rec.ID(); err != nil {
			return nil, err
		}
	}
	rec := u.Payload.rec.Clone()
	code, err := packCode(u.Members, len(sep))
	if err != nil {
		return nil, err
	}
	if code != nil {
		if err := rec.SetValue("code", code); err != nil {
			return nil, err
		}
	}
	return rec, errors.Join(
		rec.SetValue("id", ndjson.NewID("tp-", append(ids, u.Pack.Text)...)),
		rec.SetValue("text", u.Pack.Text),
		rec.SetValue("tokens", window.TokensField{Count: u.Tokens, Tokenizer: tokenizer}),
		rec.SetValue("window", window.PackField{Packed: ids, Group: u.Pack.Members[0].Group}),
	)
}

// packCode places the members' code ranges in the pack's text, where they
// follow each other sep bytes apart; nil when no member has a code field. A
// member without one is code throughout.
func packCode(members []item, sep int) (ndjson.Code, error) {
	var code ndjson.Code
	has := false
	off := 0
	for _, m := range members {
		c, ok, err := m.rec.Code()
		if err != nil {
			return nil, err
		}
		if !ok {
			c = ndjson.Code{{0, len(m.text)}}
		}
		has = has || ok
		code = append(code, c.Shift(off)...)
		off += len(m.text) + sep
	}
	if !has {
		return nil, nil
	}
	return code, nil
}
