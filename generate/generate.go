// Package generate turns an OpenAPI document into code: it builds the
// language-neutral IR (package generate/ir) once and hands it to a renderer
// (generate/golang for a Go client, generate/tools for LLM tool
// definitions, generate/mcp for an MCP server). Each target is one call
// that loads the spec, generates, writes and returns its report:
//
//	rep, err := generate.RunGo(ctx, "openapi.yaml", generate.GoConfig{Out: "client", SpecConfig: generate.DefaultSpecConfig()})
//	res, err := generate.RunTools(ctx, "openapi.yaml", cfg) // res.JSON, res.Report
//	rep, err := generate.RunMCP(ctx, "openapi.yaml", cfg)
//
// It never writes to stdout or exits; the CLI in cmd/agentready calls it
// and prints the report.
package generate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// The findings generate reports. A spec is loaded leniently: neither kind
// stops generation.
var (
	// SpecInvalid is a validation problem of the spec itself.
	SpecInvalid = report.Rule{
		ID:       "spec-invalid",
		Title:    "the spec does not validate against OpenAPI",
		Severity: report.Warning,
		Category: "generate",
		Since:    "0.1.0",
		Doc: "The spec breaks a rule of the OpenAPI specification. The generator went on, reading the " +
			"document as written; the generated client follows what the spec says, so fix the spec to fix the client.",
	}
	// Approximation is a place where the generated code cannot follow the spec exactly.
	Approximation = report.Rule{
		ID:       "generate-approximation",
		Title:    "the generator approximated part of the spec",
		Severity: report.Info,
		Category: "generate",
		Since:    "0.1.0",
		Doc: "Part of the spec cannot be represented exactly (an unresolved reference, an undeclared path " +
			"parameter, properties beside a oneOf, an enum value of the wrong type). The message says what the " +
			"generator did instead.",
	}
)

// Rules are the descriptors of every finding generate reports.
func Rules() []report.Rule { return []report.Rule{SpecInvalid, Approximation} }

// GoOptions configure Go.
type GoOptions struct {
	golang.Options
	// SkipValidation skips the spec validation pass (and its findings).
	SkipValidation bool
}

// Result is one generation.
type Result struct {
	API      *ir.API
	Files    []golang.File
	Findings []report.Finding
}

// Go generates a Go client for doc.
func Go(ctx context.Context, doc *specload.Document, opts GoOptions) (*Result, error) {
	// Validation only ever yields warnings and reads the document as IR
	// building and rendering do, so it runs alongside them rather than
	// before: on a large spec it is a second or more of CPU time that would
	// otherwise be spent while the other core waits.
	var problems []specload.Problem
	validated := make(chan struct{})
	if opts.SkipValidation {
		close(validated)
	} else {
		go func() {
			defer close(validated)
			problems = doc.Validate(ctx)
		}()
	}
	api, err := ir.Build(doc.Spec, golang.IROptions())
	var files []golang.File
	if err == nil {
		if err = ctx.Err(); err == nil {
			files, err = golang.Generate(api, opts.Options)
		}
	}
	<-validated
	if err != nil {
		return nil, err
	}
	res := &Result{API: api, Files: files}
	for _, p := range problems {
		res.Findings = append(res.Findings, report.Finding{RuleID: SpecInvalid.ID, Severity: SpecInvalid.Severity, Message: p.Message, Location: report.Location{File: doc.Name, Pointer: p.Pointer}})
	}
	for _, w := range api.Warnings {
		res.Findings = append(res.Findings, report.Finding{RuleID: Approximation.ID, Severity: Approximation.Severity, Message: w.Message, Location: report.Location{File: doc.Name, Pointer: w.Pointer}})
	}
	locate(doc, res.Findings)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// locate fills findings' lines and columns from their pointers.
func locate(doc *specload.Document, fs []report.Finding) {
	if len(fs) == 0 {
		return
	}
	ptrs := make([]string, 0, len(fs))
	for _, f := range fs {
		ptrs = append(ptrs, f.Location.Pointer)
	}
	pos := doc.Locate(ptrs)
	for i := range fs {
		if p, ok := pos[fs[i].Location.Pointer]; ok {
			fs[i].Location.Line, fs[i].Location.Column = p.Line, p.Column
		}
	}
}

// WriteFiles writes files into dir, creating it, each file atomically (a
// temporary file renamed into place). Other files in dir are left alone.
func WriteFiles(dir string, files []golang.File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := map[string]bool{}
	for _, f := range files {
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." || names[f.Name] {
			return fmt.Errorf("refusing to write %q", f.Name)
		}
		names[f.Name] = true
	}
	sorted := append([]golang.File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var errs []error
	for _, f := range sorted {
		tmp, err := os.CreateTemp(dir, "."+f.Name+".*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(f.Content)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr); err != nil {
			os.Remove(tmp.Name())
			errs = append(errs, err)
			continue
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			errs = append(errs, err)
		}
		if err := os.Rename(tmp.Name(), filepath.Join(dir, f.Name)); err != nil {
			os.Remove(tmp.Name())
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
