package tools_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/tools"
)

func TestSearchWordsAndRanking(t *testing.T) {
	ix := tools.NewSearchIndex([]tools.SearchDoc{
		{Name: "listRepoIssues", Text: "List repository issues. owner repo state"},
		{Name: "createIssue", Text: "Create an issue. owner repo title body"},
		{Name: "getUser", Text: "Get a user. username"},
	})
	if got := ix.Search("list issues of a repository", 2); len(got) == 0 || got[0] != "listRepoIssues" {
		t.Errorf("search = %v, want listRepoIssues first", got)
	}
	if got := ix.Search("user", 5); len(got) != 1 || got[0] != "getUser" {
		t.Errorf("search user = %v", got)
	}
	if got := ix.Search("zebra", 5); len(got) != 0 {
		t.Errorf("no shared word should find nothing: %v", got)
	}
}

func TestToolModes(t *testing.T) {
	_, api := loadAPI(t, petstorePath())
	set, err := tools.Build(api, tools.Options{Target: tools.MCP, Mode: tools.ModeTags})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range set.Tools {
		names = append(names, tl.Name)
		if len(tl.Group) == 0 {
			t.Errorf("tags mode: %s is not a tag tool", tl.Name)
		}
	}
	if strings.Join(names, ",") != "pet,store,user" {
		t.Errorf("tags mode tools = %v, want pet, store, user", names)
	}
	if m, err := tools.ParseMode("Search"); err != nil || m != tools.ModeSearch {
		t.Errorf("ParseMode(Search) = %q, %v", m, err)
	}
	if _, err := tools.ParseMode("some"); err == nil {
		t.Error("ParseMode accepted some")
	}
	if tools.DefaultMode(128) != tools.ModeAll || tools.DefaultMode(129) != tools.ModeSearch {
		t.Error("default mode: all up to 128 operations, else search")
	}
}

// TestGitHubSearchRecall samples 100 of GitHub's operations (seeded), uses
// each summary as the query and counts how often the operation's tool is
// in search_tools' top 5; it also reports the token estimates of the
// tools/list in all and search modes.
//
//	go test ./generate/tools -run GitHubSearchRecall -v
func TestGitHubSearchRecall(t *testing.T) {
	_, api := loadAPI(t, realSpec(t, githubSpec))
	set, err := tools.Build(api, tools.Options{Target: tools.MCP})
	if err != nil {
		t.Fatal(err)
	}
	ix := tools.NewSearchIndex(set.SearchDocs())
	rng := rand.New(rand.NewPCG(21, 2026))
	perm := rng.Perm(len(set.Tools))
	found, asked := 0, 0
	var misses []string
	for _, i := range perm {
		tl := set.Tools[i]
		q := strings.TrimSpace(tl.Operation.Summary)
		if q == "" {
			continue
		}
		asked++
		hit := false
		for _, name := range ix.Search(q, 5) {
			hit = hit || name == tl.Name
		}
		if hit {
			found++
		} else if len(misses) < 10 {
			misses = append(misses, q+" -> "+strings.Join(ix.Search(q, 5), ","))
		}
		if asked == 100 {
			break
		}
	}
	recall := float64(found) / float64(asked)
	all, err := json.Marshal(set.MCP()) // compact, as on the wire
	if err != nil {
		t.Fatal(err)
	}
	search, err := json.Marshal(tools.SearchModeTools(api.Title, len(set.Tools)))
	if err != nil {
		t.Fatal(err)
	}
	tagSet, err := tools.Build(api, tools.Options{Target: tools.MCP, Mode: tools.ModeTags})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := json.Marshal(tagSet.MCP())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("GitHub: %d tools; top-5 recall %d/%d = %.0f%%; tools/list ~%d tokens (%d bytes) in all mode, ~%d tokens (%d bytes) in search mode, ~%d tokens in tags mode (%d tools)",
		len(set.Tools), found, asked, 100*recall, tools.EstimateTokens(all), len(all), tools.EstimateTokens(search), len(search), tools.EstimateTokens(tags), len(tagSet.Tools))
	for _, q := range []string{"list issues in a repository", "create a pull request", "star a repo", "delete a webhook of an organization"} {
		t.Logf("query %q -> %v", q, ix.Search(q, 5))
	}
	for _, m := range misses {
		t.Logf("miss: %s", m)
	}
	if recall < 0.9 {
		t.Errorf("top-5 recall %.2f < 0.90", recall)
	}
}
