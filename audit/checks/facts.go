package checks

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/bits"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/botwall"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/extract"
)

// FactsKey is the key of this package's facts (audit.Page.Fact).
const FactsKey = "checks"

// maxItemBytes bounds the structured data kept per page (the JSON size of
// the items); beyond it items are dropped and Truncated is set, so memory
// stays bounded on pages with huge JSON-LD.
const maxItemBytes = 256 << 10

// PageFacts is everything the checks need to know about one page, taken
// while its body is alive.
type PageFacts struct {
	HTML bool `json:"html"`

	Title       string `json:"title,omitempty"`
	Titles      int    `json:"titles,omitempty"`
	Description string `json:"description,omitempty"`
	Lang        string `json:"lang,omitempty"`
	H1          int    `json:"h1"`
	// HeadingSkips are jumps in heading level ("h2 -> h4").
	HeadingSkips []string `json:"headingSkips,omitempty"`
	Main, Nav    bool     `json:"-"`
	Images       int      `json:"images,omitempty"`
	ImagesNoAlt  int      `json:"imagesNoAlt,omitempty"`
	Anchors      int      `json:"anchors,omitempty"`
	// VagueLinks are link texts such as "click here"; Uncrawlable anchors
	// without a real href (javascript:, onclick only).
	VagueLinks     []string `json:"vagueLinks,omitempty"`
	Uncrawlable    []string `json:"uncrawlable,omitempty"`
	Tables         int      `json:"tables,omitempty"`
	TablesNoHeader int      `json:"tablesNoHeader,omitempty"`

	Canonicals []string    `json:"canonicals,omitempty"`
	Hreflangs  [][2]string `json:"hreflangs,omitempty"` // lang, href
	RobotsMeta []string    `json:"robotsMeta,omitempty"`
	TDM        string      `json:"tdmReservation,omitempty"`

	Words      int  `json:"words"`
	HTMLBytes  int  `json:"htmlBytes"`
	ShellRoot  bool `json:"shellRoot,omitempty"`  // an empty #root, #__next, #app, #___gatsby
	NoscriptJS bool `json:"noscriptJs,omitempty"` // <noscript> asks to enable JavaScript

	JSONLD    []extract.JSONLDBlock `json:"jsonld,omitempty"`
	Microdata []any                 `json:"microdata,omitempty"`
	RDFa      []any                 `json:"rdfa,omitempty"`
	Truncated bool                  `json:"truncated,omitempty"`
	OpenGraph map[string]string     `json:"openGraph,omitempty"`
	Twitter   map[string]string     `json:"twitter,omitempty"`

	Feeds          [][2]string `json:"feeds,omitempty"` // type, absolute href
	MarkdownAlt    string      `json:"markdownAlternate,omitempty"`
	Forms          int         `json:"forms,omitempty"`
	PasswordInputs int         `json:"passwordInputs,omitempty"`
	// WebMCPTools are the tool names declared on forms (toolname attribute
	// of the WebMCP declarative API proposal).
	WebMCPTools []string `json:"webmcpTools,omitempty"`

	Wall botwall.Verdict `json:"wall"`
	// Soft404 is set for a 2xx page that says it was not found.
	Soft404 bool `json:"soft404,omitempty"`

	// Feed is set for a feed document (RSS, Atom, JSON Feed).
	Feed *FeedFacts `json:"feed,omitempty"`

	// Error says why extraction failed (an internal error); the other
	// fields are then empty.
	Error string `json:"error,omitempty"`

	// src is the stored facts this PageFacts was decoded from (see
	// factstore.go), nil for facts computed or built by hand.
	src *storedFacts
}

// FeedFacts describe a fetched feed.
type FeedFacts struct {
	Format string `json:"format"` // rss, atom, json
	Items  int    `json:"items"`
	Error  string `json:"error,omitempty"`
}

// FactsOf returns the facts the Extractor stored on a page, or nil. The
// crawl keeps them encoded (factstore.go) and FactsOf decodes them (the
// same PageFacts while an earlier decoding is alive): read it, do not
// change it.
func FactsOf(p *crawl.Page) *PageFacts {
	if p == nil {
		return nil
	}
	switch f := p.Fact(FactsKey).(type) {
	case *storedFacts:
		return f.facts()
	case *PageFacts:
		return f
	}
	return nil
}

