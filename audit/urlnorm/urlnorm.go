// Package urlnorm normalises URLs so that the crawler fetches each page once
// and matches robots.txt rules against a canonical form (RFC 3986 section 6:
// case, percent-encoding and path-segment normalisation, plus the scheme
// rules for http and https).
package urlnorm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrScheme is returned for references that are not http or https URLs
// (javascript:, mailto:, tel:, data:, ...).
var ErrScheme = errors.New("not an http or https URL")

// maxLen bounds the URLs the crawler accepts; longer ones are almost always
// traps (session IDs appended forever) and no server accepts them anyway.
const maxLen = 8 << 10

// Parse normalises an absolute URL.
func Parse(raw string) (*url.URL, error) {
	return Resolve(nil, raw)
}

// String normalises an absolute URL and returns it as a string.
func String(raw string) (string, error) {
	u, err := Parse(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Resolve resolves ref (an href as written in a page) against base and
// normalises the result: the scheme and host are lower-cased and the host
// converted to its ASCII (punycode) form; default ports, userinfo and the
// fragment are dropped; percent-escapes are upper-cased, escapes of
// unreserved characters decoded, and other characters that must be escaped
// are; dot segments are removed; an empty path becomes "/". An empty query
// is kept ("/a?" stays "/a?"): RFC 9309 matches robots.txt rules against
// the path and query as given, and "Disallow: /search?" must still apply
// (Key is the crawler's identity of a page, which drops it). Only http and
// https URLs are accepted. base may be nil when ref is absolute.
func Resolve(base *url.URL, ref string) (*url.URL, error) {
	if len(ref) > maxLen {
		return nil, fmt.Errorf("URL longer than %d bytes", maxLen)
	}
	// Browsers strip leading and trailing C0 controls and spaces, and
	// remove tabs and newlines anywhere (WHATWG URL parsing).
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(ref, "\t\n\r") {
		ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	}
	ref = strings.ReplaceAll(ref, "\\", "/")
	ref = fixPercent(ref)
	r, err := url.Parse(ref)
	if err != nil {
		return nil, err
	}
	u := r
	if base != nil {
		u = base.ResolveReference(r)
	}
	if u.Scheme = strings.ToLower(u.Scheme); u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return nil, fmt.Errorf("%q: relative URL without a base", ref)
		}
		return nil, fmt.Errorf("%s: %w", u.Scheme, ErrScheme)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("%q: opaque URL", ref)
	}
	host, err := normHost(u)
	if err != nil {
		return nil, err
	}
	out := &url.URL{Scheme: u.Scheme, Host: host}
	p := removeDotSegments(normEscapes(u.EscapedPath(), pathChars))
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	out.RawPath = p
	out.Path, err = url.PathUnescape(p)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" {
		out.RawQuery = normEscapes(u.RawQuery, queryChars)
	} else {
		out.ForceQuery = u.ForceQuery
	}
	if len(out.RawPath)+len(out.RawQuery) > maxLen {
		return nil, fmt.Errorf("URL longer than %d bytes once escaped", maxLen)
	}
	return out, nil
}

