// Package audit gathers what a site publishes for machines: it crawls a
// site (a URL, a local folder served on loopback, or a list of URLs),
// politely and within limits, and returns a Site per origin for the checks
// to read. The crawler is the only code in agentready that does network I/O
// for an audit; checks only read the Site.
//
// Memory stays bounded: a page's body and parsed document live only while
// the Extractors run over it, once, in the crawler; afterwards only the
// facts the extractors stored in Page.Facts (and the fetch metadata) remain,
// unless Options.KeepBodies is set.
package audit

import (
	"bytes"
	"net/http"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/agentready/agentready/audit/robots"
)

// Site is everything the crawler gathered for one origin
// (scheme://host[:port]).
type Site struct {
	// Origin is "scheme://host[:port]" with the default port omitted.
	Origin string `json:"origin"`
	// Target is what the user asked for: the start URL, the folder path, or
	// "urls" for a --urls list.
	Target string `json:"target"`
	// Folder is the local directory that was served, for a folder target.
	Folder string `json:"folder,omitempty"`
	// UserAgent is the User-Agent header the crawler sent; Token its product
	// token, the one robots.txt was obeyed for.
	UserAgent string `json:"userAgent"`
	Token     string `json:"token"`
	// Robots is the origin's /robots.txt.
	Robots *RobotsFile `json:"robots,omitempty"`
	// Sitemaps are the sitemaps fetched (from robots.txt Sitemap lines and
	// /sitemap.xml, following sitemap indexes), in fetch order.
	Sitemaps []*Sitemap `json:"sitemaps,omitempty"`
	// Pages are the pages fetched, sorted by URL. Pages that robots.txt
	// disallowed are listed with Skipped set and no fetch (at most
	// max(MaxPages, 100) of them).
	Pages []*Page `json:"pages"`
	// Extras are the per-origin artifacts that checks declared (well-known
	// paths), keyed by Extra.Name.
	Extras map[string]*Response `json:"extras,omitempty"`
	// Stats summarises the crawl of this origin.
	Stats Stats `json:"stats"`
	// Index is the position of the site's target in the list given to
	// Crawl (so that a caller streaming sites can keep the list's order).
	Index int `json:"-"`
	// Errors are origin-level problems (robots.txt unreachable, host stopped
	// after repeated 5xx, limit reached), in the order they happened.
	Errors []string `json:"errors,omitempty"`
}

// Stats summarises a crawl of one origin.
type Stats struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	// Requests counts every HTTP request sent to the origin (pages, robots,
	// sitemaps, extras, retries and redirects).
	Requests int `json:"requests"`
	Pages    int `json:"pages"`
	// Bytes is the number of body bytes received (after decompression).
	Bytes int64 `json:"bytes"`
	// Queued counts the URLs discovered in scope that were not fetched
	// because the crawl stopped first (max-pages, max-duration, a 5xx stop,
	// cancellation). URLs beyond --max-depth are not counted.
	Queued int `json:"queued"`
	// Disallowed counts the URLs robots.txt kept the crawler from fetching.
	Disallowed int `json:"disallowed"`
	Errors     int `json:"errors"`
	// Limit names the limit that stopped the crawl ("max-pages",
	// "max-duration", "5xx", "cancelled"), empty when the crawl ran out of
	// URLs.
	Limit string `json:"limit,omitempty"`
}

// Timing is how long the phases of one HTTP exchange took.
type Timing struct {
	// Connect is DNS plus TCP plus TLS; zero when a kept-alive connection
	// was reused.
	Connect time.Duration `json:"connect"`
	// FirstByte is from sending the request to the first response byte.
	FirstByte time.Duration `json:"firstByte"`
	// Total is from the start of the request to the end of the body,
	// including redirects.
	Total time.Duration `json:"total"`
}

// Redirect is one hop of a redirect chain.
type Redirect struct {
	URL      string `json:"url"`
	Status   int    `json:"status"`
	Location string `json:"location"`
}

