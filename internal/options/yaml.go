package options

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// DecodeYAML decodes a YAML document into the struct dst points to,
// strictly: every unknown key and every value of the wrong type is an
// error "name:line: key: what is wrong", up to 20 of them, one a line. It
// returns the document's root node (nil for an empty document) for
// LineOf and Has.
func DecodeYAML(name string, data []byte, dst any) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 { // empty file, or only comments
		return nil, nil
	}
	root := doc.Content[0]
	c := &checker{name: name, seen: map[visit]bool{}}
	c.check(root, reflect.TypeOf(dst).Elem(), "")
	if len(c.errs) > 0 {
		return nil, errors.New(strings.Join(c.errs, "\n"))
	}
	// The walk above found every unknown key and wrong type with its
	// position; strict decoding is the backstop and does the work.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	return root, nil
}

// Has reports whether the mapping n has a value at keys.
func Has(n *yaml.Node, keys ...string) bool {
	for _, k := range keys {
		if n == nil {
			return false
		}
		n = resolve(n)
		if n.Kind != yaml.MappingNode {
			return false
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n != nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError rewrites yaml.v3's "yaml: line 3: ..." as "name:3: ...".
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			lines[i] = rewriteYAMLLine(name, e)
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return errors.New(rewriteYAMLLine(name, err.Error()))
}

func rewriteYAMLLine(name, msg string) string {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return name + ":" + m[1] + ": " + msg[len(m[0]):]
	}
	return name + ": " + strings.TrimPrefix(msg, "yaml: ")
}

// LineOf returns the line of the value at keys under a mapping node, or the
// line of the deepest key found.
func LineOf(n *yaml.Node, keys ...string) int {
	line := n.Line
	for _, k := range keys {
		n = resolve(n)
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i+1].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// checker walks a YAML node tree beside the Go type it decodes into and
// records every unknown key and every value of the wrong shape, with its
// line. yaml.v3's own strict mode stops at the first problem and names
// neither the section nor the key in a way users can act on.
type checker struct {
	name string
	errs []string
	seen map[visit]bool // alias targets already checked, so aliases cannot blow up the walk
}

type visit struct {
	n *yaml.Node
	t reflect.Type
}

const maxConfigErrors = 20

func (c *checker) errorf(n *yaml.Node, format string, args ...any) {
	if len(c.errs) == maxConfigErrors {
		c.errs = append(c.errs, c.name+": too many errors")
	}
	if len(c.errs) > maxConfigErrors {
		return
	}
	c.errs = append(c.errs, fmt.Sprintf("%s:%d: ", c.name, n.Line)+fmt.Sprintf(format, args...))
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (c *checker) check(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		n = resolve(n)
		if c.seen[visit{n, t}] {
			return
		}
		c.seen[visit{n, t}] = true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // "lint:" with nothing after it: the zero value
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(yamlUnmarshaler) || pt.Implements(textUnmarshaler) {
		c.decodeInto(n, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.errorf(n, "%s: want a mapping of keys, got %s", where(path), describe(n))
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				if path == "" {
					c.errorf(k, "unknown key %q (want one of %s)", k.Value, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				} else {
					c.errorf(k, "unknown key %q in %s (want one of %s)", k.Value, path, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				}
				continue
			}
			c.check(v, ft, join(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.errorf(n, "%s: want a mapping, got %s", where(path), describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				c.errorf(k, "%s: want a plain key, got %s", where(path), describe(k))
				continue
			}
			c.check(v, t.Elem(), join(path, k.Value))
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			c.errorf(n, "%s: want a list, got %s", where(path), describe(n))
			return
		}
		for i, item := range n.Content {
			c.check(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	default:
		if n.Kind != yaml.ScalarNode {
			c.errorf(n, "%s: want %s, got %s", where(path), describeType(t), describe(n))
			return
		}
		c.decodeInto(n, t, path)
	}
}

func (c *checker) decodeInto(n *yaml.Node, t reflect.Type, path string) {
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = yamlLine.ReplaceAllString(te.Errors[0], "")
			if n.Kind == yaml.ScalarNode {
				// Not yaml.v3's "cannot unmarshal !!str `high` into float64".
				bt := t
				for bt.Kind() == reflect.Pointer {
					bt = bt.Elem()
				}
				msg = fmt.Sprintf("want %s, got %s", describeType(bt), describe(n))
			}
		}
		c.errorf(n, "%s: %s", where(path), msg)
	}
}

func where(path string) string {
	if path == "" {
		return "config"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML keys of a struct to their field types, following
// ",inline" embeddings as yaml.v3 does.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if slices.Contains(strings.Split(opts, ","), "inline") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					m[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name) // yaml.v3's default
		}
		m[name] = f.Type
	}
	return m
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

func describeType(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration (90s, 5m)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// FillDefaults writes, in the encoded config n, the default of every
// setting left unset (null, "", 0 or false), as def gives it for the
// setting's section ("generate.go") and key, marked with a "# default"
// comment: so a printed config shows the settings in effect, not nulls.
// def returns "" for a setting without a default worth showing.
func FillDefaults(n *yaml.Node, def func(section, key string) string) {
	var walk func(n *yaml.Node, section string)
	walk = func(n *yaml.Node, section string) {
		if n.Kind == yaml.DocumentNode {
			for _, c := range n.Content {
				walk(c, section)
			}
			return
		}
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode {
				walk(v, join(section, k.Value))
				continue
			}
			if section == "" || v.Kind != yaml.ScalarNode || !unsetScalar(v) {
				continue
			}
			d := def(section, k.Value)
			if d == "" || d == "0" || d == "false" || d == "[]" || d == v.Value {
				continue
			}
			v.Tag, v.Value, v.Style = "", d, 0
			if _, err := strconv.ParseFloat(d, 64); err != nil {
				v.Tag = "!!str"
			}
			v.LineComment = "default"
		}
	}
	walk(n, "")
}

// unsetScalar reports whether an encoded setting is its zero value: null,
// "", 0 or false.
func unsetScalar(v *yaml.Node) bool {
	switch v.ShortTag() {
	case "!!null":
		return true
	case "!!str":
		return v.Value == ""
	case "!!int", "!!float":
		f, err := strconv.ParseFloat(v.Value, 64)
		return err == nil && f == 0
	}
	return false
}

// ReadFile reads a config file whole, refusing one over max bytes.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %s does not exist", path)
		}
		return nil, fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: config file larger than %d bytes", path, max)
	}
	return data, nil
}
