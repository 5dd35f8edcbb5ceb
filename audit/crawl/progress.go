package crawl

import (
	"fmt"
	"io"
	"sync"
)

// ProgressLine draws a crawl's Progress as one status line on a terminal
// (w), redrawn at each Update. A dependency
// (bubbles, progressbar) would draw a bar, but a crawl has no known total:
// a counter line is all there is to show.
//
// Its methods do nothing on a nil *ProgressLine (no terminal, -q, -v).
type ProgressLine struct {
	mu      sync.Mutex
	w       io.Writer
	drawn   bool // the line is on the terminal now
	stopped bool
}

func (p *ProgressLine) Update(pr Progress) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", pr)
	p.drawn = true
}

// Clear erases the line, if it is drawn, before something else is
// printed; the next update draws it again.
func (p *ProgressLine) Clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// Stop erases the line for good: an update that comes late (a crawl
// callback racing the end) draws nothing over the report.
func (p *ProgressLine) Stop() {
	if p == nil {
		return
	}
	p.Clear()
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
}

// NewProgressLine returns a ProgressLine drawing on w.
func NewProgressLine(w io.Writer) *ProgressLine { return &ProgressLine{w: w} }
