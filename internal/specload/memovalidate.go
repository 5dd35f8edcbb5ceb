package specload

import (
	"context"

	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi's Schema.Validate starts a fresh visited set at every media
// type and component schema, so a schema shared by many bodies is walked
// once per body: Stripe's 12,881 schemas were walked 2.29 million times,
// 63% of its lint. Validate therefore hands T.Validate a copy of the spec in
// which each such schema that is known to validate is replaced by an empty
// schema (which validates too), so that kin-openapi's own validation reports
// exactly what it reports on the original while walking each shared schema
// graph once, here.
//
// A schema "validates" when Schema.Validate would return nil for it: when no
// schema reachable from it fails its own checks. Its own checks are run by
// kin-openapi itself on a shallow copy whose children are the empty schema
// (what the walk reports about the node, not about its children), and its
// default and example, which kin-openapi checks against the whole graph, are
// checked against the real schema. Whatever is unsure falls back to the
// real walk: a schema is replaced only when it certainly validates, so the
// findings are kin-openapi's own.
//
// A media type with an example keeps its schema (its examples are checked
// against it), and so do parameters, headers and callbacks (rarely large).

// emptySchema is what a known-valid schema is replaced by.
var emptySchema = &openapi3.Schema{}

type memoValidator struct {
	ctx      context.Context // the options T.Validate gives its walk
	json2020 bool

	bad   map[*openapi3.Schema]bool // fails its own checks (or unsure)
	nodes []*openapi3.Schema        // every schema reached, once
	kids  map[*openapi3.Schema][]*openapi3.Schema
	ok    map[*openapi3.Schema]bool // validates (computed by solve)

	responses map[*openapi3.Response]*openapi3.Response
	bodies    map[*openapi3.RequestBody]*openapi3.RequestBody
	media     map[*openapi3.MediaType]*openapi3.MediaType
	sites     []site // schema refs in the copy to replace when valid
}

// site is a schema ref of the copy: its schema, and how to replace it.
type site struct {
	ref *openapi3.SchemaRef
	set func(*openapi3.SchemaRef)
}

// validationCopy returns the copy of spec to validate (see above), given the
// options Validate passes to T.Validate.
func validationCopy(ctx context.Context, spec *openapi3.T, opts []openapi3.ValidationOption) *openapi3.T {
	if spec.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.IsOpenAPI31OrLater())
	}
	if spec.IsOpenAPI32OrLater() {
		opts = append(opts, openapi3.IsOpenAPI32OrLater())
	}
	m := &memoValidator{
		ctx:       openapi3.WithValidationOptions(ctx, opts...),
		json2020:  spec.IsOpenAPI31OrLater(),
		bad:       map[*openapi3.Schema]bool{},
		kids:      map[*openapi3.Schema][]*openapi3.Schema{},
		ok:        map[*openapi3.Schema]bool{},
		responses: map[*openapi3.Response]*openapi3.Response{},
		bodies:    map[*openapi3.RequestBody]*openapi3.RequestBody{},
		media:     map[*openapi3.MediaType]*openapi3.MediaType{},
	}
	cp := *spec
	if spec.Paths != nil && spec.Paths.Len() > 0 {
		ps := openapi3.NewPathsWithCapacity(spec.Paths.Len())
		ps.Extensions, ps.Origin = spec.Paths.Extensions, spec.Paths.Origin
		for k, pi := range spec.Paths.Map() {
			ps.Set(k, m.pathItem(pi))
		}
		cp.Paths = ps
	}
	if len(spec.Webhooks) > 0 {
		cp.Webhooks = make(map[string]*openapi3.PathItem, len(spec.Webhooks))
		for k, pi := range spec.Webhooks {
			cp.Webhooks[k] = m.pathItem(pi)
		}
	}
	if c := spec.Components; c != nil {
		cc := *c
		if len(c.Schemas) > 0 {
			ss := make(openapi3.Schemas, len(c.Schemas))
			for k, r := range c.Schemas {
				ss[k] = r
				m.sites = append(m.sites, site{r, func(n *openapi3.SchemaRef) { ss[k] = n }})
			}
			cc.Schemas = ss
		}
		if len(c.RequestBodies) > 0 {
			cc.RequestBodies = make(openapi3.RequestBodies, len(c.RequestBodies))
			for k, r := range c.RequestBodies {
				cc.RequestBodies[k] = m.requestBodyRef(r)
			}
		}
		if len(c.Responses) > 0 {
			cc.Responses = make(openapi3.ResponseBodies, len(c.Responses))
			for k, r := range c.Responses {
				cc.Responses[k] = m.responseRef(r)
			}
		}
		cp.Components = &cc
	}
	for _, s := range m.sites {
		if s.ref != nil && s.ref.Value != nil {
			m.reach(s.ref.Value)
		}
	}
	m.solve()
	for _, s := range m.sites {
		if s.ref != nil && s.ref.Value != nil && m.ok[s.ref.Value] {
			nr := *s.ref
			nr.Value = emptySchema
			s.set(&nr)
		}
	}
	return &cp
}

