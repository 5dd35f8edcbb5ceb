package wellknown

import (
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	_ "github.com/agentready/agentready/internal/golden"
)

func TestGenerateNamesAndSection(t *testing.T) {
	api := &ir.API{Title: "Acme Orders", Version: "^1.2"}
	files, err := Generate(api, Options{MCPURL: "https://api.acme.example/v1/mcp/", Name: "acme-orders-mcp", LLMS: []byte("# Acme\n\n## Acme Orders MCP server\n\nold\n\n## Docs\n\n- [x](https://acme.example/): x\n")})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Name] = string(f.Content)
	}
	card := byName["v1/mcp/server-card"]
	for _, want := range []string{`"name": "example.acme.api/acme-orders-mcp"`, `"version": "0.0.0"`, `"url": "https://api.acme.example/v1/mcp"`} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %s:\n%s", want, card)
		}
	}
	if byName[".well-known/mcp/server-card.json"] != card {
		t.Error("the legacy card differs")
	}
	llms := byName["llms.txt"]
	if strings.Contains(llms, "old") || strings.Count(llms, "## Acme Orders MCP server") != 1 || !strings.Contains(llms, "## Docs") {
		t.Errorf("llms.txt section not replaced in place:\n%s", llms)
	}
	for _, bad := range []string{"", "mcp", "ftp://x/mcp", "https://x/mcp?a=1", "/mcp"} {
		if _, err := Generate(api, Options{MCPURL: bad}); err == nil {
			t.Errorf("accepted --mcp-url %q", bad)
		}
	}
}
