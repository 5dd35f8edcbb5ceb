package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
)

// SARIF 2.1.0, as GitHub code scanning reads it. Only the properties
// agentready fills are modelled.
const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifSrcRoot is the uriBaseId of repo-relative file URIs.
	sarifSrcRoot = "%SRCROOT%"
	// sarifFingerprintKey names agentready's fingerprint in
	// partialFingerprints. It is not primaryLocationLineHash on purpose:
	// GitHub's upload action computes that one from the source line, and a
	// value with another meaning under that name would confuse its matching.
	sarifFingerprintKey = "agentready/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	AutomationDetails  *sarifAutomation            `json:"automationDetails,omitempty"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	Invocations        []sarifInvocation           `json:"invocations,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

// sarifNotification is a message about the run itself (SARIF 3.58), not a
// result: why it did not finish.
type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	SemanticVer    string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     *sarifText      `json:"shortDescription,omitempty"`
	FullDescription      *sarifText      `json:"fullDescription,omitempty"`
	Help                 *sarifHelp      `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           *sarifRuleProps `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags,omitempty"`
	// ProblemSeverity is how GitHub ranks non-security alerts.
	ProblemSeverity string `json:"problem.severity,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Properties          map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int           `json:"id,omitempty"`
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

// sarifLevel maps a severity to a SARIF level; SARIF has no "hint".
func sarifLevel(s Severity) string {
	switch {
	case s >= Error:
		return "error"
	case s == Warning:
		return "warning"
	}
	return "note"
}

// problemSeverity maps a severity to GitHub's problem.severity.
func problemSeverity(s Severity) string {
	switch {
	case s >= Error:
		return "error"
	case s == Warning:
		return "warning"
	}
	return "recommendation"
}

// printSARIF writes the report as a SARIF 2.1.0 log with one run, shaped
// by GitHub code scanning's ingestion rules (it rejects a whole upload for
// one result that breaks them): every result has a physical location;
// file URIs are relative to PrintOptions.BaseDir under the %SRCROOT% base
// id (which originalUriBaseIds resolves when BaseDir is set), or file:
// URIs outside it; a URL finding's artifact is its host and path as a
// relative reference, with the absolute URL in a logical location and in
// the message, and so is a file named by an http(s) URL (a spec fetched
// by lint), which keeps its region; a finding with no location is placed on the report's first
// target.
func printSARIF(w io.Writer, r *Report, o PrintOptions) error {
	rules := sortedRules(r)
	index := make(map[string]int, len(rules))
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           nonEmpty(r.Tool.Name, "agentready"),
			Version:        r.Tool.Version,
			InformationURI: r.Tool.URI,
			Rules:          make([]sarifRule, 0, len(rules)),
		}},
		Results: make([]sarifResult, 0, len(r.Findings)),
	}
	if isSemver(r.Tool.Version) {
		run.Tool.Driver.SemanticVer = strings.TrimPrefix(r.Tool.Version, "v")
	}
	if r.Command != "" {
		// GitHub keeps the alerts of each category apart, so a lint run
		// does not close an audit run's alerts.
		run.AutomationDetails = &sarifAutomation{ID: nonEmpty(r.Tool.Name, "agentready") + "/" + r.Command + "/"}
	}
	if base := o.BaseDir; base != "" && filepath.IsAbs(base) {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{sarifSrcRoot: {URI: fileURI(base, true)}}
	}
	for i, rl := range rules {
		index[rl.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rl))
	}
	pm := newPaths(o.BaseDir)
	fps := fingerprints(r.Findings, pm)
	for i, f := range r.Findings {
		res := sarifResult{
			RuleID:              f.RuleID,
			RuleIndex:           index[f.RuleID],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: sarifMessage(f)},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fps[i]},
		}
		if loc, ok := sarifLocationOf(fallbackLocation(r, f.Location), pm, true); ok {
			res.Locations = []sarifLocation{loc}
		}
		for j, rel := range f.Related {
			if rel.Target() == "" {
				// A related location in the same document as the finding.
				rel.File, rel.URL = f.Location.File, f.Location.URL
			}
			loc, ok := sarifLocationOf(rel.Location, pm, false)
			if !ok {
				continue
			}
			id := j + 1
			loc.ID = &id
			if rel.Message != "" {
				loc.Message = &sarifText{Text: rel.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		if fix, ok := sarifFixOf(f, pm); ok {
			res.Fixes = []sarifFix{fix}
		}
		if f.Category != "" {
			res.Properties = map[string]string{"category": f.Category}
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: r.Incomplete == ""}
	if r.Incomplete != "" {
		inv.ToolExecutionNotifications = []sarifNotification{{Level: "error", Message: sarifText{Text: incompleteText(r)}}}
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifRuleOf(rl Rule) sarifRule {
	title := nonEmpty(rl.Title, rl.ID)
	full := nonEmpty(firstParagraph(rl.Doc), title)
	doc := nonEmpty(strings.TrimSpace(rl.Doc), title)
	sr := sarifRule{
		ID:                   rl.ID,
		Name:                 pascalCase(rl.ID),
		ShortDescription:     &sarifText{Text: title},
		FullDescription:      &sarifText{Text: full},
		Help:                 &sarifHelp{Text: doc, Markdown: doc},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(rl.Severity)},
		Properties:           &sarifRuleProps{ProblemSeverity: problemSeverity(rl.Severity)},
	}
	if uri := docURI(rl.HelpURI); uri != "" {
		sr.HelpURI = uri
		sr.Help.Markdown += "\n\n[Documentation](" + uri + ")"
	}
	if rl.Category != "" {
		sr.Properties.Tags = []string{rl.Category}
	}
	return sr
}

// sarifMessage is the result's message: the finding's message, with its
// help when it has one. GitHub shows the message as the alert's title.
func sarifMessage(f Finding) string {
	msg := nonEmpty(f.Message, f.RuleID)
	if f.Location.File == "" && f.Location.URL != "" {
		msg += " (" + f.Location.URL + ")"
	} else if isHTTPURL(f.Location.File) {
		msg += " (" + f.Location.File + ")"
	}
	if f.Help != "" {
		msg += "\n" + f.Help
	}
	return msg
}

// sarifLocationOf turns a location into a SARIF location. A file finding
// without a line is placed on line 1 when primary, because GitHub rejects
// results whose location has no region; a URL has no lines to point at,
// so its region is left out unless it has one. The JSON pointer becomes a
// logical location.
func sarifLocationOf(l Location, pm paths, primary bool) (sarifLocation, bool) {
	var loc sarifLocation
	fetched := isHTTPURL(l.File)
	if fetched {
		// A document read from a URL (lint https://.../openapi.yaml) is
		// written as a page is: under %SRCROOT% it would be a path named
		// "http:/host/...". It has lines, so it keeps a region.
		l.URL, l.File = l.File, ""
	}
	switch {
	case l.File != "":
		rel, ok := pm.repo(l.File)
		art := sarifArtifactLoc{URI: pathURI(rel)}
		if ok {
			art.URIBaseID = sarifSrcRoot
		} else {
			art.URI = fileURI(l.File, false)
		}
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: art, Region: sarifRegionOf(l)}
		if loc.PhysicalLocation.Region == nil && primary {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: 1}
		}
	case l.URL != "":
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifactLoc{URI: urlArtifactURI(l.URL)}, Region: sarifRegionOf(l)}
		if loc.PhysicalLocation.Region == nil && primary && fetched {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: 1}
		}
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogical{FullyQualifiedName: safeURI(l.URL), Kind: "resource"})
	default:
		// GitHub rejects the whole file when a location has no physical
		// part, so a location without a file or URL is no location.
		return loc, false
	}
	if l.Pointer != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogical{FullyQualifiedName: l.Pointer, Kind: "element"})
	}
	return loc, true
}

// isHTTPURL reports whether a location's file is an absolute http(s) URL:
// the name of a spec, or of a document it refers to, that was fetched.
func isHTTPURL(s string) bool {
	if len(s) < 8 || !(strings.EqualFold(s[:7], "http://") || strings.EqualFold(s[:8], "https://")) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

// urlArtifactURI is the artifact URI of a fetched page: its host and path
// as a relative reference ("https://example.com/docs/" -> "example.com/docs").
// GitHub code scanning rejects the whole upload when an artifact URI has a
// scheme other than file: ("SARIF URI scheme "https" did not match the
// checkout URI scheme "file""), so the absolute URL goes into a logical
// location and the message instead.
func urlArtifactURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return pathURI(strings.TrimLeft(strings.ReplaceAll(raw, "://", "/"), "/"))
	}
	return pathURI(strings.TrimSuffix(u.Host+u.Path, "/"))
}

// fallbackLocation is where a finding that names no file or URL is placed:
// the report's first target. GitHub rejects results without a location.
func fallbackLocation(r *Report, l Location) Location {
	if l.Target() != "" || len(r.Targets) == 0 {
		return l
	}
	t := targetLocation(r.Targets[0])
	l.URL, l.File = t.URL, t.File
	return l
}

// sarifRegionOf returns the region of l, or nil when it has no line. An
// end before the start is dropped rather than emitted invalid.
func sarifRegionOf(l Location) *sarifRegion {
	if l.Line <= 0 {
		return nil
	}
	rg := &sarifRegion{StartLine: l.Line}
	if l.Column > 0 {
		rg.StartColumn = l.Column
	}
	if l.EndLine >= l.Line {
		rg.EndLine = l.EndLine
		if l.EndColumn > 0 && (l.EndLine > l.Line || l.EndColumn >= l.Column) {
			rg.EndColumn = l.EndColumn
		}
	}
	return rg
}

// sarifFixOf returns the finding's fix when every edit can be placed (a
// file and a line); a fix that can only be described has no SARIF form
// beyond the message, so it is left out.
func sarifFixOf(f Finding, pm paths) (sarifFix, bool) {
	if f.Fix == nil || len(f.Fix.Edits) == 0 {
		return sarifFix{}, false
	}
	fix := sarifFix{Description: sarifText{Text: nonEmpty(f.Fix.Description, "apply the suggested fix")}}
	byFile := map[string]int{}
	for _, e := range f.Fix.Edits {
		l := e.Location
		if l.File == "" && l.URL == "" {
			l.File = f.Location.File
		}
		rg := sarifRegionOf(l)
		if l.File == "" || rg == nil {
			return sarifFix{}, false
		}
		i, ok := byFile[l.File]
		if !ok {
			loc, _ := sarifLocationOf(Location{File: l.File}, pm, false)
			i = len(fix.ArtifactChanges)
			byFile[l.File] = i
			fix.ArtifactChanges = append(fix.ArtifactChanges, sarifArtifactChange{ArtifactLocation: loc.PhysicalLocation.ArtifactLocation})
		}
		rep := sarifReplacement{DeletedRegion: *rg}
		if e.NewText != "" {
			rep.InsertedContent = &sarifText{Text: e.NewText}
		}
		fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, rep)
	}
	return fix, true
}

// pathURI percent-encodes a slash-separated relative path as a URI
// reference ("my spec.yaml" -> "my%20spec.yaml").
func pathURI(p string) string {
	u := url.URL{Path: p}
	s := u.EscapedPath()
	// A first segment with a colon would read as a scheme.
	if first, _, _ := strings.Cut(s, "/"); strings.Contains(first, ":") {
		s = "./" + s
	}
	return s
}

// fileURI returns the file: URI of an absolute path, with a trailing slash
// for a directory (SARIF requires one on base URIs).
func fileURI(p string, dir bool) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows volume: C:/x -> /C:/x
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// safeURI returns an absolute URL as a valid URI: characters a crawled
// page may leave raw (spaces, quotes, angle brackets) are escaped.
func safeURI(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return escapeURIChars(s)
	}
	u.RawQuery = escapeURIChars(u.RawQuery)
	return u.String()
}

// escapeURIChars percent-encodes every byte that RFC 3986 does not allow
// anywhere in a URI, leaving reserved characters and escapes alone.
func escapeURIChars(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > ' ' && c < 0x7f && !strings.ContainsRune("\"<>\\^`{|}", rune(c)) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// pascalCase turns a kebab-case rule ID into SARIF's rule name
// ("operation-id-required" -> "OperationIdRequired").
func pascalCase(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if r == '-' || r == '_' || r == '.' || r == '/' || unicode.IsSpace(r) {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSemver reports whether v is MAJOR.MINOR.PATCH[-pre][+build], with an
// optional "v": SARIF's semanticVersion must be one, and a "(devel)" build
// is not.
func isSemver(v string) bool {
	v = strings.TrimPrefix(v, "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts[:2] {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return parts[2] != "" && strings.IndexFunc(parts[2][:1], func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
