package ir

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// goReserved are Go's keywords and predeclared identifiers. Names are
// PascalCase, so only the capitalised forms could collide, but the set is kept
// whole so that Camel stays safe too.
var goReserved = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`break case chan const continue default defer else fallthrough for func go goto
		if import interface map package range return select struct switch type var
		any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string
		uint uint8 uint16 uint32 uint64 uintptr true false iota nil append cap clear close complex copy delete imag
		len make max min new panic print println real recover`) {
		m[s] = true
	}
	return m
}()

// otherReserved are keywords of the other target languages (TypeScript,
// Python) whose capitalised form is also reserved there.
var otherReserved = map[string]bool{"None": true, "True": true, "False": true}

// commonInitialisms are written in upper case inside identifiers, as Go does:
// golint's list and the ones staticcheck's ST1003 adds (GID, JWT, OS, ...).
// A plural of one keeps a lower-case s ("ids" -> IDs, "urls" -> URLs).
var commonInitialisms = map[string]bool{
	"ACL": true, "AMQP": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DB": true, "DNS": true,
	"EOF": true, "GID": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true,
	"JSON": true, "JWT": true, "LHS": true, "OS": true, "QPS": true, "RAM": true, "RHS": true, "RPC": true,
	"RTP": true, "SIP": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true,
	"TTL": true, "UDP": true, "UI": true, "UID": true, "URI": true, "URL": true, "UTF8": true, "UUID": true,
	"VM": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true,
}

// initialism returns w as Go writes it inside an identifier when w is a
// common initialism or the plural of one ("Ids" -> "IDs"), else "".
func initialism(w string) string {
	up := strings.ToUpper(w)
	if commonInitialisms[up] {
		return up
	}
	if n := len(w); n > 2 && w[n-1] == 's' && commonInitialisms[up[:n-1]] {
		return up[:n-1] + "s"
	}
	return ""
}

// Words splits s into words at punctuation, spaces, case changes
// ("HTTPServer" -> HTTP, Server) and letter/digit boundaries after a word.
// Letters with diacritics lose them; other non-ASCII letters and digits become
// a word "U" + hex code point, so results are ASCII and deterministic.
func Words(s string) []string {
	if !isASCII(s) {
		s = norm.NFKD.String(s)
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if len(cur) > 0 {
				prev := cur[len(cur)-1]
				lowerToUpper := unicode.IsLower(prev) && unicode.IsUpper(r)
				digitToLetter := unicode.IsDigit(prev) && unicode.IsLetter(r) && unicode.IsUpper(r)
				acronymEnd := unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && rs[i+1] < 128 && unicode.IsLower(rs[i+1]) &&
					!pluralInitialism(cur, r, rs[i+1:])
				if lowerToUpper || digitToLetter || acronymEnd {
					flush()
				}
			}
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flush()
			words = append(words, fmt.Sprintf("U%04X", r))
		default:
			flush()
		}
	}
	flush()
	return words
}

// pluralInitialism reports whether the upper-case run cur+r followed by
// rest is an initialism's plural ending a word ("IDs" in "UserIDsList"), which
// stays one word rather than splitting as "I", "Ds".
func pluralInitialism(cur []rune, r rune, rest []rune) bool {
	if rest[0] != 's' || (len(rest) > 1 && rest[1] < 128 && unicode.IsLower(rest[1])) {
		return false
	}
	return commonInitialisms[string(cur)+string(r)]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Pascal joins words into a PascalCase identifier, upper-casing common
// initialisms. It returns "" when there are no words.
func Pascal(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if in := initialism(w); in != "" {
			b.WriteString(in)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	return b.String()
}

// Ident turns any spec string into a PascalCase identifier; fallback is used
// when s has no letters or digits. An identifier that would start with a digit
// is prefixed with "N", and one that is reserved gets a trailing underscore.
func Ident(s, fallback string) string {
	id := Pascal(Words(s))
	if id == "" {
		id = fallback
	}
	if id == "" {
		return ""
	}
	if id[0] >= '0' && id[0] <= '9' {
		id = "N" + id
	}
	if goReserved[id] || otherReserved[id] {
		id += "_"
	}
	return id
}

// Camel returns name with its first word in lower case ("PetID" -> "petID",
// "HTTPServer" -> "httpServer"), suffixed by "_" when that is a Go keyword or
// predeclared name.
func Camel(name string) string {
	ws := Words(name)
	if len(ws) == 0 {
		return name
	}
	ws[0] = strings.ToLower(ws[0])
	var b strings.Builder
	b.WriteString(ws[0])
	b.WriteString(Pascal(ws[1:]))
	out := b.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "n" + out
	}
	if goReserved[out] {
		out += "_"
	}
	return out
}

// Snake returns name in snake_case ("PetID" -> "pet_id").
func Snake(name string) string {
	ws := Words(name)
	for i := range ws {
		ws[i] = strings.ToLower(ws[i])
	}
	return strings.Join(ws, "_")
}

// Namespace hands out unique identifiers. A name already taken gets the
// smallest numeric suffix (2, 3, ...) that is free, so the outcome depends only
// on the order of claims, which the builder keeps deterministic.
type Namespace struct {
	taken map[string]bool
}

// NewNamespace returns a namespace in which reserved names are already taken.
func NewNamespace(reserved ...string) *Namespace {
	ns := &Namespace{taken: map[string]bool{}}
	for _, r := range reserved {
		ns.taken[r] = true
	}
	return ns
}

// Claim reserves and returns the first free identifier built from want.
func (ns *Namespace) Claim(want string) string {
	if !ns.taken[want] {
		ns.taken[want] = true
		return want
	}
	for i := 2; ; i++ {
		c := want + strconv.Itoa(i)
		if !ns.taken[c] {
			ns.taken[c] = true
			return c
		}
	}
}

// Taken reports whether name is in use.
func (ns *Namespace) Taken(name string) bool { return ns.taken[name] }

// enumValueWord turns an enum value into the word appended to its type name.
func enumValueWord(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "Empty"
		}
		s := x
		if strings.HasPrefix(s, "-") {
			s = "minus " + s[1:]
		} else if strings.HasPrefix(s, "+") {
			s = "plus " + s[1:]
		}
		id := Pascal(Words(s))
		if id == "" {
			return "Value"
		}
		return id
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		if x < 0 {
			return "Minus" + strconv.FormatInt(-x, 10)
		}
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		s = strings.ReplaceAll(s, ".", "_")
		if strings.HasPrefix(s, "-") {
			return "Minus" + s[1:]
		}
		return s
	}
	return "Value"
}
