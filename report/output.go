package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Output is one -f/--format value: a format name and the file it goes to
// ("" is stdout).
type Output struct {
	Format string
	Path   string
}

func (o Output) String() string {
	if o.Path == "" {
		return o.Format
	}
	return o.Format + "=" + o.Path
}

// ParseOutputs parses -f values (NAME or NAME=PATH; NAME=- is stdout)
// against the formats a command accepts. No value means text on stdout
// (or the first format when text is not one). At most one format may go
// to stdout, and no file may be named twice: either would interleave two
// reports.
func ParseOutputs(specs, formats []string) ([]Output, error) {
	if len(specs) == 0 {
		specs = []string{formats[0]}
		if slices.Contains(formats, "text") {
			specs = []string{"text"}
		}
	}
	var outs []Output
	seen := map[string]string{}
	for _, s := range specs {
		name, path, _ := strings.Cut(s, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if path == "-" {
			path = "" // NAME=- is stdout, as many tools spell it
		}
		if name == "" {
			return nil, fmt.Errorf("--format %q: missing format name (want NAME or NAME=PATH)", s)
		}
		if !slices.Contains(formats, name) {
			return nil, fmt.Errorf("--format %q: unknown format %q (want one of %s)", s, name, strings.Join(formats, ", "))
		}
		if strings.HasSuffix(s, "=") {
			return nil, fmt.Errorf("--format %q: empty path after '='", s)
		}
		key := "stdout"
		if path != "" {
			key = filepath.Clean(path)
		}
		if prev, dup := seen[key]; dup {
			if path == "" {
				return nil, fmt.Errorf("--format %s and %s both write to stdout; send one to a file with NAME=PATH", prev, name)
			}
			return nil, fmt.Errorf("--format %s and %s both write to %s", prev, s, path)
		}
		seen[key] = s
		outs = append(outs, Output{Format: name, Path: path})
	}
	return outs, nil
}

// WriteFile writes a file through a temporary file in the same directory
// renamed into place, so a reader never sees half a report and a failed
// run leaves the previous report intact; parent directories are created.
// A path that exists and is not a regular file (/dev/stderr, a named
// pipe) is written directly.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// JSONLines writes reports as compact json, one a line, in the order of
// their indexes whatever order they come in (an audit's sites finish in
// any order; the lines follow the list). Safe for concurrent use.
type JSONLines struct {
	mu      sync.Mutex
	ws      []io.Writer
	pending map[int][]byte
	next    int
	err     error
	files   []*os.File
}

// NewJSONLines returns a JSONLines writing every line to each of ws.
func NewJSONLines(ws ...io.Writer) *JSONLines {
	return &JSONLines{ws: ws, pending: map[int][]byte{}}
}

// OpenJSONLines returns a JSONLines writing to the outputs: the one
// without a path to stdout, the others to files it creates with their
// parent directories (not atomically: lines are written as they come).
// Close closes them.
func OpenJSONLines(outs []Output, stdout io.Writer) (*JSONLines, error) {
	l := NewJSONLines()
	for _, o := range outs {
		if o.Path == "" {
			l.ws = append(l.ws, stdout)
			continue
		}
		// Parent directories are created, as WriteFile does for a report.
		err := os.MkdirAll(filepath.Dir(o.Path), 0o755)
		var f *os.File
		if err == nil {
			f, err = os.Create(o.Path)
		}
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("writing json lines: %w", err)
		}
		l.ws = append(l.ws, f)
		l.files = append(l.files, f)
	}
	return l, nil
}

// Close closes the files OpenJSONLines created and returns the first
// error encoding, writing or closing.
func (l *JSONLines) Close() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	errs := []error{l.err}
	for _, f := range l.files {
		errs = append(errs, f.Close())
	}
	l.files = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("writing json lines: %w", err)
	}
	return nil
}

// Add writes r's line once the lines of every lower index are written.
func (l *JSONLines) Add(index int, r *Report) {
	var buf, line bytes.Buffer
	err := printJSON(&buf, r, PrintOptions{})
	if err == nil {
		err = json.Compact(&line, buf.Bytes())
		line.WriteByte('\n')
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil && l.err == nil {
		l.err = err
	}
	l.pending[index] = line.Bytes()
	for {
		b, ok := l.pending[l.next]
		if !ok {
			break
		}
		delete(l.pending, l.next)
		l.next++
		for _, w := range l.ws {
			if _, err := w.Write(b); err != nil && l.err == nil {
				l.err = err
			}
		}
	}
}
