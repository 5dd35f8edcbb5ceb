package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/agentready/agentready/audit/data"
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Check{ID: "ai-preferences", Title: "AI usage preferences are declared and consistent", FailTitle: "AI usage preferences are invalid or inconsistent",
			Category: Policy, Weight: 2, Severity: report.Warning, Needs: []string{"robots", "pages"}, Since: "0.1.0", Run: checkAIPreferences,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "contentSignals"}}},
		&Check{ID: "tdmrep", Title: "TDMRep reservations are valid", FailTitle: "TDMRep is invalid", PartTitle: "Some TDMRep declarations are invalid",
			Category: Policy, Weight: 1, Severity: report.Warning, Needs: []string{"extra:tdmrep", "pages", needProbe}, Since: "0.1.0", Run: checkTDMRep},
		&Check{ID: "noai-meta", Title: "No noai/noimageai directives", FailTitle: "Pages carry noai or noimageai",
			Category: Policy, Weight: 0, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", Run: checkNoAI},
		&Check{ID: "security-txt", Title: "security.txt is valid", FailTitle: "security.txt is missing or invalid", PartTitle: "security.txt has problems",
			Category: Policy, Weight: 2, Severity: report.Warning, Needs: []string{"extra:security-txt", needProbe}, Since: "0.1.0", Run: checkSecurityTxt},
	)
}

// Content-Signal keys (contentsignals.org) and AIPREF Content-Usage
// categories (draft-ietf-aipref-vocab).
var (
	contentSignalKeys = map[string]bool{"search": true, "ai-input": true, "ai-train": true}
	// contentUsageKeys are the categories of draft-ietf-aipref-vocab-06
	// (train-ai, search); contentUsageRetired those earlier drafts had.
	contentUsageKeys    = map[string]bool{"train-ai": true, "search": true}
	contentUsageRetired = map[string]bool{"bots": true, "train-genai": true, "ai-use": true, "automated-processing": true}
)

// PolicyLine states the site's declared AI policy in one line.
func PolicyLine(p *Pass) string {
	start := accessURL(p)
	if start == "" {
		return ""
	}
	rows := AccessMatrix(p.Site, start)
	c := map[data.Function][2]int{}
	for _, r := range rows {
		x := c[r.Function]
		x[1]++
		if r.Allowed {
			x[0]++
		}
		c[r.Function] = x
	}
	sig, _ := signals(p)
	part := func(label string, fns []data.Function, keys ...string) string {
		a, t := 0, 0
		for _, fn := range fns {
			a += c[fn][0]
			t += c[fn][1]
		}
		verdict := "allowed"
		switch {
		case a == 0 && t > 0:
			verdict = "blocked"
		case a < t:
			verdict = fmt.Sprintf("partly blocked (%d of %d crawlers allowed)", a, t)
		}
		for _, k := range keys {
			if v, ok := sig[k]; ok {
				verdict += fmt.Sprintf(", %s=%s", k, v)
			}
		}
		return label + ": " + verdict
	}
	return strings.Join([]string{
		part("training", []data.Function{data.Training}, "ai-train", "train-ai", "train-genai"),
		part("search", []data.Function{data.Search}, "search"),
		part("agent input", []data.Function{data.Assistant, data.Agent}, "ai-input", "ai-use"),
	}, " · ")
}

// signals reads Content-Signal and Content-Usage lines of robots.txt.
func signals(p *Pass) (map[string]string, []report.Finding) {
	out := map[string]string{}
	var fs []report.Finding
	r := p.Site.Robots
	if r == nil || r.Policy == nil {
		return out, nil
	}
	u := p.Site.Origin + "/robots.txt"
	for _, rec := range r.Policy.Records {
		var keys map[string]bool
		var yes, no string
		switch {
		case strings.EqualFold(rec.Key, "content-signal"):
			keys, yes, no = contentSignalKeys, "yes", "no"
		case strings.EqualFold(rec.Key, "content-usage"):
			keys, yes, no = contentUsageKeys, "y", "n"
		default:
			continue
		}
		val := rec.Value
		if strings.EqualFold(rec.Key, "content-usage") && strings.HasPrefix(strings.TrimSpace(val), "/") {
			// "Content-Usage: /path train-ai=n" scopes the preference.
			if _, rest, ok := strings.Cut(strings.TrimSpace(val), " "); ok {
				val = rest
			}
		}
		for _, pr := range usageItems(rec.Key, val, keys, yes, no) {
			if pr.msg != "" {
				fs = append(fs, report.Finding{Severity: pr.sev, Message: pr.msg, Location: report.Location{URL: u, Line: rec.Line}})
				continue
			}
			if _, dup := out[pr.k]; !dup {
				out[pr.k] = longForm(pr.v)
			}
		}
	}
	return out, fs
}

