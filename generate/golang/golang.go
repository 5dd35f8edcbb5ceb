// Package golang renders a typed Go client, standard library only, from the
// generator IR (package generate/ir): models, a Client with one method per
// operation, pagination iterators, authentication and the agent runtime
// (retries, Retry-After, idempotency keys, typed errors).
package golang

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	doccomment "go/doc/comment"
	"go/parser"
	"go/printer"
	"go/token"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/agentready/agentready/generate/ir"
)

//go:embed runtime.go.txt
var runtimeSource string

// signingSource is signing.go of every client: Web Bot Auth request
// signing (WithAgentSigner), pre-formatted, standard library only.
//
//go:embed signing.go.txt
var signingSource string

// streamSource is streams.go, in a client with an operation that answers
// with a sequential body described item by item (OpenAPI 3.2's itemSchema).
//
//go:embed stream.go.txt
var streamSource string

// Reserved are the package-level names the generated runtime declares; pass
// them to ir.Build (see IROptions) so that no type takes them.
var Reserved = []string{
	"APIError", "Auth", "BasicAuth", "Client", "ClientCredentials", "DefaultRetryPolicy", "DefaultServerURL",
	"File", "New", "NewNullable", "Null", "Nullable", "Option", "Problem", "Ptr", "RetryPolicy",
	"WithAuth", "WithHTTPClient", "WithRetry", "WithUserAgent",
	"AgentKeyDirectory", "AgentKeyID", "WithAgentSigner",
}

// ClientReserved are the Client's own exported methods.
var ClientReserved = []string{"Do"}

// FieldReserved are method names generated types carry.
var FieldReserved = []string{"MarshalJSON", "UnmarshalJSON"}

// IROptions are the ir.Options the Go renderer needs.
func IROptions() ir.Options {
	return ir.Options{Reserved: Reserved, ClientReserved: ClientReserved, FieldReserved: FieldReserved}
}

// Options tune Generate.
type Options struct {
	// Package is the Go package name; "client" when empty.
	Package string
	// Module, when set, adds a go.mod declaring this module path.
	Module string
	// GoVersion is the go directive of that go.mod; "1.24" when empty (the
	// generated code needs iter and the omitzero JSON option).
	GoVersion string
}

// File is one generated file.
type File struct {
	Name    string
	Content []byte
}

// FormatError is generated source that go/format rejected: a generator bug.
// Source holds the unformatted text for inspection. Only client.go is
// formatted; the other files are written in gofmt's form (see gen).
type FormatError struct {
	File   string
	Source []byte
	Err    error
}

func (e *FormatError) Error() string { return fmt.Sprintf("formatting %s: %v", e.File, e.Err) }

// Generate renders api as Go source files: client.go (the runtime, servers
// and authentication), signing.go (agent identity), models.go (types) and
// operations.go (parameters, responses, methods and iterators). api must have been built with
// IROptions so that names do not collide with the runtime's. The output is
// gofmt'd and identical for identical input.
func Generate(api *ir.API, opts Options) (files []File, err error) {
	pkg := opts.Package
	if pkg == "" {
		pkg = "client"
	}
	if !token.IsIdentifier(pkg) || token.IsKeyword(pkg) || pkg == "_" {
		return nil, fmt.Errorf("package name %q is not a Go identifier", pkg)
	}
	// Large APIs are split into several models and operations files, each
	// rendered on its own core.
	type job struct {
		name   string
		render func(g *gen) []byte
	}
	jobs := []job{{"client.go", func(g *gen) []byte { return g.client() }}}
	jobs = append(jobs, job{"signing.go", func(g *gen) []byte {
		return []byte(strings.Replace(signingSource, "package PACKAGE", "package "+g.pkg, 1))
	}})
	if hasStreams(api) {
		jobs = append(jobs, job{"streams.go", func(g *gen) []byte {
			return []byte(strings.Replace(streamSource, "package PACKAGE", "package "+g.pkg, 1))
		}})
	}
	for i, n := 0, 0; i < len(api.Types) || (i == 0 && n == 0); i, n = i+typesPerFile, n+1 {
		chunk := api.Types[i:min(i+typesPerFile, len(api.Types))]
		jobs = append(jobs, job{chunkName("models", n), func(g *gen) []byte { return g.models(chunk) }})
	}
	for i, n := 0, 0; i < len(api.Operations) || (i == 0 && n == 0); i, n = i+opsPerFile, n+1 {
		chunk := api.Operations[i:min(i+opsPerFile, len(api.Operations))]
		jobs = append(jobs, job{chunkName("operations", n), func(g *gen) []byte { return g.operations(chunk) }})
	}
	cycle := valueCycles(api)
	same := sameTypes(api, cycle)
	files = make([]File, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					if b, ok := r.(badIdent); ok {
						errs[i] = fmt.Errorf("internal error: unsafe identifier %q reached the Go renderer", string(b))
						return
					}
					panic(r)
				}
			}()
			g := &gen{api: api, pkg: pkg, cycle: cycle, same: same}
			src := j.render(g)
			if j.name != "client.go" {
				files[i] = File{Name: j.name, Content: src}
				return
			}
			// client.go is the pre-formatted runtime, less its unused
			// sections, and a small tail: formatting prunes the imports
			// only the left-out sections used.
			out, err := formatSource(j.name, src)
			if err != nil {
				errs[i] = &FormatError{File: j.name, Source: src, Err: err}
				return
			}
			files[i] = File{Name: j.name, Content: out}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	if opts.Module != "" {
		v := opts.GoVersion
		if v == "" {
			v = "1.24"
		}
		if strings.ContainsAny(opts.Module, " \t\r\n\"`") || strings.ContainsAny(v, " \t\r\n\"`") {
			return nil, fmt.Errorf("module path %q or go version %q contains spaces or quotes", opts.Module, v)
		}
		files = append(files, File{Name: "go.mod", Content: []byte("module " + opts.Module + "\n\ngo " + v + "\n")})
	}
	return files, nil
}