func (m *memoValidator) pathItem(pi *openapi3.PathItem) *openapi3.PathItem {
	if pi == nil {
		return nil
	}
	c := *pi
	if len(pi.AdditionalOperations) > 0 {
		c.AdditionalOperations = make(map[string]*openapi3.Operation, len(pi.AdditionalOperations))
		for k, v := range pi.AdditionalOperations {
			c.AdditionalOperations[k] = v
		}
	}
	for method, op := range pi.Operations() {
		c.SetOperation(method, m.operation(op))
	}
	return &c
}

func (m *memoValidator) operation(op *openapi3.Operation) *openapi3.Operation {
	if op == nil {
		return nil
	}
	c := *op
	c.RequestBody = m.requestBodyRef(op.RequestBody)
	if op.Responses != nil && op.Responses.Len() > 0 {
		rs := openapi3.NewResponsesWithCapacity(op.Responses.Len())
		rs.Extensions, rs.Origin = op.Responses.Extensions, op.Responses.Origin
		for k, r := range op.Responses.Map() {
			rs.Set(k, m.responseRef(r))
		}
		c.Responses = rs
	}
	return &c
}

func (m *memoValidator) requestBodyRef(r *openapi3.RequestBodyRef) *openapi3.RequestBodyRef {
	if r == nil || r.Value == nil {
		return r
	}
	c := *r
	b, ok := m.bodies[r.Value]
	if !ok {
		nb := *r.Value
		nb.Content = m.content(r.Value.Content)
		b = &nb
		m.bodies[r.Value] = b
	}
	c.Value = b
	return &c
}

func (m *memoValidator) responseRef(r *openapi3.ResponseRef) *openapi3.ResponseRef {
	if r == nil || r.Value == nil {
		return r
	}
	c := *r
	v, ok := m.responses[r.Value]
	if !ok {
		nv := *r.Value
		nv.Content = m.content(r.Value.Content)
		v = &nv
		m.responses[r.Value] = v
	}
	c.Value = v
	return &c
}

func (m *memoValidator) content(c openapi3.Content) openapi3.Content {
	if len(c) == 0 {
		return c
	}
	out := make(openapi3.Content, len(c))
	for k, mt := range c {
		out[k] = m.mediaType(mt)
	}
	return out
}

func (m *memoValidator) mediaType(mt *openapi3.MediaType) *openapi3.MediaType {
	if mt == nil || mt.Example != nil || len(mt.Examples) > 0 {
		// Examples are validated against the schema itself.
		return mt
	}
	if c, ok := m.media[mt]; ok {
		return c
	}
	c := *mt
	m.media[mt] = &c
	if c.Schema != nil {
		m.sites = append(m.sites, site{c.Schema, func(n *openapi3.SchemaRef) { c.Schema = n }})
	}
	if c.ItemSchema != nil {
		m.sites = append(m.sites, site{c.ItemSchema, func(n *openapi3.SchemaRef) { c.ItemSchema = n }})
	}
	return &c
}

// children are the schemas Schema.validate descends into, and more: every
// schema a Schema refers to (a node reached needlessly can only make a
// schema keep its real walk).
func children(s *openapi3.Schema, f func(r *openapi3.SchemaRef)) {
	for _, rs := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf, s.PrefixItems} {
		for _, r := range rs {
			f(r)
		}
	}
	for _, r := range []*openapi3.SchemaRef{s.Not, s.Items, s.Contains, s.PropertyNames, s.If, s.Then, s.Else,
		s.ContentSchema, s.AdditionalProperties.Schema, s.UnevaluatedItems.Schema, s.UnevaluatedProperties.Schema} {
		if r != nil {
			f(r)
		}
	}
	for _, ss := range []openapi3.Schemas{s.Properties, s.PatternProperties, s.DependentSchemas, s.Defs} {
		for _, r := range ss {
			f(r)
		}
	}
	if d := s.Discriminator; d != nil {
		for _, r := range d.Mapping {
			sr := openapi3.SchemaRef(r)
			f(&sr)
		}
	}
}

