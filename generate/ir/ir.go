// Package ir is the language-neutral intermediate representation that every
// agentready code generator renders from: operations, types and security
// schemes built once from an OpenAPI document by [Build], with every
// identifier assigned by one deterministic, collision-free naming pass.
//
// The IR is the contract between the spec and the renderers (Go today;
// TypeScript, Python and LLM tool definitions read the same structures).
// Its shape is stable: fields are only ever added.
//
// # Names
//
// Every Name field holds an ASCII identifier in PascalCase that is a valid
// identifier in Go, TypeScript and Python, is not a keyword or predeclared
// name of Go, and is unique within its namespace:
//
//   - the package namespace: [API.Types] names, the Params/Response type names
//     of operations, enum constant names ([EnumValue.Name]) and the caller's
//     reserved names ([Options.Reserved]);
//   - the client namespace: [Operation.Name] and [Pagination.IterName];
//   - one namespace per struct: [Field.Name] within a type, [Param.Name] within
//     an operation's params (which also holds "Body" and "BodyMediaType"),
//     [Variant.Name] within a union.
//
// Original spelling is always kept beside the name ([Field.JSONName],
// [Param.Wire], [Operation.ID], [Type.SchemaName]) so that renderers can emit
// wire names and documentation. Renderers that need another case derive it
// with [Camel] or [Snake].
package ir

// API is a whole OpenAPI document in generator form.
type API struct {
	Title       string
	Version     string // info.version
	Description string
	// OpenAPI is the version of the source document ("2.0", "3.0.3", "3.1.0").
	OpenAPI string
	// Servers are the document's server URLs, variables substituted by their defaults.
	Servers []string
	// Types are the named types in declaration order: component schemas sorted
	// by name, then types hoisted from inline schemas in the order in which the
	// operations (sorted by path then method) reach them.
	Types []*Type
	// Operations sorted by path, then method in the order of [Methods].
	Operations []*Operation
	// SecuritySchemes sorted by their key in components.securitySchemes.
	SecuritySchemes []*SecurityScheme
	// Warnings are the places where the document could not be represented
	// exactly and the generator made a choice (never fatal).
	Warnings []Warning
}

// Warning is a non-fatal problem met while building the IR.
type Warning struct {
	Pointer string // JSON pointer into the source document
	Message string
}

// Methods are the HTTP methods in the order operations of one path are listed.
var Methods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"}

// Kind says what a Type is.
type Kind int

// The kinds of Type.
const (
	Any     Kind = iota // free-form JSON, kept raw
	Bool                // boolean
	Integer             // integer; Format is "int32", "int64" or ""
	Number              // number; Format is "float", "double" or ""
	String              // string; Format is e.g. "date-time", "date", "byte", "binary", "uuid"
	Array               // Elem holds the item type
	Map                 // string keys, Elem holds the value type
	Object              // Fields, and Additional for additionalProperties
	Enum                // Base and Values
	Union               // Variants, and Discriminator when the spec has one
	Alias               // a named type that stands for another named type, Elem
)