// usageItem is one key=value of a preference line, or the problem with
// it (msg set).
type usageItem struct {
	k, v, msg string
	sev       report.Severity
}

// usageItems reads the comma-separated key=value items of a
// Content-Signal or Content-Usage value.
func usageItems(field, val string, keys map[string]bool, yes, no string) []usageItem {
	var out []usageItem
	for _, item := range strings.Split(val, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToLower(strings.TrimSpace(v))
		switch {
		case !ok || k == "":
			out = append(out, usageItem{sev: report.Warning, msg: fmt.Sprintf("%s entry %q is not key=value", field, strings.TrimSpace(item))})
		case !keys[k] && strings.HasPrefix(strings.ToLower(field), "content-usage") && contentUsageRetired[k]:
			out = append(out, usageItem{sev: report.Info, msg: fmt.Sprintf("%s key %q is not in the AIPREF vocabulary (draft-ietf-aipref-vocab-06 defines train-ai and search)", field, k)})
		case !keys[k]:
			out = append(out, usageItem{sev: report.Info, msg: fmt.Sprintf("%s key %q is not defined", field, k)})
		case v != yes && v != no:
			out = append(out, usageItem{sev: report.Warning, msg: fmt.Sprintf("%s %s=%q: the value must be %s or %s", field, k, v, yes, no)})
		default:
			out = append(out, usageItem{k: k, v: v})
		}
	}
	return out
}

// usageHeaders checks the Content-Usage response headers of the pages
// (AIPREF attachment): each distinct malformed value once, at the first
// page that sends it.
func usageHeaders(p *Pass) (n int, fs []report.Finding) {
	seen := map[string]bool{}
	for _, pg := range p.Pages() {
		for _, v := range pg.Header.Values("Content-Usage") {
			n++
			if seen[v] {
				continue
			}
			seen[v] = true
			for _, pr := range usageItems("Content-Usage header", v, contentUsageKeys, "y", "n") {
				if pr.msg != "" {
					fs = append(fs, finding(pageURL(pg), pr.sev, "%s", pr.msg))
				}
			}
		}
	}
	return n, fs
}

func checkAIPreferences(p *Pass) Result {
	sig, fs := signals(p)
	// Every problem of a robots.txt line costs, as it always has, except a
	// key of an earlier AIPREF draft (a note); of the headers, the
	// malformed values.
	bad := 0
	for _, f := range fs {
		if !strings.Contains(f.Message, "is not in the AIPREF vocabulary") {
			bad++
		}
	}
	nh, hfs := usageHeaders(p)
	for _, f := range hfs {
		if f.Severity >= report.Warning {
			bad++
		}
	}
	fs = append(fs, hfs...)
	if len(sig) == 0 && len(fs) == 0 && nh == 0 {
		return NA("no Content-Signal or Content-Usage lines or headers")
	}
	u := p.Site.Origin + "/robots.txt"
	if start := accessURL(p); start != "" {
		rows := AccessMatrix(p.Site, start)
		blocked := map[data.Function]int{}
		allowed := map[data.Function]int{}
		for _, r := range rows {
			if r.Allowed {
				allowed[r.Function]++
			} else {
				blocked[r.Function]++
			}
		}
		if (sig["ai-train"] == "yes" || sig["train-ai"] == "yes") && blocked[data.Training] > 0 {
			fs = append(fs, finding(u, report.Info, "the preference allows AI training but robots.txt blocks %d training crawlers", blocked[data.Training]))
		}
		if sig["search"] == "no" && allowed[data.Search] > 0 {
			fs = append(fs, finding(u, report.Info, "search=no but robots.txt lets %d AI search crawlers in", allowed[data.Search]))
		}
	}
	keys := make([]string, 0, len(sig))
	for k := range sig {
		keys = append(keys, k+"="+sig[k])
	}
	sort.Strings(keys)
	return Score(1-min(1, float64(bad)/3), strings.Join(keys, ", "), fs...)
}

