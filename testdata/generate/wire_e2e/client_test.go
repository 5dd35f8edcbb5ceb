package wire

// These tests are copied next to the client generated from
// testdata/generate/wire.yaml and run with `go test` in a temporary module
// (see generate/golang's TestWireBehaviour). They check what goes on the
// wire, byte for byte, against httptest servers on the loopback interface.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func newClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := New(url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recorder is a server that notes each request's URI and body and answers
// with an empty JSON object.
type recorder struct {
	mu     sync.Mutex
	uris   []string
	bodies []string
	vals   []string // the server's decoded path parameters, joined by |
	srv    *httptest.Server
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	mux := http.NewServeMux()
	note := func(w http.ResponseWriter, r *http.Request, vals ...string) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.uris = append(rec.uris, r.RequestURI)
		rec.bodies = append(rec.bodies, string(b))
		rec.vals = append(rec.vals, strings.Join(vals, "|"))
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}
	mux.HandleFunc("GET /contacts/{id}", func(w http.ResponseWriter, r *http.Request) { note(w, r, r.PathValue("id")) })
	mux.HandleFunc("GET /repos/{owner}/{repo}/contents/{path...}", func(w http.ResponseWriter, r *http.Request) {
		note(w, r, r.PathValue("owner"), r.PathValue("repo"), r.PathValue("path"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { note(w, r) })
	rec.srv = httptest.NewServer(mux)
	t.Cleanup(rec.srv.Close)
	return rec
}

func TestPathParametersAreEscapedOnce(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	ctx := context.Background()
	for _, id := range []string{"a b", "a/b", "100%", "é", "a+b;c=d"} {
		if _, err := c.GetContact(ctx, &GetContactParams{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ReposGetContent(ctx, &ReposGetContentParams{Owner: "o", Repo: "r", Path: "dir/file name.txt"}); err != nil {
		t.Fatal(err)
	}
	wantURIs := []string{
		"/contacts/a%20b",
		"/contacts/a%2Fb",
		"/contacts/100%25",
		"/contacts/%C3%A9",
		"/contacts/a+b%3Bc=d",
		"/repos/o/r/contents/dir%2Ffile%20name.txt",
	}
	wantVals := []string{"a b", "a/b", "100%", "é", "a+b;c=d", "o|r|dir/file name.txt"}
	if strings.Join(rec.uris, "\n") != strings.Join(wantURIs, "\n") {
		t.Errorf("request URIs:\n%s\nwant:\n%s", strings.Join(rec.uris, "\n"), strings.Join(wantURIs, "\n"))
	}
	if strings.Join(rec.vals, "\n") != strings.Join(wantVals, "\n") {
		t.Errorf("path values the server decoded:\n%s\nwant:\n%s", strings.Join(rec.vals, "\n"), strings.Join(wantVals, "\n"))
	}
}

func TestMissingPathParameterIsAnErrorBeforeSending(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	ctx := context.Background()
	for _, call := range []func() error{
		func() error { _, err := c.GetContact(ctx, nil); return err },
		func() error { _, err := c.GetContact(ctx, &GetContactParams{}); return err },
		func() error {
			_, err := c.ReposGetContent(ctx, &ReposGetContentParams{Owner: "o", Path: "README"})
			return err
		},
	} {
		err := call()
		var missing *MissingParameterError
		if !errors.As(err, &missing) {
			t.Fatalf("error %v: want a *MissingParameterError", err)
		}
		if missing.Parameter != "id" && missing.Parameter != "repo" {
			t.Errorf("missing parameter %q", missing.Parameter)
		}
		if missing.Operation == "" || !strings.Contains(err.Error(), missing.Parameter) {
			t.Errorf("error %q (operation %q) does not name the operation and parameter", err, missing.Operation)
		}
	}
	if len(rec.uris) != 0 {
		t.Errorf("requests were sent: %q", rec.uris)
	}
}

func TestFormBodyFollowsTheSpecsDeepObjectEncoding(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	_, err := c.PostCustomers(context.Background(), &PostCustomersParams{Body: &PostCustomersRequest{
		Name:             Ptr("Ann & Co"),
		Address:          &PostCustomersRequestAddress{City: Ptr("Köln"), Line1: Ptr("Ring 1")},
		Expand:           []string{"tax_ids", "sources"},
		Metadata:         map[string]string{"order id": "7", "a[b]": "c"},
		PreferredLocales: []string{"de", "en"},
		TaxIDData: []PostCustomersRequestTaxIDDataItem{
			{Type: PostCustomersRequestTaxIDDataItemTypeEuVat, Value: "DE123"},
			{Type: PostCustomersRequestTaxIDDataItemTypeUsEin, Value: "12-3"},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"address[city]=K%C3%B6ln", "address[line1]=Ring+1",
		"expand[0]=tax_ids", "expand[1]=sources",
		"metadata[a%5Bb%5D]=c", "metadata[order+id]=7",
		"name=Ann+%26+Co",
		// Without an encoding, an array is form style, exploded.
		"preferred_locales=de", "preferred_locales=en",
		"tax_id_data[0][type]=eu_vat", "tax_id_data[0][value]=DE123",
		"tax_id_data[1][type]=us_ein", "tax_id_data[1][value]=12-3",
	}, "&")
	if rec.bodies[0] != want {
		t.Errorf("form body:\n%s\nwant:\n%s", rec.bodies[0], want)
	}
}

func TestQueryArrayDelimitersAreLiteral(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	_, err := c.ListItems(context.Background(), &ListItemsParams{
		Tags:   []string{"x", "y,z", "a b"},
		Pipes:  []string{"p", "q|r"},
		Spaces: []string{"s", "t"},
		Color:  &ListItemsColor{R: Ptr("100"), G: Ptr("2,0")},
		Shade:  &ListItemsShade{R: Ptr("1|0"), G: Ptr("2")},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "/items?tags=x,y%2Cz,a+b&pipes=p|q%7Cr&spaces=s%20t&color=G,2%2C0,R,100&shade=G|2|R|1%7C0"
	if rec.uris[0] != want {
		t.Errorf("request URI\n%s\nwant\n%s", rec.uris[0], want)
	}
}

// twilioServer serves three pages of items linked by a next page URL (in
// meta.next_page_url, or next_page_uri as a path when uri is set), then
// null. It fails a request whose page was not named by the previous one.
func twilioServer(t *testing.T, path, items string, uri bool) (*httptest.Server, *[]string) {
	var got []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RequestURI())
		if r.URL.Path != path {
			w.WriteHeader(404)
			return
		}
		page := r.URL.Query().Get("Page")
		if page == "" {
			page = "0"
		}
		if page != "0" && r.URL.Query().Get("PageToken") != "PT"+page {
			w.WriteHeader(400) // counted, not followed
			return
		}
		next := "null"
		if page != "2" {
			n := int(page[0]-'0') + 1
			link := fmt.Sprintf("%s?PageSize=2&Page=%d&PageToken=PT%d", path, n, n)
			if !uri {
				link = srv.URL + link
			}
			next = `"` + link + `"`
		}
		w.Header().Set("Content-Type", "application/json")
		item := func(i int) string { return fmt.Sprintf(`{"id": "%s%d"}`, page, i) }
		if uri {
			fmt.Fprintf(w, `{"%s": [%s, %s], "next_page_uri": %s, "page": %s}`, items, item(1), item(2), next, page)
		} else {
			fmt.Fprintf(w, `{"%s": [%s, %s], "meta": {"next_page_url": %s, "page": %s, "key": "%s"}}`, items, item(1), item(2), next, page, items)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestIteratorFollowsNextPageURL(t *testing.T) {
	srv, got := twilioServer(t, "/v2/Credentials", "credentials", false)
	c := newClient(t, srv.URL)
	var ids []string
	for it, err := range c.ListCredentialIter(context.Background(), &ListCredentialParams{PageSize: Ptr(int64(2))}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *it.ID)
		if len(ids) > 20 {
			break // an iterator that does not stop
		}
	}
	if strings.Join(ids, ",") != "01,02,11,12,21,22" {
		t.Errorf("iterated %v, want the 6 items of 3 pages", ids)
	}
	want := "/v2/Credentials?PageSize=2 /v2/Credentials?PageSize=2&Page=1&PageToken=PT1 /v2/Credentials?PageSize=2&Page=2&PageToken=PT2"
	if strings.Join(*got, " ") != want {
		t.Errorf("requests %q, want %q", *got, want)
	}
}

func TestIteratorFollowsNextPageURI(t *testing.T) {
	srv, got := twilioServer(t, "/2010-04-01/Calls.json", "calls", true)
	c := newClient(t, srv.URL)
	var ids []string
	for it, err := range c.ListCallIter(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *it.ID)
		if len(ids) > 20 {
			break // an iterator that does not stop
		}
	}
	if strings.Join(ids, ",") != "01,02,11,12,21,22" || len(*got) != 3 {
		t.Errorf("iterated %v in requests %q, want the 6 items of 3 pages", ids, *got)
	}
}

func TestIteratorFollowsLinksNext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") != "" {
			w.WriteHeader(400) // counted, not followed
			return
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			io.WriteString(w, `{"data": [{"id": "a"}], "links": {"next": "/articles?cursor=c2"}}`)
		case "c2":
			io.WriteString(w, `{"data": [{"id": "b"}], "links": {}}`)
		default:
			w.WriteHeader(400)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var ids []string
	for it, err := range c.ListArticlesIter(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *it.ID)
		if len(ids) > 20 {
			break // an iterator that does not stop
		}
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Errorf("iterated %v", ids)
	}
}

func TestIteratorRefusesANextURLOnAnotherOrigin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"credentials": [{"id": "a"}], "meta": {"next_page_url": "https://elsewhere.example.test/v2/Credentials?Page=1"}}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var ids []string
	var last error
	for it, err := range c.ListCredentialIter(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, *it.ID)
		if len(ids) > 20 {
			break // an iterator that does not stop
		}
	}
	if strings.Join(ids, ",") != "a" || last == nil || !strings.Contains(last.Error(), "elsewhere.example.test") {
		t.Errorf("iterated %v, error %v: want one item, then an error naming the other origin", ids, last)
	}
}

func TestIteratorFollowsLinkHeader(t *testing.T) {
	var got []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		page := r.URL.Query().Get("page")
		switch page {
		case "", "2":
			n := 2
			if page == "2" {
				n = 3
			}
			w.Header().Set("Link", fmt.Sprintf(`<%s/repositories/1/issues?per_page=2&page=%d>; rel="next", <%s/repositories/1/issues?per_page=2&page=3>; rel="last"`, srv.URL, n, srv.URL))
			fmt.Fprintf(w, `[{"id": "%s1"}, {"id": "%s2"}]`, page, page)
		case "3":
			w.Header().Set("Link", fmt.Sprintf(`<%s/repositories/1/issues?per_page=2&page=1>; rel="first"`, srv.URL))
			io.WriteString(w, `[{"id": "31"}]`)
		default:
			w.WriteHeader(400)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var ids []string
	for it, err := range c.IssuesListForRepoIter(context.Background(), &IssuesListForRepoParams{Owner: "o", Repo: "r", PerPage: Ptr(int64(2))}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *it.ID)
		if len(ids) > 20 {
			break // an iterator that does not stop
		}
	}
	if strings.Join(ids, ",") != "1,2,21,22,31" {
		t.Errorf("iterated %v", ids)
	}
	want := "/repos/o/r/issues?per_page=2 /repositories/1/issues?per_page=2&page=2 /repositories/1/issues?per_page=2&page=3"
	if strings.Join(got, " ") != want {
		t.Errorf("requests %q\nwant %q", got, want)
	}
}

// TestPageIteratorCountsFromTheFirstPage checks that a page-counted
// iterator asks for each page once, in order, from the caller's page or
// from the page the server answers when none is sent (the parameter's
// default, else 1): ean-search.org's pages start at 0, and a caller's page
// 0 went out as page=0 then page=2.
func TestPageIteratorCountsFromTheFirstPage(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "first"
		}
		if page == "3" {
			io.WriteString(w, `[]`)
			return
		}
		fmt.Fprintf(w, `[{"id": %q}]`, page)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	collect := func(seq func(func(Contact, error) bool)) string {
		var ids []string
		for it, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, *it.ID)
			if len(ids) > 10 {
				break // an iterator that does not stop
			}
		}
		return strings.Join(ids, ",")
	}
	for _, tc := range []struct {
		seq        func(func(Contact, error) bool)
		ids, wants string
	}{
		{c.BarcodePrefixSearchIter(context.Background(), &BarcodePrefixSearchParams{Prefix: "40", Page: Ptr(int64(0))}),
			"0,1,2", "/barcode-prefix?prefix=40&page=0 /barcode-prefix?prefix=40&page=1 /barcode-prefix?prefix=40&page=2 /barcode-prefix?prefix=40&page=3"},
		{c.BarcodePrefixSearchIter(context.Background(), &BarcodePrefixSearchParams{Prefix: "40"}),
			"first,1,2", "/barcode-prefix?prefix=40 /barcode-prefix?prefix=40&page=1 /barcode-prefix?prefix=40&page=2 /barcode-prefix?prefix=40&page=3"},
		{c.ListNumberedIter(context.Background(), nil),
			"first,2", "/numbered /numbered?page=2 /numbered?page=3"},
		{c.ListNumberedIter(context.Background(), &ListNumberedParams{Page: Ptr(int64(1))}),
			"1,2", "/numbered?page=1 /numbered?page=2 /numbered?page=3"},
	} {
		got = nil
		if ids := collect(tc.seq); ids != tc.ids {
			t.Errorf("iterated %s, want %s", ids, tc.ids)
		}
		if strings.Join(got, " ") != tc.wants {
			t.Errorf("requests %q\nwant %q", got, tc.wants)
		}
	}
}

