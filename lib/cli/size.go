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
