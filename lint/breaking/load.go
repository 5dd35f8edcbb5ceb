package breaking

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/agentready/agentready/internal/specload"
)

// LoadBase loads the earlier version of a spec that --base names: a file,
// an http(s) URL, or a git revision and path ("origin/main:api/openapi.yaml",
// read with git show, as git resolves it: the path is from the repository
// root, or from the working directory when it starts with ./). A name that
// is an existing file is a file, even when it contains a colon.
//
// A spec read from git whose $refs reach other files is loaded from a copy
// of its directory at that revision, so that the $refs resolve as they were
// then, not against the working tree.
func LoadBase(ctx context.Context, ref string, opts specload.Options) (*specload.Document, error) {
	if ref == "" {
		return nil, errors.New("--base: empty")
	}
	if ref == "-" {
		return nil, errors.New("--base: standard input is for SPEC; give BASE as a file, a URL or REV:PATH")
	}
	if _, err := os.Stat(ref); err == nil || strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return specload.Load(ctx, ref, nil, opts)
	}
	rev, file, ok := strings.Cut(ref, ":")
	if !ok || rev == "" || file == "" {
		return nil, fmt.Errorf("--base %s: no such file (a git base is REV:PATH, e.g. origin/main:api/openapi.yaml)", ref)
	}
	return loadGit(ctx, ref, rev, file, opts)
}

// git runs git with args in dir and returns its standard output; a failure
// carries git's own message.
func git(ctx context.Context, dir string, stdout io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if errors.Is(err, exec.ErrNotFound) {
			msg = "git is not installed (needed to read a REV:PATH base)"
		}
		return errors.New(msg)
	}
	return nil
}

func loadGit(ctx context.Context, ref, rev, file string, opts specload.Options) (*specload.Document, error) {
	max := opts.MaxBytes
	if max <= 0 {
		max = specload.DefaultMaxBytes
	}
	var out limitedBuffer
	out.max = max
	if err := git(ctx, "", &out, "show", "--no-textconv", rev+":"+file); err != nil {
		return nil, fmt.Errorf("--base %s: git show: %v", ref, err)
	}
	if out.over {
		return nil, fmt.Errorf("--base %s: larger than the %d MiB limit", ref, max>>20)
	}
	data := out.Bytes()
	if !hasFileRef(data) {
		// Relative $refs would resolve against the working tree; there
		// are none, so the bytes are the whole spec.
		return specload.LoadBytes(ctx, ref, data, file, opts)
	}
	// Materialise the spec's directory at rev, so its $refs read the files
	// as they were at that revision.
	top, err := gitTopLevel(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("--base %s: %v", ref, err)
	}
	tmp, err := os.MkdirTemp("", "agentready-base-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var tarball limitedBuffer
	tarball.max = 8 * max
	if err := git(ctx, top.top, &tarball, "archive", "--format=tar", rev, "--", path.Dir(top.rootRel)); err != nil {
		return nil, fmt.Errorf("--base %s: git archive: %v", ref, err)
	}
	if tarball.over {
		return nil, fmt.Errorf("--base %s: the directory of the spec at %s is larger than %d MiB", ref, rev, tarball.max>>20)
	}
	if err := untar(&tarball.Buffer, tmp, max); err != nil {
		return nil, fmt.Errorf("--base %s: %v", ref, err)
	}
	doc, err := specload.Load(ctx, filepath.Join(tmp, filepath.FromSlash(top.rootRel)), nil, opts)
	if err != nil {
		var pe *specload.ParseError
		if errors.As(err, &pe) {
			pe.File = ref
		}
		return nil, err
	}
	doc.Name, doc.Source = ref, ref
	return doc, nil
}

// hasFileRef reports whether a spec may $ref another file: a $ref value
// that does not start with '#'.
func hasFileRef(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("$ref"))
		if j < 0 {
			return false
		}
		i += j + 4
		rest := bytes.TrimLeft(b[i:min(len(b), i+8)], "\"' \t:")
		if len(rest) > 0 && rest[0] != '#' {
			return true
		}
	}
}

// repoPath is where a spec path given to git show is in the repository.
type repoPath struct {
	top     string // the repository's top-level directory
	rootRel string // the spec's path from it, slash-separated
}

func gitTopLevel(ctx context.Context, file string) (repoPath, error) {
	var top, prefix bytes.Buffer
	if err := git(ctx, "", &top, "rev-parse", "--show-toplevel"); err != nil {
		return repoPath{}, err
	}
	if err := git(ctx, "", &prefix, "rev-parse", "--show-prefix"); err != nil {
		return repoPath{}, err
	}
	r := repoPath{top: strings.TrimSpace(top.String()), rootRel: path.Clean(file)}
	if strings.HasPrefix(file, "./") || strings.HasPrefix(file, "../") {
		// git show reads ./ and ../ paths from the working directory.
		r.rootRel = path.Clean(strings.TrimSpace(prefix.String()) + file)
	}
	if !filepath.IsLocal(filepath.FromSlash(r.rootRel)) {
		return repoPath{}, fmt.Errorf("%s is outside the repository", file)
	}
	return r, nil
}

// untar extracts regular files of a tar stream under dir, refusing paths
// that leave it and files larger than max.
func untar(r io.Reader, dir string, max int64) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := filepath.FromSlash(path.Clean(h.Name))
		if !filepath.IsLocal(name) {
			return fmt.Errorf("git archive: unsafe path %q", h.Name)
		}
		if h.Size > max {
			return fmt.Errorf("%s: larger than the %d MiB limit", h.Name, max>>20)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		f, err := os.Create(dst)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, io.LimitReader(tr, max))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}

// limitedBuffer keeps at most max bytes and remembers whether more came.
type limitedBuffer struct {
	bytes.Buffer
	max  int64
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - int64(b.Len()); int64(len(p)) > room {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