// TestQueryFreeFormMapIsExploded pins the reading of a required free-form
// map in the form style, exploded (SNS's SetSMSAttributes): one pair a key,
// sorted, the parameter's name not on the wire, as OAS's form style says.
// kin-openapi's validator recognises an exploded object only by its declared
// properties, so it calls such a parameter missing whatever is sent.
func TestQueryFreeFormMapIsExploded(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	if _, err := c.SetSMSAttributes(context.Background(), &SetSMSAttributesParams{Attributes: map[string]string{"MonthlySpendLimit": "5", "a b": "c&d"}}); err != nil {
		t.Fatal(err)
	}
	if want := "/sms-attributes?MonthlySpendLimit=5&a+b=c%26d"; len(rec.uris) != 1 || rec.uris[0] != want {
		t.Errorf("requests %q, want %q", rec.uris, want)
	}
}

// TestBodyMediaTypeIsTheCallersChoice checks that a body declared in
// several media types of one schema goes out as JSON by default and as the
// form or multipart body the caller picks with BodyMediaType, and that a
// media type the operation does not declare is an error before sending.
func TestBodyMediaTypeIsTheCallersChoice(t *testing.T) {
	var types, bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		types = append(types, r.Header.Get("Content-Type"))
		bodies = append(bodies, string(b))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	note := Note{Title: Ptr("a b"), Tags: []string{"x", "y"}}
	for _, mt := range []string{"", "application/json", "application/x-www-form-urlencoded", "multipart/form-data"} {
		if _, err := c.CreateNote(context.Background(), &CreateNoteParams{Body: note, BodyMediaType: mt}); err != nil {
			t.Fatalf("%q: %v", mt, err)
		}
	}
	if len(types) != 4 || types[0] != "application/json" || types[1] != "application/json" ||
		types[2] != "application/x-www-form-urlencoded" || !strings.HasPrefix(types[3], "multipart/form-data; boundary=") {
		t.Fatalf("content types %q", types)
	}
	if bodies[0] != `{"tags":["x","y"],"title":"a b"}` || bodies[1] != bodies[0] {
		t.Errorf("JSON bodies %q", bodies[:2])
	}
	if bodies[2] != "tags=x&tags=y&title=a+b" {
		t.Errorf("form body %q", bodies[2])
	}
	if !strings.Contains(bodies[3], `name="title"`) || !strings.Contains(bodies[3], "a b") {
		t.Errorf("multipart body %q", bodies[3])
	}
	if _, err := c.CreateNote(context.Background(), &CreateNoteParams{Body: note, BodyMediaType: "text/plain"}); err == nil || !strings.Contains(err.Error(), `"text/plain"`) {
		t.Errorf("text/plain: err %v", err)
	}
	if len(types) != 4 {
		t.Errorf("%d requests sent, want 4", len(types))
	}
}