// Extractor returns the extractor the crawler must run for these checks.
func Extractor() crawl.Extractor {
	return crawl.ExtractorFunc{N: FactsKey, F: func(d *crawl.Document) {
		// A bug on one strange page must not take the crawl down: the page
		// keeps empty facts that say what went wrong.
		defer func() {
			if e := recover(); e != nil {
				SetFacts(d.Page, &PageFacts{Error: fmt.Sprintf("extracting facts failed: %v", e)})
			}
		}()
		SetFacts(d.Page, Facts(d.Page.Status, d.Page.Header, d.Page.ContentType, d.Page.FinalURL, d.Page.Body, root(d)))
	}}
}

func root(d *crawl.Document) *xhtml.Node {
	if d.HTML == nil || len(d.HTML.Nodes) == 0 {
		return nil
	}
	return d.HTML.Nodes[0]
}

var (
	vagueTexts = map[string]bool{"click here": true, "here": true, "read more": true, "more": true, "learn more": true,
		"link": true, "this": true, "click": true, "go": true, "start": true, "right here": true, "this page": true, "continue": true}
	notFoundRE = regexp.MustCompile(`(?i)\b(404|page not found|not found|page doesn.t exist|page does not exist)\b`)
	enableJSRE = regexp.MustCompile(`(?i)(enable|turn on|requires?)\s+javascript|javascript (is )?(required|disabled)`)
)

// Facts computes the facts of one response. doc is the parsed HTML (nil
// for other types; it is parsed from body when nil and the type is HTML).
func Facts(status int, h map[string][]string, contentType, pageURL string, body []byte, doc *xhtml.Node) *PageFacts {
	f := &PageFacts{HTMLBytes: len(body)}
	ct := strings.ToLower(contentType)
	switch {
	case ct == "text/html" || ct == "application/xhtml+xml" || (ct == "" && looksHTML(body)):
	case strings.Contains(ct, "xml") || strings.Contains(ct, "json"):
		f.Wall = botwall.Detect(status, h, body)
		f.Feed = feedFacts(ct, body)
		return f
	default:
		f.Wall = botwall.Detect(status, h, body)
		return f
	}
	f.HTML = true
	if doc == nil {
		var err error
		if doc, err = xhtml.Parse(bytes.NewReader(body)); err != nil {
			f.Wall = botwall.Detect(status, h, body)
			return f
		}
	}
	base, _ := url.Parse(pageURL)
	seen := walkFacts(f, doc, base)
	f.Wall = botwall.DetectWords(status, h, body, f.Words)
	// The structured-data extractors each walk the whole tree; the walk
	// above saw whether the page has any of their markup, and one that has
	// none gets what the extractor returns for it without the walk.
	if seen.jsonLD {
		f.JSONLD = extract.JSONLDFromTree(doc)
		locateJSONLD(f.JSONLD, body)
	}
	if seen.itemscope {
		f.Microdata = extract.Microdata(doc, pageURL, extract.MicrodataOptions{})
	} else {
		f.Microdata = []any{}
	}
	if seen.typeof {
		f.RDFa = extract.RDFaLite(doc, pageURL)
	}
	if n := jsonSize(f.JSONLD) + jsonSize(f.Microdata) + jsonSize(f.RDFa); n > maxItemBytes {
		f.Truncated = true
		for i := range f.JSONLD {
			f.JSONLD[i].Items = nil
		}
		f.Microdata, f.RDFa = nil, nil
	}
	if og := extract.OpenGraphData(doc); len(og) > 0 {
		f.OpenGraph = map[string]string{}
		for _, o := range og {
			for _, p := range o.Properties {
				if _, dup := f.OpenGraph[p[0]]; !dup {
					f.OpenGraph[p[0]] = p[1]
				}
			}
		}
	}
	if seen.twitter {
		if tw := extract.TwitterCard(doc); len(tw) > 0 {
			f.Twitter = tw
		}
	}
	// A soft 404 is a short 2xx page whose title or heading says it was not
	// found; an article about 404 errors is long.
	if status >= 200 && status < 300 && f.Words < 150 && (notFoundRE.MatchString(f.Title) || f.H1 > 0 && notFoundRE.MatchString(firstH1(doc))) {
		f.Soft404 = true
	}
	return f
}

func looksHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 512)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// jsonSize is the length of v's JSON encoding. Most pages have no items of
// a kind, and the encoding of no items ("null" or "[]") is known.
func jsonSize[T any](v []T) int {
	switch {
	case v == nil:
		return len("null")
	case len(v) == 0:
		return len("[]")
	}
	b, _ := json.Marshal(v)
	return len(b)
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

func firstH1(doc *xhtml.Node) string {
	var h *xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if h != nil {
			return
		}
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.H1 {
			h = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h == nil {
		return ""
	}
	return extract.TextContent(h)
}

func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

// markup says which structured-data markup walkFacts saw on a page: a
// JSON-LD script, an itemscope or typeof attribute, a twitter:* meta tag.
type markup struct{ jsonLD, itemscope, typeof, twitter bool }

func walkFacts(f *PageFacts, doc *xhtml.Node, base *url.URL) (seen markup) {
	lastLevel := 0
	var linkBuf [32]byte
	var walk func(n *xhtml.Node, inHead bool)
	walk = func(n *xhtml.Node, inHead bool) {
		if n.Type == xhtml.TextNode {
			if p := n.Parent; p != nil && !invisibleText(p.DataAtom) {
				f.Words += countWords(n.Data)
			}
			return
		}
		if n.Type == xhtml.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "itemscope":
					seen.itemscope = true
				case "typeof":
					seen.typeof = true
				case "role":
					// ARIA landmark roles are what <main> and <nav>
					// are to assistive technology and to readers that
					// extract the main text (Sphinx's classic theme,
					// DocBook, older templates mark them so).
					switch landmarkRole(a.Val) {
					case "main":
						f.Main = true
					case "navigation":
						f.Nav = true
					}
				}
			}
			switch n.DataAtom {
			case atom.Script:
				if extract.IsJSONLDType(attr(n, "type")) {
					seen.jsonLD = true
				}
			case atom.Html:
				f.Lang = strings.TrimSpace(attr(n, "lang"))
				if f.Lang == "" {
					f.Lang = strings.TrimSpace(attr(n, "xml:lang"))
				}
			case atom.Head:
				inHead = true
			case atom.Title:
				f.Titles++
				if f.Titles == 1 {
					f.Title = strings.TrimSpace(extract.TextContent(n))
				}
			case atom.Meta:
				name := strings.ToLower(strings.TrimSpace(attr(n, "name")))
				content := attr(n, "content")
				switch name {
				case "description":
					if f.Description == "" {
						f.Description = strings.TrimSpace(content)
					}
				case "robots", "googlebot", "gptbot", "claudebot", "ccbot":
					f.RobotsMeta = append(f.RobotsMeta, name+": "+strings.ToLower(strings.TrimSpace(content)))
				case "tdm-reservation":
					f.TDM = strings.TrimSpace(content)
				}
				// The test extract.TwitterCard makes of a meta tag.
				k := attr(n, "name")
				if k == "" {
					k = attr(n, "property")
				}
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(k)), "twitter:") {
					seen.twitter = true
				}
			case atom.Link:
				rels := strings.Fields(strings.ToLower(attr(n, "rel")))
				href := attr(n, "href")
				typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
				for _, rel := range rels {
					switch rel {
					case "canonical":
						f.Canonicals = append(f.Canonicals, href)
					case "alternate":
						if hl := attr(n, "hreflang"); hl != "" {
							f.Hreflangs = append(f.Hreflangs, [2]string{hl, href})
						}
						switch typ {
						case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json+feed":
							f.Feeds = append(f.Feeds, [2]string{typ, resolve(base, href)})
						case "text/markdown", "text/x-markdown":
							if f.MarkdownAlt == "" {
								f.MarkdownAlt = resolve(base, href)
							}
						}
					}
				}
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				level := int(n.Data[1] - '0')
				if n.DataAtom == atom.H1 {
					f.H1++
				}
				if lastLevel > 0 && level > lastLevel+1 {
					f.HeadingSkips = append(f.HeadingSkips, "h"+string(rune('0'+lastLevel))+" -> h"+string(rune('0'+level)))
				}
				lastLevel = level
			case atom.Main:
				f.Main = true
			case atom.Nav:
				f.Nav = true
			case atom.Img:
				f.Images++
				if !hasAttr(n, "alt") && attr(n, "role") != "presentation" && attr(n, "aria-hidden") != "true" {
					f.ImagesNoAlt++
				}
			case atom.A:
				f.Anchors++
				href, has := attrOK(n, "href")
				h := strings.ToLower(strings.TrimSpace(href))
				if (!has && hasAttr(n, "onclick")) || strings.HasPrefix(h, "javascript:") {
					if len(f.Uncrawlable) < 20 {
						f.Uncrawlable = append(f.Uncrawlable, strings.TrimSpace(href+" "+truncate(extract.TextContent(n), 40)))
					}
				}
				if has && attr(n, "aria-label") == "" && shortText(n, 24) {
					if b, ok := asciiLinkText(n, linkBuf[:0]); ok {
						if vagueTexts[string(b)] && len(f.VagueLinks) < 20 {
							f.VagueLinks = append(f.VagueLinks, string(b))
						}
					} else if !codeLink(n) {
						t := strings.ToLower(strings.Trim(extract.TextContent(n), " .!?»›→"))
						if vagueTexts[t] && len(f.VagueLinks) < 20 {
							f.VagueLinks = append(f.VagueLinks, t)
						}
					}
				}
			case atom.Table:
				// Only data tables large enough to need headers count
				// (axe-core's td-has-header: 3x3 and up); navigation
				// bars and layout grids made of tables do not.
				if dataTable(n) {
					f.Tables++
					if !hasDescendant(n, atom.Th) {
						f.TablesNoHeader++
					}
				}
			case atom.Form:
				f.Forms++
				if t := strings.TrimSpace(attr(n, "toolname")); t != "" {
					f.WebMCPTools = append(f.WebMCPTools, t)
				}
			case atom.Input:
				if strings.EqualFold(attr(n, "type"), "password") {
					f.PasswordInputs++
				}
			case atom.Noscript:
				if enableJSRE.MatchString(extract.TextContent(n)) || enableJSRE.MatchString(rawText(n)) {
					f.NoscriptJS = true
				}
			case atom.Div, atom.Body:
				switch attr(n, "id") {
				case "root", "__next", "app", "___gatsby", "__nuxt", "svelte":
					if strings.TrimSpace(extract.TextContent(n)) == "" {
						f.ShellRoot = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHead)
		}
	}
	walk(doc, false)
	return seen
}

