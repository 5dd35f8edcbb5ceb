package checks

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sync"
	"weak"

	"github.com/agentready/agentready/audit/botwall"
	"github.com/agentready/agentready/audit/crawl"
)

// A crawl keeps every page's facts until the checks run, so they are
// stored compactly (issue 5's memory target: RSS at 5,000 pages at most
// 20% above RSS at 1,000). The fields most pages have are encoded in one
// string, zero values left out; everything else (structured data, feeds,
// a bot-wall verdict with matches, any field added later) stays in a
// PageFacts of its own, allocated only for a page that has one of them.
// FactsOf decodes a PageFacts when the checks ask, and keeps it through a
// weak pointer: the checks, which ask for each page's facts once per
// check, get the same PageFacts back until a garbage collection frees it
// (a strong cache would keep every decoded page alive, the memory the
// encoding saves).

// storedFacts is a page's PageFacts as the crawl keeps it.
type storedFacts struct {
	// enc holds the encoded fields: a tag byte each, then a varint or a
	// length-prefixed string (see the tags below).
	enc string
	// rest holds the fields enc does not; nil when they are all zero.
	rest *PageFacts
	// decoded is the last decoding, while something else keeps it alive
	// (guarded by decodedMu).
	decoded weak.Pointer[PageFacts]
}

// decodedMu guards storedFacts.decoded (FactsOf may be called from several
// goroutines; the checks call it from one).
var decodedMu sync.Mutex

// Tags of the encoded fields. Each is followed by its value: nothing for
// a bool (present means true), a zig-zag varint for an int, a uvarint
// length and the bytes for a string, a uvarint count and the strings for
// a []string, a count and the pairs for a [][2]string or a map (its keys
// sorted).
const (
	tagHTML byte = iota + 1
	tagTitle
	tagTitles
	tagDescription
	tagLang
	tagH1
	tagHeadingSkips
	tagMain
	tagNav
	tagImages
	tagImagesNoAlt
	tagAnchors
	tagVagueLinks
	tagUncrawlable
	tagTables
	tagTablesNoHeader
	tagCanonicals
	tagHreflangs
	tagRobotsMeta
	tagTDM
	tagWords
	tagHTMLBytes
	tagShellRoot
	tagNoscriptJS
	tagMicrodataEmpty // Microdata is an empty, non-nil slice
	tagTruncated
	tagOpenGraph
	tagTwitter
	tagFeeds
	tagMarkdownAlt
	tagForms
	tagPasswordInputs
	tagWebMCPTools
	tagWallWords // Wall has no field set but Words
	tagSoft404
	tagError
)

// SetFacts stores f on the page, compactly, under FactsKey.
func SetFacts(p *crawl.Page, f *PageFacts) { p.SetFact(FactsKey, storeFacts(f)) }

