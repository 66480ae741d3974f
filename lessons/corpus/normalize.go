package corpus

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalForms shows one string in Unicode's two canonical forms. Korean is
// the textbook case: the syllable 한 is one code point in NFC (U+D55C, the
// precomposed syllable) and three in NFD (the jamo ㅎ U+1112, ㅏ U+1161,
// ㄴ U+11AB). Both look identical on screen, but Go's == compares bytes, so
// without normalization "한국" (NFC) and "한국" (NFD) are different strings
// and would count as different words, tokens and documents.
type NormalForms struct {
	Text     string
	NFC, NFD string
}

// CompareNormalForms returns s in NFC and in NFD.
func CompareNormalForms(s string) NormalForms {
	return NormalForms{Text: s, NFC: norm.NFC.String(s), NFD: norm.NFD.String(s)}
}

// CodePoints lists the code points of s as "U+XXXX", e.g. "U+D55C".
func CodePoints(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, fmt.Sprintf("U+%04X", r))
	}
	return out
}

func (f NormalForms) String() string {
	line := func(name, s string) string {
		n, unit := len([]rune(s)), "code points"
		if n == 1 {
			unit = "code point"
		}
		return fmt.Sprintf("%s: %s (%d %s, %d bytes)", name, strings.Join(CodePoints(s), " "), n, unit, len(s))
	}
	return fmt.Sprintf("%q\n%s\n%s\nNFC == NFD as Go strings: %v",
		f.Text, line("NFC", f.NFC), line("NFD", f.NFD), f.NFC == f.NFD)
}

// zeroWidth are invisible characters that appear in scraped text (copied
// from word processors, web editors and chat apps) and split words that look
// whole: U+200B ZERO WIDTH SPACE, U+200C/U+200D (non-)joiners, U+2060 WORD
// JOINER, U+FEFF (a byte order mark in the middle of text) and U+00AD SOFT
// HYPHEN. Dropping U+200D also splits emoji ZWJ sequences into their parts,
// a loss this lesson accepts.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

// CleanReport counts what CleanText changed in a set of documents.
type CleanReport struct {
	Docs          int // documents cleaned
	ChangedByNFC  int // documents whose bytes NFC normalization changed
	ControlChars  int // control and format characters removed
	ZeroWidth     int // zero-width characters removed
	SpacesFolded  int // runs of white space replaced by one space or newline
	ChangedAtAll  int // documents that differ after cleaning
	EmptyAfterAll int // documents with no text left
}

func (r CleanReport) String() string {
	return fmt.Sprintf("cleaned %d docs: %d changed (%d by NFC), removed %d control and %d zero-width chars, folded %d white-space runs, %d left empty",
		r.Docs, r.ChangedAtAll, r.ChangedByNFC, r.ControlChars, r.ZeroWidth, r.SpacesFolded, r.EmptyAfterAll)
}

// CleanText normalizes a document for a training corpus:
//
//  1. "\r\n", "\r", U+2028 and U+2029 become "\n";
//  2. zero-width characters and other control or format characters (C0, C1,
//     bidi marks) are removed; a tab is white space;
//  3. every run of spaces (including U+00A0 and the ideographic space U+3000)
//     becomes one ASCII space, lines are trimmed, and more than one blank line
//     becomes one;
//  4. Unicode NFC (precomposed Hangul syllables; see NormalForms).
//
// Example: "  한\u200B국어\t\t텍스트 \r\n\r\n\r\n끝 " -> "한국어 텍스트\n\n끝".
// Code indentation is lost, which is fine for the prose this lesson collects.
func CleanText(s string) string {
	out, _ := cleanText(s)
	return out
}

// CleanAll cleans every document and reports what changed.
func CleanAll(docs []string) ([]string, CleanReport) {
	out := make([]string, len(docs))
	rep := CleanReport{Docs: len(docs)}
	for i, d := range docs {
		c, r := cleanText(d)
		out[i] = c
		rep.ChangedByNFC += r.ChangedByNFC
		rep.ControlChars += r.ControlChars
		rep.ZeroWidth += r.ZeroWidth
		rep.SpacesFolded += r.SpacesFolded
		if c != d {
			rep.ChangedAtAll++
		}
		if c == "" {
			rep.EmptyAfterAll++
		}
	}
	return out, rep
}

func cleanText(s string) (string, CleanReport) {
	var rep CleanReport
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b, run strings.Builder // run: the raw white space since the last visible character
	b.Grow(len(s))
	newlines := 0 // newlines owed before the next visible character (at most 2)
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			run.WriteRune(r)
			newlines = min(newlines+1, 2)
			continue
		case isZeroWidth(r):
			rep.ZeroWidth++
			continue
		case unicode.IsSpace(r): // tab, U+00A0, U+3000, ...
			run.WriteRune(r)
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			rep.ControlChars++
			continue
		}
		sep := ""
		if b.Len() > 0 {
			switch {
			case newlines > 0:
				sep = "\n\n"[:newlines]
			case run.Len() > 0:
				sep = " "
			}
		}
		if run.String() != sep {
			rep.SpacesFolded++
		}
		b.WriteString(sep)
		b.WriteRune(r)
		newlines = 0
		run.Reset()
	}
	if run.Len() > 0 { // trailing white space
		rep.SpacesFolded++
	}
	// NFC comes last: removing an invisible character can bring a jamo next
	// to another one, and only then can they compose into a syllable.
	out := b.String()
	if n := norm.NFC.String(out); n != out {
		rep.ChangedByNFC = 1
		out = n
	}
	return out, rep
}
