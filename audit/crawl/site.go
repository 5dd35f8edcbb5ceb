// Package crawl gathers what a site publishes for machines: it crawls a
// site (a URL, a local folder served in-process, or a list of URLs),
// politely and within limits, and returns a Site per origin for the checks
// to read. The crawler is the only code in agentready that does network I/O
// for an audit; checks only read the Site.
//
// Memory stays bounded: a page's body and parsed document live only while
// the Extractors run over it, once, in the crawler; afterwards only the
// facts the extractors stored with Page.SetFact (and the fetch metadata) remain,
// unless Options.KeepBodies is set.
package crawl

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/audit/sitemap"
)

// Site is everything the crawler gathered for one origin
// (scheme://host[:port]).
type Site struct {
	// Origin is "scheme://host[:port]" with the default port omitted; for a
	// folder target, http://NAME.localhost, the same every run (see
	// Target.Folder).
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
	// Robots is the origin's /robots.txt; nil when the run ended before it
	// was read.
	Robots *RobotsFile `json:"robots,omitempty"`
	// Sitemaps are the sitemaps fetched (from robots.txt Sitemap lines and
	// /sitemap.xml, following sitemap indexes), in fetch order.
	Sitemaps []*Sitemap `json:"sitemaps,omitempty"`
	// Pages are the pages fetched, sorted by URL. Pages that robots.txt
	// disallowed are listed with Skipped set and no fetch (at most
	// max(MaxPages, 100) of them), as are pages whose fetch the end of the
	// run (cancellation, max-duration) cut.
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
	// cancellation), those whose fetch the end of the run cut (listed as
	// pages skipped "cancelled" or "max-duration") included. URLs beyond
	// --max-depth are not counted.
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
//
// A crawl keeps one Response per page until the checks have run, so the
// struct is compact: the charset and Content-Encoding pair is interned and
// shared, with the redirect chain, which few responses have, in the same
// record (a response's own only when it has one); timings are kept in
// microseconds and the fetch time in Unix nanoseconds. Read those through their methods. Its JSON form is
// unchanged (see MarshalJSON).
type Response struct {
	// URL is the URL requested, normalised.
	URL string
	// FinalURL is the URL after redirects (the same string as URL when
	// there was no redirect).
	FinalURL string
	// Status is the final HTTP status; 0 when no response was received.
	Status int
	// Header is the final response's header. Responses with identical
	// headers share one map (and common values are interned), so it is
	// read-only.
	Header http.Header
	// ContentType is the media type, lower case, without parameters.
	ContentType string
	// Body is the body, decompressed and decoded to UTF-8 for text types,
	// at most Options.MaxBodyBytes. It is nil for a Page after extraction
	// unless Options.KeepBodies.
	Body []byte
	// Bytes is the size of the body received (decompressed, before charset
	// decoding), up to the cap.
	Bytes int64
	// Error says why the fetch failed (DNS, connect, timeout, too many
	// redirects, blocked private address, ...); empty on success, even for
	// a 4xx or 5xx status.
	Error string

	// meta holds the charset, the Content-Encoding and the redirect chain;
	// nil when all are empty. Without a chain it is interned (shared), so
	// it is never changed in place.
	meta *respMeta
	// fetched is when the response was complete, in Unix nanoseconds
	// (0: unknown).
	fetched int64
	// timing is connect, first byte and total, in microseconds.
	timing [3]int32

	// Attempts is the number of tries (more than 1 after a 429 or 503).
	Attempts int16
	// Truncated is set when the body was cut at the cap (or a decompressed
	// body at the decompression cap).
	Truncated bool
}

// OK reports whether the fetch got a 2xx response.
func (r *Response) OK() bool { return r != nil && r.Error == "" && r.Status >= 200 && r.Status < 300 }

// Redirects is the chain from URL to FinalURL (at most 10 hops); nil when
// there was no redirect.
func (r *Response) Redirects() []Redirect {
	if r.meta == nil {
		return nil
	}
	return r.meta.redirects
}

// SetRedirects sets the redirect chain.
func (r *Response) SetRedirects(rs []Redirect) {
	r.setMeta(r.Charset(), r.Encoding(), slices.Clip(rs))
}

func (r *Response) addRedirect(rd Redirect) {
	r.setMeta(r.Charset(), r.Encoding(), append(slices.Clip(r.Redirects()), rd))
}

// Charset is the character set the body was decoded from ("utf-8" when
// the body was already UTF-8); empty for a body that was not decoded.
func (r *Response) Charset() string {
	if r.meta == nil {
		return ""
	}
	return r.meta.charset
}

// Encoding is the Content-Encoding that was decoded (gzip, deflate, br).
func (r *Response) Encoding() string {
	if r.meta == nil {
		return ""
	}
	return r.meta.encoding
}

// SetCoding sets the charset and the Content-Encoding.
func (r *Response) SetCoding(charset, encoding string) { r.setMeta(charset, encoding, r.Redirects()) }

func (r *Response) setMeta(charset, encoding string, redirects []Redirect) {
	summary := r.Summary()
	if len(redirects) == 0 && summary == nil {
		r.meta = internMeta(charset, encoding)
		return
	}
	r.meta = &respMeta{charset: charset, encoding: encoding, redirects: redirects, summary: summary}
}

// Summary is what a Summarize function (Extra.Summarize,
// FollowUp.Summarize) kept of the response in place of its body; nil when
// none ran.
func (r *Response) Summary() any {
	if r.meta == nil {
		return nil
	}
	return r.meta.summary
}

// SetSummary sets the summary of the body (see Summary).
func (r *Response) SetSummary(v any) {
	if v == nil && r.Summary() == nil {
		return
	}
	m := respMeta{summary: v}
	if r.meta != nil {
		m.charset, m.encoding, m.redirects = r.meta.charset, r.meta.encoding, r.meta.redirects
	}
	if v == nil && len(m.redirects) == 0 {
		r.meta = internMeta(m.charset, m.encoding)
		return
	}
	r.meta = &m
}

// summarize replaces the body of r with what f keeps of it, when f is
// set.
func (r *Response) summarize(f func(*Response) any) {
	if f == nil || r == nil {
		return
	}
	v := f(r)
	r.Body = nil
	r.SetSummary(v)
}

// Timing is how long the phases of the exchange took (to the
// microsecond).
func (r *Response) Timing() Timing {
	return Timing{Connect: micros(r.timing[0]), FirstByte: micros(r.timing[1]), Total: micros(r.timing[2])}
}

// SetTiming sets the timings (kept to the microsecond, at most about 35
// minutes each).
func (r *Response) SetTiming(t Timing) {
	r.timing = [3]int32{toMicros(t.Connect), toMicros(t.FirstByte), toMicros(t.Total)}
}

// Fetched is when the response was complete (UTC); zero when unknown.
func (r *Response) Fetched() time.Time {
	if r.fetched == 0 {
		return time.Time{}
	}
	return time.Unix(0, r.fetched).UTC()
}

// SetFetched sets when the response was complete.
func (r *Response) SetFetched(t time.Time) {
	if t.IsZero() {
		r.fetched = 0
		return
	}
	r.fetched = t.UnixNano()
}

func micros(us int32) time.Duration { return time.Duration(us) * time.Microsecond }

func toMicros(d time.Duration) int32 {
	us := d / time.Microsecond
	switch {
	case us > math.MaxInt32:
		return math.MaxInt32
	case us < 0:
		return 0
	}
	return int32(us)
}

// respMeta is a response's charset, Content-Encoding, redirect chain and
// body summary. Without a chain or a summary it is interned: a crawl sees
// a handful of (charset, encoding) pairs, and every page points at one.
type respMeta struct {
	charset, encoding string
	redirects         []Redirect
	summary           any
}

type coding struct{ charset, encoding string }

var metas struct {
	sync.Mutex
	m map[coding]*respMeta
}

// maxMetas bounds the interned pairs (a hostile site can name any
// charset); past it, pairs are allocated per response.
const maxMetas = 256

func internMeta(charset, encoding string) *respMeta {
	if charset == "" && encoding == "" {
		return nil
	}
	k := coding{charset, encoding}
	metas.Lock()
	defer metas.Unlock()
	if m := metas.m[k]; m != nil {
		return m
	}
	m := &respMeta{charset: strings.Clone(charset), encoding: strings.Clone(encoding)}
	if metas.m == nil {
		metas.m = map[coding]*respMeta{}
	}
	if len(metas.m) < maxMetas {
		metas.m[k] = m
	}
	return m
}

// responseJSON is a Response's JSON form (the field order is the
// documented one).
type responseJSON struct {
	URL         string      `json:"url"`
	FinalURL    string      `json:"finalUrl"`
	Redirects   []Redirect  `json:"redirects,omitempty"`
	Status      int         `json:"status"`
	Header      http.Header `json:"header,omitempty"`
	ContentType string      `json:"contentType,omitempty"`
	Charset     string      `json:"charset,omitempty"`
	Encoding    string      `json:"encoding,omitempty"`
	Bytes       int64       `json:"bytes"`
	Truncated   bool        `json:"truncated,omitempty"`
	Timing      Timing      `json:"timing"`
	Error       string      `json:"error,omitempty"`
	Attempts    int         `json:"attempts,omitempty"`
	Fetched     time.Time   `json:"fetched"`
}

func (r *Response) wire() responseJSON {
	return responseJSON{URL: r.URL, FinalURL: r.FinalURL, Redirects: r.Redirects(), Status: r.Status, Header: r.Header,
		ContentType: r.ContentType, Charset: r.Charset(), Encoding: r.Encoding(), Bytes: r.Bytes, Truncated: r.Truncated,
		Timing: r.Timing(), Error: r.Error, Attempts: int(r.Attempts), Fetched: r.Fetched()}
}

// MarshalJSON writes the response's fields (the body is not included).
func (r Response) MarshalJSON() ([]byte, error) { return json.Marshal(r.wire()) }

// Page is one page of the site. A crawl keeps every page until the checks
// have run, so a Page is compact: the fields that are rarely set (why it
// was skipped, per-agent verdicts, links, variants) sit behind one pointer
// allocated only when one of them is, the robots.txt verdict is shared
// between the pages it applies to, and the facts are a short list. Read
// those through their methods. Its JSON form is unchanged (see
// MarshalJSON).
type Page struct {
	Response
	// Source says how the URL was found: "start", "link", "sitemap", "list".
	Source string
	// Referrer is the page that linked here, if any.
	Referrer string

	// robots is the robots.txt verdict for the crawler's own token (shared
	// between pages).
	robots *robots.Verdict
	// facts points at the first of nfacts facts that Extractors stored,
	// sorted by key (see factList).
	facts *fact
	// rare holds the fields few pages have; nil when none is set.
	rare *pageRare

	// Depth is the number of links from a start URL (0 for start URLs and
	// URLs from a --urls list; sitemap URLs count as depth 1).
	Depth int32
	// LinkCount is the number of distinct in-scope links on the page (at
	// most the 10,000 links read from a page).
	LinkCount int16
	nfacts    uint16
}

// factList is the page's facts.
func (p *Page) factList() []fact {
	if p.facts == nil {
		return nil
	}
	return unsafe.Slice(p.facts, p.nfacts)
}

// fact is one extractor's fact; key points at the interned extractor name
// (a page has one fact per extractor, and a crawl a few extractors).
type fact struct {
	key *string
	val any
}

var factKeys struct {
	sync.Mutex
	m map[string]*string
}

// maxFactKeys bounds the interned keys; past it, keys are allocated per
// fact.
const maxFactKeys = 1024

func internFactKey(key string) *string {
	factKeys.Lock()
	defer factKeys.Unlock()
	if k := factKeys.m[key]; k != nil {
		return k
	}
	k := new(string)
	*k = strings.Clone(key)
	if factKeys.m == nil {
		factKeys.m = map[string]*string{}
	}
	if len(factKeys.m) < maxFactKeys {
		factKeys.m[*k] = k
	}
	return k
}

// pageRare are the fields of a Page that few pages have.
type pageRare struct {
	skipped  string
	agents   []AgentVerdict
	links    []string
	variants map[string]*Response
}

func (p *Page) rareFields() *pageRare {
	if p.rare == nil {
		p.rare = &pageRare{}
	}
	return p.rare
}

// Skipped says why the page was not fetched: "robots" (robots.txt
// disallows it for the crawler's token), "cancelled" or "max-duration"
// (the run ended before its fetch did: Error says so, and it is no
// evidence about the site); empty when it was fetched.
func (p *Page) Skipped() string {
	if p.rare == nil {
		return ""
	}
	return p.rare.skipped
}

// SetSkipped sets why the page was not fetched.
func (p *Page) SetSkipped(why string) {
	if why != "" || p.rare != nil {
		p.rareFields().skipped = why
	}
}

// Robots is the robots.txt verdict for the crawler's own token.
func (p *Page) Robots() robots.Verdict {
	if p.robots == nil {
		return robots.Verdict{}
	}
	return *p.robots
}

// SetRobots sets the robots.txt verdict for the crawler's own token.
func (p *Page) SetRobots(v robots.Verdict) { p.robots = &v }

// Agents are the robots.txt verdicts for Options.RobotsAgents, sorted by
// token.
func (p *Page) Agents() []AgentVerdict {
	if p.rare == nil {
		return nil
	}
	return p.rare.agents
}

// SetAgents sets the per-agent verdicts (sorted by token).
func (p *Page) SetAgents(vs []AgentVerdict) {
	if len(vs) > 0 || p.rare != nil {
		p.rareFields().agents = vs
	}
}

// Links are the page's distinct in-scope links, normalised and sorted,
// when Options.KeepLinks is set (they are most of a page's memory in a
// large crawl).
func (p *Page) Links() []string {
	if p.rare == nil {
		return nil
	}
	return p.rare.links
}

// SetLinks sets the page's links.
func (p *Page) SetLinks(links []string) {
	if len(links) > 0 || p.rare != nil {
		p.rareFields().links = links
	}
}

// Variants are the same URL fetched again as checks declared (another
// Accept or User-Agent), keyed by Extra.Name; nil when none was. The map
// is read-only: use SetVariant.
func (p *Page) Variants() map[string]*Response {
	if p.rare == nil {
		return nil
	}
	return p.rare.variants
}

// Variant returns the variant named name, or nil.
func (p *Page) Variant(name string) *Response {
	if p.rare == nil {
		return nil
	}
	return p.rare.variants[name]
}

// SetVariant stores a variant of the page under name.
func (p *Page) SetVariant(name string, r *Response) {
	rf := p.rareFields()
	if rf.variants == nil {
		rf.variants = map[string]*Response{}
	}
	rf.variants[name] = r
}

// Fact returns what the extractor named key stored, or nil.
func (p *Page) Fact(key string) any {
	for _, f := range p.factList() {
		if *f.key == key {
			return f.val
		}
	}
	return nil
}

// Facts returns the facts the Extractors stored, keyed by extractor name
// (a new map: changing it does not change the page).
func (p *Page) Facts() map[string]any {
	fs := p.factList()
	if len(fs) == 0 {
		return nil
	}
	m := make(map[string]any, len(fs))
	for _, f := range fs {
		m[*f.key] = f.val
	}
	return m
}

// pageJSON is a Page's JSON form (the field order is the documented one).
type pageJSON struct {
	responseJSON
	Depth     int                  `json:"depth"`
	Source    string               `json:"source"`
	Referrer  string               `json:"referrer,omitempty"`
	Skipped   string               `json:"skipped,omitempty"`
	Robots    robots.Verdict       `json:"robots"`
	Agents    []AgentVerdict       `json:"agents,omitempty"`
	LinkCount int                  `json:"linkCount,omitempty"`
	Links     []string             `json:"links,omitempty"`
	Variants  map[string]*Response `json:"variants,omitempty"`
	Facts     map[string]any       `json:"facts,omitempty"`
}

// MarshalJSON writes the page's fields (the body is not included).
func (p Page) MarshalJSON() ([]byte, error) {
	return json.Marshal(pageJSON{responseJSON: p.wire(), Depth: int(p.Depth), Source: p.Source, Referrer: p.Referrer,
		Skipped: p.Skipped(), Robots: p.Robots(), Agents: p.Agents(), LinkCount: int(p.LinkCount), Links: p.Links(),
		Variants: p.Variants(), Facts: p.Facts()})
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

// MarshalJSON writes the response's fields and the file's own.
func (r RobotsFile) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		responseJSON
		Semantics string `json:"semantics"`
		Ignored   bool   `json:"ignored,omitempty"`
	}{r.wire(), r.Semantics, r.Ignored})
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
	// URLs are the first Options.MaxSitemapURLs entries, as written, within
	// 16 MiB of URLs per site (Truncated is set when that cut them).
	URLs []string `json:"-"`
	// ParseError says why the file could not be read as a sitemap.
	ParseError string `json:"parseError,omitempty"`
	// LastMod summarises the entries' <lastmod> values.
	LastMod sitemap.LastMod `json:"lastmod"`
}