// storeFacts encodes f.
func storeFacts(f *PageFacts) *storedFacts {
	if f == nil {
		return nil
	}
	var e factEncoder
	rest := *f
	rest.src = nil
	e.bool(tagHTML, f.HTML)
	e.str(tagTitle, f.Title)
	e.int(tagTitles, f.Titles)
	e.str(tagDescription, f.Description)
	e.str(tagLang, f.Lang)
	e.int(tagH1, f.H1)
	e.strs(tagHeadingSkips, f.HeadingSkips)
	e.bool(tagMain, f.Main)
	e.bool(tagNav, f.Nav)
	e.int(tagImages, f.Images)
	e.int(tagImagesNoAlt, f.ImagesNoAlt)
	e.int(tagAnchors, f.Anchors)
	e.strs(tagVagueLinks, f.VagueLinks)
	e.strs(tagUncrawlable, f.Uncrawlable)
	e.int(tagTables, f.Tables)
	e.int(tagTablesNoHeader, f.TablesNoHeader)
	e.strs(tagCanonicals, f.Canonicals)
	e.pairs(tagHreflangs, f.Hreflangs)
	e.strs(tagRobotsMeta, f.RobotsMeta)
	e.str(tagTDM, f.TDM)
	e.int(tagWords, f.Words)
	e.int(tagHTMLBytes, f.HTMLBytes)
	e.bool(tagShellRoot, f.ShellRoot)
	e.bool(tagNoscriptJS, f.NoscriptJS)
	e.bool(tagTruncated, f.Truncated)
	e.strMap(tagOpenGraph, f.OpenGraph)
	e.strMap(tagTwitter, f.Twitter)
	e.pairs(tagFeeds, f.Feeds)
	e.str(tagMarkdownAlt, f.MarkdownAlt)
	e.int(tagForms, f.Forms)
	e.int(tagPasswordInputs, f.PasswordInputs)
	e.strs(tagWebMCPTools, f.WebMCPTools)
	e.bool(tagSoft404, f.Soft404)
	e.str(tagError, f.Error)
	rest.HTML, rest.Title, rest.Titles, rest.Description, rest.Lang, rest.H1, rest.HeadingSkips = false, "", 0, "", "", 0, nil
	rest.Main, rest.Nav, rest.Images, rest.ImagesNoAlt, rest.Anchors, rest.VagueLinks, rest.Uncrawlable = false, false, 0, 0, 0, nil, nil
	rest.Tables, rest.TablesNoHeader, rest.Canonicals, rest.Hreflangs, rest.RobotsMeta, rest.TDM = 0, 0, nil, nil, nil, ""
	rest.Words, rest.HTMLBytes, rest.ShellRoot, rest.NoscriptJS, rest.Truncated = 0, 0, false, false, false
	rest.OpenGraph, rest.Twitter, rest.Feeds, rest.MarkdownAlt, rest.Forms, rest.PasswordInputs = nil, nil, nil, "", 0, 0
	rest.WebMCPTools, rest.Soft404, rest.Error = nil, false, ""
	// Every HTML page without microdata has an empty, non-nil slice.
	if f.Microdata != nil && len(f.Microdata) == 0 {
		e.flag(tagMicrodataEmpty)
		rest.Microdata = nil
	}
	// Most pages' bot-wall verdict is only a word count.
	if w := f.Wall; w.Words != 0 {
		w.Words = 0
		if reflect.ValueOf(w).IsZero() {
			e.int(tagWallWords, f.Wall.Words)
			rest.Wall = botwall.Verdict{}
		}
	}
	s := &storedFacts{enc: string(e.b)}
	if !reflect.ValueOf(rest).IsZero() {
		s.rest = &rest
	}
	return s
}

// facts returns the decoded facts: the last decoding while it is alive,
// else a new one. They are shared: read-only.
func (s *storedFacts) facts() *PageFacts {
	decodedMu.Lock()
	f := s.decoded.Value()
	decodedMu.Unlock()
	if f != nil {
		return f
	}
	// Decode outside the lock: sites of a --urls list are checked
	// concurrently.
	f = s.decode()
	decodedMu.Lock()
	defer decodedMu.Unlock()
	if g := s.decoded.Value(); g != nil {
		return g
	}
	s.decoded = weak.Make(f)
	return f
}

// isHTML reports whether the stored facts are an HTML page's, without
// decoding them: tagHTML, when present, is the first field storeFacts
// writes.
func (s *storedFacts) isHTML() bool {
	if s.rest != nil && s.rest.HTML {
		return true
	}
	return len(s.enc) > 0 && s.enc[0] == tagHTML
}

// htmlFacts reports whether the page has facts and they are an HTML
// page's (FactsOf(pg).HTML, without decoding stored facts).
func htmlFacts(pg *crawl.Page) bool {
	switch f := pg.Fact(FactsKey).(type) {
	case *storedFacts:
		return f != nil && f.isHTML()
	case *PageFacts:
		return f != nil && f.HTML
	}
	return false
}

// peekFacts sets *f to the page's facts and reports whether it has any,
// decoding stored facts into *f rather than into a new PageFacts: a
// caller that looks at a few fields of every page can keep f on its stack
// (FactsOf allocates a PageFacts, 592 bytes, per page each time a garbage
// collection freed the last decoding). f must not outlive the call's use,
// nor be passed to Pass.Entities (use FactsOf for that).
//
// With bufs, a decoding takes its slices and maps from bufs: they are
// valid until the next decoding with the same bufs, and must not be kept
// either.
func peekFacts(pg *crawl.Page, f *PageFacts, bufs *decodeBufs) bool {
	switch s := pg.Fact(FactsKey).(type) {
	case *storedFacts:
		if s == nil {
			return false
		}
		if g := s.cached(); g != nil {
			*f = *g
		} else {
			s.decodeWith(f, bufs)
		}
		return true
	case *PageFacts:
		if s == nil {
			return false
		}
		*f = *s
		return true
	}
	return false
}