func checkTDMRep(p *Pass) Result {
	var fs []report.Finding
	found, good := 0, 0
	if e := p.Extra("tdmrep"); e != nil && e.OK() && !looksHTML(e.Body) {
		found++
		u := wkURL(p, "tdmrep")
		var rules []map[string]any
		if err := json.Unmarshal(e.Body, &rules); err != nil {
			fs = append(fs, finding(u, report.Warning, "tdmrep.json is not a JSON array of rules: %v", err))
		} else {
			ok := true
			for i, r := range rules {
				if _, has := r["location"]; !has {
					fs = append(fs, finding(u, report.Warning, "rule %d has no location", i))
					ok = false
				}
				if v, has := r["tdm-reservation"]; !has || (v != 0.0 && v != 1.0) {
					fs = append(fs, finding(u, report.Warning, "rule %d: tdm-reservation must be 0 or 1", i))
					ok = false
				}
			}
			if ok {
				good++
			}
		}
	}
	for _, pg := range p.HTMLPages() {
		v := p.facts(pg).TDM
		if v == "" {
			v = pg.Header.Get("tdm-reservation")
		}
		if v == "" {
			continue
		}
		found++
		if v == "0" || v == "1" {
			good++
		} else {
			fs = append(fs, finding(pageURL(pg), report.Warning, "tdm-reservation %q must be 0 or 1", v))
		}
	}
	if found == 0 {
		return NA("no TDMRep declarations")
	}
	return Score(float64(good)/float64(found), fmt.Sprintf("%d of %s valid", good, count(found, "declaration", "declarations")), fs...)
}

func checkNoAI(p *Pass) Result {
	var fs []report.Finding
	for _, pg := range p.HTMLPages() {
		var hits []string
		for _, m := range p.facts(pg).RobotsMeta {
			if strings.Contains(m, "noai") || strings.Contains(m, "noimageai") {
				hits = append(hits, m)
			}
		}
		for _, h := range pg.Header.Values("X-Robots-Tag") {
			if l := strings.ToLower(h); strings.Contains(l, "noai") {
				hits = append(hits, "X-Robots-Tag: "+h)
			}
		}
		if len(hits) > 0 {
			fs = append(fs, finding(pageURL(pg), report.Info, "%s: a non-standard opt-out that few AI crawlers honour; declare it in robots.txt (Content-Signal, Content-Usage) too", strings.Join(hits, "; ")))
		}
	}
	return NA("informational", fs...)
}

func checkSecurityTxt(p *Pass) Result {
	e := p.Extra("security-txt")
	if e == nil {
		return NA("security.txt was not fetched")
	}
	u := wkURL(p, "security-txt")
	if !e.OK() || looksHTML(e.Body) {
		return NA(notScored("missing"), finding(u, report.Info, "no /.well-known/security.txt (RFC 9116): researchers and agents cannot report a vulnerability"))
	}
	var fs []report.Finding
	var contact, expires []string
	var expiresLine int
	sc := bufio.NewScanner(bytes.NewReader(e.Body))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "-----") || strings.HasPrefix(line, "Hash:") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "contact":
			contact = append(contact, strings.TrimSpace(v))
		case "expires":
			expires = append(expires, strings.TrimSpace(v))
			expiresLine = n
		}
	}
	score := 1.0
	if len(contact) == 0 {
		fs = append(fs, finding(u, report.Error, "security.txt has no Contact field (required by RFC 9116)"))
		score -= 0.5
	}
	switch {
	case len(expires) == 0:
		fs = append(fs, finding(u, report.Warning, "security.txt has no Expires field (required by RFC 9116)"))
		score -= 0.5
	case len(expires) > 1:
		fs = append(fs, finding(u, report.Warning, "security.txt has %d Expires fields; exactly one is allowed", len(expires)))
		score -= 0.25
	default:
		t, err := time.Parse(time.RFC3339, expires[0])
		now := e.Fetched()
		if now.IsZero() {
			now = time.Now()
		}
		switch {
		case err != nil:
			fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("Expires %q is not an RFC 3339 date", expires[0]), Location: report.Location{URL: u, Line: expiresLine}})
			score -= 0.5
		case t.Before(now):
			fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("security.txt expired on %s", t.Format("2006-01-02")), Location: report.Location{URL: u, Line: expiresLine}})
			score -= 0.5
		case t.After(now.AddDate(1, 0, 0)):
			fs = append(fs, report.Finding{Severity: report.Info, Message: "Expires is more than a year ahead; RFC 9116 recommends less", Location: report.Location{URL: u, Line: expiresLine}})
		}
	}
	return Score(score, count(len(contact), "contact", "contacts"), fs...)
}

// longForm spells AIPREF's y/n as yes/no, as Content-Signal does.
func longForm(v string) string {
	switch v {
	case "y":
		return "yes"
	case "n":
		return "no"
	}
	return v
}
