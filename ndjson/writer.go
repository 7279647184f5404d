package ndjson

import (
	"bufio"
	"encoding/json"
	"io"
)

// Writer writes one JSON value per line through a single buffered encoder
// with HTML escaping off. Call Flush and check its error before exiting 0.
type Writer struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewWriter returns a Writer over w.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Writer{bw: bw, enc: enc}
}

// Write encodes v as one line. A *Record is written with its fields' exact
// bytes (encoding/json would re-compact them).
func (w *Writer) Write(v any) error {
	if rec, ok := v.(*Record); ok {
		raw, err := rec.MarshalJSON()
		if err != nil {
			return err
		}
		return w.WriteRaw(raw)
	}
	return w.enc.Encode(v)
}

// WriteRaw writes an already encoded JSON value as one line. The value must
// not contain a newline.
func (w *Writer) WriteRaw(line []byte) error {
	if _, err := w.bw.Write(line); err != nil {
		return err
	}
	return w.bw.WriteByte('\n')
}

// WriteLines writes already encoded records, each ending in a newline.
func (w *Writer) WriteLines(lines []byte) error {
	_, err := w.bw.Write(lines)
	return err
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error { return w.bw.Flush() }
