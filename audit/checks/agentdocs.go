package checks

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/agentready/agentready/report"
)

// Parsers of the agent-discovery documents a site publishes: the AI
// Catalog, MCP server cards, A2A agent cards, the Agent Skills index, the
// Web Bot Auth key directory, x402 payment requirements and MCP JSON-RPC
// answers. Each takes untrusted bytes and returns what the checks read
// plus the problems found, each located by a JSON pointer; none panics
// (FuzzAgentDocs).

// docProblem is a problem in a document, at a JSON pointer.
type docProblem struct {
	Pointer string
	Sev     report.Severity
	Msg     string
}

type problems []docProblem

func (ps *problems) add(ptr string, sev report.Severity, format string, args ...any) {
	*ps = append(*ps, docProblem{Pointer: ptr, Sev: sev, Msg: fmt.Sprintf(format, args...)})
}

// findings locates each problem at u and its pointer.
func (ps problems) findings(u string) []report.Finding {
	var out []report.Finding
	for _, p := range ps {
		f := findingMsg(u, p.Sev, p.Msg)
		f.Location.Pointer = p.Pointer
		out = append(out, f)
	}
	return out
}

// worst is the number of problems of warning severity or above.
func (ps problems) errors() int {
	n := 0
	for _, p := range ps {
		if p.Sev >= report.Warning {
			n++
		}
	}
	return n
}

// maxDocEntries bounds the entries of a document that are examined (a
// hostile catalog may list millions).
const maxDocEntries = 200

func decodeObject(b []byte) (map[string]any, error) {
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if m == nil {
		return nil, fmt.Errorf("not a JSON object: null")
	}
	return m, nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func ptrEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// AICatalog is an AI Catalog (application/ai-catalog+json).
type AICatalog struct {
	SpecVersion string
	Entries     []AICatalogEntry
}

// AICatalogEntry is one artifact of an AI Catalog.
type AICatalogEntry struct {
	Identifier, Type, URL, Version string
	// Inline is the entry's data member, when it embeds the artifact.
	Inline json.RawMessage
	// Pointer locates the entry in the catalog.
	Pointer string
}

var specVersionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// parseAICatalog reads an AI Catalog: specVersion and entries are
// required; each entry has an identifier, a type and exactly one of url
// and data; (identifier, version) is unique.
func parseAICatalog(b []byte) (*AICatalog, problems, error) {
	m, err := decodeObject(b)
	if err != nil {
		return nil, nil, err
	}
	var ps problems
	c := &AICatalog{SpecVersion: str(m, "specVersion")}
	switch {
	case m["specVersion"] == nil:
		ps.add("/specVersion", report.Warning, "the catalog has no specVersion")
	case !specVersionRE.MatchString(c.SpecVersion):
		ps.add("/specVersion", report.Warning, "specVersion %q is not Major.Minor", fmt.Sprint(m["specVersion"]))
	}
	entries, ok := m["entries"].([]any)
	if !ok {
		ps.add("/entries", report.Warning, "the catalog has no entries array")
		return c, ps, nil
	}
	seen := map[string]string{}
	for i, e := range entries {
		if i == maxDocEntries {
			ps.add("/entries", report.Info, "%d entries: only the first %d are examined", len(entries), maxDocEntries)
			break
		}
		ptr := "/entries/" + strconv.Itoa(i)
		em, ok := e.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "entry %d is not an object", i)
			continue
		}
		en := AICatalogEntry{Identifier: str(em, "identifier"), Type: str(em, "type"), URL: str(em, "url"), Version: str(em, "version"), Pointer: ptr}
		if en.Identifier == "" {
			ps.add(ptr+"/identifier", report.Warning, "entry %d has no identifier", i)
		}
		if en.Type == "" {
			ps.add(ptr+"/type", report.Warning, "entry %d has no type (a media type such as application/mcp-server-card+json)", i)
		}
		_, hasURL := em["url"]
		data, hasData := em["data"]
		switch {
		case hasURL && hasData:
			ps.add(ptr, report.Warning, "entry %d has both url and data: exactly one is allowed", i)
		case !hasURL && !hasData:
			ps.add(ptr, report.Warning, "entry %d has neither url nor data", i)
		case hasURL && en.URL == "":
			ps.add(ptr+"/url", report.Warning, "entry %d's url is not a string", i)
		case hasData:
			en.Inline, _ = json.Marshal(data)
		}
		key := en.Identifier + "\x00" + en.Version
		if prev, dup := seen[key]; dup && en.Identifier != "" {
			ps.add(ptr, report.Warning, "entry %d repeats identifier %q (and version) of %s", i, en.Identifier, prev)
		}
		seen[key] = ptr
		c.Entries = append(c.Entries, en)
	}
	return c, ps, nil
}

