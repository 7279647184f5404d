// Package hfdatatest helps the tests of what lib/hfdata writes compare
// values read back with the records written.
package hfdatatest

import (
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Plain normalizes a JSON value for comparison: numbers as float64, null
// object members dropped (every column is optional, so absent and null are
// one).
func Plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case int64:
		return float64(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e != nil {
				out[k] = Plain(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	}
	return v
}

// ReadParquet reads every row of a Parquet file, failing t on an error.
func ReadParquet(t testing.TB, name string) []map[string]any {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := parquet.NewGenericReader[any](pf)
	var out []map[string]any
	buf := make([]any, 7)
	for {
		n, err := r.Read(buf)
		for _, v := range buf[:n] {
			out = append(out, v.(map[string]any))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}
