package checks

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

func init() {
	register(&Check{ID: "soft-404", Title: "Unknown paths answer 404", FailTitle: "Unknown paths answer 200 with the same page",
		Category: Discovery, Weight: 0, Severity: report.Warning, Needs: []string{needProbe}, Since: "0.1.0", HostOnly: true, Run: checkSoft404})
}

// probeName is the extra that fetches, once per origin, a random path
// that no site publishes, to learn what the host answers for a path it
// does not have. A host with a catch-all (an SPA fallback: Netlify and
// Vercel rewrites, Cloudflare Pages without a 404.html, most static
// hosts' "single-page app" switch) answers it 200 with its HTML page, and
// every well-known document it lacks the same way.
const probeName = "soft404-probe"

// needProbe is the need of the checks that read a well-known document:
// without the probe they would read a host's page for unknown paths as the
// document (an "invalid" API catalog, agent card, llms.txt).
const needProbe = "extra:" + probeName

// probeExtra is the probe: a fresh random path each run, so that no host
// can answer it specially. It sits at the root, not under /.well-known/:
// hosts that route /.well-known/ apart (ACME, real files) do so with real
// 404s, while the catch-all that answers /llms.txt and /openapi.json is the
// root's; a probe under /.well-known/ would miss a host whose catch-all
// stops there. It has no extension (some fallbacks, like
// connect-history-api-fallback, skip paths with a dot) and asks for HTML
// as any page fetch does. It is host-only: a folder is served by
// agentready, with real 404s.
func probeExtra() crawl.Extra {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return crawl.Extra{Name: probeName, Path: "/agentready-probe-" + hex.EncodeToString(b[:]), HostOnly: true}
}

// softAbsentError is the Error of a well-known document that the host
// answered with status as it answers any path: the checks read it as
// absent.
func softAbsentError(status int) string {
	return fmt.Sprintf("soft 404: status %d with the page the host answers any path with", status)
}

// softAbsent returns, by extra name, the well-known documents of the site
// that the host answered as it answered the probe (the same status class,
// the same or nearly the same body): each as a copy of its response with
// Error set (softAbsentError) and no body, so that every check reads it as
// it reads a 404. Nil when the probe did not answer 2xx.
func softAbsent(s *crawl.Site) map[string]*crawl.Response {
	probe := s.Extras[probeName]
	if probe == nil || !probe.OK() {
		return nil
	}
	var out map[string]*crawl.Response
	for _, w := range WellKnown {
		r := s.Extras[w.Name]
		if r == nil {
			continue // not asked for: no check of this run reads it
		}
		if !answeredAs(r, r.Body, w.Path, probe, probePathOf(s, probe)) {
			continue
		}
		c := *r
		c.Body, c.Error = nil, softAbsentError(r.Status)
		if out == nil {
			out = map[string]*crawl.Response{}
		}
		out[w.Name] = &c
	}
	return out
}

// answeredAs reports whether r, with body b, for path, is the answer the
// probe got for probePath: the same status class, 2xx, and the same or
// nearly the same body once both paths are removed from both bodies (see
// normalizeBody).
func answeredAs(r *crawl.Response, b []byte, path string, probe *crawl.Response, probePath string) bool {
	if r == nil || !r.OK() || r.Status/100 != probe.Status/100 {
		return false
	}
	strip := pathStrings(path, probePath)
	return nearlySame(normalizeBody(b, strip), normalizeBody(probe.Body, strip))
}

