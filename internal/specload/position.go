package specload

import (
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// Position is a place in a spec's original bytes.
type Position struct {
	// Line and Column are 1-based; Column counts bytes.
	Line, Column int
	// Pointer is the JSON pointer that was found: the one asked for, or its
	// deepest ancestor that exists in the file (a pointer through a $ref, or
	// into what 2.0 conversion created, stops at the nearest real node).
	Pointer string
}

// Locate maps JSON pointers into Spec (the OpenAPI 3 model) to positions in
// the original bytes, with one scan of them. For a 2.0 spec, pointers are
// first translated to the 2.0 layout (/components/schemas/X becomes
// /definitions/X, a request body becomes the body parameter, and so on).
// A pointer prefixed with "@" is already in the file's own layout and is
// not translated. A pointer to an object member points at the member's key.
// Every pointer gets a position: at worst the document's first line.
func (d *Document) Locate(pointers []string) map[string]Position {
	out := make(map[string]Position, len(pointers))
	if len(pointers) == 0 {
		return out
	}
	phys := make(map[string]string, len(pointers)) // asked -> pointer in the file
	root := &ptrNode{}
	for _, p := range pointers {
		fp := p
		if raw, ok := strings.CutPrefix(p, "@"); ok {
			fp = raw
		} else if d.V2 != nil {
			fp = d.toV2Pointer(p)
		}
		phys[p] = fp
		root.add(splitPointer(fp))
	}
	if d.Format == JSON {
		s := &jsonScanner{b: d.Bytes}
		s.skipWS()
		root.found, root.off = true, s.i
		s.value(root, 0)
		// Offsets to line:col in one pass over the sorted offsets.
		var nodes []*ptrNode
		root.collect(&nodes)
		sort.Slice(nodes, func(i, j int) bool { return nodes[i].off < nodes[j].off })
		line, col, at := 1, 1, 0
		for _, n := range nodes {
			for at < n.off && at < len(d.Bytes) {
				switch c := d.Bytes[at]; {
				case c == '\n':
					line, col = line+1, 1
				case c&0xC0 != 0x80: // not a UTF-8 continuation byte
					col++
				}
				at++
			}
			n.line, n.col = line, col
		}
	} else {
		if d.index == nil {
			var n yaml.Node
			if err := yaml.Unmarshal(d.Bytes, &n); err == nil {
				d.index = &yamlIndex{root: &n}
			}
		}
		if d.index != nil {
			d.index.locate(root)
		}
	}
	for _, p := range pointers {
		segs := splitPointer(phys[p])
		n, best := root, root
		var found []string
		for _, s := range segs {
			c := n.children[s]
			if c == nil || !c.found {
				break
			}
			found = append(found, s)
			n, best = c, c
		}
		line, col := best.line, best.col
		if line == 0 {
			line, col = 1, 1
		}
		out[p] = Position{Line: line, Column: col, Pointer: joinPointer(found)}
	}
	return out
}

// ptrNode is a trie of the pointers asked for; the scan fills in where each
// node was found.
type ptrNode struct {
	children  map[string]*ptrNode
	found     bool
	off       int // byte offset, for JSON
	line, col int
}

func (n *ptrNode) add(segs []string) {
	for _, s := range segs {
		if n.children == nil {
			n.children = map[string]*ptrNode{}
		}
		c := n.children[s]
		if c == nil {
			c = &ptrNode{}
			n.children[s] = c
		}
		n = c
	}
}

func (n *ptrNode) collect(out *[]*ptrNode) {
	if n.found {
		*out = append(*out, n)
	}
	for _, c := range n.children {
		c.collect(out)
	}
}

func splitPointer(p string) []string {
	p = strings.TrimPrefix(p, "#")
	if p == "" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		if strings.Contains(s, "~") {
			segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
		}
	}
	return segs
}

// EscapeToken escapes one JSON pointer token (RFC 6901).
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Pointer builds a JSON pointer from unescaped tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	return b.String()
}

