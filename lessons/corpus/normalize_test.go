package corpus

import (
	"slices"
	"testing"
)

func TestCompareNormalForms(t *testing.T) {
	// Code points from the Unicode Hangul syllable decomposition
	// (Unicode Standard, section 3.12): 한 = ㅎ U+1112 + ㅏ U+1161 + ㄴ U+11AB.
	tests := []struct {
		in       string
		nfc, nfd []string
	}{
		{"한", []string{"U+D55C"}, []string{"U+1112", "U+1161", "U+11AB"}},
		{"가", []string{"U+AC00"}, []string{"U+1100", "U+1161"}},
		{"\u1112\u1161\u11ab", []string{"U+D55C"}, []string{"U+1112", "U+1161", "U+11AB"}},
		{"é", []string{"U+00E9"}, []string{"U+0065", "U+0301"}},
		{"a", []string{"U+0061"}, []string{"U+0061"}},
	}
	for _, tt := range tests {
		f := CompareNormalForms(tt.in)
		if got := CodePoints(f.NFC); !slices.Equal(got, tt.nfc) {
			t.Errorf("NFC(%q) = %v, want %v", tt.in, got, tt.nfc)
		}
		if got := CodePoints(f.NFD); !slices.Equal(got, tt.nfd) {
			t.Errorf("NFD(%q) = %v, want %v", tt.in, got, tt.nfd)
		}
	}
	f := CompareNormalForms("한국어")
	if len(f.NFC) != 9 || len(f.NFD) != 24 || f.NFC == f.NFD {
		t.Errorf("한국어: NFC %d bytes, NFD %d bytes, equal %v; want 9, 24, false", len(f.NFC), len(f.NFD), f.NFC == f.NFD)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"already clean", "한국어 텍스트", "한국어 텍스트"},
		{"trim and collapse", "  a   b\t\tc  ", "a b c"},
		{"NFD becomes NFC", "\u1112\u1161\u11ab\u1100\u116e\u11a8", "한국"},
		{"zero-width removed", "한\u200B국\uFEFF어\u200D", "한국어"},
		{"zero-width between jamo composes", "\u1112\u200B\u1161", "하"},
		{"control characters removed", "a\x00b\x07c\u009Fd\u200Ee", "abcde"},
		{"next-line counts as white space", "a\u0085b", "a b"},
		{"unicode spaces", "a\u00A0\u00A0b\u3000c\u2003d", "a b c d"},
		{"windows and old mac line ends", "a\r\nb\rc", "a\nb\nc"},
		{"blank lines limited to one", "a\n\n\n\n\nb", "a\n\nb"},
		{"lines trimmed", "a   \n   b", "a\nb"},
		{"only white space", " \n\t\u200B ", ""},
		{"line separator", "a\u2028b", "a\nb"},
		{"the doc example", "  한\u200B국어\t\t텍스트 \r\n\r\n\r\n끝 ", "한국어 텍스트\n\n끝"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanText(tt.in)
			if got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := CleanText(got); again != got {
				t.Errorf("CleanText is not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestCleanAllReport(t *testing.T) {
	docs := []string{"ok", "\u1112\u1161\u11ab", "a\u200B\u200Bb", "x\x01", "  spaced   out ", " \n "}
	out, rep := CleanAll(docs)
	want := []string{"ok", "한", "ab", "x", "spaced out", ""}
	if !slices.Equal(out, want) {
		t.Errorf("CleanAll = %q, want %q", out, want)
	}
	wantRep := CleanReport{Docs: 6, ChangedByNFC: 1, ControlChars: 1, ZeroWidth: 2, SpacesFolded: 4, ChangedAtAll: 5, EmptyAfterAll: 1}
	if rep != wantRep {
		t.Errorf("report = %+v\nwant %+v", rep, wantRep)
	}
}
