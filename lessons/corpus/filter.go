package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HangulRatio is the share of letters that are Hangul (syllables and jamo,
// so "ㅋㅋㅋ" counts): 1 for pure Korean, 0 for English or for text with no
// letters at all. Digits, spaces and punctuation are not letters.
func HangulRatio(s string) float64 {
	letters, hangul := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Hangul, r) {
				hangul++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(hangul) / float64(letters)
}

// SymbolRatio is the share of non-space characters that are neither letters
// nor digits (punctuation, emoji, box drawing...): "!!!!" is 1, "좋아요!" 0.25.
func SymbolRatio(s string) float64 {
	visible, symbols := 0, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		visible++
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			symbols++
		}
	}
	if visible == 0 {
		return 0
	}
	return float64(symbols) / float64(visible)
}

// RepeatedLineRatio is the share of non-empty lines that repeat an earlier
// line of the same document: "a\nb\na\na" is 0.5. Boilerplate (menus, "Read
// more", cookie notices) shows up as repeated lines.
func RepeatedLineRatio(s string) float64 {
	seen := map[string]bool{}
	lines, repeated := 0, 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		lines++
		if seen[l] {
			repeated++
		}
		seen[l] = true
	}
	if lines == 0 {
		return 0
	}
	return float64(repeated) / float64(lines)
}

// Filter is one quality rule: Keep says whether a document stays.
type Filter struct {
	Name string // short name for the report, e.g. "min-length"
	Rule string // the rule in words, e.g. "at least 10 characters"
	Keep func(doc string) bool
}

// FilterConfig holds the thresholds of the quality filters; a zero field
// switches its filter off.
type FilterConfig struct {
	MinRunes             int     // drop documents shorter than this many characters
	MaxRunes             int     // drop documents longer than this
	MaxSymbolRatio       float64 // drop documents with more symbols than this (see SymbolRatio)
	MaxRepeatedLineRatio float64 // drop documents with more repeated lines than this
	MinHangulRatio       float64 // drop documents less Korean than this (see HangulRatio)
}

// ReviewFilters returns the settings the lesson uses for the NSMC movie
// reviews: one-line Korean texts, many of them very short.
func ReviewFilters() FilterConfig {
	return FilterConfig{MinRunes: 10, MaxRunes: 1000, MaxSymbolRatio: 0.3, MaxRepeatedLineRatio: 0.3, MinHangulRatio: 0.5}
}

// PageFilters returns the settings the lesson uses for crawled web pages:
// at least 400 characters, so that a home page made of a few links goes.
func PageFilters() FilterConfig {
	return FilterConfig{MinRunes: 400, MaxRunes: 500_000, MaxSymbolRatio: 0.3, MaxRepeatedLineRatio: 0.3}
}

// Filters returns the enabled filters in the order they are applied: cheap
// length checks first, then character statistics, then the language check.
func (c FilterConfig) Filters() []Filter {
	var fs []Filter
	if c.MinRunes > 0 {
		fs = append(fs, Filter{"min-length", fmt.Sprintf("at least %d characters", c.MinRunes),
			func(d string) bool { return utf8.RuneCountInString(d) >= c.MinRunes }})
	}
	if c.MaxRunes > 0 {
		fs = append(fs, Filter{"max-length", fmt.Sprintf("at most %d characters", c.MaxRunes),
			func(d string) bool { return utf8.RuneCountInString(d) <= c.MaxRunes }})
	}
	if c.MaxSymbolRatio > 0 {
		fs = append(fs, Filter{"symbols", fmt.Sprintf("symbol ratio at most %.2f", c.MaxSymbolRatio),
			func(d string) bool { return SymbolRatio(d) <= c.MaxSymbolRatio }})
	}
	if c.MaxRepeatedLineRatio > 0 {
		fs = append(fs, Filter{"repeated-lines", fmt.Sprintf("repeated-line ratio at most %.2f", c.MaxRepeatedLineRatio),
			func(d string) bool { return RepeatedLineRatio(d) <= c.MaxRepeatedLineRatio }})
	}
	if c.MinHangulRatio > 0 {
		fs = append(fs, Filter{"hangul", fmt.Sprintf("Hangul ratio at least %.2f", c.MinHangulRatio),
			func(d string) bool { return HangulRatio(d) >= c.MinHangulRatio }})
	}
	return fs
}

// FilterStep is what one filter did.
type FilterStep struct {
	Name, Rule string
	In         int      // documents that reached this filter
	Removed    int      // documents it removed
	Examples   []string // the first few removed documents (at most 3)
}

// FilterReport lists the filters in the order they ran.
type FilterReport struct {
	In, Out int
	Steps   []FilterStep
	Kept    []int // indices (into the input) of the documents kept
}

func (r FilterReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-15s %-34s %8s %8s\n", "filter", "rule", "in", "removed")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "%-15s %-34s %8d %8d\n", s.Name, s.Rule, s.In, s.Removed)
	}
	fmt.Fprintf(&b, "kept %d of %d documents (%.1f%%)", r.Out, r.In, percent(r.Out, r.In))
	return b.String()
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// ApplyFilters runs the filters one after another (a document removed by one
// filter is not seen by the next) and returns the documents kept, in their
// original order, with a report of what each filter removed.
func ApplyFilters(docs []string, filters []Filter) ([]string, FilterReport) {
	idx := make([]int, len(docs))
	for i := range idx {
		idx[i] = i
	}
	rep := FilterReport{In: len(docs)}
	for _, f := range filters {
		step := FilterStep{Name: f.Name, Rule: f.Rule, In: len(idx)}
		kept := idx[:0]
		for _, i := range idx {
			if f.Keep(docs[i]) {
				kept = append(kept, i)
				continue
			}
			step.Removed++
			if len(step.Examples) < 3 {
				step.Examples = append(step.Examples, docs[i])
			}
		}
		idx = kept
		rep.Steps = append(rep.Steps, step)
	}
	out := make([]string, len(idx))
	for j, i := range idx {
		out[j] = docs[i]
	}
	rep.Out, rep.Kept = len(out), idx
	return out, rep
}
