package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// namer hands out tool names valid for one target, unique even when
// compared without case (some clients fold case), and readable: an
// operationId that is already valid is kept; otherwise its words are joined
// in snake_case. A name too long is cut at a word boundary and given a short
// hash of the operation, as is a name that would collide. The outcome
// depends only on the operations and their order, which the IR fixes.
type namer struct {
	lim   Limits
	taken map[string]bool
}

func newNamer(lim Limits) *namer { return &namer{lim: lim, taken: map[string]bool{}} }

// base is the name an operation asks for, before length and collisions.
func (n *namer) base(op *ir.Operation) string {
	if op.ID != "" && n.lim.Name.MatchString(op.ID) {
		return op.ID
	}
	src := op.ID
	if ir.Pascal(ir.Words(src)) == "" {
		src = strings.ToLower(op.Method) + " " + op.Path
	}
	return n.words(src)
}

// words joins src's words in snake_case and makes the result valid.
func (n *namer) words(src string) string {
	ws := ir.Words(src)
	for i := range ws {
		ws[i] = strings.ToLower(ws[i])
	}
	name := strings.Join(ws, "_")
	if name == "" {
		name = "tool"
	}
	if n.lim.NameFirst != nil && !n.lim.NameFirst.MatchString(name) {
		name = "_" + name
	}
	return name
}

// claim returns a unique valid name for want; key identifies what is named
// (for the hash).
func (n *namer) claim(want, key string) string {
	name := want
	if len(name) > n.lim.NameMax {
		name = n.hashed(want, key)
	}
	if n.taken[strings.ToLower(name)] {
		name = n.hashed(want, key)
		for i := 2; n.taken[strings.ToLower(name)]; i++ {
			name = n.hashed(want, key+"#"+strings.Repeat("+", i))
		}
	}
	n.taken[strings.ToLower(name)] = true
	return name
}

// hashed cuts want to leave room for "_" and six hex digits of key's hash.
func (n *namer) hashed(want, key string) string {
	sum := sha256.Sum256([]byte(key))
	suffix := "_" + hex.EncodeToString(sum[:])[:6]
	room := n.lim.NameMax - len(suffix)
	head := want
	if len(head) > room {
		head = head[:room]
		if i := strings.LastIndexAny(head, "_-."); i >= room/2 {
			head = head[:i]
		}
	}
	head = strings.TrimRight(head, "_-.:")
	return head + suffix
}
