package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// Size is a byte count given on the command line as a plain number or with a
// binary unit: 100, 100B, 500K, 500KB, 500KiB (= 512000), 64M, 1G. Units are
// case-insensitive and always powers of 1024.
type Size int64

// UnmarshalText parses a Size; kong uses it for flags and their defaults.
func (s *Size) UnmarshalText(b []byte) error {
	text := strings.TrimSpace(string(b))
	num := strings.TrimRightFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToUpper(strings.TrimSpace(text[len(num):]))
	mult := map[string]int64{"": 1, "B": 1,
		"K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10,
		"M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
		"G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || mult == 0 || n > (1<<62)/mult {
		return fmt.Errorf("invalid size %q (want e.g. 100, 500KB, 64MiB)", text)
	}
	*s = Size(n * mult)
	return nil
}

// String formats a Size with the largest unit that divides it exactly.
func (s Size) String() string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if s != 0 && int64(s)%u.n == 0 {
			return fmt.Sprintf("%d%s", int64(s)/u.n, u.name)
		}
	}
	return fmt.Sprintf("%dB", int64(s))
}

// Tokens is a token count given as a plain number or with a decimal unit:
// 512, 2k (= 2,000), 16k, 1.5k, 1m. Decimal, as token budgets are usually
// stated; write 16384 for an exact power of two.
type Tokens int

// UnmarshalText parses a Tokens value.
func (t *Tokens) UnmarshalText(b []byte) error {
	text := strings.ToLower(strings.TrimSpace(string(b)))
	mult := 1.0
	switch {
	case strings.HasSuffix(text, "k"):
		mult, text = 1e3, strings.TrimSuffix(text, "k")
	case strings.HasSuffix(text, "m"):
		mult, text = 1e6, strings.TrimSuffix(text, "m")
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f < 0 || f*mult > 1e12 || f*mult != float64(int64(f*mult)) {
		return fmt.Errorf("invalid token count %q (want e.g. 512, 2k, 16k)", string(b))
	}
	*t = Tokens(f * mult)
	return nil
}