// codeLink reports whether a link's text is code (<a><code>continue</code></a>
// links the documentation of the continue statement): an identifier names
// its target, however vague the word is in prose.
func codeLink(n *xhtml.Node) bool {
	for _, a := range []atom.Atom{atom.Code, atom.Kbd, atom.Samp, atom.Var, atom.Tt} {
		if hasDescendant(n, a) {
			return true
		}
	}
	return false
}

// landmarkRole is the main or navigation role of a role attribute (a list
// of tokens of which the first recognised one applies), or "".
func landmarkRole(v string) string {
	for _, r := range strings.Fields(v) {
		switch r = strings.ToLower(r); r {
		case "main", "navigation":
			return r
		case "banner", "complementary", "contentinfo", "form", "region", "search", "presentation", "none",
			"article", "document", "application", "dialog", "list", "menu", "menubar", "tablist", "toolbar", "tree", "grid", "table":
			return "" // a recognised role that is not one of them
		}
	}
	return ""
}

// asciiLinkText is the text the vague-link test compares for an element
// whose only child is ASCII text (most links): what
// strings.ToLower(strings.Trim(extract.TextContent(n), " .!?»›→")) gives,
// built in buf without allocating. ok is false for any other element.
func asciiLinkText(n *xhtml.Node, buf []byte) (_ []byte, ok bool) {
	c := n.FirstChild
	if c == nil || c != n.LastChild || c.Type != xhtml.TextNode {
		return nil, false
	}
	out, gap := buf[:0], false
	for i := 0; i < len(c.Data); i++ {
		b := c.Data[i]
		switch {
		case b >= 0x80:
			return nil, false
		case b == ' ' || '\t' <= b && b <= '\r' || 0x1c <= b && b <= 0x1f: // TextContent's white space
			gap = true
		default:
			if gap && len(out) > 0 {
				out = append(out, ' ')
			}
			gap = false
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			out = append(out, b)
		}
	}
	trim := func(b byte) bool { return b == ' ' || b == '.' || b == '!' || b == '?' }
	for len(out) > 0 && trim(out[0]) {
		out = out[1:]
	}
	for len(out) > 0 && trim(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out, true
}

func rawText(n *xhtml.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func attrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// dataTable reports whether a table holds data that needs header cells: a
// static reading of axe-core's isDataTable heuristic (lib/commons/table/
// is-data-table.js, without the rendered borders and widths it also
// uses), limited, like its td-has-header rule, to tables of at least 3
// rows and 3 columns. A table with header markup (th, scope, headers) is
// a data table; so is one with a caption, thead, tfoot, colgroup or
// summary, unless it is small. Layout tables (role presentation or none,
// datatable="0", a nested table, one row or one column, few cells, full
// width) are not.
func dataTable(t *xhtml.Node) bool {
	switch strings.ToLower(strings.TrimSpace(attr(t, "role"))) {
	case "presentation", "none":
		return false
	}
	if attr(t, "datatable") == "0" {
		return false
	}
	var rows [][]*xhtml.Node
	nested, marked := false, false
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != xhtml.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Caption, atom.Thead, atom.Tfoot, atom.Colgroup:
				marked = true
				walk(c)
			case atom.Tbody:
				walk(c)
			case atom.Tr:
				var cells []*xhtml.Node
				for d := c.FirstChild; d != nil; d = d.NextSibling {
					if d.Type == xhtml.ElementNode && (d.DataAtom == atom.Td || d.DataAtom == atom.Th) {
						cells = append(cells, d)
						if d.DataAtom == atom.Th || hasAttr(d, "scope") || hasAttr(d, "headers") {
							marked = true
						}
						if hasDescendant(d, atom.Table) {
							nested = true
						}
					}
				}
				rows = append(rows, cells)
			}
		}
	}
	walk(t)
	cols := 0
	cells := 0
	for _, r := range rows {
		cols = max(cols, len(r))
		cells += len(r)
	}
	if len(rows) < 3 || cols < 3 {
		return false // too small to need headers (td-has-header)
	}
	if nested {
		return false
	}
	if marked || strings.TrimSpace(attr(t, "summary")) != "" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(attr(t, "role"))) {
	case "table", "grid", "treegrid":
		return true
	}
	sample := rows[(len(rows)+1)/2] // axe's middle row (len(rows) >= 3)
	switch {
	case len(sample) <= 1:
		return false
	case len(sample) >= 5:
		return true
	}
	if b := strings.TrimSpace(attr(t, "border")); b != "" && b != "0" {
		return true
	}
	if len(rows) >= 20 {
		return true
	}
	if pct, ok := strings.CutSuffix(strings.TrimSpace(attr(t, "width")), "%"); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(pct)); err == nil && v >= 95 {
			return false // the page's full width: a layout grid
		}
	}
	return cells >= 10
}

