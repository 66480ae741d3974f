package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stats describes a set of documents, for before/after comparisons.
type Stats struct {
	Docs        int
	Empty       int     // documents with no visible character
	Chars       int     // characters (Unicode code points), not bytes
	Bytes       int     // UTF-8 bytes
	Lines       int     // non-empty lines
	Hangul      int     // Hangul characters (syllables and jamo)
	Letters     int     // letters of any script
	MeanChars   float64 // Chars / Docs
	HangulRatio float64 // Hangul / Letters
	Unique      int     // distinct documents (byte-identical texts counted once)
}

// Measure computes the statistics of docs.
func Measure(docs []string) Stats {
	s := Stats{Docs: len(docs)}
	seen := make(map[string]struct{}, len(docs))
	for _, d := range docs {
		seen[d] = struct{}{}
		s.Bytes += len(d)
		s.Chars += utf8.RuneCountInString(d)
		if strings.TrimSpace(d) == "" {
			s.Empty++
		}
		for _, l := range strings.Split(d, "\n") {
			if strings.TrimSpace(l) != "" {
				s.Lines++
			}
		}
		for _, r := range d {
			if unicode.IsLetter(r) {
				s.Letters++
				if unicode.Is(unicode.Hangul, r) {
					s.Hangul++
				}
			}
		}
	}
	s.Unique = len(seen)
	if s.Docs > 0 {
		s.MeanChars = float64(s.Chars) / float64(s.Docs)
	}
	if s.Letters > 0 {
		s.HangulRatio = float64(s.Hangul) / float64(s.Letters)
	}
	return s
}

// CompareStats prints two Stats side by side with the change in percent.
func CompareStats(before, after Stats) string {
	var b strings.Builder
	row := func(name string, x, y float64, format string) {
		change := "-"
		if x != 0 {
			change = fmt.Sprintf("%+.1f%%", 100*(y-x)/x)
		}
		fmt.Fprintf(&b, "%-13s "+format+" "+format+" %9s\n", name, x, y, change)
	}
	fmt.Fprintf(&b, "%-13s %12s %12s %9s\n", "", "before", "after", "change")
	row("documents", float64(before.Docs), float64(after.Docs), "%12.0f")
	row("unique", float64(before.Unique), float64(after.Unique), "%12.0f")
	row("empty", float64(before.Empty), float64(after.Empty), "%12.0f")
	row("characters", float64(before.Chars), float64(after.Chars), "%12.0f")
	row("bytes", float64(before.Bytes), float64(after.Bytes), "%12.0f")
	row("lines", float64(before.Lines), float64(after.Lines), "%12.0f")
	row("mean chars", before.MeanChars, after.MeanChars, "%12.1f")
	row("Hangul ratio", before.HangulRatio, after.HangulRatio, "%12.3f")
	return strings.TrimRight(b.String(), "\n")
}
