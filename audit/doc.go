// Package audit is the whole audit of a site's machine readability: it
// crawls the targets (package crawl), runs the checks (package checks) over
// what the crawl gathered, scores them and returns the result for the
// printers.
package audit
