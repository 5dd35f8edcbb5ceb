// This file holds folder targets: their stable origin
// (http://NAME.localhost), a local directory served the way static hosts
// serve one, and which file answers a URL of the folder (Site.File).

package crawl

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// A folder target is served in-process, by FolderHandler through the
// crawl's own transport (inProcess): no socket, no port. Its origin is
// http://NAME.localhost, NAME from the folder's name (see folderOrigins),
// so that a folder has the same origin, and its findings the same URLs
// and fingerprints, every run. RFC 6761 reserves .localhost: such a name
// can never be a site on the internet, and resolvers answer it with
// loopback or not at all, so no request meant for the folder can reach
// another host, and the SSRF rules treat the folder as the loopback target
// it stands for.

// maxFolderLabel bounds the part of a folder origin's label taken from the
// folder's name, leaving room for a collision suffix within DNS's 63.
const maxFolderLabel = 50

// folderLabel is the DNS label of a folder's origin: its base name (of the
// absolute path, so "." is the current directory's name) lower-cased,
// each run of characters other than a-z and 0-9 made one "-", without a
// leading or trailing "-"; "site" when nothing is left.
func folderLabel(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(filepath.Base(dir)) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= maxFolderLabel {
				break
			}
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "site"
	}
	return b.String()
}

// folderOrigins returns the origin of each folder target of a run, by
// position ("" for other targets): http://LABEL.localhost, with "-2", "-3"
// and so on appended to a label an earlier folder target of the run took
// (./a/public and ./b/public are public.localhost and public-2.localhost).
func folderOrigins(targets []Target) []string {
	out := make([]string, len(targets))
	used := map[string]bool{}
	for i, t := range targets {
		if t.Folder == "" {
			continue
		}
		base := folderLabel(t.Folder)
		label := base
		for n := 2; used[label]; n++ {
			label = base + "-" + strconv.Itoa(n)
		}
		used[label] = true
		out[i] = "http://" + label + ".localhost"
	}
	return out
}

// folder is a folder target opened for its crawl.
type folder struct {
	// dir is the absolute path of the directory served.
	dir string
	// host is the origin's host (LABEL.localhost).
	host    string
	handler http.Handler
	root    *os.Root
}

// openFolder opens dir for serving at origin. Symbolic links cannot
// escape the directory.
func openFolder(dir, origin string) (*folder, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("folder target: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("folder target %s: not a directory", dir)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("folder target: %w", err)
	}
	return &folder{dir: abs, host: strings.TrimPrefix(origin, "http://"), handler: FolderHandler(root.FS()), root: root}, nil
}

func (f *folder) close() { f.root.Close() }

// contentTypes are the types of common static-site files, so that the
// answer does not depend on the machine's MIME database.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".json": "application/json", ".jsonld": "application/ld+json", ".map": "application/json",
	".webmanifest": "application/manifest+json", ".xml": "application/xml", ".rss": "application/rss+xml",
	".atom": "application/atom+xml", ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".yaml": "application/yaml", ".yml": "application/yaml", ".csv": "text/csv; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
	".pdf": "application/pdf", ".woff": "font/woff", ".woff2": "font/woff2", ".wasm": "application/wasm",
	".gz": "application/gzip",
}

// FolderHandler serves fsys as a static host would: index.html for
// directories, "/about" served from about.html when there is no such file,
// content types from the file extension, and 404 (with the folder's
// 404.html, if any) for missing files.
func FolderHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		st, err := fs.Stat(fsys, name)
		switch {
		case err == nil && st.IsDir():
			if _, err := fs.Stat(fsys, path.Join(name, "index.html")); err != nil {
				notFound(w, r, fsys)
				return
			}
		case err == nil:
			setType(w, name)
		case errors.Is(err, fs.ErrNotExist) && path.Ext(name) == "":
			// Pretty URLs: /about -> about.html.
			if _, err := fs.Stat(fsys, name+".html"); err == nil {
				w.Header().Set("Content-Type", contentTypes[".html"])
				http.ServeFileFS(w, r, fsys, name+".html")
				return
			}
			notFound(w, r, fsys)
			return
		default:
			notFound(w, r, fsys)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func setType(w http.ResponseWriter, name string) {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		w.Header().Set("Content-Type", ct)
	}
}

func notFound(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	if b, err := fs.ReadFile(fsys, "404.html"); err == nil {
		w.Header().Set("Content-Type", contentTypes[".html"])
		w.WriteHeader(http.StatusNotFound)
		if r.Method != http.MethodHead {
			w.Write(b)
		}
		return
	}
	http.NotFound(w, r)
}

// FolderFile returns the file, relative to dir and slash-separated, that a
// FolderHandler for dir serves at urlPath ("/docs/" gives
// "docs/index.html", "/about" gives "about.html" when only that exists),
// and false when it serves none (a 404). Site.File names the file of a
// crawled folder's URL.
func FolderFile(dir, urlPath string) (string, bool) {
	// The handler's view of dir: no symbolic link out of it.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", false
	}
	defer root.Close()
	fsys := root.FS()
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "."
	}
	st, err := fs.Stat(fsys, name)
	switch {
	case err == nil && st.IsDir():
		idx := path.Join(name, "index.html")
		if _, err := fs.Stat(fsys, idx); err == nil {
			return idx, true
		}
	case err == nil:
		return name, true
	case path.Ext(name) == "":
		if _, err := fs.Stat(fsys, name+".html"); err == nil {
			return name + ".html", true
		}
	}
	return "", false
}

// File returns the file that the folder target s served at u: the folder
// as the user named it (Site.Target) joined with the file's slash-separated
// path in it ("public/docs/index.html" for http://public.localhost/docs/).
// It is false when s is not a folder target, u is not on its origin, or no
// file serves u (a 404). Reports point a folder's findings at files with
// it, which editors, SARIF viewers and annotations can open.
func (s *Site) File(u string) (string, bool) {
	if s.Folder == "" || s.Origin == "" {
		return "", false
	}
	p, ok := strings.CutPrefix(u, s.Origin)
	if !ok || p != "" && p[0] != '/' {
		return "", false
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	// The path as the handler sees it: percent-decoded.
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	rel, ok := FolderFile(s.Folder, p)
	if !ok {
		return "", false
	}
	return path.Join(filepath.ToSlash(s.Target), rel), true
}
