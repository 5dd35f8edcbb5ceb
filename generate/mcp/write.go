package mcp

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Write writes the module into dir, creating directories, each file
// atomically (a temporary file renamed into place). Other files in dir are
// left alone.
func (r *Result) Write(dir string) error {
	seen := map[string]bool{}
	for _, f := range r.Files {
		clean := path.Clean(f.Name)
		if clean != f.Name || path.IsAbs(clean) || strings.HasPrefix(clean, "../") || clean == ".." || clean == "." || seen[clean] {
			return fmt.Errorf("refusing to write %q", f.Name)
		}
		seen[clean] = true
	}
	var errs []error
	for _, f := range r.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(f.Content)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o644)); err != nil {
			os.Remove(tmp.Name())
			errs = append(errs, err)
			continue
		}
		if err := os.Rename(tmp.Name(), p); err != nil {
			os.Remove(tmp.Name())
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
