package specload

import (
	"bytes"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v4"
)

// A YAML spec is parsed once: the node tree go.yaml.in/yaml/v4 builds (the
// parser kin-openapi uses) is both the position index (see yamlIndex) and
// what kin-openapi's types decode from (their UnmarshalYAML methods), as
// kin-openapi's own unmarshalYAML does after parsing the bytes itself.
//
// Before the decode, kin-openapi prepares the tree (prepareScalars, v0.153.0
// openapi3/native_yaml.go): a scalar mapping key is retagged !!str (200: is
// the name "200", not a number), as are a date-shaped scalar (!!timestamp)
// and a scalar with an application's own tag (!md text); a null key, .inf
// and .nan are refused; a document with aliases is checked for cycles.
// prepareYAML does the retagging; whatever else that step or the decode
// could treat differently is left to kin-openapi's own load, which parses
// the bytes again: a tree with an alias or a merge key, a null key, a
// non-finite float, a flow-style document holding U+0085 (which kin-openapi
// reads as JSON), any decode error (so that errors are worded as before),
// and a $ref to another document (kin-openapi's loader records the root
// document under its location only when it parses it itself).

// yamlPlain reports whether kin-openapi's preparation of the tree under n
// would only retag scalars (see prepareYAML): no alias, merge key, null key
// or non-finite float.
func yamlPlain(n *yaml.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case yaml.AliasNode:
		return false
	case yaml.ScalarNode:
		if n.Tag == "!!float" {
			switch strings.ToLower(strings.TrimLeft(n.Value, "+-")) {
			case ".inf", ".nan":
				return false
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 || k.Kind == yaml.ScalarNode && k.Tag == "!!null" {
				return false
			}
		}
	}
	for _, c := range n.Content {
		if !yamlPlain(c) {
			return false
		}
	}
	return true
}

// prepareYAML retags a tree yamlPlain accepts as kin-openapi's
// prepareScalars does: scalar keys, timestamps and locally tagged scalars
// become !!str. Tags are all it changes: the position index and FindKeys
// read keys' text and positions.
func prepareYAML(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") || n.Tag == "!!timestamp" {
			n.Tag = "!!str"
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode {
				k.Tag = "!!str"
			}
		}
	}
	for _, c := range n.Content {
		prepareYAML(c)
	}
}

// loadYAMLFast decodes and resolves a spec from its prepared YAML tree;
// loader must refuse to read other documents.
func loadYAMLFast(loader *openapi3.Loader, data []byte, root *yaml.Node) (*openapi3.T, error) {
	if root == nil || bytes.Contains(data, []byte("\u0085")) && mayBeJSON(data) {
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

// mayBeJSON is kin-openapi's test of whether data could be JSON: its first
// byte past JSON's whitespace can start a value.
func mayBeJSON(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) != 0 && strings.IndexByte(`{["-0123456789tfn`, data[0]) >= 0
}