// pathStrings are what a page may echo of the paths it was asked for:
// each path without its leading slash, and its last segment (a page that
// fills its title or og:title from it), longest first.
func pathStrings(paths ...string) []string {
	var out []string
	for _, p := range paths {
		p = strings.TrimPrefix(p, "/")
		out = append(out, p)
		if i := strings.LastIndexByte(p, '/'); i >= 0 && i < len(p)-1 {
			out = append(out, p[i+1:])
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// softRobots reports whether the host answered /robots.txt as it answered
// the probe: its page for any path, which is no robots.txt.
func softRobots(s *crawl.Site) bool {
	probe, r := s.Extras[probeName], s.Robots
	if probe == nil || !probe.OK() || r == nil {
		return false
	}
	return answeredAs(&r.Response, r.Raw, "/robots.txt", probe, probePathOf(s, probe))
}

// softSitemap reports whether the default /sitemap.xml (the one asked for
// without a Sitemap: line naming it) was answered as the probe was: an
// HTML page where XML was asked for, on a host that answers any path with
// one. Its body is gone by then (the crawl parses sitemaps as they come),
// so the media types and the parse failure tell.
func softSitemap(s *crawl.Site, sm *crawl.Sitemap) bool {
	probe := s.Extras[probeName]
	if sm.From != "default" || !sm.OK() || sm.ParseError == "" || probe == nil || !probe.OK() {
		return false
	}
	media := func(ct string) string { m, _, _ := strings.Cut(ct, ";"); return strings.ToLower(strings.TrimSpace(m)) }
	return media(sm.ContentType) == "text/html" && media(probe.ContentType) == "text/html"
}

// siteExtra is Pass.Extra for code that reads a Site (follow-ups): a
// well-known document answered as the probe was reads as absent.
func siteExtra(s *crawl.Site, name string) *crawl.Response {
	if r, ok := softAbsent(s)[name]; ok {
		return r
	}
	return s.Extras[name]
}

// probePathOf is the path the probe asked for.
func probePathOf(s *crawl.Site, probe *crawl.Response) string {
	return strings.TrimPrefix(probe.URL, s.Origin)
}

// normalizeBody prepares a body for comparison with another path's: the
// strings strip removed (the paths the two were asked for, which a page
// may echo in a canonical link, a title or a "not found" line: removed
// from both bodies, so that the comparison stays symmetric), tokens that
// change per request masked (nonces, CSRF tokens, request IDs, timestamps:
// runs of 16 or more letters and digits with both, or of 6 or more
// digits) and runs of white space made one space.
func normalizeBody(b []byte, strip []string) []byte {
	for _, p := range strip {
		if p != "" {
			b = bytes.ReplaceAll(b, []byte(p), nil)
		}
	}
	out := make([]byte, 0, len(b))
	space := false
	for i := 0; i < len(b); {
		c := b[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			i++
			continue
		}
		space = false
		if !tokenByte(c) {
			out = append(out, c)
			i++
			continue
		}
		j, letters, digits := i, false, false
		for ; j < len(b) && tokenByte(b[j]); j++ {
			switch d := b[j]; {
			case d >= '0' && d <= '9':
				digits = true
			case d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z':
				letters = true
			}
		}
		if n := j - i; n >= 16 && letters && digits || n >= 6 && digits && !letters {
			out = append(out, '#')
		} else {
			out = append(out, b[i:j]...)
		}
		i = j
	}
	return out
}

func tokenByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '+' || c == '/' || c == '='
}

// nearlySame reports whether two normalised bodies are the same but for
// one stretch of at most a twentieth of the longer (a greeting with the
// time of day, a build stamp that normalizeBody did not mask).
func nearlySame(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	n := max(len(a), len(b))
	short := min(len(a), len(b))
	pre := 0
	for pre < short && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < short-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return 20*(n-pre-suf) <= n
}

func checkSoft404(p *Pass) Result {
	probe := p.Site.Extras[probeName]
	switch {
	case probe == nil && runCut(p.Site):
		return NA("the run ended before a random path was fetched")
	case probe == nil:
		return NA("no random path was fetched")
	case probe.Error != "":
		return NA("a random path could not be fetched: " + probe.Error)
	case !probe.OK():
		return Score(1, fmt.Sprintf("a random path answers %d", probe.Status))
	}
	var absent []string
	if softRobots(p.Site) {
		absent = append(absent, "/robots.txt")
	}
	soft := p.absent()
	for _, w := range WellKnown {
		if soft[w.Name] != nil {
			absent = append(absent, w.Path)
		}
	}
	read := "no well-known document was answered with it"
	if len(absent) > 0 {
		read = "read as absent: " + strings.Join(absent, ", ")
	}
	redirect := ""
	if probe.FinalURL != probe.URL {
		redirect = " after a redirect to " + probe.FinalURL
	}
	return Score(0, fmt.Sprintf("a random path answers %d", probe.Status),
		finding(p.Site.Origin, report.Warning, "the host answers unknown paths with %d and a page%s (a random path got %s of %s): agents cannot tell a missing page or document from a real one; %s",
			probe.Status, redirect, formatBytes(probe.Bytes), orNone(probe.ContentType), read))
}
