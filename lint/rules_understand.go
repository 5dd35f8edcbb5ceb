package lint

import (
	"strings"

	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

func init() {
	register(
		&Rule{ID: "success-response-schema", Title: "every 2xx response (but 204) has a schema",
			Category: Understand, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkSuccessSchema},
		&Rule{ID: "error-response-schema", Title: "error responses (4xx, 5xx, default) have a schema",
			Category: Understand, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkErrorSchema},
		&Rule{ID: "error-problem-json", Title: "error responses use application/problem+json (RFC 9457)",
			Category: Understand, Severity: report.Hint, Preset: Recommended, Since: "0.1.0", Run: checkProblemJSON},
		&Rule{ID: "auth-errors-documented", Title: "secured operations document 401 and 403",
			Category: Understand, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkAuthErrors},
		&Rule{ID: "rate-limit-headers", Title: "429 responses document Retry-After or RateLimit headers",
			Category: Understand, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkRateLimitHeaders},
	)
}

// responses returns an operation's responses sorted by status code.
func responses(o *Op) ([]string, map[string]*openapi3.ResponseRef) {
	if o.Op.Responses == nil {
		return nil, nil
	}
	m := o.Op.Responses.Map()
	return sortedKeys(m), m
}

func hasSchema(r *openapi3.Response) bool {
	for _, mt := range r.Content {
		if mt != nil && (mt.Schema != nil || mt.ItemSchema != nil) {
			return true
		}
	}
	return false
}

func checkSuccessSchema(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method == "head" || o.Method == "options" {
			continue
		}
		codes, m := responses(o)
		for _, code := range codes {
			r := m[code]
			if !strings.HasPrefix(code, "2") || code == "204" || code == "205" || r == nil || r.Value == nil {
				continue
			}
			if code == "202" && len(r.Value.Content) == 0 {
				continue // accepted for later processing: often nothing to say yet
			}
			if !hasSchema(r.Value) {
				p.Report(o.Ptr+"/responses/"+code, "%s response of %s has no schema: an agent cannot read the result", code, o.Name())
			}
		}
	}
}

func isErrorCode(code string) bool {
	return strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5") || code == "default"
}

func checkErrorSchema(p *Pass) {
	for _, o := range p.Operations() {
		if o.Method == "head" {
			continue
		}
		codes, m := responses(o)
		for _, code := range codes {
			r := m[code]
			if !isErrorCode(code) || r == nil || r.Value == nil {
				continue
			}
			if !hasSchema(r.Value) {
				p.Report(o.Ptr+"/responses/"+code, "%s response of %s has no schema: an agent cannot tell what went wrong", code, o.Name())
			}
		}
	}
}

func checkProblemJSON(p *Pass) {
	for _, o := range p.Operations() {
		codes, m := responses(o)
		for _, code := range codes {
			r := m[code]
			if !isErrorCode(code) || r == nil || r.Value == nil || !hasSchema(r.Value) {
				continue
			}
			ok := false
			for mt := range r.Value.Content {
				if strings.Contains(mt, "problem+json") || strings.Contains(mt, "problem+xml") {
					ok = true
				}
			}
			if !ok {
				p.Report(o.Ptr+"/responses/"+code, "%s response of %s is not application/problem+json (RFC 9457)", code, o.Name())
			}
		}
	}
}

// secured reports whether a requirement list demands credentials (an empty
// requirement object makes security optional).
func secured(reqs openapi3.SecurityRequirements) bool {
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return false
		}
	}
	return true
}

func checkAuthErrors(p *Pass) {
	for _, o := range p.Operations() {
		if !secured(o.Security) {
			continue
		}
		_, m := responses(o)
		var missing []string
		for _, code := range []string{"401", "403"} {
			if m[code] == nil && m["4XX"] == nil && m["4xx"] == nil {
				missing = append(missing, code)
			}
		}
		if len(missing) > 0 {
			p.Report(o.Ptr+"/responses", "%s requires credentials but does not document %s", o.Name(), strings.Join(missing, " or "))
		}
	}
}

func isRateLimitHeader(name string) bool {
	n := strings.ToLower(name)
	return n == "retry-after" || strings.HasPrefix(n, "ratelimit") || strings.HasPrefix(n, "x-ratelimit") || strings.HasPrefix(n, "x-rate-limit")
}

func checkRateLimitHeaders(p *Pass) {
	for _, o := range p.Operations() {
		_, m := responses(o)
		r := m["429"]
		if r == nil || r.Value == nil {
			continue
		}
		ok := false
		for name := range r.Value.Headers {
			if isRateLimitHeader(name) {
				ok = true
			}
		}
		if !ok {
			p.Report(o.Ptr+"/responses/429", "429 response of %s documents neither Retry-After nor RateLimit headers: an agent cannot tell when to retry", o.Name())
		}
	}
}