// MarshalJSON writes the response's fields and the sitemap's own.
func (s Sitemap) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		responseJSON
		Index      bool             `json:"index"`
		From       string           `json:"from"`
		Count      int              `json:"count"`
		ParseError string           `json:"parseError,omitempty"`
		LastMod    *sitemap.LastMod `json:"lastmod,omitempty"`
	}{s.wire(), s.Index, s.From, s.Count, s.ParseError, lastModJSON(s.LastMod)})
}

// lastModJSON leaves an empty <lastmod> summary (a text sitemap, a fetch
// that failed) out of the JSON form.
func lastModJSON(l sitemap.LastMod) *sitemap.LastMod {
	if l.Entries == 0 {
		return nil
	}
	return &l
}

// SetFact stores a fact about the page under key (an extractor's name).
// Extractors of one page run one after another, so no locking is needed.
func (p *Page) SetFact(key string, v any) {
	fs := p.factList()
	for i := range fs {
		if *fs[i].key == key {
			fs[i].val = v
			return
		}
	}
	if len(fs) == math.MaxUint16 {
		panic("audit: too many facts on a page")
	}
	fs = append(slices.Clip(fs), fact{internFactKey(key), v})
	slices.SortFunc(fs, func(a, b fact) int { return strings.Compare(*a.key, *b.key) })
	p.facts, p.nfacts = &fs[0], uint16(len(fs))
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