// ServerCard is an MCP server card (SEP-2127).
type ServerCard struct {
	Name, Version, Title string
	Remotes              []MCPRemote
	// Tools is the number of static tools the card lists; -1 when it
	// lists none (tools may be dynamic).
	Tools int
	// HasToolsCapability says capabilities.tools is declared.
	HasToolsCapability bool
}

// MCPRemote is one remote (transport endpoint) of a server card.
type MCPRemote struct {
	Type, URL    string
	Versions     []string
	AuthRequired bool
	Pointer      string
}

var reverseDNSName = regexp.MustCompile(`^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$`)

// parseServerCard reads an MCP server card: $schema, name (reverse DNS
// with one slash), version and capabilities are required.
func parseServerCard(b []byte) (*ServerCard, problems, error) {
	m, err := decodeObject(b)
	if err != nil {
		return nil, nil, err
	}
	var ps problems
	c := &ServerCard{Name: str(m, "name"), Version: str(m, "version"), Title: str(m, "title"), Tools: -1}
	if m["$schema"] == nil {
		ps.add("/$schema", report.Info, "the server card has no $schema")
	}
	switch {
	case c.Name == "":
		ps.add("/name", report.Warning, "the server card has no name")
	case !reverseDNSName.MatchString(c.Name):
		ps.add("/name", report.Warning, "name %q is not in reverse-DNS form with one slash (com.example/weather)", c.Name)
	}
	if c.Version == "" {
		ps.add("/version", report.Warning, "the server card has no version")
	} else if strings.ContainsAny(c.Version, "^~><*") || strings.HasSuffix(c.Version, ".x") {
		ps.add("/version", report.Warning, "version %q is a range; a card names one version", c.Version)
	}
	caps, ok := m["capabilities"].(map[string]any)
	if !ok {
		ps.add("/capabilities", report.Warning, "the server card has no capabilities object")
	} else {
		_, c.HasToolsCapability = caps["tools"]
	}
	if tools, ok := m["tools"].([]any); ok {
		c.Tools = len(tools)
	}
	remotes, _ := m["remotes"].([]any)
	for i, r := range remotes {
		if i == maxDocEntries {
			break
		}
		ptr := "/remotes/" + strconv.Itoa(i)
		rm, ok := r.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "remote %d is not an object", i)
			continue
		}
		rem := MCPRemote{Type: str(rm, "type"), URL: str(rm, "url"), Pointer: ptr}
		if rem.URL == "" {
			ps.add(ptr+"/url", report.Warning, "remote %d has no url", i)
		}
		if rem.Type == "" {
			ps.add(ptr+"/type", report.Warning, "remote %d has no type (streamable-http or sse)", i)
		}
		if vs, ok := rm["supportedProtocolVersions"].([]any); ok {
			for _, v := range vs {
				if s, ok := v.(string); ok {
					rem.Versions = append(rem.Versions, s)
				}
			}
		}
		if a, ok := rm["authentication"].(map[string]any); ok {
			rem.AuthRequired, _ = a["required"].(bool)
		}
		c.Remotes = append(c.Remotes, rem)
	}
	return c, ps, nil
}

// A2ACard is an A2A agent card.
type A2ACard struct {
	Name, Version string
	// Interfaces are the supportedInterfaces (A2A 1.0) URLs.
	Interfaces []string
	// Legacy says the card has the pre-1.0 shape (a top-level url, no
	// supportedInterfaces).
	Legacy bool
}

// a2aRequired are the required fields of an A2A 1.0 AgentCard.
var a2aRequired = []string{"name", "description", "supportedInterfaces", "version", "capabilities", "defaultInputModes", "defaultOutputModes", "skills"}

