package specload

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ProblemKind classifies a validation problem.
type ProblemKind string

// Problem kinds. Example, Default and Pattern problems are about values in
// the spec rather than its structure; lint reports them as warnings.
const (
	Structure ProblemKind = "structure"
	Example   ProblemKind = "example"
	Default   ProblemKind = "default"
	Pattern   ProblemKind = "pattern"
)

// Problem is one thing kin-openapi's validation found wrong with a spec.
type Problem struct {
	// Pointer is the JSON pointer (into Spec) of the object at fault, as
	// deep as the error says.
	Pointer string
	Message string
	Kind    ProblemKind
}

// Validate runs kin-openapi's validation with every error collected, and
// returns the problems with pointers. It never fails: an invalid spec is
// data to report.
func (d *Document) Validate(ctx context.Context) (problems []Problem) {
	return d.validate(ctx, true)
}

// validate is Validate, with (memo) or without the copy of validationCopy
// that spares kin-openapi its re-walks of shared schemas; the tests compare
// the two.
func (d *Document) validate(ctx context.Context, memo bool) (problems []Problem) {
	if d.Spec == nil {
		return nil
	}
	defer func() {
		// A validator walking a badly broken document must not take the
		// run down with it; report that validation stopped.
		if r := recover(); r != nil {
			problems = append(problems, Problem{Message: "validation stopped early on a malformed document", Kind: Structure})
		}
	}()
	opts := []openapi3.ValidationOption{
		openapi3.EnableMultiError(),
		openapi3.EnableExamplesValidation(),
		openapi3.EnableSchemaDefaultsValidation(),
		openapi3.EnableSchemaPatternValidation(),
		openapi3.AllowExtensionsWithRef(),
		openapi3.SetRegexCompiler(compilePattern),
	}
	spec := view32(d.Spec)
	if memo {
		spec = validationCopy(ctx, spec, opts)
	}
	err := spec.Validate(ctx, opts...)
	if err == nil {
		return nil
	}
	leaves := []error{err}
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		// Keep the context the MultiError sat in: rebuild the pointer
		// prefix from err and the leaf's own chain.
		leaves = make([]error, len(me))
		for i, sub := range me {
			leaves[i] = &chained{outer: err, inner: sub}
		}
	}
	seen := map[Problem]bool{}
	for _, e := range leaves {
		p := problemOf(e)
		if !seen[p] {
			seen[p] = true
			problems = append(problems, p)
		}
	}
	return problems
}

// compilePattern is CompilePattern; the tests count its calls.
var compilePattern = CompilePattern

// chained is a leaf of a MultiError together with the chain above it.
type chained struct{ outer, inner error }

func (c *chained) Error() string { return c.inner.Error() }

var sectionRoot = map[string]string{
	"components": "components", "info": "info", "paths": "paths", "security": "security",
	"servers": "servers", "tags": "tags", "external docs": "externalDocs", "webhooks": "webhooks",
	"jsonSchemaDialect": "jsonSchemaDialect",
}

var componentBucket = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers", "request body": "requestBodies",
	"response": "responses", "security scheme": "securitySchemes", "example": "examples", "link": "links",
	"callback": "callbacks",
}

