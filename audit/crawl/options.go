// This file holds the options of a crawl, their defaults and their
// validation, and what a crawl reports as it goes (FetchEvent, Progress).

package crawl

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/agentready/agentready/audit/sitemap"
)

// Scope says which discovered URLs are crawled.
type Scope string

// Scopes.
const (
	// ScopeHost crawls URLs on the start URL's host (the default).
	ScopeHost Scope = "host"
	// ScopeDomain also crawls the host's subdomains and its parent
	// registrable domain's other subdomains (www.example.com and
	// docs.example.com alike).
	ScopeDomain Scope = "domain"
	// ScopePrefix crawls only URLs under the start URL's path.
	ScopePrefix Scope = "prefix"
)

// Defaults for the zero fields of Options.
const (
	DefaultMaxPages       = 100
	DefaultRate           = 4.0
	DefaultConcurrency    = 8
	DefaultMaxBodyBytes   = 5 << 20
	DefaultMaxRedirects   = 10
	DefaultMaxSitemapURLs = 50_000
	DefaultMax5xx         = 5
	DefaultRetryAfterCap  = 30 * time.Second
)

// Options configure a crawl. The zero value is usable: zero fields take the
// defaults above.
type Options struct {
	// UserAgent is the User-Agent header; its product token is the one
	// robots.txt is obeyed for. Default: "agentready/<Version>
	// (+https://github.com/agentready/agentready)".
	UserAgent string
	// Version fills the default UserAgent.
	Version string
	// IgnoreRobots fetches URLs that robots.txt disallows (for one's own
	// site). robots.txt is still fetched and recorded.
	IgnoreRobots bool
	// Scope limits discovery; default ScopeHost.
	Scope Scope
	// Include, when non-empty, keeps only discovered URLs matching one of
	// them; Exclude drops URLs matching any. Start URLs are always fetched.
	Include, Exclude []*regexp.Regexp
	// MaxPages bounds the pages fetched per origin (default 100; negative
	// means no limit).
	MaxPages int
	// MaxDepth bounds link depth from the start URLs (0: no limit).
	MaxDepth int
	// MaxDuration bounds the whole crawl (0: no limit).
	MaxDuration time.Duration
	// Rate is the per-host request rate in requests per second (default 4;
	// negative: no limit). A robots.txt Crawl-delay slows it further. A
	// folder target, served in-process, is not rate limited.
	Rate float64
	// Concurrency is the number of requests in flight per host (default 8).
	Concurrency int
	// MaxBodyBytes caps each body after decompression (default 5 MiB;
	// sitemaps may have up to the protocol's 50 MB).
	MaxBodyBytes int64
	// ConnectTimeout bounds DNS, TCP and TLS (default 10s); FirstByteTimeout
	// bounds the wait for response headers (default 15s); ResponseTimeout
	// bounds a whole exchange including the body (default 30s).
	ConnectTimeout, FirstByteTimeout, ResponseTimeout time.Duration
	// MaxRedirects bounds a redirect chain (default 10).
	MaxRedirects int
	// Max5xx stops crawling a host after this many consecutive 5xx
	// responses (default 5).
	Max5xx int
	// MaxRetries is how often a 429 or 503 is retried (default 2; negative:
	// never); RetryAfterCap caps the wait a Retry-After asks for (default
	// 30s).
	MaxRetries    int
	RetryAfterCap time.Duration
	// AllowPrivate permits connecting to private, loopback and link-local
	// addresses for a public target. Loopback targets are always allowed
	// their own address, as are folder targets (served in-process at
	// http://NAME.localhost, they stand for a loopback server).
	AllowPrivate bool
	// NoSitemaps skips sitemap discovery.
	NoSitemaps bool
	// MaxSitemapURLs bounds the URLs kept per sitemap file (default 50,000,
	// the protocol's limit).
	MaxSitemapURLs int
	// RobotsAgents are product tokens (GPTBot, ClaudeBot, ...) for which
	// every page gets a robots.txt verdict in Page.Agents.
	RobotsAgents []string
	// Extras are the artifacts checks declare.
	Extras []Extra
	// Extractors run once over every fetched page.
	Extractors []Extractor
	// Followers name what to fetch once an origin's crawl is done (see
	// FollowUp).
	Followers []Follower
	// Render, when set, loads each origin's pages in a browser once its
	// crawl is done (see Renderer).
	Render Renderer
	// KeepBodies keeps Page.Body after extraction (tests, small crawls).
	KeepBodies bool
	// KeepLinks keeps each page's in-scope links in Page.Links (the link
	// graph); without it only Page.LinkCount is kept.
	KeepLinks bool
	// OnFetch, when set, is called after every HTTP exchange (for -v logs).
	// It may be called concurrently.
	OnFetch func(FetchEvent)
	// OnProgress, when set, is called when the crawl's counters change
	// (at most a few times a second). It may be called concurrently.
	OnProgress func(Progress)
	// SiteConcurrency is the number of origins crawled at once (default 4).
	SiteConcurrency int
	// OnSite, when set, is called with each origin's Site as soon as its
	// crawl is done (so a caller can stream one JSON line per site).
	OnSite func(*Site)

	// allowAddrs are "ip:port" addresses the dial guard lets through even
	// for a public target (tests).
	allowAddrs map[string]bool
	// forcePublic treats a loopback target as public (tests of the guard).
	forcePublic bool
	// wrapFolder, when set, wraps the handler of folder targets (tests).
	wrapFolder func(http.Handler) http.Handler
}

