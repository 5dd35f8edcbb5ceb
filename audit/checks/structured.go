package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agentready/agentready/audit/data"
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Check{ID: "structured-data-present", Title: "Pages carry structured data", FailTitle: "Pages carry no structured data", PartTitle: "Some pages carry no structured data",
			Category: Structured, Weight: 4, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkSDPresent},
		&Check{ID: "json-ld-valid", Title: "JSON-LD parses", FailTitle: "JSON-LD has syntax errors", PartTitle: "Some JSON-LD has syntax errors",
			Category: Structured, Weight: 3, Severity: report.Error, Needs: []string{"pages"}, Since: "0.1.0", Run: checkJSONLDValid},
		&Check{ID: "schema-org-vocabulary", Title: "Types and properties exist in schema.org", FailTitle: "Structured data uses unknown or superseded schema.org terms",
			Category: Structured, Weight: 4, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkVocabulary},
		&Check{ID: "rich-results", Title: "Rich-result types have their required properties", FailTitle: "Rich-result types lack required properties",
			Category: Structured, Weight: 5, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkRichResults},
		&Check{ID: "social-cards", Title: "OpenGraph and Twitter cards are complete", FailTitle: "OpenGraph or Twitter card tags are missing",
			Category: Structured, Weight: 2, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", Run: checkSocialCards},
	)
}

// Entity is one structured-data item, from JSON-LD, microdata or RDFa,
// with schema.org types and properties by local name.
type Entity struct {
	Types  []string
	Props  map[string][]any // values: string, float64, bool, *Entity
	Source string           // "json-ld", "microdata", "rdfa"
	Line   int
	// Vocab is false when the item is not in the schema.org vocabulary.
	Vocab bool
	// Unknown are property names outside schema.org (full IRIs of other
	// vocabularies are not listed).
	extra []string
}

const maxEntityDepth = 32

// Entities returns the top-level structured-data items of a page.
func Entities(f *PageFacts) []*Entity {
	var out []*Entity
	for _, b := range f.JSONLD {
		for _, it := range b.Items {
			m, ok := it.(map[string]any)
			if !ok {
				continue
			}
			ctx := schemaContext(m["@context"])
			if g, ok := m["@graph"].([]any); ok {
				for _, x := range g {
					if gm, ok := x.(map[string]any); ok {
						out = append(out, fromJSONLD(gm, ctx || schemaContext(gm["@context"]), b.Line, 0))
					}
				}
				continue
			}
			out = append(out, fromJSONLD(m, ctx, b.Line, 0))
		}
	}
	for _, it := range f.Microdata {
		if m, ok := it.(map[string]any); ok {
			out = append(out, fromMicrodata(m, 0))
		}
	}
	for _, it := range f.RDFa {
		if m, ok := it.(map[string]any); ok {
			out = append(out, fromMicrodata(m, 0))
		}
	}
	return out
}

func schemaContext(v any) bool {
	switch c := v.(type) {
	case string:
		return isSchemaNS(c)
	case []any:
		for _, x := range c {
			if schemaContext(x) {
				return true
			}
		}
	case map[string]any:
		if s, ok := c["@vocab"].(string); ok && isSchemaNS(s) {
			return true
		}
	}
	return false
}

func isSchemaNS(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "/")
	return s == "http://schema.org" || s == "https://schema.org" || s == "schema.org"
}

// schemaLocal returns the schema.org local name of a term, and whether the
// term is in schema.org (a bare name under a schema.org context, or a full
// schema.org IRI).
func schemaLocal(term string, ctx bool) (string, bool) {
	for _, p := range []string{"http://schema.org/", "https://schema.org/", "schema:"} {
		if rest, ok := strings.CutPrefix(term, p); ok {
			return rest, true
		}
	}
	if strings.Contains(term, ":") || strings.Contains(term, "/") {
		return term, false
	}
	return term, ctx
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func fromJSONLD(m map[string]any, ctx bool, line, depth int) *Entity {
	if c, ok := m["@context"]; ok {
		ctx = schemaContext(c)
	}
	e := &Entity{Props: map[string][]any{}, Source: "json-ld", Line: line, Vocab: ctx}
	for _, t := range strs(m["@type"]) {
		if l, ok := schemaLocal(t, ctx); ok {
			e.Types = append(e.Types, l)
			e.Vocab = true
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, "@") {
			continue
		}
		name, ok := schemaLocal(k, ctx)
		if !ok {
			e.extra = append(e.extra, k)
			continue
		}
		vals, _ := m[k].([]any)
		if vals == nil {
			vals = []any{m[k]}
		}
		for _, v := range vals {
			e.Props[name] = append(e.Props[name], jsonldValue(v, ctx, line, depth))
		}
	}
	return e
}

func jsonldValue(v any, ctx bool, line, depth int) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if val, ok := m["@value"]; ok {
		return val
	}
	if depth >= maxEntityDepth {
		return nil
	}
	if id, ok := m["@id"].(string); ok && len(m) == 1 {
		return id
	}
	return fromJSONLD(m, ctx, line, depth+1)
}