// Response is one fetched URL: what any artifact (page, robots.txt, sitemap,
// extra request) records.
type Response struct {
	// URL is the URL requested, normalised.
	URL string `json:"url"`
	// FinalURL is the URL after redirects.
	FinalURL string `json:"finalUrl"`
	// Redirects is the chain from URL to FinalURL (at most 10 hops).
	Redirects []Redirect `json:"redirects,omitempty"`
	// Status is the final HTTP status; 0 when no response was received.
	Status int `json:"status"`
	// Header is the final response's header. Responses with identical
	// headers share one map (and common values are interned), so it is
	// read-only.
	Header http.Header `json:"header,omitempty"`
	// ContentType is the media type, lower case, without parameters.
	ContentType string `json:"contentType,omitempty"`
	// Charset is the character set the body was decoded from ("utf-8" when
	// the body was already UTF-8).
	Charset string `json:"charset,omitempty"`
	// Encoding is the Content-Encoding that was decoded (gzip, deflate, br).
	Encoding string `json:"encoding,omitempty"`
	// Body is the body, decompressed and decoded to UTF-8 for text types,
	// at most Options.MaxBodyBytes. It is nil for a Page after extraction
	// unless Options.KeepBodies.
	Body []byte `json:"-"`
	// Bytes is the size of the body received (decompressed, before charset
	// decoding), up to the cap.
	Bytes int64 `json:"bytes"`
	// Truncated is set when the body was cut at the cap (or a decompressed
	// body at the decompression cap).
	Truncated bool   `json:"truncated,omitempty"`
	Timing    Timing `json:"timing"`
	// Error says why the fetch failed (DNS, connect, timeout, too many
	// redirects, blocked private address, ...); empty on success, even for
	// a 4xx or 5xx status.
	Error string `json:"error,omitempty"`
	// Attempts is the number of tries (more than 1 after a 429 or 503).
	Attempts int `json:"attempts,omitempty"`
	// Fetched is when the response was complete.
	Fetched time.Time `json:"fetched"`

	// buf is the pooled buffer Body may point into (see bodyPool).
	buf *bytes.Buffer
}

// OK reports whether the fetch got a 2xx response.
func (r *Response) OK() bool { return r != nil && r.Error == "" && r.Status >= 200 && r.Status < 300 }

// Page is one page of the site.
type Page struct {
	Response
	// Depth is the number of links from a start URL (0 for start URLs and
	// URLs from a --urls list; sitemap URLs count as depth 1).
	Depth int `json:"depth"`
	// Source says how the URL was found: "start", "link", "sitemap", "list".
	Source string `json:"source"`
	// Referrer is the page that linked here, if any.
	Referrer string `json:"referrer,omitempty"`
	// Skipped says why the page was not fetched ("robots": robots.txt
	// disallows it for the crawler's token); empty when it was fetched.
	Skipped string `json:"skipped,omitempty"`
	// Robots is the robots.txt verdict for the crawler's own token.
	Robots robots.Verdict `json:"robots"`
	// Agents are the robots.txt verdicts for Options.RobotsAgents, sorted by
	// token.
	Agents []AgentVerdict `json:"agents,omitempty"`
	// LinkCount is the number of distinct in-scope links on the page.
	LinkCount int `json:"linkCount,omitempty"`
	// Links are those links, normalised and sorted, when Options.KeepLinks
	// is set (they are most of a page's memory in a large crawl).
	Links []string `json:"links,omitempty"`
	// Variants are the same URL fetched again as checks declared (another
	// Accept or User-Agent), keyed by Extra.Name.
	Variants map[string]*Response `json:"variants,omitempty"`
	// Facts are what Extractors stored about the page, keyed by extractor
	// name. The values must not reference the body or document.
	Facts map[string]any `json:"facts,omitempty"`
}

// AgentVerdict is robots.txt's verdict for one product token.
type AgentVerdict struct {
	Agent string `json:"agent"`
	robots.Verdict
}

