// Package robots parses robots.txt files and answers "may this product token
// fetch this URL?" exactly as RFC 9309 (the Robots Exclusion Protocol) says,
// with the behaviours of Google's reference parser (github.com/google/robotstxt)
// where the RFC leaves room: a missing colon is accepted, a user-agent value is
// read up to its first character outside [A-Za-z_-], lines are cut at 16,663
// bytes, and "Allow: /dir/index.html" also allows "/dir/".
//
// Parse never fails: every byte sequence is a robots.txt, possibly one with no
// rules. Lines that are not rules are kept as Records (Sitemap, Crawl-delay,
// Host, Content-Signal, Content-Usage, anything else) for the checks to read.
package robots

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxSize is the number of bytes of a robots.txt that are parsed (RFC 9309
// section 2.5: crawlers MUST parse at least 500 KiB). Bytes beyond it are
// ignored and Robots.Truncated is set.
const MaxSize = 500 << 10

// maxLineLen is the length at which Google's parser cuts a line (2083 * 8
// bytes, counting its terminating NUL).
const maxLineLen = 2083*8 - 1

// Kind says what a line of a robots.txt is.
type Kind int

// Line kinds.
const (
	// Unknown is a line with a key this package does not interpret (Host,
	// Content-Signal, Crawl-delay, ...). It is kept as a Record.
	Unknown Kind = iota
	UserAgent
	Allow
	Disallow
	Sitemap
)

func (k Kind) String() string {
	switch k {
	case UserAgent:
		return "user-agent"
	case Allow:
		return "allow"
	case Disallow:
		return "disallow"
	case Sitemap:
		return "sitemap"
	}
	return "unknown"
}

// Rule is one allow or disallow line of a group.
type Rule struct {
	Allow bool
	// Pattern is the path pattern with non-ASCII octets percent-encoded and
	// percent-escapes upper-cased, as it is matched.
	Pattern string
	// Line is the 1-based line number in the file.
	Line int
}

// Record is a key-value line that is not a user-agent, allow or disallow
// line: Sitemap, Crawl-delay, Host, Content-Signal, Content-Usage or any other.
type Record struct {
	// Key is the key as written (its case kept); compare it with
	// strings.EqualFold.
	Key   string
	Value string
	Line  int
	// Group is the index in Robots.Groups of the group the line appeared in,
	// or -1 for a line before the first user-agent line.
	Group int
}

// Group is a set of user-agent lines and the rules that follow them.
type Group struct {
	// Agents are the product tokens of the group's user-agent lines as
	// written (up to the first character outside [A-Za-z_-]); "*" is the
	// global group.
	Agents []string
	Rules  []Rule
	// Records are the other lines of the group (Crawl-delay, Content-Signal, ...).
	Records []Record
	// Line is the line of the group's first user-agent line.
	Line int
}

// Robots is a parsed robots.txt.
type Robots struct {
	Groups []Group
	// Records are every non-rule line of the file, in order, including those
	// also listed in a group's Records.
	Records []Record
	// Sitemaps are the values of the Sitemap lines, in order.
	Sitemaps []string
	// Truncated is set when the input was longer than MaxSize.
	Truncated bool
	// Size is the number of bytes that were parsed.
	Size int
	// Unknown counts the lines that had a key this package does not know
	// (including lines with no key at all that were not blank or comments).
	Unknown int
	// Directives counts the user-agent, allow, disallow and sitemap lines.
	Directives int
	// LastLine is the number of the last non-blank line.
	LastLine int

	allowAll, disallowAll bool
}

// AllowAll returns a Robots under which every URL may be fetched: what a
// crawler assumes when robots.txt is missing (a 4xx status).
func AllowAll() *Robots { return &Robots{allowAll: true} }

// DisallowAll returns a Robots under which no URL may be fetched: what a
// crawler assumes when robots.txt is unreachable (a 5xx or 429 status, or a
// network error).
func DisallowAll() *Robots { return &Robots{disallowAll: true} }

// IsAllowAll reports whether r is the result of AllowAll.
func (r *Robots) IsAllowAll() bool { return r.allowAll }

// IsDisallowAll reports whether r is the result of DisallowAll.
func (r *Robots) IsDisallowAll() bool { return r.disallowAll }

// ForStatus returns the policy that RFC 9309 section 2.3.1 assigns to a
// robots.txt fetched with the given final HTTP status and body: 2xx parses
// the body; 4xx (except 429) means "unavailable", so everything is allowed;
// 5xx, 429 and a status of 0 (a network error) mean "unreachable", so
// everything is disallowed. Redirects are the fetcher's job (follow at least
// five); a 3xx that reaches here was not resolved within that limit, and the
// RFC lets the crawler treat it as unavailable, so it allows everything.
func ForStatus(status int, body []byte) *Robots {
	switch {
	case status >= 200 && status < 300:
		return Parse(body)
	case status == 429:
		return DisallowAll()
	case status >= 300 && status < 500:
		return AllowAll()
	default:
		return DisallowAll()
	}
}

// Parse parses a robots.txt. It never fails; at most MaxSize bytes are read.
func Parse(data []byte) *Robots {
	r := &Robots{}
	if len(data) > MaxSize {
		data = data[:MaxSize]
		r.Truncated = true
	}
	r.Size = len(data)
	// A UTF-8 byte order mark, or any prefix of one, is skipped at the start.
	for _, b := range []byte{0xEF, 0xBB, 0xBF} {
		if len(data) == 0 || data[0] != b {
			break
		}
		data = data[1:]
	}
	p := parser{r: r, cur: -1}
	lineNum := 0
	for len(data) > 0 || lineNum == 0 {
		i := bytes.IndexAny(data, "\r\n")
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line = data[:i]
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		}
		lineNum++
		if len(line) > maxLineLen {
			line = line[:maxLineLen]
		}
		p.line(lineNum, string(line))
		if len(data) == 0 {
			break
		}
	}
	return r
}