func TestQueryDeepObjectNestsArraysByIndex(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	_, err := c.GetCharges(context.Background(), &GetChargesParams{
		Expand:   []string{"customer", "invoice.subscription"},
		Created:  &GetChargesCreated{Gt: Ptr(int64(5)), In: []string{"a", "b c"}},
		Metadata: map[string]string{"order id": "7", "a[b]": "c"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// As Stripe's clients send it: arrays indexed, brackets literal, and
	// each name escaped on its own.
	want := "/v1/charges?expand[0]=customer&expand[1]=invoice.subscription&created[gt]=5&created[in][0]=a&created[in][1]=b+c&metadata[a%5Bb%5D]=c&metadata[order+id]=7"
	if rec.uris[0] != want {
		t.Errorf("request URI\n%s\nwant\n%s", rec.uris[0], want)
	}
}

// answer is a server that answers every request with status, content type
// and body.
func answer(t *testing.T, status int, contentType, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestResponsesDecodeIntoSlicesMapsAndBytes(t *testing.T) {
	ctx := context.Background()
	tags, err := newClient(t, answer(t, 200, "application/json", `["a","b"]`).URL).ListTags(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var list []string = tags.Status200 // a slice, not a pointer to one
	if strings.Join(list, ",") != "a,b" {
		t.Errorf("ListTags: %q", list)
	}
	_, err = newClient(t, answer(t, 422, "application/json", `[{"id":"x"}]`).URL).ListTags(ctx, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("ListTags 422: error %v, want an *APIError", err)
	}
	if v, ok := apiErr.Value.([]Contact); !ok || len(v) != 1 || *v[0].ID != "x" {
		t.Errorf("ListTags 422: APIError.Value %#v, want the decoded []Contact", apiErr.Value)
	}
	empty, err := newClient(t, answer(t, 200, "application/json", ``).URL).ListTags(ctx, nil)
	if err != nil || empty.Status200 != nil {
		t.Errorf("ListTags with no body: %v, %#v: want no error and no typed body", err, empty)
	}
	labels, err := newClient(t, answer(t, 200, "application/json", `{"bug":3}`).URL).GetLabels(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var counts map[string]int64 = labels.Status200
	if counts["bug"] != 3 {
		t.Errorf("GetLabels: %v", counts)
	}
	cat, err := newClient(t, answer(t, 200, "application/octocat-stream", "MMM. .MMM").URL).GetOctocat(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var art []byte = cat.Status200
	if string(art) != "MMM. .MMM" {
		t.Errorf("GetOctocat: %q", art)
	}
	pdf, err := newClient(t, answer(t, 200, "application/pdf", "%PDF-1.7").URL).GetQuotesQuotePdf(ctx, &GetQuotesQuotePdfParams{Quote: "q1"})
	if err != nil {
		t.Fatal(err)
	}
	if string(pdf.Status200) != "%PDF-1.7" {
		t.Errorf("GetQuotesQuotePdf: %q", pdf.Status200)
	}
}

// TestBodyWithRequiredSetsIsAnObject: GitHub's code-scanning/update-alert
// body is an object whose anyOf only lists required sets; it is a struct,
// not raw JSON a caller could fill with a string.
func TestBodyWithRequiredSetsIsAnObject(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	_, err := c.CodeScanningUpdateAlert(context.Background(), &CodeScanningUpdateAlertParams{
		AlertNumber: 7,
		Body:        CodeScanningUpdateAlertRequest{State: Ptr(CodeScanningUpdateAlertRequestStateDismissed)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.uris[0] != "/alerts/7" || rec.bodies[0] != `{"state":"dismissed"}` {
		t.Errorf("sent %s %s", rec.uris[0], rec.bodies[0])
	}
}

// TestMultipartPartsFollowTheSpecsEncoding: a deepObject property goes out
// as one part a leaf (Stripe's file_link_data[create]), an object or an
// array's object as JSON with Content-Type application/json (OpenAPI's
// default), and a file with the content type the encoding declares.
func TestMultipartPartsFollowTheSpecsEncoding(t *testing.T) {
	var parts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(p)
			parts = append(parts, p.FormName()+"|"+p.FileName()+"|"+p.Header.Get("Content-Type")+"|"+string(b))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	_, err := c.PostFiles(context.Background(), &PostFilesParams{Body: PostFilesRequest{
		File:         File{Name: "a.png", Content: strings.NewReader("PNG")},
		Purpose:      "dispute_evidence",
		Expand:       []string{"links"},
		FileLinkData: &PostFilesRequestFileLinkData{Create: Ptr(true), Metadata: map[string]string{"k": "v"}},
		Labels:       &PostFilesRequestLabels{A: Ptr("x")},
		Tiers:        []PostFilesRequestTiersItem{{UpTo: Ptr(int64(5))}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"expand[0]|||links",
		"file|a.png|image/png|PNG",
		"file_link_data[create]|||true",
		"file_link_data[metadata][k]|||v",
		`labels||application/json|{"a":"x"}`,
		"purpose|||dispute_evidence",
		`tiers||application/json|{"up_to":5}`,
	}
	if strings.Join(parts, "\n") != strings.Join(want, "\n") {
		t.Errorf("parts:\n%s\nwant:\n%s", strings.Join(parts, "\n"), strings.Join(want, "\n"))
	}
}

// TestCookieParametersFollowTheFormStyle: an array's delimiter is literal
// and each value escaped (explode: false), an exploded array is one cookie
// an element (form's default), and a plain value is escaped once.
func TestCookieParametersFollowTheFormStyle(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cs []string
		for _, c := range r.Cookies() {
			cs = append(cs, c.Name+"="+c.Value)
		}
		got = strings.Join(cs, "; ")
		w.WriteHeader(204)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	_, err := c.GetPrefs(context.Background(), &GetPrefsParams{
		IDs:     []string{"a b", "c,d"},
		Tags:    []string{"x", "y"},
		Color:   &GetPrefsColor{R: Ptr("100"), G: Ptr("200")},
		Session: Ptr("s;1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "ids=a+b,c%2Cd; tags=x; tags=y; color=G,200,R,100; session=s%3B1"
	if got != want {
		t.Errorf("cookies\n%s\nwant\n%s", got, want)
	}
}

// TestFormBodyFollowsEachPropertysStyle: a form body's property goes out
// in the style its encoding declares, delimiters literal and values
// escaped, or as JSON text for contentType application/json.
func TestFormBodyFollowsEachPropertysStyle(t *testing.T) {
	rec := newRecorder(t)
	c := newClient(t, rec.srv.URL)
	_, err := c.PostForm(context.Background(), &PostFormParams{Body: PostFormRequest{
		Tags:   []string{"x", "y,z"},
		Pipes:  []string{"p", "q|r"},
		Spaces: []string{"s", "t"},
		Color:  &PostFormRequestColor{R: Ptr("100"), G: Ptr("2,0")},
		Meta:   &PostFormRequestMeta{A: Ptr(int64(1))},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := "color=G,2%2C0,R,100&meta=%7B%22a%22%3A1%7D&pipes=p|q%7Cr&spaces=s%20t&tags=x,y%2Cz"
	if rec.bodies[0] != want {
		t.Errorf("form body\n%s\nwant\n%s", rec.bodies[0], want)
	}
}

// TestWildcardBodiesOfStructuredDataAreJSON: */* with an object schema
// (Swagger 2.0's consumes and produces, converted) is sent as JSON, named
// application/json, and the answer decodes into its typed field.
func TestWildcardBodiesOfStructuredDataAreJSON(t *testing.T) {
	var gotType, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotType, gotBody = r.Header.Get("Content-Type"), string(b)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"p1"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	resp, err := c.AddPet(context.Background(), &AddPetParams{Body: Contact{Name: Ptr("rex")}})
	if err != nil {
		t.Fatal(err)
	}
	if gotType != "application/json" || gotBody != `{"name":"rex"}` {
		t.Errorf("sent %s %s", gotType, gotBody)
	}
	if resp.Status200 == nil || *resp.Status200.ID != "p1" {
		t.Errorf("answer not decoded: %+v", resp)
	}
}
