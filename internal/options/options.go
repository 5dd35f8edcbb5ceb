// Package options describes each command's settings once. A library's
// Config struct is the description: each setting is a field whose tags
// name its flag, its key in .agentready.yaml and its help, so a new setting
// is one field plus its docs. The CLI derives its flags from the struct
// (Bind), reads the config file into the same struct (DecodeYAML) and
// merges the two with the command line winning (Merge); the library takes
// the struct as it is.
//
// Tags:
//
//	yaml:"max-pages"   the key in the command's config section (omit: flag only)
//	flag:"max-pages"   the flag (omit: config only)
//	short:"o"          the flag's one-letter form
//	help:"..."         the flag's help
//	arg:"N"            the word of help that names the value (--max-pages N)
//	path:""            a file or directory: written relative to the config file (RebasePaths)
//
// Field types: string (and named string types), bool, int, int64, float64,
// time.Duration, *int and *float64 (nil: not set), []string (a repeatable
// flag); any type as a config key only.
package options

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Invalid is a setting whose value the library cannot use. The CLI exits 2
// and points the user at --help.
type Invalid struct{ Err error }

func (e *Invalid) Error() string { return e.Err.Error() }
func (e *Invalid) Unwrap() error { return e.Err }

// Invalidf returns an *Invalid with a formatted message, which names the
// setting as its flag does ("--scope: ...").
func Invalidf(format string, args ...any) error {
	return &Invalid{fmt.Errorf(format, args...)}
}

// Bind adds a flag to fs for every field of the struct cfg points to that
// has a flag tag, bound to the field: its current value is the default the
// help shows. Embedded structs are walked.
func Bind(fs *pflag.FlagSet, cfg any) {
	walk(reflect.ValueOf(cfg).Elem(), func(f reflect.StructField, v reflect.Value) {
		name := f.Tag.Get("flag")
		if name == "" || name == "-" {
			return
		}
		help := f.Tag.Get("help")
		if arg := f.Tag.Get("arg"); arg != "" {
			help = quoteArg(help, arg)
		}
		fv := &value{v: v}
		fl := fs.VarPF(fv, name, f.Tag.Get("short"), help)
		fl.DefValue = fv.String()
		if v.IsZero() {
			fl.DefValue = "" // pflag shows no "(default ...)" for it, as for its own 0s, 0 and false
		}
		if v.Kind() == reflect.Bool {
			fl.NoOptDefVal = "true"
		}
	})
}

// Merge sets, in dst, the settings the config file sets (present reports
// whether it has a yaml key of the section), from file, except those whose
// flag the command line set: the command line wins over the file, the file
// over the defaults. dst (bound to fs by Bind) and file are pointers to
// the same struct type.
func Merge(fs *pflag.FlagSet, dst, file any, present func(key string) bool) {
	fv := reflect.ValueOf(file).Elem()
	walkIndex(reflect.ValueOf(dst).Elem(), nil, func(f reflect.StructField, idx []int, v reflect.Value) {
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !present(key) {
			return
		}
		if name := f.Tag.Get("flag"); name != "" && name != "-" && fs.Changed(name) {
			return
		}
		v.Set(fv.FieldByIndex(idx))
	})
}

// RebasePaths rewrites, with rel, every string field tagged path in the
// struct cfg points to, at any depth: a config file's paths are relative
// to its directory, and rel makes them relative to the working directory.
func RebasePaths(cfg any, rel func(string) string) {
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		t := v.Type()
		for i := range t.NumField() {
			f, fv := t.Field(i), v.Field(i)
			switch {
			case !f.IsExported():
			case fv.Kind() == reflect.Struct:
				visit(fv)
			case fv.Kind() == reflect.String && hasTag(f, "path"):
				fv.SetString(rel(fv.String()))
			}
		}
	}
	visit(reflect.ValueOf(cfg).Elem())
}

func hasTag(f reflect.StructField, key string) bool {
	_, ok := f.Tag.Lookup(key)
	return ok
}

// quoteArg backquotes the first whole word arg of help, which is how pflag
// learns the value's name for --help ("--max-pages N").
func quoteArg(help, arg string) string {
	for i := 0; i+len(arg) <= len(help); i++ {
		j := strings.Index(help[i:], arg)
		if j < 0 {
			break
		}
		i += j
		end := i + len(arg)
		if (i == 0 || !wordByte(help[i-1])) && (end == len(help) || !wordByte(help[end])) {
			return help[:i] + "`" + arg + "`" + help[end:]
		}
	}
	return help + " (`" + arg + "`)"
}

func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func walk(v reflect.Value, fn func(reflect.StructField, reflect.Value)) {
	walkIndex(v, nil, func(f reflect.StructField, _ []int, fv reflect.Value) { fn(f, fv) })
}

func walkIndex(v reflect.Value, prefix []int, fn func(reflect.StructField, []int, reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		idx := append(append([]int(nil), prefix...), i)
		if f.Type.Kind() == reflect.Struct && (f.Anonymous || strings.Contains(f.Tag.Get("yaml"), ",inline")) {
			walkIndex(v.Field(i), idx, fn)
			continue
		}
		fn(f, idx, v.Field(i))
	}
}

var durationType = reflect.TypeFor[time.Duration]()

// value is a pflag.Value over a struct field.
type value struct {
	v   reflect.Value
	set bool // a repeatable flag's first Set replaces the default
}

func (x *value) String() string {
	v := x.v
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch {
	case v.Type() == durationType:
		return time.Duration(v.Int()).String()
	case v.Kind() == reflect.Slice:
		if v.Len() == 0 {
			return ""
		}
		s := make([]string, v.Len())
		for i := range s {
			s[i] = v.Index(i).String()
		}
		return "[" + strings.Join(s, ",") + "]"
	case v.Kind() == reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return fmt.Sprint(v.Interface())
}

func (x *value) Set(s string) error {
	v := x.v
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		v.Set(p)
		v = p.Elem()
	}
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case v.Kind() == reflect.Int || v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case v.Kind() == reflect.Float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		if !x.set {
			v.Set(reflect.MakeSlice(v.Type(), 0, 1))
		}
		v.Set(reflect.Append(v, reflect.ValueOf(s).Convert(v.Type().Elem())))
	default:
		return fmt.Errorf("options: a flag of type %s is not supported", v.Type())
	}
	x.set = true
	return nil
}

// Type names the value as pflag's own flags do (their help shows it).
func (x *value) Type() string {
	t := x.v.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return "duration"
	case t.Kind() == reflect.Slice:
		return "stringArray"
	}
	return t.Kind().String()
}