// parseA2ACard reads an A2A agent card against A2A 1.0.
func parseA2ACard(b []byte) (*A2ACard, problems, error) {
	m, err := decodeObject(b)
	if err != nil {
		return nil, nil, err
	}
	var ps problems
	c := &A2ACard{Name: str(m, "name"), Version: str(m, "version")}
	_, hasIfaces := m["supportedInterfaces"]
	if !hasIfaces && m["url"] != nil {
		c.Legacy = true
		ps.add("/url", report.Warning, "the card has the pre-1.0 shape (a top-level url): A2A 1.0 lists endpoints in supportedInterfaces")
		if u := str(m, "url"); u != "" {
			c.Interfaces = append(c.Interfaces, u)
		}
	}
	var miss []string
	for _, k := range a2aRequired {
		if _, ok := m[k]; !ok && !(k == "supportedInterfaces" && c.Legacy) {
			miss = append(miss, k)
		}
	}
	if len(miss) > 0 {
		ps.add("", report.Warning, "the agent card lacks required %s", strings.Join(miss, ", "))
	}
	ifs, _ := m["supportedInterfaces"].([]any)
	if hasIfaces && len(ifs) == 0 {
		ps.add("/supportedInterfaces", report.Warning, "supportedInterfaces is empty: the card names no endpoint")
	}
	for i, it := range ifs {
		if i == maxDocEntries {
			break
		}
		ptr := "/supportedInterfaces/" + strconv.Itoa(i)
		im, ok := it.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "interface %d is not an object", i)
			continue
		}
		for _, k := range []string{"url", "protocolBinding", "protocolVersion"} {
			if str(im, k) == "" {
				ps.add(ptr+"/"+k, report.Warning, "interface %d has no %s", i, k)
			}
		}
		if u := str(im, "url"); u != "" {
			c.Interfaces = append(c.Interfaces, u)
		}
	}
	return c, ps, nil
}

// SkillsIndex is an Agent Skills discovery index.
type SkillsIndex struct {
	Skills []Skill
}

// Skill is one entry of the index.
type Skill struct {
	Name, Type, URL string
	// Digest is the hex SHA-256 the index gives ("sha256:" removed).
	Digest  string
	Pointer string
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// parseSkillsIndex reads an Agent Skills discovery index (v0.2.0): a
// skills array whose entries have name, type, description, url and a
// "sha256:<hex>" digest.
func parseSkillsIndex(b []byte) (*SkillsIndex, problems, error) {
	m, err := decodeObject(b)
	if err != nil {
		return nil, nil, err
	}
	var ps problems
	// Two shapes are published as v0.2.0: the agentskills.io schema's
	// ($schema; each skill's type, url and the digest of the file at url)
	// and the discovery RFC's (cloudflare/agent-skills-discovery-rfc,
	// updated 2026-02-13: a top-level version; each skill's files, with
	// a digest per file, at /.well-known/agent-skills/<name>/<path>).
	rfcForm := m["$schema"] == nil && str(m, "version") != ""
	if m["$schema"] == nil && !rfcForm {
		ps.add("/$schema", report.Warning, "the index has no $schema (required since v0.2.0, which names its schema there)")
	}
	skills, ok := m["skills"].([]any)
	if !ok {
		ps.add("/skills", report.Warning, "the index has no skills array")
		return &SkillsIndex{}, ps, nil
	}
	idx := &SkillsIndex{}
	for i, s := range skills {
		if i == maxDocEntries {
			break
		}
		ptr := "/skills/" + strconv.Itoa(i)
		sm, ok := s.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "skill %d is not an object", i)
			continue
		}
		sk := Skill{Name: str(sm, "name"), Type: str(sm, "type"), URL: str(sm, "url"), Pointer: ptr}
		if files, ok := sm["files"].([]any); ok && rfcForm {
			// The RFC's form: SKILL.md is verified by its per-file
			// digest (the skill-level digest is over every file's).
			for _, k := range []string{"name", "description"} {
				if str(sm, k) == "" {
					ps.add(ptr+"/"+k, report.Warning, "skill %d has no %s", i, k)
				}
			}
			d := ""
			for _, fl := range files {
				if fm, ok := fl.(map[string]any); ok && str(fm, "path") == "SKILL.md" {
					d = str(fm, "digest")
				}
			}
			if hex, ok := strings.CutPrefix(d, "sha256:"); ok && sha256Hex.MatchString(hex) && sk.Name != "" {
				sk.URL, sk.Type, sk.Digest = sk.Name+"/SKILL.md", "skill-md", hex
			} else {
				ps.add(ptr+"/files", report.Warning, "skill %d's files has no SKILL.md entry with a sha256:<64 lowercase hex digits> digest", i)
			}
			idx.Skills = append(idx.Skills, sk)
			continue
		}
		for _, k := range []string{"name", "type", "description", "url"} {
			if str(sm, k) == "" {
				ps.add(ptr+"/"+k, report.Warning, "skill %d has no %s", i, k)
			}
		}
		d := str(sm, "digest")
		hex, ok := strings.CutPrefix(d, "sha256:")
		switch {
		case d == "":
			ps.add(ptr+"/digest", report.Warning, "skill %d has no digest: agents cannot verify what they load", i)
		case !ok || !sha256Hex.MatchString(hex):
			ps.add(ptr+"/digest", report.Warning, "skill %d's digest %q is not sha256:<64 lowercase hex digits>", i, d)
		default:
			sk.Digest = hex
		}
		idx.Skills = append(idx.Skills, sk)
	}
	return idx, ps, nil
}