func fromMicrodata(m map[string]any, depth int) *Entity {
	src := "microdata"
	e := &Entity{Props: map[string][]any{}, Source: src}
	types := strs(m["type"])
	for _, t := range types {
		if l, ok := schemaLocal(t, false); ok {
			e.Types = append(e.Types, l)
			e.Vocab = true
		}
	}
	props, _ := m["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(k, "://") && !strings.Contains(k, "schema.org/") {
			e.Source = "rdfa"
			e.extra = append(e.extra, k)
			continue
		}
		name, _ := schemaLocal(k, true)
		if strings.Contains(k, "schema.org/") {
			e.Source = "rdfa"
		}
		vals, _ := props[k].([]any)
		if vals == nil {
			vals = []any{props[k]}
		}
		for _, v := range vals {
			if nm, ok := v.(map[string]any); ok {
				if depth >= maxEntityDepth {
					continue
				}
				e.Props[name] = append(e.Props[name], fromMicrodata(nm, depth+1))
				continue
			}
			e.Props[name] = append(e.Props[name], v)
		}
	}
	return e
}

// walkEntities calls fn for e and every entity nested in it.
func walkEntities(e *Entity, fn func(*Entity, int)) {
	var walk func(*Entity, int)
	walk = func(x *Entity, d int) {
		if d > maxEntityDepth {
			return
		}
		fn(x, d)
		for _, vs := range x.Props {
			for _, v := range vs {
				if n, ok := v.(*Entity); ok {
					walk(n, d+1)
				}
			}
		}
	}
	walk(e, 0)
}