// hasStructuredData reports whether the facts hold structured data (what
// Entities reads).
func (f *PageFacts) hasStructuredData() bool {
	return len(f.JSONLD) > 0 || len(f.Microdata) > 0 || len(f.RDFa) > 0
}

// cached is the last decoding while it is alive, else nil.
func (s *storedFacts) cached() *PageFacts {
	decodedMu.Lock()
	defer decodedMu.Unlock()
	return s.decoded.Value()
}

// decode decodes the stored facts into a new PageFacts. Its slices and
// maps may be shared with other decodings.
func (s *storedFacts) decode() *PageFacts {
	f := new(PageFacts)
	s.decodeInto(f)
	return f
}

// decodeBufs lend a decoding their memory (see peekFacts): its []string
// and [][2]string fields are cut from strs and pairs, and its maps are og
// and tw, cleared. Each decoding with them reuses them.
type decodeBufs struct {
	strs   []string
	pairs  [][2]string
	og, tw map[string]string
}

// decodeInto decodes the stored facts into *f, which it overwrites.
func (s *storedFacts) decodeInto(f *PageFacts) { s.decodeWith(f, nil) }

// decodeWith is decodeInto with the slices and maps taken from b when it
// is not nil.
func (s *storedFacts) decodeWith(f *PageFacts, b *decodeBufs) {
	*f = PageFacts{}
	if s.rest != nil {
		*f = *s.rest
	}
	f.src = s
	d := factDecoder{s: s.enc, b: b}
	if b != nil {
		b.strs, b.pairs = b.strs[:0], b.pairs[:0]
	}
	for d.i < len(d.s) {
		tag := d.s[d.i]
		d.i++
		switch tag {
		case tagHTML:
			f.HTML = true
		case tagTitle:
			f.Title = d.str()
		case tagTitles:
			f.Titles = d.int()
		case tagDescription:
			f.Description = d.str()
		case tagLang:
			f.Lang = d.str()
		case tagH1:
			f.H1 = d.int()
		case tagHeadingSkips:
			f.HeadingSkips = d.strs()
		case tagMain:
			f.Main = true
		case tagNav:
			f.Nav = true
		case tagImages:
			f.Images = d.int()
		case tagImagesNoAlt:
			f.ImagesNoAlt = d.int()
		case tagAnchors:
			f.Anchors = d.int()
		case tagVagueLinks:
			f.VagueLinks = d.strs()
		case tagUncrawlable:
			f.Uncrawlable = d.strs()
		case tagTables:
			f.Tables = d.int()
		case tagTablesNoHeader:
			f.TablesNoHeader = d.int()
		case tagCanonicals:
			f.Canonicals = d.strs()
		case tagHreflangs:
			f.Hreflangs = d.pairs()
		case tagRobotsMeta:
			f.RobotsMeta = d.strs()
		case tagTDM:
			f.TDM = d.str()
		case tagWords:
			f.Words = d.int()
		case tagHTMLBytes:
			f.HTMLBytes = d.int()
		case tagShellRoot:
			f.ShellRoot = true
		case tagNoscriptJS:
			f.NoscriptJS = true
		case tagMicrodataEmpty:
			f.Microdata = []any{}
		case tagTruncated:
			f.Truncated = true
		case tagOpenGraph:
			f.OpenGraph = d.strMap(tagOpenGraph)
		case tagTwitter:
			f.Twitter = d.strMap(tagTwitter)
		case tagFeeds:
			f.Feeds = d.pairs()
		case tagMarkdownAlt:
			f.MarkdownAlt = d.str()
		case tagForms:
			f.Forms = d.int()
		case tagPasswordInputs:
			f.PasswordInputs = d.int()
		case tagWebMCPTools:
			f.WebMCPTools = d.strs()
		case tagWallWords:
			f.Wall.Words = d.int()
		case tagSoft404:
			f.Soft404 = true
		case tagError:
			f.Error = d.str()
		default:
			panic("checks: corrupt stored facts") // only storeFacts writes enc
		}
	}
}

