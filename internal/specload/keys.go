package specload

import (
	"encoding/json"
	"slices"
	"strconv"

	yaml "go.yaml.in/yaml/v4"
)

// KeyMatch is a member of an object in the spec's original bytes whose key
// was asked for.
type KeyMatch struct {
	// Pointer is the pointer of the object holding the key (in the file's
	// own layout, which for a 2.0 spec is the 2.0 layout).
	Pointer string
	Key     string
	// Value is the member's value decoded as JSON would (maps, slices,
	// strings, float64, bool, nil).
	Value any
	// Siblings are the other keys of the same object, in file order.
	Siblings     []string
	Line, Column int // of the key
}

// FindKeys returns every object member, anywhere in the file, whose key is
// one of keys, in file order. Extensions such as x-agentready-ignore, and
// $ref siblings, are found this way: kin-openapi's model drops or merges
// them.
func (d *Document) FindKeys(keys ...string) []KeyMatch {
	if d.scanned != nil && !slices.ContainsFunc(keys, func(k string) bool { return !d.scanned[k] }) {
		var out []KeyMatch
		for _, m := range d.scanMatches {
			if slices.Contains(keys, m.Key) {
				out = append(out, m)
			}
		}
		return out
	}
	return d.findKeys(keys)
}

func (d *Document) findKeys(keys []string) []KeyMatch {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []KeyMatch
	if d.Format == JSON {
		s := &keyScanner{jsonScanner: jsonScanner{b: d.Bytes}, want: want}
		s.skipWS()
		s.walk(0)
		out = s.out
		// Offsets (held in Line until now) to positions, in one pass: the
		// matches are in file order.
		line, col, at := 1, 1, 0
		for i := range out {
			off := out[i].Line
			for at < off && at < len(d.Bytes) {
				switch c := d.Bytes[at]; {
				case c == '\n':
					line, col = line+1, 1
				case c&0xC0 != 0x80:
					col++
				}
				at++
			}
			out[i].Line, out[i].Column = line, col
		}
		return out
	}
	idx := d.index
	if idx == nil {
		var n yaml.Node
		if yaml.Unmarshal(d.Bytes, &n) != nil {
			return nil
		}
		idx = &yamlIndex{root: &n}
	}
	root := idx.root
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	var walk func(n *yaml.Node, path []string, depth int)
	walk = func(n *yaml.Node, path []string, depth int) {
		if depth > 512 {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if want[k.Value] {
					m := KeyMatch{Pointer: Pointer(path...), Key: k.Value, Line: k.Line, Column: k.Column}
					_ = v.Decode(&m.Value)
					m.Value = normalizeYAML(m.Value)
					for j := 0; j+1 < len(n.Content); j += 2 {
						if j != i {
							m.Siblings = append(m.Siblings, n.Content[j].Value)
						}
					}
					out = append(out, m)
				}
				walk(v, append(path, k.Value), depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, append(path, strconv.Itoa(i)), depth+1)
			}
		}
		// Aliases are not followed: their targets are walked where defined.
	}
	walk(root, nil, 0)
	return out
}

// normalizeYAML turns YAML-decoded values into what encoding/json would
// produce (map[string]any, float64), so callers see one shape.
func normalizeYAML(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalizeYAML(x)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			if ks, ok := k.(string); ok {
				m[ks] = normalizeYAML(x)
			}
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = normalizeYAML(x)
		}
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}

type keyScanner struct {
	jsonScanner
	want map[string]bool
	path []string
	out  []KeyMatch
}

// walk visits the value at s.i, tracking the path; keys are only turned
// into strings when an object holds a wanted key or the walk descends.
func (s *keyScanner) walk(depth int) {
	s.skipWS()
	if s.i >= len(s.b) || depth > maxDepth {
		s.skip()
		return
	}
	switch s.b[s.i] {
	case '{':
		start := len(s.out)
		var keys []string
		s.i++
		for {
			s.skipWS()
			if s.i >= len(s.b) {
				return
			}
			c := s.b[s.i]
			if c == '}' {
				s.i++
				break
			}
			if c == ',' {
				s.i++
				continue
			}
			if c != '"' {
				s.skip()
				if s.i < len(s.b) && s.b[s.i] == c {
					s.i++
				}
				continue
			}
			keyOff := s.i
			raw, esc := s.str()
			key := string(raw)
			if esc {
				if u, err := strconv.Unquote(`"` + key + `"`); err == nil {
					key = u
				}
			}
			keys = append(keys, key)
			s.skipWS()
			if s.i < len(s.b) && s.b[s.i] == ':' {
				s.i++
			}
			s.skipWS()
			if s.want[key] {
				vs := s.i
				s.skip()
				m := KeyMatch{Pointer: Pointer(s.path...), Key: key, Line: keyOff}
				_ = json.Unmarshal(s.b[vs:s.i], &m.Value)
				s.out = append(s.out, m)
				continue
			}
			s.path = append(s.path, key)
			s.walk(depth + 1)
			s.path = s.path[:len(s.path)-1]
		}
		for i := start; i < len(s.out); i++ {
			if s.out[i].Pointer == Pointer(s.path...) && s.out[i].Siblings == nil {
				for _, k := range keys {
					if k != s.out[i].Key {
						s.out[i].Siblings = append(s.out[i].Siblings, k)
					}
				}
				if s.out[i].Siblings == nil {
					s.out[i].Siblings = []string{}
				}
			}
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
			before := s.i
			s.path = append(s.path, strconv.Itoa(idx))
			s.walk(depth + 1)
			s.path = s.path[:len(s.path)-1]
			if s.i == before {
				s.i++
			}
		}
	default:
		s.skip()
	}
}
