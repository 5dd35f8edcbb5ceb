package checks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"unsafe"

	"github.com/agentready/agentready/audit/botwall"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/extract"
)

// roundTrip stores f and decodes it again.
func roundTrip(t testing.TB, f *PageFacts) *PageFacts {
	t.Helper()
	g := storeFacts(f).decode()
	if g.src == nil {
		t.Fatal("decoded facts do not point at their storage")
	}
	g.src = nil
	return g
}

// nonZero returns a non-zero value of type typ (for every field type
// PageFacts has, or may get: a field added later is covered by this test
// without changes here, unless its type is new).
func nonZero(t *testing.T, typ reflect.Type, seed int) reflect.Value {
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed*1000 + 7))
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d é", seed))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(typ, 2, 2))
		for i := range 2 {
			v.Index(i).Set(nonZero(t, typ.Elem(), seed+i))
		}
	case reflect.Array:
		for i := range typ.Len() {
			v.Index(i).Set(nonZero(t, typ.Elem(), seed+i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(typ))
		v.SetMapIndex(nonZero(t, typ.Key(), seed), nonZero(t, typ.Elem(), seed+1))
		v.SetMapIndex(nonZero(t, typ.Key(), seed+5), nonZero(t, typ.Elem(), seed+6))
	case reflect.Pointer:
		v.Set(reflect.New(typ.Elem()))
		v.Elem().Set(nonZero(t, typ.Elem(), seed))
	case reflect.Struct:
		for i := range typ.NumField() {
			if typ.Field(i).IsExported() {
				v.Field(i).Set(nonZero(t, typ.Field(i).Type, seed+i))
			}
		}
	case reflect.Interface:
		v.Set(reflect.ValueOf(map[string]any{"@type": fmt.Sprint("T", seed)}))
	default:
		t.Fatalf("no non-zero value for %s", typ)
	}
	return v
}

// TestFactStoreEveryField stores facts with each field set alone, then
// with all set, and with the values real pages have (empty slices,
// negative counts, a wall verdict that is only a word count): every one
// must decode to what was stored.
func TestFactStoreEveryField(t *testing.T) {
	typ := reflect.TypeFor[PageFacts]()
	all := new(PageFacts)
	for i := range typ.NumField() {
		fld := typ.Field(i)
		if !fld.IsExported() {
			continue
		}
		f := new(PageFacts)
		val := nonZero(t, fld.Type, i)
		reflect.ValueOf(f).Elem().Field(i).Set(val)
		reflect.ValueOf(all).Elem().Field(i).Set(val)
		if g := roundTrip(t, f); !reflect.DeepEqual(f, g) {
			t.Errorf("%s: stored %+v, decoded %+v", fld.Name, f, g)
		}
	}
	if g := roundTrip(t, all); !reflect.DeepEqual(all, g) {
		t.Errorf("every field: stored %+v, decoded %+v", all, g)
	}
	odd := []*PageFacts{
		{},
		{Microdata: []any{}, HeadingSkips: []string{}, Hreflangs: [][2]string{}, OpenGraph: map[string]string{}, Wall: botwall.Verdict{Words: 12}},
		{Words: -1, H1: -3, HTMLBytes: 1 << 40, Wall: botwall.Verdict{Words: -1}},
		{Wall: botwall.Verdict{Vendor: "cloudflare", Words: 3, Matches: []string{"cf"}}, Title: "\x00\xff", Lang: string(make([]byte, 300))},
		{JSONLD: []extract.JSONLDBlock{{Line: 3, Items: []any{map[string]any{"@type": "Article"}}}}, Feed: &FeedFacts{Format: "rss", Items: 2}},
	}
	for i, f := range odd {
		if g := roundTrip(t, f); !reflect.DeepEqual(f, g) {
			t.Errorf("case %d: stored %+v, decoded %+v", i, f, g)
		}
	}
	if s := storeFacts(&PageFacts{HTML: true, Words: 10, Wall: botwall.Verdict{Words: 10}, Microdata: []any{}}); s.rest != nil {
		t.Errorf("a page with only common fields keeps a PageFacts of %+v", s.rest)
	}
}