// Files hold at most this many types or operations, so that a large API's
// files are rendered in parallel.
const (
	typesPerFile = 1000
	opsPerFile   = 150
)

// chunkName is models.go, models2.go, ...
func chunkName(base string, n int) string {
	if n == 0 {
		return base + ".go"
	}
	return base + strconv.Itoa(n+1) + ".go"
}

// gen holds the state of one rendering.
//
// Models and operations files are written directly in gofmt's canonical
// form rather than formatted afterwards (go/parser and go/printer were
// most of the generation's CPU time on large APIs): p indents each line by
// its braces, field lines the struct and const blocks align as gofmt's
// tabwriter would, top-level doc comments are reformatted with
// go/doc/comment as gofmt does, and imports are the packages the file used.
// TestGofmtStable and the real-spec tests check that gofmt changes nothing.
type gen struct {
	api   *ir.API
	pkg   string
	buf   *bytes.Buffer
	uses  map[string]bool // imports the current file needs
	cycle map[*ir.Field]bool
	same  map[*ir.Type]*ir.Type // types declared as aliases of an identical earlier one

	depth int         // brace depth of the next line
	blank bool        // the last line written was blank (or none was written)
	docs  []string    // top-level comment lines not yet written
	block [][3]string // aligned lines not yet written: name, type, tail
}

func (g *gen) start() {
	g.buf = &bytes.Buffer{}
	g.uses = map[string]bool{}
	g.depth, g.blank, g.docs, g.block = 0, true, nil, nil
}

// p writes one or more lines (separated by \n in the result). Format
// strings are constants of this package; every spec-derived argument has
// gone through esc, which never yields a line break outside a comment.
func (g *gen) p(format string, args ...any) {
	s := format
	if len(args) > 0 {
		s = fmt.Sprintf(format, args...)
	}
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			g.line(s)
			return
		}
		g.line(s[:i])
		s = s[i+1:]
	}
}

// line writes one line indented by the brace depth: a line starting with
// "}" or ")" closes a level first, a code line ending with "{" or "(" (a
// const block) opens one, and case and default clauses sit one level out,
// as gofmt puts them. Only code decides: a string literal cannot start or
// end a line, and comment lines are left out of the count.
func (g *gen) line(l string) {
	g.flushBlock()
	if l == "" {
		g.flushDoc(false)
		if !g.blank {
			g.buf.WriteByte('\n')
			g.blank = true
		}
		return
	}
	comment := strings.HasPrefix(l, "//")
	if comment && g.depth == 0 {
		g.docs = append(g.docs, l)
		return
	}
	g.flushDoc(true)
	d := g.depth
	if !comment {
		switch {
		case l[0] == '}' || l[0] == ')':
			g.depth--
			d = g.depth
		case strings.HasPrefix(l, "case ") || l == "default:":
			d--
		}
	}
	g.indent(d)
	g.buf.WriteString(l)
	g.buf.WriteByte('\n')
	g.blank = false
	if c := l[len(l)-1]; !comment && (c == '{' || c == '(') {
		g.depth++
	}
}

func (g *gen) indent(d int) {
	for range d {
		g.buf.WriteByte('\t')
	}
}

