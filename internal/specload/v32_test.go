package specload

import (
	"context"
	"strings"
	"testing"
)

const spec32 = `openapi: 3.2.0
$self: https://example.com/openapi.yaml
info: {title: t, version: 1.0.0}
tags:
  - {name: events, summary: Events, kind: nav}
  - {name: streams, parent: events, x-extra: 1}
paths:
  /events:
    get:
      responses:
        "200":
          description: events
          content:
            text/event-stream:
              itemSchema: {type: object}
    query:
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: ok}
    additionalOperations:
      LINK:
        responses:
          "204": {description: linked}
`

// TestLoad32 loads a 3.2 document: its $self and tags' summary, parent and
// kind are read, and validation does not call them unknown fields (it did).
func TestLoad32(t *testing.T) {
	ctx := context.Background()
	doc, err := LoadBytes(ctx, "s.yaml", []byte(spec32), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Self(); got != "https://example.com/openapi.yaml" {
		t.Errorf("Self = %q", got)
	}
	if got := TagFields32(doc.Spec.Tags[0]); got != (Tag32{Summary: "Events", Kind: "nav"}) {
		t.Errorf("tag 0: %+v", got)
	}
	if got := TagFields32(doc.Spec.Tags[1]); got != (Tag32{Parent: "events"}) {
		t.Errorf("tag 1: %+v", got)
	}
	item := doc.Spec.Paths.Value("/events")
	if item.Query == nil || item.AdditionalOperations["LINK"] == nil || item.Get.Responses.Value("200").Value.Content["text/event-stream"].ItemSchema == nil {
		t.Errorf("QUERY, LINK or itemSchema not loaded: %+v", item)
	}
	if ps := doc.Validate(ctx); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
	if doc.Spec.Tags[0].Extensions["summary"] != "Events" {
		t.Error("validation changed the loaded document")
	}

	// In 3.1 the same fields are unknown.
	doc, err = LoadBytes(ctx, "s.yaml", []byte(strings.Replace(spec32, "3.2.0", "3.1.0", 1)), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, p := range doc.Validate(ctx) {
		msgs = append(msgs, p.Message)
	}
	if got := strings.Join(msgs, "\n"); !strings.Contains(got, "$self") || !strings.Contains(got, "parent") {
		t.Errorf("3.1 problems: %s", got)
	}
}