// TestFactStorePages stores the facts of real pages: they decode as
// computed, the JSON is the same, the checks see the same page, and a page
// without structured data is kept in a fraction of a PageFacts.
func TestFactStorePages(t *testing.T) {
	pages := map[string]string{
		"synthetic": string(syntheticPage(3, 10)),
		"plain": `<!doctype html><html lang="en"><head><title>Plain</title><meta name="description" content="A page.">
<link rel="canonical" href="https://e.test/plain"></head><body><main><h1>Plain</h1><h3>skip</h3><p>Some words here.</p>
<a href="/a">here</a><a href="javascript:go()">go</a><img src="x.png"><table><tr><td>1</td></tr></table></main></body></html>`,
		"wall": `<html><head><title>Just a moment...</title></head><body><form id="challenge-form" action="/cdn-cgi/challenge-platform/x"></form></body></html>`,
	}
	for name, body := range pages {
		f := Facts(200, nil, "text/html", "https://e.test/"+name, []byte(body), nil)
		s := storeFacts(f)
		g := s.decode()
		g.src = nil
		if !reflect.DeepEqual(f, g) {
			t.Errorf("%s: stored %+v, decoded %+v", name, f, g)
		}
		want, _ := json.Marshal(f)
		if js, _ := json.Marshal(s); string(js) != string(want) {
			t.Errorf("%s: JSON %s, want %s", name, js, want)
		}
		p := &crawl.Page{Response: crawl.Response{URL: "https://e.test/" + name}}
		SetFacts(p, f)
		got := FactsOf(p)
		if got == nil || got.Title != f.Title || got.Words != f.Words || got.identity() != p.Fact(FactsKey) {
			t.Errorf("%s: FactsOf = %+v", name, got)
		}
		if again := FactsOf(p); again != got {
			t.Errorf("%s: FactsOf decoded the facts again while the first decoding was alive", name)
		}
		if htmlFacts(p) != f.HTML || !f.HTML {
			t.Errorf("%s: htmlFacts %v, HTML %v", name, htmlFacts(p), f.HTML)
		}
		runtime.KeepAlive(got)
		if name == "plain" {
			// What the crawl retains for the page's facts: the record, its
			// encoding, and no PageFacts (584 bytes) of its own.
			kept := int(unsafe.Sizeof(storedFacts{})) + len(s.enc)
			if s.rest != nil || kept > 200 {
				t.Errorf("plain page: %d bytes kept (rest %+v), want at most 200 and no rest", kept, s.rest)
			}
			t.Logf("plain page facts: %d bytes stored (PageFacts is %d)", kept, unsafe.Sizeof(PageFacts{}))
		}
	}
}

// fuzzOther is a page with every kind of list and map field, decoded
// between fuzzed pages with the same buffers.
var fuzzOther = []byte(`<html lang="de"><title>O</title><h1>a</h1><h4>b</h4><a href="javascript:x()">click here</a>
<meta property="og:title" content="o"><meta property="og:type" content="website"><meta name="twitter:card" content="summary">
<link rel="alternate" hreflang="fr" href="/fr"><link rel="canonical" href="/o"><link rel="alternate" type="application/atom+xml" href="/a">
<meta name="robots" content="noai, noindex"><form toolname="t" tooldescription="d"></form>`)

// FuzzFactStore checks that the facts of any page survive storage.
func FuzzFactStore(f *testing.F) {
	f.Add(`<html lang="en"><title>T</title><h1>x</h1><h3>y</h3><img src=a><a href="javascript:void(0)">here</a><div id="root"></div><noscript>enable JavaScript</noscript><script type="application/ld+json">{"@type":"Product",}</script><div itemscope itemtype="https://schema.org/Offer"><span itemprop="price">1</span></div><meta property="og:title" content="t"><link rel="alternate" type="application/rss+xml" href="/f"><form toolname="s"><input type="password"></form>`)
	f.Add(`<meta name="robots" content="noindex"><meta name="tdm-reservation" content="1"><link rel="alternate" hreflang="de" href="/de"><meta name="twitter:card" content="summary"><p>404 not found</p>`)
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		fs := Facts(200, nil, "text/html", "https://e.test/", []byte(body), nil)
		if g := roundTrip(t, fs); !reflect.DeepEqual(fs, g) {
			t.Errorf("stored %+v, decoded %+v", fs, g)
		}
		s := storeFacts(fs)
		// Decoding with lent buffers, twice (the second reuses them), and
		// after another page's facts, gives the same facts.
		var b decodeBufs
		other := storeFacts(Facts(200, nil, "text/html", "https://e.test/o", fuzzOther, nil))
		for i := range 3 {
			var g, o PageFacts
			if i == 2 {
				other.decodeWith(&o, &b)
			}
			s.decodeWith(&g, &b)
			g.src = nil
			if !reflect.DeepEqual(fs, &g) {
				t.Errorf("decoding %d with buffers: stored %+v, decoded %+v", i, fs, &g)
			}
		}
		if s.isHTML() != fs.HTML {
			t.Errorf("isHTML %v, HTML %v", s.isHTML(), fs.HTML)
		}
		// Pass.entitiesOf relies on structured data being kept in rest.
		if inRest := s.rest != nil && s.rest.hasStructuredData(); inRest != fs.hasStructuredData() {
			t.Errorf("structured data in rest: %v, in the facts: %v", inRest, fs.hasStructuredData())
		}
	})
}

