package specload

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v4"
)

// kin-openapi decodes JSON through its YAML parser: on GitHub's 13 MB spec
// libyaml's scanner is four fifths of the load. Its types decode from the
// parser's node tree (their UnmarshalYAML methods), so loadJSONFast builds
// that tree from the JSON itself, with a JSON tokenizer, and hands it to
// them: the same decoders on the same tree, without the YAML scanner.
//
// The tree is what the YAML parser makes of JSON: double-quoted string
// scalars tagged !!str, numbers tagged !!int or !!float as YAML resolves
// them, !!bool, !!null, flow mappings and sequences. Whatever the two could
// read differently is left to kin-openapi: a document that is not strict
// JSON or not valid UTF-8, that holds a character YAML breaks lines on
// (U+0085, U+2028, U+2029), an escaped UTF-16 surrogate, a duplicate key, a
// number out of float64's range, or a $ref to another document; and any
// decode error, so that errors are worded as before.

// errNotFast says that a document is left to kin-openapi's own load.
var errNotFast = errors.New("not for the fast JSON path")

// loadJSONFast decodes and resolves a JSON spec whose $refs are all local.
func loadJSONFast(loader *openapi3.Loader, data []byte) (*openapi3.T, error) {
	if !utf8.Valid(data) || bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029")) {
		return nil, errNotFast
	}
	p := &jsonTree{b: data}
	root, ok := p.document()
	if !ok {
		return nil, errNotFast
	}
	doc := &openapi3.T{}
	if err := root.Decode(doc); err != nil {
		return nil, errNotFast
	}
	if err := loader.ResolveRefsIn(doc, nil); err != nil {
		return nil, errNotFast
	}
	return doc, nil
}

// jsonTree builds a yaml.Node tree from strict JSON.
type jsonTree struct {
	b    []byte
	i    int
	slab []yaml.Node
	bad  bool
}

const maxJSONDepth = 10000

func (p *jsonTree) node() *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = make([]yaml.Node, 4096)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	return n
}

func (p *jsonTree) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonTree) document() (*yaml.Node, bool) {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, false
	}
	top := p.value(0)
	p.ws()
	if p.bad || top == nil || p.i != len(p.b) {
		return nil, false
	}
	doc := p.node()
	doc.Kind, doc.Content = yaml.DocumentNode, []*yaml.Node{top}
	return doc, true
}

func (p *jsonTree) value(depth int) *yaml.Node {
	p.ws()
	if p.i >= len(p.b) || depth > maxJSONDepth {
		p.bad = true
		return nil
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			p.bad = true
			return nil
		}
		n := p.node()
		n.Kind, n.Style, n.Tag, n.Value = yaml.ScalarNode, yaml.DoubleQuotedStyle, "!!str", s
		return n
	case c == 't':
		return p.literal("true", "!!bool")
	case c == 'f':
		return p.literal("false", "!!bool")
	case c == 'n':
		return p.literal("null", "!!null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	p.bad = true
	return nil
}

func (p *jsonTree) literal(word, tag string) *yaml.Node {
	if !bytes.HasPrefix(p.b[p.i:], []byte(word)) {
		p.bad = true
		return nil
	}
	p.i += len(word)
	n := p.node()
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, tag, word
	return n
}

// number reads a JSON number and tags it as YAML resolves the same plain
// scalar: an integer that fits int64 or uint64 is !!int (but -0), any other number
// !!float (one that overflows float64 is left to kin-openapi, which
// refuses infinities).
func (p *jsonTree) number() *yaml.Node {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		s := p.i
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
		return p.i - s
	}
	intStart := p.i
	n := digits()
	if n == 0 || n > 1 && p.b[intStart] == '0' {
		p.bad = true
		return nil
	}
	isInt := true
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			p.bad = true
			return nil
		}
		isInt = false
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			p.bad = true
			return nil
		}
		isInt = false
	}
	lit := string(p.b[start:p.i])
	tag := "!!float"
	if isInt && lit != "-0" { // YAML keeps -0 a float, for its sign
		if _, err := strconv.ParseInt(lit, 10, 64); err == nil {
			tag = "!!int"
		} else if _, err := strconv.ParseUint(lit, 10, 64); err == nil {
			tag = "!!int"
		}
	}
	if tag == "!!float" {
		if f, err := strconv.ParseFloat(lit, 64); err != nil || math.IsInf(f, 0) {
			p.bad = true
			return nil
		}
	}
	nd := p.node()
	nd.Kind, nd.Tag, nd.Value = yaml.ScalarNode, tag, lit
	return nd
}

// str reads a JSON string at p.i and returns its value.
func (p *jsonTree) str() (string, bool) {
	p.i++ // the opening quote
	start := p.i
	esc := false
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			raw := p.b[start:p.i]
			p.i++
			if !esc {
				return string(raw), true
			}
			return unescapeJSON(p.b[start-1 : p.i])
		case c == '\\':
			esc = true
			if p.i+1 >= len(p.b) {
				return "", false
			}
			if e := p.b[p.i+1]; e == 'u' {
				// A UTF-16 surrogate (\uD83D): YAML and JSON may read it
				// differently.
				if p.i+5 < len(p.b) && (p.b[p.i+2] == 'd' || p.b[p.i+2] == 'D') && bytes.IndexByte([]byte("89abcdefABCDEF"), p.b[p.i+3]) >= 0 {
					return "", false
				}
			}
			p.i += 2
		case c < 0x20:
			return "", false
		default:
			p.i++
		}
	}
	return "", false
}

func unescapeJSON(quoted []byte) (string, bool) {
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return "", false
	}
	return s, true
}

func (p *jsonTree) object(depth int) *yaml.Node {
	p.i++ // {
	n := p.node()
	n.Kind, n.Style, n.Tag = yaml.MappingNode, yaml.FlowStyle, "!!map"
	var seen map[string]struct{}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return n
	}
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			p.bad = true
			return nil
		}
		key, ok := p.str()
		if !ok {
			p.bad = true
			return nil
		}
		// Duplicate keys: YAML refuses them, and kin-openapi then reads the
		// document as JSON, last one winning.
		if len(n.Content) < 16 {
			for i := 0; i < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					p.bad = true
					return nil
				}
			}
		} else {
			if seen == nil {
				seen = make(map[string]struct{}, len(n.Content))
				for i := 0; i < len(n.Content); i += 2 {
					seen[n.Content[i].Value] = struct{}{}
				}
			}
			if _, dup := seen[key]; dup {
				p.bad = true
				return nil
			}
			seen[key] = struct{}{}
		}
		k := p.node()
		k.Kind, k.Style, k.Tag, k.Value = yaml.ScalarNode, yaml.DoubleQuotedStyle, "!!str", key
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			p.bad = true
			return nil
		}
		p.i++
		v := p.value(depth + 1)
		if p.bad {
			return nil
		}
		n.Content = append(n.Content, k, v)
		p.ws()
		if p.i >= len(p.b) {
			p.bad = true
			return nil
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return n
		default:
			p.bad = true
			return nil
		}
	}
}

func (p *jsonTree) array(depth int) *yaml.Node {
	p.i++ // [
	n := p.node()
	n.Kind, n.Style, n.Tag = yaml.SequenceNode, yaml.FlowStyle, "!!seq"
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return n
	}
	for {
		v := p.value(depth + 1)
		if p.bad {
			return nil
		}
		n.Content = append(n.Content, v)
		p.ws()
		if p.i >= len(p.b) {
			p.bad = true
			return nil
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return n
		default:
			p.bad = true
			return nil
		}
	}
}
