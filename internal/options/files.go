package options

import (
	"os"
	"path/filepath"
	"strings"
)

// FindUp looks for the first of names in dir and each parent up to the
// repository root (the nearest directory holding .git), and returns its
// path, or "" when none is found.
func FindUp(dir string, names ...string) string {
	var found string
	RepoRoot(dir, func(dir string) bool {
		for _, name := range names {
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

// RepoRoot walks from dir up to the repository root (the nearest
// directory holding .git: a directory, or a file in a worktree), calling
// stop on each directory until it returns true; it returns the root, or
// false when there is none or stop ended the walk first.
func RepoRoot(dir string, stop func(dir string) bool) (string, bool) {
	for {
		if stop != nil && stop(dir) {
			return "", false
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// DisplayPath shows path relative to the working directory when that is
// shorter, as compilers do.
func DisplayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) {
		return rel
	}
	return abs
}

// Rebaser returns the function that makes a path written relative to dir
// relative to wd instead (slash-separated, a trailing slash kept).
// Absolute paths, URLs and "" are returned unchanged.
func Rebaser(dir, wd string) func(string) string {
	return func(p string) string {
		if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
			return p
		}
		r, err := filepath.Rel(wd, filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return p
		}
		if strings.HasSuffix(p, "/") && !strings.HasSuffix(r, "/") {
			r += "/"
		}
		return filepath.ToSlash(r)
	}
}
