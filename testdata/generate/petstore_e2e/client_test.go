package petstore

// These tests are copied next to the client generated from
// testdata/generate/petstore.yaml and run with `go test` in a temporary
// module (see generate/golang's TestGeneratedClientBehaviour). They talk only
// to httptest servers on the loopback interface.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	c, err := New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetryAfterIsHonouredWithTheSameIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		times = append(times, time.Now())
		n := len(keys)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id": 7, "name": "Rex"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, WithAuth(Auth{APIKey: "k"}))
	resp, err := c.CreatePet(context.Background(), &CreatePetParams{Body: NewPet{Name: "Rex"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || resp.Status201 == nil || resp.Status201.ID != 7 {
		t.Fatalf("unexpected response %+v", resp)
	}
	if len(keys) != 2 {
		t.Fatalf("%d requests, want 2 (one retry)", len(keys))
	}
	if keys[0] == "" || keys[0] != keys[1] {
		t.Errorf("idempotency keys %q: want the same non-empty key on both attempts", keys)
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want about the second Retry-After asked for", gap)
	}
}

func TestLongRetryAfterIsNotWaitedFor(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.ListPets(ctx, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Fatalf("err = %v, want an *APIError with status 429", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the client waited for the hour-long Retry-After")
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls, want 1", calls.Load())
	}
}

func TestPostWithoutIdempotencyIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, WithRetry(RetryPolicy{BaseDelay: time.Millisecond}))
	_, err := c.Login(context.Background(), nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("a POST without an idempotency key was sent %d times", calls.Load())
	}
}

func TestServerErrorsAreRetriedForGET(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		io.WriteString(w, `{"id": 1, "name": "a"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, WithRetry(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	resp, err := c.GetPet(context.Background(), &GetPetParams{PetID: 1})
	if err != nil || resp.Status200 == nil || resp.Status200.Name != "a" {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls, want 3", calls.Load())
	}
}

func TestTypedErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pets/404":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			io.WriteString(w, `{"code": 44, "message": "no such pet"}`)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(400)
			io.WriteString(w, `{"type": "https://example.test/bad", "title": "Bad filter", "status": 400, "detail": "status is not a status", "field": "status"}`)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	_, err := c.GetPet(context.Background(), &GetPetParams{PetID: 404})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	e, ok := apiErr.Value.(*Error)
	if apiErr.StatusCode != 404 || !ok || e.Message == nil || *e.Message != "no such pet" {
		t.Fatalf("APIError %+v, want the spec's Error schema decoded", apiErr)
	}
	_, err = c.ListPets(context.Background(), nil)
	if !errors.As(err, &apiErr) || apiErr.Problem == nil || apiErr.Problem.Title != "Bad filter" || string(apiErr.Problem.Extensions["field"]) != `"status"` {
		t.Fatalf("err = %v, want an RFC 9457 problem", err)
	}
	if !strings.Contains(err.Error(), "Bad filter") {
		t.Errorf("error text %q should carry the problem title", err)
	}
}

func TestPaginationByPage(t *testing.T) {
	all := []string{"a", "b", "c", "d", "e"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var out []map[string]any
		for i := (page - 1) * per; i < page*per && i < len(all); i++ {
			out = append(out, map[string]any{"id": i, "name": all[i]})
		}
		if out == nil {
			out = []map[string]any{}
		}
		json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var got []string
	for pet, err := range c.ListPetsIter(context.Background(), &ListPetsParams{PerPage: Ptr(int64(2))}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, pet.Name)
	}
	if !reflect.DeepEqual(got, all) {
		t.Errorf("iterated %v, want %v", got, all)
	}
}

func TestPaginationByCursor(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("cursor") {
		case "":
			io.WriteString(w, `{"data": [{"id": "1"}, {"id": "2"}], "meta": {"next_cursor": "c2"}}`)
		case "c2":
			io.WriteString(w, `{"data": [{"id": "3"}], "meta": {"next_cursor": null}}`)
		default:
			w.WriteHeader(400)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var got []string
	for ev, err := range c.ListEventsIter(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *ev.ID)
	}
	if strings.Join(got, ",") != "1,2,3" {
		t.Errorf("iterated %v", got)
	}
}

func TestPaginationByLastID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("starting_after") {
		case "":
			io.WriteString(w, `{"has_more": true, "data": [{"id": "o1"}, {"id": "o2"}]}`)
		case "o2":
			io.WriteString(w, `{"has_more": false, "data": [{"id": "o3"}]}`)
		default:
			w.WriteHeader(400)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var got []string
	for o, err := range c.ListOwnersIter(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.ID)
	}
	if strings.Join(got, ",") != "o1,o2,o3" {
		t.Errorf("iterated %v", got)
	}
}

func TestPaginationByLinkHeader(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") != "cats" {
			w.WriteHeader(400)
			return
		}
		switch r.URL.Query().Get("page") {
		case "":
			w.Header().Set("Link", fmt.Sprintf(`<%s/search?q=cats&page=2>; rel="next", <%s/search?q=cats&page=2>; rel="last"`, srv.URL, srv.URL))
			io.WriteString(w, `[{"title": "one"}, {"title": "two"}]`)
		case "2":
			io.WriteString(w, `[{"title": "three"}]`)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	var got []string
	for h, err := range c.SearchIter(context.Background(), &SearchParams{Q: "cats"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *h.Title)
	}
	if strings.Join(got, ",") != "one,two,three" {
		t.Errorf("iterated %v", got)
	}
}

func TestOAuth2ClientCredentialsFetchOneTokenForManyCalls(t *testing.T) {
	var tokens atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		r.ParseForm()
		if !ok || id != "cid" || secret != "csecret" || r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("scope") != "pets:read" {
			w.WriteHeader(401)
			return
		}
		n := tokens.Add(1)
		fmt.Fprintf(w, `{"access_token": "tok%d", "token_type": "Bearer", "expires_in": 3600}`, n)
	})
	mux.HandleFunc("GET /pets", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok1" {
			w.WriteHeader(401)
			return
		}
		io.WriteString(w, `[]`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := newClient(t, srv.URL, WithAuth(Auth{Oauth: &ClientCredentials{ClientID: "cid", ClientSecret: "csecret", Scopes: []string{"pets:read"}}}))
	for i := 0; i < 5; i++ {
		if _, err := c.ListPets(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if tokens.Load() != 1 {
		t.Errorf("%d tokens fetched for 5 calls, want 1", tokens.Load())
	}
}

func TestCredentialsAreNotSentAcrossOrigins(t *testing.T) {
	var leaked atomic.Value
	leaked.Store("")
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization") + r.Header.Get("X-API-Key") + r.Header.Get("Cookie"))
		io.WriteString(w, `[{"id": 1, "name": "moved"}]`)
	}))
	defer other.Close()
	var sawKey atomic.Bool
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawKey.Store(r.Header.Get("X-API-Key") == "secret")
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	c := newClient(t, api.URL, WithAuth(Auth{APIKey: "secret", Bearer: "b"}))
	resp, err := c.ListPets(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Status200) != 1 {
		t.Errorf("the redirect was not followed: %+v", resp)
	}
	if !sawKey.Load() {
		t.Errorf("the API's own origin did not get the API key")
	}
	if s := leaked.Load().(string); s != "" {
		t.Errorf("credentials %q were sent to another origin after a redirect", s)
	}
}

func TestParameterStyles(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ck, _ := r.Cookie("session")
		session := ""
		if ck != nil {
			session = ck.Value
		}
		got = append(got, r.URL.EscapedPath()+"?"+r.URL.RawQuery+" rid="+r.Header.Get("X-Request-ID")+" session="+session+" ua="+r.Header.Get("User-Agent"))
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/raw"):
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "%s %s", r.Header.Get("Content-Type"), b)
		case r.URL.Path == "/pets":
			io.WriteString(w, `[]`)
		default:
			io.WriteString(w, `{"id": 1, "name": "x"}`)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, WithUserAgent("test-agent/1.0"))
	ctx := context.Background()
	if _, err := c.ListPets(ctx, &ListPetsParams{
		Status: []PetStatus{PetStatusAvailable, PetStatusSold},
		Filter: &ListPetsFilter{Name: Ptr("rex & co"), MinAge: Ptr(int64(3))},
		Tags:   []string{"a", "b"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPet(ctx, &GetPetParams{PetID: 12, Fields: []string{"id", "name"}, XRequestID: Ptr("r-1"), Session: Ptr("s1")}); err != nil {
		t.Fatal(err)
	}
	raw, err := c.PutRaw(ctx, &PutRawParams{PetID: []int64{1, 2}, Body: strings.NewReader("bytes")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/pets?status=available,sold&filter[minAge]=3&filter[name]=rex+%26+co&tags=a|b rid= session= ua=test-agent/1.0 agentready-go-client (Petstore)",
		"/pets/12?fields=id,name rid=r-1 session=s1 ua=test-agent/1.0 agentready-go-client (Petstore)",
		"/pets/.1.2/raw? rid= session= ua=test-agent/1.0 agentready-go-client (Petstore)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if raw.Status200 == nil || *raw.Status200 != "application/octet-stream bytes" {
		t.Errorf("raw body echo %v", raw.Status200)
	}
}

func TestBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			r.ParseForm()
			user, pass, _ := r.BasicAuth()
			if r.Form.Get("username") != "ann" || r.Form.Get("remember") != "true" || user != "u" || pass != "p" {
				w.WriteHeader(400)
				return
			}
			io.WriteString(w, `{"token": "t", "expires": null}`)
		case "/pets/5/photo":
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				w.WriteHeader(400)
				return
			}
			f, h, err := r.FormFile("file")
			if err != nil {
				w.WriteHeader(400)
				return
			}
			b, _ := io.ReadAll(f)
			if string(b) != "PNG..." || h.Filename != "cat.png" || r.FormValue("caption") != "a cat" || strings.Join(r.MultipartForm.Value["tags"], ",") != "x,y" {
				w.WriteHeader(422)
				return
			}
			w.WriteHeader(204)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, WithAuth(Auth{Basic: &BasicAuth{Username: "u", Password: "p"}}))
	ctx := context.Background()
	lr, err := c.Login(ctx, &LoginParams{Body: &LoginRequest{Username: Ptr("ann"), Remember: Ptr(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if lr.Status200.Token != "t" || !lr.Status200.Expires.Set || lr.Status200.Expires.Valid {
		t.Errorf("login result %+v: want token t and an explicit null expiry", lr.Status200)
	}
	if _, err := c.UploadPhoto(ctx, &UploadPhotoParams{PetID: 5, Body: &UploadPhotoRequest{
		File:    File{Name: "cat.png", ContentType: "image/png", Content: strings.NewReader("PNG...")},
		Caption: Ptr("a cat"),
		Tags:    []string{"x", "y"},
	}}); err != nil {
		t.Fatal(err)
	}
}

func TestModelsRoundTrip(t *testing.T) {
	in := `{"attributes":{"colour":"red"},"born":"2020-01-02T03:04:05Z","extra":{"any":[1,true]},"id":3,"name":"Rex","parent":{"id":1,"name":"Old"},"shape":{"kind":"Circle","radius":2},"status":"sold","tag":null}`
	var p Pet
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Shape == nil || p.Shape.Circle == nil || p.Shape.Circle.Radius != 2 {
		t.Errorf("discriminated union not decoded: %+v", p.Shape)
	}
	if !p.Tag.Set || p.Tag.Valid {
		t.Errorf("tag: want an explicit null, got %+v", p.Tag)
	}
	if p.Status == nil || !p.Status.Valid() || PetStatus("lost").Valid() {
		t.Errorf("enum Valid() wrong")
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip:\n in %s\nout %s", in, out)
	}
	// Absent, null and zero stay distinct.
	var q Pet
	json.Unmarshal([]byte(`{"id":0,"name":""}`), &q)
	out, _ = json.Marshal(q)
	if string(out) != `{"id":0,"name":""}` {
		t.Errorf("absent fields should stay absent: %s", out)
	}
	var u IDOrName
	if err := json.Unmarshal([]byte(`"rex"`), &u); err != nil || u.String == nil || *u.String != "rex" {
		t.Errorf("untagged union: %+v %v", u, err)
	}
	if err := json.Unmarshal([]byte(`12`), &u); err != nil || u.Integer == nil || *u.Integer != 12 {
		t.Errorf("untagged union: %+v %v", u, err)
	}
	var hit SearchHit
	json.Unmarshal([]byte(`{"labels":{"primary":"p","votes":3}}`), &hit)
	if hit.Labels == nil || hit.Labels.AdditionalProperties["votes"] != 3 {
		t.Errorf("additionalProperties not kept: %+v", hit.Labels)
	}
	out, _ = json.Marshal(hit)
	if string(out) != `{"labels":{"primary":"p","votes":3}}` {
		t.Errorf("additionalProperties round trip: %s", out)
	}
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{map[string]string{"Retry-After": "7"}, 7 * time.Second, true},
		{map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, 90 * time.Second, true},
		{map[string]string{"RateLimit": "limit=100, remaining=0, reset=30"}, 30 * time.Second, true},
		{map[string]string{"RateLimit": "limit=100, remaining=5, reset=30"}, 0, false},
		{map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "12"}, 12 * time.Second, true},
		{map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(time.Minute).Unix(), 10)}, time.Minute, true},
		{map[string]string{"Retry-After": "soon"}, 0, false},
		{map[string]string{}, 0, false},
	} {
		h := http.Header{}
		for k, v := range c.header {
			h.Set(k, v)
		}
		got, ok := serverWait(h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("serverWait(%v) = %v, %v; want %v, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}

func TestExpiredOAuth2TokenIsRefreshedOn401(t *testing.T) {
	var tokens atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"access_token": "tok%d", "expires_in": 3600}`, tokens.Add(1))
	})
	mux.HandleFunc("GET /pets", func(w http.ResponseWriter, r *http.Request) {
		// The server revokes the first token.
		if r.Header.Get("Authorization") != "Bearer tok2" {
			w.WriteHeader(401)
			return
		}
		io.WriteString(w, `[]`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := newClient(t, srv.URL, WithAuth(Auth{Oauth: &ClientCredentials{ClientID: "a", ClientSecret: "b"}}))
	if _, err := c.ListPets(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if tokens.Load() != 2 {
		t.Errorf("%d tokens fetched, want 2 (the refused one and its replacement)", tokens.Load())
	}
}