// parseKeyDirectory reads a Web Bot Auth key directory: a JWKS whose keys
// are Ed25519 (kty OKP, crv Ed25519, x the 32-byte public key in
// base64url). It returns the number of usable keys.
func parseKeyDirectory(b []byte) (int, problems, error) {
	m, err := decodeObject(b)
	if err != nil {
		return 0, nil, err
	}
	var ps problems
	keys, ok := m["keys"].([]any)
	if !ok {
		ps.add("/keys", report.Warning, "the directory has no keys array (a JWKS, RFC 7517 section 5)")
		return 0, ps, nil
	}
	good := 0
	for i, k := range keys {
		if i == maxDocEntries {
			break
		}
		ptr := "/keys/" + strconv.Itoa(i)
		km, ok := k.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "key %d is not an object", i)
			continue
		}
		if str(km, "kty") != "OKP" || str(km, "crv") != "Ed25519" {
			ps.add(ptr, report.Warning, "key %d is kty %q crv %q: Web Bot Auth keys are Ed25519 (kty OKP, crv Ed25519)", i, str(km, "kty"), str(km, "crv"))
			continue
		}
		x, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(str(km, "x"), "="))
		if err != nil || len(x) != 32 {
			ps.add(ptr+"/x", report.Warning, "key %d's x is not a 32-byte base64url Ed25519 public key", i)
			continue
		}
		if km["d"] != nil {
			ps.add(ptr+"/d", report.Error, "key %d publishes its private part (d): revoke the key", i)
			continue
		}
		good++
	}
	if good == 0 && len(keys) == 0 {
		ps.add("/keys", report.Warning, "the directory lists no key")
	}
	return good, ps, nil
}

// PaymentRequired is an x402 v2 PaymentRequired object.
type PaymentRequired struct {
	Version  int
	Resource string
	Accepts  int
}

var (
	caip2RE  = regexp.MustCompile(`^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$`)
	amountRE = regexp.MustCompile(`^[0-9]+$`)
)