func hasDescendant(n *xhtml.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.ElementNode && (c.DataAtom == a || hasDescendant(c, a)) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// feedFacts reads an RSS, Atom or JSON Feed document.
func feedFacts(ct string, body []byte) *FeedFacts {
	trim := bytes.TrimSpace(body)
	if strings.Contains(ct, "json") {
		var jf struct {
			Version string            `json:"version"`
			Title   string            `json:"title"`
			Items   []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(trim, &jf); err != nil || !strings.HasPrefix(jf.Version, "https://jsonfeed.org/version/") {
			return nil // JSON that is not a feed
		}
		ff := &FeedFacts{Format: "json", Items: len(jf.Items)}
		if jf.Title == "" {
			ff.Error = "JSON Feed without a title"
		}
		return ff
	}
	dec := xml.NewDecoder(bytes.NewReader(trim))
	dec.Strict = true
	var rootName string
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if se, ok := tok.(xml.StartElement); ok {
			rootName = se.Name.Local
			break
		}
	}
	var ff *FeedFacts
	switch rootName {
	case "rss", "RDF":
		ff = &FeedFacts{Format: "rss"}
	case "feed":
		ff = &FeedFacts{Format: "atom"}
	default:
		return nil // a sitemap or other XML
	}
	dec = xml.NewDecoder(bytes.NewReader(trim))
	titles := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				ff.Error = "not well-formed XML: " + err.Error()
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "item", "entry":
				ff.Items++
			case "title":
				titles++
			}
		}
	}
	if ff.Error == "" && titles == 0 {
		ff.Error = "feed without a title"
	}
	return ff
}