func joinPointer(segs []string) string { return Pointer(segs...) }

// jsonScanner walks JSON bytes, descending only into members that the trie
// asks for and skipping everything else without allocating.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) skipWS() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// maxDepth bounds the recursion of the trie-guided descent.
const maxDepth = 10000

func (s *jsonScanner) value(n *ptrNode, depth int) {
	s.skipWS()
	if s.i >= len(s.b) {
		return
	}
	if n == nil || n.children == nil || depth > maxDepth {
		s.skip()
		return
	}
	switch s.b[s.i] {
	case '{':
		s.i++
		for {
			s.skipWS()
			if s.i >= len(s.b) {
				return
			}
			switch s.b[s.i] {
			case '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			case '"':
			default:
				// Malformed: move on by at least a byte, never loop.
				before := s.i
				s.skip()
				if s.i == before {
					s.i++
				}
				continue
			}
			keyStart := s.i
			raw, esc := s.str()
			key := string(raw)
			if esc {
				if u, err := strconv.Unquote(`"` + key + `"`); err == nil {
					key = u
				}
			}
			s.skipWS()
			if s.i < len(s.b) && s.b[s.i] == ':' {
				s.i++
			}
			c := n.children[key]
			if c != nil {
				c.found, c.off = true, keyStart
			}
			s.skipWS()
			s.value(c, depth+1)
		}
	case '[':
		s.i++
		idx := 0
		for {
			s.skipWS()
			if s.i >= len(s.b) {
				return
			}
			switch s.b[s.i] {
			case ']':
				s.i++
				return
			case ',':
				s.i++
				idx++
				continue
			}
			c := n.children[strconv.Itoa(idx)]
			if c != nil {
				c.found, c.off = true, s.i
			}
			before := s.i
			s.value(c, depth+1)
			if s.i == before {
				s.i++
			}
		}
	default:
		s.skip()
	}
}

// str reads a string at s.i (which is '"') and returns its raw contents and
// whether they hold escapes.
func (s *jsonScanner) str() ([]byte, bool) {
	s.i++
	start := s.i
	esc := false
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			esc = true
			s.i += 2
			continue
		case '"':
			raw := s.b[start:s.i]
			s.i++
			return raw, esc
		}
		s.i++
	}
	return s.b[start:min(s.i, len(s.b))], esc
}

// skip moves past one value.
func (s *jsonScanner) skip() {
	if s.i >= len(s.b) {
		return
	}
	switch s.b[s.i] {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				if s.i == 0 {
					s.i++
				}
				return
			}
			s.i++
		}
	}
}

// yamlIndex finds pointers in a YAML node tree.
type yamlIndex struct {
	root *yaml.Node
}

func (x *yamlIndex) locate(root *ptrNode) {
	doc := x.root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	root.found, root.line, root.col = true, doc.Line, doc.Column
	x.walk(doc, root, 0)
}

func (x *yamlIndex) walk(y *yaml.Node, n *ptrNode, depth int) {
	if n.children == nil || depth > maxDepth {
		return
	}
	for y.Kind == yaml.AliasNode && y.Alias != nil && depth < maxDepth {
		y = y.Alias
		depth++
	}
	switch y.Kind {
	case yaml.MappingNode:
		x.walkMapping(y, n, depth, 0)
	case yaml.SequenceNode:
		for i, item := range y.Content {
			c := n.children[strconv.Itoa(i)]
			if c == nil {
				continue
			}
			c.found, c.line, c.col = true, item.Line, item.Column
			x.walk(item, c, depth+1)
		}
	}
}

func (x *yamlIndex) walkMapping(y *yaml.Node, n *ptrNode, depth, merges int) {
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" && merges < 10 {
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			if v.Kind == yaml.MappingNode {
				x.walkMapping(v, n, depth+1, merges+1)
			}
			continue
		}
		c := n.children[k.Value]
		if c == nil || c.found {
			continue
		}
		c.found, c.line, c.col = true, k.Line, k.Column
		x.walk(v, c, depth+1)
	}
}