type parser struct {
	r *Robots
	// cur is the index of the open group, -1 before the first user-agent line.
	cur int
	// seenRule is set after an allow or disallow line, so that the next
	// user-agent line opens a new group.
	seenRule bool
}

func (p *parser) line(num int, line string) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	p.r.LastLine = num
	key, value, ok := splitLine(line)
	if !ok {
		p.r.Unknown++
		return
	}
	kind := keyKind(key)
	switch kind {
	case UserAgent:
		p.r.Directives++
		if p.cur < 0 || p.seenRule {
			p.r.Groups = append(p.r.Groups, Group{Line: num})
			p.cur = len(p.r.Groups) - 1
			p.seenRule = false
		}
		g := &p.r.Groups[p.cur]
		g.Agents = append(g.Agents, agentToken(value))
	case Allow, Disallow:
		p.r.Directives++
		if p.cur < 0 {
			return // rules outside groups are ignored
		}
		p.seenRule = true
		if value == "" {
			return // an empty pattern matches nothing
		}
		g := &p.r.Groups[p.cur]
		pat := EscapePattern(value)
		g.Rules = append(g.Rules, Rule{Allow: kind == Allow, Pattern: pat, Line: num})
		// Google: "Allow: /dir/index.html" also allows "/dir/" exactly.
		if kind == Allow {
			if dir, ok := cutIndex(pat); ok {
				g.Rules = append(g.Rules, Rule{Allow: true, Pattern: dir + "$", Line: num})
			}
		}
	default:
		rec := Record{Key: key, Value: value, Line: num, Group: p.cur}
		if kind == Sitemap {
			p.r.Directives++
			p.r.Sitemaps = append(p.r.Sitemaps, value)
		} else {
			p.r.Unknown++
		}
		p.r.Records = append(p.r.Records, rec)
		if p.cur >= 0 && kind != Sitemap {
			p.r.Groups[p.cur].Records = append(p.r.Groups[p.cur].Records, rec)
		}
	}
}

func cutIndex(pat string) (string, bool) {
	for _, idx := range []string{"/index.html", "/index.htm"} {
		if dir, ok := strings.CutSuffix(pat, idx); ok {
			return dir + "/", true
		}
	}
	return "", false
}

// splitLine splits "key: value". Google's parser also accepts "key value"
// when the value is a single word ("disallow /").
func splitLine(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, ':'); i >= 0 {
		key = strings.TrimSpace(line[:i])
		value = strings.TrimSpace(line[i+1:])
		return key, value, key != ""
	}
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return "", "", false
	}
	key = line[:i]
	value = strings.TrimSpace(line[i+1:])
	if value == "" || strings.ContainsAny(value, " \t") {
		return "", "", false
	}
	return key, value, true
}

// keyKind maps a key to its kind, accepting the typos Google's parser accepts.
func keyKind(key string) Kind {
	switch strings.ToLower(key) {
	case "user-agent", "useragent", "user agent":
		return UserAgent
	case "allow":
		return Allow
	case "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw":
		return Disallow
	case "sitemap", "site-map":
		return Sitemap
	}
	return Unknown
}

