// This file holds the readings of the accessibility tree and of WebMCP.

package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/agentready/agentready/audit/checks"
)

// axNode is a node of the accessibility tree, as read from the browser.
type axNode struct {
	Role, Name string
	Ignored    bool
}

// Roles of the accessibility tree (WAI-ARIA, as Chromium names them).
var (
	fieldRoles = map[string]bool{"textbox": true, "searchbox": true, "combobox": true, "listbox": true, "checkbox": true,
		"radio": true, "slider": true, "spinbutton": true, "switch": true}
	controlRoles = map[string]bool{"button": true, "link": true, "menuitem": true, "menuitemcheckbox": true,
		"menuitemradio": true, "tab": true, "treeitem": true}
)

// readAX reads the tree: the unnamed controls, the unlabelled fields, and
// how much of main (the main content's passages) the tree's text holds.
func readAX(nodes []axNode, main []string) checks.AXFacts {
	var f checks.AXFacts
	unnamed, unlabelled := map[string]int{}, map[string]int{}
	tree := map[string]int{} // words of the tree's text
	for _, n := range nodes {
		if n.Ignored {
			continue
		}
		named := strings.TrimSpace(n.Name) != ""
		switch {
		case fieldRoles[n.Role]:
			f.Fields++
			if !named {
				f.Unlabelled++
				unlabelled[n.Role]++
			}
		case controlRoles[n.Role]:
			f.Interactive++
			if !named {
				f.Unnamed++
				unnamed[n.Role]++
			}
		}
		// Text is in StaticText nodes; a select's options carry theirs as
		// names.
		if n.Role == "StaticText" || n.Role == "text" || n.Role == "option" || n.Role == "MenuListOption" {
			for _, w := range wordsOf(n.Name) {
				tree[w]++
			}
		}
	}
	f.UnnamedEx, f.UnlabelledEx = counted(unnamed), counted(unlabelled)
	for _, p := range main {
		for _, w := range wordsOf(p) {
			f.MainWords++
			if tree[w] > 0 {
				tree[w]--
				f.Reachable++
			}
		}
	}
	return f
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// counted lists roles with their counts: "2 buttons", "1 link".
func counted(m map[string]int) []string {
	var out []string
	for role, n := range m {
		if n == 1 {
			out = append(out, "1 "+role)
		} else {
			plural := role + "s"
			if strings.HasSuffix(role, "x") {
				plural = role + "es" // textboxes, listboxes
			}
			out = append(out, fmt.Sprintf("%d %s", n, plural))
		}
	}
	sort.Strings(out)
	return out
}

// browserTool is a WebMCP tool as the page's document.modelContext lists
// it (see webmcpScript).
type browserTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"inputSchema"`
	Declarative bool            `json:"declarative"`
}

// toolName is what MCP clients accept as a tool name.
var toolName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)

// readTool checks one tool: a usable name, a description, and an input
// schema that is a valid JSON Schema for an object.
func readTool(t browserTool) checks.WebMCPTool {
	out := checks.WebMCPTool{Name: shorten(t.Name, 128), Description: shorten(t.Description, 300), Declarative: t.Declarative}
	if !toolName.MatchString(t.Name) {
		out.Problems = append(out.Problems, "the name is not 1 to 128 letters, digits, _, - or . (MCP clients refuse it)")
	}
	if strings.TrimSpace(t.Description) == "" {
		out.Problems = append(out.Problems, "no description: an agent cannot tell when to call it")
	}
	out.Problems = append(out.Problems, schemaProblems(t.InputSchema)...)
	return out
}

// schemaProblems validates an input schema (absent is an empty object).
func schemaProblems(raw json.RawMessage) []string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		return []string{"the input schema is not JSON: " + err.Error()}
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return []string{"the input schema is not a JSON object"}
	}
	var out []string
	if t, ok := m["type"]; ok && t != "object" {
		out = append(out, fmt.Sprintf("the input schema's type is %v, not object (tool arguments are an object)", t))
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{}) // a page's $ref must not read local files
	if err := c.AddResource(schemaURL, doc); err != nil {
		return append(out, "the input schema is invalid: "+oneLine(err))
	}
	if _, err := c.Compile(schemaURL); err != nil {
		out = append(out, "the input schema is invalid: "+oneLine(err))
	}
	return out
}

// oneLine says what is wrong with a schema in one line: the first leaf of
// a metaschema failure, at its JSON pointer.
func oneLine(err error) string {
	var sve *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if errors.As(err, &sve) && errors.As(sve.Err, &ve) {
		for len(ve.Causes) > 0 {
			ve = ve.Causes[0]
		}
		loc := "/" + strings.Join(ve.InstanceLocation, "/")
		return shorten(fmt.Sprintf("at %s: %s", loc, ve.ErrorKind.LocalizedString(printer)), 200)
	}
	return shorten(strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), schemaURL, "the schema")), " "), 200)
}

var printer = message.NewPrinter(language.English)

// schemaURL is where a tool's schema is said to be, for $ref resolution
// inside it.
const schemaURL = "urn:agentready:webmcp-tool"

// noLoader refuses every $ref outside the schema.
type noLoader struct{}

func (noLoader) Load(u string) (any, error) { return nil, fmt.Errorf("$ref %s is not followed", u) }