// parsePaymentRequired decodes the PAYMENT-REQUIRED header of a 402 (x402
// v2 HTTP transport): base64 of a JSON PaymentRequired with x402Version 2,
// a resource and accepts, each with scheme, network (CAIP-2), amount (an
// integer string in the asset's smallest unit), asset, payTo and
// maxTimeoutSeconds.
func parsePaymentRequired(h string) (*PaymentRequired, problems, error) {
	h = strings.TrimSpace(h)
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(h, "=")); err != nil {
			return nil, nil, fmt.Errorf("PAYMENT-REQUIRED is not base64: %v", err)
		}
	}
	m, err := decodeObject(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("PAYMENT-REQUIRED decodes to %v", err)
	}
	var ps problems
	pr := &PaymentRequired{}
	if v, ok := m["x402Version"].(json.Number); ok {
		n, _ := v.Int64()
		pr.Version = int(n)
	}
	if pr.Version != 2 {
		ps.add("/x402Version", report.Warning, "x402Version is %v, not 2", m["x402Version"])
	}
	if res, ok := m["resource"].(map[string]any); ok {
		pr.Resource = str(res, "url")
	}
	if pr.Resource == "" {
		ps.add("/resource/url", report.Warning, "no resource.url: the client cannot tell what it pays for")
	}
	acc, _ := m["accepts"].([]any)
	if len(acc) == 0 {
		ps.add("/accepts", report.Warning, "accepts is missing or empty: no way to pay is offered")
	}
	for i, a := range acc {
		if i == maxDocEntries {
			break
		}
		ptr := "/accepts/" + strconv.Itoa(i)
		am, ok := a.(map[string]any)
		if !ok {
			ps.add(ptr, report.Warning, "accepts[%d] is not an object", i)
			continue
		}
		for _, k := range []string{"scheme", "network", "amount", "asset", "payTo"} {
			if str(am, k) == "" {
				ps.add(ptr+"/"+k, report.Warning, "accepts[%d] has no %s", i, k)
			}
		}
		if n := str(am, "network"); n != "" && !caip2RE.MatchString(n) {
			ps.add(ptr+"/network", report.Warning, "accepts[%d].network %q is not a CAIP-2 chain id (eip155:8453)", i, n)
		}
		if a := str(am, "amount"); a != "" && !amountRE.MatchString(a) {
			ps.add(ptr+"/amount", report.Warning, "accepts[%d].amount %q is not an integer in the asset's smallest unit", i, a)
		}
		if _, ok := am["maxTimeoutSeconds"].(json.Number); !ok {
			ps.add(ptr+"/maxTimeoutSeconds", report.Warning, "accepts[%d] has no numeric maxTimeoutSeconds", i)
		}
		pr.Accepts++
	}
	return pr, ps, nil
}

// rpcAnswer is a JSON-RPC response read from an MCP endpoint.
type rpcAnswer struct {
	Result  map[string]any
	ErrCode int
	ErrMsg  string
	// Supported is the error data's supported versions of an
	// UnsupportedProtocolVersionError.
	Supported []string
}

// parseRPCAnswer reads a JSON-RPC response from a streamable-HTTP
// endpoint: a JSON body, or an event stream whose first data event that
// is a response (it has an id) is taken.
func parseRPCAnswer(contentType string, body []byte) (*rpcAnswer, error) {
	msg := body
	if contentType == "text/event-stream" {
		msg = nil
		var data []byte
		for _, line := range bytes.Split(append(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), '\n'), []byte("\n")) {
			if d, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				data = append(data, bytes.TrimPrefix(d, []byte(" "))...)
				continue
			}
			if len(line) == 0 && len(data) > 0 {
				var probe struct {
					ID json.RawMessage `json:"id"`
				}
				if json.Unmarshal(data, &probe) == nil && len(probe.ID) > 0 && string(probe.ID) != "null" {
					msg = data
					break
				}
				data = nil
			}
		}
		if msg == nil {
			return nil, fmt.Errorf("the event stream holds no JSON-RPC response")
		}
	}
	var r struct {
		JSONRPC string         `json:"jsonrpc"`
		Result  map[string]any `json:"result"`
		Error   *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Data    struct {
				Supported []string `json:"supported"`
			} `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(msg, &r); err != nil {
		return nil, fmt.Errorf("not a JSON-RPC response: %v", err)
	}
	if r.JSONRPC != "2.0" {
		return nil, fmt.Errorf("not a JSON-RPC 2.0 response (jsonrpc %q)", r.JSONRPC)
	}
	a := &rpcAnswer{Result: r.Result}
	if r.Error != nil {
		a.ErrCode, a.ErrMsg, a.Supported = r.Error.Code, r.Error.Message, r.Error.Data.Supported
	} else if r.Result == nil {
		return nil, fmt.Errorf("the response has neither result nor error")
	}
	return a, nil
}