// MarshalJSON writes the facts as PageFacts does.
func (s *storedFacts) MarshalJSON() ([]byte, error) { return json.Marshal(s.decode()) }

// identity is what Pass caches per page: the stored facts for decoded
// ones (FactsOf decodes a page's facts again once the garbage collector
// freed the last decoding), else f itself.
func (f *PageFacts) identity() any {
	if f.src != nil {
		return f.src
	}
	return f
}

type factEncoder struct{ b []byte }

func (e *factEncoder) flag(tag byte) { e.b = append(e.b, tag) }

func (e *factEncoder) bool(tag byte, v bool) {
	if v {
		e.b = append(e.b, tag)
	}
}

func (e *factEncoder) int(tag byte, v int) {
	if v != 0 {
		e.b = append(e.b, tag)
		e.varint(v)
	}
}

func (e *factEncoder) varint(v int) {
	u := uint64(v) << 1
	if v < 0 {
		u = ^u
	}
	e.uvarint(u)
}

func (e *factEncoder) uvarint(u uint64) {
	for u >= 0x80 {
		e.b = append(e.b, byte(u)|0x80)
		u >>= 7
	}
	e.b = append(e.b, byte(u))
}

func (e *factEncoder) raw(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *factEncoder) str(tag byte, s string) {
	if s != "" {
		e.b = append(e.b, tag)
		e.raw(s)
	}
}

// strs encodes a non-nil slice (an empty one too, which decodes as empty).
func (e *factEncoder) strs(tag byte, ss []string) {
	if ss == nil {
		return
	}
	e.b = append(e.b, tag)
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.raw(s)
	}
}

func (e *factEncoder) pairs(tag byte, ps [][2]string) {
	if ps == nil {
		return
	}
	e.b = append(e.b, tag)
	e.uvarint(uint64(len(ps)))
	for _, p := range ps {
		e.raw(p[0])
		e.raw(p[1])
	}
}

func (e *factEncoder) strMap(tag byte, m map[string]string) {
	if m == nil {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.b = append(e.b, tag)
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.raw(k)
		e.raw(m[k])
	}
}

type factDecoder struct {
	s string
	i int
	b *decodeBufs // nil: allocate
}

func (d *factDecoder) uvarint() uint64 {
	var u uint64
	for shift := 0; ; shift += 7 {
		b := d.s[d.i]
		d.i++
		u |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return u
		}
	}
}

func (d *factDecoder) int() int {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

func (d *factDecoder) count() int {
	n := d.uvarint()
	if n > math.MaxInt32 {
		panic("checks: corrupt stored facts")
	}
	return int(n)
}

// str returns a substring of the encoding (no copy).
func (d *factDecoder) str() string {
	n := d.count()
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *factDecoder) strs() []string {
	n := d.count()
	if d.b == nil {
		ss := make([]string, n)
		for i := range ss {
			ss[i] = d.str()
		}
		return ss
	}
	start := len(d.b.strs)
	for range n {
		d.b.strs = append(d.b.strs, d.str())
	}
	if d.b.strs == nil {
		return []string{} // decodes as non-nil, like make
	}
	return d.b.strs[start:len(d.b.strs):len(d.b.strs)]
}

func (d *factDecoder) pairs() [][2]string {
	n := d.count()
	if d.b == nil {
		ps := make([][2]string, n)
		for i := range ps {
			ps[i] = [2]string{d.str(), d.str()}
		}
		return ps
	}
	start := len(d.b.pairs)
	for range n {
		d.b.pairs = append(d.b.pairs, [2]string{d.str(), d.str()})
	}
	if d.b.pairs == nil {
		return [][2]string{}
	}
	return d.b.pairs[start:len(d.b.pairs):len(d.b.pairs)]
}

// strMap decodes the map of the field tag (tagOpenGraph or tagTwitter).
func (d *factDecoder) strMap(tag byte) map[string]string {
	n := d.count()
	var m map[string]string
	switch {
	case d.b == nil:
		m = make(map[string]string, n)
	case tag == tagOpenGraph:
		m = reuseMap(&d.b.og, n)
	default:
		m = reuseMap(&d.b.tw, n)
	}
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func reuseMap(p *map[string]string, n int) map[string]string {
	if *p == nil {
		*p = make(map[string]string, n)
	}
	clear(*p)
	return *p
}
