package main

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/agentready/agentready/lint"
	"github.com/spf13/pflag"
)

// bindLintFlags registers lint's settings flags, bound to the fields of o,
// with the help their tags in lint.Config give: lint.Config is the one
// description of them.
func bindLintFlags(f *pflag.FlagSet, o *lint.Config) {
	f.StringVar(&o.Extends, "extends", o.Extends, lintHelp("extends"))
	f.Var(optionalFloat{&o.MinScore}, "min-score", lintHelp("min-score"))
	f.BoolVar(&o.AllowRemoteRefs, "allow-remote-refs", o.AllowRemoteRefs, lintHelp("allow-remote-refs"))
	f.BoolVar(&o.AllowOutsideRefs, "allow-outside-refs", o.AllowOutsideRefs, lintHelp("allow-outside-refs"))
	f.Int64Var(&o.MaxSize, "max-size", o.MaxSize, lintHelp("max-size"))
	f.StringVar(&o.Baseline, "baseline", o.Baseline, lintHelp("baseline"))
	f.StringVar(&o.Base, "base", o.Base, lintHelp("base"))
}

// lintHelp is the help tag of the lint.Config field of flag name, with the
// first whole word of its arg tag backquoted: pflag shows that word as the
// value's name (--min-score N).
func lintHelp(name string) string {
	for _, f := range reflect.VisibleFields(reflect.TypeFor[lint.Config]()) {
		if f.Tag.Get("flag") != name {
			continue
		}
		help, arg := f.Tag.Get("help"), f.Tag.Get("arg")
		for i := 0; arg != "" && i+len(arg) <= len(help); i++ {
			j := strings.Index(help[i:], arg)
			if j < 0 {
				break
			}
			i += j
			end := i + len(arg)
			if (i == 0 || !isWordByte(help[i-1])) && (end == len(help) || !isWordByte(help[end])) {
				return help[:i] + "`" + arg + "`" + help[end:]
			}
		}
		return help
	}
	panic("lint.Config has no field for flag --" + name)
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// mergeLintConfig sets, in o (bound to the flags), the settings of the
// config file's lint: section whose flag the command line did not set:
// the command line wins over the file, the file over the defaults.
func mergeLintConfig(fs *pflag.FlagSet, o *lint.Config, file lint.Config) {
	dst, src := reflect.ValueOf(o).Elem(), reflect.ValueOf(file)
	for _, f := range reflect.VisibleFields(dst.Type()) {
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.Anonymous || key == "" || key == "-" {
			continue
		}
		if name := f.Tag.Get("flag"); name != "" && fs.Changed(name) {
			continue
		}
		dst.FieldByIndex(f.Index).Set(src.FieldByIndex(f.Index))
	}
}

// optionalFloat is a float flag over a *float64 that stays nil unless set.
type optionalFloat struct{ p **float64 }

func (v optionalFloat) String() string {
	if v.p == nil || *v.p == nil {
		return ""
	}
	return strconv.FormatFloat(**v.p, 'g', -1, 64)
}

func (v optionalFloat) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*v.p = &f
	return nil
}

func (v optionalFloat) Type() string { return "float64" }
