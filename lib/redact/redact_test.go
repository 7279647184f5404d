package redact

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// family is a kind of secret: how to make one, and the line of Rust that
// holds it.
type family struct {
	rule string // the rule that must find it
	make func(r *rand.Rand) (secret, line string)
}

const (
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower  = "abcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
	alnum  = upper + lower + digits
	b64    = alnum + "+/"
)

func random(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// pem is a private key block of kind ("RSA ", "EC ", "OPENSSH ", "") with
// lines joined by sep ("\n" in a raw string, `\n` escapes in a literal).
func pem(r *rand.Rand, kind, sep string) string {
	lines := []string{"-----BEGIN " + kind + "PRIVATE KEY-----"}
	for range 12 {
		lines = append(lines, random(r, b64, 64))
	}
	lines = append(lines, random(r, b64, 20)+"==", "-----END "+kind+"PRIVATE KEY-----")
	return strings.Join(lines, sep)
}

var families = []family{
	{"private-key", func(r *rand.Rand) (string, string) {
		k := pem(r, "RSA ", "\n")
		return k, "const KEY: &str = r#\"" + k + "\"#;"
	}},
	{"private-key", func(r *rand.Rand) (string, string) {
		k := pem(r, "OPENSSH ", "\n")
		return k, "// " + strings.ReplaceAll(k, "\n", "\n// ")
	}},
	{"private-key", func(r *rand.Rand) (string, string) {
		k := pem(r, "", `\n`)
		return k, "let der = parse(b\"" + k + `\n");`
	}},
	{"aws-access-token", func(r *rand.Rand) (string, string) {
		k := "AKIA" + random(r, upper+"234567", 16)
		return k, `let aws_access_key_id = "` + k + `";`
	}},
	{"gcp-api-key", func(r *rand.Rand) (string, string) {
		k := "AIza" + random(r, alnum+"_-", 35)
		return k, `client.set_key("` + k + `");`
	}},
	{"stripe-access-token", func(r *rand.Rand) (string, string) {
		k := "sk_live_" + random(r, alnum, 24)
		return k, `const STRIPE: &str = "` + k + `";`
	}},
	{"stripe-access-token", func(r *rand.Rand) (string, string) {
		k := "sk_test_" + random(r, alnum, 24)
		return k, `stripe::Client::new("` + k + `")`
	}},
	{"github-pat", func(r *rand.Rand) (string, string) {
		k := "ghp_" + random(r, alnum, 36)
		return k, `let gh = "` + k + `";`
	}},
	{"github-fine-grained-pat", func(r *rand.Rand) (string, string) {
		k := "github_pat_" + random(r, alnum+"_", 82)
		return k, `headers.insert("Authorization", "token ` + k + `");`
	}},
	{"slack-bot-token", func(r *rand.Rand) (string, string) {
		k := "xoxb-" + random(r, digits, 12) + "-" + random(r, digits, 13) + "-" + random(r, alnum, 24)
		return k, `let slack = "` + k + `";`
	}},
	{"slack-webhook-url", func(r *rand.Rand) (string, string) {
		k := "https://hooks.slack.com/services/T" + random(r, upper+digits, 8) + "/B" + random(r, upper+digits, 10) + "/" + random(r, alnum, 24)
		return k, `post("` + k + `", &msg)?;`
	}},
	{"jwt", func(r *rand.Rand) (string, string) {
		enc := base64.RawURLEncoding.EncodeToString
		k := enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"%s","iat":%d}`, random(r, alnum, 12), 1700000000+r.IntN(1e7)))) + "." + random(r, alnum+"_-", 43)
		return k, `req.bearer_auth("` + k + `");`
	}},
	{"huggingface-access-token", func(r *rand.Rand) (string, string) {
		k := "hf_" + random(r, upper+lower, 34)
		return k, `std::env::set_var("HF_TOKEN", "` + k + `");`
	}},
	{"url-credentials", func(r *rand.Rand) (string, string) {
		k := random(r, alnum, 16)
		return k, `let db = "postgres://app:` + k + `@db.internal:5432/payments";`
	}},
	{"generic-api-key", func(r *rand.Rand) (string, string) {
		k := random(r, alnum, 20)
		return k, `let password = "` + k + `";`
	}},
	{"high-entropy-string", func(r *rand.Rand) (string, string) {
		k := random(r, b64, 40)
		return k, `let blob = "` + k + `";`
	}},
}

// corpus reads every fifth .rs file of the Debian crate corpus, up to
// max bytes, in path order.
func corpus(t *testing.T, max int) []string {
	root := "/usr/share/cargo/registry"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("the crate corpus is not installed (scripts/corpus.sh): %v", err)
	}
	var texts []string
	size, n := 0, 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rs") || size >= max {
			return nil
		}
		if n++; n%5 != 0 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && len(data) < 1<<20 {
			texts = append(texts, string(data))
			size += len(data)
		}
		return nil
	})
	return texts
}

// plant puts line into text after a line break near its middle.
func plant(text, line string) string {
	i := strings.IndexByte(text[len(text)/2:], '\n')
	if i < 0 {
		return text + "\n" + line + "\n"
	}
	i += len(text)/2 + 1
	return text[:i] + line + "\n" + text[i:]
}

// TestPlantedSecrets plants secrets of every family into real Rust files
// of the corpus: every one is found and replaced, and fewer than 0.5 % of
// the files without one change.
func TestPlantedSecrets(t *testing.T) {
	texts := corpus(t, 12<<20)
	red, err := New(Options{Entropy: 4.3, MinLiteral: 24})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(42, 1))
	planted := map[int][]string{} // text index → secrets
	want := map[int]string{}      // text index → rule
	for f, fam := range families {
		for k := range 5 {
			i := (f*5 + k) * 7 % len(texts)
			for planted[i] != nil {
				i = (i + 1) % len(texts)
			}
			secret, line := fam.make(rng)
			texts[i] = plant(texts[i], line)
			planted[i], want[i] = []string{secret}, fam.rule
		}
	}
	changedClean, found := 0, 0
	cleanRules := map[string]int{}
	for i, text := range texts {
		fs := red.Find(text)
		out := NewReplacer().Apply(text, fs)
		if secrets, ok := planted[i]; ok {
			hit := false
			for _, f := range fs {
				hit = hit || f.Rule == want[i]
			}
			for _, s := range secrets {
				for _, part := range strings.Split(s, "\n") { // every line of a PEM block
					if len(part) > 8 && !strings.HasPrefix(part, "-----") && strings.Contains(out, part) {
						t.Errorf("%s: the planted secret %.20q… is still in the text", want[i], part)
						hit = false
					}
				}
			}
			if !hit {
				t.Errorf("planted %s not found by its rule (found %v)", want[i], fs)
			} else {
				found++
			}
			continue
		}
		if out != text {
			changedClean++
			for _, f := range fs {
				cleanRules[f.Rule]++
			}
		}
	}
	clean := len(texts) - len(planted)
	t.Logf("%d files, %d planted: %d found; %d of %d others changed (%.2f %%): %v", len(texts), len(planted), found, changedClean, clean, 100*float64(changedClean)/float64(clean), cleanRules)
	if float64(changedClean) >= 0.005*float64(clean) {
		t.Errorf("%d of %d files without a planted secret changed: %.2f %% >= 0.5 %% (%v)", changedClean, clean, 100*float64(changedClean)/float64(clean), cleanRules)
	}
}

// TestPII finds e-mail and IP addresses only when asked, and leaves the
// look-alikes alone.
func TestPII(t *testing.T) {
	text := `// Written by Ana Lima <ana.lima@corp.io>; see also docs@example.com.
let peer = "10.20.30.40:8080"; let local = "127.0.0.1"; let v = "1.2.3.4";
let v6 = "2a00:1450:4007:80e::200e"; let doc6 = "2001:db8::1"; let mask = "255.255.255.0";
let version = "0.16.20"; let t = Duration::from_secs(3600);`
	off, _ := New(Options{})
	if fs := off.Find(text); len(fs) != 0 {
		t.Errorf("without PII: %v", fs)
	}
	on, _ := New(Options{PII: true})
	out := NewReplacer().Apply(text, on.Find(text))
	want := `// Written by Ana Lima <<PII:email>>; see also docs@example.com.
let peer = "<PII:ip-address>:8080"; let local = "127.0.0.1"; let v = "1.2.3.4";
let v6 = "<PII:ip-address:2>"; let doc6 = "2001:db8::1"; let mask = "255.255.255.0";
let version = "0.16.20"; let t = Duration::from_secs(3600);`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestPlaceholders: the same secret, the same placeholder; another secret
// of the rule, the next number; overlapping findings folded, named rules
// before the entropy rule.
func TestPlaceholders(t *testing.T) {
	red, _ := New(Options{Entropy: 4.3, MinLiteral: 24})
	a, b := "sk_live_"+strings.Repeat("aB3", 8), "sk_live_"+strings.Repeat("Zq9", 8)
	text := `let a = "` + a + `"; let b = "` + b + `"; let again = "` + a + `";`
	out := NewReplacer().Apply(text, red.Find(text))
	want := `let a = "<SECRET:stripe-access-token>"; let b = "<SECRET:stripe-access-token:2>"; let again = "<SECRET:stripe-access-token>";`
	if out != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	fs := merge([]Finding{{"b", 5, 9}, {"a", 0, 6}, {"c", 20, 22}, {"x", -1, -1}, {"d", 21, 30}})
	if !slices.Equal(fs, []Finding{{"a", 0, 9}, {"c", 20, 30}, {"x", -1, -1}}) {
		t.Errorf("merge = %v", fs)
	}
}

// TestNotSecrets: alphabets, URLs, paths, hashes and placeholders in URLs
// are left alone.
func TestNotSecrets(t *testing.T) {
	red, _ := New(Options{Entropy: 4.3, MinLiteral: 24})
	for _, text := range []string{
		`const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";`,
		`let u = "https://docs.rs/serde/1.0.152/serde/de/trait.Deserialize.html";`,
		`let p = "src/very/long/path/to/some/module/file_name.rs";`,
		`let sha = "3f786850e387550fdab836ed7e6dc881de23001b";`,
		`let db = "postgres://user:${DB_PASSWORD}@localhost/app"; let x = "mysql://root:password@db/x";`,
		`/// The output will have a header of -----BEGIN RSA PRIVATE KEY-----, then the key, then -----END RSA PRIVATE KEY-----.`,
		`let name = "ThisIsAVeryLongIdentifierWithoutDigits";`,
	} {
		if fs := red.Find(text); len(fs) != 0 {
			t.Errorf("%s: found %v", text, fs)
		}
	}
}

// TestKeysWithBlankLines: PGP armour and encrypted PEM keys have a blank
// line after their headers; the key is found whole.
func TestKeysWithBlankLines(t *testing.T) {
	red, _ := New(Options{})
	rng := rand.New(rand.NewPCG(3, 3))
	var body []string
	for range 10 {
		body = append(body, random(rng, b64, 64))
	}
	for _, block := range []string{
		"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + strings.Join(body, "\n") + "\n=ab12\n-----END PGP PRIVATE KEY BLOCK-----",
		"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D4E5F60718293A4B5C6D7E8F9\n\n" + strings.Join(body, "\n") + "\n-----END RSA PRIVATE KEY-----",
	} {
		text := "fn main() {}\n\nconst K: &str = r#\"" + block + "\"#;\n\nfn other() {}\n"
		out := NewReplacer().Apply(text, red.Find(text))
		if strings.Contains(out, body[3]) || !strings.Contains(out, "<SECRET:private-key>") {
			t.Errorf("not redacted:\n%s", out)
		}
	}
}

// TestManyFindings: one secret repeated thousands of times, and thousands
// of distinct ones, are all found, each place once.
func TestManyFindings(t *testing.T) {
	red, _ := New(Options{})
	rng := rand.New(rand.NewPCG(5, 5))
	tok := "ghp_" + random(rng, alnum, 36)
	text := strings.Repeat(`let t = "`+tok+`"; `, 4000)
	fs := red.Find(text)
	if len(fs) != 4000 {
		t.Errorf("%d findings of a secret written 4000 times", len(fs))
	}
	var b strings.Builder
	var found []string // the tokens gitleaks takes for secrets on their own
	for range 3000 {
		line := `let t = "ghp_` + random(rng, alnum, 36) + "\";\n"
		if len(red.Find(line)) == 1 {
			found = append(found, line[9:49])
		}
		b.WriteString(line)
	}
	out := NewReplacer().Apply(b.String(), red.Find(b.String()))
	for _, tok := range found {
		if strings.Contains(out, tok) {
			t.Errorf("%s is left", tok)
		}
	}
	if len(found) < 2900 || !strings.Contains(out, fmt.Sprintf("<SECRET:github-pat:%d>", len(found))) || strings.Contains(out, fmt.Sprintf("<SECRET:github-pat:%d>", len(found)+1)) {
		t.Errorf("%d tokens found alone; placeholders do not count them", len(found))
	}
}

// TestAdjacentAddresses: addresses side by side are each found; a URL's
// password stays a URL credential with --pii.
func TestAdjacentAddresses(t *testing.T) {
	red, _ := New(Options{PII: true})
	for text, want := range map[string]string{
		"10.1.2.3 10.1.2.4 10.1.2.5":                    "<PII:ip-address> <PII:ip-address:2> <PII:ip-address:3>",
		"a 10.1.2.3,10.1.2.4.":                          "a <PII:ip-address>,<PII:ip-address:2>.",
		"2001:4860::8888 2001:4860::8844":               "<PII:ip-address> <PII:ip-address:2>",
		"https://user:s3cr3tPassw0rd@host.io/x":         "https://user:<SECRET:url-credentials>@host.io/x",
		"postgres://admin:hunter2@db.internal:5432/app": "postgres://admin:<SECRET:url-credentials>@db.internal:5432/app",
		"v1.2.3.4.5 and 0.16.20 and std::io::Read":      "v1.2.3.4.5 and 0.16.20 and std::io::Read",
	} {
		if got := NewReplacer().Apply(text, red.Find(text)); got != want {
			t.Errorf("%q → %q, want %q", text, got, want)
		}
	}
}

// TestPlaceholdersAlreadyThere: a text redacted before numbers its new
// secrets after the placeholders it holds.
func TestPlaceholdersAlreadyThere(t *testing.T) {
	red, _ := New(Options{})
	tok := "ghp_" + random(rand.New(rand.NewPCG(9, 9)), alnum, 36)
	text := `old "<SECRET:github-pat>" new "` + tok + `"`
	if got := NewReplacer().Apply(text, red.Find(text)); got != `old "<SECRET:github-pat>" new "<SECRET:github-pat:2>"` {
		t.Errorf("got %s", got)
	}
}