// field queues a struct field or a const spec: name, type and the rest
// (a tag, or "= value"; "" for none). Consecutive ones are aligned in
// columns as gofmt does: names padded to the longest name plus one space;
// types, in runs of lines that have a rest, to the longest type plus one.
func (g *gen) field(name, typ, rest string) {
	g.flushDoc(true)
	g.block = append(g.block, [3]string{name, typ, rest})
}

func (g *gen) flushBlock() {
	if len(g.block) == 0 {
		return
	}
	w1 := 0
	for _, f := range g.block {
		w1 = max(w1, utf8.RuneCountInString(f[0]))
	}
	w2 := 0
	for i, f := range g.block {
		if f[2] != "" && (i == 0 || g.block[i-1][2] == "") {
			// A new run of lines with a third column.
			w2 = 0
			for _, h := range g.block[i:] {
				if h[2] == "" {
					break
				}
				w2 = max(w2, utf8.RuneCountInString(h[1]))
			}
		}
		g.indent(g.depth)
		g.buf.WriteString(f[0])
		pad(g.buf, w1-utf8.RuneCountInString(f[0])+1)
		g.buf.WriteString(f[1])
		if f[2] != "" {
			pad(g.buf, w2-utf8.RuneCountInString(f[1])+1)
			g.buf.WriteString(f[2])
		}
		g.buf.WriteByte('\n')
	}
	g.block = g.block[:0]
	g.blank = false
}

func pad(b *bytes.Buffer, n int) {
	for range n {
		b.WriteByte(' ')
	}
}

// flushDoc writes the pending top-level comment lines; abutting says that
// a declaration follows on the next line, which makes them a doc comment
// that gofmt reformats.
func (g *gen) flushDoc(abutting bool) {
	if len(g.docs) == 0 {
		return
	}
	lines := g.docs
	if abutting {
		lines = formatDoc(lines)
	}
	for _, l := range lines {
		g.buf.WriteString(l)
		g.buf.WriteByte('\n')
	}
	g.docs = g.docs[:0]
	g.blank = false
}

// formatDoc reformats a top-level doc comment (lines of "// text" and "//")
// the way gofmt does (go/printer's formatDocComment). A single paragraph
// whose lines cannot start a list, code block, heading or link definition,
// and hold no pair of backquotes or of single quotes (which become curly
// quotes), comes out unchanged and is returned as it is without parsing.
// FuzzFormatDoc checks both paths against gofmt.
func formatDoc(lines []string) []string {
	simple := true
	for _, l := range lines {
		t, ok := strings.CutPrefix(l, "// ")
		if !ok || t == "" || strings.ContainsAny(t[:1], " \t-*+#[0123456789") || strings.HasPrefix(t, "\u2022") ||
			strings.Contains(t, "``") || strings.Contains(t, "''") {
			simple = false
			break
		}
	}
	if simple {
		return lines
	}
	var b strings.Builder
	for _, l := range lines {
		after, _ := strings.CutPrefix(l, "//")
		b.WriteString(strings.TrimPrefix(after, " "))
		b.WriteByte('\n')
	}
	var parser doccomment.Parser
	var printer doccomment.Printer
	text := string(printer.Comment(parser.Parse(b.String())))
	var out []string
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		switch {
		case line == "":
			line = "//"
		case strings.HasPrefix(line, "\t"):
			line = "//" + line
		default:
			line = "// " + line
		}
		out = append(out, line)
	}
	return out
}

// finish prepends the header, package clause and the imports the file
// used, and ends the file with exactly one newline.
func (g *gen) finish() []byte {
	g.flushBlock()
	g.flushDoc(false)
	var h bytes.Buffer
	h.Grow(g.buf.Len() + 256)
	h.WriteString("// Code generated by agentready generate go. DO NOT EDIT.\n\npackage " + g.pkg + "\n")
	n := 0
	for _, i := range candidateImports {
		if g.uses[i] {
			if n == 0 {
				h.WriteString("\nimport (\n")
			}
			h.WriteString("\t\"" + i + "\"\n")
			n++
		}
	}
	if n > 0 {
		h.WriteString(")\n")
	}
	if body := bytes.Trim(g.buf.Bytes(), "\n"); len(body) > 0 {
		h.WriteByte('\n')
		h.Write(body)
		h.WriteByte('\n')
	}
	return h.Bytes()
}

func (g *gen) use(pkg string) { g.uses[pkg] = true }

// candidateImports are the packages models and operations files may use,
// in gofmt's order.
var candidateImports = []string{"context", "encoding/json", "fmt", "io", "iter", "net/http", "time"}

