package tools

import (
	"fmt"
	"sort"
	"strings"
)

// group folds tools into one tool per tag, largest tags first, until the set
// holds at most opts.MaxTools tools. A folded tool takes
// {"operation": NAME, "arguments": {...}} where arguments is any of its
// members' inputs. Tools keep the order of their first member.
func group(set *Set, opts Options, lim Limits) error {
	type bucket struct {
		tag   string
		tools []*Tool
	}
	byTag := map[string]*bucket{}
	var order []*bucket
	for _, t := range set.Tools {
		tag := "other"
		if t.Operation != nil && len(t.Operation.Tags) > 0 && strings.TrimSpace(t.Operation.Tags[0]) != "" {
			tag = t.Operation.Tags[0]
		}
		b := byTag[strings.ToLower(tag)]
		if b == nil {
			b = &bucket{tag: tag}
			byTag[strings.ToLower(tag)] = b
			order = append(order, b)
		}
		b.tools = append(b.tools, t)
	}
	bySize := append([]*bucket(nil), order...)
	sort.SliceStable(bySize, func(i, j int) bool { return len(bySize[i].tools) > len(bySize[j].tools) })
	count := len(set.Tools)
	fold := map[*bucket]bool{}
	for _, b := range bySize {
		if opts.Mode == ModeTags {
			fold[b] = true
			continue
		}
		if count <= opts.MaxTools {
			break
		}
		if len(b.tools) < 2 {
			break
		}
		fold[b] = true
		count -= len(b.tools) - 1
	}
	if opts.Mode != ModeTags && count > opts.MaxTools {
		return fmt.Errorf("--max-tools %d: the %d selected operations fall into %d tags, so at least %d tools are needed; raise the cap or select fewer operations", opts.MaxTools, len(set.Tools), len(order), count)
	}
	names := newNamer(lim)
	for _, t := range set.Tools {
		if !fold[byTag[strings.ToLower(tagOf(t))]] {
			names.taken[strings.ToLower(t.Name)] = true
		}
	}
	var out []*Tool
	done := map[*bucket]bool{}
	for _, t := range set.Tools {
		b := byTag[strings.ToLower(tagOf(t))]
		if !fold[b] {
			out = append(out, t)
			continue
		}
		if done[b] {
			continue
		}
		done[b] = true
		out = append(out, groupTool(b.tag, b.tools, names, lim, set))
	}
	set.Tools = out
	return nil
}

func tagOf(t *Tool) string {
	if t.Operation != nil && len(t.Operation.Tags) > 0 && strings.TrimSpace(t.Operation.Tags[0]) != "" {
		return t.Operation.Tags[0]
	}
	return "other"
}

func groupTool(tag string, members []*Tool, names *namer, lim Limits, set *Set) *Tool {
	g := &Tool{Group: members, Strict: set.Strict}
	g.Name = names.claim(names.words(tag), "tag "+tag)
	g.Title = "Operations on " + tag
	var b strings.Builder
	fmt.Fprintf(&b, "Calls one of %d operations on %s. Set operation to its name and arguments to its input.\n", len(members), tag)
	for _, m := range members {
		line := "- " + m.Name + ": " + firstLine(m.Title) + "\n"
		if b.Len()+len(line) > lim.Description-4 {
			b.WriteString("...")
			break
		}
		b.WriteString(line)
	}
	g.Description = truncate(strings.TrimSpace(b.String()), lim.Description)

	ops := &Schema{Type: Types{"string"}, Description: "The operation to call."}
	var variants []*Schema
	defs := map[string]*Schema{}
	ro, idem, destructive := true, true, false
	for _, m := range members {
		ops.Enum = append(ops.Enum, m.Name)
		in := m.Input.clone()
		for k, d := range in.Defs {
			defs[k] = d // names are IR type names: one name, one schema per direction
		}
		in.Defs = nil
		in.Title = m.Name
		variants = append(variants, in)
		g.Strict = g.Strict && m.Strict
		ro = ro && m.Annotations.ReadOnlyHint
		idem = idem && m.Annotations.IdempotentHint
		destructive = destructive || (m.Annotations.DestructiveHint != nil && *m.Annotations.DestructiveHint)
	}
	args := &Schema{Description: "The arguments of the chosen operation.", AnyOf: variants}
	g.Input = &Schema{Type: Types{"object"}, Properties: map[string]*Schema{"operation": ops, "arguments": args}, Required: []string{"arguments", "operation"}}
	if set.Strict && g.Strict && set.Target != Gemini {
		g.Input.AdditionalProperties = &BoolOrSchema{Allowed: false}
		for _, v := range variants {
			v.Title = "" // strict schemas carry no title; the description names it
			v.Description = appendSentence(v.Description, "Arguments of "+v2name(members, v, variants)+".")
		}
	}
	if len(defs) > 0 {
		g.Input.Defs = defs
	}
	g.Annotations = Annotations{Title: g.Title, ReadOnlyHint: ro, IdempotentHint: idem, OpenWorldHint: ptr(true)}
	if !ro {
		g.Annotations.DestructiveHint = ptr(destructive)
	}
	return g
}

// v2name is the member name of variant v.
func v2name(members []*Tool, v *Schema, variants []*Schema) string {
	for i, x := range variants {
		if x == v {
			return members[i].Name
		}
	}
	return ""
}