func problemOf(e error) Problem {
	var segs []string
	kind := Structure
	var leaf error
	walk := func(e error) {
		for ; e != nil; e = errors.Unwrap(e) {
			switch t := e.(type) {
			case *openapi3.SectionValidationError:
				if s, ok := sectionRoot[t.Section]; ok {
					segs = append(segs, s)
				}
			case *openapi3.PathValidationError:
				segs = append(segs, t.Path)
			case *openapi3.OperationValidationError:
				segs = append(segs, strings.ToLower(t.Method))
			case *openapi3.ComponentValidationError:
				if b, ok := componentBucket[t.Section]; ok {
					segs = append(segs, b, t.Name)
				}
			case *openapi3.WebhookValidationError:
				segs = append(segs, t.Name)
			case *openapi3.MediaTypeExampleValidationError:
				kind = Example
			case *openapi3.ParameterExampleValidationError:
				kind = Example
			case *openapi3.SchemaValueError:
				switch t.ValueKind {
				case "example", "examples":
					kind = Example
				case "default":
					kind = Default
				}
				if leaf == nil {
					leaf = e
				}
			case openapi3.MultiError:
				return
			case *openapi3.SchemaError:
				if leaf == nil {
					leaf = e
				}
			default:
				if leaf == nil && !isWrapper(e) {
					leaf = e
				}
			}
		}
	}
	if c, ok := e.(*chained); ok {
		walk(c.outer)
		leaf = nil
		walk(c.inner)
	} else {
		walk(e)
	}
	var pe *openapi3.SchemaPatternRegexError
	inner := e
	if c, ok := e.(*chained); ok {
		inner = c.inner
	}
	if errors.As(inner, &pe) {
		// The cause is the regexp parser's error, which does not say
		// which pattern it is about.
		msg := "pattern " + strconv.Quote(pe.Pattern) + " is not a valid regular expression"
		var cause *openapi3.SchemaError
		if errors.As(pe.Cause, &cause) && cause.Origin != nil {
			msg += ": " + strings.TrimPrefix(cause.Origin.Error(), "error parsing regexp: ")
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return Problem{Pointer: Pointer(segs...), Message: msg, Kind: Pattern}
	}
	var msg string
	var se *openapi3.SchemaError
	if c, ok := e.(*chained); ok {
		se = firstSchemaError(c.inner, 0)
	} else {
		se = firstSchemaError(e, 0)
	}
	switch {
	case se != nil && kind != Structure:
		// SchemaError's Error() dumps the schema and value as JSON: costly
		// on big specs and too long for a finding. Its reason is enough.
		msg = "invalid " + string(kind) + ": " + se.Reason
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			msg += " at " + Pointer(ptr...)
		}
	case leaf != nil:
		msg = leaf.Error()
	default:
		msg = e.Error()
	}
	switch {
	case kind != Structure:
	case strings.HasPrefix(msg, "invalid example"), strings.HasPrefix(msg, "invalid examples"):
		kind = Example
	case strings.HasPrefix(msg, "invalid default"):
		kind = Default
	case strings.Contains(msg, "pattern") && strings.Contains(msg, "regular expression"):
		kind = Pattern
	}
	if kind != Structure && se != nil && !strings.HasPrefix(msg, "invalid "+string(kind)+": "+se.Reason) {
		msg = "invalid " + string(kind) + ": " + se.Reason
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			msg += " at " + Pointer(ptr...)
		}
	}
	// kin-openapi appends the schema and the value on further lines.
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return Problem{Pointer: Pointer(segs...), Message: msg, Kind: kind}
}

// isWrapper reports whether e only adds context to its cause.
func isWrapper(e error) bool {
	switch e.(type) {
	case *openapi3.HeaderFieldValidationError, *openapi3.MediaTypeEncodingValidationError,
		*openapi3.ParameterFieldValidationError, *openapi3.SecuritySchemeFlowValidationError,
		*openapi3.OAuthFlowValidationError, *openapi3.OAuthFlowFieldValidationError,
		*openapi3.SchemaCombinatorElementValidationError, *openapi3.TagValidationError,
		*openapi3.ExternalDocsURLValidationError:
		return true
	}
	return false
}

// firstSchemaError finds the first *SchemaError in an error tree, looking
// into MultiErrors, which errors.As does not.
func firstSchemaError(err error, depth int) *openapi3.SchemaError {
	for e := err; e != nil && depth < 64; e, depth = errors.Unwrap(e), depth+1 {
		switch t := e.(type) {
		case *openapi3.SchemaError:
			return t
		case openapi3.MultiError:
			for _, sub := range t {
				if se := firstSchemaError(sub, depth+1); se != nil {
					return se
				}
			}
			return nil
		}
	}
	return nil
}