// formatSource gofmts src after removing the imports it does not use.
func formatSource(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for i := 0; i < len(f.Decls); i++ {
		gd, ok := f.Decls[i].(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		var keep []ast.Spec
		for _, sp := range gd.Specs {
			is := sp.(*ast.ImportSpec)
			path, _ := strconv.Unquote(is.Path.Value)
			local := path[strings.LastIndexByte(path, '/')+1:]
			if is.Name != nil {
				local = is.Name.Name
			}
			if used[local] || local == "_" {
				keep = append(keep, sp)
			}
		}
		gd.Specs = keep
		if len(keep) == 0 {
			f.Decls = append(f.Decls[:i], f.Decls[i+1:]...)
			i--
		}
	}
	var imports []*ast.ImportSpec
	for _, is := range f.Imports {
		path, _ := strconv.Unquote(is.Path.Value)
		local := path[strings.LastIndexByte(path, '/')+1:]
		if is.Name != nil {
			local = is.Name.Name
		}
		if used[local] || local == "_" {
			imports = append(imports, is)
		}
	}
	f.Imports = imports
	// What format.Node does, less its copy: for a file with grouped imports
	// it prints the whole file, parses the result again and sorts the copy's
	// imports before printing it a second time, so as not to change the
	// caller's tree. This tree is ours to change, so its imports are sorted
	// in place and the file is printed once, with gofmt's settings.
	ast.SortImports(fset, f)
	buf := bytes.NewBuffer(make([]byte, 0, len(src)+len(src)/4))
	if err := gofmtConfig.Fprint(buf, fset, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gofmtConfig is go/format's (and so gofmt's) printer configuration,
// including its unexported mode bit that canonicalises number literals'
// prefixes (0X1 to 0x1); go/format declares it as 1 << 30.
var gofmtConfig = printer.Config{Mode: printer.UseSpaces | printer.TabIndent | 1<<30, Tabwidth: 8}

// doc writes s as a comment. Top-level comments are reformatted as doc
// comments when the declaration they document follows (see line); those
// inside a struct (field docs, which gofmt leaves as they are) get the same
// treatment here, so that lists and code blocks read alike everywhere.
func (g *gen) doc(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	c := esc(asComment, s)
	if g.depth == 0 {
		g.p("%s", c)
		return
	}
	for _, l := range formatDoc(strings.Split(c, "\n")) {
		g.line(l)
	}
}

func deref(t *ir.Type) *ir.Type {
	seen := 0
	for t != nil && t.Kind == ir.Alias && seen < 64 {
		t = t.Elem
		seen++
	}
	if t != nil && t.Kind == ir.Alias {
		return &ir.Type{Kind: ir.Any}
	}
	return t
}

// typ is the Go type expression for t.
func (g *gen) typ(t *ir.Type) string {
	if t == nil {
		g.use("encoding/json")
		return "json.RawMessage"
	}
	if t.Named() {
		return esc(asIdent, t.Name)
	}
	switch t.Kind {
	case ir.Bool:
		return "bool"
	case ir.Integer:
		switch t.Format {
		case "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "uint":
			return t.Format
		}
		return "int64"
	case ir.Number:
		if t.Format == "float" {
			return "float32"
		}
		return "float64"
	case ir.String:
		switch t.Format {
		case "date-time":
			g.use("time")
			return "time.Time"
		case "byte":
			return "[]byte"
		case "binary":
			return "File"
		}
		return "string"
	case ir.Array:
		return "[]" + g.typ(t.Elem)
	case ir.Map:
		return "map[string]" + g.typ(t.Elem)
	}
	g.use("encoding/json")
	return "json.RawMessage"
}

// nilable reports whether the Go type of t has nil as its zero value, so
// that an optional value needs no pointer to be told apart from absent.
func nilable(t *ir.Type) bool {
	d := deref(t)
	if d == nil {
		return true
	}
	switch d.Kind {
	case ir.Array, ir.Map, ir.Any:
		return true
	case ir.String:
		return d.Format == "byte"
	}
	return false
}

// fieldType returns a struct field's Go type and its JSON option.
func (g *gen) fieldType(f *ir.Field) (string, string) {
	t := g.typ(f.Type)
	switch {
	case g.cycle[f]:
		return "*" + t, ",omitzero"
	case f.Nullable:
		if f.Required {
			return "Nullable[" + t + "]", ""
		}
		return "Nullable[" + t + "]", ",omitzero"
	case f.Required:
		return t, ""
	case nilable(f.Type):
		return t, ",omitzero"
	}
	return "*" + t, ",omitzero"
}

// validTagName reports whether encoding/json accepts name in a struct tag.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) {
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c > 127 && (unicode.IsLetter(c) || unicode.IsDigit(c))) {
			return false
		}
	}
	return true
}
