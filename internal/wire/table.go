package wire

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteTable prints one row a result and then each result's first
// failures, at most max of them (all when max < 0).
func WriteTable(w io.Writer, results []*Result, max int) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\toperations\trequests valid\tresponses decoded\tpaginated (followed)\tbuild\tcalls\t")
	var ops, req, dec, pag, fol int
	for _, r := range results {
		ops, req, dec = ops+r.Operations, req+r.RequestsValid, dec+r.ResponsesDecoded
		pag, fol = pag+r.Paginated, fol+r.Followed
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d (%d)\t%.1fs\t%.1fs\t\n", r.Spec, r.Operations, pct(r.RequestsValid, r.Operations), pct(r.ResponsesDecoded, r.Operations), r.Paginated, r.Followed, r.Build.Seconds(), r.Calls.Seconds())
	}
	if len(results) > 1 {
		fmt.Fprintf(tw, "all\t%d\t%s\t%s\t%d (%d)\t\t\t\n", ops, pct(req, ops), pct(dec, ops), pag, fol)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var twice, same, vetted, clean int
	for _, r := range results {
		if r.Twice {
			twice++
			if len(r.Differs) == 0 {
				same++
			}
		}
		if r.Vetted {
			vetted++
			if r.Vet == "" {
				clean++
			}
		}
	}
	if twice > 0 {
		fmt.Fprintf(w, "generated twice, byte-identical: %d of %d specs\n", same, twice)
	}
	if vetted > 0 {
		fmt.Fprintf(w, "go build and go vet of the client clean: %d of %d specs\n", clean, vetted)
	}
	for _, r := range results {
		if len(r.Differs) > 0 {
			fmt.Fprintf(w, "  %s: a second generation differs in %s\n", r.Spec, strings.Join(r.Differs, ", "))
		}
		if r.Vet != "" {
			fmt.Fprintf(w, "  %s: go vet: %s\n", r.Spec, oneLine(r.Vet))
		}
	}
	kinds, classes := map[string]int{}, map[string]int{}
	for _, r := range results {
		for _, f := range r.Failures {
			k := Classify(f)
			kinds[k]++
			class, _, _ := strings.Cut(k, ": ")
			classes[class]++
		}
	}
	if len(classes) > 0 {
		fmt.Fprintf(w, "failures by class: %d generator, %d harness, %d spec\n", classes[Generator], classes[Harness], classes[Spec])
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if kinds[names[i]] != kinds[names[j]] {
			return kinds[names[i]] > kinds[names[j]]
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		fmt.Fprintf(w, "%6d  %s\n", kinds[k], k)
	}
	for _, r := range results {
		for i, f := range r.Failures {
			if max >= 0 && i >= max {
				fmt.Fprintf(w, "  %s: %d more failures\n", r.Spec, len(r.Failures)-i)
				break
			}
			fmt.Fprintf(w, "  %s %s %s [%s]: %s\n", r.Spec, f.Operation, f.Kind, Classify(f), f.Message)
		}
	}
	return nil
}

func pct(n, of int) string {
	if of == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%.1f%%)", n, 100*float64(n)/float64(of))
}

var (
	escapedTwice = regexp.MustCompile(`^path parameter \S+: sent .*, the server got ".*%[0-9A-Fa-f]{2}`)
	paramError   = regexp.MustCompile(`^parameter "[^"]*" in (\w+) has an error: (.*)$`)
	pagePrefix   = regexp.MustCompile(`^page \d+: `)
	pageRequest  = regexp.MustCompile(`^page \d+: (?:parameter|request|security|[A-Z]+ /)`)
	missingProp  = regexp.MustCompile(`property "([^"]+)" is missing`)
	// untypedNull is the validator's verdict on a form field whose schema
	// has no type: its form decoder makes such a field null.
	untypedNull = regexp.MustCompile(`Value is not nullable Schema: \{ "description": "[^"]*" \} Value: null`)
)

// The classes of failure: whose defect it is.
const (
	Generator = "generator" // the client sent or decoded something else than the spec says
	Harness   = "harness"   // the instrument's own limit (no valid value made, a validator gap)
	Spec      = "spec"      // the spec contradicts itself (with the evidence in the kind)
)

// Classify names a failure's class and kind, for the tally under the
// table: f.Class when Run set it, else the class the message implies.
func Classify(f Failure) string {
	if f.Class != "" {
		return f.Class + ": " + f.Why
	}
	class, why := classifyMessage(f)
	return class + ": " + why
}

// classifyMessage judges a failure by its message alone.
// multipartBracket is the validator refusing a multipart part whose name
// has brackets (deepObject encoding in an OAS 3.0 multipart body).
var multipartBracket = regexp.MustCompile(`failed to decode request body: part [^ :]+\[[^ :]*\]: undefined`)

