package data

import (
	"slices"
	"strings"
	"testing"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func TestCrawlers(t *testing.T) {
	if len(AICrawlers) < 100 {
		t.Fatalf("only %d crawlers", len(AICrawlers))
	}
	want := map[string]Function{
		"GPTBot": Training, "ChatGPT-User": Assistant, "OAI-SearchBot": Search,
		"ClaudeBot": Training, "Claude-User": Assistant, "Claude-SearchBot": Search,
		"PerplexityBot": Search, "Perplexity-User": Assistant, "Google-Extended": Training,
		"ChatGPT Agent": Agent, "CCBot": Training, "Operator": Agent,
	}
	for tok, fn := range want {
		c, ok := CrawlerByToken(strings.ToLower(tok))
		if !ok {
			t.Errorf("%s missing", tok)
			continue
		}
		if c.Function != fn {
			t.Errorf("%s: function %s, want %s", tok, c.Function, fn)
		}
	}
	for _, c := range AICrawlers {
		if !slices.Contains(Functions, c.Function) {
			t.Errorf("%s: bad function %q", c.Token, c.Function)
		}
	}
}

func TestSchema(t *testing.T) {
	if !slices.IsSortedFunc(SchemaClasses, func(a, b Class) int { return strings.Compare(a.Name, b.Name) }) {
		t.Fatal("classes not sorted")
	}
	if !IsSubClassOf("NewsArticle", "CreativeWork") || IsSubClassOf("Person", "CreativeWork") {
		t.Error("IsSubClassOf")
	}
	p, ok := LookupProperty("offers")
	if !ok || !PropertyApplies(p, "Product") || PropertyApplies(p, "Person") {
		t.Errorf("offers: %+v", p)
	}
	name, _ := LookupProperty("name")
	if !PropertyApplies(name, "Recipe") {
		t.Error("name applies to Recipe")
	}
	if e, ok := LookupProperty("episodes"); !ok || e.SupersededBy != "episode" {
		t.Errorf("episodes: %+v", e)
	}
	if m, ok := LookupMember("InStock"); !ok || m.Of[0] != "ItemAvailability" {
		t.Errorf("InStock: %+v", m)
	}
	if _, ok := LookupClass("NoSuchType"); ok {
		t.Error("NoSuchType found")
	}
}