// agentToken returns the product token of a user-agent line's value: "*"
// for the global group (a "*" followed by nothing or whitespace), otherwise
// the prefix made of [A-Za-z_-].
func agentToken(v string) string {
	if strings.HasPrefix(v, "*") && (len(v) == 1 || v[1] == ' ' || v[1] == '\t') {
		return "*"
	}
	i := 0
	for i < len(v) && isTokenByte(v[i]) {
		i++
	}
	return v[:i]
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
}

// ValidProductToken reports whether s is a product token that a crawler can
// obey: non-empty and made only of [A-Za-z_-] (RFC 9309 section 2.2.1).
func ValidProductToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// ProductToken returns the product token of a full User-Agent header value:
// its prefix made of [A-Za-z_-] ("agentready/1.0 (+https://...)" gives
// "agentready"; "Mozilla/5.0 (compatible; GPTBot/1.1)" gives "Mozilla", so
// pass crawler tokens, not browser strings, where it matters).
func ProductToken(userAgent string) string {
	i := 0
	for i < len(userAgent) && isTokenByte(userAgent[i]) {
		i++
	}
	return userAgent[:i]
}

const hexDigits = "0123456789ABCDEF"

// EscapePattern percent-encodes the octets of p outside US-ASCII and
// upper-cases the hex digits of existing percent-escapes, as RFC 9309
// section 2.2.2 requires before comparison. Other characters are kept.
func EscapePattern(p string) string {
	need := false
	for i := 0; i < len(p); i++ {
		if p[i] >= 0x80 || p[i] == '%' && i+2 < len(p) && (isLowerHex(p[i+1]) || isLowerHex(p[i+2])) {
			need = true
			break
		}
	}
	if !need {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
			b.WriteByte('%')
			b.WriteByte(upper(p[i+1]))
			b.WriteByte(upper(p[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
func isLowerHex(c byte) bool { return c >= 'a' && c <= 'f' }
func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// PathOf returns the part of a URL that rules are matched against: the path,
// params and query, without the fragment, "/" when empty. It follows Google's
// GetPathParamsQuery, so it also accepts URLs without a scheme. The URL is used
// as it is, so callers pass normalised, percent-encoded URLs.
func PathOf(rawURL string) string {
	u := rawURL
	searchStart := 0
	if strings.HasPrefix(u, "//") {
		searchStart = 2
	}
	earlyPath := indexAnyFrom(u, "/?;", searchStart)
	protoEnd := strings.Index(u[searchStart:], "://")
	if protoEnd >= 0 {
		protoEnd += searchStart
	}
	if earlyPath >= 0 && (protoEnd < 0 || earlyPath < protoEnd) {
		protoEnd = -1
	}
	if protoEnd < 0 {
		protoEnd = searchStart
	} else {
		protoEnd += 3
	}
	pathStart := indexAnyFrom(u, "/?;", protoEnd)
	if pathStart < 0 {
		return "/"
	}
	hash := strings.IndexByte(u[searchStart:], '#')
	if hash >= 0 {
		hash += searchStart
		if hash < pathStart {
			return "/"
		}
	}
	pathEnd := len(u)
	if hash >= 0 {
		pathEnd = hash
	}
	if u[pathStart] != '/' {
		return "/" + u[pathStart:pathEnd]
	}
	return u[pathStart:pathEnd]
}

func indexAnyFrom(s, chars string, from int) int {
	if from > len(s) {
		return -1
	}
	i := strings.IndexAny(s[from:], chars)
	if i < 0 {
		return -1
	}
	return i + from
}

// Verdict is the answer to "may this agent fetch this URL?", with the rule
// that decided it.
type Verdict struct {
	Allowed bool `json:"allowed"`
	// Group is "*", a product token, or "" when no group applied.
	Group string `json:"group,omitempty"`
	// Rule is the deciding rule ("disallow: /private"), empty when no rule
	// matched (the URL is allowed by default).
	Rule string `json:"rule,omitempty"`
	// Line is the deciding rule's line, 0 when none.
	Line int `json:"line,omitempty"`
}

// Allowed reports whether the product token agent may fetch rawURL.
func (r *Robots) Allowed(agent, rawURL string) bool {
	return r.Check(agent, rawURL).Allowed
}

// Check answers whether the product token agent may fetch rawURL, and why.
// Groups are selected by token case-insensitively, all groups naming the
// token are merged, and the global "*" groups apply only when none names
// it. Among the rules of the selected groups, the longest matching pattern
// wins, and Allow wins a tie.
func (r *Robots) Check(agent, rawURL string) Verdict {
	if r.allowAll {
		return Verdict{Allowed: true}
	}
	if r.disallowAll {
		return Verdict{Allowed: false, Group: "*", Rule: "robots.txt unreachable: disallow all"}
	}
	path := PathOf(rawURL)
	if path == "/robots.txt" {
		// RFC 9309 section 2.2.2: "The /robots.txt URI is implicitly allowed."
		return Verdict{Allowed: true, Rule: "implicit: /robots.txt"}
	}
	group := ""
	var selected []*Group
	if agent != "" {
		for i := range r.Groups {
			g := &r.Groups[i]
			if slices.ContainsFunc(g.Agents, func(a string) bool { return a != "*" && strings.EqualFold(a, agent) }) {
				selected = append(selected, g)
			}
		}
	}
	if len(selected) > 0 {
		group = agent
	} else {
		for i := range r.Groups {
			g := &r.Groups[i]
			if slices.Contains(g.Agents, "*") {
				selected = append(selected, g)
			}
		}
		if len(selected) > 0 {
			group = "*"
		}
	}
	var best *Rule
	for _, g := range selected {
		for i := range g.Rules {
			rl := &g.Rules[i]
			if !Match(rl.Pattern, path) {
				continue
			}
			if best == nil || len(rl.Pattern) > len(best.Pattern) ||
				len(rl.Pattern) == len(best.Pattern) && rl.Allow && !best.Allow {
				best = rl
			}
		}
	}
	if best == nil {
		return Verdict{Allowed: true, Group: group}
	}
	kind := "disallow"
	if best.Allow {
		kind = "allow"
	}
	return Verdict{Allowed: best.Allow, Group: group, Rule: kind + ": " + best.Pattern, Line: best.Line}
}

// Match reports whether pattern matches a prefix of path, where "*" matches
// any run of characters and a final "$" anchors the end.
func Match(pattern, path string) bool {
	// Fast path: no wildcards.
	if !strings.ContainsAny(pattern, "*$") {
		return strings.HasPrefix(path, pattern)
	}
	// pos holds the sorted set of path offsets reachable after matching a
	// prefix of the pattern (Google's algorithm, linear in
	// len(pattern)*len(path)).
	pos := make([]int, 1, len(path)+1)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '$' && i+1 == len(pattern) {
			return pos[len(pos)-1] == len(path)
		}
		if c == '*' {
			first := pos[0]
			pos = pos[:0]
			for j := first; j <= len(path); j++ {
				pos = append(pos, j)
			}
			continue
		}
		n := 0
		for _, j := range pos {
			if j < len(path) && path[j] == c {
				pos[n] = j + 1
				n++
			}
		}
		if n == 0 {
			return false
		}
		pos = pos[:n]
	}
	return true
}

// CrawlDelay returns the Crawl-delay of the group that applies to agent, if
// any (a non-standard record; fractional seconds are accepted).
func (r *Robots) CrawlDelay(agent string) (time.Duration, bool) {
	var specific, global *Group
	for i := range r.Groups {
		g := &r.Groups[i]
		for _, a := range g.Agents {
			if a == "*" && global == nil && hasKey(g, "crawl-delay") {
				global = g
			} else if a != "*" && strings.EqualFold(a, agent) && specific == nil && hasKey(g, "crawl-delay") {
				specific = g
			}
		}
	}
	g := specific
	if g == nil {
		// The global group applies only when no group names the agent.
		for i := range r.Groups {
			if slices.ContainsFunc(r.Groups[i].Agents, func(a string) bool { return a != "*" && strings.EqualFold(a, agent) }) {
				return 0, false
			}
		}
		g = global
	}
	if g == nil {
		return 0, false
	}
	for _, rec := range g.Records {
		if strings.EqualFold(rec.Key, "crawl-delay") {
			f, err := strconv.ParseFloat(rec.Value, 64)
			if err != nil || f < 0 || f > 86400 {
				return 0, false
			}
			return time.Duration(f * float64(time.Second)), true
		}
	}
	return 0, false
}

func hasKey(g *Group, key string) bool {
	return slices.ContainsFunc(g.Records, func(r Record) bool { return strings.EqualFold(r.Key, key) })
}
