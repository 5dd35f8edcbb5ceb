package lint

import (
	"regexp"
	"slices"
	"strings"

	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

func init() {
	register(
		&Rule{ID: "get-no-body", Title: "GET and HEAD operations take no request body",
			Category: Safety, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkGetNoBody},
		&Rule{ID: "get-no-side-effects", Title: "GET operations are not named for side effects",
			Category: Safety, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkGetSideEffects},
		&Rule{ID: "post-idempotency-key", Title: "POST operations that create resources accept an Idempotency-Key header",
			Category: Safety, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkIdempotencyKey},
		&Rule{ID: "put-delete-idempotent", Title: "PUT and DELETE operations are idempotent as HTTP says",
			Category: Safety, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkPutDeleteIdempotent},
		&Rule{ID: "pagination-consistent", Title: "list operations paginate in one style, with a next link or cursor",
			Category: Safety, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkPagination},
	)
}

func checkGetNoBody(p *Pass) {
	for _, o := range p.Operations() {
		if (o.Method == "get" || o.Method == "head") && o.Op.RequestBody != nil {
			p.Report(o.Ptr+"/requestBody", "%s %s has a request body: many clients and proxies drop it", strings.ToUpper(o.Method), o.Path)
		}
	}
}

var sideEffectVerbs = map[string]bool{"delete": true, "remove": true, "create": true, "update": true, "set": true,
	"add": true, "post": true, "send": true, "cancel": true, "approve": true, "reject": true, "destroy": true,
	"insert": true, "modify": true, "purge": true, "write": true, "upload": true, "revoke": true, "reset": true}

func checkGetSideEffects(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method != "get" {
			continue
		}
		if v := idVerb(o.Op.OperationID); sideEffectVerbs[v] {
			p.Report(o.Ptr+"/operationId", "GET operation %q is named for a side effect (%s): agents treat GET as safe to call", o.Op.OperationID, v)
			continue
		}
		if ws := words(o.Op.Summary); len(ws) > 0 && sideEffectVerbs[ws[0]] {
			p.Report(o.Ptr+"/summary", "GET operation %s is summarised as a side effect (%q): agents treat GET as safe to call", o.Name(), o.Op.Summary)
		}
	}
}

// idVerb is the verb an operationId names. Namespaced IDs put it last:
// Google's service.resource.verb (blogger.postUserInfos.list) and Azure's
// Resource_Verb (VirtualMachineScaleSetVMs_List). Reading their first verb-like
// word instead takes a noun for the verb (a blog post, a scale set). Other
// IDs (verbNoun, verb_noun) start with it.
func idVerb(id string) string {
	last := func(sep string) string {
		i := strings.LastIndex(id, sep)
		if i < 0 {
			return ""
		}
		ws := words(id[i+1:])
		if len(ws) > 0 && (verbs[ws[0]] || sideEffectVerbs[ws[0]]) {
			return ws[0]
		}
		return ""
	}
	if v := last("."); v != "" {
		return v
	}
	if i := strings.LastIndex(id, "_"); i > 0 && strings.ToLower(id[:i]) != id[:i] {
		if v := last("_"); v != "" {
			return v
		}
	}
	return leadingVerb(words(id))
}

// leadingVerb is the first word of an operationId that is a verb; ids like
// "repos/delete-file" put a noun first.
func leadingVerb(ws []string) string {
	for _, w := range ws {
		if verbs[w] || sideEffectVerbs[w] {
			return w
		}
	}
	return ""
}

func hasHeaderParam(o *Op, name string) bool {
	return slices.ContainsFunc(o.Params, func(pa ParamAt) bool {
		return pa.P.In == "header" && strings.EqualFold(pa.P.Name, name)
	})
}

func creates(o *Op) bool {
	if o.Op.Responses != nil && o.Op.Responses.Value("201") != nil {
		return true
	}
	return idVerb(o.Op.OperationID) == "create" || o.Op.OperationID == "" && strings.HasPrefix(strings.ToLower(o.Op.Summary), "create")
}

func checkIdempotencyKey(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method != "post" || !creates(o) {
			continue
		}
		if !hasHeaderParam(o, "Idempotency-Key") && !hasHeaderParam(o, "X-Idempotency-Key") {
			p.Report(o.Ptr, "%s creates a resource but accepts no Idempotency-Key header: an agent that retries may create it twice", o.Name())
		}
	}
}

var nonIdempotentRe = regexp.MustCompile(`(?i)\b(increment|decrement|append|not idempotent|non-idempotent|each call (creates|adds)|every call (creates|adds))\b`)

func checkPutDeleteIdempotent(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method != "put" && o.Method != "delete" {
			continue
		}
		for _, field := range []string{"operationId", "summary", "description"} {
			text := map[string]string{"operationId": strings.Join(words(o.Op.OperationID), " "), "summary": o.Op.Summary, "description": o.Op.Description}[field]
			if m := nonIdempotentRe.FindString(text); m != "" {
				p.Report(o.Ptr+"/"+field, "%s %s says %q: PUT and DELETE must be idempotent, since agents and proxies retry them", strings.ToUpper(o.Method), o.Path, m)
				break
			}
		}
	}
}