var kindNames = [...]string{"any", "bool", "integer", "number", "string", "array", "map", "object", "enum", "union", "alias"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Type is a schema. A Type with a Name is declared once in [API.Types] and
// referenced by pointer elsewhere, so recursive schemas are cyclic graphs.
// Objects, enums and unions always have names; arrays, maps and primitives
// have one only when they are component schemas.
type Type struct {
	Kind Kind
	// Name is the type's identifier, or "" for an anonymous type.
	Name string
	// SchemaName is the key under components.schemas, or "" for an inline schema.
	SchemaName string
	// Pointer is the JSON pointer of the schema in the source document.
	Pointer     string
	Title       string
	Description string
	Format      string
	Deprecated  bool

	// Elem is the item type of an Array, the value type of a Map and the
	// target of an Alias.
	Elem *Type
	// Fields of an Object, sorted by JSON name.
	Fields []*Field
	// Additional is an Object's additionalProperties type when its fields do
	// not describe every key (nil when additional keys are not typed).
	Additional *Type
	// Base is the kind of an Enum's values (String, Integer, Number or Bool).
	Base Kind
	// Values of an Enum, in spec order, duplicates removed.
	Values []*EnumValue
	// Variants of a Union, in spec order.
	Variants []*Variant
	// Discriminator of a Union, when the spec declares one.
	Discriminator *Discriminator
	// AnyOf is set for a union built from anyOf (several variants may match)
	// rather than oneOf.
	AnyOf bool
	// Constraints are the schema's validation keywords, or nil.
	Constraints *Constraints

	hint  []string // name words proposed by the builder
	named bool     // whether this type is declared
}

// Named reports whether t is declared in [API.Types].
func (t *Type) Named() bool { return t != nil && t.named }

// Field is a property of an Object.
type Field struct {
	Name        string // identifier, unique within the type
	JSONName    string // property name on the wire
	Type        *Type
	Required    bool
	Nullable    bool // null is a valid value
	Description string
	Deprecated  bool
	ReadOnly    bool
	WriteOnly   bool
}

// EnumValue is one allowed value of an Enum.
type EnumValue struct {
	Name  string // constant identifier (package namespace), e.g. PetStatusAvailable
	Value any    // string, int64, float64 or bool
}

// Variant is one alternative of a Union.
type Variant struct {
	Name     string // identifier, unique within the union
	Type     *Type
	Nullable bool
	// Tags are the discriminator values that select this variant.
	Tags []string
}

// Discriminator names the property whose value picks a union's variant.
type Discriminator struct {
	Property string
}

// Operation is one method on one path.
type Operation struct {
	Name        string // client method identifier
	ID          string // operationId as written, or ""
	Method      string // upper case
	Path        string
	Summary     string
	Description string
	Tags        []string
	Deprecated  bool
	Pointer     string

	// ParamsName and ResponseName are the identifiers of the operation's
	// parameter and response types (package namespace).
	ParamsName   string
	ResponseName string
	// Params in order: path, query, header, cookie; within a location as in the spec.
	Params []*Param
	// Body is the request body, or nil.
	Body *Body
	// Responses sorted: explicit codes ascending, then ranges (2XX...), then default.
	Responses []*Response
	// Security lists alternative requirements; each alternative needs all its
	// schemes. Empty means no authentication. Nil entries mean "anonymous allowed".
	Security []SecurityRequirement
	// IdempotencyKey is the header parameter named Idempotency-Key, if declared.
	IdempotencyKey *Param
	// Pagination is set when the operation matches a known pagination pattern.
	Pagination *Pagination
}

// Param is an operation parameter.
type Param struct {
	Name        string // identifier, unique within the params type
	Wire        string // name on the wire
	In          string // "path", "query", "header" or "cookie"
	Style       string // form, simple, label, matrix, deepObject, spaceDelimited, pipeDelimited
	Explode     bool
	Required    bool
	Type        *Type
	Nullable    bool
	Description string
	Deprecated  bool
	// AllowReserved leaves RFC 3986 reserved characters unencoded in a query value.
	AllowReserved bool
	// ContentType is set when the parameter is described by `content` rather
	// than `schema`: the value is serialised in that media type (JSON).
	ContentType string
}

// Body is an operation's request body.
type Body struct {
	Required    bool
	Description string
	// Media lists the accepted media types, preferred first: JSON, then
	// form-urlencoded, multipart, octet-stream, text, then others.
	Media []*Media
}

// Media is one media type of a body.
type Media struct {
	MediaType string // e.g. application/json
	// Encoding is how the generator serialises the body: "json", "form",
	// "multipart", "binary" (raw bytes from a reader) or "text".
	Encoding string
	Type     *Type // nil for binary
	Nullable bool
	// DeepObject lists, sorted, the properties of a form or multipart body
	// whose encoding in the spec has style deepObject (name[key]=value).
	DeepObject []string
	// PartTypes are the content types the spec's encoding declares for
	// properties of a multipart body, by property name (the first type of
	// a comma-separated list).
	PartTypes map[string]string
	// FormStyles are the other encodings a form body's properties declare,
	// by property name: "form" (explode false: a=x,y), "spaceDelimited",
	// "pipeDelimited" (a=x|y), or "json" (contentType application/json:
	// the value as JSON text).
	FormStyles map[string]string
	// Item is the type of each item of a sequential body (server-sent
	// events, JSON Lines) that OpenAPI 3.2's itemSchema describes, nil
	// otherwise. The body itself stays raw (text or bytes): renderers read
	// it as a stream and may decode each item as Item.
	Item *Type
}

// Response is one declared response.
type Response struct {
	Status      string // "200", "2XX", "default"
	Name        string // identifier of the field that holds its body, e.g. Status200, Default
	Description string
	Media       []*Media // preferred first, as for Body
	Headers     []string // declared header names, sorted
}

// Success reports whether r describes a 2xx response.
func (r *Response) Success() bool { return len(r.Status) == 3 && r.Status[0] == '2' }

// SecurityScheme is one entry of components.securitySchemes.
type SecurityScheme struct {
	Key  string // key as written
	Name string // identifier (package namespace is not used; unique among schemes)
	// Type is "apiKey", "http", "oauth2", "openIdConnect" or "mutualTLS".
	Type        string
	Description string
	// In and ParamName locate an apiKey: header, query or cookie.
	In        string
	ParamName string
	// Scheme is the HTTP auth scheme, lower case ("basic", "bearer", ...).
	Scheme string
	// TokenURL is the OAuth2 client-credentials token endpoint, if that flow is declared.
	TokenURL string
	// Scopes of the client-credentials flow, sorted.
	Scopes []string
}

// SecurityRequirement is one alternative of an operation's security: all of
// its schemes apply together.
type SecurityRequirement []SecurityUse

// SecurityUse is a scheme required with scopes.
type SecurityUse struct {
	Scheme *SecurityScheme
	Scopes []string
}

// Pagination describes how to fetch the next page of a listing.
type Pagination struct {
	// Kind is "link" (Link: rel="next" header), "cursor" (a token from the
	// response goes into Param), "last-id" (the last item's ID goes into
	// Param while HasMore is true), "next-url" (the response body gives the
	// next page's URL at Next, which is fetched as it is), "page" (Param
	// counts pages) or "offset" (Param counts items).
	Kind string
	// IterName is the identifier of the iterator method (client namespace).
	IterName string
	// Param is the request parameter that selects the page.
	Param *Param
	// Limit is the page-size parameter, if any.
	Limit *Param
	// First is, for Kind "page", the page the server answers when Param is
	// not sent: the parameter's default, else its minimum, else 1. The
	// iterator counts on from it (or from the page the caller asked for).
	First int64
	// Status is the response that carries the page (e.g. "200").
	Status string
	// Body is the type of that response body.
	Body *Type
	// Items is the path of fields from the body to the items array; empty
	// when the body itself is the array.
	Items []*Field
	// Item is the element type of the items array.
	Item *Type
	// Next is the path of fields to the next cursor (Kind "cursor") or URL
	// (Kind "next-url").
	Next []*Field
	// HasMore is the path to a boolean saying whether more pages exist (optional).
	HasMore []*Field
	// ItemID is the item field whose value is the next cursor (Kind "last-id").
	ItemID *Field
}