// fixPercent escapes "%" signs that do not start a valid escape, which
// browsers keep as they are and url.Parse rejects.
func fixPercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func normHost(u *url.URL) (string, error) {
	h := u.Hostname()
	port := u.Port()
	if h == "" {
		return "", errors.New("URL has no host")
	}
	if strings.Contains(h, ":") { // IPv6 literal
		ip := net.ParseIP(h)
		if ip == nil {
			return "", fmt.Errorf("bad IPv6 host %q", h)
		}
		if v4 := ip.To4(); v4 != nil {
			// net.IP prints an IPv4-mapped address as IPv4, which is no
			// IPv6 literal ("[127.0.0.1]" does not parse); WHATWG URL
			// writes it in hex.
			h = fmt.Sprintf("[::ffff:%x:%x]", uint16(v4[0])<<8|uint16(v4[1]), uint16(v4[2])<<8|uint16(v4[3]))
		} else {
			h = "[" + ip.String() + "]"
		}
	} else {
		h = strings.ToLower(h)
		if h == "." || h[0] == '.' || strings.Contains(h, "..") {
			return "", fmt.Errorf("bad host %q: empty label", u.Hostname())
		}
		h = strings.TrimSuffix(h, ".") // the root label: example.com. is example.com
		if h == "" {
			return "", fmt.Errorf("bad host %q", u.Hostname())
		}
		a, err := h, error(nil)
		if !plainHost(h) {
			a, err = idna.Lookup.ToASCII(h)
		}
		if err != nil {
			// Hosts with underscores and the like are common on the web;
			// keep the lower-cased form when it is plain ASCII.
			if !looseHost(h) {
				return "", fmt.Errorf("bad host %q: %v", h, err)
			}
			a = h
		}
		if a != h {
			// IDNA maps some code points to nothing (U+034F, soft
			// hyphens, joiners) and others to dots (U+3002): the mapped
			// host must pass the checks above again.
			a = strings.TrimSuffix(a, ".")
			if a == "" || a[0] == '.' || strings.Contains(a, "..") {
				return "", fmt.Errorf("bad host %q: empty label once mapped (IDNA)", u.Hostname())
			}
		}
		h = a
	}
	if port == "" || u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		return h, nil
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return "", fmt.Errorf("bad port %q", port)
		}
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("bad port %q", port)
	}
	if u.Scheme == "http" && n == 80 || u.Scheme == "https" && n == 443 {
		return h, nil
	}
	return h + ":" + strconv.Itoa(n), nil
}

// plainHost reports whether h is already a valid lower-case ASCII host
// name (letters, digits and inner hyphens, labels of 1 to 63 bytes), for
// which IDNA processing is the identity; most hosts are.
func plainHost(h string) bool {
	if len(h) == 0 || len(h) > 253 {
		return false
	}
	label := 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			label++
		case c == '-' && label > 0 && i+1 < len(h) && h[i+1] != '.':
			label++
		case c == '.' && label > 0:
			label = 0
			continue
		default:
			return false
		}
		if label > 63 {
			return false
		}
	}
	// "xn--" labels are punycode; let IDNA validate them.
	return label > 0 && !strings.Contains(h, "xn--")
}

// looseHost reports whether h is made of the characters real host names
// use even where IDNA refuses them (underscores, odd hyphens).
func looseHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

const (
	// pathChars are the characters kept as they are in a path besides the
	// unreserved ones (RFC 3986 pchar and "/").
	pathChars = "!$&'()*+,;=:@/"
	// queryChars are those kept in a query.
	queryChars = pathChars + "?"
)

const hexDigits = "0123456789ABCDEF"

// normEscapes upper-cases percent-escapes, decodes those of unreserved
// characters and escapes every byte that is neither unreserved nor in keep.
func normEscapes(s, keep string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved(c) && strings.IndexByte(keep, c) < 0 {
			clean = false // a "%" or a byte to escape
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(d) {
				b.WriteByte(d)
			} else {
				b.WriteByte('%')
				b.WriteByte(hexDigits[d>>4])
				b.WriteByte(hexDigits[d&15])
			}
			i += 2
		case unreserved(c) || strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// removeDotSegments implements RFC 3986 section 5.2.4.
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") && !strings.HasPrefix(p, ".") {
		return p // no segment starts with a dot
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// Format returns a URL from Resolve or Parse as a string, like u.String()
// but without re-validating the escaping Resolve already normalised.
func Format(u *url.URL) string {
	if u.RawPath == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return u.String()
	}
	if u.RawQuery == "" {
		if u.ForceQuery {
			return u.Scheme + "://" + u.Host + u.RawPath + "?"
		}
		return u.Scheme + "://" + u.Host + u.RawPath
	}
	return u.Scheme + "://" + u.Host + u.RawPath + "?" + u.RawQuery
}

// Key is the identity of a normalised URL (Format's form) for fetching:
// the URL without an empty query. Servers answer /a and /a? alike, so the
// crawler fetches one of them, while robots.txt is asked about each form
// as written (Resolve keeps the "?").
func Key(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 && i == len(s)-1 {
		return s[:i]
	}
	return s
}

// Origin returns "scheme://host[:port]" of a normalised URL.
func Origin(u *url.URL) string { return u.Scheme + "://" + u.Host }

// Domain returns the registrable domain of a host (example.co.uk for
// www.example.co.uk), or the host itself for IP addresses, localhost and
// hosts that are public suffixes.
func Domain(host string) string {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if net.ParseIP(h) != nil {
		return h
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}