// invisibleText are elements whose text a reader does not see (the same
// set botwall.VisibleWords skips).
func invisibleText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Title:
		return true
	}
	return false
}

// wordByte is 1 for a byte that is part of a word (not ASCII white space).
var wordByte = func() (t [256]uint8) {
	for i := range t {
		switch i {
		case ' ', '\n', '\t', '\r', '\f', '\v':
		default:
			t[i] = 1
		}
	}
	return t
}()

// countWords counts the runs of non-white-space bytes of s (a word starts
// where a word byte follows a space or the start of s). Eight bytes at a
// time: a high bit per byte marks the word bytes, and the word starts are
// the word bytes whose lower neighbour is not one; the tail goes byte by
// byte.
func countWords(s string) int {
	const (
		lo7 = 0x7F7F7F7F7F7F7F7F
		hi  = 0x8080808080808080
	)
	n, prev := 0, uint64(0) // prev: 1 when the byte before the chunk is a word byte
	i := 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		// One 64-bit load (the compiler combines the byte loads).
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		low := x & lo7
		// Exact per byte (no carry crosses bytes: low+0x7F < 0x100).
		sp := ^((low ^ 0x2020202020202020&lo7) + lo7 | x) & hi // == ' '
		ge9 := (low + 0x7777777777777777) & hi                 // low 7 bits >= 0x09
		ge14 := (low + 0x7272727272727272) & hi                // low 7 bits >= 0x0E
		sp |= ge9 &^ ge14 &^ x                                 // 0x09..0x0D
		w := ^sp & hi
		starts := w &^ (w<<8 | prev<<7)
		n += bits.OnesCount64(starts)
		prev = w >> 63
	}
	p := uint8(prev)
	for ; i < len(s); i++ {
		w := wordByte[s[i]]
		n += int(w &^ p)
		p = w
	}
	return n
}

// locateJSONLD gives JSON-LD blocks read from the tree their page lines.
// The fast path finds each "ld+json" script tag in the body and counts
// newlines up to it; when the tags and blocks do not pair up (an empty
// script, unusual casing) and a block needs a location (an error or a
// repair), the body is tokenized again for exact lines.
func locateJSONLD(bs []extract.JSONLDBlock, body []byte) {
	if len(bs) == 0 {
		return
	}
	var offs []int
	for from := 0; ; {
		i := bytes.Index(body[from:], []byte("ld+json"))
		if i < 0 {
			break
		}
		j := bytes.IndexByte(body[from+i:], '>')
		if j < 0 {
			break
		}
		offs = append(offs, from+i+j+1)
		from += i + j + 1
	}
	if len(offs) == len(bs) {
		line, last := 1, 0
		for k, off := range offs {
			line += bytes.Count(body[last:off], []byte{'\n'})
			last = off
			bs[k].Line = line
			if e := bs[k].Err; e != nil {
				e.Line += line - 1
			}
		}
		return
	}
	need := false
	for _, b := range bs {
		need = need || b.Err != nil || len(b.Repairs) > 0
	}
	if !need {
		return
	}
	if exact := extract.JSONLD(body); len(exact) == len(bs) {
		for i := range bs {
			bs[i].Line = exact[i].Line
			if exact[i].Err != nil {
				bs[i].Err = exact[i].Err
			}
		}
	}
}

// shortText reports whether the text under n is at most limit bytes, without
// building it.
func shortText(n *xhtml.Node, limit int) bool {
	total := 0
	var walk func(*xhtml.Node) bool
	walk = func(x *xhtml.Node) bool {
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.TextNode {
				total += len(strings.TrimSpace(c.Data))
				if total > limit {
					return false
				}
			} else if c.Type == xhtml.ElementNode && !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(n)
}