// FetchEvent describes one finished HTTP exchange.
type FetchEvent struct {
	Kind     string // "page", "robots", "sitemap", "extra", "variant", "follow", "render"
	URL      string
	Status   int
	Bytes    int64
	Duration time.Duration
	Error    string
}

// Progress is a snapshot of a crawl's counters, over all origins.
type Progress struct {
	Done, Queued, Errors int
	Bytes                int64
	Elapsed              time.Duration
	// Requests counts every request made (pages, robots.txt, sitemaps,
	// well-known paths, variants, follow-ups and redirects); FollowUps
	// those of the follow-up phase still to make.
	Requests, FollowUps int
}

// String is the event as -v logs it: kind, status (or error), URL, size
// and time.
func (e FetchEvent) String() string {
	status := fmt.Sprint(e.Status)
	if e.Error != "" {
		status = "error: " + e.Error
	}
	return fmt.Sprintf("%-7s %s %s %s %s", e.Kind, status, e.URL, FormatBytes(e.Bytes), e.Duration.Round(time.Millisecond))
}

// String is the progress as a terminal's status line shows it.
func (p Progress) String() string {
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Done) / s
	}
	s := fmt.Sprintf("crawling: %d pages done, %d queued, %d errors, %.1f pages/s, %d requests, %s", p.Done, p.Queued, p.Errors, rate, p.Requests, FormatBytes(p.Bytes))
	if p.FollowUps > 0 {
		s += fmt.Sprintf(", %d follow-ups to go", p.FollowUps)
	}
	return s
}

// FormatBytes is a byte count as reports print it: 512 B, 2.0 KiB, 1.5 MiB.
func FormatBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// DefaultUserAgent returns the User-Agent the crawler sends by default.
func DefaultUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "agentready/" + version + " (+https://github.com/agentready/agentready)"
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent(o.Version)
	}
	if o.Scope == "" {
		o.Scope = ScopeHost
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.FirstByteTimeout <= 0 {
		o.FirstByteTimeout = 15 * time.Second
	}
	if o.ResponseTimeout <= 0 {
		o.ResponseTimeout = 30 * time.Second
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.Max5xx <= 0 {
		o.Max5xx = DefaultMax5xx
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 2
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryAfterCap <= 0 {
		o.RetryAfterCap = DefaultRetryAfterCap
	}
	if o.MaxSitemapURLs <= 0 || o.MaxSitemapURLs > sitemap.MaxURLs {
		o.MaxSitemapURLs = DefaultMaxSitemapURLs
	}
	if o.SiteConcurrency <= 0 {
		o.SiteConcurrency = 4
	}
	return o
}

func (o *Options) validate() error {
	switch o.Scope {
	case ScopeHost, ScopeDomain, ScopePrefix:
	default:
		return fmt.Errorf("scope %q: want host, domain or prefix", o.Scope)
	}
	names := map[string]bool{}
	for _, e := range o.Extras {
		if e.Name == "" || names[e.Name] {
			return fmt.Errorf("extra %q: names must be unique and non-empty", e.Name)
		}
		names[e.Name] = true
		if e.Path != "" && !strings.HasPrefix(e.Path, "/") {
			return fmt.Errorf("extra %q: path %q must start with /", e.Name, e.Path)
		}
	}
	return nil
}
