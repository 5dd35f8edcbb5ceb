package urlnorm

import (
	"errors"
	"net/url"
	"testing"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://Example.com/docs/guide/index.html")
	for _, c := range []struct{ ref, want string }{
		{"intro.html", "https://example.com/docs/guide/intro.html"},
		{"../api/", "https://example.com/docs/api/"},
		{"./a/./b/../c", "https://example.com/docs/guide/a/c"},
		{"/x#frag", "https://example.com/x"},
		{"#only-fragment", "https://example.com/docs/guide/index.html"},
		{"HTTPS://EXAMPLE.COM:443/A", "https://example.com/A"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/", "http://example.com:8080/"},
		{"https://example.com:/a", "https://example.com/a"},
		{"https://user:pw@example.com/a", "https://example.com/a"},
		{"/%7euser/%41b%2fc%3f", "https://example.com/~user/Ab%2Fc%3F"},
		{"/a%2fb", "https://example.com/a%2Fb"},
		{"/caf\u00e9", "https://example.com/caf%C3%A9"},
		{"/a b", "https://example.com/a%20b"},
		{"/100%", "https://example.com/100%25"},
		{"/q?b=2&a=1#x", "https://example.com/q?b=2&a=1"},
		{"/q?x=%7e%2f", "https://example.com/q?x=~%2F"},
		{"/q?", "https://example.com/q?"}, // kept for robots.txt (RFC 9309 matches the query as given)
		{"/q?#x", "https://example.com/q?"},
		{"?", "https://example.com/docs/guide/index.html?"},
		{"/q??", "https://example.com/q??"},
		{"http://example.com?", "http://example.com/?"},
		{"  /trim\n  ", "https://example.com/trim"},
		{"/a\tb", "https://example.com/ab"},
		{"//cdn.example.com/x", "https://cdn.example.com/x"},
		{"https://b\u00fccher.example/", "https://xn--bcher-kva.example/"},
		{"https://example.com./a", "https://example.com/a"},
		{"http://[::1]:80/", "http://[::1]/"},
		{"http://[::ffff:127.0.0.1]:8080/", "http://[::ffff:7f00:1]:8080/"}, // IPv4-mapped, as WHATWG URL writes it
		{"/a/%2e%2e/b", "https://example.com/b"},
		{"\\windows\\path", "https://example.com/windows/path"},
	} {
		u, err := Resolve(base, c.ref)
		if err != nil {
			t.Errorf("Resolve(%q): %v", c.ref, err)
			continue
		}
		if got := u.String(); got != c.want {
			t.Errorf("Resolve(%q) = %q, want %q", c.ref, got, c.want)
		}
	}
}

// TestKey: the fetch identity drops an empty query only, so that /a and
// /a? are one page to the crawler while Resolve keeps the "?" for
// robots.txt.
func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/a?":    "https://example.com/a",
		"https://example.com/a":     "https://example.com/a",
		"https://example.com/a?b=1": "https://example.com/a?b=1",
		"https://example.com/a??":   "https://example.com/a??",
		"https://example.com/?":     "https://example.com/",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRejects(t *testing.T) {
	base, _ := url.Parse("https://example.com/")
	for _, ref := range []string{"javascript:alert(1)", "mailto:a@example.com", "tel:+1", "data:text/html,x", "ftp://example.com/"} {
		if _, err := Resolve(base, ref); !errors.Is(err, ErrScheme) {
			t.Errorf("Resolve(%q) err = %v, want ErrScheme", ref, err)
		}
	}
	for _, ref := range []string{"relative", "http://", "https://example.com:x/"} {
		if _, err := Parse(ref); err == nil {
			t.Errorf("Parse(%q) should fail", ref)
		}
	}
}

func TestDomain(t *testing.T) {
	for in, want := range map[string]string{
		"www.example.co.uk": "example.co.uk", "docs.example.com:8443": "example.com",
		"127.0.0.1:8080": "127.0.0.1", "localhost": "localhost", "[::1]:80": "::1",
	} {
		if got := Domain(in); got != want {
			t.Errorf("Domain(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"../a/./b?c=%7e#d", "HTTP://X.COM:80/%zz", "//h/\u00e9 x", "javascript:x", "/a/%2E%2E/%2e/", "http://[::1]:0/", "https://a_b.example/", "http://[::ffff:127.0.0.1]/", "http://[::FFFF:7f00:1]:8080/x", "/questions/ask?", "/a??#b", "?"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://example.com/dir/page")
	f.Fuzz(func(t *testing.T, ref string) {
		u, err := Resolve(base, ref)
		if err != nil {
			return
		}
		s := u.String()
		if f := Format(u); f != s {
			t.Fatalf("Format(%q) = %q, String() = %q", ref, f, s)
		}
		u2, err := Parse(s)
		if err != nil {
			t.Fatalf("normalised %q -> %q does not parse: %v", ref, s, err)
		}
		if s2 := u2.String(); s2 != s {
			t.Fatalf("not idempotent: %q -> %q -> %q", ref, s, s2)
		}
		// The fetch identity is normalised too, and differs from the URL
		// only by an empty query.
		k := Key(s)
		if k != s && k+"?" != s {
			t.Fatalf("Key(%q) = %q", s, k)
		}
		if u3, err := Parse(k); err != nil || u3.String() != k {
			t.Fatalf("Key(%q) = %q does not normalise to itself: %v", s, k, err)
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	base, _ := url.Parse("https://www.example.com/docs/guide/index.html")
	refs := []string{"/p/123.html", "../api/", "https://cdn.example.com/a.js", "section-2.html#top", "/search?q=robots+txt"}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range refs {
			if u, err := Resolve(base, r); err == nil {
				_ = u.String()
			}
		}
	}
}