// RobotsFile is an origin's /robots.txt.
type RobotsFile struct {
	Response
	// Raw is the body as received (at most robots.MaxSize bytes are parsed;
	// Raw holds at most Options.MaxBodyBytes).
	Raw []byte `json:"-"`
	// Policy is the parsed file, or the allow-all / disallow-all policy that
	// the status implies (RFC 9309 section 2.3.1).
	Policy *robots.Robots `json:"-"`
	// Semantics is how the status was read: "parsed", "allow-all"
	// (unavailable, 4xx) or "disallow-all" (unreachable: 5xx, 429, network
	// error).
	Semantics string `json:"semantics"`
	// Ignored is set when --ignore-robots made the crawler not obey it.
	Ignored bool `json:"ignored,omitempty"`
}

// Sitemap is one fetched sitemap file.
type Sitemap struct {
	Response
	// Index is set for a sitemap index (its URLs are sitemaps).
	Index bool `json:"index"`
	// From says where the sitemap was found: "robots", "default"
	// (/sitemap.xml), "index" (listed by another sitemap).
	From string `json:"from"`
	// Count is the number of <loc> entries (or text lines) in the file.
	Count int `json:"count"`
	// URLs are the first Options.MaxSitemapURLs entries, as written.
	URLs []string `json:"-"`
	// ParseError says why the file could not be read as a sitemap.
	ParseError string `json:"parseError,omitempty"`
}

// Extra is an artifact a check declares it needs beyond the crawled pages.
// Either Path is set, and the path is fetched once per origin, or it is
// empty, and each page (up to MaxPages of them, in crawl order) is fetched
// again with the given Accept and User-Agent headers.
type Extra struct {
	// Name is the key in Site.Extras or Page.Variants; unique.
	Name string
	// Path is an origin-relative path such as "/llms.txt" or
	// "/.well-known/ai-plugin.json".
	Path string
	// Accept, when set, replaces the Accept header ("text/markdown").
	Accept string
	// UserAgent, when set, replaces the User-Agent header (GPTBot's). Such a
	// request is still subject to robots.txt for the crawler's own token.
	UserAgent string
	// MaxPages bounds per-page variants; 0 means only the start pages.
	MaxPages int
}

// Document is what an Extractor sees of one HTML page.
type Document struct {
	// Page is the page; Page.Body is set.
	Page *Page
	// HTML is the parsed document, nil for non-HTML responses.
	HTML *goquery.Document
}

// Extractor turns one fetched page into facts, once, while the body and
// parsed document are alive. It runs on the crawler's goroutines, so it must
// be safe for concurrent use; it must not keep references to the body or
// document. It stores what it found with Page.SetFact.
type Extractor interface {
	// Name is the key of the extractor's facts in Page.Facts.
	Name() string
	Extract(d *Document)
}

// ExtractorFunc adapts a function to Extractor.
type ExtractorFunc struct {
	N string
	F func(d *Document)
}

// Name implements Extractor.
func (e ExtractorFunc) Name() string { return e.N }

// Extract implements Extractor.
func (e ExtractorFunc) Extract(d *Document) { e.F(d) }

// SetFact stores a fact about the page under key (an extractor's name).
// Extractors of one page run one after another, so no locking is needed.
func (p *Page) SetFact(key string, v any) {
	if p.Facts == nil {
		p.Facts = map[string]any{}
	}
	p.Facts[key] = v
}

// Page returns the page with the given URL (requested or final), or nil.
func (s *Site) Page(url string) *Page {
	for _, p := range s.Pages {
		if p.URL == url || p.FinalURL == url {
			return p
		}
	}
	return nil
}

// Allowed reports whether robots.txt lets the product token agent fetch url
// (true when the site has no robots.txt information).
func (s *Site) Allowed(agent, url string) bool {
	if s.Robots == nil || s.Robots.Policy == nil {
		return true
	}
	return s.Robots.Policy.Allowed(agent, url)
}
