package rust

import "strings"

// BaseName is a type or trait without generics, path or reference:
// a::Foo<T> → Foo, std::convert::From<X> → From, &Bar → Bar.
func BaseName(s string) string {
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, "::"); i >= 0 {
		s = s[i+2:]
	}
	return strings.TrimSpace(strings.TrimPrefix(s, "&"))
}

// Supertraits reads a trait's signature, "trait Name<..>: A + B<..> + 'static where ..." → [A B].
func Supertraits(sig string) []string {
	i := strings.Index(sig, "trait ")
	if i < 0 {
		return nil
	}
	rest := sig[i+6:]
	depth, colon := 0, -1
	for j, r := range rest {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case ':':
			if depth == 0 && colon < 0 {
				colon = j
			}
		}
	}
	if colon < 0 {
		return nil
	}
	bounds := rest[colon+1:]
	if w := strings.Index(bounds, " where "); w >= 0 {
		bounds = bounds[:w]
	}
	var out []string
	for _, b := range splitTop(bounds, '+') {
		if b = BaseName(strings.TrimPrefix(strings.TrimSpace(b), "?")); b != "" && !strings.HasPrefix(b, "'") {
			out = append(out, b)
		}
	}
	return out
}

// splitTop splits s at sep outside angle brackets.
func splitTop(s string, sep rune) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