// TestHTMLFacts: htmlFacts answers FactsOf(pg).HTML for stored facts, facts
// set as a PageFacts, non-HTML facts and pages without facts.
func TestHTMLFacts(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*crawl.Page)
		want bool
	}{
		{"stored HTML", func(p *crawl.Page) {
			SetFacts(p, Facts(200, nil, "text/html", "https://e.test/", []byte("<title>t</title>"), nil))
		}, true},
		{"stored non-HTML", func(p *crawl.Page) {
			SetFacts(p, Facts(200, nil, "application/json", "https://e.test/", []byte("{}"), nil))
		}, false},
		{"stored empty", func(p *crawl.Page) { SetFacts(p, &PageFacts{}) }, false},
		{"PageFacts HTML", func(p *crawl.Page) { p.SetFact(FactsKey, &PageFacts{HTML: true}) }, true},
		{"PageFacts non-HTML", func(p *crawl.Page) { p.SetFact(FactsKey, &PageFacts{Words: 3}) }, false},
		{"no facts", func(*crawl.Page) {}, false},
	} {
		p := &crawl.Page{}
		tc.set(p)
		if got := htmlFacts(p); got != tc.want {
			t.Errorf("%s: htmlFacts = %v, want %v", tc.name, got, tc.want)
		}
		f := FactsOf(p)
		if (f != nil && f.HTML) != tc.want {
			t.Errorf("%s: FactsOf disagrees: %+v", tc.name, f)
		}
		// peekFacts gives what FactsOf gives, into the caller's variable,
		// whether the last decoding is alive (f) or not (a fresh page).
		var g PageFacts
		if ok := peekFacts(p, &g, nil); ok != (f != nil) || ok && !reflect.DeepEqual(&g, f) {
			t.Errorf("%s: peekFacts = %v, %+v; FactsOf %+v", tc.name, ok, g, f)
		}
		q := &crawl.Page{}
		tc.set(q)
		var h PageFacts
		h.Title = "stale" // overwritten
		if ok := peekFacts(q, &h, nil); ok && (h.Title == "stale" || h.HTML != tc.want) {
			t.Errorf("%s: peekFacts without a live decoding: %+v", tc.name, h)
		}
		runtime.KeepAlive(f)
	}
}

// BenchmarkFactsOf is the cost of reading a page's stored facts (the
// checks call FactsOf several times per page): "alive" while an earlier
// decoding is in use, "decode" after the garbage collector freed it.
func BenchmarkFactsOf(b *testing.B) {
	p := &crawl.Page{}
	SetFacts(p, Facts(200, nil, "text/html", "https://e.test/p/3.html", syntheticPage(3, 10), nil))
	b.Run("alive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if FactsOf(p) == nil {
				b.Fatal("no facts")
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		s := p.Fact(FactsKey).(*storedFacts)
		b.ReportAllocs()
		for b.Loop() {
			if s.decode() == nil {
				b.Fatal("no facts")
			}
		}
	})
}

// TestFactsOfConcurrent reads stored facts from several goroutines (the
// sites of a --urls list are checked concurrently); run with -race.
func TestFactsOfConcurrent(t *testing.T) {
	var pages []*crawl.Page
	for i := range 20 {
		p := &crawl.Page{}
		SetFacts(p, Facts(200, nil, "text/html", "https://e.test/", syntheticPage(i, 20), nil))
		pages = append(pages, p)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for i, p := range pages {
					if f := FactsOf(p); f == nil || f.Title != fmt.Sprintf("Page %d", i) {
						t.Errorf("page %d: facts %+v", i, f)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
