// Package hfdatatest helps the tests of what lib/hfdata writes compare
// values read back with the records written.
package hfdatatest

import "encoding/json"

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