var (
	cursorParams = map[string]bool{"cursor": true, "after": true, "before": true, "starting_after": true, "ending_before": true,
		"page_token": true, "pagetoken": true, "next_token": true, "nexttoken": true, "continuation": true, "continuation_token": true,
		"continuationtoken": true, "next": true, "marker": true, "since": true, "page[after]": true, "page[before]": true, "page[cursor]": true}
	pageParams = map[string]bool{"page": true, "per_page": true, "perpage": true, "page_size": true, "pagesize": true, "limit": true,
		"offset": true, "skip": true, "top": true, "$top": true, "$skip": true, "page[number]": true, "page[size]": true, "size": true}
	nextFields = map[string]bool{"next": true, "next_cursor": true, "nextcursor": true, "next_page": true, "nextpage": true,
		"next_page_token": true, "nextpagetoken": true, "cursor": true, "has_more": true, "hasmore": true, "links": true, "_links": true,
		"next_link": true, "nextlink": true, "@odata.nextlink": true, "continuation_token": true, "continuationtoken": true,
		"next_token": true, "nexttoken": true, "pagination": true, "page_info": true, "pageinfo": true, "meta": true,
		"total_count": true, "totalcount": true, "total": true, "last_page": true, "total_pages": true}
)

// nextRE matches a field naming the next page, once its name is lower
// case without separators: next, nextLink, next_page_uri (Twilio),
// nextPageUrl, NextToken and NextMarker (AWS), @odata.nextLink (Azure).
var nextRE = regexp.MustCompile(`^(odata)?next(page)?(link|url|uri|token|cursor|marker|key|offset)?$`)

// nextField reports whether a response field tells the client how to get
// the next page.
func nextField(name string) bool {
	n := strings.ToLower(name)
	if nextFields[n] {
		return true
	}
	n = strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', '@', '$':
			return -1
		}
		return r
	}, n)
	return nextFields[n] || nextRE.MatchString(n)
}

// paginationStyle says how an operation paginates: "cursor", "page" or "".
func paginationStyle(o *Op) string {
	style := ""
	for _, pa := range o.Params {
		if pa.P.In != "query" {
			continue
		}
		n := strings.ToLower(pa.P.Name)
		if cursorParams[n] {
			return "cursor"
		}
		if pageParams[n] && n != "limit" && n != "size" && n != "top" && n != "$top" {
			style = "page"
		}
	}
	return style
}

// listOp reports whether o returns a list: a GET whose 200 response is an
// array, or an object with an array property, or whose id starts with list.
func listOp(o *Op) bool {
	if o.Method != "get" {
		return false
	}
	if idVerb(o.Op.OperationID) == "list" {
		return true
	}
	if o.Op.Responses == nil {
		return false
	}
	r := o.Op.Responses.Value("200")
	if r == nil || r.Value == nil {
		return false
	}
	for _, mt := range r.Value.Content {
		if mt != nil && mt.Schema != nil && mt.Schema.Value != nil && slices.Contains(schemaTypes(mt.Schema.Value), "array") {
			return true
		}
	}
	return false
}

// hasNext reports whether o's 200 response says how to get the next page:
// a Link header or a next/cursor field.
func hasNext(o *Op) bool {
	r := o.Op.Responses.Value("200")
	if r == nil || r.Value == nil {
		return false
	}
	for name := range r.Value.Headers {
		if n := strings.ToLower(name); n == "link" || strings.Contains(n, "cursor") || strings.Contains(n, "next") || strings.Contains(n, "total") {
			return true
		}
	}
	for _, mt := range r.Value.Content {
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		if fieldsMatch(mt.Schema.Value, 0) {
			return true
		}
	}
	return false
}

func fieldsMatch(s *openapi3.Schema, depth int) bool {
	if s == nil || depth > 3 {
		return false
	}
	for name, ps := range s.Properties {
		if nextField(name) {
			return true
		}
		if ps != nil && ps.Value != nil && depth < 1 && fieldsMatch(ps.Value, depth+1) {
			return true
		}
	}
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, c := range l {
			if c != nil && fieldsMatch(c.Value, depth+1) {
				return true
			}
		}
	}
	return false
}

func checkPagination(p *Pass) {
	counts := map[string]int{}
	var lists []*Op
	for _, o := range p.Operations() {
		if !listOp(o) {
			continue
		}
		lists = append(lists, o)
		if st := paginationStyle(o); st != "" {
			counts[st]++
		}
	}
	major := "page"
	if counts["cursor"] > counts["page"] {
		major = "cursor"
	}
	for _, o := range lists {
		st := paginationStyle(o)
		switch {
		case st == "":
			// A list without pagination parameters may be short by
			// nature; only flag it when the spec paginates elsewhere.
			if counts["cursor"]+counts["page"] > 0 {
				p.Report(o.Ptr, "list operation %s does not paginate, while %d others do (%s style)", o.Name(), counts["cursor"]+counts["page"], major)
			}
		case counts["cursor"] > 0 && counts["page"] > 0 && st != major:
			p.Report(o.Ptr, "list operation %s paginates with %s parameters while most (%d) use %s: pick one style", o.Name(), st, counts[major], major)
		case !hasNext(o):
			p.Report(o.Ptr+"/responses", "list operation %s paginates but its response has no next link, cursor or Link header", o.Name())
		}
	}
}
