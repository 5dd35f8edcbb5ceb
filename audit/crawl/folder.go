// This file holds folder targets: a local directory served the way static
// hosts serve one, and which file answers a URL path.

package crawl

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// FolderServer serves a local directory (a static-site build) on a
// loopback port, the way static hosts do: index.html for directories,
// "/about" served from about.html when there is no such file, content types
// from the file extension, and 404 (with the folder's 404.html, if any) for
// missing files. Symbolic links cannot escape the directory.
type FolderServer struct {
	// URL is "http://127.0.0.1:<port>".
	URL string
	// Addr is the listening "ip:port".
	Addr string
	// Dir is the absolute path of the directory served.
	Dir string

	srv  *http.Server
	root *os.Root
}

// ServeFolder starts serving dir. Close stops it.
func ServeFolder(dir string) (*FolderServer, error) {
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("folder target: %w", err)
	}
	s := &FolderServer{URL: "http://" + ln.Addr().String(), Addr: ln.Addr().String(), Dir: abs, root: root}
	s.srv = &http.Server{Handler: FolderHandler(root.FS()), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *FolderServer) Close() error {
	err := s.srv.Close()
	s.root.Close()
	return err
}

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

// FolderHandler serves fsys as a static host would (see FolderServer).
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
// FolderServer for dir serves at urlPath ("/docs/" gives
// "docs/index.html", "/about" gives "about.html" when only that exists),
// and false when it serves none (a 404). Reports use it to point findings
// of a folder target at files rather than at a loopback URL that is gone.
func FolderFile(dir, urlPath string) (string, bool) {
	fsys := os.DirFS(dir)
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
