package tools

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// Selector picks operations for --include and --exclude. Its text form is
// KIND:PATTERN with KIND one of tag, path, method or op (operationId);
// without a kind, a pattern starting with "/" is a path, an HTTP method name
// is a method, and anything else matches a tag or an operationId. Patterns
// are globs: "*" matches within one path segment, "**" across segments, "?"
// one character. Tags, methods and operationIds match without case.
type Selector struct {
	Kind    string // "tag", "path", "method", "op" or "" (tag or op)
	Pattern string
	re      *regexp.Regexp
}

// ParseSelector reads a selector.
func ParseSelector(s string) (Selector, error) {
	kind, pat, ok := strings.Cut(s, ":")
	if !ok || !validKind(kind) {
		kind, pat = "", s
		switch {
		case strings.HasPrefix(s, "/"):
			kind = "path"
		case isMethod(s):
			kind = "method"
		}
	}
	if kind == "operationId" || kind == "id" {
		kind = "op"
	}
	if pat == "" {
		return Selector{}, fmt.Errorf("selector %q: empty pattern", s)
	}
	if kind == "method" && !isMethod(pat) && !strings.ContainsAny(pat, "*?") {
		return Selector{}, fmt.Errorf("selector %q: %q is not an HTTP method", s, pat)
	}
	re, err := glob(pat, kind != "path")
	if err != nil {
		return Selector{}, fmt.Errorf("selector %q: %v", s, err)
	}
	return Selector{Kind: kind, Pattern: pat, re: re}, nil
}

func validKind(k string) bool {
	switch k {
	case "tag", "path", "method", "op", "operationId", "id":
		return true
	}
	return false
}

func isMethod(s string) bool {
	for _, m := range ir.Methods {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}

func glob(pat string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '*':
			if i+1 < len(pat) && pat[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Match reports whether op is selected.
func (s Selector) Match(op *ir.Operation) bool {
	switch s.Kind {
	case "path":
		return s.re.MatchString(op.Path)
	case "method":
		return s.re.MatchString(op.Method)
	case "op":
		return op.ID != "" && s.re.MatchString(op.ID)
	case "tag":
		return s.matchTag(op)
	}
	return (op.ID != "" && s.re.MatchString(op.ID)) || s.matchTag(op)
}

func (s Selector) matchTag(op *ir.Operation) bool {
	for _, t := range op.Tags {
		if s.re.MatchString(t) {
			return true
		}
	}
	return false
}

func (s Selector) String() string {
	if s.Kind == "" {
		return s.Pattern
	}
	return s.Kind + ":" + s.Pattern
}

// Select returns the operations matched by an include selector (all when
// there are none) and by no exclude selector, in the IR's order.
func Select(ops []*ir.Operation, include, exclude []Selector) []*ir.Operation {
	var out []*ir.Operation
	for _, op := range ops {
		in := len(include) == 0
		for _, s := range include {
			if s.Match(op) {
				in = true
				break
			}
		}
		for _, s := range exclude {
			if in && s.Match(op) {
				in = false
			}
		}
		if in {
			out = append(out, op)
		}
	}
	return out
}
