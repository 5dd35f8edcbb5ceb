package breaking

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
)

// Version is a parsed semantic version (https://semver.org). Build
// metadata is dropped; it does not order versions.
type Version struct {
	Major, Minor, Patch int
	// Pre is the pre-release ("rc.1"), or "".
	Pre string
}

// semverRE is semver.org's regular expression, with an optional leading
// "v" that many APIs write and oasdiff accepts.
var semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// ParseVersion parses MAJOR.MINOR.PATCH with an optional pre-release and
// build metadata, and an optional leading "v".
func ParseVersion(s string) (Version, bool) {
	m := semverRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Version{}, false
	}
	var v Version
	var err error
	if v.Major, err = strconv.Atoi(m[1]); err != nil {
		return Version{}, false
	}
	if v.Minor, err = strconv.Atoi(m[2]); err != nil {
		return Version{}, false
	}
	if v.Patch, err = strconv.Atoi(m[3]); err != nil {
		return Version{}, false
	}
	v.Pre = m[4]
	return v, true
}

// IsSemver reports whether s is a semantic version without a leading "v".
func IsSemver(s string) bool {
	_, ok := ParseVersion(s)
	return ok && !strings.HasPrefix(s, "v")
}

// dateVersionRE is a calendar version such as 2024-06-01 (Stripe, GitHub's
// X-GitHub-Api-Version), optionally with a suffix (2024-06-01.preview).
var dateVersionRE = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([.-][0-9A-Za-z.-]+)?$`)

// IsDateVersion reports whether s is a date version (YYYY-MM-DD, with an
// optional suffix).
func IsDateVersion(s string) bool { return dateVersionRE.MatchString(s) }

// Compare orders versions as semver does: a pre-release sorts before its
// release, and pre-release identifiers compare numerically when both are
// numbers.
func (v Version) Compare(w Version) int {
	if c := cmp.Compare(v.Major, w.Major); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Minor, w.Minor); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Patch, w.Patch); c != 0 {
		return c
	}
	switch {
	case v.Pre == w.Pre:
		return 0
	case v.Pre == "":
		return 1
	case w.Pre == "":
		return -1
	}
	a, b := strings.Split(v.Pre, "."), strings.Split(w.Pre, ".")
	for i := 0; i < len(a) && i < len(b); i++ {
		na, ea := strconv.Atoi(a[i])
		nb, eb := strconv.Atoi(b[i])
		var c int
		switch {
		case ea == nil && eb == nil:
			c = cmp.Compare(na, nb)
		case ea == nil:
			c = -1 // numeric identifiers sort first
		case eb == nil:
			c = 1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func (v Version) String() string {
	s := strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) + "." + strconv.Itoa(v.Patch)
	if v.Pre != "" {
		s += "-" + v.Pre
	}
	return s
}

// Bump is how info.version moved from BASE to SPEC.
type Bump int

// Bumps, from the least to the most. Below 1.0.0 semver gives the minor
// version the major's role (0.1.0 -> 0.2.0 may break), so a minor move of a
// 0.x version is a Major bump here and a patch move a Minor one.
const (
	BumpUnknown Bump = iota // a version is not semver (or a date): no verdict
	BumpDown                // the version went down
	BumpNone                // unchanged
	BumpPre                 // only the pre-release changed
	BumpPatch
	BumpMinor
	BumpMajor
)

func (b Bump) String() string {
	return [...]string{"unknown", "down", "none", "pre-release", "patch", "minor", "major"}[b]
}

// VersionBump compares two info.version strings. Date versions compare by
// date: a later date counts as a major bump (a dated API version is a new
// contract), the same date as none, an earlier one as down.
func VersionBump(from, to string) Bump {
	if IsDateVersion(from) && IsDateVersion(to) {
		switch c := strings.Compare(from[:10], to[:10]); {
		case c < 0:
			return BumpMajor
		case c > 0:
			return BumpDown
		case from == to:
			return BumpNone
		default:
			return BumpPre
		}
	}
	a, ok1 := ParseVersion(from)
	b, ok2 := ParseVersion(to)
	if !ok1 || !ok2 {
		return BumpUnknown
	}
	switch c := a.Compare(b); {
	case c > 0:
		return BumpDown
	case c == 0:
		return BumpNone
	}
	if a.Major == 0 && b.Major == 0 {
		switch {
		case a.Minor != b.Minor:
			return BumpMajor
		case a.Patch != b.Patch:
			return BumpMinor
		}
		return BumpPre
	}
	switch {
	case a.Major != b.Major:
		return BumpMajor
	case a.Minor != b.Minor:
		return BumpMinor
	case a.Patch != b.Patch:
		return BumpPatch
	}
	return BumpPre
}
