// Package data holds the reference tables the audit checks read: the AI
// crawler tokens of ai.robots.txt and the schema.org vocabulary. Both are
// generated from ../shared/data by `go generate` (see internal/gen) and
// committed, so a user's clone builds without ../shared.
package data

//go:generate go run ./internal/gen -shared ../../../shared -out .

import (
	"slices"
	"strings"
)

// Function is what an AI crawler fetches pages for.
type Function string

// The functions of AI crawlers, as the audit groups them.
const (
	// Training crawlers collect content to train models or build datasets.
	Training Function = "training"
	// Search crawlers index content for an AI search engine or answer engine.
	Search Function = "search"
	// Assistant fetchers retrieve a page because a user asked an assistant
	// about it (user-initiated, one page at a time).
	Assistant Function = "assistant"
	// Agent user agents act on a user's behalf: browse, fill forms, code.
	Agent Function = "agent"
)

// Functions lists every function in the order reports show them.
var Functions = []Function{Training, Search, Assistant, Agent}

// Respect says whether an operator states that its crawler obeys robots.txt.
type Respect string

// The values of Respect.
const (
	RespectYes     Respect = "yes"
	RespectNo      Respect = "no"
	RespectUnknown Respect = "unknown"
)

// Crawler is one AI crawler or agent user-agent token.
type Crawler struct {
	// Token is the robots.txt product token (the user-agent name).
	Token string
	// Operator is who runs it, empty when upstream does not know.
	Operator string
	// Function is what it fetches for, classified from upstream's text.
	Function Function
	// Respect says whether it is documented to obey robots.txt.
	Respect Respect
	// Upstream is upstream's own free-text description of the function.
	Upstream string
}

// CrawlerByToken returns the crawler with the given token, matched
// case-insensitively as robots.txt product tokens are.
func CrawlerByToken(token string) (Crawler, bool) {
	for _, c := range AICrawlers {
		if strings.EqualFold(c.Token, token) {
			return c, true
		}
	}
	return Crawler{}, false
}

// Class is a schema.org type.
type Class struct {
	Name string
	// Parents are the direct super-types (rdfs:subClassOf) in schema.org.
	Parents []string
	// SupersededBy names the replacement when the type is superseded.
	SupersededBy string
	// Pending is true for types in the pending (not yet stable) area.
	Pending bool
}

// Property is a schema.org property.
type Property struct {
	Name         string
	Domains      []string // schema:domainIncludes
	Ranges       []string // schema:rangeIncludes
	SupersededBy string
	Pending      bool
}

// Member is an enumeration member such as InStock (of ItemAvailability).
type Member struct {
	Name string
	Of   []string
}

// LookupClass returns the schema.org type with the given local name.
func LookupClass(name string) (*Class, bool) {
	i, ok := slices.BinarySearchFunc(SchemaClasses, name, func(c Class, n string) int { return strings.Compare(c.Name, n) })
	if !ok {
		return nil, false
	}
	return &SchemaClasses[i], true
}

// LookupProperty returns the schema.org property with the given local name.
func LookupProperty(name string) (*Property, bool) {
	i, ok := slices.BinarySearchFunc(SchemaProperties, name, func(p Property, n string) int { return strings.Compare(p.Name, n) })
	if !ok {
		return nil, false
	}
	return &SchemaProperties[i], true
}

// LookupMember returns the enumeration member with the given local name.
func LookupMember(name string) (*Member, bool) {
	i, ok := slices.BinarySearchFunc(SchemaMembers, name, func(m Member, n string) int { return strings.Compare(m.Name, n) })
	if !ok {
		return nil, false
	}
	return &SchemaMembers[i], true
}

// IsSubClassOf reports whether class is super or inherits from it.
func IsSubClassOf(class, super string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(n string) bool {
		if n == super {
			return true
		}
		if seen[n] {
			return false
		}
		seen[n] = true
		c, ok := LookupClass(n)
		if !ok {
			return false
		}
		for _, p := range c.Parents {
			if walk(p) {
				return true
			}
		}
		return false
	}
	return walk(class)
}

// PropertyApplies reports whether property may be used on class: one of
// its domains is class or a super-type of it. Properties of Thing apply to
// every type.
func PropertyApplies(p *Property, class string) bool {
	for _, d := range p.Domains {
		if IsSubClassOf(class, d) {
			return true
		}
	}
	return false
}
