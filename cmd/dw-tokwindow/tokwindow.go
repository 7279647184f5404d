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
	env.NoteInputFile(c.Tokenizer) // when it is a file: no output may replace it
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
		code, hasCode, err := rec.Code(text)
		if err != nil {
			return prepared{}, err
		}
		if !hasCode {
			code = nil
		}
		var group string
		if c.GroupBy != "" {
			group = rec.LookupText(c.GroupBy)
		}
		enc := encoders.Get().(*token.Encoder)
		defer encoders.Put(enc)
		return prepared{item{rec, text, code}, planner.Prepare(enc, text, group)}, nil
	}
	write := func(units []window.Unit[item], w *ndjson.Writer) error {
		for _, u := range units {
			rec, err := record(u, tok.Name(), c.Join)
			if err == nil {
				err = w.Write(rec)
			}
			if err != nil {
				return err
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

// item is an input record with its text and its code ranges (nil: no
// code field): the Planner's payload.
type item struct {
	rec  *ndjson.Record
	text string
	code ndjson.Code
}

// codeOf is the code of a part: its record's, clipped to a window; nil
// when the record has no code field.
func codeOf(part window.Part[item]) ndjson.Code {
	c := part.Payload.code
	if c != nil && part.Window != nil {
		c = c.Clip(part.Window.Start, part.Window.End)
	}
	return c
}

// prepared is an item with what the workers found of its text.
type prepared struct {
	item
	window.Prepared
}

// record makes the record of a unit: an input record with its token count,
// a window of one, or a pack.
func record(u window.Unit[item], tokenizer, sep string) (*ndjson.Record, error) {
	if len(u.Parts) > 1 {
		return packRecord(u, tokenizer, sep)
	}
	part := u.Parts[0]
	if part.Window == nil {
		rec := part.Payload.rec.Clone()
		return rec, rec.SetValue("tokens", window.TokensField{Count: u.Tokens, Tokenizer: tokenizer})
	}
	id, body, err := pieceOf(part)
	if err != nil {
		return nil, err
	}
	source, _ := part.Payload.rec.ID() // checked by the workers
	rec := part.Payload.rec.Clone()
	err = errors.Join(
		rec.SetValue("id", id),
		rec.SetValue("text", body),
		rec.SetValue("tokens", window.TokensField{Count: u.Tokens, Tokenizer: tokenizer}),
		rec.SetValue("window", window.NewWindowField(source, part.Index, part.Of, *part.Window)),
	)
	if code := codeOf(part); code != nil {
		err = errors.Join(err, rec.SetValue("code", code))
	}
	return rec, err
}

// pieceOf is the id and text of a part: the record's own, or its window's.
func pieceOf(part window.Part[item]) (id, text string, err error) {
	if id, err = part.Payload.rec.ID(); err != nil || part.Window == nil {
		return id, part.Payload.text, err
	}
	w := part.Window
	body := part.Payload.text[w.Start:w.End]
	return ndjson.NewID("tw-", id, strconv.Itoa(part.Index), body), body, nil
}

// packRecord makes the record of a pack: its first member's record with the
// joined text and the ids of what it packs (a window's for a piece).
func packRecord(u window.Unit[item], tokenizer, sep string) (*ndjson.Record, error) {
	ids := make([]string, len(u.Parts))
	var code ndjson.Code
	hasCode, off := false, 0
	for i, part := range u.Parts {
		id, text, err := pieceOf(part)
		if err != nil {
			return nil, err
		}
		ids[i] = id
		c := codeOf(part)
		hasCode = hasCode || c != nil
		if c == nil {
			c = ndjson.Code{{0, len(text)}} // a part without a code field is code throughout
		}
		code = append(code, c.Shift(off)...)
		off += len(text) + len(sep)
	}
	rec := u.Parts[0].Payload.rec.Clone()
	err := errors.Join(
		rec.SetValue("id", ndjson.NewID("tp-", append(ids, u.Text)...)),
		rec.SetValue("text", u.Text),
		rec.SetValue("tokens", window.TokensField{Count: u.Tokens, Tokenizer: tokenizer}),
		rec.SetValue("window", window.PackField{Packed: ids, Group: u.Group}),
	)
	if hasCode {
		err = errors.Join(err, rec.SetValue("code", code))
	}
	return rec, err
}