func classifyMessage(f Failure) (class, why string) {
	m := f.Message
	switch {
	case f.Kind == "pages" && pageRequest.MatchString(m):
		// A page's request the validator refused: judged as a request.
		class, why := classifyMessage(Failure{Kind: "request", Message: pagePrefix.ReplaceAllString(m, "")})
		return class, "a page's request: " + why
	case f.Kind == "pages":
		return Generator, "the iterator " + truncate(strings.TrimPrefix(m, "the iterator "), 60)
	case strings.Contains(m, "error parsing regexp"):
		return Harness, "the validator (Go regexp) cannot compile the spec's pattern (ECMA lookaround)"
	case strings.Contains(m, `invalid serialization method: style="deepObject"`):
		return Spec, "deepObject style on a parameter that is not an object (OAS defines it for objects only; the validator refuses it)"
	case strings.Contains(m, "unsupported schema of request body's property"):
		return Harness, "the validator cannot decode this form body (arrays of objects)"
	case strings.Contains(m, "in query has an error: doesn't match schema due to: value must be a string") && strings.Contains(m, "Value: [ "):
		return Harness, "the validator decodes a query parameter of oneOf string|array as an array"
	case strings.Contains(m, "in query has an error") && (strings.Contains(m, "schema has non primitive type object") || strings.Contains(m, "value must be an object")):
		return Spec, "a query parameter holding objects in an array or map (OAS 3 Parameter Object: style form is RFC 6570 form expansion, whose values are strings, lists or name/value pairs, RFC 6570 §2.3; no style serializes nested objects, and the validator refuses them)"
	case untypedNull.MatchString(m):
		return Harness, "the validator decodes a form field whose schema has no type as null"
	case multipartBracket.MatchString(m):
		return Spec, "a multipart part named name[0] because the spec's encoding says deepObject, which OAS 3.0's Encoding Object says SHALL be ignored outside application/x-www-form-urlencoded (the validator wants a part named name); the client sends what the API takes (Stripe: stripe-node's multipart.ts sends the same names)"
	case strings.Contains(m, "unsupported content type"):
		return Harness, "the validator has no decoder for the body's media type"
	case escapedTwice.MatchString(m):
		return Generator, "path parameter escaped twice"
	case strings.HasPrefix(m, "path parameter "):
		return Generator, "path parameter changed on the way"
	case strings.Contains(m, "(deepObject) sent as "):
		return Generator, "a deepObject array sent in form style (OAS leaves deepObject arrays undefined; Stripe's API takes name[0]=value)"
	case strings.Contains(m, "(deepObject) not sent"):
		return Generator, "a deepObject parameter set but not sent"
	case strings.HasPrefix(m, "text body: "):
		return Generator, "a text body changed on the way"
	case strings.HasPrefix(m, "driver: field "):
		return Generator, "the Go type does not take a schema-valid value"
	case f.Kind == "request" && m == "no request reached the server":
		return Generator, "the client sent nothing"
	case strings.HasPrefix(m, "the response has no field "):
		return Generator, "no typed field for the declared body (kept raw, e.g. */*)"
	case strings.Contains(m, ": no route: "):
		return Generator, "no route (path not the operation's)"
	case strings.Contains(m, " reached "):
		return Generator, "another operation's route"
	case strings.Contains(m, "security requirements failed"):
		return Generator, "credentials not sent"
	case strings.HasPrefix(m, "request body has an error"):
		_, detail, _ := strings.Cut(m, ": ")
		return Generator, "body: " + truncate(detail, 60)
	case f.Kind == "response":
		return Generator, "response: " + truncate(m, 60)
	}
	if sm := paramError.FindStringSubmatch(m); sm != nil {
		return Generator, sm[1] + " parameter: " + truncate(sm[2], 60)
	}
	return Generator, f.Kind + ": " + truncate(m, 70)
}

// classify judges a failure knowing what was planned: a value the
// synthesizer could not make valid is the harness's limit, or the spec's
// when the schema rejects its own example; a required property the schema
// does not declare is the spec's.
func classify(c *call, f Failure, response string) (class, why string) {
	class, why = classifyMessage(f)
	if class == Harness {
		return class, why
	}
	if f.Kind == "request" && f.Message == "no request reached the server" && response != "" {
		rc, rw := classify(c, Failure{c.Name, "response", response, "", ""}, "")
		return rc, "not sent: " + rw
	}
	if f.Kind == "response" && c.respUnfit != "" {
		return Harness, "the synthesizer made no valid response body"
	}
	if f.Kind == "request" || strings.HasPrefix(f.Message, "driver: field ") {
		if sm := missingProp.FindStringSubmatch(f.Message); sm != nil && slices.Contains(c.undeclared, sm[1]) {
			return Spec, "a required property the schema does not declare (" + sm[1] + ": in required, not in properties); the typed client cannot carry it"
		}
		for _, u := range c.unfit {
			if strings.HasPrefix(u.evidence, "declared ") {
				return Spec, "no value satisfies the schema (" + u.field + ": " + u.evidence + ")"
			}
			if u.evidence != "" {
				return Spec, "the schema rejects its own example (" + u.field + ": " + truncate(u.evidence, 60) + ")"
			}
		}
		if len(c.unfit) > 0 {
			return Harness, "the synthesizer made no valid value (" + c.unfit[0].field + ")"
		}
	}
	return class, why
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