// reach records every schema reachable from s, and whether each fails its
// own checks.
func (m *memoValidator) reach(s *openapi3.Schema) {
	stack := []*openapi3.Schema{s}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, done := m.kids[n]; done {
			continue
		}
		var ks []*openapi3.Schema
		children(n, func(r *openapi3.SchemaRef) {
			if r != nil && r.Value != nil {
				ks = append(ks, r.Value)
			}
		})
		if ks == nil {
			ks = []*openapi3.Schema{}
		}
		m.kids[n] = ks
		m.nodes = append(m.nodes, n)
		m.bad[n] = m.failsOwn(n)
		stack = append(stack, ks...)
	}
}

// solve marks ok every reached schema from which no bad schema is reachable.
func (m *memoValidator) solve() {
	parents := make(map[*openapi3.Schema][]*openapi3.Schema, len(m.nodes))
	for _, n := range m.nodes {
		for _, k := range m.kids[n] {
			parents[k] = append(parents[k], n)
		}
	}
	tainted := make(map[*openapi3.Schema]bool)
	var queue []*openapi3.Schema
	for _, n := range m.nodes {
		if m.bad[n] {
			tainted[n] = true
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, p := range parents[n] {
			if !tainted[p] {
				tainted[p] = true
				queue = append(queue, p)
			}
		}
	}
	for _, n := range m.nodes {
		if !tainted[n] {
			m.ok[n] = true
		}
	}
}

// failsOwn reports whether kin-openapi's walk would fail at s itself (or
// may: anything unsure counts as a failure).
func (m *memoValidator) failsOwn(s *openapi3.Schema) (bad bool) {
	defer func() {
		if recover() != nil {
			bad = true
		}
	}()
	c := *s
	stub := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil || r.Value == nil {
			return r // an unresolved $ref fails here, as in the walk
		}
		nr := *r
		nr.Value = emptySchema
		return &nr
	}
	stubs := func(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = stub(r)
		}
		return out
	}
	stubm := func(ss openapi3.Schemas) openapi3.Schemas {
		if ss == nil {
			return nil
		}
		out := make(openapi3.Schemas, len(ss))
		for k, r := range ss {
			out[k] = stub(r)
		}
		return out
	}
	c.OneOf, c.AnyOf, c.AllOf, c.PrefixItems = stubs(s.OneOf), stubs(s.AnyOf), stubs(s.AllOf), stubs(s.PrefixItems)
	c.Not, c.Items, c.Contains, c.PropertyNames = stub(s.Not), stub(s.Items), stub(s.Contains), stub(s.PropertyNames)
	c.If, c.Then, c.Else, c.ContentSchema = stub(s.If), stub(s.Then), stub(s.Else), stub(s.ContentSchema)
	c.AdditionalProperties.Schema = stub(s.AdditionalProperties.Schema)
	c.UnevaluatedItems.Schema = stub(s.UnevaluatedItems.Schema)
	c.UnevaluatedProperties.Schema = stub(s.UnevaluatedProperties.Schema)
	c.Properties, c.PatternProperties = stubm(s.Properties), stubm(s.PatternProperties)
	c.DependentSchemas, c.Defs = stubm(s.DependentSchemas), stubm(s.Defs)
	if d := s.Discriminator; d != nil && len(d.Mapping) > 0 {
		nd := *d
		nd.Mapping = make(map[string]openapi3.MappingRef, len(d.Mapping))
		for k, r := range d.Mapping {
			if r.Value != nil {
				r.Value = emptySchema
			}
			nd.Mapping[k] = r
		}
		c.Discriminator = &nd
	}
	// The default and the example are checked against the whole schema,
	// below, with the options kin-openapi's walk uses.
	c.Default, c.Example = nil, nil
	if (&c).Validate(m.ctx) != nil {
		return true
	}
	for _, v := range []any{s.Default, s.Example} {
		if v == nil {
			continue
		}
		vopts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
		if m.json2020 {
			vopts = append(vopts, openapi3.EnableJSONSchema2020())
		}
		if s.VisitJSON(v, vopts...) != nil {
			return true
		}
	}
	return false
}