func checkSDPresent(p *Pass) Result {
	pages := p.HTMLPages()
	pass := 0
	// Each page without structured data is a finding of its own, at its
	// URL: a count at the start page named neither the pages nor, when
	// the start page had some, a page at fault. The count is the Detail.
	var fs pageFindings
	for _, pg := range pages {
		if p.facts(pg).Truncated || len(p.entitiesOf(pg)) > 0 {
			pass++
			continue
		}
		if pg == p.Start {
			fs.add(pageURL(pg), report.Warning, "the start page has no JSON-LD, microdata or RDFa: agents must guess what it describes")
		} else {
			fs.add(pageURL(pg), report.Info, "the page has no JSON-LD, microdata or RDFa")
		}
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = p.sitewide(fs, pass, len(pages), report.Warning, "no page has JSON-LD, microdata or RDFa: agents must guess what the pages describe")
	return r
}

func checkJSONLDValid(p *Pass) Result {
	var fs []report.Finding
	total, pass := 0, 0
	for _, pg := range p.HTMLPages() {
		for _, b := range p.facts(pg).JSONLD {
			total++
			u := pageURL(pg)
			switch {
			case b.Err != nil:
				fs = append(fs, report.Finding{Severity: report.Error, Message: "JSON-LD syntax error: " + b.Err.Msg + " (search engines drop the whole script)",
					Location: report.Location{URL: u, Line: b.Err.Line, Column: b.Err.Column}})
			case len(b.Repairs) > 0:
				fs = append(fs, report.Finding{Severity: report.Warning, Message: "JSON-LD is not strict JSON; read only after repairs: " + strings.Join(b.Repairs, ", "),
					Location: report.Location{URL: u, Line: b.Line}})
				pass++
			default:
				pass++
			}
		}
	}
	r := share(pass, total, "JSON-LD script", "JSON-LD scripts")
	r.Findings = fs
	return r
}

func checkVocabulary(p *Pass) Result {
	var fs []report.Finding
	terms, good := 0, 0
	seen := map[string]bool{}
	report1 := func(u string, line int, sev report.Severity, key, msg string) {
		if seen[key] {
			return
		}
		seen[key] = true
		fs = append(fs, report.Finding{Severity: sev, Message: msg, Location: report.Location{URL: u, Line: line}})
	}
	for _, pg := range p.HTMLPages() {
		u := pageURL(pg)
		for _, top := range p.entitiesOf(pg) {
			walkEntities(top, func(e *Entity, _ int) {
				if !e.Vocab {
					return
				}
				for _, t := range e.Types {
					terms++
					c, ok := data.LookupClass(t)
					switch {
					case !ok:
						if _, isMember := data.LookupMember(t); isMember {
							good++
							continue
						}
						report1(u, e.Line, report.Warning, "type:"+t, fmt.Sprintf("%s type %q is not in schema.org %s", e.Source, t, "v30.0"))
					case c.SupersededBy != "":
						report1(u, e.Line, report.Info, "type:"+t, fmt.Sprintf("schema.org type %s is superseded by %s", t, c.SupersededBy))
					default:
						good++
					}
				}
				names := make([]string, 0, len(e.Props))
				for k := range e.Props {
					names = append(names, k)
				}
				sort.Strings(names)
				for _, name := range names {
					terms++
					pr, ok := data.LookupProperty(name)
					switch {
					case !ok:
						report1(u, e.Line, report.Warning, "prop:"+name, fmt.Sprintf("%s property %q is not in schema.org", e.Source, name))
					case pr.SupersededBy != "":
						report1(u, e.Line, report.Info, "prop:"+name, fmt.Sprintf("schema.org property %s is superseded by %s", name, pr.SupersededBy))
						good++
					default:
						applies := len(e.Types) == 0
						for _, t := range e.Types {
							if _, known := data.LookupClass(t); !known || data.PropertyApplies(pr, t) {
								applies = true
							}
						}
						if !applies {
							report1(u, e.Line, report.Info, "dom:"+name+"@"+strings.Join(e.Types, ","), fmt.Sprintf("property %s is not expected on %s in schema.org", name, strings.Join(e.Types, ", ")))
						}
						good++
					}
				}
			})
		}
	}
	if terms == 0 {
		return NA("no schema.org structured data")
	}
	return Score(float64(good)/float64(terms), fmt.Sprintf("%d of %s known", good, count(terms, "term", "terms")), fs...)
}

// richType is what Google Search requires and recommends for one rich-result
// type (https://developers.google.com/search/docs/appearance/structured-data/search-gallery).
type richType struct {
	Required    []string // "a|b" means one of a or b
	Recommended []string
	Retired     string // why the rich result is gone, if it is
	Doc         string
}

// RichTypes are the rich-result requirements by schema.org type, as Google
// documents them (checked 2026-11-26).
var RichTypes = map[string]richType{
	"Product": {Required: []string{"name", "offers|review|aggregateRating"}, Recommended: []string{"image", "description", "brand", "sku|gtin|gtin13|gtin8|gtin12|gtin14|mpn"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/product-snippet"},
	"Offer":          {Required: []string{"price|priceSpecification"}, Recommended: []string{"priceCurrency", "availability"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/merchant-listing"},
	"Article":        {Recommended: []string{"headline", "image", "datePublished", "dateModified", "author"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/article"},
	"NewsArticle":    {Recommended: []string{"headline", "image", "datePublished", "dateModified", "author"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/article"},
	"BlogPosting":    {Recommended: []string{"headline", "image", "datePublished", "dateModified", "author"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/article"},
	"BreadcrumbList": {Required: []string{"itemListElement"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/breadcrumb"},
	"ListItem":       {Required: []string{"position"}, Recommended: []string{"name|item"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/breadcrumb"},
	"Event": {Required: []string{"name", "startDate", "location"}, Recommended: []string{"description", "endDate", "eventStatus", "image", "offers", "organizer", "performer"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/event"},
	"Recipe": {Required: []string{"name", "image"}, Recommended: []string{"author", "datePublished", "description", "recipeIngredient", "recipeInstructions", "totalTime|cookTime", "recipeYield", "aggregateRating"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/recipe"},
	"LocalBusiness": {Required: []string{"name", "address"}, Recommended: []string{"telephone", "url", "geo", "openingHoursSpecification", "priceRange"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/local-business"},
	"Organization": {Recommended: []string{"name", "url", "logo", "sameAs"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/organization"},
	"JobPosting": {Required: []string{"title", "description", "datePosted", "hiringOrganization", "jobLocation|applicantLocationRequirements"}, Recommended: []string{"validThrough", "employmentType", "baseSalary", "identifier"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/job-posting"},
	"VideoObject": {Required: []string{"name", "thumbnailUrl", "uploadDate"}, Recommended: []string{"description", "contentUrl|embedUrl", "duration"},
		Doc: "https://developers.google.com/search/docs/appearance/structured-data/video"},
	"Review":          {Required: []string{"author", "reviewRating"}, Recommended: []string{"itemReviewed", "datePublished"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/review-snippet"},
	"AggregateRating": {Required: []string{"ratingValue", "ratingCount|reviewCount"}, Recommended: []string{"bestRating"}, Doc: "https://developers.google.com/search/docs/appearance/structured-data/review-snippet"},
	"FAQPage":         {Retired: "FAQ rich results are shown only for well-known government and health sites since August 2023", Doc: "https://developers.google.com/search/blog/2023/08/howto-faq-changes"},
	"HowTo":           {Retired: "HowTo rich results were retired in September 2023", Doc: "https://developers.google.com/search/blog/2023/08/howto-faq-changes"},
}

// richFor returns the rich-result entry for the most specific type of e
// that has one (a Restaurant is checked as a LocalBusiness).
func richFor(e *Entity) (string, richType, bool) {
	for _, t := range e.Types {
		if r, ok := RichTypes[t]; ok {
			return t, r, true
		}
	}
	for _, t := range e.Types {
		for _, base := range []string{"LocalBusiness", "Article", "Organization", "Event", "Product", "Review", "Offer"} {
			if t != base && data.IsSubClassOf(t, base) {
				return base, RichTypes[base], true
			}
		}
	}
	return "", richType{}, false
}

func hasAny(e *Entity, alt string) bool {
	for _, a := range strings.Split(alt, "|") {
		for _, v := range e.Props[a] {
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				continue
			}
			if v != nil {
				return true
			}
		}
	}
	return false
}

func checkRichResults(p *Pass) Result {
	var fs []report.Finding
	total := 0
	sum := 0.0
	for _, pg := range p.HTMLPages() {
		u := pageURL(pg)
		for _, top := range p.entitiesOf(pg) {
			walkEntities(top, func(e *Entity, depth int) {
				t, rt, ok := richFor(e)
				if !ok || depth > 0 && t == "Organization" {
					return
				}
				if rt.Retired != "" {
					fs = append(fs, report.Finding{Severity: report.Info, Message: fmt.Sprintf("%s: %s (%s)", t, rt.Retired, rt.Doc), Location: report.Location{URL: u, Line: e.Line}})
					return
				}
				// Offers and ratings nested in a product are checked with it;
				// standing alone they are not rich results.
				if depth == 0 && (t == "Offer" || t == "AggregateRating" || t == "ListItem") {
					return
				}
				total++
				var missReq, missRec []string
				for _, r := range rt.Required {
					if !hasAny(e, r) {
						missReq = append(missReq, strings.ReplaceAll(r, "|", " or "))
					}
				}
				for _, r := range rt.Recommended {
					if !hasAny(e, r) {
						missRec = append(missRec, strings.ReplaceAll(r, "|", " or "))
					}
				}
				s := 1.0
				if len(missReq) > 0 {
					s = 0
					fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("%s (%s) lacks required %s: not eligible for rich results (%s)", t, e.Source, strings.Join(missReq, ", "), rt.Doc), Location: report.Location{URL: u, Line: e.Line}})
				} else if len(rt.Recommended) > 0 && len(missRec) > 0 {
					s = 1 - 0.5*float64(len(missRec))/float64(len(rt.Recommended))
					fs = append(fs, report.Finding{Severity: report.Info, Message: fmt.Sprintf("%s (%s) lacks recommended %s", t, e.Source, strings.Join(missRec, ", ")), Location: report.Location{URL: u, Line: e.Line}})
				}
				sum += s
			})
		}
	}
	if total == 0 {
		return NA("no rich-result types", fs...)
	}
	return Score(sum/float64(total), fmt.Sprintf("%d rich-result items", total), fs...)
}

func checkSocialCards(p *Pass) Result {
	var fs pageFindings
	pages := p.HTMLPages()
	sum := 0.0
	var missBuf [5]string
	for _, pg := range pages {
		f := p.facts(pg)
		miss := missBuf[:0]
		for _, k := range []string{"og:title", "og:type", "og:image", "og:url"} {
			if f.OpenGraph[k] == "" {
				miss = append(miss, k)
			}
		}
		if f.Twitter["twitter:card"] == "" {
			miss = append(miss, "twitter:card")
		}
		sum += 1 - float64(len(miss))/5
		if len(miss) > 0 {
			fs.add(pageURL(pg), report.Info, "missing "+strings.Join(miss, ", "))
		}
	}
	if len(pages) == 0 {
		return NA("no HTML pages")
	}
	pass := 0
	if sum > 0 {
		pass = 1 // some page has a tag: name the pages that lack some
	}
	return Score(sum/float64(len(pages)), "mean over "+count(len(pages), "page", "pages"),
		p.sitewide(fs, pass, len(pages), report.Info, "no page has OpenGraph or Twitter card tags (og:title, og:type, og:image, og:url, twitter:card)")...)
}
