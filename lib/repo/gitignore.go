package repo

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// ignoreRule is one .gitignore pattern, compiled.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool // "!pattern" re-includes
	dirOnly bool // "pattern/" matches directories only
	base    bool // no slash in the pattern: match the basename at any depth
}

// ignoreFile is the rules of one .gitignore, relative to the directory
// holding it (dir, slash-separated, "" for the root).
type ignoreFile struct {
	dir   string
	rules []ignoreRule
}

// parseIgnore compiles a .gitignore's contents following gitignore(5):
// comments, blank lines, trailing-space trimming, "\" escapes, "!" negation,
// "/" anchoring, a trailing "/" for directories, and "*", "?", "[...]", "**".
func parseIgnore(dir string, data []byte) *ignoreFile {
	f := &ignoreFile{dir: dir}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		// Trailing spaces are ignored unless escaped with a backslash.
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
			line = line[:len(line)-1]
		}
		var r ignoreRule
		if line[0] == '!' {
			r.negate, line = true, line[1:]
		} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		r.base = !strings.Contains(line, "/")
		line = strings.TrimPrefix(line, "/")
		re, err := regexp.Compile("^" + globToRegexp(line) + "$")
		if err != nil {
			continue // an invalid pattern matches nothing, as in git
		}
		r.re = re
		f.rules = append(f.rules, r)
	}
	return f
}

// globToRegexp translates a gitignore glob into a regular expression over a
// slash-separated path.
func globToRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/") && (i == 0 || glob[i-1] == '/'):
			b.WriteString(`(?:.*/)?`)
			i += 2
		case strings.HasPrefix(glob[i:], "/**") && i+3 == len(glob):
			b.WriteString(`/.*`)
			i += 2
		case strings.HasPrefix(glob[i:], "**") && (i == 0 || glob[i-1] == '/') && i+2 == len(glob):
			b.WriteString(`.*`)
			i++
		case c == '*':
			b.WriteString(`[^/]*`)
		case c == '?':
			b.WriteString(`[^/]`)
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		case c == '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 || (end == 0 && strings.IndexByte(glob[i+2:], ']') < 0) {
				b.WriteString(`\[`)
				continue
			}
			if end == 0 { // "[]...]": a leading ']' is literal
				end = 1 + strings.IndexByte(glob[i+2:], ']')
			}
			class := glob[i+1 : i+1+end]
			i += end + 1
			if class[0] == '!' || class[0] == '^' {
				class = "^" + class[1:]
			}
			class = strings.ReplaceAll(class, `\`, `\\`)
			class = strings.ReplaceAll(class, `[`, `\[`)
			b.WriteString("[" + class + "]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// ignoreStack is the .gitignore files in force for one directory: the
// root's first, the deepest last.
type ignoreStack []*ignoreFile

// ignored reports whether rel (slash-separated, relative to the repository
// root) is ignored. The last matching rule wins, deeper files over shallower.
func (s ignoreStack) ignored(rel string, isDir bool) bool {
	for i := len(s) - 1; i >= 0; i-- {
		f := s[i]
		sub := rel
		if f.dir != "" {
			if !strings.HasPrefix(rel, f.dir+"/") {
				continue
			}
			sub = rel[len(f.dir)+1:]
		}
		name := sub[strings.LastIndexByte(sub, '/')+1:]
		for j := len(f.rules) - 1; j >= 0; j-- {
			r := f.rules[j]
			if r.dirOnly && !isDir {
				continue
			}
			target := sub
			if r.base {
				target = name
			}
			if r.re.MatchString(target) {
				return !r.negate
			}
		}
	}
	return false
}
