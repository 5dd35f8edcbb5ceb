package lint

import (
	"mime"
	"strconv"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// Rules for what OpenAPI 3.2 adds: nested tags, the QUERY method, sequential
// media types described item by item (itemSchema), and $self.
func init() {
	register(
		&Rule{ID: "tag-parent-defined", Title: "a tag's parent names a tag the document declares (OpenAPI 3.2)",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.2.0", Run: checkTagParentDefined},
		&Rule{ID: "tag-parent-cycle", Title: "tag parents do not form a cycle (OpenAPI 3.2)",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.2.0", Run: checkTagParentCycle},
		&Rule{ID: "query-request-body", Title: "a QUERY operation has a request body: the query (OpenAPI 3.2)",
			Category: Fill, Severity: report.Warning, Preset: Recommended, Since: "0.2.0", Run: checkQueryBody},
		&Rule{ID: "item-schema-sequential", Title: "itemSchema describes a sequential media type (OpenAPI 3.2)",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.2.0", Run: checkItemSchemaSequential},
		&Rule{ID: "self-uri", Title: "$self is a URI reference without a fragment (OpenAPI 3.2)",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.2.0", Run: checkSelfURI},
	)
}

func checkTagParentDefined(p *Pass) {
	declared := map[string]bool{}
	for _, t := range p.Spec.Tags {
		if t != nil {
			declared[t.Name] = true
		}
	}
	for i, t := range p.Spec.Tags {
		if par := specload.TagFields32(t).Parent; par != "" && !declared[par] {
			p.Report("/tags/"+strconv.Itoa(i)+"/parent", "tag %q names parent %q, which is not a declared tag", t.Name, par)
		}
	}
}

func checkTagParentCycle(p *Pass) {
	parent := map[string]string{}
	first := map[string]int{}
	for i, t := range p.Spec.Tags {
		if t == nil {
			continue
		}
		if _, dup := first[t.Name]; !dup {
			first[t.Name] = i
			parent[t.Name] = specload.TagFields32(t).Parent
		}
	}
	reported := map[string]bool{}
	for i, t := range p.Spec.Tags {
		if t == nil || first[t.Name] != i || reported[t.Name] {
			continue
		}
		// Follow the parents from t; a cycle through t comes back to it.
		chain := []string{t.Name}
		seen := map[string]bool{t.Name: true}
		for n := parent[t.Name]; n != ""; n = parent[n] {
			if n == t.Name {
				for _, c := range chain {
					reported[c] = true
				}
				p.Report("/tags/"+strconv.Itoa(i)+"/parent", "tag parents form a cycle: %s -> %s", strings.Join(chain, " -> "), t.Name)
				break
			}
			if seen[n] {
				break // a cycle further up, reported from a tag on it
			}
			seen[n] = true
			chain = append(chain, n)
		}
	}
}

func checkQueryBody(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method != "query" {
			continue
		}
		if o.Op.RequestBody == nil || o.Op.RequestBody.Value == nil || len(o.Op.RequestBody.Value.Content) == 0 {
			p.Report(o.Ptr, "QUERY operation %s has no request body: QUERY sends its query in the body (use GET for a query in the URL)", o.Name())
		}
	}
}

// sequential reports whether a media type is a sequence of items, which
// itemSchema describes one at a time: server-sent events, JSON Lines,
// NDJSON, JSON text sequences, multipart.
func sequential(mt string) bool {
	t, _, err := mime.ParseMediaType(mt)
	if err != nil {
		t = strings.ToLower(strings.TrimSpace(mt))
	}
	switch t {
	case "text/event-stream", "application/jsonl", "application/x-jsonl", "application/x-ndjson",
		"application/ndjson", "application/json-seq":
		return true
	}
	return strings.HasPrefix(t, "multipart/") || strings.HasSuffix(t, "+json-seq") || strings.HasSuffix(t, "+jsonl")
}

func checkItemSchemaSequential(p *Pass) {
	for _, o := range p.Operations() {
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil && rb.Ref == "" {
			for _, mt := range sortedKeys(rb.Value.Content) {
				if m := rb.Value.Content[mt]; m != nil && m.ItemSchema != nil && !sequential(mt) {
					p.Report(o.Ptr+"/requestBody/content/"+specload.EscapeToken(mt)+"/itemSchema",
						"itemSchema on %s, which is not a sequential media type (text/event-stream, application/jsonl, application/json-seq, multipart/*): use schema", mt)
				}
			}
		}
		codes, rs := responses(o)
		for _, code := range codes {
			r := rs[code]
			if r == nil || r.Value == nil || r.Ref != "" {
				continue
			}
			for _, mt := range sortedKeys(r.Value.Content) {
				if m := r.Value.Content[mt]; m != nil && m.ItemSchema != nil && !sequential(mt) {
					p.Report(o.Ptr+"/responses/"+code+"/content/"+specload.EscapeToken(mt)+"/itemSchema",
						"itemSchema on %s, which is not a sequential media type (text/event-stream, application/jsonl, application/json-seq, multipart/*): use schema", mt)
				}
			}
		}
	}
}

func checkSelfURI(p *Pass) {
	self := p.Doc.Self()
	if self == "" {
		return
	}
	if strings.Contains(self, "#") {
		p.Report("/$self", "$self %q has a fragment: it must identify the document, not a part of it", self)
	} else if strings.ContainsAny(self, " \t\n<>\"{}|\\^`") {
		p.Report("/$self", "$self %q is not a URI reference", self)
	}
}
